/**
 * `pnpm bench relay`: update latency from one client to the other clients of the same document through the
 * relay (p50/p99), 100 documents × 8 clients, each client editing every ~periodMs with jitter; and relay heap
 * per active document. The relay runs on the main thread; the clients run in two worker threads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createRelayToken, docName } from '@loreforge/core';
import { silentLogger, startRelay } from '../src/index';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

const DOCS = Number(process.env['BENCH_RELAY_DOCS'] ?? 100);
const CLIENTS = Number(process.env['BENCH_RELAY_CLIENTS'] ?? 8);
const PERIOD_MS = Number(process.env['BENCH_RELAY_PERIOD_MS'] ?? 1000);
const MEASURE_MS = Number(process.env['BENCH_RELAY_MEASURE_MS'] ?? 8000);
const WORKERS = 2;
const workerUrl = new URL('./relay-clients.worker.ts', import.meta.url).href;
const tsxApi = import.meta.resolve('tsx/esm/api');

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  const secret = 'bench-secret-0123456789abcdef';
  const relay = await startRelay({ port: 0, dataDir: dir, secret, logger: silentLogger });
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const token = createRelayToken(
      { campaign: 'bench', user: 'bench', role: 'dm', ttlSeconds: 3600, nowMs: Date.now() },
      secret,
    );
    const names = Array.from({ length: DOCS }, (_, i) => docName('bench', 'session', `doc${i}`));
    const workers = Array.from({ length: WORKERS }, (_, w) => {
      // A TypeScript worker: register tsx's loader inside the worker, then import the worker module.
      const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`;
      return new Worker(boot, {
        eval: true,
        workerData: {
          relayUrl: relay.url,
          token,
          docNames: names.filter((_, i) => i % WORKERS === w),
          clientsPerDoc: CLIENTS,
          periodMs: PERIOD_MS,
        },
      });
    });
    const message = (w: Worker, type: string): Promise<{ latencies?: number[]; sent?: number }> =>
      new Promise((resolve, reject) => {
        const onMsg = (m: { type: string }): void => {
          if (m.type === type) {
            w.off('message', onMsg);
            resolve(m);
          }
        };
        w.on('message', onMsg);
        w.once('error', reject);
      });
    await Promise.all(workers.map((w) => message(w, 'ready')));

    gc();
    const heapActive = process.memoryUsage().heapUsed;
    const connections = relay.stats().connections;

    for (const w of workers) w.postMessage({ type: 'start' });
    await sleep(1500); // warm-up
    for (const w of workers) w.postMessage({ type: 'measure' });
    const elu0 = performance.eventLoopUtilization();
    const wElu0 = workers.map((w) => w.performance.eventLoopUtilization());
    await sleep(MEASURE_MS);
    const relayElu = performance.eventLoopUtilization(elu0).utilization;
    const workerElu = workers.map((w, i) => w.performance.eventLoopUtilization(wElu0[i]).utilization);
    const busy = `event loop busy: relay ${(relayElu * 100).toFixed(0)} %, client workers ${workerElu.map((u) => `${(u * 100).toFixed(0)} %`).join(', ')}`;
    const results = await Promise.all(
      workers.map((w) => {
        const r = message(w, 'result');
        w.postMessage({ type: 'stop' });
        return r;
      }),
    );
    await Promise.all(workers.map((w) => w.terminate()));
    const lat = results.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
    const sent = results.reduce((n, r) => n + (r.sent ?? 0), 0);
    const shape = `${DOCS} docs × ${CLIENTS} clients (${connections} connections), one edit per client every ~${PERIOD_MS} ms (±50 % jitter), ${WORKERS} client worker threads`;
    return [
      {
        name: 'relay update latency p50',
        value: percentile(lat, 50),
        unit: 'ms',
        detail: `${lat.length} deliveries in ${MEASURE_MS} ms; ${shape}`,
      },
      {
        name: 'relay update latency p99',
        value: percentile(lat, 99),
        unit: 'ms',
        goal: '≤ 25 ms',
        detail: busy,
      },
      {
        name: 'relay update latency max',
        value: lat.at(-1) ?? Number.NaN,
        unit: 'ms',
        detail: `${sent} edits sent in total`,
      },
      {
        name: 'relay heap per active document',
        value: (heapActive - heapBefore) / DOCS / 1024,
        unit: 'KiB',
        detail: `heapUsed after GC, relay thread only, ${CLIENTS} connections per doc, small docs`,
      },
    ];
  } finally {
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
