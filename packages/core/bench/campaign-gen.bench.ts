/**
 * Campaign generation without a model (issue 13, goal ≤ 1 s): the offline planner alone (setting, entities,
 * chapter graph, encounters, clues) for 5 and 12 chapters, and the whole `generate` (planner + nemesis stat blocks
 * + memory entities, relations, characters and the committed outline) into a data folder on disk, medians.
 * Cold runs: the first `generate` in a fresh process (`campaign-gen-cold.ts`: new V8, new SQLite connections, SRD
 * content loaded by that generation), wall and CPU time, and the second one in the same process; and the built
 * `loreforge campaign generate` as a whole process (node start, module loading, everything), next to `node -e 0`.
 * `LOREFORGE_BENCH_SCALE` scales the number of runs (default 1 → 20 planner runs, 5 full runs, 5 cold processes,
 * 5 CLI processes).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { createCampaignGen, planCampaign, type PartyMember } from '../src/campaign-gen';
import { loadSrdContent } from '../src/content/load-srd';
import { createCore, silentLogger } from '../src/core';
import { tempDir } from '../test/helpers';
import { type BenchResult, median } from './common';

const repoRoot = join(import.meta.dirname, '../../..');

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const planRuns = Math.max(3, Math.round(20 * scale));
  const fullRuns = Math.max(2, Math.round(5 * scale));
  const coldRuns = Math.max(3, Math.round(5 * scale));
  const content = loadSrdContent();
  const creatures = [...content.creatures.values()];
  const party: PartyMember[] = ['wizard', 'fighter', 'rogue', 'cleric'].map((c, i) => ({
    id: `p${i}`,
    name: `Hero ${i}`,
    level: 5,
    classes: [c],
    bonds: [],
    best: 'str',
  }));
  const out: BenchResult[] = [];
  for (const chapters of [5, 12]) {
    const ms: number[] = [];
    for (let i = 0; i < planRuns; i++) {
      const t0 = performance.now();
      planCampaign({
        pitch: `A stolen crown and a drowned city, run ${i}`,
        theme: 'fantasy',
        seed: i,
        chapters,
        party,
        creatures,
      });
      ms.push(performance.now() - t0);
    }
    out.push({
      name: `campaign-gen: offline plan, ${chapters} chapters (median of ${planRuns})`,
      value: median(ms),
      unit: 'ms',
      goal: '≤ 1000 ms',
    });
  }
  const t = tempDir('lf-bench-campaign-gen-');
  try {
    const core = await createCore({ dataDir: t.dir, log: silentLogger });
    const ids: string[] = [];
    for (const [i, c] of ['wizard', 'fighter', 'rogue', 'cleric'].entries()) {
      const build = { ...structuredClone(EXAMPLE_BUILD), name: `Hero ${i}` };
      if (c !== 'wizard') Object.assign(build, { classes: [{ class: c, level: 5 }], spells: [], feats: [] });
      ids.push((await core.characters.import({ build })).id);
    }
    const gen = createCampaignGen(core, { content });
    const ms: number[] = [];
    const cpu: number[] = [];
    let entities = 0;
    for (let i = 0; i < fullRuns; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await gen.generate({
        pitch: `A stolen crown and a drowned city, run ${i}`,
        party: ids,
        seed: i,
      });
      ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      entities = r.entities;
    }
    out.push({
      name: `campaign-gen: generate and store (5 chapters, ${entities} entities, on disk; median of ${fullRuns})`,
      value: median(ms),
      unit: 'ms',
      goal: '≤ 1000 ms',
      detail: `CPU ${median(cpu).toFixed(0)} ms; load average ${loadAverage()}`,
    });
    await core.close();
    out.push(...coldResults(t.dir, ids, coldRuns));
  } finally {
    t.cleanup();
  }
  return out;
}

/** First and second generation in fresh processes, and the built CLI's whole `campaign generate` process. */
function coldResults(dataDir: string, party: string[], runs: number): BenchResult[] {
  type Cold = {
    prepareMs: number;
    firstMs: number;
    secondMs: number;
    firstCpuMs: number;
    secondCpuMs: number;
  };
  const source: Cold[] = [];
  const cold: Cold[] = [];
  const prepared: Cold[] = [];
  const child = (i: number, mode: string): Cold => {
    const c = spawnSync(
      join(repoRoot, 'node_modules/.bin/tsx'),
      [join(import.meta.dirname, 'campaign-gen-cold.ts'), dataDir, party.join(','), String(100 + i), mode],
      { encoding: 'utf8' },
    );
    if (c.status !== 0) throw new Error(`campaign-gen-cold child failed: ${c.stderr}`);
    return JSON.parse(c.stdout) as Cold;
  };
  child(0, 'built'); // the build's first run validates the SRD content once, as the built CLI's first run does
  // Alternating, so every kind sees the same machine load.
  for (let i = 0; i < runs; i++) {
    source.push(child(i, 'source'));
    cold.push(child(i, 'built'));
    prepared.push(child(i, 'prepare'));
  }
  const bin = join(repoRoot, 'scripts/bin/loreforge.mjs');
  const cli = (i: number) =>
    spawnSync(
      process.execPath,
      [
        bin,
        'campaign',
        'generate',
        '--pitch',
        `A drowned crown, CLI run ${i}`,
        '--party',
        party.join(','),
      ].concat(['--seed', String(i), '--data-dir', dataDir, '--json']),
      { encoding: 'utf8' },
    );
  const first = cli(0); // builds the CLI first when a source is newer than the build
  if (first.status !== 0) throw new Error(`loreforge campaign generate failed: ${first.stderr}`);
  const wall: number[] = [];
  const bare: number[] = [];
  for (let i = 1; i <= runs; i++) {
    let t0 = performance.now();
    const r = cli(i);
    wall.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`loreforge campaign generate failed: ${r.stderr}`);
    t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t0);
  }
  const load = `load average ${loadAverage()}`;
  return [
    {
      name: `campaign-gen: first generate in a fresh process, from source (cold; median of ${runs} processes)`,
      value: median(source.map((c) => c.firstMs)),
      unit: 'ms',
      goal: '≤ 1000 ms',
      detail: `CPU ${median(source.map((c) => c.firstCpuMs)).toFixed(0)} ms; max wall ${Math.max(...source.map((c) => c.firstMs)).toFixed(0)} ms; SRD content loaded and validated by it; ${load}`,
    },
    {
      name: `campaign-gen: first generate in a fresh process, as built (cold; median of ${runs} processes)`,
      value: median(cold.map((c) => c.firstMs)),
      unit: 'ms',
      goal: '≤ 1000 ms',
      detail: `CPU ${median(cold.map((c) => c.firstCpuMs)).toFixed(0)} ms; max wall ${Math.max(...cold.map((c) => c.firstMs)).toFixed(0)} ms; SRD content loaded by it (validated once per build)`,
    },
    {
      name: `campaign-gen: first generate in a fresh process after prepare (the app; median of ${runs})`,
      value: median(prepared.map((c) => c.firstMs)),
      unit: 'ms',
      goal: '≤ 1000 ms',
      detail: `CPU ${median(prepared.map((c) => c.firstCpuMs)).toFixed(0)} ms; prepare itself ${median(prepared.map((c) => c.prepareMs)).toFixed(0)} ms (when the pitch screen opens)`,
    },
    {
      name: `campaign-gen: second generate in that process (warm; median of ${runs})`,
      value: median(cold.map((c) => c.secondMs)),
      unit: 'ms',
      goal: '≤ 1000 ms',
      detail: `CPU ${median(cold.map((c) => c.secondCpuMs)).toFixed(0)} ms`,
    },
    {
      name: `campaign-gen: loreforge campaign generate, whole process (built; median of ${runs})`,
      value: median(wall),
      unit: 'ms',
      detail: `node -e 0 alongside: ${median(bare).toFixed(0)} ms`,
    },
  ];
}

function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}
