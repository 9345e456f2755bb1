/** The Graph screen's force layout (run in a Web Worker in the app; a plain function here) and its routes. */
import { describe, expect, it } from 'vitest';
import { forceLayout, LAYOUT_SIZE } from '../src/shared/graph-layout';
import { formatRoute, parseHash } from '../src/renderer/src/stores/ui';

function twoClusters() {
  // Nodes 0–9 form one tight group, 10–19 another, one edge between them.
  const source: number[] = [];
  const target: number[] = [];
  for (const base of [0, 10])
    for (let i = 0; i < 10; i++)
      for (let j = i + 1; j < 10; j++) {
        source.push(base + i);
        target.push(base + j);
      }
  source.push(0);
  target.push(10);
  return {
    n: 20,
    community: Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 : 2)),
    source,
    target,
    weight: source.map(() => 1),
  };
}

const dist = (o: { x: Float64Array; y: Float64Array }, a: number, b: number) =>
  Math.hypot(o.x[a]! - o.x[b]!, o.y[a]! - o.y[b]!);

describe('forceLayout', () => {
  it('puts linked nodes closer than unlinked ones, inside the square, the same way every time', () => {
    const input = twoClusters();
    const out = forceLayout(input);
    for (let i = 0; i < 20; i++) {
      expect(out.x[i]).toBeGreaterThanOrEqual(0);
      expect(out.x[i]).toBeLessThanOrEqual(LAYOUT_SIZE);
      expect(out.y[i]).toBeGreaterThanOrEqual(0);
      expect(out.y[i]).toBeLessThanOrEqual(LAYOUT_SIZE);
    }
    let inside = 0;
    let across = 0;
    for (let i = 1; i < 10; i++) {
      inside += dist(out, 1, i + (i === 1 ? 1 : 0));
      across += dist(out, 1, 10 + i);
    }
    expect(inside).toBeLessThan(across * 0.7);
    // No two nodes on one spot.
    for (let i = 0; i < 20; i++) for (let j = i + 1; j < 20; j++) expect(dist(out, i, j)).toBeGreaterThan(1);
    const again = forceLayout(input);
    expect([...again.x]).toEqual([...out.x]);
  });

  it('handles no node, one node and nodes without edges', () => {
    expect(forceLayout({ n: 0, community: [], source: [], target: [], weight: [] }).x.length).toBe(0);
    const one = forceLayout({ n: 1, community: [0], source: [], target: [], weight: [] });
    expect([one.x[0], one.y[0]]).toEqual([LAYOUT_SIZE / 2, LAYOUT_SIZE / 2]);
    const loose = forceLayout({ n: 5, community: [0, 0, 0, 0, 0], source: [], target: [], weight: [] });
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) expect(dist(loose, i, j)).toBeGreaterThan(10);
  });

  it('lays out 5,000 nodes and 30,000 edges (the bench graph’s size) with finite positions', () => {
    let s = 3;
    const r = () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 4294967296);
    const source: number[] = [];
    const target: number[] = [];
    for (let e = 0; e < 30_000; e++) {
      const a = Math.floor(r() * 5000);
      source.push(a);
      target.push((Math.floor(r() * 100) * 50 + (a % 50)) % 5000);
    }
    const out = forceLayout({
      n: 5000,
      community: Array.from({ length: 5000 }, (_, i) => i % 50),
      source,
      target,
      weight: source.map(() => 1),
      iterations: 20,
    });
    expect([...out.x, ...out.y].every(Number.isFinite)).toBe(true);
  });
});

describe('graph routes', () => {
  it.each([
    ['#/graph', { screen: 'graph', campaignId: null }],
    ['#/campaigns/c%201/graph', { screen: 'graph', campaignId: 'c 1' }],
  ] as const)('%s parses and formats back', (hash, want) => {
    const route = parseHash(hash);
    expect(route).toMatchObject(want);
    expect(formatRoute(route)).toBe(hash);
  });
});
