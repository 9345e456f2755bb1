/**
 * Seeded randomness for the offline generator. Never Math.random: every draw comes from a `Rng` made from
 * (concept, seed), so the same input always gives the same draft.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** FNV-1a 32-bit hash of a string (stable across platforms). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator's RNG for one (concept, seed) pair; `salt` derives independent streams. */
export function createRng(concept: string, seed: number, salt = ''): Rng {
  return mulberry32(hashString(`${salt}|${seed}|${concept.trim().toLowerCase()}`));
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: empty list');
  return items[randInt(rng, items.length)] as T;
}

/** Pick one value with probability proportional to its weight (weights ≤ 0 never win unless all are ≤ 0). */
export function weightedPick<T>(rng: Rng, items: readonly { value: T; weight: number }[]): T {
  if (items.length === 0) throw new Error('weightedPick: empty list');
  const total = items.reduce((s, i) => s + Math.max(0, i.weight), 0);
  if (total <= 0) return pick(rng, items).value;
  let r = rng() * total;
  for (const item of items) {
    r -= Math.max(0, item.weight);
    if (r < 0) return item.value;
  }
  return (items[items.length - 1] as { value: T }).value;
}

/** Draw up to `count` distinct values, each draw weighted, without replacement. */
export function weightedSample<T>(
  rng: Rng,
  items: readonly { value: T; weight: number }[],
  count: number,
): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const chosen = weightedPick(
      rng,
      pool.map((p, i) => ({ value: i, weight: p.weight })),
    );
    out.push((pool[chosen] as { value: T }).value);
    pool.splice(chosen, 1);
  }
  return out;
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
