/**
 * CR estimator: time to estimate every SRD creature, and accuracy against the printed CRs for the plain DMG 2014
 * method and the calibrated one (overall, on the even-indexed creatures it was fitted on, and on the held-out
 * odd-indexed ones), and on the independent SRD 5.1 (2014) monsters of `resources/eval/cr-2014/` through the
 * homebrew path (`challenge_rating` removed, the dnd5eapi converter estimates it), tuning and held-out halves.
 * Run with `pnpm bench cr`.
 */
import { performance } from 'node:perf_hooks';
import { estimateCr, type Creature, type CrMethod } from '../src/index';
import { loadSrdData } from '../test/srd';
import { accuracy, evenIndexed, load2014Raw, oddIndexed, splitByNameHash } from './cr-accuracy';
import { crIndex, fromDnd5eApiMonster } from '../src/index';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

function timeAll(
  creatures: readonly Creature[],
  method: CrMethod,
): { perCreatureMs: number; totalMs: number } {
  const rounds = 20;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const c of creatures) estimateCr(c, { method });
  const totalMs = (performance.now() - start) / rounds;
  return { totalMs, perCreatureMs: totalMs / creatures.length };
}

const pct = (x: number): number => Math.round(1000 * x) / 10;

export function run(): Promise<BenchResult[]> {
  const all = loadSrdData().creatures;
  const results: BenchResult[] = [];
  // Warm up both methods first (JIT, and the GC debt left by loading and validating the SRD).
  for (let r = 0; r < 10; r++)
    for (const c of all) for (const method of ['dmg2014', 'calibrated'] as const) estimateCr(c, { method });
  for (const method of ['dmg2014', 'calibrated'] as const) {
    const t = timeAll(all, method);
    results.push({
      name: `estimateCr all ${all.length} SRD creatures (${method})`,
      value: t.totalMs,
      unit: 'ms',
      detail: `${(t.perCreatureMs * 1000).toFixed(0)} µs per creature`,
    });
  }
  for (const [label, set] of [
    ['all', all],
    ['fit set (even)', evenIndexed(all)],
    ['held out (odd)', oddIndexed(all)],
  ] as const) {
    for (const method of ['dmg2014', 'calibrated'] as const) {
      const a = accuracy(set, { method });
      results.push({
        name: `CR accuracy ${method}, ${label}: exact`,
        value: pct(a.exact),
        unit: '%',
        detail: `n=${a.n}, mean error ${a.bias.toFixed(2)} steps, mean |error| ${a.mae.toFixed(2)}`,
      });
      results.push({
        name: `CR accuracy ${method}, ${label}: within one step`,
        value: pct(a.withinOne),
        unit: '%',
      });
    }
  }
  results.push(...accuracy2014());
  return Promise.resolve(results);
}

/**
 * The 2014 set: for each half, the homebrew path (the converter's own estimate, 2014 calibration) with the SRD
 * spell data (as the CLI passes it) and without it, and, for comparison, the 2024 calibration and the plain DMG
 * method on the same converted stat blocks (with the spell data).
 */
function accuracy2014(): BenchResult[] {
  const raw = load2014Raw() as (Record<string, unknown> & { name: string })[];
  const { tune, heldOut } = splitByNameHash(raw);
  const spells = new Map(loadSrdData().spells.map((s) => [s.id, s]));
  const out: BenchResult[] = [];
  for (const [label, set] of [
    ['tuning half', tune],
    ['held-out half', heldOut],
    ['all', raw],
  ] as const) {
    const printed = set.map((m) => fromDnd5eApiMonster(m));
    for (const withSpells of [true, false]) {
      const homebrew = set.map((m) => {
        const { challenge_rating: _cr, xp: _xp, proficiency_bonus: _pb, ...rest } = m;
        return fromDnd5eApiMonster(rest, withSpells ? { spells } : {});
      });
      let exact = 0;
      let within = 0;
      let bias = 0;
      printed.forEach((c, i) => {
        const d = crIndex(homebrew[i]!.cr) - crIndex(c.cr);
        if (d === 0) exact++;
        if (Math.abs(d) <= 1) within++;
        bias += d;
      });
      const n = printed.length;
      out.push({
        name: `CR accuracy 2014 SRD 5.1 ${label}, homebrew path (2014 calibration${withSpells ? ', SRD spells' : ', no spell data'}): within one step`,
        value: pct(within / n),
        unit: '%',
        ...(label === 'held-out half' && withSpells ? { goal: '≥ 90 %' } : {}),
        detail: `n=${n}, exact ${pct(exact / n)}%, mean error ${(bias / n).toFixed(2)} steps`,
      });
    }
    for (const [what, options] of [
      ['2024 calibration', { ruleset: '2024', spells }],
      ['dmg2014', { method: 'dmg2014', spells }],
    ] as const) {
      const a = accuracy(printed, options);
      out.push({
        name: `CR accuracy 2014 SRD 5.1 ${label}, ${what}: within one step`,
        value: pct(a.withinOne),
        unit: '%',
        detail: `exact ${pct(a.exact)}%, mean error ${a.bias.toFixed(2)} steps`,
      });
    }
  }
  return out;
}
