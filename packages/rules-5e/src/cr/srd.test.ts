import { describe, expect, it } from 'vitest';
import { loadSrdData } from '../../test/srd';
import { CR_STEPS } from '../tables/encounter';
import { crIndex, xpForCr } from '../encounter/cr';
import { estimateCr, type CrMethod } from './index';

const creatures = loadSrdData().creatures;

function accuracy(list: typeof creatures, method: CrMethod): { exact: number; withinOne: number } {
  let exact = 0;
  let within = 0;
  for (const c of list) {
    const d = Math.abs(crIndex(estimateCr(c, { method }).cr) - crIndex(c.cr));
    if (d === 0) exact++;
    if (d <= 1) within++;
  }
  return { exact: exact / list.length, withinOne: within / list.length };
}

describe('every SRD creature through estimateCr', () => {
  it('has the 331 creatures', () => {
    expect(creatures).toHaveLength(331);
  });
  it.each(['dmg2014', 'calibrated'] as const)('%s: nothing throws, every CR is on the ladder', (method) => {
    for (const c of creatures) {
      const e = estimateCr(c, { method });
      expect(CR_STEPS, c.name).toContain(e.cr);
      expect(CR_STEPS, c.name).toContain(e.defensiveCr);
      expect(CR_STEPS, c.name).toContain(e.offensiveCr);
      expect(e.xp, c.name).toBe(xpForCr(e.cr, { harmless: e.cr === 0 && e.details.dpr === 0 }));
      expect(Number.isFinite(e.details.effectiveHp) && Number.isFinite(e.details.dpr), c.name).toBe(true);
    }
  });
  it('the calibrated method beats the plain DMG method on the held-out (odd-indexed) creatures', () => {
    const heldOut = creatures.filter((_, i) => i % 2 === 1);
    const plain = accuracy(heldOut, 'dmg2014');
    const calibrated = accuracy(heldOut, 'calibrated');
    expect(calibrated.exact).toBeGreaterThan(plain.exact);
    expect(calibrated.withinOne).toBeGreaterThan(plain.withinOne);
  });
});
