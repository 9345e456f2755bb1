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
      summary: `${c.size} ${c.type}, CR ${c.cr}, AC ${c.ac}, HP ${c.hp.average}`,
      text: `${c.type} ${c.size}`,
    });
  return out;
}

export interface SrdIndex {
  search(q: { query: string; type?: SrdType; level?: number; class?: string; limit: number }): SrdHit[];
  size: number;
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
      return ms
        .search(query, { filter: (r) => keep(byKey.get(String(r.id)) as Doc) })
        .slice(0, q.limit)
        .map((r) => hit(byKey.get(String(r.id)) as Doc, r.score));
    },
  };
}
