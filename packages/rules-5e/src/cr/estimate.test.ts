import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CreatureSchema,
  SpellSchema,
  type Creature,
  type CreatureAction,
  type CreatureInput,
} from '../content/types';
import { CR_STEPS } from '../tables/encounter';
import { xpForCr } from '../encounter/cr';
import { HARD_CONTROL_SPELLS, spellDamage } from './damage';
import { crIndex } from '../encounter/cr';
import { DMG2014_PARAMS, estimateCr, imposesHardControl, nearestCr } from './index';

const ABIL = { str: 10, dex: 10, con: 10, int: 10, wis: 10, cha: 10 };

function creature(over: Partial<CreatureInput> = {}): Creature {
  return CreatureSchema.parse({
    id: 'test-creature',
    name: 'Test Creature',
    size: 'medium',
    type: 'monstrosity',
    alignment: 'unaligned',
    ac: 13,
    hp: { average: 90, formula: '12d8+36' },
    speed: { walk: 30 },
    abilities: ABIL,
    initiative: 0,
    senses: { passivePerception: 10 },
    languages: [],
    resistances: [],
    immunities: [],
    vulnerabilities: [],
    conditionImmunities: [],
    cr: 2,
    xp: 450,
    proficiencyBonus: 2,
    traits: [],
    actions: [],
    summary: 'A creature written for tests.',
    ...over,
  });
}

const attack = (
  name: string,
  bonus: number,
  average: number,
  extra: Partial<CreatureAction> = {},
): CreatureAction => ({
  name,
  summary: `${name} attack.`,
  attack: { kind: 'melee', bonus, reach: 5, damage: [{ dice: '1d6', average, type: 'slashing' }] },
  ...extra,
});

const plain = { method: 'dmg2014' as const };

const spell = (over: Record<string, unknown>) =>
  SpellSchema.parse({
    id: 'fire-bolt',
    name: 'Fire Bolt',
    level: 0,
    school: 'evocation',
    castingTime: '1 action',
    range: '120 feet',
    components: { verbal: true, somatic: true, material: null },
    duration: 'Instantaneous',
    concentration: false,
    ritual: false,
    classes: ['wizard'],
    damage: { dice: '1d10', types: ['fire'] },
    attack: 'ranged',
    scaling: { '5': '2d10', '11': '3d10', '17': '4d10' },
    summary: 'x',
    ...over,
  });
/** A cantrip, an area save spell that upcasts, a spell with no damage, and a bonus-action spell attack. */
const TEST_SPELLS = new Map(
  [
    spell({}),
    spell({
      id: 'burning-cone',
      name: 'Burning Cone',
      level: 3,
      range: 'Self',
      attack: null,
      save: 'dex',
      damage: { dice: '8d6', types: ['fire'] },
      scaling: { '4': '9d6', '5': '10d6' },
    }),
    spell({ id: 'glow', name: 'Glow', level: 1, damage: null, attack: null, scaling: {} }),
    spell({
      id: 'hold-person',
      name: 'Hold Person',
      level: 2,
      damage: null,
      attack: null,
      save: 'wis',
      concentration: true,
      scaling: {},
    }),
    spell({
      id: 'spirit-blade',
      name: 'Spirit Blade',
      level: 2,
      castingTime: '1 bonus action',
      attack: 'melee',
      damage: { dice: '1d8', types: ['force'] },
      scaling: { '4': '2d8' },
    }),
  ].map((sp) => [sp.id, sp]),
);

describe('estimateCr, DMG 2014 method', () => {
  it('reads the HP and damage rows with no adjustment when AC and attack match the row', () => {
    // HP 90 → CR 2 row (86–100, AC 13); DPR 15 → CR 2 row (15–20, attack +3).
    const e = estimateCr(creature({ actions: [attack('Claw', 3, 15)] }), plain);
    expect(e).toMatchObject({ cr: 2, defensiveCr: 2, offensiveCr: 2, xp: 450, method: 'dmg2014' });
    expect(e.details).toMatchObject({
      effectiveHp: 90,
      effectiveAc: 13,
      dpr: 15,
      attackBonus: 3,
      saveDc: null,
    });
    expect(e.details.offenseBy).toBe('attack');
  });

  it.each([
    [11, 1], // −2 → one step down
    [12, 2], // −1 → nothing
    [14, 2], // +1 → nothing
    [15, 3], // +2 → one step
    [16, 3], // +3 → one step (full 2s only)
    [17, 4], // +4 → two steps
  ])('AC %i against the row’s 13 gives defensive CR %d', (ac, def) => {
    expect(estimateCr(creature({ ac, actions: [attack('Claw', 3, 15)] }), plain).defensiveCr).toBe(def);
  });

  it('steps offensive CR by attack bonus, one per full 2 points', () => {
    expect(estimateCr(creature({ actions: [attack('Claw', 5, 15)] }), plain).offensiveCr).toBe(3);
    expect(estimateCr(creature({ actions: [attack('Claw', 4, 15)] }), plain).offensiveCr).toBe(2);
    expect(estimateCr(creature({ actions: [attack('Claw', 0, 15)] }), plain).offensiveCr).toBe(1);
  });

  it('adds up a multiattack routine', () => {
    const c = creature({
      actions: [
        {
          name: 'Multiattack',
          summary: 'Bite and two claws.',
          multiattack: [
            { action: 'Bite', count: 1 },
            { action: 'Claw', count: 2 },
          ],
        },
        attack('Bite', 3, 7),
        attack('Claw', 3, 5),
      ],
    });
    expect(estimateCr(c, plain).details.dpr).toBe(17);
  });

  it('falls back to "N attacks" with the best attack when a multiattack is not structured', () => {
    const c = creature({
      actions: [
        { name: 'Multiattack', summary: 'It makes three attacks.' },
        attack('Bite', 3, 7),
        attack('Claw', 3, 5),
      ],
    });
    const e = estimateCr(c, plain);
    expect(e.details.dpr).toBe(21);
    expect(e.details.notes.join(' ')).toMatch(/assumed 3 × Bite/);
  });

  it('uses a recharge area effect once in three rounds against two targets', () => {
    const breath: CreatureAction = {
      name: 'Fire Breath',
      summary: 'Cone of fire.',
      save: {
        ability: 'dex',
        dc: 13,
        damage: [{ dice: '6d8', average: 27, type: 'fire' }],
        onSuccess: 'half',
        area: true,
      },
      usage: { type: 'recharge', min: 5 },
    };
    const e = estimateCr(creature({ actions: [attack('Claw', 3, 20), breath] }), plain);
    // (2 × 27 + 20 + 20) / 3
    expect(e.details.dpr).toBeCloseTo(31.33, 2);
    expect(e.details.saveDc).toBe(13);
    expect(e.details.offenseBy).toBe('save'); // 54 of 94 damage comes through the save
  });

  it('adds legendary action damage (all uses on the best action in the book method)', () => {
    const c = creature({
      actions: [attack('Claw', 3, 10)],
      legendaryActions: {
        uses: 3,
        actions: [attack('Tail', 3, 5, { cost: 1 }), attack('Wing', 3, 9, { cost: 2 })],
      },
    });
    // Tail 5/point beats Wing 4.5/point: 3 × 5 = 15 per round.
    expect(estimateCr(c, plain).details.dpr).toBe(25);
  });

  it('multiplies HP for immunities by expected CR, and adds legendary resistance', () => {
    const c = creature({
      hp: { average: 60, formula: '8d8+24' },
      immunities: ['fire', 'cold', 'poison'],
      actions: [attack('Claw', 3, 15)],
    });
    // expected CR 3 → immunities ×2 → 120 HP → CR 4 row (AC 14): AC 13 is 1 below → no step.
    expect(estimateCr(c, { ...plain, expectedCr: 3 })).toMatchObject({
      defensiveCr: 4,
      details: { effectiveHp: 120 },
    });
    // expected CR 17 → ×1.25 → 75 HP → CR 1.
    expect(estimateCr(c, { ...plain, expectedCr: 17 }).defensiveCr).toBe(1);
    // a single immunity (poison) does not count
    expect(
      estimateCr(creature({ immunities: ['poison'] }), { ...plain, expectedCr: 3 }).details.effectiveHp,
    ).toBe(90);
    const lr = creature({ legendaryResistance: 3, actions: [attack('Claw', 3, 15)] });
    expect(estimateCr(lr, { ...plain, expectedCr: 12 }).details.effectiveHp).toBe(180);
    expect(estimateCr(lr, { ...plain, expectedCr: 3 }).details.effectiveHp).toBe(120);
  });

  it('raises effective AC for flying with ranged damage (CR ≤ 10), saves and magic resistance', () => {
    const ranged: CreatureAction = {
      name: 'Spit',
      summary: 'Ranged.',
      attack: {
        kind: 'ranged',
        bonus: 3,
        range: { normal: 30 },
        damage: [{ dice: '1d6', average: 15, type: 'acid' }],
      },
    };
    const flier = creature({ speed: { walk: 30, fly: 60 }, actions: [ranged] });
    expect(estimateCr(flier, { ...plain, expectedCr: 5 }).details.effectiveAc).toBe(15);
    expect(estimateCr(flier, { ...plain, expectedCr: 11 }).details.effectiveAc).toBe(13);
    expect(estimateCr(creature({ saves: { str: 2, dex: 2, con: 2 } }), plain).details.effectiveAc).toBe(15);
    expect(
      estimateCr(creature({ saves: { str: 2, dex: 2, con: 2, int: 2, wis: 2 } }), plain).details.effectiveAc,
    ).toBe(17);
    const mr = creature({
      traits: [{ name: 'Magic Resistance', summary: 'Advantage on saves against spells.' }],
    });
    expect(estimateCr(mr, plain).details.effectiveAc).toBe(15);
    // Limited magic immunity (spells of low level have no effect) counts like Magic Resistance.
    const lmi = creature({
      traits: [{ name: 'Limited Magic Immunity', summary: 'Unaffected by spells of 6th level or lower.' }],
    });
    expect(estimateCr(lmi, plain).details.effectiveAc).toBe(15);
  });

  it('prices a disabling spell at a share of the DMG spell damage for its slot, only when asked', () => {
    const hold = spell({
      id: 'hold-person',
      name: 'Hold Person',
      level: 2,
      attack: null,
      save: 'wis',
      damage: null,
      concentration: true,
      scaling: {},
    });
    expect(HARD_CONTROL_SPELLS.has('hold-person')).toBe(true);
    const caster = (dc: number | null) =>
      creature({
        actions: [attack('Staff', 3, 2)],
        spellcasting: {
          ability: 'wis',
          dc,
          attackBonus: 5,
          slots: [4, 3],
          spells: [{ spell: 'hold-person', usage: 'slot level 2' }],
        },
      });
    const spells = new Map([[hold.id, hold]]);
    const share = (controlSpellShare: number, dc: number | null = 13) =>
      estimateCr(caster(dc), {
        ...plain,
        spells,
        params: { offense: { ...DMG2014_PARAMS.offense, controlSpellShare } },
      }).details.dpr;
    // Not priced by default (the book prices damage only) nor without a save DC.
    expect(share(0)).toBeCloseTo(2, 5);
    expect(estimateCr(caster(13), { ...plain, spells }).details.dpr).toBeCloseTo(2, 5);
    expect(share(1, null)).toBeCloseTo(2, 5);
    // Share 1: the DMG's 3d10 (16.5) for a 2nd-level slot, once (concentration), the staff in the other rounds.
    expect(share(1)).toBeCloseTo((16.5 + 2 * 2) / 3, 2);
    expect(share(0.5)).toBeCloseTo((8.25 + 2 * 2) / 3, 2);
  });

  it('rounds the average to the nearest CR, ties up', () => {
    // Defensive 2 (HP 90, AC 13); offensive 3 (DPR 21–26, attack +4) → 2.5 → 3.
    expect(estimateCr(creature({ actions: [attack('Claw', 4, 22)] }), plain)).toMatchObject({
      defensiveCr: 2,
      offensiveCr: 3,
      cr: 3,
    });
    expect(nearestCr(0.1875)).toBe(0.25);
    expect(nearestCr(0.7)).toBe(0.5);
    expect(nearestCr(0.75)).toBe(1);
    expect(nearestCr(40)).toBe(30);
  });

  it('counts damaging spells from a spell lookup when they beat the attacks', () => {
    const fireBolt = SpellSchema.parse({
      id: 'fire-bolt',
      name: 'Fire Bolt',
      level: 0,
      school: 'evocation',
      castingTime: 'Action',
      range: '120 feet',
      components: { verbal: true, somatic: true, material: null },
      duration: 'Instantaneous',
      concentration: false,
      ritual: false,
      classes: ['wizard'],
      damage: { dice: '1d10', types: ['fire'] },
      attack: 'ranged',
      summary: 'x',
    });
    const breath = SpellSchema.parse({
      ...fireBolt,
      id: 'burning-cone',
      name: 'Burning Cone',
      level: 3,
      range: 'Self',
      attack: null,
      save: 'dex',
      damage: { dice: '8d6', types: ['fire'] },
    });
    const mage = creature({
      actions: [attack('Staff', 3, 2)],
      spellcasting: {
        ability: 'int',
        dc: 14,
        attackBonus: 6,
        spells: [
          { spell: 'fire-bolt', usage: 'at-will' },
          { spell: 'burning-cone', usage: '1/day' },
        ],
      },
    });
    expect(estimateCr(mage, plain).details.dpr).toBe(2);
    const spells = new Map([fireBolt, breath].map((sp) => [sp.id, sp]));
    const e = estimateCr(mage, { ...plain, spells });
    // Burning Cone once (28 × 2 targets, from Self) + Fire Bolt twice (5.5), over three rounds.
    expect(e.details.dpr).toBeCloseTo((56 + 11) / 3, 2);
    expect(e.details.notes.join(' ')).toMatch(
      /damaging spells considered: Fire Bolt \(spell\), Burning Cone \(spell\)/,
    );
  });

  it('prices a slot caster by its slots: the best spell per slot level, upcast, cantrips by caster level', () => {
    const caster = (slots: number[]) =>
      creature({
        actions: [attack('Staff', 3, 2)],
        spellcasting: {
          ability: 'int',
          dc: 15,
          attackBonus: 7,
          level: 11,
          slots,
          spells: [
            { spell: 'fire-bolt', usage: 'at-will' },
            { spell: 'glow', usage: 'slot level 1' },
            { spell: 'burning-cone', usage: 'slot level 3' },
          ],
        },
      });
    // One 3rd-level slot: Burning Cone once (8d6 = 28 × 2 targets), then Fire Bolt at caster level 11 (3d10).
    const one = estimateCr(caster([4, 0, 1]), { ...plain, spells: TEST_SPELLS });
    expect(one.details.dpr).toBeCloseTo((56 + 2 * 16.5) / 3, 2);
    // Two 4th-level slots and one 3rd: the cone upcast twice (9d6 = 31.5 × 2), then at 3rd level.
    const more = estimateCr(caster([0, 0, 1, 2]), { ...plain, spells: TEST_SPELLS });
    expect(more.details.dpr).toBeCloseTo((63 + 63 + 56) / 3, 2);
    expect(more.details.notes.join(' ')).toMatch(
      /Burning Cone \(level 4 slot\) ×2, Burning Cone \(level 3 slot\)/,
    );
    // No spell data: each slot level counts the DMG's one-target damage for its level (3rd: 5d10 = 27.5).
    const noData = estimateCr(caster([0, 0, 2]), plain);
    expect(noData.details.dpr).toBeCloseTo((27.5 * 2 + 2) / 3, 2);
    expect(noData.details.offenseBy).toBe('save');
  });

  it('prices bonus-action spells in the bonus action, and keeps a flat bonus when a spell is upcast', () => {
    const c = creature({
      actions: [attack('Staff', 3, 2)],
      spellcasting: {
        ability: 'wis',
        dc: 13,
        attackBonus: 5,
        slots: [0, 0, 0, 1],
        spells: [{ spell: 'spirit-blade', usage: 'slot level 2' }],
      },
    });
    const e = estimateCr(c, { ...plain, spells: TEST_SPELLS });
    // Staff every round, Spirit Blade once from the 4th-level slot (2d8 = 9) as a bonus action.
    expect(e.details.dpr).toBeCloseTo((3 * 2 + 9) / 3, 2);
    const blast = spell({
      level: 6,
      damage: { dice: '10d6+40', types: ['force'] },
      scaling: { '7': '13d6' },
    });
    expect(spellDamage(blast, 6)).toBe(75);
    expect(spellDamage(blast, 7)).toBe(85.5);
    expect(spellDamage(spell({}), 0, 4)).toBe(5.5);
    expect(spellDamage(spell({}), 0, 17)).toBe(22);
  });

  it('casts a concentration spell once in three rounds', () => {
    const swarm = spell({
      id: 'stinging-swarm',
      name: 'Stinging Swarm',
      level: 3,
      attack: null,
      save: 'con',
      concentration: true,
      range: '300 feet',
      summary: 'Level 3 conjuration, 300 feet, 1 action, 20-ft sphere, 4d10 piercing, Con save for half.',
      damage: { dice: '4d10', types: ['piercing'] },
      scaling: {},
    });
    const c = creature({
      actions: [attack('Staff', 3, 2)],
      spellcasting: {
        ability: 'wis',
        dc: 15,
        attackBonus: 7,
        slots: [0, 0, 3],
        spells: [{ spell: 'stinging-swarm', usage: 'slot level 3' }],
      },
    });
    const e = estimateCr(c, { ...plain, spells: new Map([[swarm.id, swarm]]) });
    // 22 × 2 targets (a sphere) once, the staff in the other two rounds.
    expect(e.details.dpr).toBeCloseTo((44 + 2 * 2) / 3, 2);
  });

  it("counts a shape-changer's weapon immunity as resistance", () => {
    const base = {
      hp: { average: 90, formula: '12d8+36' },
      immunities: ['bludgeoning', 'piercing', 'slashing'] as const,
      actions: [attack('Claw', 3, 15)],
    };
    const plainImmune = creature({ ...base, immunities: [...base.immunities] });
    const were = creature({
      ...base,
      immunities: [...base.immunities],
      traits: [{ name: 'Shapechanger', summary: 'Changes form.' }],
    });
    // Expected CR 6: immunity ×2, resistance ×1.5.
    expect(estimateCr(plainImmune, { ...plain, expectedCr: 6 }).details.effectiveHp).toBe(180);
    const e = estimateCr(were, { ...plain, expectedCr: 6 });
    expect(e.details.effectiveHp).toBe(135);
    expect(e.details.notes).toContain('shapechanger: weapon immunity counted as resistance');
  });

  it('gives a harmless creature CR 0 and 0 XP', () => {
    const e = estimateCr(creature({ hp: { average: 3, formula: '1d6' }, ac: 10 }), plain);
    expect(e).toMatchObject({ cr: 0, xp: 0, offensiveCr: 0 });
  });

  it('clamps huge numbers to CR 30 and never reads the printed CR', () => {
    const big = creature({
      hp: { average: 2000, formula: '200d10' },
      ac: 25,
      actions: [attack('Smash', 19, 500)],
    });
    expect(estimateCr(big, plain).cr).toBe(30);
    const a = estimateCr(creature({ actions: [attack('Claw', 3, 15)], cr: 0 }));
    const b = estimateCr(creature({ actions: [attack('Claw', 3, 15)], cr: 30 }));
    expect(a).toEqual(b);
  });

  it('rejects an unknown method and an expected CR off the ladder', () => {
    expect(() => estimateCr(creature(), { method: 'magic' as never })).toThrow(/method: "magic"/);
    expect(() => estimateCr(creature(), { expectedCr: 2.5 })).toThrow(/cr: 2.5/);
  });
});

describe('estimateCr, calibrated method', () => {
  it('is the default and reports its inputs', () => {
    const e = estimateCr(creature({ actions: [attack('Claw', 3, 15)] }));
    expect(e.method).toBe('calibrated');
    expect(CR_STEPS).toContain(e.cr);
    expect(e.xp).toBe(xpForCr(e.cr));
    expect(e.details.dpr).toBeGreaterThan(0);
  });
  it('reads hard control (a disabling condition) from actions, save traits and spells', () => {
    expect(imposesHardControl(creature({ actions: [attack('Claw', 4, 7)] }))).toBe(false);
    const claws = attack('Claws', 4, 7, {
      summary: 'Melee attack +4, reach 5 ft: 7 slashing; may impose paralyzed.',
    });
    expect(imposesHardControl(creature({ actions: [claws] }))).toBe(true);
    // A trait that protects from a condition names it without a DC: not control.
    const fey = { name: 'Fey Ancestry', summary: 'Fey Ancestry trait: involves charmed, unconscious.' };
    expect(imposesHardControl(creature({ traits: [fey] }))).toBe(false);
    const gaze = { name: 'Petrifying Gaze', summary: 'Petrifying Gaze trait: DC 14; involves petrified.' };
    expect(imposesHardControl(creature({ traits: [gaze] }))).toBe(true);
    const caster = creature({
      spellcasting: {
        ability: 'cha',
        dc: 15,
        attackBonus: 7,
        spells: [{ spell: 'hold-monster', usage: '1/day' }],
      },
    });
    expect(imposesHardControl(caster)).toBe(true);
    // The fourth extra coefficient adds its value to both ladder positions of a creature with control.
    const base = creature({ actions: [claws] });
    const plainClaws = creature({ actions: [attack('Claws', 4, 7)] });
    const withTerm = { ruleset: '2014' as const, params: { extraCoefficients: [0, 0, 0, 1] as const } };
    expect(crIndex(estimateCr(base, withTerm).cr)).toBe(crIndex(estimateCr(plainClaws, withTerm).cr) + 1);
    expect(estimateCr(base, { ruleset: '2014' }).cr).toBe(estimateCr(plainClaws, { ruleset: '2014' }).cr);
  });

  it('is monotone in damage for this creature', () => {
    let last = 0;
    for (const dmg of [2, 5, 10, 20, 40, 80, 160]) {
      const cr = estimateCr(creature({ actions: [attack('Claw', 5, dmg)] })).cr;
      expect(cr).toBeGreaterThanOrEqual(last);
      last = cr;
    }
  });
});

// ---- property: any schema-valid creature -------------------------------------------------------------

const damageType = fc.constantFrom('fire', 'slashing', 'poison', 'cold', 'psychic' as const);
const roll = fc.record({
  dice: fc.constant('1d6'),
  average: fc.integer({ min: 0, max: 300 }),
  type: damageType,
});
const usage = fc.option(
  fc.oneof(
    fc.record({ type: fc.constant('recharge' as const), min: fc.integer({ min: 2, max: 6 }) }),
    fc.record({ type: fc.constant('per-day' as const), times: fc.integer({ min: 1, max: 5 }) }),
    fc.record({
      type: fc.constant('rest' as const),
      rest: fc.constantFrom('short' as const, 'long' as const),
    }),
  ),
  { nil: undefined },
);
const names = ['Bite', 'Claw', 'Tail', 'Multiattack', 'Breath'];
const action = fc.record(
  {
    name: fc.constantFrom(...names),
    summary: fc.constantFrom('', 'It makes two attacks.', 'makes one Bite attack', 'x'),
    attack: fc.record({
      kind: fc.constantFrom('melee' as const, 'ranged' as const, 'melee-or-ranged' as const),
      bonus: fc.integer({ min: -5, max: 25 }),
      damage: fc.array(roll, { maxLength: 3 }),
    }),
    save: fc.record({
      ability: fc.constantFrom('dex' as const, 'con' as const),
      dc: fc.integer({ min: 5, max: 30 }),
      damage: fc.array(roll, { maxLength: 2 }),
      onSuccess: fc.constantFrom('half' as const, 'none' as const),
      area: fc.boolean(),
    }),
    multiattack: fc.array(
      fc.record({ action: fc.constantFrom(...names, 'Nothing'), count: fc.integer({ min: 1, max: 4 }) }),
      { maxLength: 3 },
    ),
    usage,
    cost: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['name', 'summary'] },
);
const arbitraryCreature = fc
  .record({
    ac: fc.integer({ min: 0, max: 35 }),
    hp: fc.integer({ min: 0, max: 3000 }),
    fly: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    saves: fc.dictionary(
      fc.constantFrom('str', 'dex', 'con', 'int', 'wis', 'cha'),
      fc.integer({ min: -5, max: 20 }),
    ),
    resistances: fc.uniqueArray(damageType, { maxLength: 5 }),
    immunities: fc.uniqueArray(damageType, { maxLength: 5 }),
    vulnerabilities: fc.uniqueArray(damageType, { maxLength: 3 }),
    legendaryResistance: fc.integer({ min: 0, max: 5 }),
    traits: fc.array(
      fc.record({
        name: fc.constantFrom(
          'Magic Resistance',
          'Regeneration',
          'Pack Tactics',
          'Undead Fortitude',
          'Nimble Escape',
          'Shapechanger',
          'Odd',
        ),
        summary: fc.constantFrom('', 'regains 10 hit points'),
      }),
      { maxLength: 4 },
    ),
    actions: fc.array(action, { maxLength: 6 }),
    bonusActions: fc.array(action, { maxLength: 2 }),
    reactions: fc.array(action, { maxLength: 2 }),
    legendary: fc.option(
      fc.record({ uses: fc.integer({ min: 0, max: 5 }), actions: fc.array(action, { maxLength: 4 }) }),
      { nil: null },
    ),
    spellcasting: fc.option(
      fc.record(
        {
          ability: fc.constantFrom('int' as const, 'cha' as const),
          dc: fc.option(fc.integer({ min: 5, max: 30 }), { nil: null }),
          attackBonus: fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }),
          spells: fc.array(
            fc.record({
              spell: fc.constantFrom('fire-bolt', 'burning-cone', 'glow', 'hold-person', 'unknown'),
              usage: fc.constantFrom('at-will', '1/day', '3/day', 'slot level 1', 'slot level 9', 'odd'),
            }),
            { maxLength: 5 },
          ),
          level: fc.integer({ min: 1, max: 20 }),
          slots: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 9 }),
        },
        { requiredKeys: ['ability', 'dc', 'attackBonus', 'spells'] },
      ),
      { nil: null },
    ),
  })
  .map((r) =>
    creature({
      ac: r.ac,
      hp: { average: r.hp, formula: String(r.hp) },
      speed: r.fly === undefined ? { walk: 30 } : { walk: 30, fly: r.fly },
      saves: r.saves,
      resistances: r.resistances,
      immunities: r.immunities,
      vulnerabilities: r.vulnerabilities,
      legendaryResistance: r.legendaryResistance,
      traits: r.traits,
      actions: r.actions,
      bonusActions: r.bonusActions,
      reactions: r.reactions,
      legendaryActions: r.legendary,
      spellcasting: r.spellcasting,
    }),
  );

describe('estimateCr properties', () => {
  it('never throws and always lands on the ladder, for both methods and both rulesets', () => {
    fc.assert(
      fc.property(
        arbitraryCreature,
        fc.constantFrom('dmg2014' as const, 'calibrated' as const),
        fc.constantFrom('2014' as const, '2024' as const),
        fc.boolean(),
        fc.constantFrom(0, 0.5, 1),
        (c, method, ruleset, withSpells, controlSpellShare) => {
          const e = estimateCr(c, {
            method,
            ruleset,
            ...(withSpells ? { spells: TEST_SPELLS } : {}),
            params: {
              extraCoefficients: [0.3, 0, 0, 0.5],
              offense: { ...DMG2014_PARAMS.offense, controlSpellShare },
            },
          });
          expect(CR_STEPS).toContain(e.cr);
          expect(CR_STEPS).toContain(e.defensiveCr);
          expect(CR_STEPS).toContain(e.offensiveCr);
          expect(Number.isFinite(e.details.dpr)).toBe(true);
          expect(Number.isFinite(e.details.effectiveHp)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
