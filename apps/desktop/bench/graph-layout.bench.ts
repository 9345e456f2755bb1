/**
 * The Graph screen's force layout (`pnpm bench graph-layout`): the time `forceLayout` takes for campaign graphs of
 * 200, 1,000 and 5,000 entities (about six links each, clustered in 50 groups as the memory bench's graph). In the
 * app it runs in a Web Worker, so this is how long the drawing takes to appear, not time the page is blocked.
 * `LOREFORGE_BENCH_SCALE=0.1` runs one sample per size.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { forceLayout } from '../src/shared/graph-layout';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

function graph(n: number) {
  let s = 7;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 4294967296);
  const source: number[] = [];
  const target: number[] = [];
  for (let e = 0; e < n * 6; e++) {
    const a = Math.floor(r() * n);
    source.push(a);
    target.push((Math.floor(r() * Math.max(1, n / 50)) * 50 + (a % 50)) % n);
  }
  return {
    n,
    community: Array.from({ length: n }, (_, i) => i % 50),
    source,
    target,
    weight: source.map(() => 1 + r() * 3),
  };
}

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const samples = scale < 1 ? 1 : 3;
  const out: BenchResult[] = [];
  // One untimed run (the worker in a long session has compiled it by its second graph).
  forceLayout(graph(200));
  for (const n of [200, 1000, 5000]) {
    const input = graph(n);
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const t = performance.now();
      forceLayout(input);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({
      name: `graph layout (Web Worker), ${n.toLocaleString('en')} entities`,
      value: Number(times[Math.floor(times.length / 2)]!.toFixed(0)),
      unit: 'ms',
      detail: `median of ${samples}; ${input.source.length.toLocaleString('en')} links; load ${loadavg()[0]!.toFixed(1)}`,
    });
  }
  return out;
}
