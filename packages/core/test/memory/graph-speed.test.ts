/**
 * Issue 10, graph speed and the graph view: the CSR PageRank and Louvain agree with graphology's, results are kept
 * with the graph, the service keeps each campaign's graph until something changes, `--at` keeps the co-mentions
 * of journals up to that session, and `memory.graphView` returns what the app draws.
 */
import louvain from 'graphology-communities-louvain';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/api/invoke';
import { openTestBridge, type TestBridge } from '../bridge-helper';
import type { Core } from '../../src/index';
import {
  buildGraph,
  communitiesOf,
  compact,
  louvainCommunities,
  pagerankOf,
  pagerankScores,
  type GraphViewData,
  type Relation,
} from '../../src/memory/graph';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** 400 entities in 8 planted clusters, relations mostly inside a cluster, co-mention groups inside one. */
function plantedGraph() {
  const r = rng(7);
  const n = 400;
  const entities = Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    name: `E${i}`,
    kind: 'npc',
    entity: 'lore',
  }));
  const relations: Relation[] = [];
  for (let k = 0; k < 900; k++) {
    const a = Math.floor(r() * n);
    const b = r() < 0.9 ? (Math.floor(r() * (n / 8)) * 8 + (a % 8)) % n : Math.floor(r() * n);
    if (a !== b)
      relations.push({ id: `r${k}`, from: `e${a}`, to: `e${b}`, type: 'ally', author: 'dm', createdAt: 0 });
  }
  const groups = Array.from({ length: 200 }, () => {
    const c = Math.floor(r() * 8);
    return {
      ids: Array.from({ length: 3 }, () => `e${(Math.floor(r() * (n / 8)) * 8 + c) % n}`),
      at: 0,
    };
  });
  return buildGraph(entities, relations, groups, { now: 0 });
}

function modularity(c: ReturnType<typeof compact>, comm: (i: number) => number): number {
  let m2 = 0;
  for (const x of c.strength) m2 += x;
  let q = 0;
  const tot = new Map<number, number>();
  for (let i = 0; i < c.ids.length; i++) {
    tot.set(comm(i), (tot.get(comm(i)) ?? 0) + c.strength[i]!);
    for (let j = c.starts[i]!; j < c.starts[i + 1]!; j++) if (comm(c.nbr[j]!) === comm(i)) q += c.w[j]!;
  }
  q /= m2;
  for (const v of tot.values()) q -= (v / m2) ** 2;
  return q;
}

describe('PageRank and Louvain on the compact graph', () => {
  it('PageRank gives graphology-metrics’ scores', () => {
    const g = plantedGraph();
    const c = compact(g);
    const mine = pagerankScores(c);
    const theirs = pagerank(g, { getEdgeWeight: 'weight' });
    let sum = 0;
    for (let i = 0; i < c.ids.length; i++) {
      expect(mine[i]).toBeCloseTo(theirs[c.ids[i]!]!, 6);
      sum += mine[i]!;
    }
    expect(sum).toBeCloseTo(1, 6);
  });

  it('Louvain finds the planted clusters as well as graphology’s Louvain does, and is stable per seed', () => {
    const g = plantedGraph();
    const c = compact(g);
    const mine = louvainCommunities(c, rng(1));
    const theirs = louvain(g, { getEdgeWeight: 'weight', rng: rng(1) });
    const qMine = modularity(c, (i) => mine[i]!);
    const qTheirs = modularity(c, (i) => theirs[c.ids[i]!]!);
    expect(qMine).toBeGreaterThan(0.5);
    expect(qMine).toBeGreaterThanOrEqual(qTheirs - 0.02);
    // Most nodes of a planted cluster (i mod 8) share one community.
    for (let k = 0; k < 8; k++) {
      const counts = new Map<number, number>();
      for (let i = k; i < 400; i += 8) counts.set(mine[i]!, (counts.get(mine[i]!) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(40);
    }
    expect([...louvainCommunities(c, rng(1))]).toEqual([...mine]);
  });

  it('keeps the results with the graph (computed once per graph)', () => {
    const g = plantedGraph();
    expect(compact(g)).toBe(compact(g));
    expect(pagerankOf(g)).toBe(pagerankOf(g));
    expect(communitiesOf(g)).toBe(communitiesOf(g));
    expect(communitiesOf(g, 2)).not.toBe(communitiesOf(g));
  });

  it('leaves a graph without edges alone', () => {
    const g = buildGraph([{ id: 'a', name: 'A', kind: null, entity: 'lore' }], [], [], { now: 0 });
    expect([...louvainCommunities(compact(g), rng(1))]).toEqual([0]);
  });
});

describe('the graph service', () => {
  let bridge: TestBridge;
  let core: Core;
  let handlers: TestBridge['handlers'];
  let call: TestBridge['call'];
  beforeEach(async () => {
    ({ core, handlers, call } = bridge = await openTestBridge());
  });
  afterEach(() => bridge.close());
  const settle = () => new Promise((r) => setTimeout(r, 30));

  it('keeps a campaign’s graph until the feed, a new document or relate changes it', async () => {
    const campaign = (await core.campaigns.create({ name: 'Cache' })).id;
    const m = core.memory;
    const duke = (await m.entities.create(campaign, { kind: 'npc', name: 'Duke Varo' })).id;
    const keep = (await m.entities.create(campaign, { kind: 'location', name: 'Black Keep' })).id;
    const g1 = await m.graph.graph(campaign);
    expect(await m.graph.graph(campaign)).toBe(g1);
    expect(g1.size).toBe(0);
    // A new journal (a new document) mentioning both: a new graph with the co-mention.
    const text = (await m.entities.prepareText(campaign, '@Varo rode to the @"Black Keep".')).text;
    const j = await core.journals.create(campaign, { title: 'S1', text, session: 1 });
    await settle();
    const g2 = await m.graph.graph(campaign);
    expect(g2).not.toBe(g1);
    expect(g2.hasEdge(duke, keep)).toBe(true);
    expect(await m.graph.graph(campaign)).toBe(g2);
    // An edit of an existing journal reaches the graph through the change feed.
    const mira = (await m.entities.create(campaign, { kind: 'npc', name: 'Mira' })).id;
    await m.graph.graph(campaign);
    const edited = (await m.entities.prepareText(campaign, `${text} @Mira watched.`)).text;
    await core.journals.edit(j.id, { text: edited });
    await settle();
    const g3 = await m.graph.graph(campaign);
    expect(g3.hasEdge(duke, mira)).toBe(true);
    // relate: at once.
    await m.graph.relate({ from: mira, to: keep, type: 'located-in' });
    const g4 = await m.graph.graph(campaign);
    expect(g4).not.toBe(g3);
    expect(g4.getEdgeAttributes(mira, keep).relations.map((r) => r.type)).toEqual(['located-in']);
    // A live session document changing (live play) does not drop it.
    const session = await core.campaigns.createSession(campaign, { number: 1 });
    const g5 = await m.graph.graph(campaign);
    const handle = await core.live.open({ campaign, kind: 'session', docId: session.id });
    let events = 0;
    const off = core.live.onChange((e) => {
      if (e.kind === 'session') events++;
    });
    try {
      handle.doc.getMap('probe').set('round', 2);
      await core.live.flush();
      await settle();
    } finally {
      off();
      handle.release();
    }
    expect(events).toBeGreaterThan(0);
    expect(await m.graph.graph(campaign)).toBe(g5);
  });

  it('graphView: nodes with kinds, scores and communities, typed and co-mention edges, sessions, --at', async () => {
    const campaign = (await core.campaigns.create({ name: 'View' })).id;
    const m = core.memory;
    const make = async (kind: string, name: string) => (await m.entities.create(campaign, { kind, name })).id;
    const duke = await make('npc', 'Duke Varo');
    const council = await make('faction', 'Iron Council');
    const keep = await make('location', 'Black Keep');
    const pete = await make('npc', 'Sly Pete');
    await make('note', 'Unlinked');
    const journal = async (session: number, t: string) =>
      core.journals.create(campaign, {
        title: `S${session}`,
        text: (await m.entities.prepareText(campaign, t)).text,
        session,
      });
    await journal(1, '@Varo rode to the @"Black Keep".');
    await journal(3, '@"Sly Pete" hid in the @"Black Keep".');
    await m.graph.relate({ from: duke, to: council, type: 'member-of', since: 2, until: 4, attitude: 50 });
    await settle();

    const all = await call<GraphViewData>('memory.graphView', { campaign });
    expect(all.relations).toBe(true);
    expect(all.sessions).toEqual([1, 2, 3, 4]);
    expect(all.nodes.map((n) => n.name).sort()).toEqual([
      'Black Keep',
      'Duke Varo',
      'Iron Council',
      'Sly Pete',
      'Unlinked',
    ]);
    const node = (id: string) => all.nodes.find((n) => n.id === id)!;
    expect(node(council).kind).toBe('faction');
    expect(node(keep).degree).toBe(2);
    expect(node(keep).score).toBeGreaterThan(node(pete).score);
    expect(all.nodes.find((n) => n.name === 'Unlinked')).toMatchObject({ degree: 0, score: 0, community: 0 });
    expect(node(duke).community).toBeGreaterThan(0);
    const edge = (a: string, b: string, v: GraphViewData) =>
      v.edges.find((e) => (e.source === a && e.target === b) || (e.source === b && e.target === a));
    expect(edge(duke, council, all)!.relations).toEqual([
      { type: 'member-of', from: duke, to: council, attitude: 50, since: 2, until: 4 },
    ]);
    expect(edge(duke, keep, all)).toMatchObject({ coMentionCount: 1, relations: [] });

    // At session 1: the relation is not yet valid and the session-3 journal is not yet written.
    const at1 = await call<GraphViewData>('memory.graphView', { campaign, at: 1 });
    expect(at1.session).toBe(1);
    expect(edge(duke, council, at1)).toBeUndefined();
    expect(edge(pete, keep, at1)).toBeUndefined();
    expect(edge(duke, keep, at1)).toBeDefined();
    const at3 = await call<GraphViewData>('memory.graphView', { campaign, at: 3 });
    expect(edge(duke, council, at3)).toBeDefined();
    expect(edge(pete, keep, at3)).toBeDefined();
    const at5 = await call<GraphViewData>('memory.graphView', { campaign, at: 5 });
    expect(edge(duke, council, at5)).toBeUndefined();
    // The CLI's --at follows the same rule.
    await expect(m.graph.path(pete, duke, { session: 1 })).rejects.toThrow(/no connection/);
    expect((await m.graph.path(pete, duke, { session: 3 })).map((p) => p.id)).toEqual([pete, keep, duke]);

    const bad = await invokeHandler(handlers, 'memory.graphView', { campaign, at: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/at/);
  });
});
