import { describe, expect, it } from 'vitest';
import { BuildSchema, repair, validate, type BuildInput } from '../../src/index';
import { loadSrd } from '../srd';

const content = loadSrd();

function elf(level: number, spells: string[]): BuildInput {
  return {
    ruleset: '2024',
    name: 'Lae',
    species: 'elf',
    lineage: 'high-elf',
    background: 'soldier',
    classes: [{ class: 'fighter', level }],
    abilityScores: { str: 15, dex: 14, con: 13, int: 12, wis: 10, cha: 8 },
    grantedSpells: [{ source: { kind: 'lineage', id: 'high-elf' }, cantrips: ['prestidigitation'], spells }],
  };
}

const codes = (b: BuildInput) =>
  validate(BuildSchema.parse(b), content)
    .issues.filter((i) => i.path.startsWith('/grantedSpells'))
    .map((i) => i.code);

describe('lineage spells unlock at character levels 3 and 5 (High Elf: Detect Magic, Misty Step)', () => {
  it('validate: none at level 2, Detect Magic from 3, both from 5', () => {
    expect(codes(elf(2, ['detect-magic']))).toContain('granted-spell-locked');
    expect(codes(elf(3, ['detect-magic']))).toEqual([]);
    expect(codes(elf(3, ['detect-magic', 'misty-step']))).toContain('granted-spell-locked');
    expect(codes(elf(5, ['detect-magic', 'misty-step']))).toEqual([]);
  });

  it('repair removes a spell the character is too low to have, naming the level', () => {
    const r = repair(BuildSchema.parse(elf(4, ['detect-magic', 'misty-step'])), content);
    expect(r.build.grantedSpells?.[0]?.spells).toEqual(['detect-magic']);
    expect(r.changes.some((c) => /character level 5/.test(c.reason))).toBe(true);
  });
});
