import { describe, expect, it } from 'vitest';
import { loadSrdContent } from '../packages/core/src/content/load-srd';
import { FIDELITY_CONCEPTS } from './eval-concepts';
import { DIMENSIONS, formatFidelity, runFidelity, summarizeFidelity } from './eval-fidelity';

describe('pnpm eval: concept fidelity of the offline provider', () => {
  it('has at least 120 concepts across every category, each with something to check', () => {
    expect(FIDELITY_CONCEPTS.length).toBeGreaterThanOrEqual(120);
    const categories = new Set(FIDELITY_CONCEPTS.map((c) => c.category));
    expect([...categories].sort()).toEqual(
      ['archetype', 'figure', 'monster', 'npc', 'pronoun', 'prop', 'species'].sort(),
    );
    for (const c of FIDELITY_CONCEPTS)
      expect(Boolean(c.classes ?? c.species ?? c.gear ?? c.pronoun ?? c.keywords ?? c.types), c.concept).toBe(
        true,
      );
    for (const c of FIDELITY_CONCEPTS.filter((x) => x.kind === 'monster'))
      expect(c.cr, c.concept).toBeDefined();
  });

  it('meets the 90% goal overall and per dimension (one seed), and reports every dimension', () => {
    const { rows, summary } = runFidelity(loadSrdContent(), { seeds: [4] });
    expect(rows).toHaveLength(FIDELITY_CONCEPTS.length);
    for (const d of DIMENSIONS) {
      expect(summary.perDimension[d].total, d).toBeGreaterThan(0);
      expect(summary.perDimension[d].rate, d).toBeGreaterThanOrEqual(0.9);
    }
    expect(summary.overallRate).toBeGreaterThanOrEqual(0.9);
    expect(summary.wordShare).toBeGreaterThanOrEqual(0.6);
    const report = formatFidelity(rows, summary);
    expect(report).toMatch(/\| class \| \d+ \| \d+ \| \d+\.\d%/);
    expect(report).toContain('**overall**');
  });

  it('counts a failing check against the dimension and the overall rate', () => {
    const rows = [
      {
        concept: 'x',
        category: 'archetype' as const,
        seed: 1,
        checks: { class: true, pronoun: false },
        failures: ['p'],
        wordShare: 0.5,
      },
      {
        concept: 'y',
        category: 'prop' as const,
        seed: 1,
        checks: { class: true, gear: true },
        failures: [],
        wordShare: 1,
      },
    ];
    const s = summarizeFidelity(rows);
    expect(s.perDimension.class).toEqual({ passed: 2, total: 2, rate: 1 });
    expect(s.perDimension.pronoun).toEqual({ passed: 0, total: 1, rate: 0 });
    expect(s.overall).toBe(1);
    expect(s.overallRate).toBe(0.5);
    expect(s.wordShare).toBe(0.75);
  });
});
