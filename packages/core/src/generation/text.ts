/** Name normalisation and similarity measures for resolving free-text names to content ids. */

/** Lowercase, strip accents and punctuation, collapse spaces: "Fire-Bolt!" → "fire bolt". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Content id form of a name: "Studded Leather Armor" → "studded-leather-armor". */
export function toId(text: string): string {
  return normalizeName(text).replace(/ /g, '-');
}

export function tokens(text: string): string[] {
  const n = normalizeName(text);
  return n === '' ? [] : n.split(' ');
}

/** Levenshtein edit distance (two-row dynamic programming). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/** 1 − distance / longer length, on normalised names without spaces ("Firebolt" ≈ "Fire Bolt" = 1). */
export function editSimilarity(a: string, b: string): number {
  const x = normalizeName(a).replace(/ /g, '');
  const y = normalizeName(b).replace(/ /g, '');
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - editDistance(x, y) / longest;
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'with',
  'in',
  'on',
  'to',
  'for',
  'from',
  'who',
  'that',
]);

/** Meaningful tokens (stop words dropped). */
export function contentTokens(text: string): string[] {
  return tokens(text).filter((t) => !STOP_WORDS.has(t));
}

/** Dice coefficient of the two token sets (0–1). */
export function tokenOverlap(a: string, b: string): number {
  const x = new Set(contentTokens(a));
  const y = new Set(contentTokens(b));
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** Capitalise each word: "plasma blade" → "Plasma Blade". */
export function titleCase(text: string): string {
  return text.replace(/\b([a-z])/g, (m) => m.toUpperCase());
}
