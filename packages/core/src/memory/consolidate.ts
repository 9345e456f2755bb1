/**
 * Session consolidation, offline and extractive: reads a session's journals and returns key events, a timeline,
 * discrepancies (journals that tell the same event with different numbers or names) and a summary. Every item
 * cites its source journals, and `checkSources` verifies that against the journals' text (an item whose text
 * no cited journal supports is dropped and counted): nothing is trusted, whoever wrote it.
 */
import { plainText, parseMentions } from './mention-syntax';

export interface JournalInput {
  id: string;
  title: string;
  author: string;
  /** The stored text (mentions as `@[Label](id)`). */
  text: string;
}

export interface Sourced {
  text: string;
  sources: string[];
}

export interface Consolidation {
  summary: string;
  /** The summary's sentences with their sources (the summary is exactly these, joined). */
  summarySources: Sourced[];
  keyEvents: Sourced[];
  timeline: (Sourced & { when: string })[];
  discrepancies: { topic: string; claims: { journalId: string; text: string }[] }[];
}

interface Sentence {
  journal: string;
  index: number;
  /** Position in its journal, 0..1. */
  position: number;
  text: string;
  words: Set<string>;
  /** Mentioned entity ids and capitalised names (lower case). */
  names: Set<string>;
  numbers: { value: number; unit: string }[];
}

const STOP = new Set(
  'a an the and or but of to in on at by for with from into onto over under we i he she they it its his her their our us them me my you your was were is are be been being had has have did do does that this these those there then than so as not no yes very just also who whom which what when where while after before about again all any some one two three four five six seven eight nine ten'.split(
    ' ',
  ),
);

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  hundred: 100,
  thousand: 1000,
  a: 1,
  an: 1,
  dozen: 12,
};

const TIME_RE =
  /\b(at (?:dawn|dusk|noon|midnight|night|sunrise|sunset)|in the (?:morning|evening|afternoon|night)|(?:that|the next|next) (?:morning|evening|night|day)|(?:first|then|later|afterwards|finally|at last|meanwhile))\b/i;

/** Split into sentences, keeping mentions whole (`@[A. B.](id)` holds dots). */
export function sentencesOf(text: string): { raw: string; start: number }[] {
  const out: { raw: string; start: number }[] = [];
  const masked = text.replace(/@\[[^\]\n]*\]\([^)\n]*\)/g, (m) => m.replace(/[.!?]/g, '_'));
  const re = /[^.!?\n]+[.!?]*/g;
  for (const m of masked.matchAll(re)) {
    const raw = text.slice(m.index, m.index + m[0].length).trim();
    if (raw.replace(/[^\p{L}\p{N}]/gu, '').length >= 3) out.push({ raw, start: m.index });
  }
  return out;
}

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function stem(w: string): string {
  return w.length > 4 ? w.replace(/(ing|ed|es|s)$/u, '') : w;
}

function contentWords(s: string): Set<string> {
  return new Set(
    tokens(s)
      .filter((w) => !STOP.has(w) && !/^\d+$/.test(w) && !(w in NUMBER_WORDS))
      .map(stem),
  );
}

function numbersOf(s: string): { value: number; unit: string }[] {
  const out: { value: number; unit: string }[] = [];
  const t = tokens(s);
  for (let i = 0; i < t.length - 1; i++) {
    const w = t[i]!;
    const v = /^\d+$/.test(w) ? Number(w) : w !== 'a' && w !== 'an' ? NUMBER_WORDS[w] : undefined;
    if (v === undefined) continue;
    const unit = stem(t[i + 1]!);
    if (STOP.has(unit) || /^\d+$/.test(unit)) continue;
    out.push({ value: v, unit });
  }
  return out;
}

function namesOf(raw: string): Set<string> {
  const names = new Set<string>();
  for (const m of parseMentions(raw)) if (m.form === 'link') names.add(m.label.toLowerCase());
  const plain = plainText(raw);
  // Capitalised words (at the start of the sentence too, unless a common word such as "The" or "We").
  const words = plain.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replace(/[^\p{L}'-]/gu, '');
    if (/^\p{Lu}\p{Ll}+/u.test(w) && !STOP.has(w.toLowerCase())) names.add(w.toLowerCase());
  }
  return names;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

function analyse(journals: readonly JournalInput[]): Sentence[] {
  const out: Sentence[] = [];
  for (const j of journals) {
    const ss = sentencesOf(j.text);
    ss.forEach((s, index) => {
      const text = plainText(s.raw).replace(/\s+/g, ' ').trim();
      out.push({
        journal: j.id,
        index,
        position: ss.length > 1 ? index / (ss.length - 1) : 0,
        text,
        words: contentWords(text),
        names: namesOf(s.raw),
        numbers: numbersOf(text),
      });
    });
  }
  return out;
}

/** Similar enough to be the same event told twice: shared content words, ignoring numbers and names. */
const strip = (s: Sentence) => new Set([...s.words].filter((w) => !s.names.has(w)));

/** Similar enough to be the same event told twice: shared content words, ignoring numbers and names, or the
 * same thing counted (a number of the same unit) with some other word in common. */
function sameEvent(a: Sentence, b: Sentence): boolean {
  if (a.journal === b.journal) return false;
  const j = jaccard(a.words, b.words);
  const js = jaccard(strip(a), strip(b));
  const counted = a.numbers.some((x) => b.numbers.some((y) => y.unit === x.unit));
  return j >= 0.34 || (js >= 0.5 && strip(a).size >= 2) || (counted && j >= 0.2);
}

interface Cluster {
  sentences: Sentence[];
}

function cluster(sentences: readonly Sentence[]): Cluster[] {
  const clusters: Cluster[] = [];
  for (const s of sentences) {
    let best: Cluster | null = null;
    let bestScore = 0;
    for (const c of clusters) {
      if (c.sentences.some((x) => x.journal === s.journal)) continue;
      if (!c.sentences.some((x) => sameEvent(x, s))) continue;
      const score = Math.max(...c.sentences.map((x) => jaccard(x.words, s.words)));
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best) best.sentences.push(s);
    else clusters.push({ sentences: [s] });
  }
  return clusters;
}

/** `s` tells `rep` the same way: every name and every number of `rep` is in `s` too. */
function agrees(rep: Sentence, s: Sentence): boolean {
  if (rep === s) return true;
  for (const n of rep.names) if (!s.names.has(n) && !s.words.has(stem(n))) return false;
  const nums = new Set(s.numbers.map((n) => `${n.value} ${n.unit}`));
  return rep.numbers.every((n) => nums.has(`${n.value} ${n.unit}`));
}

function weight(c: Cluster): number {
  const s = c.sentences[0]!;
  return c.sentences.length * 3 + s.names.size + s.numbers.length + (TIME_RE.test(s.text) ? 1 : 0);
}

/** The sentence most like the others of its cluster (ties: the earliest journal). */
function representative(c: Cluster): Sentence {
  let best = c.sentences[0]!;
  let bestScore = -1;
  for (const s of c.sentences) {
    const score =
      c.sentences.reduce((sum, o) => sum + (o === s ? 0 : jaccard(s.words, o.words)), 0) +
      s.names.size * 0.01;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

function discrepanciesOf(c: Cluster): Consolidation['discrepancies'] {
  const out: Consolidation['discrepancies'] = [];
  if (c.sentences.length < 2) return out;
  // Numbers: the same unit with different values.
  const units = new Map<string, Map<number, Sentence[]>>();
  for (const s of c.sentences)
    for (const n of s.numbers) {
      const m = units.get(n.unit) ?? new Map<number, Sentence[]>();
      m.set(n.value, [...(m.get(n.value) ?? []), s]);
      units.set(n.unit, m);
    }
  for (const [unit, values] of units) {
    if (values.size < 2) continue;
    const about = [...representative(c).words]
      .filter((w) => w !== unit)
      .slice(0, 4)
      .join(' ');
    out.push({
      topic: `how many ${unit} (${about})`,
      claims: [...values.values()].flatMap((ss) => ss.map((s) => ({ journalId: s.journal, text: s.text }))),
    });
  }
  // Names: two journals each tell the event with a name the other lacks (one discrepancy per event).
  const named = c.sentences.filter((s) => s.names.size > 0);
  const involved = new Set<Sentence>();
  const contested = new Set<string>();
  let topic = '';
  for (let i = 0; i < named.length; i++)
    for (let k = i + 1; k < named.length; k++) {
      const a = named[i]!;
      const b = named[k]!;
      const onlyA = [...a.names].filter((n) => !b.names.has(n) && !b.words.has(stem(n)));
      const onlyB = [...b.names].filter((n) => !a.names.has(n) && !a.words.has(stem(n)));
      // The rest of the two sentences must say the same (else they tell different parts of the event).
      if (onlyA.length && onlyB.length && jaccard(strip(a), strip(b)) >= 0.5) {
        if (!topic) topic = `who: ${onlyA.join(' ')} or ${onlyB.join(' ')}`;
        for (const n of [...onlyA, ...onlyB]) contested.add(n);
        involved.add(a).add(b);
      }
    }
  // Journals that side with one of the contested names are claims too (however they word the rest).
  for (const s of named) if ([...s.names].some((n) => contested.has(n))) involved.add(s);
  if (topic)
    out.push({
      topic,
      claims: c.sentences.filter((s) => involved.has(s)).map((s) => ({ journalId: s.journal, text: s.text })),
    });
  return out;
}

export function consolidate(
  journals: readonly JournalInput[],
  opts: { session?: number; maxEvents?: number } = {},
): Consolidation {
  const sentences = analyse(journals);
  const clusters = cluster(sentences);
  const ranked = [...clusters].sort((a, b) => weight(b) - weight(a));
  const maxEvents = opts.maxEvents ?? 12;
  const events = ranked
    .filter(
      (c) => c.sentences.length > 1 || c.sentences[0]!.names.size > 0 || c.sentences[0]!.numbers.length > 0,
    )
    .slice(0, maxEvents);
  // An event cites the journals that tell it the same way (those that differ are in its discrepancy).
  const sourcesOf = (c: Cluster) => {
    const rep = representative(c);
    return [...new Set(c.sentences.filter((s) => agrees(rep, s)).map((s) => s.journal))];
  };
  const keyEvents = events.map((c) => ({ text: representative(c).text, sources: sourcesOf(c) }));
  const timeline = [...events]
    .map((c) => ({ c, at: c.sentences.reduce((s, x) => s + x.position, 0) / c.sentences.length }))
    .sort((a, b) => a.at - b.at)
    .map(({ c }, i) => {
      const rep = representative(c);
      const time = c.sentences.map((s) => TIME_RE.exec(s.text)?.[1]).find(Boolean);
      const when = `${opts.session !== undefined ? `session ${opts.session}, ` : ''}${time ? time.toLowerCase() : `#${i + 1}`}`;
      return { when, text: rep.text, sources: sourcesOf(c) };
    });
  const discrepancies = clusters.flatMap(discrepanciesOf);
  // The summary: the events told by the most journals, in story order, each sentence cited.
  const summarySources = timeline
    .filter((t) => keyEvents.slice(0, 6).some((k) => k.text === t.text))
    .map((t) => ({ text: t.text, sources: t.sources }));
  return {
    summary: summarySources.map((s) => s.text).join(' '),
    summarySources,
    keyEvents,
    timeline,
    discrepancies,
  };
}

/**
 * Whether `text` is supported by journal `j`: it is in the journal verbatim, or a sentence of the journal shares
 * its content words (Jaccard ≥ 0.34) and holds every name and every number `text` holds.
 */
export function supportedBy(text: string, j: JournalInput): boolean {
  const plain = plainText(j.text).replace(/\s+/g, ' ');
  if (plain.includes(text)) return true;
  const words = contentWords(text);
  const names = namesOf(text);
  const nums = numbersOf(text).map((n) => `${n.value} ${n.unit}`);
  return sentencesOf(j.text).some((s) => {
    const t = plainText(s.raw);
    const w = contentWords(t);
    if (jaccard(words, w) < 0.34) return false;
    const sn = namesOf(s.raw);
    for (const n of names) if (!sn.has(n) && !w.has(stem(n))) return false;
    const have = new Set(numbersOf(t).map((n) => `${n.value} ${n.unit}`));
    return nums.every((n) => have.has(n));
  });
}

/**
 * Check every item's sources against the journals (checked by code, not trusted from the writer): each item
 * needs at least one source, every source must be one of the journals, and each cited journal must support
 * the text (a claim must be in its journal verbatim). Returns the kept result and what was dropped.
 */
export function checkSources(
  result: Consolidation,
  journals: readonly JournalInput[],
): { result: Consolidation; unsupported: string[] } {
  const byId = new Map(journals.map((j) => [j.id, j]));
  const unsupported: string[] = [];
  const ok = (s: Sourced, what: string): boolean => {
    const good =
      s.sources.length > 0 &&
      s.sources.every((id) => {
        const j = byId.get(id);
        return j !== undefined && supportedBy(s.text, j);
      });
    if (!good) unsupported.push(`${what}: ${s.text}`);
    return good;
  };
  const summarySources = result.summarySources.filter((s) => ok(s, 'summary'));
  const keyEvents = result.keyEvents.filter((s) => ok(s, 'key event'));
  const timeline = result.timeline.filter((s) => ok(s, 'timeline'));
  const discrepancies = result.discrepancies.filter((d) => {
    const good =
      d.claims.length >= 2 &&
      new Set(d.claims.map((c) => c.journalId)).size >= 2 &&
      d.claims.every((c) => {
        const j = byId.get(c.journalId);
        return j !== undefined && plainText(j.text).replace(/\s+/g, ' ').includes(c.text);
      });
    if (!good) unsupported.push(`discrepancy: ${d.topic}`);
    return good;
  });
  return {
    result: {
      summary: summarySources.map((s) => s.text).join(' '),
      summarySources,
      keyEvents,
      timeline,
      discrepancies,
    },
    unsupported,
  };
}
