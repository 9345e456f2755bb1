/**
 * The relationship graph (graphology): one undirected graph per campaign whose nodes are the mentionable
 * entities and whose edges join two entities by typed relations (`relate`, kept in the campaign's DM notes:
 * typed, weighted by attitude, valid between sessions) and by co-mentions (two entities mentioned in one
 * journal or page; weight = Σ 0.5^(age / half-life), so old co-mentions fade). Queries: neighbours to a depth,
 * shortest path, PageRank centrality, Louvain communities.
 *
 * Speed (issue 10, `pnpm bench memory`): PageRank and Louvain run on a compact adjacency (CSR: typed arrays of
 * neighbour indexes and weights) made once per graph, and their results are kept with the graph; the service
 * keeps each campaign's graph (per session filter) until the change feed, a new document, another process's
 * write or a `relate` says it changed, so repeated queries neither re-read SQLite nor rebuild anything.
 */
import { UndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/unweighted.js';
import { RelationSchema } from '../docs/dmnotes-doc';
import { CoreError } from '../errors';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { writeDmNotesEntry } from './dm-notes';
import type { EntityMemory, EntityRow } from './entities';
import type { SearchMemory } from './search';

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

/** The entity ids one document mentions, with the document's creation time and its session (a journal's). */
export interface CoMentionGroup {
  ids: readonly string[];
  at: number;
  session?: number | undefined;
}

/**
 * Build a graph from plain inputs (also used by the bench): entities, relations, and co-mention groups (the
 * entity ids one document mentions, with the document's time). With `session`, only the relations valid at that
 * session and the co-mentions of documents up to it (documents without a session, such as lore pages, always)
 * are kept.
 */
export function buildGraph(
  entities: readonly { id: string; name: string; kind: string | null; entity: string }[],
  relations: readonly Relation[],
  groups: readonly CoMentionGroup[],
  opts: { now: number; session?: number | undefined },
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
    if (opts.session !== undefined && grp.session !== undefined && grp.session > opts.session) continue;
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
  // Keys given here: graphology's generated edge keys cost more than the rest of the build.
  let k = 0;
  for (const { a, b, attrs } of pairs.values()) g.addUndirectedEdgeWithKey(String(k++), a, b, attrs);
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

/**
 * The graph as compressed sparse rows: node `i` is `ids[i]`; its neighbours are `nbr[starts[i] .. starts[i+1])`
 * with edge weights `w[…]` (each undirected edge appears in both rows); `strength[i]` is the sum of its weights.
 */
export interface CompactGraph {
  ids: string[];
  starts: Int32Array;
  nbr: Int32Array;
  w: Float64Array;
  strength: Float64Array;
}

const compactCache = new WeakMap<MemoryGraph, CompactGraph>();
const scoreCache = new WeakMap<MemoryGraph, Float64Array>();
const communityCache = new WeakMap<MemoryGraph, Map<number, Int32Array>>();

/** The graph's CSR form, made once per graph (graphs are snapshots: nothing changes them once built). */
export function compact(g: MemoryGraph): CompactGraph {
  const hit = compactCache.get(g);
  if (hit) return hit;
  const n = g.order;
  const ids: string[] = new Array<string>(n);
  const index = new Map<string, number>();
  const starts = new Int32Array(n + 1);
  let i = 0;
  g.forEachNode((id) => {
    ids[i] = id;
    index.set(id, i);
    starts[i + 1] = starts[i]! + g.degree(id);
    i++;
  });
  const fill = starts.slice(0, n);
  const nbr = new Int32Array(starts[n]!);
  const w = new Float64Array(starts[n]!);
  const strength = new Float64Array(n);
  g.forEachEdge((_e, attrs, s, t) => {
    const a = index.get(s)!;
    const b = index.get(t)!;
    const x = attrs.weight;
    nbr[fill[a]!] = b;
    w[fill[a]!++] = x;
    nbr[fill[b]!] = a;
    w[fill[b]!++] = x;
    strength[a] = strength[a]! + x;
    strength[b] = strength[b]! + x;
  });
  const c: CompactGraph = { ids, starts, nbr, w, strength };
  compactCache.set(g, c);
  return c;
}

/**
 * Weighted PageRank (damping 0.85; a node without edges spreads its score evenly), power iteration until the
 * summed change is below `n × 1e-6` or 100 iterations, as graphology-metrics does, on the CSR arrays.
 */
export function pagerankScores(
  c: CompactGraph,
  alpha = 0.85,
  tolerance = 1e-6,
  maxIterations = 100,
): Float64Array {
  const n = c.ids.length;
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const { starts, nbr, w, strength } = c;
  // w / strength of the row's node, once.
  const norm = new Float64Array(w.length);
  const dangling: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = strength[i]!;
    if (s === 0) dangling.push(i);
    for (let j = starts[i]!; j < starts[i + 1]!; j++) norm[j] = w[j]! / s;
  }
  for (let it = 0; it < maxIterations; it++) {
    let dangle = 0;
    for (const d of dangling) dangle += x[d]!;
    const base = (alpha * dangle + 1 - alpha) / n;
    next.fill(base);
    for (let i = 0; i < n; i++) {
      const xi = alpha * x[i]!;
      for (let j = starts[i]!, end = starts[i + 1]!; j < end; j++)
        next[nbr[j]!] = next[nbr[j]!]! + xi * norm[j]!;
    }
    let err = 0;
    for (let i = 0; i < n; i++) err += Math.abs(next[i]! - x[i]!);
    [x, next] = [next, x];
    if (err < n * tolerance) return x;
  }
  return x;
}

/**
 * Louvain communities (modularity, resolution 1) on the CSR arrays: nodes move, in a seeded random order, to the
 * neighbouring community that gains the most modularity until none moves, then each community becomes one node
 * of the next level, until a level moves nothing. Returns each node's community (0-based, dense).
 */
export function louvainCommunities(c: CompactGraph, rng: () => number): Int32Array {
  const n0 = c.ids.length;
  // The level's graph: CSR without self-loops, plus `k` (strength, self-loops counted twice).
  let n = n0;
  let starts = c.starts;
  let nbr = c.nbr;
  let w = c.w;
  let k = Float64Array.from(c.strength);
  const m2 = k.reduce((a, b) => a + b, 0);
  const membership = new Int32Array(n0);
  for (let i = 0; i < n0; i++) membership[i] = i;
  if (m2 === 0) return membership;
  const neighW = new Float64Array(n0).fill(-1);
  const touched = new Int32Array(n0);
  for (let level = 0; level < 32; level++) {
    const comm = new Int32Array(n);
    const tot = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      comm[i] = i;
      tot[i] = k[i]!;
    }
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let movedAny = false;
    for (let pass = 0; pass < 100; pass++) {
      let moved = 0;
      for (let o = 0; o < n; o++) {
        const i = order[o]!;
        const ci = comm[i]!;
        const ki = k[i]!;
        let nt = 0;
        neighW[ci] = 0;
        touched[nt++] = ci;
        for (let j = starts[i]!, end = starts[i + 1]!; j < end; j++) {
          const cj = comm[nbr[j]!]!;
          if (neighW[cj]! < 0) {
            neighW[cj] = 0;
            touched[nt++] = cj;
          }
          neighW[cj] = neighW[cj]! + w[j]!;
        }
        tot[ci] = tot[ci]! - ki;
        let best = ci;
        let bestGain = neighW[ci]! - (tot[ci]! * ki) / m2;
        for (let t = 1; t < nt; t++) {
          const cc = touched[t]!;
          const gain = neighW[cc]! - (tot[cc]! * ki) / m2;
          if (gain > bestGain + 1e-12) {
            bestGain = gain;
            best = cc;
          }
        }
        tot[best] = tot[best]! + ki;
        for (let t = 0; t < nt; t++) neighW[touched[t]!] = -1;
        if (best !== ci) {
          comm[i] = best;
          moved++;
        }
      }
      if (moved === 0) break;
      movedAny = true;
    }
    if (!movedAny) break;
    // Renumber the communities densely and fold the original nodes' membership through them.
    const dense = new Int32Array(n).fill(-1);
    let nc = 0;
    for (let i = 0; i < n; i++) if (dense[comm[i]!]! < 0) dense[comm[i]!] = nc++;
    for (let i = 0; i < n; i++) comm[i] = dense[comm[i]!]!;
    for (let v = 0; v < n0; v++) membership[v] = comm[membership[v]!]!;
    // Aggregate: one node per community, edges summed, inner edges folded into `k` only.
    const count = new Int32Array(nc + 1);
    for (let i = 0; i < n; i++) count[comm[i]! + 1] = count[comm[i]! + 1]! + 1;
    for (let cc = 0; cc < nc; cc++) count[cc + 1] = count[cc + 1]! + count[cc]!;
    const members = new Int32Array(n);
    const pos = count.slice(0, nc);
    for (let i = 0; i < n; i++) members[pos[comm[i]!]!++] = i;
    const nStarts = new Int32Array(nc + 1);
    const nNbr: number[] = [];
    const nW: number[] = [];
    const nK = new Float64Array(nc);
    for (let cc = 0; cc < nc; cc++) {
      let nt = 0;
      for (let m = count[cc]!; m < count[cc + 1]!; m++) {
        const i = members[m]!;
        nK[cc] = nK[cc]! + k[i]!;
        for (let j = starts[i]!, end = starts[i + 1]!; j < end; j++) {
          const d = comm[nbr[j]!]!;
          if (d === cc) continue;
          if (neighW[d]! < 0) {
            neighW[d] = 0;
            touched[nt++] = d;
          }
          neighW[d] = neighW[d]! + w[j]!;
        }
      }
      for (let t = 0; t < nt; t++) {
        nNbr.push(touched[t]!);
        nW.push(neighW[touched[t]!]!);
        neighW[touched[t]!] = -1;
      }
      nStarts[cc + 1] = nNbr.length;
    }
    n = nc;
    starts = nStarts;
    nbr = Int32Array.from(nNbr);
    w = Float64Array.from(nW);
    k = nK;
  }
  return membership;
}

/** PageRank of every node of the graph (by CSR index), computed once per graph. */
export function pagerankOf(g: MemoryGraph): Float64Array {
  let s = scoreCache.get(g);
  if (!s) {
    s = pagerankScores(compact(g));
    scoreCache.set(g, s);
  }
  return s;
}

/** Louvain community (by CSR index) of every node, computed once per graph and seed. */
export function communitiesOf(g: MemoryGraph, seed = 1): Int32Array {
  let bySeed = communityCache.get(g);
  if (!bySeed) {
    bySeed = new Map();
    communityCache.set(g, bySeed);
  }
  let parts = bySeed.get(seed);
  if (!parts) {
    // A seeded generator keeps the answer stable from run to run.
    let s = seed >>> 0;
    const rng = () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 4294967296;
    };
    parts = louvainCommunities(compact(g), rng);
    bySeed.set(seed, parts);
  }
  return parts;
}

export function centrality(g: MemoryGraph, top = 10) {
  if (g.size === 0) return [];
  const c = compact(g);
  const scores = pagerankOf(g);
  const order: number[] = [];
  for (let i = 0; i < c.ids.length; i++) if (c.starts[i + 1]! > c.starts[i]!) order.push(i);
  return order
    .sort((x, y) => scores[y]! - scores[x]! || c.ids[x]!.localeCompare(c.ids[y]!))
    .slice(0, top)
    .map((i) => {
      const id = c.ids[i]!;
      return {
        id,
        name: g.getNodeAttribute(id, 'name'),
        kind: g.getNodeAttribute(id, 'kind'),
        score: Math.round(scores[i]! * 1e6) / 1e6,
      };
    });
}

/** Louvain communities of the connected part (entities linked to nothing are left out), largest first. */
export function communities(g: MemoryGraph, seed = 1) {
  if (g.size === 0) return [];
  const c = compact(g);
  const parts = communitiesOf(g, seed);
  const groups = new Map<number, { id: string; name: string; kind: string | null }[]>();
  for (let i = 0; i < c.ids.length; i++) {
    if (c.starts[i + 1] === c.starts[i]) continue;
    const id = c.ids[i]!;
    const list = groups.get(parts[i]!) ?? [];
    list.push({ id, name: g.getNodeAttribute(id, 'name'), kind: g.getNodeAttribute(id, 'kind') });
    groups.set(parts[i]!, list);
  }
  return [...groups.values()]
    .map((members) => members.sort((a, b) => a.name.localeCompare(b.name)))
    .sort((a, b) => b.length - a.length || a[0]!.name.localeCompare(b[0]!.name))
    .map((members, i) => ({ community: i + 1, size: members.length, members }));
}

/** What the app's graph view draws: the graph at a session (or all of it), with scores and communities. */
export interface GraphViewData {
  campaign: string;
  session: number | null;
  nodes: {
    id: string;
    name: string;
    kind: string | null;
    entity: string;
    degree: number;
    /** PageRank (0 for an entity linked to nothing). */
    score: number;
    /** Louvain community, 1 = the largest; 0 for an entity linked to nothing. */
    community: number;
  }[];
  edges: {
    source: string;
    target: string;
    weight: number;
    coMention: number;
    coMentionCount: number;
    relations: {
      type: string;
      from: string;
      to: string;
      attitude?: number;
      since?: number;
      until?: number;
    }[];
  }[];
  /** Every session number the campaign's journals and relations name, ascending (the time slider's stops). */
  sessions: number[];
  /** Whether this data folder holds the typed relations (the DM's notes); a player's graph is co-mentions only. */
  relations: boolean;
}

interface GraphInputs {
  catalogue: EntityRow[];
  relations: Relation[];
  groups: CoMentionGroup[];
  /** Whether the DM notes (typed relations) are in this data folder. */
  hasRelations: boolean;
}

interface CampaignGraphs {
  stamp: string;
  inputs: Promise<GraphInputs>;
  /** By session filter (`all` or the session number). */
  graphs: Map<string, MemoryGraph>;
}

/**
 * Document kinds whose changes can change the graph (entities, mentions, relations, the roster); a live session's
 * or a player's requests document never does, so live play does not drop the cache at every action.
 */
export const GRAPH_KINDS: ReadonlySet<string> = new Set([
  'campaign',
  'character',
  'item',
  'journal',
  'dmnotes',
  'lore',
]);

export function createGraphMemory(
  engine: Engine,
  campaigns: CampaignsService,
  entities: EntityMemory,
  search: SearchMemory,
) {
  async function relationsOf(campaignId: string): Promise<Relation[]> {
    const notes = await entities.dmNotesOf(campaignId);
    return Object.entries(notes?.relations ?? {}).map(([id, r]) => ({ id, ...r }));
  }

  async function coMentionGroups(campaignId: string): Promise<CoMentionGroup[]> {
    const store = await engine.campaignStore(campaignId);
    const rows = await store.db
      .selectFrom('xrefs')
      .innerJoin('docs', 'docs.id', 'xrefs.from_id')
      .select(['xrefs.from_id as doc', 'xrefs.to_id as to', 'docs.created_at as at'])
      .where('xrefs.relation', '=', 'mentions')
      .execute();
    // A journal's session comes from the search index's stored fields (no document opened).
    const ci = await search.indexFor(campaignId);
    const byDoc = new Map<string, { ids: string[]; at: number; session?: number }>();
    for (const r of rows) {
      let g = byDoc.get(r.doc);
      if (!g) {
        const session = ci.index.getStoredFields(r.doc)?.['session'];
        g = { ids: [], at: r.at, ...(typeof session === 'number' ? { session } : {}) };
        byDoc.set(r.doc, g);
      }
      g.ids.push(r.to);
    }
    // A lore page mentioning others is itself in the group.
    for (const [doc, g] of byDoc) if (!g.ids.includes(doc)) g.ids.push(doc);
    return [...byDoc.values()];
  }

  // The cache: one entry per campaign, dropped when the change feed names the campaign, when a document is
  // created or another process writes (the stamp), or by `relate`.
  const cache = new Map<string, CampaignGraphs>();
  let unsubscribe: (() => void) | null = null;

  async function stampOf(campaignId: string): Promise<string> {
    const raw = (await engine.campaignStore(campaignId)).opened.raw;
    const r = raw.prepare('SELECT max(rowid) AS r FROM docs').get() as { r: number | null };
    return `${r.r ?? 0}/${String(raw.pragma('data_version', { simple: true }))}`;
  }

  /** The campaign's cache entry, made anew when the stamp moved or the feed dropped it. */
  async function entryOf(campaignId: string): Promise<CampaignGraphs> {
    if (!unsubscribe)
      unsubscribe = engine.live.onChange((e) => {
        if (GRAPH_KINDS.has(e.kind)) cache.delete(e.campaign);
      });
    const stamp = await stampOf(campaignId);
    const hit = cache.get(campaignId);
    if (hit && hit.stamp === stamp) return hit;
    const inputs = (async (): Promise<GraphInputs> => {
      const catalogue = await entities.catalogue(campaignId);
      const notes = await entities.dmNotesOf(campaignId);
      return {
        catalogue,
        relations: Object.entries(notes?.relations ?? {}).map(([id, r]) => ({ id, ...r })),
        groups: await coMentionGroups(campaignId),
        hasRelations: notes !== null,
      };
    })();
    const c: CampaignGraphs = { stamp, inputs, graphs: new Map() };
    cache.set(campaignId, c);
    inputs.catch(() => {
      if (cache.get(campaignId) === c) cache.delete(campaignId);
    });
    return c;
  }

  /** The graph of one cache entry at a session (built from that entry's inputs, kept in it). */
  async function graphOf(c: CampaignGraphs, opts: { session?: number }): Promise<MemoryGraph> {
    const inputs = await c.inputs;
    const key = opts.session === undefined ? 'all' : String(opts.session);
    const hit = c.graphs.get(key);
    if (hit) return hit;
    const g = buildGraph(inputs.catalogue, inputs.relations, inputs.groups, {
      now: engine.now(),
      ...(opts.session !== undefined ? { session: opts.session } : {}),
    });
    c.graphs.set(key, g);
    return g;
  }

  async function graph(campaignId: string, opts: { session?: number } = {}): Promise<MemoryGraph> {
    return graphOf(await entryOf(campaignId), opts);
  }

  async function view(campaignId: string, opts: { session?: number } = {}): Promise<GraphViewData> {
    await campaigns.get(campaignId);
    const entry = await entryOf(campaignId);
    const g = await graphOf(entry, opts);
    const inputs = await entry.inputs;
    const c = compact(g);
    const linked = g.size > 0;
    const scores = linked ? pagerankOf(g) : new Float64Array(c.ids.length);
    // Communities numbered as `communities` numbers them (largest first).
    const numbered = new Map<string, number>();
    if (linked)
      for (const grp of communities(g)) for (const m of grp.members) numbered.set(m.id, grp.community);
    const sessions = new Set<number>();
    for (const grp of inputs.groups) if (grp.session !== undefined) sessions.add(grp.session);
    for (const r of inputs.relations) {
      if (r.since !== undefined) sessions.add(r.since);
      if (r.until !== undefined) sessions.add(r.until);
    }
    const entityOf = new Map(inputs.catalogue.map((e) => [e.id, e.entity]));
    return {
      campaign: campaignId,
      session: opts.session ?? null,
      nodes: c.ids.map((id, i) => ({
        id,
        name: g.getNodeAttribute(id, 'name'),
        kind: g.getNodeAttribute(id, 'kind'),
        entity: entityOf.get(id) ?? g.getNodeAttribute(id, 'entity'),
        degree: c.starts[i + 1]! - c.starts[i]!,
        score: c.starts[i + 1]! > c.starts[i]! ? Math.round(scores[i]! * 1e6) / 1e6 : 0,
        community: numbered.get(id) ?? 0,
      })),
      edges: g.mapEdges((_e, a, source, target) => ({
        source,
        target,
        weight: Math.round(a.weight * 1000) / 1000,
        coMention: Math.round(a.coMention * 1000) / 1000,
        coMentionCount: a.coMentionCount,
        relations: a.relations.map((r) => ({
          type: r.type,
          from: r.from,
          to: r.to,
          ...(r.attitude !== undefined ? { attitude: r.attitude } : {}),
          ...(r.since !== undefined ? { since: r.since } : {}),
          ...(r.until !== undefined ? { until: r.until } : {}),
        })),
      })),
      sessions: [...sessions].sort((a, b) => a - b),
      relations: inputs.hasRelations,
    };
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
    cache.delete(campaignId);
    return { id, ...parsed.data };
  }

  return {
    graph,
    view,
    relate,
    relationsOf,
    /** Stop following the change feed and drop the cached graphs. */
    close(): void {
      unsubscribe?.();
      unsubscribe = null;
      cache.clear();
    },
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
