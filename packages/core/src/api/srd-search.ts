/** The SRD browser's index: one minisearch index over every content kind, fuzzy and prefix, with filters. */
import type { Content } from '@loreforge/rules-5e';
import MiniSearch from 'minisearch';
import type { SrdType } from './contract';

export interface SrdHit {
  type: SrdType;
  id: string;
  name: string;
  /** Spell level, class/subclass level 1, creature CR; null when the kind has none. */
  level: number | null;
  classes: string[];
  summary: string;
  score: number;
}

interface Doc {
  key: string;
  type: SrdType;
  id: string;
  name: string;
  level: number | null;
  classes: string[];
  summary: string;
  text: string;
}

function summaryOf(row: object): string {
  const s = (row as { summary?: unknown; description?: unknown }).summary;
  return typeof s === 'string' ? s : '';
}

function docsOf(content: Content): Doc[] {
  const out: Doc[] = [];
  const add = (type: SrdType, row: { id: string; name: string }, extra: Partial<Doc> = {}) => {
    const summary = extra.summary ?? summaryOf(row);
    out.push({
      key: `${type}:${row.id}`,
      type,
      id: row.id,
      name: row.name,
      level: extra.level ?? null,
      classes: extra.classes ?? [],
      summary,
      text: extra.text ?? summary,
    });
  };
  for (const s of content.spells.values())
    add('spell', s, {
      level: s.level,
      classes: [...s.classes],
      summary: `${s.level === 0 ? 'Cantrip' : `Level ${s.level}`} ${s.school}; ${s.castingTime}, ${s.range}${s.concentration ? ', concentration' : ''}`,
      text: `${s.school} ${s.classes.join(' ')}`,
    });
  for (const c of content.classes.values()) add('class', c, { classes: [c.id] });
  for (const c of content.subclasses.values()) add('subclass', c, { classes: [c.class] });
  for (const s of content.species.values()) add('species', s);
  for (const b of content.backgrounds.values()) add('background', b);
  for (const f of content.feats.values()) add('feat', f, { summary: summaryOf(f) || `${f.category} feat` });
  for (const i of content.items.values()) add('item', i, { summary: summaryOf(i) || i.kind, text: i.kind });
  for (const c of content.creatures.values())
    add('creature', c, {
      level: c.cr,
      summary: `${c.size} ${c.type}, CR ${crText(c.cr)}, AC ${c.ac}, HP ${c.hp.average}`,
      text: `${c.type} ${c.size}`,
    });
  return out;
}

export interface SrdIndex {
  search(q: { query: string; type?: SrdType; level?: number; class?: string; limit: number }): SrdHit[];
  /** Every level (spell level, CR, 1 for classes) present for a type and class, ascending: a filter's range. */
  levels(q: { type?: SrdType; class?: string }): number[];
  size: number;
}

/** 0.125 → "1/8", 0.25 → "1/4", 0.5 → "1/2"; other numbers as they are. */
export function crText(cr: number): string {
  return cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * How a name matches the query: 0 the same name, 1 the name starts with the query, 2 every query word starts a
 * word of the name (in order), 2.5 the whole name within a few typos, 3 anything else minisearch found (fuzzy,
 * other fields).
 */
export function nameTier(name: string, query: string): number {
  const n = norm(name);
  const q = norm(query);
  if (!q) return 3;
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const nw = n.split(' ');
  const qw = q.split(' ');
  let i = 0;
  for (const w of nw) if (i < qw.length && w.startsWith(qw[i] as string)) i++;
  if (i === qw.length) return 2;
  // A misspelt whole name ("longswrd") still beats a name that only shares a word with the query.
  return distance(n, q) <= Math.max(1, Math.floor(q.length / 4)) ? 2.5 : 3;
}

/** Levenshtein distance (short strings only: names and queries). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] as number;
}

export function buildSrdIndex(content: Content): SrdIndex {
  const docs = docsOf(content);
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const ms = new MiniSearch<Doc>({
    idField: 'key',
    fields: ['name', 'text', 'summary'],
    searchOptions: { boost: { name: 3 }, fuzzy: 0.2, prefix: true },
  });
  ms.addAll(docs);
  const hit = (d: Doc, score: number): SrdHit => ({
    type: d.type,
    id: d.id,
    name: d.name,
    level: d.level,
    classes: d.classes,
    summary: d.summary,
    score,
  });
  return {
    size: docs.length,
    search(q) {
      const keep = (d: Doc) =>
        (q.type === undefined || d.type === q.type) &&
        (q.level === undefined || d.level === q.level) &&
        (q.class === undefined || q.class === '' || d.classes.includes(q.class));
      const query = q.query.trim();
      if (!query) {
        return docs
          .filter(keep)
          .sort((a, b) => a.name.localeCompare(b.name))
          .slice(0, q.limit)
          .map((d) => hit(d, 0));
      }
      // Exact and prefix name matches first, then minisearch's relevance (fuzzy, other fields).
      return ms
        .search(query, { filter: (r) => keep(byKey.get(String(r.id)) as Doc) })
        .map((r, i) => ({ r, i, doc: byKey.get(String(r.id)) as Doc }))
        .map((x) => ({ ...x, tier: nameTier(x.doc.name, query) }))
        .sort(
          (a, b) => a.tier - b.tier || (a.tier < 3 ? a.doc.name.length - b.doc.name.length : 0) || a.i - b.i,
        )
        .slice(0, q.limit)
        .map((x) => hit(x.doc, x.r.score));
    },
    levels(q) {
      const set = new Set<number>();
      for (const d of docs)
        if (
          d.level !== null &&
          (q.type === undefined || d.type === q.type) &&
          (q.class === undefined || q.class === '' || d.classes.includes(q.class))
        )
          set.add(d.level);
      return [...set].sort((a, b) => a - b);
    },
  };
}
