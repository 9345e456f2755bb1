import { describe, expect, it } from 'vitest';
import {
  averageDamage,
  parseAttackText,
  parseDamageRolls,
  parseLegendaryResistance,
  parseMultiattack,
  parseSaveEffect,
  parseUsage,
} from './stat-block-text';

describe('stat-block text parsers', () => {
  it('reads a 2024 attack roll line', () => {
    expect(
      parseAttackText(
        'Melee Attack Roll: +9, reach 15 ft. Hit: 12 (2d6 + 5) Bludgeoning damage. If the target is Large…',
      ),
    ).toEqual({
      kind: 'melee',
      bonus: 9,
      reach: 15,
      damage: [{ average: 12, dice: '2d6+5', type: 'bludgeoning' }],
    });
    expect(
      parseAttackText('Ranged Attack Roll: +4, range 80/320 ft. Hit: 5 (1d6 + 2) Piercing damage.'),
    ).toEqual({
      kind: 'ranged',
      bonus: 4,
      range: { normal: 80, long: 320 },
      damage: [{ average: 5, dice: '1d6+2', type: 'piercing' }],
    });
    expect(
      parseAttackText(
        'Melee or Ranged Attack Roll: -1, reach 5 ft. or range 20/60 ft. Hit: 1 (1d4 - 1) Piercing damage.',
      )?.kind,
    ).toBe('melee-or-ranged');
    expect(parseAttackText('The dragon flies up to half its speed.')).toBeUndefined();
  });

  it('reads a save effect with damage riders and half on success', () => {
    const save = parseSaveEffect(
      'Dexterity Saving Throw: DC 21, each creature in a 60-foot-long, 5-foot-wide Line. Failure: 54 (12d8) Acid damage plus 7 (2d6) Fire damage. Success: Half damage.',
    );
    expect(save).toEqual({
      ability: 'dex',
      dc: 21,
      damage: [
        { average: 54, dice: '12d8', type: 'acid' },
        { average: 7, dice: '2d6', type: 'fire' },
      ],
      onSuccess: 'half',
      area: true,
    });
    const single = parseSaveEffect(
      'Wisdom Saving Throw: DC 16, one creature the aboleth can see within 30 feet. Failure: The target has the Charmed condition.',
    );
    expect(single).toMatchObject({ ability: 'wis', dc: 16, damage: [], onSuccess: 'none', area: false });
    expect(parseSaveEffect('The target is pushed 10 feet.')).toBeUndefined();
  });

  it('resolves multiattack routines against the action names', () => {
    const names = ['Multiattack', 'Tentacle', 'Consume Memories', 'Dominate Mind'];
    expect(
      parseMultiattack(
        'The aboleth makes two Tentacle attacks and uses either Consume Memories or Dominate Mind if available.',
        names,
      ),
    ).toEqual([{ action: 'Tentacle', count: 2 }]);
    expect(
      parseMultiattack(
        'The dragon makes three Rend attacks. It can replace one attack with a use of Spellcasting.',
        ['Rend', 'Spellcasting'],
      ),
    ).toEqual([{ action: 'Rend', count: 3 }]);
    expect(
      parseMultiattack('The owlbear makes two attacks: one with its Beak and one with its Claws.', [
        'Beak',
        'Claw',
      ]),
    ).toEqual([
      { action: 'Beak', count: 1 },
      { action: 'Claw', count: 1 },
    ]);
    expect(
      parseMultiattack('The knight makes two Greatsword attacks or two Heavy Crossbow attacks.', [
        'Greatsword',
        'Heavy Crossbow',
      ]),
    ).toEqual([{ action: 'Greatsword', count: 2 }]);
  });

  it('reads usage limits and legendary resistance', () => {
    expect(parseUsage('Fire Breath (Recharge 5–6)')).toEqual({ type: 'recharge', min: 5 });
    expect(parseUsage('Lightning Breath (Recharge 6)')).toEqual({ type: 'recharge', min: 6 });
    expect(parseUsage('Dominate Mind (2/Day)')).toEqual({ type: 'per-day', times: 2 });
    expect(parseUsage('Bite')).toBeUndefined();
    expect(parseLegendaryResistance('Legendary Resistance (3/Day, or 4/Day in Lair)')).toBe(3);
    expect(parseLegendaryResistance('Amphibious')).toBe(0);
  });

  it('averages dice like stat blocks do', () => {
    expect(averageDamage('2d6+5')).toBe(12);
    expect(averageDamage('1d4-1')).toBe(1);
    expect(averageDamage('10d8')).toBe(45);
    expect(averageDamage('7')).toBe(7);
    expect(averageDamage('nonsense')).toBe(0);
    expect(parseDamageRolls('Hit: 13 (2d8 + 4) Slashing damage plus 3 (1d6) Poison damage.')).toHaveLength(2);
  });
});
