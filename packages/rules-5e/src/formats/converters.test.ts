import { describe, expect, it } from 'vitest';
import { CreatureSchema } from '../content/types';
import { estimateCr } from '../cr/estimate';
import { proficiencyBonusForCr } from '../encounter/cr';
import { featureDamage2014, fromDnd5eApiMonster, saveRider2014, statBlockRuleset } from './dnd5eapi';
import { CreatureFormatError } from './format-input';
import { fromOpen5eCreature } from './open5e';
import { loadSrdData } from '../../test/srd';

/** The error message a converter gives for `raw` ('no error' when it converts). */
function messageOf(convert: (raw: unknown) => unknown, raw: unknown): string {
  try {
    convert(raw);
  } catch (err) {
    if (err instanceof CreatureFormatError) return err.message;
    throw err;
  }
  return 'no error';
}

/** A small Open5e v2 API creature (made-up bear-owl; the fields and wording follow the API and 2024 style). */
function open5eBeast(): Record<string, unknown> {
  return {
    key: 'srd-2024_test-beast',
    name: 'Test Beast',
    size: { key: 'large', name: 'Large' },
    type: { key: 'monstrosity', name: 'Monstrosity' },
    alignment: 'unaligned',
    armor_class: 13,
    hit_points: 59,
    hit_dice: '7d10 + 21',
    challenge_rating_decimal: '3.000',
    ability_scores: {
      strength: 20,
      dexterity: 12,
      constitution: 17,
      intelligence: 3,
      wisdom: 12,
      charisma: 7,
    },
    initiative_bonus: 1,
    saving_throws: { strength: 7, dexterity: 1 },
    skill_bonuses: { perception: 5, sleight_of_hand: 3 },
    passive_perception: 15,
    speed: { walk: 40, climb: 40, hover: false },
    darkvision_range: 60,
    damage_resistances: ['cold'],
    damage_immunities: [{ key: 'poison', name: 'Poison' }],
    damage_vulnerabilities: [],
    condition_immunities: ['poisoned'],
    languages: [{ key: 'common', name: 'Common' }],
    traits: [
      { name: 'Legendary Resistance (2/Day)', desc: 'Turns failures into successes.' },
      { name: 'Keen Sight', desc: 'Sees well.' },
    ],
    actions: [
      {
        name: 'Rend',
        desc: 'Melee Attack Roll: +6, reach 5 ft. Hit: 14 (2d8 + 5) Slashing damage.',
        action_type: 'ACTION',
        order_in_statblock: 2,
        attacks: [
          {
            to_hit_mod: 7,
            reach: 5,
            damage_die_count: 2,
            damage_die_type: 'D8',
            damage_bonus: 5,
            damage_type: null,
            extra_damage_die_count: null,
            extra_damage_die_type: null,
            extra_damage_type: 'slashing',
          },
        ],
      },
      {
        name: 'Multiattack',
        desc: 'The beast makes two Rend attacks.',
        action_type: 'ACTION',
        order_in_statblock: 1,
        attacks: [],
      },
      {
        name: 'Hurl',
        desc: 'The beast throws a rock.',
        action_type: 'ACTION',
        order_in_statblock: 3,
        attacks: [
          {
            to_hit_mod: 7,
            range: 30,
            long_range: 90,
            damage_die_count: 1,
            damage_die_type: 'D10',
            damage_bonus: 5,
            damage_type: 'bludgeoning',
            extra_damage_die_count: 1,
            extra_damage_die_type: 'D6',
            extra_damage_type: 'cold',
          },
        ],
      },
      {
        name: 'Frost Roar',
        desc: 'Constitution Saving Throw: DC 13, each creature in a 15-foot Cone. Failure: 10 (3d6) Cold damage. Success: Half damage.',
        action_type: 'ACTION',
        order_in_statblock: 4,
        uses_type: 'RECHARGE_ON_ROLL',
        uses_param: 5,
        attacks: [],
      },
      {
        name: 'Pounce',
        desc: 'The beast moves up to half its Speed and makes one Rend attack.',
        action_type: 'LEGENDARY_ACTION',
        order_in_statblock: 1,
        attacks: [],
      },
    ],
  };
}

describe('fromOpen5eCreature', () => {
  it('maps an Open5e v2 API creature with nested actions and attacks', () => {
    const notes: string[] = [];
    const c = fromOpen5eCreature(open5eBeast(), { onNote: (n) => notes.push(n) });
    expect(CreatureSchema.safeParse(c).success).toBe(true);
    expect(c).toMatchObject({
      id: 'test-beast',
      size: 'large',
      type: 'monstrosity',
      ac: 13,
      hp: { average: 59, formula: '7d10+21' },
      speed: { walk: 40, climb: 40 },
      abilities: { str: 20, dex: 12, con: 17 },
      saves: { str: 7 }, // dex 1 equals the modifier: not proficient
      skills: { perception: 5, 'sleight-of-hand': 3 },
      senses: { darkvision: 60, passivePerception: 15 },
      languages: ['Common'],
      resistances: ['cold'],
      immunities: ['poison'],
      conditionImmunities: ['poisoned'],
      cr: 3,
      xp: 700,
      proficiencyBonus: 2,
      legendaryResistance: 2,
    });
    expect(c.speed.hover).toBeUndefined();
    expect(c.actions.map((a) => a.name)).toEqual(['Multiattack', 'Rend', 'Hurl', 'Frost Roar']);
    const [multi, rend, hurl, roar] = c.actions;
    expect(multi?.multiattack).toEqual([{ action: 'Rend', count: 2 }]);
    // Text +6, record +7 = Str +5 + PB 2: the record is right and is kept, with a note.
    expect(rend?.attack).toEqual({
      kind: 'melee',
      bonus: 7,
      reach: 5,
      damage: [{ dice: '2d8+5', average: 14, type: 'slashing' }],
    });
    expect(notes).toEqual([
      'Test Beast Rend: attack bonus text 6 vs record 7; kept 7 (ability modifier + PB).',
    ]);
    // No attack line in the text: the record gives the attack, rider included.
    expect(hurl?.attack).toEqual({
      kind: 'ranged',
      bonus: 7,
      range: { normal: 30, long: 90 },
      damage: [
        { dice: '1d10+5', average: 10, type: 'bludgeoning' },
        { dice: '1d6', average: 3, type: 'cold' },
      ],
    });
    expect(roar?.save).toEqual({
      ability: 'con',
      dc: 13,
      damage: [{ dice: '3d6', average: 10, type: 'cold' }],
      onSuccess: 'half',
      area: true,
    });
    expect(roar?.usage).toEqual({ type: 'recharge', min: 5 });
    expect(c.legendaryActions).toEqual({
      uses: 3,
      actions: [
        expect.objectContaining({ name: 'Pounce', cost: 1, multiattack: [{ action: 'Rend', count: 1 }] }),
      ],
    });
    // Summaries are generated from mechanics, never the source text.
    expect(rend?.summary).toBe('Melee attack +7, reach 5 ft: 14 (2d8+5) slashing.');
    expect(c.traits[1]).toEqual({ name: 'Keen Sight', summary: 'Keen Sight trait.' });
    expect(c.summary).toBe('Large monstrosity, CR 3 (700 XP), AC 13, 59 HP, legendary.');
  });

  it('reads the flat fixture fields and plain keys too', () => {
    const raw = open5eBeast();
    const scores = raw['ability_scores'] as Record<string, number>;
    delete raw['ability_scores'];
    for (const [k, v] of Object.entries(scores)) raw[`ability_score_${k}`] = v;
    raw['size'] = 'large';
    raw['languages_desc'] = 'Common, Primordial (Aquan, Terran); telepathy 60 ft.';
    const c = fromOpen5eCreature(raw);
    expect(c.abilities.str).toBe(20);
    expect(c.languages).toEqual(['Common', 'Primordial (Aquan, Terran)']);
    expect(c.telepathy).toBe(60);
  });

  it('gives 0 XP to a harmless CR 0 creature and 10 to one that deals damage', () => {
    const raw = { ...open5eBeast(), challenge_rating_decimal: '0.000', actions: [] };
    expect(fromOpen5eCreature(raw).xp).toBe(0);
    expect(fromOpen5eCreature({ ...open5eBeast(), challenge_rating_decimal: '0' }).xp).toBe(10);
  });

  it('names the field when a fact is missing or wrong', () => {
    expect(messageOf(fromOpen5eCreature, [1, 2])).toBe('must be a JSON object (an Open5e v2 creature)');
    expect(messageOf(fromOpen5eCreature, { ...open5eBeast(), name: '' })).toBe('name: required');
    const noDex = open5eBeast();
    delete (noDex['ability_scores'] as Record<string, unknown>)['dexterity'];
    expect(messageOf(fromOpen5eCreature, noDex)).toBe('ability_scores.dexterity: must be a number');
    expect(messageOf(fromOpen5eCreature, { ...open5eBeast(), challenge_rating_decimal: '7/3' })).toMatch(
      /^challenge_rating_decimal: must be a challenge rating/,
    );
    expect(messageOf(fromOpen5eCreature, { ...open5eBeast(), size: 'colossal' })).toMatch(
      /^size: must be one of tiny, small/,
    );
    expect(messageOf(fromOpen5eCreature, { ...open5eBeast(), hit_points: 'many' })).toBe(
      'hit_points: must be a number',
    );
    expect(
      messageOf(fromOpen5eCreature, {
        ...open5eBeast(),
        actions: [{ name: 'Spellcasting', desc: 'It casts spells.', action_type: 'ACTION' }],
      }),
    ).toBe('actions[0].desc: spellcasting ability not found in the text');
    expect(
      messageOf(fromOpen5eCreature, { ...open5eBeast(), actions: [{ name: 'Bite', action_type: 'LAIR' }] }),
    ).toMatch(/^actions\[0\]\.action_type: must be one of ACTION/);
  });
});

/** A small dnd5eapi monster in the 2024 5e-bits shape (made-up values and wording). */
function dnd5eDrake(): Record<string, unknown> {
  return {
    index: 'test-drake',
    name: 'Test Drake',
    size: 'Huge',
    type: 'dragon',
    alignment: 'chaotic evil',
    armor_class: [{ type: 'natural', value: 19 }],
    hit_points: 195,
    hit_dice: '17d12',
    hit_points_roll: '17d12+85',
    speed: { walk: '40 ft.', fly: '80 ft.', swim: '40 ft.' },
    strength: 23,
    dexterity: 14,
    constitution: 21,
    intelligence: 14,
    wisdom: 13,
    charisma: 19,
    proficiencies: [
      { value: 7, proficiency: { index: 'saving-throw-dex' } },
      { value: 11, proficiency: { index: 'skill-perception' } },
    ],
    damage_resistances: [],
    damage_immunities: ['acid'],
    damage_vulnerabilities: [],
    condition_immunities: [{ index: 'frightened', name: 'Frightened' }],
    senses: { blindsight: '60 ft.', darkvision: '120 ft.', passive_perception: 21 },
    languages: 'Common, Draconic',
    challenge_rating: 14,
    proficiency_bonus: 5,
    xp: 11500,
    special_abilities: [
      {
        name: 'Legendary Resistance',
        desc: 'Turns failures into successes.',
        usage: { type: 'per day', times: 3 },
      },
    ],
    actions: [
      {
        name: 'Multiattack',
        desc: 'Three Rend attacks; one can be a spell instead.',
        actions: [{ action_name: 'Rend', count: 2, type: 'melee' }],
        action_options: {
          choose: 1,
          type: 'action',
          from: {
            option_set_type: 'options_array',
            options: [
              { option_type: 'action', action_name: 'Rend', count: 1, type: 'melee' },
              { option_type: 'action', action_name: 'Spellcasting', count: 1, type: 'ability' },
            ],
          },
        },
      },
      {
        name: 'Rend',
        desc: 'Melee Attack Roll: +11, reach 10 ft. Hit: 13 (2d6 + 6) Slashing damage plus 4 (1d8) Acid damage.',
        attack_bonus: 11,
        damage: [
          { damage_type: { index: 'slashing' }, damage_dice: '2d6+6' },
          { damage_type: { index: 'acid' }, damage_dice: '1d8' },
        ],
      },
      {
        name: 'Acid Breath',
        desc: 'Dexterity Saving Throw: DC 18, each creature in a 60-foot-long, 5-foot-wide Line. Failure: 54 (12d8) Acid damage. Success: Half damage.',
        dc: { dc_type: { index: 'dex' }, dc_value: 18, success_type: 'half' },
        damage: [{ damage_type: { index: 'acid' }, damage_dice: '12d8' }],
        usage: { type: 'recharge on roll', dice: '1d6', min_value: 5 },
      },
      {
        name: 'Spellcasting',
        desc: 'The drake casts spells.',
        spellcasting: {
          ability: { index: 'cha' },
          dc: 17,
          modifier: 9,
          spells: [
            { index: 'detect-magic', usage: { type: 'at will' } },
            { index: 'fear', usage: { type: 'per day', times: 1 } },
          ],
        },
      },
    ],
    legendary_actions: [
      {
        name: 'Cloud of Insects',
        desc: 'Dexterity Saving Throw: DC 17, one creature within 120 feet. Failure: 22 (4d10) Poison damage. Success: Half damage.',
        dc: { dc_type: { index: 'dex' }, dc_value: 17, success_type: 'half' },
        damage: [{ damage_type: { index: 'poison' }, damage_dice: '4d10' }],
      },
    ],
  };
}

describe('fromDnd5eApiMonster', () => {
  it('maps a 5e-bits monster, preferring its structured facts', () => {
    const c = fromDnd5eApiMonster(dnd5eDrake());
    expect(CreatureSchema.safeParse(c).success).toBe(true);
    expect(c).toMatchObject({
      id: 'test-drake',
      size: 'huge',
      ac: 19,
      hp: { average: 195, formula: '17d12+85' },
      speed: { walk: 40, fly: 80, swim: 40 },
      saves: { dex: 7 },
      skills: { perception: 11 },
      senses: { blindsight: 60, darkvision: 120, passivePerception: 21 },
      languages: ['Common', 'Draconic'],
      immunities: ['acid'],
      conditionImmunities: ['frightened'],
      cr: 14,
      xp: 11500,
      proficiencyBonus: 5,
      legendaryResistance: 3,
      initiative: 2,
    });
    const [multi, rend, breath, spells] = c.actions;
    // Rend ×2 plus the choice's first option (Rend again): the text's three Rend attacks.
    expect(multi?.multiattack).toEqual([{ action: 'Rend', count: 3 }]);
    expect(rend?.attack).toEqual({
      kind: 'melee',
      bonus: 11,
      reach: 10,
      damage: [
        { dice: '2d6+6', average: 13, type: 'slashing' },
        { dice: '1d8', average: 4, type: 'acid' },
      ],
    });
    expect(breath?.save).toMatchObject({ ability: 'dex', dc: 18, onSuccess: 'half', area: true });
    expect(breath?.usage).toEqual({ type: 'recharge', min: 5 });
    expect(spells?.summary).toBe(
      'Casts spells with Cha, save DC 17, +9 to hit: 1 at will, 1 limited per day.',
    );
    expect(c.spellcasting).toEqual({
      ability: 'cha',
      dc: 17,
      attackBonus: 9,
      spells: [
        { spell: 'detect-magic', usage: 'at-will' },
        { spell: 'fear', usage: '1/day' },
      ],
    });
    expect(c.legendaryActions?.actions[0]).toMatchObject({
      name: 'Cloud of Insects',
      cost: 1,
      save: { ability: 'dex', dc: 17, area: false },
    });
  });

  it('names the field when a fact is missing or wrong', () => {
    expect(messageOf(fromDnd5eApiMonster, 'Aboleth')).toBe('must be a JSON object (a dnd5eapi monster)');
    expect(messageOf(fromDnd5eApiMonster, { ...dnd5eDrake(), dexterity: undefined })).toBe(
      'dexterity: must be a number',
    );
    expect(messageOf(fromDnd5eApiMonster, { ...dnd5eDrake(), armor_class: [] })).toBe(
      'armor_class: must be a number or [{ value }]',
    );
    expect(messageOf(fromDnd5eApiMonster, { ...dnd5eDrake(), challenge_rating: 31 })).toMatch(
      /^challenge_rating: must be a challenge/,
    );
    expect(messageOf(fromDnd5eApiMonster, { ...dnd5eDrake(), hit_points: null })).toBe(
      'hit_points: must be a number',
    );
  });

  it('estimates the CR of a monster that has none (homebrew), from its converted stat block', () => {
    const notes: string[] = [];
    const { challenge_rating: _cr, xp: _xp, proficiency_bonus: _pb, ...homebrew } = dnd5eDrake();
    const c = fromDnd5eApiMonster(homebrew, { onNote: (n) => notes.push(n) });
    expect(CreatureSchema.safeParse(c).success).toBe(true);
    const est = estimateCr({ ...c, cr: 0 });
    expect(c.cr).toBe(est.cr);
    expect(c.cr).toBeGreaterThanOrEqual(8);
    expect(c.xp).toBe(est.xp);
    expect(c.proficiencyBonus).toBe(proficiencyBonusForCr(est.cr));
    expect(notes.some((n) => /no challenge_rating given; estimated CR/.test(n))).toBe(true);
    // A null CR is "none given" too; a malformed one is still an error naming the field.
    expect(fromDnd5eApiMonster({ ...homebrew, challenge_rating: null }).cr).toBe(est.cr);
    expect(messageOf(fromDnd5eApiMonster, { ...homebrew, challenge_rating: 'lots' })).toMatch(
      /^challenge_rating: /,
    );
  });

  it('reads 2014 stat blocks: save riders on attacks, slot spells, and the edition of the text', () => {
    const stinger =
      'Melee Weapon Attack: +9 to hit, reach 10 ft., one creature. Hit: 19 (3d6 + 9) piercing damage, and the ' +
      'target must make a DC 19 Constitution saving throw, taking 42 (12d6) poison damage on a failed save, or ' +
      'half as much damage on a successful one.';
    expect(saveRider2014(stinger)).toEqual({
      ability: 'con',
      dc: 19,
      damage: [{ dice: '12d6', type: 'poison', average: 42 }],
      onSuccess: 'half',
      area: false,
    });
    expect(
      saveRider2014('Hit: 7 (1d8 + 3) piercing damage. DC 13 Strength saving throw or be grappled.'),
    ).toBe(undefined);
    const worm = {
      name: 'Test Worm',
      strength: 28,
      dexterity: 7,
      constitution: 22,
      intelligence: 1,
      wisdom: 8,
      charisma: 4,
      armor_class: [{ type: 'natural', value: 18 }],
      hit_points: 247,
      size: 'Gargantuan',
      challenge_rating: 15,
      actions: [
        {
          name: 'Tail Stinger',
          desc: stinger,
          attack_bonus: 9,
          damage: [{ damage_type: { index: 'piercing' }, damage_dice: '3d6+9' }],
        },
      ],
      special_abilities: [
        {
          name: 'Spellcasting',
          desc: 'The worm is a 9th-level spellcaster.',
          spellcasting: {
            level: 9,
            ability: { index: 'int' },
            dc: 17,
            modifier: 9,
            slots: { '1': 4, '5': 1 },
            spells: [
              { name: 'Fire Bolt', level: 0 },
              { name: 'Cone of Cold', level: 5 },
            ],
          },
        },
      ],
    };
    const c = fromDnd5eApiMonster(worm);
    expect(c.actions[0]?.save?.damage[0]?.average).toBe(42);
    expect(estimateCr(c).details.dpr).toBeGreaterThan(
      estimateCr({ ...c, actions: [{ ...c.actions[0]!, save: undefined }] }).details.dpr,
    );
    expect(c.spellcasting?.spells).toEqual([
      { spell: 'fire-bolt', usage: 'at-will' },
      { spell: 'cone-of-cold', usage: 'slot level 5' },
    ]);
    // The caster level (cantrip damage) and the slots by level (how often each spell can be cast) are kept.
    expect(c.spellcasting).toMatchObject({ level: 9, slots: [4, 0, 0, 0, 1] });
    // A homebrew caster (no CR) gets its spells priced from the spell data it is given.
    const { challenge_rating: _cr, ...homebrew } = worm;
    const notes: string[] = [];
    const spells = new Map(loadSrdData().spells.map((sp) => [sp.id, sp]));
    const withSpells = fromDnd5eApiMonster(homebrew, { spells, onNote: (n) => notes.push(n) });
    expect(notes.join(' ')).toMatch(/estimated CR/);
    expect(withSpells.cr).toBe(estimateCr(withSpells, { ruleset: '2014', spells }).cr);
    expect(estimateCr(withSpells, { ruleset: '2014', spells }).details.notes.join(' ')).toMatch(
      /Cone of Cold \(level 5 slot\)/,
    );
    expect(statBlockRuleset(worm)).toBe('2014');
    // "Hit: The target must make a DC 15 … saving throw, taking 45 (10d8)": the text's damage is the rider's,
    // counted once.
    const spit = fromDnd5eApiMonster({
      ...worm,
      actions: [
        {
          name: 'Spit Poison',
          desc: 'Ranged Weapon Attack: +8 to hit, range 15/30 ft., one creature. Hit: The target must make a DC 15 Constitution saving throw, taking 45 (10d8) poison damage on a failed save, or half as much damage on a successful one.',
          attack_bonus: 8,
        },
      ],
    });
    expect(spit.actions[0]?.attack?.damage.map((d) => d.average)).toEqual([45]);
    expect(spit.actions[0]?.save).toBe(undefined);
    // A 2014 Multiattack kept only as a choice: its first option is the routine.
    const kraken = fromDnd5eApiMonster({
      ...worm,
      actions: [
        {
          name: 'Multiattack',
          desc: 'The worm makes three tentacle attacks, each of which it can replace with one use of Fling.',
          action_options: {
            choose: 1,
            from: {
              options: [
                { option_type: 'action', action_name: 'Tentacle', count: 3 },
                {
                  option_type: 'multiple',
                  items: [
                    { option_type: 'action', action_name: 'Tentacle', count: 2 },
                    { option_type: 'action', action_name: 'Fling', count: 1 },
                  ],
                },
              ],
            },
          },
        },
        {
          name: 'Tentacle',
          desc: 'Melee Weapon Attack: +17 to hit, reach 30 ft. Hit: 20 (3d6 + 10) bludgeoning damage.',
          attack_bonus: 17,
          damage: [{ damage_type: { index: 'bludgeoning' }, damage_dice: '3d6+10' }],
        },
        { name: 'Fling', desc: 'One object or creature is thrown.' },
      ],
    });
    expect(kraken.actions[0]?.multiattack).toEqual([{ action: 'Tentacle', count: 3 }]);
    // A routine naming "Claws" where the action is "Claw" still resolves.
    const turtle = fromDnd5eApiMonster({
      ...worm,
      actions: [
        {
          name: 'Multiattack',
          desc: 'The turtle makes three attacks: one with its bite and two with its claws.',
          actions: [
            { action_name: 'Bite', count: 1 },
            { action_name: 'Claws', count: 2 },
          ],
        },
        {
          name: 'Bite',
          desc: 'Melee Weapon Attack: +13 to hit, reach 15 ft. Hit: 26 (3d12 + 7) piercing damage.',
          attack_bonus: 13,
          damage: [{ damage_type: { index: 'piercing' }, damage_dice: '3d12+7' }],
        },
        {
          name: 'Claw',
          desc: 'Melee Weapon Attack: +13 to hit, reach 10 ft. Hit: 16 (2d8 + 7) slashing damage.',
          attack_bonus: 13,
          damage: [{ damage_type: { index: 'slashing' }, damage_dice: '2d8+7' }],
        },
      ],
    });
    expect(turtle.actions[0]?.multiattack).toEqual([
      { action: 'Bite', count: 1 },
      { action: 'Claw', count: 2 },
    ]);
    expect(statBlockRuleset(dnd5eDrake())).toBe('2024');
    // A count given as a quantity of the creature's own ("Number of Heads") is read from its traits.
    const hydraActions = [
      {
        name: 'Multiattack',
        desc: 'The hydra makes as many bite attacks as it has heads.',
        actions: [{ action_name: 'Bite', count: 'Number of Heads', type: 'melee' }],
      },
      {
        name: 'Bite',
        desc: 'Melee Weapon Attack: +8 to hit, reach 10 ft., one target. Hit: 10 (1d10 + 5) piercing damage.',
        attack_bonus: 8,
        damage: [{ damage_type: { index: 'piercing' }, damage_dice: '1d10+5' }],
      },
    ];
    const hydra = fromDnd5eApiMonster({
      ...worm,
      special_abilities: [
        { name: 'Multiple Heads', desc: 'The hydra has five heads. While it has more than one…' },
      ],
      actions: hydraActions,
    });
    expect(hydra.actions[0]?.multiattack).toEqual([{ action: 'Bite', count: 5 }]);
    // Not stated in the traits: one attack, as before.
    const unsaid = fromDnd5eApiMonster({ ...worm, special_abilities: [], actions: hydraActions });
    expect(unsaid.actions[0]?.multiattack).toEqual([{ action: 'Bite', count: 1 }]);
  });
});

describe('featureDamage2014: damage a 2014 feature deals outside the actions (DMG monster features)', () => {
  it('reads sneak attack, charge, surprise attack, auras and swallowing; skips damage already in the attack', () => {
    expect(
      featureDamage2014(
        'Sneak Attack (1/Turn)',
        'The spy deals an extra 7 (2d6) damage when it hits a target with a weapon attack and has advantage on the attack roll.',
      ),
    ).toEqual({ feature: 'Sneak Attack (1/Turn)', average: 7, per: 'round' });
    expect(
      featureDamage2014(
        'Charge',
        'If the boar moves at least 20 ft. straight toward a target and then hits it with a tusk attack on the same turn, the target takes an extra 3 (1d6) slashing damage.',
      ),
    ).toEqual({ feature: 'Charge', average: 3, per: 'once' });
    expect(
      featureDamage2014(
        'Fire Aura',
        "At the start of each of the balor's turns, each creature within 5 feet of it takes 10 (3d6) fire damage.",
      ),
    ).toEqual({ feature: 'Fire Aura', average: 10, per: 'round' });
    // Swallowed: two rounds of the digestion damage, once.
    expect(
      featureDamage2014(
        'Swallow',
        "If the attack hits, the target is also swallowed. A swallowed creature takes 21 (6d6) acid damage at the start of each of the behir's turns.",
      ),
    ).toEqual({ feature: 'Swallow', average: 42, per: 'once' });
    expect(
      featureDamage2014(
        'Engulf',
        "The engulfed creature can't breathe and takes 21 (6d6) acid damage at the start of each of the cube's turns.",
      ),
    ).toEqual({ feature: 'Engulf', average: 42, per: 'once' });
    expect(
      featureDamage2014(
        'Hellish Weapons',
        'Its weapon attacks deal an extra 13 (3d8) poison damage on a hit (included in the attacks).',
      ),
    ).toBe(undefined);
    expect(
      featureDamage2014('Keen Smell', 'Advantage on Wisdom (Perception) checks that rely on smell.'),
    ).toBe(undefined);
  });

  it('the converter keeps them on the creature and the estimate counts them', () => {
    const spy = {
      name: 'Test Spy',
      strength: 10,
      dexterity: 15,
      constitution: 10,
      intelligence: 12,
      wisdom: 14,
      charisma: 16,
      armor_class: [{ value: 12 }],
      hit_points: 27,
      size: 'Medium',
      challenge_rating: 1,
      special_abilities: [
        {
          name: 'Sneak Attack (1/Turn)',
          desc: 'The spy deals an extra 7 (2d6) damage when it hits a target with a weapon attack.',
        },
      ],
      actions: [
        {
          name: 'Shortsword',
          desc: 'Melee Weapon Attack: +4 to hit, reach 5 ft., one target. Hit: 5 (1d6 + 2) piercing damage.',
          attack_bonus: 4,
          damage: [{ damage_type: { index: 'piercing' }, damage_dice: '1d6+2' }],
        },
      ],
    };
    const c = fromDnd5eApiMonster(spy);
    expect(c.featureDamage).toEqual([{ feature: 'Sneak Attack (1/Turn)', average: 7, per: 'round' }]);
    const e = estimateCr(c, { method: 'dmg2014' });
    expect(e.details.dpr).toBeCloseTo(5 + 7, 5);
    expect(e.details.notes).toContain('Sneak Attack (1/Turn): +7 damage per round');
    expect(CreatureSchema.parse(c).featureDamage).toEqual(c.featureDamage);
    // Regeneration keeps the hit points it regains, which the estimate reads (10 is assumed without it).
    const regen = fromDnd5eApiMonster({
      ...spy,
      special_abilities: [
        {
          name: 'Regeneration',
          desc: "The spy regains 20 hit points at the start of its turn if it has at least 1 hit point and isn't in sunlight.",
        },
      ],
    });
    expect(regen.traits[0]?.summary).toMatch(/regains 20 hit points/);
    expect(estimateCr(regen, { method: 'dmg2014' }).details.notes).toContain('regeneration 20/round: +60 HP');
  });
});
