/**
 * Campaign generation eval (issue 13): 20 pitches of our own (`resources/eval/campaigns/pitches.json`), each with
 * a theme, a chapter count and a party of real sheets (imported into an in-memory store, levels 1–18). For each:
 * generate offline, run the story-graph check, count choices per chapter (2–5), compare every encounter's
 * asked difficulty with its rating for the real party (2024), build the session 1 prep and count items without a
 * source, and time the generation. `pnpm exec tsx scripts/eval-campaigns.ts [--json]`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD, encounterDifficulty2024 } from '@loreforge/rules-5e';
import { createCampaignGen } from '../packages/core/src/campaign-gen';
import { loadSrdContent } from '../packages/core/src/content/load-srd';
import { createCore } from '../packages/core/src/core';

interface Pitch {
  pitch: string;
  theme: string;
  chapters: number;
  party: [string, number][];
}

export interface PitchResult {
  pitch: string;
  ok: boolean;
  problems: string[];
  chapters: number;
  choicesOutOfRange: number;
  encounters: number;
  difficultyMismatches: number;
  prepItems: number;
  prepUnsourced: number;
  secrets: number;
  ms: number;
}

export interface CampaignEval {
  pitches: number;
  checksPassed: number;
  choicesOutOfRange: number;
  encounters: number;
  difficultyMismatches: number;
  prepItems: number;
  prepUnsourced: number;
  medianMs: number;
  maxMs: number;
  results: PitchResult[];
}

const root = resolve(import.meta.dirname, '..');

export async function runCampaignEval(limit?: number): Promise<CampaignEval> {
  const all = JSON.parse(
    readFileSync(join(root, 'resources/eval/campaigns/pitches.json'), 'utf8'),
  ) as Pitch[];
  const pitches = limit ? all.slice(0, limit) : all;
  const content = loadSrdContent();
  const core = await createCore({ dataDir: null });
  const gen = createCampaignGen(core, { content });
  const results: PitchResult[] = [];
  try {
    for (const [i, p] of pitches.entries()) {
      const party: string[] = [];
      for (const [j, [cls, level]] of p.party.entries()) {
        const build = {
          ...structuredClone(EXAMPLE_BUILD),
          name: `Hero ${i}-${j}`,
          classes: [{ class: cls, level }],
          ...(cls === 'wizard' ? {} : { spells: [], feats: [] }),
        };
        party.push((await core.characters.import({ build })).id);
      }
      const t0 = performance.now();
      const res = await gen.generate({
        pitch: p.pitch,
        party,
        theme: p.theme,
        chapters: p.chapters,
        seed: i + 1,
      });
      const ms = performance.now() - t0;
      const outline = await gen.load(res.id);
      const check = await gen.check(res.id);
      const levels = outline.party.map((x) => x.level);
      let encounters = 0;
      let mismatches = 0;
      for (const c of outline.chapters)
        for (const e of c.encounters) {
          encounters++;
          const crs = e.creatures.flatMap((x) => Array<number>(x.count).fill(x.cr));
          if (encounterDifficulty2024(levels, crs).difficulty !== e.difficulty) mismatches++;
        }
      const prep = await gen.prep(res.id, 1);
      const items = [
        prep.strongStart,
        ...prep.scenes,
        ...prep.secrets,
        ...prep.locations,
        ...prep.npcs,
        ...prep.encounters,
        ...prep.treasure,
      ];
      results.push({
        pitch: p.pitch,
        ok: check.ok,
        problems: check.problems.map((x) => `${x.code} ${x.where}`),
        chapters: outline.chapters.length,
        choicesOutOfRange: outline.chapters.filter(
          (c) => !c.ending && (c.choices.length < 2 || c.choices.length > 5),
        ).length,
        encounters,
        difficultyMismatches: mismatches,
        prepItems: items.length,
        prepUnsourced: items.filter((x) => x.sources.length === 0).length,
        secrets: prep.secrets.length,
        ms,
      });
    }
  } finally {
    await core.close();
  }
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const sum = (f: (r: PitchResult) => number): number => results.reduce((s, r) => s + f(r), 0);
  return {
    pitches: results.length,
    checksPassed: results.filter((r) => r.ok).length,
    choicesOutOfRange: sum((r) => r.choicesOutOfRange),
    encounters: sum((r) => r.encounters),
    difficultyMismatches: sum((r) => r.difficultyMismatches),
    prepItems: sum((r) => r.prepItems),
    prepUnsourced: sum((r) => r.prepUnsourced),
    medianMs: ms[Math.floor(ms.length / 2)] ?? 0,
    maxMs: ms[ms.length - 1] ?? 0,
    results,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runCampaignEval();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    for (const x of r.results)
      process.stdout.write(
        `${x.ok ? 'ok  ' : 'FAIL'} ${x.chapters} ch, ${x.encounters} enc (${x.difficultyMismatches} off), prep ${x.prepItems} items (${x.prepUnsourced} unsourced), ${Math.round(x.ms)} ms  ${x.pitch}${x.problems.length ? `\n     ${x.problems.join('; ')}` : ''}\n`,
      );
    process.stdout.write(
      `\n${r.checksPassed}/${r.pitches} checks pass; choices out of 2–5: ${r.choicesOutOfRange}; encounters ${r.encounters}, difficulty mismatches ${r.difficultyMismatches}; prep items ${r.prepItems}, unsourced ${r.prepUnsourced}; generation median ${Math.round(r.medianMs)} ms, max ${Math.round(r.maxMs)} ms\n`,
    );
  }
}
