/**
 * CR estimator: time to estimate every SRD creature, and accuracy against the printed CRs for the plain DMG 2014
 * method and the calibrated one (overall, on the even-indexed creatures it was fitted on, and on the held-out
 * odd-indexed ones). Run with `pnpm bench cr`.
 */
import { performance } from 'node:perf_hooks';
import { estimateCr, type Creature, type CrMethod } from '../src/index';
import { loadSrdData } from '../test/srd';
import { accuracy, evenIndexed, oddIndexed } from './cr-accuracy';

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
  return Promise.resolve(results);
}
