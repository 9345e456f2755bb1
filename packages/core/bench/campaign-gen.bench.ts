/**
 * Campaign generation without a model (issue 13, goal ≤ 1 s): the offline planner alone (setting, entities,
 * chapter graph, encounters, clues) for 5 and 12 chapters, and the whole `generate` (planner + nemesis stat blocks
 * + memory entities, relations, characters and the committed outline) into a data folder on disk, medians.
 * `LOREFORGE_BENCH_SCALE` scales the number of runs (default 1 → 20 planner runs, 5 full runs).
 */
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { createCampaignGen, planCampaign, type PartyMember } from '../src/campaign-gen';
import { loadSrdContent } from '../src/content/load-srd';
import { createCore, silentLogger } from '../src/core';
import { tempDir } from '../test/helpers';
import { type BenchResult, median } from './common';

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const planRuns = Math.max(3, Math.round(20 * scale));
  const fullRuns = Math.max(2, Math.round(5 * scale));
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
    let entities = 0;
    for (let i = 0; i < fullRuns; i++) {
      const t0 = performance.now();
      const r = await gen.generate({
        pitch: `A stolen crown and a drowned city, run ${i}`,
        party: ids,
        seed: i,
      });
      ms.push(performance.now() - t0);
      entities = r.entities;
    }
    out.push({
      name: `campaign-gen: generate and store (5 chapters, ${entities} entities, on disk; median of ${fullRuns})`,
      value: median(ms),
      unit: 'ms',
      goal: '≤ 1000 ms',
    });
    await core.close();
  } finally {
    t.cleanup();
  }
  return out;
}
