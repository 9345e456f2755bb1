import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface SpellRow {
  id: string;
  damage: { dice: string; types: string[] } | null;
  save: string | null;
  summary: string;
}

const spells = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../resources/srd/spells.json'), 'utf8'),
) as SpellRow[];
const byId = new Map(spells.map((s) => [s.id, s]));

describe('imported spells', () => {
  it('drops a damage roll the spell text never states (Open5e copied Freezing Sphere into Freedom of Movement)', () => {
    const freedom = byId.get('freedom-of-movement');
    expect(freedom?.damage).toBeNull();
    expect(freedom?.save).toBeNull();
    expect(freedom?.summary).not.toMatch(/10d6|sphere|save/i);
    const sphere = byId.get('freezing-sphere');
    expect(sphere?.damage).toEqual({ dice: '10d6', types: ['cold'] });
    expect(sphere?.save).toBe('con');
  });
});
