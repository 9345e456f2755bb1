/**
 * `pnpm bench relay`: update latency from one client to the other clients of the same document through the
 * relay (p50/p99) with 100 documents × 8 clients, each client editing every ~periodMs with ±50 % jitter; relay
 * CPU per edit; relay memory per active document. The relay runs alone in a child process; the clients run in
 * two worker threads of this process (one thread would itself become the bottleneck).
 * BENCH_RELAY_CPU_PROF_DIR=dir writes a CPU profile of the relay process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRelayToken, docName } from '@loreforge/core';

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
const MODE_ENV = process.env['BENCH_RELAY_CLIENT_MODE'];
const MODE = MODE_ENV === 'provider' || MODE_ENV === 'mux' ? MODE_ENV : 'raw';
const WORKERS = 2;
const workerUrl = new URL('./relay-clients.worker.ts', import.meta.url).href;
const tsxApi = import.meta.resolve('tsx/esm/api');

interface Usage {
  heapUsed: number;
  external: number;
  rss: number;
  cpu: { user: number; system: number };
  stats: { connections: number; rooms: number };
}
type WorkerMessage = { type: string; latencies?: number[]; sent?: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const mib = (n: number): string => (n / 2 ** 20).toFixed(1);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function childMessage<T>(child: ChildProcess, type: string, send?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: { type: string }): void => {
      if (m.type !== type) return;
      child.off('message', onMsg);
      resolve(m as T);
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`relay child exited (${code})`)));
    if (send) child.send(send);
  });
}

function workerMessage(w: Worker, type: string, send?: object): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: WorkerMessage): void => {
      if (m.type !== type) return;
      w.off('message', onMsg);
      resolve(m);
    };
    w.on('message', onMsg);
    w.once('error', reject);
    if (send) w.postMessage(send);
  });
}

export async function run(): Promise<BenchResult[]> {
  const secret = 'bench-secret-0123456789abcdef';
  const child = fork(fileURLToPath(new URL('./relay-server.child.ts', import.meta.url)), [secret], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env['BENCH_RELAY_CPU_PROF_DIR']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_RELAY_CPU_PROF_DIR']}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url } = await childMessage<{ url: string }>(child, 'ready');
    const idle = await childMessage<Usage>(child, 'usage', { type: 'usage' });
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
          relayUrl: url,
          token,
          docNames: names.filter((_, i) => i % WORKERS === w),
          clientsPerDoc: CLIENTS,
          periodMs: PERIOD_MS,
          mode: MODE,
        },
      });
    });
    try {
      await Promise.all(workers.map((w) => workerMessage(w, 'ready')));
      const active = await childMessage<Usage>(child, 'usage', { type: 'usage' });

      for (const w of workers) w.postMessage({ type: 'start' });
      await sleep(1500); // warm-up
      const before = await childMessage<Usage>(child, 'usage', { type: 'usage' });
      const wElu0 = workers.map((w) => w.performance.eventLoopUtilization());
      const load0 = loadavg()[0] ?? 0;
      for (const w of workers) w.postMessage({ type: 'measure' });
      await sleep(MEASURE_MS);
      const results = await Promise.all(workers.map((w) => workerMessage(w, 'result', { type: 'stop' })));
      const after = await childMessage<Usage>(child, 'usage', { type: 'usage' });
      const workerElu = workers.map((w, i) => w.performance.eventLoopUtilization(wElu0[i]).utilization);

      const lat = results.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
      const sent = results.reduce((n, r) => n + (r.sent ?? 0), 0);
      const edits = lat.length / Math.max(1, CLIENTS - 1); // edits delivered during the window
      const cpuUs = after.cpu.user + after.cpu.system - (before.cpu.user + before.cpu.system);
      const shape = `${DOCS} docs × ${CLIENTS} clients (${active.stats.connections} connections), an edit per client every ~${PERIOD_MS} ms ±50 %, ${MODE} clients`;
      const machine = `load average ${load0.toFixed(1)}; client threads busy ${workerElu.map((u) => `${(u * 100).toFixed(0)} %`).join(', ')}`;
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
          detail: machine,
        },
        {
          name: 'relay CPU per edit',
          value: cpuUs / Math.max(1, edits),
          unit: 'µs',
          detail: `relay process CPU ${((cpuUs / 1000 / MEASURE_MS) * 100).toFixed(0)} % of one core; ${sent} edits sent in total; each edit fanned out to ${CLIENTS - 1} clients and logged to SQLite`,
        },
        {
          name: 'relay heap per active document',
          value: (active.heapUsed + active.external - idle.heapUsed - idle.external) / DOCS / 1024,
          unit: 'KiB',
          detail: `JS heap + external (buffers) after GC, relay process alone, ${CLIENTS} ${MODE === 'mux' ? 'subscriptions' : 'connections'} per doc, small docs; heap idle ${mib(idle.heapUsed)} → active ${mib(active.heapUsed)} MiB, external ${mib(idle.external)} → ${mib(active.external)} MiB`,
        },
      ];
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  } finally {
    child.send({ type: 'close' });
    await new Promise((r) => child.once('exit', r));
  }
}
