/**
 * Name matching for mentions: one scoring function used by resolution (`@Name`) and by autocomplete (ranked by
 * match and recency of use). Names are compared folded (lower case, accents removed, punctuation as spaces).
 */

export interface NamedEntity {
  id: string;
  name: string;
  aliases: readonly string[];
  /** Document kind (`lore`, `character`, `item`). */
  entity: string;
  /** Subkind: location, faction, quest, event, note, npc, pc, monster… */
  kind: string | null;
}

/** Lower case, accents removed, anything but letters and digits as one space. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Levenshtein distance, giving up (returning `max + 1`) once it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Edits allowed for a typo in a query of this length: 0 up to 3 characters, 1 up to 6, then 2. */
export function typoBudget(length: number): number {
  return length <= 3 ? 0 : length <= 6 ? 1 : 2;
}

export const MATCH = {
  exact: 1000,
  prefix: 800,
  wordPrefix: 650,
  typo: 500,
  substring: 300,
  subsequence: 100,
};

/** Which characters a string holds, as bits (a–z one bit each; other characters share six bits). */
export function letterMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) continue;
    m |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return m >>> 0;
}

function bitCount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x &= x - 1) c++;
  return c;
}

/**
 * How well a folded query matches one folded label (0 = not at all). Tiers: exact, prefix, a word's prefix,
 * within the typo budget (of the whole label or one of its words), substring, subsequence (autocomplete only).
 */
export function matchLabel(
  q: string,
  label: string,
  allowSubsequence: boolean,
  masks?: { q: number; label: number },
): number {
  if (!q || !label) return 0;
  if (label === q) return MATCH.exact;
  if (label.startsWith(q)) return MATCH.prefix - Math.min(99, label.length - q.length);
  const words = label.split(' ');
  if (words.some((w) => w.startsWith(q))) return MATCH.wordPrefix - Math.min(99, label.length - q.length);
  const budget = typoBudget(q.length);
  // Each edit brings at most one character the label lacks: more missing characters than the budget rule out
  // every typo match (of the label, its words and their prefixes) without computing a distance.
  const typoPossible = !masks || bitCount(masks.q & ~masks.label) <= budget;
  if (budget > 0 && typoPossible) {
    let best = boundedDistance(q, label, budget);
    if (q.indexOf(' ') < 0) {
      for (const w of words) {
        if (best === 0) break;
        best = Math.min(best, boundedDistance(q, w, budget));
        // A typo in a prefix while typing: compare with the word cut to the query's length.
        if (w.length > q.length) best = Math.min(best, boundedDistance(q, w.slice(0, q.length), budget));
      }
    }
    if (best <= budget) return MATCH.typo - 100 * best;
  }
  if (label.includes(q)) return MATCH.substring;
  if (allowSubsequence) {
    let i = 0;
    for (let j = 0; j < label.length && i < q.length; j++) if (label[j] === q[i]) i++;
    if (i === q.length) return MATCH.subsequence - Math.min(99, label.length - q.length);
  }
  return 0;
}

/** Best match of the query over an entity's name and aliases (`masks`: the labels' `letterMask`s, precomputed). */
export function matchEntity(
  q: string,
  e: { folded: readonly string[]; masks?: readonly number[] },
  allowSubsequence: boolean,
  qMask: number = e.masks ? letterMask(q) : 0,
): number {
  let best = 0;
  e.folded.forEach((l, i) => {
    const m = e.masks ? { q: qMask, label: e.masks[i]! } : undefined;
    best = Math.max(best, matchLabel(q, l, allowSubsequence, m));
  });
  return best;
}

export interface Suggestion {
  id: string;
  name: string;
  kind: string | null;
  entity: string;
  score: number;
}

interface Prepared extends NamedEntity {
  folded: string[];
  masks: number[];
}

const DAY = 86_400_000;

/**
 * Autocomplete for `@`: prepare once per campaign (folds every name), then `suggest(query)` per keystroke.
 * Score = match tier + up to 150 for recency of use (halving every 14 days), so a recently mentioned entity
 * outranks an equally good match, but never a better match tier (tiers are ≥ 150 apart, except within one).
 */
export function createAutocomplete(
  entities: readonly NamedEntity[],
  lastUsed: ReadonlyMap<string, number> = new Map(),
  now: number = Date.now(),
) {
  const prepared: Prepared[] = entities.map((e) => {
    const folded = [e.name, ...e.aliases].map(fold).filter((s) => s.length > 0);
    return { ...e, folded, masks: folded.map(letterMask) };
  });
  const recency = (id: string): number => {
    const t = lastUsed.get(id);
    if (t === undefined) return 0;
    return 150 * Math.pow(0.5, Math.max(0, now - t) / (14 * DAY));
  };
  return {
    size: prepared.length,
    suggest(query: string, limit = 10): Suggestion[] {
      const q = fold(query);
      const qMask = letterMask(q);
      const out: Suggestion[] = [];
      for (const e of prepared) {
        const m = q ? matchEntity(q, e, true, qMask) : 1;
        if (m <= 0) continue;
        out.push({ id: e.id, name: e.name, kind: e.kind, entity: e.entity, score: m + recency(e.id) });
      }
      out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
      return out.slice(0, limit);
    },
  };
}
