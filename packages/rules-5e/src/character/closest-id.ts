/**
 * Closest-id lookup for repair: normalise (lowercase, letters and digits only), take an exact normalised match,
 * else the smallest edit distance within a threshold of a quarter of the length (at least 1; ids shorter than 4
 * characters must match exactly), else a containment match for names with extra words.
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

/** Shortest candidate key the text may contain, and shortest text that may stand inside a longer key. */
const MIN_CONTAINED = 4;
const MIN_PREFIX_TEXT = 5;

/**
 * Containment fallback for names with extra words ("Hill Dwarf" → dwarf, "Studded Leather" →
 * studded-leather-armor): the longest candidate whose key is inside the text, else the only candidate whose key
 * contains the text, else the one shortest key that starts with it.
 */
function containing(key: string, keys: readonly Key[], allow: (id: string) => boolean): string | undefined {
  let best: Key | undefined;
  for (const k of keys) {
    if (
      allow(k.id) &&
      k.key.length >= MIN_CONTAINED &&
      key.includes(k.key) &&
      (!best || k.key.length > best.key.length)
    ) {
      best = k;
    }
  }
  if (best) return best.id;
  if (key.length < MIN_PREFIX_TEXT) return undefined;
  const holders = keys.filter((k) => allow(k.id) && k.key.includes(key));
  const ids = new Set(holders.map((k) => k.id));
  if (ids.size === 1) return holders[0]?.id;
  // Several: the shortest key that starts with the text, when it is the only one that short.
  const starts = holders.filter((k) => k.key.startsWith(key)).sort((a, b) => a.key.length - b.key.length);
  const first = starts[0];
  const tie = starts.find((k) => k.id !== first?.id && k.key.length === first?.key.length);
  return first && !tie ? first.id : undefined;
}

/**
 * The id in `candidates` closest to `text`, or undefined when none is close enough: exact normalised match, else
 * the smallest edit distance within the threshold, else (unless `maxDistance` is given) containment. `allow`
 * narrows the candidates (e.g. subclasses of one class); `maxDistance` 0 asks for a normalised exact match only.
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
  const keys = keysOf(candidates);
  let best: { id: string; d: number } | undefined;
  for (const k of keys) {
    if (!allow(k.id)) continue;
    const d = k.key === key ? 0 : editDistance(key, k.key, limit);
    if (d <= limit && (!best || d < best.d)) best = { id: k.id, d };
    if (d === 0) break;
  }
  if (best || maxDistance !== undefined) return best?.id;
  return containing(key, keys, allow);
}
