/**
 * Closest-id lookup for repair: normalise (lowercase, letters and digits only), take an exact normalised match,
 * else the smallest edit distance within a threshold of a quarter of the length (at least 1; ids shorter than 4
 * characters must match exactly).
 */

interface Key {
  readonly id: string;
  readonly key: string;
}

const keyCache = new WeakMap<object, readonly Key[]>();

export function normalizeId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function keysOf(candidates: ReadonlyMap<string, { id: string; name: string }>): readonly Key[] {
  let keys = keyCache.get(candidates);
  if (!keys) {
    keys = [...candidates.values()].flatMap((c) => [
      { id: c.id, key: normalizeId(c.id) },
      { id: c.id, key: normalizeId(c.name) },
    ]);
    keyCache.set(candidates, keys);
  }
  return keys;
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

export function matchThreshold(key: string): number {
  return key.length < 4 ? 0 : Math.max(1, Math.floor(key.length / 4));
}

/**
 * The id in `candidates` closest to `text`, or undefined when none is close enough. `allow` narrows the
 * candidates (e.g. subclasses of one class); `maxDistance` 0 asks for a normalised exact match only.
 */
export function closestId(
  text: string,
  candidates: ReadonlyMap<string, { id: string; name: string }>,
  allow: (id: string) => boolean = () => true,
  maxDistance?: number,
): string | undefined {
  const key = normalizeId(text);
  if (!key) return undefined;
  const limit = Math.min(matchThreshold(key), maxDistance ?? Infinity);
  let best: { id: string; d: number } | undefined;
  for (const k of keysOf(candidates)) {
    if (!allow(k.id)) continue;
    const d = k.key === key ? 0 : editDistance(key, k.key, limit);
    if (d <= limit && (!best || d < best.d)) best = { id: k.id, d };
    if (d === 0) break;
  }
  return best?.id;
}
