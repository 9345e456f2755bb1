/**
 * Search over a campaign's content (journals, lore, characters, items, sessions) and, on request, the SRD: one
 * minisearch index per campaign with prefix and fuzzy matching, facets (kind, session, author) and snippets.
 * The index is kept incrementally: documents the live change feed reports are re-indexed before the next query,
 * and on open the persisted index (`<dataDir>/memory/search-<campaign>.json`) is caught up by comparing each
 * document's projection `updated_at` with the one it was indexed at — a cold start never rebuilds from scratch.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import MiniSearch, { type SearchResult } from 'minisearch';
import type { SrdIndex } from '../api/srd-search';
import { rawJson } from '../docs/doc-type';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { dmNotesStorageId } from '../live/types';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { DocSession } from '../store/doc-session';
import { plainText } from './mention-syntax';

export interface SearchDoc {
  id: string;
  /** The document kind (`journal`, `dmnotes`, `lore`, `character`, `item`, `session`). */
  entity?: string;
  /** journal, private (a DM-only journal), location/faction/… (lore), pc/npc/monster, item, session. */
  kind: string;
  name: string;
  text: string;
  aliases?: string;
  tags?: string;
  session?: number;
  author?: string;
}

export interface SearchHit {
  id: string;
  kind: string;
  name: string;
  score: number;
  snippet: string;
  session?: number;
  author?: string;
}

export interface SearchFilters {
  kind?: string;
  session?: number;
  author?: string;
}

export interface Facets {
  kind: Record<string, number>;
  session: Record<string, number>;
  author: Record<string, number>;
}

const FORMAT = 3;
/** Least time between two saves of a campaign's index while it keeps changing. */
export const PERSIST_EVERY_MS = 30_000;
const TEXT_LIMIT = 20_000;

export function createIndex(): MiniSearch<SearchDoc> {
  return new MiniSearch<SearchDoc>(indexOptions);
}

/** Words too common to search by (they match nearly every journal and only slow a query down). */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from had has have he her his i if in into is it its of on or our she so than that the their them then there they this to was we were what when where which who will with you'.split(
    ' ',
  ),
);

/** Lower case, accents folded; stop words dropped (in documents and queries alike). */
function processTerm(term: string): string | null {
  const t = term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return STOP_WORDS.has(t) ? null : t;
}

export const indexOptions = {
  fields: ['name', 'aliases', 'tags', 'text'],
  processTerm,
  storeFields: ['kind', 'entity', 'name', 'aliases', 'tags', 'session', 'author', 'text'],
  searchOptions: {
    boost: { name: 4, aliases: 3, tags: 2 },
    // Prefixes from 3 letters (2-letter prefixes match a large share of the vocabulary and cost the most).
    prefix: (term: string) => term.length >= 3,
    // One typo from 4 letters, two from 9 ("Saltmrsh" finds "Saltmarsh").
    fuzzy: (term: string) => (term.length >= 9 ? 2 : term.length >= 4 ? 1 : 0),
    combineWith: 'AND' as const,
  },
};

/** The sentence(s) best covering the matched terms, ≤ 200 characters. */
export function snippetOf(text: string, terms: readonly string[], max = 200): string {
  const plain = plainText(text).replace(/\s+/g, ' ').trim();
  if (!plain) return '';
  const lower = plain.toLowerCase();
  let best = -1;
  for (const t of terms) {
    const at = lower.indexOf(t.toLowerCase());
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  if (best < 0) return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
  const dot = plain.lastIndexOf('. ', best);
  const sentenceStart = dot < 0 ? 0 : dot + 2;
  const start = best - sentenceStart > max / 2 ? Math.max(0, best - 60) : sentenceStart;
  const out = plain.slice(start, start + max);
  return `${start > 0 && start !== sentenceStart ? '…' : ''}${out}${start + max < plain.length ? '…' : ''}`;
}

export function facetsOf(results: readonly SearchResult[]): Facets {
  const f: Facets = { kind: {}, session: {}, author: {} };
  for (const r of results) {
    const k = String(r['kind']);
    f.kind[k] = (f.kind[k] ?? 0) + 1;
    if (typeof r['session'] === 'number')
      f.session[String(r['session'])] = (f.session[String(r['session'])] ?? 0) + 1;
    if (typeof r['author'] === 'string' && r['author'])
      f.author[r['author']] = (f.author[r['author']] ?? 0) + 1;
  }
  return f;
}

/** Share of the documents above which a word is too common to narrow an AND query (its IDF is near zero). */
export const COMMON_TERM_SHARE = 0.1;

/**
 * Drop words found in more than `COMMON_TERM_SHARE` of the documents from a query of several words when at least
 * one selective word remains: they barely change the ranking, but scoring them means materialising most of the
 * index (the cost that grows with the campaign). Document frequencies come from the index's own term map.
 */
export function selective(index: MiniSearch<SearchDoc>, q: string): string {
  const words = q.split(/[^\p{L}\p{N}_'-]+/u).filter((w) => w && processTerm(w) !== null);
  if (words.length < 2 || index.documentCount < 1000) return q;
  const terms = (
    index as unknown as { _index: { get(t: string): Map<number, Map<number, number>> | undefined } }
  )._index;
  const limit = index.documentCount * COMMON_TERM_SHARE;
  const df = (w: string): number => {
    const fields = terms.get(processTerm(w)!);
    let n = 0;
    if (fields) for (const docs of fields.values()) n = Math.max(n, docs.size);
    return n;
  };
  const kept = words.filter((w) => df(w) <= limit);
  return kept.length > 0 && kept.length < words.length ? kept.join(' ') : q;
}

/** Run a query on an index: filters, facets (before the kind/session/author filters narrow), snippets. */
export function query(
  index: MiniSearch<SearchDoc>,
  q: string,
  filters: SearchFilters = {},
  limit = 20,
): { hits: SearchHit[]; facets: Facets; total: number } {
  const all = index.search(selective(index, q));
  const facets = facetsOf(all);
  const kept = all.filter(
    (r) =>
      (filters.kind === undefined || r['kind'] === filters.kind) &&
      (filters.session === undefined || r['session'] === filters.session) &&
      (filters.author === undefined || r['author'] === filters.author),
  );
  const hits = kept.slice(0, limit).map((r) => ({
    id: String(r.id),
    kind: String(r['kind']),
    name: String(r['name']),
    score: Math.round(r.score * 1000) / 1000,
    snippet: snippetOf(String(r['text'] ?? ''), r.terms),
    ...(typeof r['session'] === 'number' ? { session: r['session'] } : {}),
    ...(typeof r['author'] === 'string' && r['author'] ? { author: r['author'] } : {}),
  }));
  return { hits, facets, total: kept.length };
}

/** Every string of a JSON value (document content without its meta), joined, for full-text indexing. */
function stringsOf(v: unknown, out: string[], depth = 0): void {
  if (out.length > 2000 || depth > 12) return;
  if (typeof v === 'string') {
    if (v && !/^[0-9a-f-]{36}$/i.test(v)) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) stringsOf(x, out, depth + 1);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v))
      if (k !== 'meta' && k !== 'provenance') stringsOf(x, out, depth + 1);
}

/** The search document of one stored document (null: not searchable, e.g. the campaign's own DM notes). */
export function searchDocOf(
  entity: string,
  id: string,
  json: JsonObject,
  projection: { name: string; kind: string | null },
): SearchDoc | null {
  const doc = searchDocBody(entity, id, json, projection);
  return doc ? { ...doc, entity } : null;
}

function searchDocBody(
  entity: string,
  id: string,
  json: JsonObject,
  projection: { name: string; kind: string | null },
): SearchDoc | null {
  const cap = (s: string) => plainText(s).slice(0, TEXT_LIMIT);
  const session = typeof json['session'] === 'number' ? json['session'] : undefined;
  const base = (d: SearchDoc): SearchDoc => ({ ...d, ...(session !== undefined ? { session } : {}) });
  switch (entity) {
    case 'journal':
      return base({
        id,
        kind: 'journal',
        name: String(json['title'] ?? projection.name),
        text: cap(String(json['text'] ?? '')),
        author: String(json['author'] ?? ''),
      });
    case 'dmnotes': {
      const j = json['journal'] as JsonObject | undefined;
      if (!j) return null;
      return {
        id,
        kind: 'private',
        name: String(j['title'] ?? ''),
        text: cap(String(json['text'] ?? '')),
        author: String(j['author'] ?? ''),
        ...(typeof j['session'] === 'number' ? { session: j['session'] } : {}),
      };
    }
    case 'lore':
      return base({
        id,
        kind: String(json['kind'] ?? 'note'),
        name: String(json['name'] ?? projection.name),
        text: cap(String(json['text'] ?? '')),
        aliases: ((json['aliases'] ?? []) as string[]).join(' | '),
        tags: ((json['tags'] ?? []) as string[]).join(' | '),
      });
    case 'character':
    case 'item':
    case 'session': {
      const parts: string[] = [];
      stringsOf(entity === 'character' ? { narrative: json['narrative'], kind: json['kind'] } : json, parts);
      return base({
        id,
        kind: entity === 'character' ? (projection.kind ?? 'character') : entity,
        name: projection.name,
        text: cap(parts.join('. ')),
      });
    }
    default:
      return null;
  }
}

export interface CampaignIndex {
  index: MiniSearch<SearchDoc>;
  /** Document id → projection `updated_at` it was indexed at (0: indexed as not searchable). */
  indexed: Map<string, number>;
  dirty: Set<string>;
  changed: boolean;
  /** Documents (re)indexed since this index was opened (0 after a cold start with nothing new). */
  reindexed: number;
  /** Whether it was loaded from the saved file. */
  loaded: boolean;
  /** When it was last saved (ms since the epoch; 0: never). */
  savedAt: number;
  /** Last seen `max(rowid)` of `docs` and `PRAGMA data_version`: a new document, or another process's write. */
  stamp: string;
}

export function createSearchMemory(engine: Engine, campaigns: CampaignsService) {
  const open = new Map<string, Promise<CampaignIndex>>();
  const ready = new Map<string, CampaignIndex>();
  let unsubscribe: (() => void) | null = null;

  const fileOf = (campaignId: string): string | null => {
    const lib = engine.backend.libraryFile();
    return lib === ':memory:' ? null : join(dirname(lib), 'memory', `search-${campaignId}.json`);
  };

  function load(campaignId: string): CampaignIndex {
    const file = fileOf(campaignId);
    if (file && existsSync(file)) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as {
          format: number;
          indexed: [string, number][];
          index: unknown;
        };
        if (saved.format === FORMAT) {
          return {
            index: MiniSearch.loadJS<SearchDoc>(saved.index as never, indexOptions),
            indexed: new Map(saved.indexed),
            dirty: new Set(),
            changed: false,
            reindexed: 0,
            loaded: true,
            savedAt: 0,
            stamp: '',
          };
        }
      } catch (err) {
        engine.log.warn('search: the saved index could not be read; rebuilding', { file, err: String(err) });
      }
    }
    return {
      index: createIndex(),
      indexed: new Map(),
      dirty: new Set(),
      changed: true,
      reindexed: 0,
      loaded: false,
      savedAt: 0,
      stamp: '',
    };
  }

  /**
   * Save the index (after its first catch-up; then at most every `PERSIST_EVERY_MS` while changes come, and at
   * `close`): a large campaign's index is tens of megabytes, not rewritten after every edit.
   */
  function persist(campaignId: string, ci: CampaignIndex, force = false): void {
    const file = fileOf(campaignId);
    if (!file || !ci.changed) return;
    const now = Date.now();
    if (!force && now - ci.savedAt < PERSIST_EVERY_MS) return;
    ci.savedAt = now;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ format: FORMAT, indexed: [...ci.indexed], index: ci.index.toJSON() }),
    );
    renameSync(tmp, file);
    ci.changed = false;
  }

  async function reindex(campaignId: string, ci: CampaignIndex, only?: ReadonlySet<string>): Promise<number> {
    const store = await engine.campaignStore(campaignId);
    let q = store.db
      .selectFrom('entities')
      .innerJoin('docs', 'docs.id', 'entities.id')
      .select([
        'entities.id',
        'entities.entity',
        'entities.kind',
        'entities.name',
        'entities.updated_at',
        'docs.default_branch',
      ]);
    if (only) q = q.where('entities.id', 'in', [...only]);
    const rows = await q.execute();
    const notes = dmNotesStorageId(campaignId);
    let n = 0;
    const present = new Set<string>();
    for (const r of rows) {
      present.add(r.id);
      if (r.id === notes || r.entity === 'campaign' || r.entity === 'intents') continue;
      if (!only && ci.indexed.get(r.id) === r.updated_at) continue;
      const s = await DocSession.open(store, r.id, r.default_branch);
      let doc: SearchDoc | null;
      try {
        doc = searchDocOf(r.entity, r.id, rawJson(s.doc), { name: r.name, kind: r.kind });
      } finally {
        s.dispose();
      }
      if (ci.index.has(r.id)) ci.index.discard(r.id);
      if (doc) ci.index.add(doc);
      ci.indexed.set(r.id, r.updated_at);
      ci.changed = true;
      ci.reindexed++;
      n++;
    }
    // Documents gone from the campaign (or, for a partial pass, the ones asked for that are gone).
    for (const id of only ?? [...ci.indexed.keys()]) {
      if (present.has(id)) continue;
      if (ci.index.has(id)) ci.index.discard(id);
      ci.indexed.delete(id);
      ci.changed = true;
    }
    return n;
  }

  /**
   * Cheap "did anything change outside the feed?" check: documents created here (creation is not on the live
   * feed) raise `max(rowid)` of `docs`; another process's commit raises `PRAGMA data_version`.
   */
  async function stampOf(campaignId: string): Promise<string> {
    const store = await engine.campaignStore(campaignId);
    const raw = store.opened.raw;
    const r = raw.prepare('SELECT max(rowid) AS r FROM docs').get() as { r: number | null };
    return `${r.r ?? 0}/${String(raw.pragma('data_version', { simple: true }))}`;
  }

  function subscribe(): void {
    if (unsubscribe) return;
    unsubscribe = engine.live.onChange((e) => {
      const p = open.get(e.campaign);
      if (p)
        void p.then((ci) =>
          ci.dirty.add(e.kind === 'dmnotes' && e.id === e.campaign ? dmNotesStorageId(e.campaign) : e.id),
        );
    });
  }

  /** The campaign's index, caught up with every change stored since it was saved. */
  async function indexFor(campaignId: string): Promise<CampaignIndex> {
    subscribe();
    let p = open.get(campaignId);
    if (!p) {
      p = (async () => {
        await campaigns.get(campaignId);
        const ci = load(campaignId);
        ci.stamp = await stampOf(campaignId);
        await reindex(campaignId, ci);
        persist(campaignId, ci, true);
        ready.set(campaignId, ci);
        return ci;
      })();
      open.set(campaignId, p);
      p.catch(() => open.delete(campaignId));
    }
    const ci = await p;
    const stamp = await stampOf(campaignId);
    if (stamp !== ci.stamp) {
      ci.stamp = stamp;
      ci.dirty.clear();
      await reindex(campaignId, ci);
      persist(campaignId, ci);
    }
    if (ci.dirty.size) {
      const dirty = new Set(ci.dirty);
      ci.dirty.clear();
      await reindex(campaignId, ci, dirty);
      persist(campaignId, ci);
    }
    return ci;
  }

  let srd: SrdIndex | null = null;

  return {
    indexFor,
    async search(
      campaignId: string,
      q: string,
      opts: SearchFilters & { limit?: number; srd?: boolean } = {},
    ): Promise<{ hits: SearchHit[]; facets: Facets; total: number }> {
      if (!q.trim()) throw new CoreError('invalid-input', 'query: must not be empty');
      const ci = await indexFor(campaignId);
      const res = query(ci.index, q, opts, opts.limit ?? 20);
      if (!opts.srd) return res;
      if (!srd) {
        const { buildSrdIndex } = await import('../api/srd-search');
        const { loadSrdContent } = await import('../content/load-srd');
        srd = buildSrdIndex(loadSrdContent());
      }
      const srdHits = srd.search({ query: q, limit: opts.limit ?? 20 });
      const top = Math.max(1, ...res.hits.map((h) => h.score));
      const srdTop = Math.max(1, ...srdHits.map((h) => h.score));
      const merged = [
        ...res.hits.map((h) => ({ h, n: h.score / top })),
        ...srdHits
          .filter((h) => opts.kind === undefined || `srd-${h.type}` === opts.kind)
          .map((h) => ({
            h: {
              id: h.id,
              kind: `srd-${h.type}`,
              name: h.name,
              score: Math.round(h.score * 1000) / 1000,
              snippet: h.summary,
            },
            n: h.score / srdTop,
          })),
      ]
        .sort((a, b) => b.n - a.n)
        .slice(0, opts.limit ?? 20)
        .map((x) => x.h);
      for (const h of srdHits) res.facets.kind[`srd-${h.type}`] = (res.facets.kind[`srd-${h.type}`] ?? 0) + 1;
      return { hits: merged, facets: res.facets, total: res.total + srdHits.length };
    },
    /** Stop following the feed and save every index with unsaved changes. */
    close(): void {
      unsubscribe?.();
      unsubscribe = null;
      for (const [campaignId, ci] of ready) {
        try {
          persist(campaignId, ci, true);
        } catch (err) {
          engine.log.warn('search: the index could not be saved', { campaignId, err: String(err) });
        }
      }
    },
  };
}

export type SearchMemory = ReturnType<typeof createSearchMemory>;
