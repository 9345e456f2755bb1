import { describe, expect, it } from 'vitest';
import { runConsolidationEval } from './eval-consolidation';

describe('consolidation eval (issue 10)', () => {
  it('finds the planted disagreements with no unsupported or unsourced item', () => {
    const r = runConsolidationEval();
    expect(r.sessions).toBe(5);
    expect(r.planted).toBe(10);
    // Measured 9 / 10: the one miss is a disagreement on a common noun (weapons or gold), which the offline
    // method does not compare (it compares numbers and names).
    expect(r.found).toBeGreaterThanOrEqual(9);
    expect(r.extra).toBe(0);
    expect(r.unsupported).toBe(0);
    expect(r.unsourced).toBe(0);
  });
});
