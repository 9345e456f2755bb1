import { describe, expect, it } from 'vitest';
import {
  abilityFromName,
  averageDamage,
  diceAverage,
  diceFrom,
  normaliseDice,
  parseAttackText,
  parseDamageRolls,
  parseLegendaryResistance,
  parseMultiattack,
  parseMultiattackRoutine,
  parseSaveEffect,
  parseSpellcasting,
  parseUsage,
  slugify,
  wordNumber,
} from './stat-block-text';
import { summariseAction, summariseTrait } from './stat-block-summary';

describe('dice', () => {
  it('normalises dice text into the DiceSchema form', () => {
    expect(normaliseDice('2d6 + 5')).toBe('2d6+5');
    expect(normaliseDice('1d4 − 1')).toBe('1d4-1');
    expect(normaliseDice('2D6')).toBe('2d6');
    expect(diceFrom(2, 'D8', 5)).toBe('2d8+5');
    expect(diceFrom(1, 4, -1)).toBe('1d4-1');
    expect(diceFrom(3, 'd6')).toBe('3d6');
  });

  it('averages dice as stat blocks print them (floor)', () => {
    expect(diceAverage('2d6+5')).toBe(12);
    expect(diceAverage('1d4-1')).toBe(1);
    expect(diceAverage('10d8')).toBe(45);
    expect(diceAverage('7')).toBe(7);
    expect(diceAverage('1d4-3')).toBe(-1);
    expect(diceAverage('nonsense')).toBeUndefined();
    expect(averageDamage('1d4-3')).toBe(0);
    expect(averageDamage('nonsense')).toBe(0);
  });

  it('reads number words and ability names', () => {
    expect(['two', 'an', 'twice', '12', 'many'].map(wordNumber)).toEqual([2, 1, 2, 12, undefined]);
    expect(['Dexterity', 'dex', 'CHA', 'luck'].map(abilityFromName)).toEqual([
      'dex',
      'dex',
      'cha',
      undefined,
    ]);
    expect(slugify('Longsword (+1)')).toBe('longsword-1');
    expect(slugify("Will-o'-Wisp")).toBe('will-o-wisp');
  });
});

describe('damage rolls', () => {
  it('reads the hit roll with its riders, but not conditional riders', () => {
    expect(parseDamageRolls('13 (1d10 + 8) Slashing damage plus 5 (2d4) Fire damage.')).toEqual([
      { dice: '1d10+8', average: 13, type: 'slashing' },
      { dice: '2d4', average: 5, type: 'fire' },
    ]);
    expect(
      parseDamageRolls(
        '5 (1d6 + 2) Slashing damage, plus 2 (1d4) Slashing damage if the attack roll had Advantage.',
      ),
    ).toEqual([{ dice: '1d6+2', average: 5, type: 'slashing' }]);
    expect(parseDamageRolls('Hit: 1 Piercing damage.')).toEqual([
      { dice: '1', average: 1, type: 'piercing' },
    ]);
    // 2014 lowercase wording; a number before a word that is no damage type is skipped.
    expect(parseDamageRolls('takes 2 extra damage, then 3 fire damage')).toEqual([
      { dice: '3', average: 3, type: 'fire' },
    ]);
    expect(parseDamageRolls('The target is pushed 10 feet.')).toEqual([]);
  });
});

describe('attack rolls', () => {
  it('reads 2024 attack roll lines', () => {
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
        'Melee or Ranged Attack Roll: −1, reach 5 ft. or range 20/60 ft. Hit: 1 (1d4 − 1) Piercing damage.',
      ),
    ).toMatchObject({ kind: 'melee-or-ranged', bonus: -1, reach: 5, range: { normal: 20, long: 60 } });
    expect(parseAttackText('The dragon flies up to half its speed.')).toBeUndefined();
  });

  it('reads the 2014 "Weapon Attack" wording', () => {
    expect(
      parseAttackText(
        'Melee Weapon Attack: +9 to hit, reach 10 ft., one target. Hit: 12 (2d6 + 5) bludgeoning damage plus 3 (1d6) acid damage.',
      ),
    ).toEqual({
      kind: 'melee',
      bonus: 9,
      reach: 10,
      damage: [
        { average: 12, dice: '2d6+5', type: 'bludgeoning' },
        { average: 3, dice: '1d6', type: 'acid' },
      ],
    });
  });
});

describe('save effects', () => {
  it('reads ability, DC, failure damage, half on success and area', () => {
    expect(
      parseSaveEffect(
        'Dexterity Saving Throw: DC 21, each creature in a 60-foot-long, 5-foot-wide Line. Failure: 54 (12d8) Acid damage plus 7 (2d6) Fire damage. Success: Half damage.',
      ),
    ).toEqual({
      ability: 'dex',
      dc: 21,
      damage: [
        { average: 54, dice: '12d8', type: 'acid' },
        { average: 7, dice: '2d6', type: 'fire' },
      ],
      onSuccess: 'half',
      area: true,
    });
    expect(
      parseSaveEffect(
        'Wisdom Saving Throw: DC 16, one creature the aboleth can see within 30 feet. Failure: The target has the Charmed condition.',
      ),
    ).toEqual({ ability: 'wis', dc: 16, damage: [], onSuccess: 'none', area: false });
    expect(parseSaveEffect('The target is pushed 10 feet.')).toBeUndefined();
  });

  it('reads damage only from the Failure clause', () => {
    const save = parseSaveEffect(
      'Constitution Saving Throw: DC 13, one creature. Failure: 10 (3d6) Poison damage. Success: Half damage. Each 7 (2d6) Fire damage later is separate.',
    );
    expect(save?.damage).toEqual([{ average: 10, dice: '3d6', type: 'poison' }]);
  });
});

describe('multiattack routines', () => {
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

  it('reads the main routine and leaves options out', () => {
    expect(
      parseMultiattackRoutine(
        'The aboleth makes two Tentacle attacks and uses either Consume Memories or Dominate Mind if available.',
        actions,
      ),
    ).toEqual({ routine: [{ action: 'Tentacle', count: 2 }], unresolved: [] });
    expect(parseMultiattack('The beast makes one Bite attack and two Claw attacks.', actions)).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Claw', count: 2 },
    ]);
    expect(
      parseMultiattack('The beast makes three attacks, using Claw or Tail in any combination.', actions),
    ).toEqual([{ action: 'Claw', count: 3 }]);
    expect(parseMultiattack('The snake makes one Bite attack and uses Constrict.', actions)).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Constrict', count: 1 },
    ]);
    expect(
      parseMultiattack('The beast makes two Claw attacks, or it makes three Tail attacks.', actions),
    ).toEqual([{ action: 'Claw', count: 2 }]);
    expect(
      parseMultiattack(
        'The dragon makes three Rend attacks. It can replace one attack with a use of Spellcasting.',
        ['Rend', 'Spellcasting'],
      ),
    ).toEqual([{ action: 'Rend', count: 3 }]);
    expect(
      parseMultiattack('The knight makes two Greatsword attacks or two Heavy Crossbow attacks.', [
        'Greatsword',
        'Heavy Crossbow',
      ]),
    ).toEqual([{ action: 'Greatsword', count: 2 }]);
  });

  it('reads the Hydra, the Tarrasque and the older "one with its X" wording', () => {
    expect(parseMultiattack('The hydra makes as many Bite attacks as it has heads.', ['Bite'])).toEqual([
      { action: 'Bite', count: 5 },
    ]);
    expect(
      parseMultiattack(
        'The tarrasque makes one Bite attack and three other attacks, using Claw or Tail in any combination.',
        actions,
      ),
    ).toEqual([
      { action: 'Claw', count: 3 },
      { action: 'Bite', count: 1 },
    ]);
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
      parseMultiattack('The dragon makes three attacks: one with its bite and two with its claws.', [
        'Bite',
        'Claws',
      ]),
    ).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Claws', count: 2 },
    ]);
  });

  it('reports names it cannot resolve', () => {
    expect(parseMultiattackRoutine('The thing makes two Wing attacks.', actions)).toEqual({
      routine: [],
      unresolved: ['Wing'],
    });
    expect(parseMultiattack('The thing makes two Wing attacks.', actions)).toEqual([]);
  });
});

describe('usage, legendary resistance, spellcasting', () => {
  it('reads usage limits and legendary resistance', () => {
    expect(parseUsage('Fire Breath (Recharge 5–6)')).toEqual({ type: 'recharge', min: 5 });
    expect(parseUsage('Lightning Breath (Recharge 6)')).toEqual({ type: 'recharge', min: 6 });
    expect(parseUsage('Dominate Mind (2/Day)')).toEqual({ type: 'per-day', times: 2 });
    expect(parseUsage('Moan (Recharges after a Short or Long Rest)')).toEqual({
      type: 'rest',
      rest: 'short',
    });
    expect(parseUsage('Bite')).toBeUndefined();
    expect(parseLegendaryResistance('Legendary Resistance (3/Day, or 4/Day in Lair)')).toBe(3);
    expect(parseLegendaryResistance('Amphibious')).toBe(0);
  });

  it('reads monster spellcasting lists and prose', () => {
    expect(
      parseSpellcasting(
        'The mage casts one of the following spells, using Intelligence as the spellcasting ability (spell save DC 14, +6 to hit with spell attacks):\n\n- **At Will:** Detect Magic, Light\n- **2/Day Each:** Fireball (level 4 version)',
      ),
    ).toEqual({
      ability: 'int',
      dc: 14,
      attackBonus: 6,
      spells: [
        { spell: 'detect-magic', usage: 'at-will' },
        { spell: 'light', usage: 'at-will' },
        { spell: 'fireball', usage: '2/day' },
      ],
    });
    const prose = parseSpellcasting(
      'The fiend casts Fireball or Hold Monster, using Charisma as the spellcasting ability (spell save DC 21).',
      new Set(['fireball', 'hold-monster']),
    );
    expect(prose?.spells).toEqual([
      { spell: 'fireball', usage: 'at-will' },
      { spell: 'hold-monster', usage: 'at-will' },
    ]);
    expect(prose?.attackBonus).toBeNull();
    expect(parseSpellcasting('The creature casts spells.')).toBeUndefined();
  });
});

describe('summaries in our own words', () => {
  it('summarises actions and traits from their mechanics', () => {
    const desc =
      'Melee Attack Roll: +7, reach 5 ft. Hit: 14 (2d8 + 5) Slashing damage, and the target has the Prone condition.';
    const attack = parseAttackText(desc);
    expect(summariseAction({ name: 'Rend', summary: '', ...(attack ? { attack } : {}) }, desc)).toBe(
      'Melee attack +7, reach 5 ft: 14 (2d8+5) slashing; may impose prone.',
    );
    expect(summariseTrait('Legendary Resistance (3/Day)', 'anything')).toBe(
      'Can turn failed saves into successes a few times per day (3/day).',
    );
    expect(
      summariseTrait('Death Burst', 'Dexterity Saving Throw: DC 12 … Failure: 7 (2d6) Fire damage.'),
    ).toBe('Death Burst trait: DC 12; 7 (2d6) fire.');
  });
});
