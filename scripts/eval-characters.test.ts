import { describe, expect, it } from 'vitest';
import { EVAL_CONCEPTS, formatReport, runEval } from './eval-characters';

describe('pnpm eval (every other concept of the 50)', () => {
  it('every character ends rules-valid with the offline generator and with the flawed model', async () => {
    const concepts = EVAL_CONCEPTS.filter((_, i) => i % 2 === 0);
    const { rows, summaries } = await runEval({ concepts });
    expect(rows).toHaveLength(concepts.length * 2);
    for (const r of rows) expect(r.error, `${r.mode} ${r.concept}`).toBeUndefined();
    for (const s of summaries) {
      expect(s.characters).toBe(concepts.length);
      expect(s.valid).toBe(concepts.length);
    }
    const flawed = rows.filter((r) => r.mode === 'flawed-model');
    // The flaws really happen: many corruption kinds, repairs, re-asks after broken JSON, recomputed CRs.
    expect(new Set(flawed.map((r) => r.corruption)).size).toBeGreaterThanOrEqual(6);
    expect(flawed.reduce((s, r) => s + r.repairs, 0)).toBeGreaterThan(concepts.length);
    expect(flawed.some((r) => r.attempts > 1)).toBe(true);
    expect(flawed.some((r) => r.balance > 0)).toBe(true);
    expect(flawed.filter((r) => r.kind === 'monster').every((r) => r.repairs > 0)).toBe(true);
    expect(rows.filter((r) => r.kind !== 'monster').every((r) => r.saved)).toBe(true);
    const report = formatReport(rows, summaries);
    expect(report).toContain('| flawed-model |');
    expect(report).toMatch(/\| offline \| 25 \| 25 \(100\.0%\)/);
  }, 120_000);
});
