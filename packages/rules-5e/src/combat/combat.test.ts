import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSrdData } from '../../test/srd';
import { CONDITIONS } from '../content/types';
import {
  CONDITION_EFFECTS,
  addCondition,
  applyDamage,
  applyDeathSave,
  combatantFromCreature,
  changeExhaustion,
  concentrationDc,
  conditionFlags,
  createCombatant,
  effectiveMaxHp,
  expendSlot,
  exhaustionEffects2014,
  exhaustionEffects2024,
  grantTempHp,
  heal,
  isDying,
  longRest,
  shortRest,
  speedWithExhaustion,
  stabilize,
  startConcentration,
  type CombatantState,
} from './index';

const fighter = (over: Partial<Parameters<typeof createCombatant>[0]> = {}): CombatantState =>
  createCombatant({ maxHp: 30, conModifier: 2, hitDice: { d10: 4 }, ...over });

describe('concentration DC', () => {
  it.each([
    [0, 10],
    [1, 10],
    [21, 10],
    [22, 11],
    [23, 11],
    [40, 20],
    [59, 29],
    [60, 30],
    [61, 30],
    [200, 30],
  ])('2024: %i damage → DC %i', (damage, dc) => {
    expect(concentrationDc(damage)).toBe(dc);
  });
  it('2014 has no cap', () => {
    expect(concentrationDc(200, '2014')).toBe(100);
    expect(concentrationDc(61, '2014')).toBe(30);
  });
  it('rejects negative damage', () => {
    expect(() => concentrationDc(-1)).toThrow(/damage: -1/);
  });
});

describe('exhaustion', () => {
  it.each([0, 1, 2, 3, 4, 5, 6])('2024 level %i: −2/level to D20 tests, −5 ft/level', (level) => {
    expect(exhaustionEffects2024(level)).toEqual({
      level,
      d20Penalty: 2 * level,
      speedPenalty: 5 * level,
      dead: level === 6,
    });
  });
  const table2014: [number, boolean[]][] = [
    [0, [false, false, false, false, false, false]],
    [1, [true, false, false, false, false, false]],
    [2, [true, true, false, false, false, false]],
    [3, [true, true, true, false, false, false]],
    [4, [true, true, true, true, false, false]],
    [5, [true, true, true, true, true, false]],
    [6, [true, true, true, true, true, true]],
  ];
  it.each(table2014)('2014 level %i is cumulative', (level, flags) => {
    const e = exhaustionEffects2014(level);
    expect([
      e.checksDisadvantage,
      e.speedHalved,
      e.attacksAndSavesDisadvantage,
      e.hpMaxHalved,
      e.speedZero,
      e.dead,
    ]).toEqual(flags);
  });
  it('reduces speed', () => {
    expect(speedWithExhaustion(30, 3)).toBe(15);
    expect(speedWithExhaustion(30, 6)).toBe(0);
    expect(speedWithExhaustion(30, 2, '2014')).toBe(15);
    expect(speedWithExhaustion(30, 5, '2014')).toBe(0);
  });
  it('level 6 kills; a long rest removes one level', () => {
    let s = fighter();
    s = changeExhaustion(s, 2);
    expect(s.conditions).toContain('exhaustion');
    s = longRest(s);
    expect(s.exhaustion).toBe(1);
    s = longRest(s);
    expect(s.exhaustion).toBe(0);
    expect(s.conditions).not.toContain('exhaustion');
    expect(changeExhaustion(fighter(), 6).dead).toBe(true);
  });
  it('2014 level 4 halves the HP maximum', () => {
    const s = changeExhaustion(fighter({ ruleset: '2014' }), 4);
    expect(effectiveMaxHp(s)).toBe(15);
    expect(s.hp).toBe(15);
  });
  it('rejects levels off the table', () => {
    expect(() => exhaustionEffects2024(7)).toThrow(/exhaustion: 7/);
  });
});

describe('conditions', () => {
  it('has all 15 with flags', () => {
    expect(Object.keys(CONDITION_EFFECTS).sort()).toEqual([...CONDITIONS].sort());
  });
  it.each([
    ['blinded', { ownAttacks: 'disadvantage', within5ft: 'advantage', incapacitated: false }],
    ['invisible', { ownAttacks: 'advantage', within5ft: 'disadvantage', incapacitated: false }],
    ['paralyzed', { ownAttacks: null, within5ft: 'advantage', incapacitated: true }],
    ['poisoned', { ownAttacks: 'disadvantage', within5ft: null, incapacitated: false }],
    ['restrained', { ownAttacks: 'disadvantage', within5ft: 'advantage', incapacitated: false }],
    ['stunned', { ownAttacks: null, within5ft: 'advantage', incapacitated: true }],
  ] as const)('%s', (condition, expected) => {
    const f = conditionFlags([condition]);
    expect({
      ownAttacks: f.ownAttacks,
      within5ft: f.attacksAgainst.within5ft,
      incapacitated: f.incapacitated,
    }).toEqual(expected);
  });
  it('unconscious implies incapacitated and prone; prone is advantage near, disadvantage far', () => {
    const f = conditionFlags(['unconscious']);
    expect(f.conditions).toEqual(expect.arrayContaining(['unconscious', 'incapacitated', 'prone']));
    expect(f.autoFailSaves).toEqual(['str', 'dex']);
    expect(f.autoCritWithin5ft).toBe(true);
    const prone = conditionFlags(['prone']);
    expect(prone.attacksAgainst).toEqual({ within5ft: 'advantage', beyond5ft: 'disadvantage' });
  });
  it('advantage and disadvantage cancel', () => {
    expect(conditionFlags(['invisible', 'poisoned']).ownAttacks).toBeNull();
  });
  it('petrified resists all damage; restrained gives disadvantage on Dex saves', () => {
    expect(conditionFlags(['petrified']).resistAll).toBe(true);
    expect(conditionFlags(['restrained']).savesDisadvantage).toEqual(['dex']);
  });
  it('incapacitating conditions break concentration', () => {
    const s = startConcentration(fighter(), 'bless');
    expect(addCondition(s, 'stunned').concentration).toBeNull();
    expect(addCondition(s, 'prone').concentration).toBe('bless');
  });
  it('rejects an unknown condition', () => {
    expect(() => conditionFlags(['sleepy' as never])).toThrow(/conditions: "sleepy"/);
  });
});

describe('applyDamage', () => {
  it('immunity, then resistance (round down), then vulnerability', () => {
    const s = fighter({ resistances: ['fire'], immunities: ['poison'], vulnerabilities: ['cold', 'fire'] });
    expect(applyDamage(s, { amount: 10, type: 'poison' }).damage).toBe(0);
    expect(applyDamage(s, { amount: 7, type: 'fire' }).damage).toBe(6); // floor(7/2) × 2
    expect(applyDamage(s, { amount: 7, type: 'cold' }).damage).toBe(14);
    expect(applyDamage(s, { amount: 7, type: 'slashing' }).damage).toBe(7);
  });
  it('temporary HP absorb first and do not stack', () => {
    let s = grantTempHp(fighter(), 5);
    s = grantTempHp(s, 3);
    expect(s.tempHp).toBe(5);
    const r = applyDamage(s, { amount: 8, type: 'slashing' });
    expect(r.absorbedByTempHp).toBe(5);
    expect(r.state).toMatchObject({ tempHp: 0, hp: 27 });
  });
  it('asks for a concentration save with the right DC', () => {
    const s = startConcentration(fighter({ maxHp: 100 }), 'haste');
    expect(applyDamage(s, { amount: 30, type: 'fire' }).concentrationDc).toBe(15);
    expect(applyDamage(fighter(), { amount: 3, type: 'fire' }).concentrationDc).toBeNull();
  });
  it('drops a character to 0: unconscious, dying, concentration gone', () => {
    const s = startConcentration(fighter(), 'bless');
    const r = applyDamage(s, { amount: 35, type: 'slashing' });
    expect(r.events).toEqual(['dropped-to-0']);
    expect(r.state.hp).toBe(0);
    expect(r.state.concentration).toBeNull();
    expect(r.state.conditions).toContain('unconscious');
    expect(isDying(r.state)).toBe(true);
  });
  it('kills outright when leftover damage ≥ HP max', () => {
    const r = applyDamage(fighter(), { amount: 60, type: 'slashing' });
    expect(r.state.dead).toBe(true);
    expect(applyDamage(fighter(), { amount: 59, type: 'slashing' }).state.dead).toBe(false);
  });
  it('2014 exhaustion 4 halves the HP maximum that massive damage is measured against', () => {
    // HP max 30 halved to 15: at 15 HP, 30 damage leaves 15 over the halved maximum → instant death.
    const tired = changeExhaustion(fighter({ ruleset: '2014' }), 4);
    expect(applyDamage(tired, { amount: 30, type: 'slashing' }).state.dead).toBe(true);
    expect(applyDamage(tired, { amount: 29, type: 'slashing' }).state.dead).toBe(false);
    const down = applyDamage(tired, { amount: 15, type: 'fire' }).state;
    expect(applyDamage(down, { amount: 15, type: 'fire' }).state.dead).toBe(true);
  });
  it('damage at 0 HP: one failure, two on a crit, death on ≥ HP max', () => {
    const down = applyDamage(fighter(), { amount: 30, type: 'fire' }).state;
    expect(applyDamage(down, { amount: 1, type: 'fire' }).state.deathSaves.failures).toBe(1);
    expect(applyDamage(down, { amount: 1, type: 'fire', critical: true }).state.deathSaves.failures).toBe(2);
    expect(applyDamage(down, { amount: 30, type: 'fire' }).state.dead).toBe(true);
    const twice = applyDamage(applyDamage(down, { amount: 1, type: 'fire', critical: true }).state, {
      amount: 1,
      type: 'fire',
    });
    expect(twice.state.dead).toBe(true);
  });
  it('monsters die at 0 HP', () => {
    const goblin = createCombatant({ kind: 'monster', maxHp: 10 });
    expect(applyDamage(goblin, { amount: 10, type: 'piercing' }).state.dead).toBe(true);
  });
  it('petrified creatures resist everything', () => {
    const s = addCondition(fighter(), 'petrified');
    expect(applyDamage(s, { amount: 9, type: 'force' }).damage).toBe(4);
  });
  it('names bad input', () => {
    expect(() => applyDamage(fighter(), { amount: -3, type: 'fire' })).toThrow(/amount: -3/);
    expect(() => applyDamage(fighter(), { amount: 3, type: 'sonic' as never })).toThrow(/type\[0\]: "sonic"/);
  });
});

describe('death saves', () => {
  const dying = (): CombatantState => applyDamage(fighter(), { amount: 30, type: 'fire' }).state;
  it('10+ is a success; three successes make the character stable', () => {
    let s = dying();
    s = applyDeathSave(s, 10);
    s = applyDeathSave(s, 15);
    expect(s.deathSaves.successes).toBe(2);
    s = applyDeathSave(s, 12);
    expect(s.stable).toBe(true);
    expect(s.deathSaves).toEqual({ successes: 0, failures: 0 });
    expect(isDying(s)).toBe(false);
  });
  it('9 or lower fails, a natural 1 counts twice, three failures kill', () => {
    let s = applyDeathSave(dying(), 9);
    expect(s.deathSaves.failures).toBe(1);
    s = applyDeathSave(s, 1);
    expect(s.dead).toBe(true);
  });
  it('a natural 20 brings the character back with 1 HP (prone, no longer unconscious)', () => {
    const s = applyDeathSave(applyDeathSave(dying(), 5), 20);
    expect(s.hp).toBe(1);
    expect(s.conditions).not.toContain('unconscious');
    expect(s.conditions).toContain('prone');
    expect(s.deathSaves).toEqual({ successes: 0, failures: 0 });
  });
  it('healing at 0 HP resets the counts; the dead cannot be healed', () => {
    const s = heal(applyDeathSave(dying(), 3), 5);
    expect(s.hp).toBe(5);
    expect(s.deathSaves.failures).toBe(0);
    const dead = applyDamage(fighter(), { amount: 99, type: 'fire' }).state;
    expect(heal(dead, 10).hp).toBe(0);
  });
  it('stabilize stops the saves; damage makes the character dying again', () => {
    const s = stabilize(dying());
    expect(s.stable).toBe(true);
    const hit = applyDamage(s, { amount: 2, type: 'fire' }).state;
    expect(hit.stable).toBe(false);
    expect(hit.deathSaves.failures).toBe(1);
  });
  it('rejects a save from a conscious character and a d20 off the die', () => {
    expect(() => applyDeathSave(fighter(), 12)).toThrow(/state: only a character at 0 HP/);
    expect(() => applyDeathSave(dying(), 21)).toThrow(/d20: 21/);
  });
});

describe('rests', () => {
  it('short rest: hit dice heal roll + Con (min 1 in 2024), hit dice are spent', () => {
    const hurt = applyDamage(fighter(), { amount: 20, type: 'fire' }).state; // 10 / 30
    const s = shortRest(hurt, [
      { die: 'd10', roll: 6 },
      { die: 'd10', roll: 1 },
    ]);
    expect(s.hp).toBe(10 + 8 + 3);
    expect(s.hitDice.d10).toEqual({ max: 4, spent: 2 });
    const weak = createCombatant({ maxHp: 20, hp: 5, conModifier: -3, hitDice: { d6: 2 } });
    expect(shortRest(weak, [{ die: 'd6', roll: 1 }]).hp).toBe(6);
    const weak2014 = createCombatant({
      ruleset: '2014',
      maxHp: 20,
      hp: 5,
      conModifier: -3,
      hitDice: { d6: 2 },
    });
    expect(shortRest(weak2014, [{ die: 'd6', roll: 1 }]).hp).toBe(5);
  });
  it('short rest refuses dice you do not have and impossible rolls', () => {
    const s = fighter({ hp: 10 });
    expect(() => shortRest(s, [{ die: 'd8', roll: 3 }])).toThrow(/spends\[0\]\.die: no d8/);
    expect(() => shortRest(s, [{ die: 'd10', roll: 11 }])).toThrow(/spends\[0\]\.roll: 11/);
    const spent = shortRest(
      s,
      Array.from({ length: 4 }, () => ({ die: 'd10' as const, roll: 1 })),
    );
    expect(() => shortRest(spent, [{ die: 'd10', roll: 1 }])).toThrow(/no d10 Hit Die left/);
  });
  it('short rest restores pact slots', () => {
    let s = createCombatant({ maxHp: 20, pactSlots: { count: 2, level: 3 } });
    s = expendSlot(s, 3, { pact: true });
    expect(shortRest(s).pactSlots?.expended).toBe(0);
  });
  it('long rest 2024: full HP, every hit die and slot back, exhaustion −1', () => {
    let s = createCombatant({
      maxHp: 40,
      conModifier: 1,
      hitDice: { d8: 3, d10: 2 },
      spellSlots: [4, 2, 0, 0, 0, 0, 0, 0, 0],
    });
    s = applyDamage(s, { amount: 30, type: 'fire' }).state;
    s = shortRest(s, [
      { die: 'd8', roll: 8 },
      { die: 'd8', roll: 8 },
      { die: 'd10', roll: 10 },
    ]);
    s = expendSlot(expendSlot(s, 1), 2);
    s = changeExhaustion(s, 1);
    s = longRest(s);
    expect(s.hp).toBe(40);
    expect(s.hitDice).toEqual({ d8: { max: 3, spent: 0 }, d10: { max: 2, spent: 0 } });
    expect(s.spellSlots.expended).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.exhaustion).toBe(0);
  });
  it('long rest 2014: half the hit dice back (minimum 1), largest first', () => {
    let s = createCombatant({ ruleset: '2014', maxHp: 40, hitDice: { d8: 3, d10: 2 } });
    s = shortRest(s, [
      { die: 'd8', roll: 1 },
      { die: 'd8', roll: 1 },
      { die: 'd8', roll: 1 },
      { die: 'd10', roll: 1 },
      { die: 'd10', roll: 1 },
    ]);
    s = longRest(s); // 5 dice → 2 back
    expect(s.hitDice).toEqual({ d8: { max: 3, spent: 3 }, d10: { max: 2, spent: 0 } });
    let one = createCombatant({ ruleset: '2014', maxHp: 8, hitDice: { d8: 1 } });
    one = shortRest(one, [{ die: 'd8', roll: 2 }]);
    expect(longRest(one).hitDice.d8).toEqual({ max: 1, spent: 0 });
  });
  it('needs at least 1 HP', () => {
    const down = applyDamage(fighter(), { amount: 30, type: 'fire' }).state;
    expect(() => longRest(down)).toThrow(/state\.hp: a rest needs at least 1 HP/);
  });
  it('spell slots cannot be overspent', () => {
    const s = createCombatant({ maxHp: 10, spellSlots: [1, 0, 0, 0, 0, 0, 0, 0, 0] });
    expect(() => expendSlot(expendSlot(s, 1), 1)).toThrow(/spellSlots\[0\]: no level-1 slot left/);
  });
});

describe('combatantFromCreature', () => {
  it('turns every SRD creature into a monster combatant at full HP with its damage traits', () => {
    const creatures = loadSrdData().creatures;
    for (const c of creatures) {
      const s = combatantFromCreature(c);
      expect(s.kind).toBe('monster');
      expect(s.hp).toBe(Math.max(1, c.hp.average));
      expect(s.immunities).toEqual(c.immunities);
    }
    const aboleth = creatures.find((c) => c.id === 'aboleth');
    expect(aboleth && combatantFromCreature(aboleth).hitDice).toEqual({ d10: { max: 20, spent: 0 } });
  });
});

describe('createCombatant', () => {
  it('names the bad field', () => {
    expect(() => createCombatant({ maxHp: 0 })).toThrow(/maxHp: 0/);
    expect(() => createCombatant({ maxHp: 10, hp: 11 })).toThrow(/hp: 11/);
    expect(() => createCombatant({ maxHp: 10, spellSlots: [1] })).toThrow(/spellSlots: needs 9/);
  });
});

describe('properties', () => {
  const types = fc.constantFrom('fire', 'cold', 'slashing', 'poison', 'radiant' as const);
  it('damage and healing keep 0 ≤ hp ≤ max and never mutate the input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.oneof(
            fc.record({ dmg: fc.nat(300), type: types, crit: fc.boolean() }),
            fc.record({ heal: fc.nat(300) }),
          ),
          { maxLength: 30 },
        ),
        (maxHp, steps) => {
          let s = createCombatant({ maxHp, resistances: ['fire'], vulnerabilities: ['cold'] });
          for (const step of steps) {
            const before = JSON.stringify(s);
            const next =
              'heal' in step
                ? heal(s, step.heal)
                : applyDamage(s, { amount: step.dmg, type: step.type, critical: step.crit }).state;
            expect(JSON.stringify(s)).toBe(before);
            s = next;
            expect(s.hp).toBeGreaterThanOrEqual(0);
            expect(s.hp).toBeLessThanOrEqual(s.maxHp);
            expect(s.deathSaves.failures).toBeLessThanOrEqual(3);
            if (s.dead) expect(s.hp).toBe(0);
          }
        },
      ),
    );
  });
  it('death saves always end in stable, dead, or back up within a bounded number of rolls', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 5, maxLength: 5 }), (rolls) => {
        let s = applyDamage(fighter(), { amount: 30, type: 'fire' }).state;
        for (const d20 of rolls) if (isDying(s)) s = applyDeathSave(s, d20);
        return s.dead || s.stable || s.hp > 0;
      }),
    );
  });
});
