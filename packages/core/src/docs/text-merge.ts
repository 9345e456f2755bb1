/**
 * Character-level text diffs and a three-way text merge. Pure (no Yjs, no Node), so the renderer can use the
 * same code through `@loreforge/core/text-merge` to keep a form's unsaved typing when a remote change arrives.
 *
 * - `textHunks(a, b)`: the changes that turn `a` into `b`, as non-overlapping `{ start, end, insert }` hunks on
 *   `a` (Myers' shortest edit script over UTF-16 code units, after the common prefix and suffix are trimmed; a
 *   difference too large to search — more than `MAX_EDIT_DISTANCE` edits, or a changed middle over 20,000 code
 *   units — is one replaced middle).
 * - `mergeText(base, mine, theirs)`: both sides' changes on `base` applied together — every insertion kept (the
 *   other side's first when both insert at one place, once when both inserted the same), every deletion applied.
 */
import { commonEnds, shortestEdits } from './edit-script';

export interface TextHunk {
  /** First code unit of `a` removed (or where `insert` goes when nothing is removed). */
  start: number;
  /** One past the last code unit of `a` removed (`start` when nothing is removed). */
  end: number;
  insert: string;
}

/** Beyond this many inserted + deleted code units the changed middle is replaced as a whole. */
export const MAX_EDIT_DISTANCE = 1000;
/** A changed middle longer than this (both sides together) is replaced as a whole without a search. */
const MAX_SEARCHED = 20_000;

export function textHunks(a: string, b: string): TextHunk[] {
  if (a === b) return [];
  let { prefix, suffix } = commonEnds(a.length, b.length, (x, y) => a.charCodeAt(x) === b.charCodeAt(y));
  // Never cut a surrogate pair (an emoji): a Y.Text edit inside one would leave broken characters.
  if (prefix > 0 && isHigh(a.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLow(a.charCodeAt(a.length - suffix))) suffix--;
  const am = a.slice(prefix, a.length - suffix);
  const bm = b.slice(prefix, b.length - suffix);
  const whole = [{ start: prefix, end: prefix + am.length, insert: bm }];
  if (am.length === 0 || bm.length === 0) return slideToWords(a, whole);
  if (am.length + bm.length > MAX_SEARCHED || SURROGATE.test(am) || SURROGATE.test(bm)) return whole;
  const script = myers(am, bm);
  if (script === null) return whole;
  return slideToWords(
    a,
    script.map((h) => ({ start: h.start + prefix, end: h.end + prefix, insert: h.insert })),
  );
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const SURROGATE = /[\ud800-\udfff]/;

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

/**
 * A pure deletion or insertion can often sit at several places ("one two three" → "one three" deletes "two " or
 * "wo t"). Move each to start at a word where it can, so a merge with the other side's words stays whole.
 */
function slideToWords(a: string, hunks: TextHunk[]): TextHunk[] {
  hunks.forEach((h, i) => {
    const low = i > 0 ? (hunks[i - 1] as TextHunk).end + 1 : 0;
    const high = i + 1 < hunks.length ? (hunks[i + 1] as TextHunk).start - 1 : a.length;
    const pureDel = h.insert === '' && h.end > h.start;
    const pureIns = h.insert !== '' && h.end === h.start;
    if (!pureDel && !pureIns) return;
    if (SURROGATE.test(pureDel ? a.slice(h.start, h.end) : h.insert)) return;
    // The moved text: the deleted stretch of `a`, or the inserted string.
    let cur: TextHunk = { ...h };
    const atWord = (x: TextHunk) => isSpace(a[x.start - 1]) && !isSpace(pureDel ? a[x.start] : x.insert[0]);
    // Slide to the leftmost place first, then walk right until a word start.
    for (;;) {
      const last = pureDel ? a[cur.end - 1] : cur.insert[cur.insert.length - 1];
      if (cur.start - 1 < low || a[cur.start - 1] !== last) break;
      cur = pureDel
        ? { start: cur.start - 1, end: cur.end - 1, insert: '' }
        : { start: cur.start - 1, end: cur.start - 1, insert: (last as string) + cur.insert.slice(0, -1) };
    }
    let best: TextHunk | null = atWord(cur) ? cur : null;
    while (best === null) {
      const first = pureDel ? a[cur.start] : cur.insert[0];
      if (cur.end + 1 > high || a[cur.end] !== first) break;
      cur = pureDel
        ? { start: cur.start + 1, end: cur.end + 1, insert: '' }
        : { start: cur.start + 1, end: cur.start + 1, insert: cur.insert.slice(1) + (first as string) };
      if (atWord(cur)) best = cur;
    }
    if (best) hunks[i] = best;
  });
  return hunks;
}

/** The shortest edit script (`shortestEdits`) as hunks on `a`, or null past `MAX_EDIT_DISTANCE`. */
function myers(a: string, b: string): TextHunk[] | null {
  const same = (x: number, y: number) => a.charCodeAt(x) === b.charCodeAt(y);
  const edits = shortestEdits(a.length, b.length, same, MAX_EDIT_DISTANCE);
  if (edits === null) return null;
  // Group edits touching the same stretch of `a` into hunks.
  const hunks: TextHunk[] = [];
  for (const e of edits) {
    const last = hunks[hunks.length - 1];
    if (e.kind === 'del') {
      if (last && last.end === e.x) last.end = e.x + 1;
      else hunks.push({ start: e.x, end: e.x + 1, insert: '' });
    } else {
      const ch = b[e.y] as string;
      if (last && last.end === e.x) last.insert += ch;
      else hunks.push({ start: e.x, end: e.x, insert: ch });
    }
  }
  return hunks;
}

/** Apply hunks (on `a`, as `textHunks` returns them) to `a`. */
export function applyHunks(a: string, hunks: readonly TextHunk[]): string {
  let out = '';
  let at = 0;
  for (const h of hunks) {
    out += a.slice(at, h.start) + h.insert;
    at = h.end;
  }
  return out + a.slice(at);
}

/**
 * Three-way merge of two edits of `base`: the result holds both sides' insertions and neither side's deletions.
 * `mergeText(b, m, b) === m`, `mergeText(b, b, t) === t`, and two people typing at different places both keep
 * what they typed.
 */
export function mergeText(base: string, mine: string, theirs: string): string {
  if (mine === theirs || mine === base) return theirs;
  if (theirs === base) return mine;
  const n = base.length;
  const delMine = new Uint8Array(n);
  const delTheirs = new Uint8Array(n);
  const insMine = new Map<number, string>();
  const insTheirs = new Map<number, string>();
  const mark = (hunks: TextHunk[], del: Uint8Array, ins: Map<number, string>) => {
    for (const h of hunks) {
      del.fill(1, h.start, h.end);
      if (h.insert) ins.set(h.start, (ins.get(h.start) ?? '') + h.insert);
    }
  };
  mark(textHunks(base, mine), delMine, insMine);
  mark(textHunks(base, theirs), delTheirs, insTheirs);
  let out = '';
  for (let i = 0; i <= n; i++) {
    const t = insTheirs.get(i);
    const m = insMine.get(i);
    if (t !== undefined) out += t;
    if (m !== undefined && m !== t) out += m;
    if (i < n && !delMine[i] && !delTheirs[i]) out += base[i];
  }
  return out;
}
