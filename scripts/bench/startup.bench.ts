/**
 * Start-up of the built commands, timed from outside as whole processes (spawn → exit, or spawn → ready line):
 * `loreforge rules derive` against a bare `node -e 0` (goal ≤ 5×), the same command through tsx (what it cost
 * before the build), `pnpm exec loreforge`, and web mode until its ready line (goal ≤ 2 s, renderer already
 * built). Runs alternate between the command and its yardstick so a drifting machine moves both; each figure is
 * the median. `LOREFORGE_BENCH_RUNS` sets the runs per command (default 11).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from '../bench';
import { ensureBuilt } from '../build/build.mjs';
import { freshBuild } from '../build/fresh.mjs';

const root = resolve(import.meta.dirname, '../..');
const example = join(root, 'resources/examples/aria.build.json');
const runs = Number(process.env['LOREFORGE_BENCH_RUNS'] ?? 11);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The start time of the current build (changes when a command rebuilt first). */
function buildStamp(): number | undefined {
  return freshBuild()?.builtAt;
}

/**
 * Wall milliseconds of a run of a built command that did not rebuild first: other people editing sources make
 * the next command rebuild, which is not start-up. Such runs are repeated (at most five times).
 */
function timeBuilt(cmd: string, args: string[], label = ''): number {
  for (let i = 0; ; i++) {
    const before = buildStamp();
    const cpu0 = cpuOf.get(label) ?? 0;
    const ms = timeRun(cmd, args, label);
    if (label && buildStamp() !== before) cpuOf.set(label, cpu0); // a rebuild is not start-up
    if ((before !== undefined && buildStamp() === before) || i >= 4) return ms;
  }
}

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (Linux; 10 ms ticks):
 * summed over many runs it shows the work a command does, which a busy machine moves less than wall time.
 */
function childCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

const cpuOf = new Map<string, number>();

/** Wall milliseconds of one whole process run to its exit (which must be 0); its CPU is added to `cpuOf`. */
function timeRun(cmd: string, args: string[], label = ''): number {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (label) cpuOf.set(label, (cpuOf.get(label) ?? 0) + childCpuMs() - cpu0);
  if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Wall milliseconds from spawning web mode to its ready line; the process group is then killed. */
function timeWebReady(dataDir: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, 'scripts/bin/web.mjs'), '--port', '0', '--data-dir', dataDir],
      { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Loreforge web: http:\/\/\S+\n/.test(out)) {
        const ms = performance.now() - t0;
        child.once('exit', () => res(ms));
        process.kill(-(child.pid as number), 'SIGKILL');
      }
    });
    child.once('exit', (code) => {
      if (!/Loreforge web/.test(out)) rej(new Error(`bench: web mode exited ${code}: ${err}`));
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  await ensureBuilt();
  const loadBefore = loadavg()[0] as number;
  const node = process.execPath;
  const derive = [join(root, 'scripts/bin/loreforge.mjs'), 'rules', 'derive', example];
  const bare: number[] = [];
  const built: number[] = [];
  const ratios: number[] = [];
  timeBuilt(node, derive); // warm the file cache (and the code cache)
  for (let i = 0; i < runs; i++) {
    const b = timeRun(node, ['-e', '0'], 'bare');
    const a = timeBuilt(node, derive, 'derive');
    bare.push(b);
    built.push(a);
    ratios.push(a / b);
  }
  const tsx: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++)
    tsx.push(
      timeRun(node, ['--import', 'tsx', join(root, 'scripts/loreforge.ts'), 'rules', 'derive', example]),
    );
  const viaPnpm: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++)
    viaPnpm.push(timeBuilt('pnpm', ['exec', 'loreforge', 'rules', 'derive', example]));

  const dataDir = mkdtempSync(join(tmpdir(), 'lf-bench-web-'));
  const web: number[] = [];
  try {
    await timeWebReady(dataDir); // first start: renderer build (when missing), data folder creation
    for (let i = 0, tries = 0; i < Math.min(runs, 7) && tries < 20; tries++) {
      const before = buildStamp();
      const ms = await timeWebReady(dataDir);
      if (before !== undefined && buildStamp() === before) web[i++] = ms; // else it rebuilt first: run again
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const n = `median of ${runs}`;
  const cpuBare = (cpuOf.get('bare') ?? Number.NaN) / runs;
  const cpuDerive = (cpuOf.get('derive') ?? Number.NaN) / runs;
  const load = `load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)} on ${
    cpus().length
  } cores`;
  return [
    { name: 'node -e 0 (yardstick)', value: median(bare), unit: 'ms', detail: `${n}; ${load}` },
    { name: 'loreforge rules derive (built)', value: median(built), unit: 'ms', detail: n },
    {
      name: 'loreforge rules derive ÷ node -e 0',
      value: median(ratios),
      unit: '×',
      goal: '≤ 5×',
      detail: `${n} pairs, min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}`,
    },
    {
      name: 'CPU of rules derive ÷ CPU of node -e 0',
      value: cpuDerive / cpuBare,
      unit: '×',
      detail: `mean CPU ${cpuDerive.toFixed(0)} ms vs ${cpuBare.toFixed(0)} ms (user + system, ${runs} runs each)`,
    },
    {
      name: 'rules derive through tsx (before)',
      value: median(tsx),
      unit: 'ms',
      detail: `median of ${tsx.length}`,
    },
    {
      name: 'pnpm exec loreforge rules derive',
      value: median(viaPnpm),
      unit: 'ms',
      detail: `median of ${viaPnpm.length}`,
    },
    {
      name: 'web mode ready (built)',
      value: median(web),
      unit: 'ms',
      goal: '≤ 2000 ms',
      detail: `median of ${web.length}`,
    },
  ];
}
