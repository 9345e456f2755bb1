/**
 * The relationship graph (graphology): one undirected graph per campaign whose nodes are the mentionable
 * entities and whose edges join two entities by typed relations (`relate`, kept in the campaign's DM notes:
 * typed, weighted by attitude, valid between sessions) and by co-mentions (two entities mentioned in one
 * journal or page; weight = Σ 0.5^(age / half-life), so old co-mentions fade). Queries: neighbours to a depth,
 * shortest path, PageRank centrality, Louvain communities.
 */
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import { bidirectional } from 'graphology-shortest-path/unweighted.js';
import { RelationSchema } from '../docs/dmnotes-doc';
import { CoreError } from '../errors';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { writeDmNotesEntry } from './dm-notes';
import type { EntityMemory, EntityRow } from './entities';

export interface Relation {
  id: string;
  from: string;
  to: string;
  type: string;
  attitude?: number | undefined;
  since?: number | undefined;
  until?: number | undefined;
  author: string;
  createdAt: number;
}

export interface EdgeAttributes {
  weight: number;
  /** Typed relations on this pair (either direction). */
  relations: Relation[];
  /** Decayed co-mention weight. */
  coMention: number;
  /** Raw number of documents mentioning both. */
  coMentionCount: number;
}

export interface NodeAttributes {
  name: string;
  kind: string | null;
  entity: string;
}

export type MemoryGraph = UndirectedGraph<NodeAttributes, EdgeAttributes>;

export interface Neighbor {
  id: string;
  name: string;
  kind: string | null;
  /** Relation types on the edge that reached it (`co-mention` when only mentioned together). */
  relation: string;
  weight: number;
  depth: number;
  /** The node it was reached from. */
  via: string;
}

/** Half-life of a co-mention's weight. */
export const CO_MENTION_HALF_LIFE_DAYS = 90;
/** Weight of one typed relation (an explicit statement counts more than being mentioned together). */
export const RELATION_WEIGHT = 2;

export function relationWeight(r: { attitude?: number | undefined }): number {
  return RELATION_WEIGHT * (1 + Math.abs(r.attitude ?? 0) / 100);
}

function activeAt(
  r: { since?: number | undefined; until?: number | undefined },
  session: number | undefined,
): boolean {
  if (session === undefined) return true;
  return (r.since === undefined || r.since <= session) && (r.until === undefined || session <= r.until);
}

/**
 * Build a graph from plain inputs (also used by the bench): entities, relations, and co-mention groups (the
 * entity ids one document mentions, with the document's time).
 */
export function buildGraph(
  entities: readonly { id: string; name: string; kind: string | null; entity: string }[],
  relations: readonly Relation[],
  groups: readonly { ids: readonly string[]; at: number }[],
  opts: { now: number; session?: number },
): MemoryGraph {
  const g: MemoryGraph = new UndirectedGraph<NodeAttributes, EdgeAttributes>();
  const nodes = new Set<string>();
  for (const e of entities) {
    if (nodes.has(e.id)) continue;
    nodes.add(e.id);
    g.addNode(e.id, { name: e.name, kind: e.kind, entity: e.entity });
  }
  // Edges are gathered in a plain map first (one key per unordered pair), then added to the graph once each.
  const pairs = new Map<string, { a: string; b: string; attrs: EdgeAttributes }>();
  const edge = (a: string, b: string): EdgeAttributes | null => {
    if (a === b || !nodes.has(a) || !nodes.has(b)) return null;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let p = pairs.get(key);
    if (!p) {
      p = { a, b, attrs: { weight: 0, relations: [], coMention: 0, coMentionCount: 0 } };
      pairs.set(key, p);
    }
    return p.attrs;
  };
  for (const r of relations) {
    if (!activeAt(r, opts.session)) continue;
    const e = edge(r.from, r.to);
    if (!e) continue;
    e.relations.push(r);
    e.weight += relationWeight(r);
  }
  const halfLife = CO_MENTION_HALF_LIFE_DAYS * 86_400_000;
  for (const grp of groups) {
    const ids = [...new Set(grp.ids)];
    if (ids.length < 2) continue;
    const w = Math.pow(0.5, Math.max(0, opts.now - grp.at) / halfLife);
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const e = edge(ids[i]!, ids[j]!);
        if (!e) continue;
        e.coMention += w;
        e.coMentionCount += 1;
        e.weight += w;
      }
  }
  for (const { a, b, attrs } of pairs.values()) g.addEdge(a, b, attrs);
  return g;
}

function relationLabel(e: EdgeAttributes, from: string): string {
  if (e.relations.length === 0) return 'co-mention';
  return [...new Set(e.relations.map((r) => (r.from === from ? r.type : `${r.type} (of)`)))].join(', ');
}

export function neighbors(g: MemoryGraph, id: string, depth = 1): Neighbor[] {
  if (!g.hasNode(id)) throw new CoreError('not-found', `entity ${id}: not in the campaign's graph`);
  const seen = new Set([id]);
  const out: Neighbor[] = [];
  let frontier = [id];
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next: string[] = [];
    for (const n of frontier) {
      const here: Neighbor[] = [];
      g.forEachNeighbor(n, (m, attrs) => {
        if (seen.has(m)) return;
        const e = g.getEdgeAttributes(n, m);
        here.push({
          id: m,
          name: attrs.name,
          kind: attrs.kind,
          relation: relationLabel(e, n),
          weight: Math.round(e.weight * 1000) / 1000,
          depth: d,
          via: n,
        });
      });
      for (const h of here) {
        seen.add(h.id);
        next.push(h.id);
        out.push(h);
      }
    }
    frontier = next;
  }
  return out.sort((a, b) => a.depth - b.depth || b.weight - a.weight || a.name.localeCompare(b.name));
}

export function shortestPath(
  g: MemoryGraph,
  a: string,
  b: string,
): { id: string; name: string; relation?: string }[] {
  for (const [flag, id] of [
    ['A', a],
    ['B', b],
  ] as const)
    if (!g.hasNode(id))
      throw new CoreError('not-found', `${flag}: entity ${id} is not in the campaign's graph`);
  const path = bidirectional(g, a, b);
  if (!path)
    throw new CoreError(
      'not-found',
      `no connection between ${g.getNodeAttribute(a, 'name')} and ${g.getNodeAttribute(b, 'name')} (no relation or co-mention links them)`,
    );
  return path.map((id, i) => {
    const base = { id, name: g.getNodeAttribute(id, 'name') };
    if (i === 0) return base;
    return { ...base, relation: relationLabel(g.getEdgeAttributes(path[i - 1]!, id), path[i - 1]!) };
  });
}

export function centrality(g: MemoryGraph, top = 10) {
  if (g.size === 0) return [];
  const scores = pagerank(g, { getEdgeWeight: 'weight' });
  return Object.entries(scores)
    .filter(([id]) => g.degree(id) > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([id, score]) => ({
      id,
      name: g.getNodeAttribute(id, 'name'),
      kind: g.getNodeAttribute(id, 'kind'),
      score: Math.round(score * 1e6) / 1e6,
    }));
}

/** Louvain communities of the connected part (entities linked to nothing are left out), largest first. */
export function communities(g: MemoryGraph, seed = 1) {
  if (g.size === 0) return [];
  // A seeded generator keeps the answer stable from run to run.
  let s = seed >>> 0;
  const rng = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const parts = louvain(g, { getEdgeWeight: 'weight', rng });
  const groups = new Map<number, { id: string; name: string; kind: string | null }[]>();
  for (const [id, c] of Object.entries(parts)) {
    if (g.degree(id) === 0) continue;
    const list = groups.get(c) ?? [];
    list.push({ id, name: g.getNodeAttribute(id, 'name'), kind: g.getNodeAttribute(id, 'kind') });
    groups.set(c, list);
  }
  return [...groups.values()]
    .map((members) => members.sort((a, b) => a.name.localeCompare(b.name)))
    .sort((a, b) => b.length - a.length || a[0]!.name.localeCompare(b[0]!.name))
    .map((members, i) => ({ community: i + 1, size: members.length, members }));
}

export function createGraphMemory(engine: Engine, campaigns: CampaignsService, entities: EntityMemory) {
  async function relationsOf(campaignId: string): Promise<Relation[]> {
    const notes = await entities.dmNotesOf(campaignId);
    return Object.entries(notes?.relations ?? {}).map(([id, r]) => ({ id, ...r }));
  }

  async function coMentionGroups(campaignId: string): Promise<{ ids: string[]; at: number }[]> {
    const store = await engine.campaignStore(campaignId);
    const rows = await store.db
      .selectFrom('xrefs')
      .innerJoin('docs', 'docs.id', 'xrefs.from_id')
      .select(['xrefs.from_id as doc', 'xrefs.to_id as to', 'docs.created_at as at'])
      .where('xrefs.relation', '=', 'mentions')
      .execute();
    const byDoc = new Map<string, { ids: string[]; at: number }>();
    for (const r of rows) {
      const g = byDoc.get(r.doc) ?? { ids: [], at: r.at };
      g.ids.push(r.to);
      byDoc.set(r.doc, g);
    }
    // A lore page mentioning others is itself in the group.
    for (const [doc, g] of byDoc) if (!g.ids.includes(doc)) g.ids.push(doc);
    return [...byDoc.values()];
  }

  async function graph(campaignId: string, opts: { session?: number } = {}): Promise<MemoryGraph> {
    const cat: EntityRow[] = await entities.catalogue(campaignId);
    return buildGraph(cat, await relationsOf(campaignId), await coMentionGroups(campaignId), {
      now: engine.now(),
      ...(opts.session !== undefined ? { session: opts.session } : {}),
    });
  }

  async function campaignOf(id: string, field: string): Promise<string> {
    const home = await engine.library.home(id);
    if (!home) throw new CoreError('not-found', `${field}: entity ${id} not found in this data folder`);
    return home.campaign_id;
  }

  async function relate(input: {
    from: string;
    to: string;
    type: string;
    attitude?: number;
    since?: number;
    until?: number;
    campaign?: string;
  }): Promise<Relation> {
    const campaignId = input.campaign ?? (await campaignOf(input.from, 'A'));
    const cat = new Map((await entities.catalogue(campaignId)).map((e) => [e.id, e]));
    if (!cat.has(input.from))
      throw new CoreError('not-found', `A: entity ${input.from} is not in campaign ${campaignId}`);
    if (!cat.has(input.to))
      throw new CoreError('not-found', `B: entity ${input.to} is not in campaign ${campaignId}`);
    if (input.from === input.to) throw new CoreError('invalid-input', 'B: an entity cannot relate to itself');
    if (input.since !== undefined && input.until !== undefined && input.since > input.until)
      throw new CoreError('invalid-input', `until: session ${input.until} is before since (${input.since})`);
    const value = {
      from: input.from,
      to: input.to,
      type: input.type,
      ...(input.attitude !== undefined ? { attitude: input.attitude } : {}),
      ...(input.since !== undefined ? { since: input.since } : {}),
      ...(input.until !== undefined ? { until: input.until } : {}),
      author: engine.author,
      createdAt: engine.now(),
    };
    const parsed = RelationSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CoreError(
        'invalid-input',
        `${issue?.path.join('.') ?? 'relation'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const id = engine.ids();
    await writeDmNotesEntry(engine, campaigns, campaignId, 'relations', id, value);
    return { id, ...parsed.data };
  }

  return {
    graph,
    relate,
    relationsOf,
    async neighbors(id: string, opts: { depth?: number; session?: number } = {}) {
      return neighbors(await graph(await campaignOf(id, 'id'), opts), id, opts.depth ?? 1);
    },
    async path(a: string, b: string, opts: { session?: number } = {}) {
      const ca = await campaignOf(a, 'A');
      return shortestPath(await graph(ca, opts), a, b);
    },
    async central(campaignId: string, opts: { top?: number; session?: number } = {}) {
      await campaigns.get(campaignId);
      return centrality(await graph(campaignId, opts), opts.top ?? 10);
    },
    async communities(campaignId: string, opts: { session?: number } = {}) {
      await campaigns.get(campaignId);
      return communities(await graph(campaignId, opts));
    },
  };
}

export type GraphMemory = ReturnType<typeof createGraphMemory>;
