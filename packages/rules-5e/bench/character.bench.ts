/**
 * Character engine speed: derive and validate of a level-20 multiclass build (goal ≤ 0.2 ms each), plus repair.
 * Uses the real SRD content when `test/srd.ts` can load it, else the small test fixture (said in `detail`).
 */
import { performance } from 'node:perf_hooks';
import { BuildSchema, derive, repair, validate, type Build, type Content } from '../src/index';
import { fixtureContent } from '../test/fixtures/character-content';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

export const LEVEL_20_MULTICLASS = BuildSchema.parse({
  ruleset: '2024',
  name: 'Bench Multiclass',
  species: 'human',
  background: 'soldier',
  classes: [
    { class: 'paladin', level: 6 },
    { class: 'bard', level: 7 },
    { class: 'warlock', level: 7 },
  ],
  abilityScores: { str: 15, dex: 12, con: 14, int: 10, wis: 10, cha: 20 },
  skills: ['athletics', 'intimidation', 'persuasion', 'insight', 'perception', 'deception'],
  expertise: ['persuasion', 'deception'],
  feats: ['savage-attacker', 'alert'],
  equipment: [
    { item: 'chain-mail', equipped: true },
    { item: 'shield', equipped: true },
    { item: 'longsword', equipped: true },
  ],
  spells: [
    { class: 'paladin', prepared: ['bless', 'cure-wounds'] },
    { class: 'bard', cantrips: ['light', 'mage-hand'], prepared: ['cure-wounds'] },
    { class: 'warlock', cantrips: ['eldritch-blast'], prepared: ['hex', 'misty-step'] },
  ],
});

async function loadContent(): Promise<{ content: Content; label: string }> {
  try {
    const mod = (await import('../test/srd')) as { loadSrd: () => Content };
    return { content: mod.loadSrd(), label: 'SRD content' };
  } catch {
    return { content: fixtureContent, label: 'test fixture content (SRD data not available)' };
  }
}

function meanMs(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(2000, iterations); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

export async function run(): Promise<BenchResult[]> {
  const { content, label } = await loadContent();
  const build: Build = LEVEL_20_MULTICLASS;
  const issues = validate(build, content).issues.filter((i) => i.severity === 'error').length;
  const detail = `Paladin 6 / Bard 7 / Warlock 7, ${label}; ${issues} validation errors; mean of 20,000 calls`;
  const iterations = 20000;
  return [
    {
      name: 'derive, level-20 multiclass',
      value: meanMs(() => derive(build, content), iterations),
      unit: 'ms',
      goal: '≤ 0.2 ms',
      detail,
    },
    {
      name: 'validate, level-20 multiclass',
      value: meanMs(() => validate(build, content), iterations),
      unit: 'ms',
      goal: '≤ 0.2 ms',
      detail,
    },
    {
      name: 'repair, level-20 multiclass',
      value: meanMs(() => repair(build, content), iterations / 4),
      unit: 'ms',
      detail,
    },
  ];
}
