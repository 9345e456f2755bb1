import { describe, expect, it } from 'vitest';
import { runCampaignEval } from './eval-campaigns';

describe('campaign generation eval (issue 13)', () => {
  it(
    '20 pitches: story-graph checks pass, choices 2–5, encounters at the asked difficulty, every prep item sourced',
    { timeout: 300_000 },
    async () => {
      const r = await runCampaignEval();
      expect(r.pitches).toBe(20);
      expect(r.results.filter((x) => !x.ok).map((x) => [x.pitch, x.problems])).toEqual([]);
      expect(r.checksPassed).toBe(20);
      expect(r.choicesOutOfRange).toBe(0);
      expect(r.encounters).toBeGreaterThanOrEqual(100);
      expect(r.difficultyMismatches).toBe(0);
      expect(r.prepUnsourced).toBe(0);
      for (const x of r.results) expect(x.secrets).toBe(10);
    },
  );
});
