import { describe, expect, it } from 'vitest';
import { parseDamage, parseMultiattack, parseSave, parseSpellcasting } from './creatures';
import { averageOf, normDice, pbForCr, slug } from './util';

describe('import-srd text parsers', () => {
  it('slugs SRD names into ids', () => {
    expect(slug('Longsword (+1)')).toBe('longsword-1');
    expect(slug('Studded Leather Armor')).toBe('studded-leather-armor');
    expect(slug("Hunter's Mark")).toBe('hunters-mark');
    expect(slug('Wand of the War Mage +2')).toBe('wand-of-the-war-mage-2');
  });

  it('normalises dice and averages them as stat blocks print them', () => {
    expect(normDice('2d6 + 5')).toBe('2d6+5');
    expect(normDice('1d4 − 1')).toBe('1d4-1');
    expect(averageOf('2d6+5')).toBe(12);
    expect(averageOf('1d4-1')).toBe(1);
    expect(averageOf('7')).toBe(7);
  });

  it('gives PB by CR', () => {
    expect([0, 0.5, 4, 5, 8, 9, 13, 17, 21, 25, 29, 30].map(pbForCr)).toEqual([
      2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 9,
    ]);
  });

  it('reads hit damage with riders but not conditional riders', () => {
    expect(parseDamage('13 (1d10 + 8) Slashing damage plus 5 (2d4) Fire damage.')).toEqual([
      { dice: '1d10+8', average: 13, type: 'slashing' },
      { dice: '2d4', average: 5, type: 'fire' },
    ]);
    expect(
      parseDamage(
        '5 (1d6 + 2) Slashing damage, plus 2 (1d4) Slashing damage if the attack roll had Advantage.',
      ),
    ).toEqual([{ dice: '1d6+2', average: 5, type: 'slashing' }]);
    expect(parseDamage('Hit: 1 Piercing damage.')).toEqual([{ dice: '1', average: 1, type: 'piercing' }]);
  });

  it('reads save effects', () => {
    expect(
      parseSave(
        'Dexterity Saving Throw: DC 18, each creature in a 60-foot-long, 5-foot-wide Line. Failure: 54 (12d8) Acid damage. Success: Half damage.',
      ),
    ).toEqual({
      ability: 'dex',
      dc: 18,
      damage: [{ dice: '12d8', average: 54, type: 'acid' }],
      onSuccess: 'half',
      area: true,
    });
    expect(
      parseSave(
        'Wisdom Saving Throw: DC 16, one creature the aboleth can see within 30 feet. Failure: The target has the Charmed condition.',
      ),
    ).toEqual({
      ability: 'wis',
      dc: 16,
      damage: [],
      onSuccess: 'none',
      area: false,
    });
  });

  it('reads multiattack routines and resolves action names', () => {
    const actions = [
      'Multiattack',
      'Tentacle',
      'Consume Memories',
      'Dominate Mind',
      'Bite',
      'Claw',
      'Tail',
      'Constrict',
    ];
    expect(
      parseMultiattack(
        'The aboleth makes two Tentacle attacks and uses either Consume Memories or Dominate Mind if available.',
        actions,
      ),
    ).toEqual({ routine: [{ action: 'Tentacle', count: 2 }], unresolved: [] });
    expect(
      parseMultiattack('The beast makes one Bite attack and two Claw attacks.', actions).routine,
    ).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Claw', count: 2 },
    ]);
    expect(
      parseMultiattack('The beast makes three attacks, using Claw or Tail in any combination.', actions)
        .routine,
    ).toEqual([{ action: 'Claw', count: 3 }]);
    expect(parseMultiattack('The snake makes one Bite attack and uses Constrict.', actions).routine).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Constrict', count: 1 },
    ]);
    expect(
      parseMultiattack('The beast makes two Claw attacks, or it makes three Tail attacks.', actions).routine,
    ).toEqual([{ action: 'Claw', count: 2 }]);
    expect(parseMultiattack('The thing makes two Wing attacks.', actions)).toEqual({
      routine: [],
      unresolved: ['Wing'],
    });
  });

  it('reads monster spellcasting', () => {
    const sc = parseSpellcasting(
      'The mage casts one of the following spells, using Intelligence as the spellcasting ability (spell save DC 14, +6 to hit with spell attacks):\n\n- **At Will:** Detect Magic, Light\n- **2/Day Each:** Fireball (level 4 version)',
      new Set(['detect-magic', 'light', 'fireball']),
      'test',
    );
    expect(sc).toEqual({
      ability: 'int',
      dc: 14,
      attackBonus: 6,
      spells: [
        { spell: 'detect-magic', usage: 'at-will' },
        { spell: 'light', usage: 'at-will' },
        { spell: 'fireball', usage: '2/day' },
      ],
    });
  });
});
