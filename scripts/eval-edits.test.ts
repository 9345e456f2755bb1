import { describe, expect, it } from 'vitest';
import { loadSrdContent } from '../packages/core/src/content/load-srd';
import { formatEditChecks, runEditChecks } from './eval-edits';

describe('pnpm eval: refine, retheme and squad checks (offline pipeline)', () => {
  it('every check passes and the report counts them per area', async () => {
    const checks = await runEditChecks(loadSrdContent());
    expect(checks.filter((c) => c.area === 'refine').length).toBeGreaterThanOrEqual(8);
    expect(checks.filter((c) => c.area === 'retheme').length).toBeGreaterThanOrEqual(4);
    expect(checks.filter((c) => c.area === 'squad').length).toBeGreaterThanOrEqual(3);
    for (const c of checks) expect(c.passed, `${c.area} ${c.name}: ${c.detail}`).toBe(true);
    expect(formatEditChecks(checks)).toMatch(/refine: \d+\/\d+ checks pass/);
  }, 120_000);
});
