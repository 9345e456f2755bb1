import { roll, seededRng } from '@loreforge/rules-5e/dice';
import { describe, expect, it } from 'vitest';
import * as C from '../../src/play/combat';
import type { CombatState } from '../../src/play/schema';

const ctx = (seed = 7): C.CombatCtx => ({ rng: seededRng(seed), now: 1_000 });

function seed(id: string, over: Partial<C.CombatantSeed> = {}): C.CombatantSeed {
  return {
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    side: 'foe',
    ref: id,
    kind: 'monster',
    initiativeBonus: 0,
    hidden: false,
    hp: 20,
    maxHp: 20,
    conModifier: 0,
    resistances: [],
    immunities: [],
    vulnerabilities: [],
    recharge: [],
    ...over,
  };
}
const pc = (id: string, over: Partial<C.CombatantSeed> = {}): C.CombatantSeed =>
  seed(id, { side: 'party', kind: 'character', ...over });

function fixed(seeds: C.CombatantSeed[], c = ctx()): CombatState {
  return C.startCombat({ session: 's1', ruleset: '2024', seeds }, c);
}

describe('initiative', () => {
  it('rolls d20 + bonus with the dice library and sorts as played', () => {
    const c = ctx(42);
    const s = fixed([seed('goblin', { initiativeBonus: 2 }), pc('aria', { initiativeBonus: 3 })], c);
    // Same rolls, same order as the injected RNG gives them.
    const rng = seededRng(42);
    const g = roll('1d20+2', rng).total;
    const a = roll('1d20+3', rng).total;
    const byId = Object.fromEntries(s.order.map((x) => [x.id, x.initiative]));
    expect(byId).toEqual({ goblin: g, aria: a });
    expect(s.order.map((x) => x.initiative)).toEqual(
      [...s.order.map((x) => x.initiative)].sort((x, y) => y - x),
    );
    expect(s.round).toBe(1);
    expect(s.turn).toBe(s.order[0]!.id);
    expect(s.log.some((e) => e.text.startsWith('Goblin rolls initiative: 1d20+2'))).toBe(true);
  });

  it('breaks ties by the bonus, and lair actions at 20 lose every tie', () => {
    const s = fixed([
      seed('low', { initiative: 20, initiativeBonus: 1 }),
      seed('high', { initiative: 20, initiativeBonus: 4 }),
      seed('lair', { kind: 'lair', hp: 0, maxHp: 0 }),
      pc('hero', { initiative: 12, initiativeBonus: 9 }),
    ]);
    expect(s.order.map((x) => [x.id, x.initiative])).toEqual([
      ['high', 20],
      ['low', 20],
      ['lair', 20],
      ['hero', 12],
    ]);
  });
});

describe('turns, rounds and durations', () => {
  it('a condition for 1 round ends at the start of the applier’s next turn, not before', () => {
    let s = fixed([seed('a', { initiative: 15 }), seed('b', { initiative: 10 }), pc('c', { initiative: 5 })]);
    expect(s.turn).toBe('a');
    s = C.condition(s, 'b', 'add', 'frightened', { rounds: 1 }, ctx()).state;
    s = C.nextTurn(s, ctx()); // b's turn
    expect(s.order.find((x) => x.id === 'b')!.conditions).toContain('frightened');
    s = C.nextTurn(s, ctx()); // c's turn
    expect(s.order.find((x) => x.id === 'b')!.conditions).toContain('frightened');
    s = C.nextTurn(s, ctx()); // round 2, a's turn: it ends
    expect(s.round).toBe(2);
    expect(s.turn).toBe('a');
    expect(s.order.find((x) => x.id === 'b')!.conditions).not.toContain('frightened');
    expect(s.log.some((e) => e.text === 'B: frightened ends')).toBe(true);
  });

  it('skips the dead and counts rounds', () => {
    let s = fixed([seed('a', { initiative: 15 }), seed('b', { initiative: 10 }), pc('c', { initiative: 5 })]);
    s = C.damage(s, 'b', 50, {}, ctx()).state;
    s = C.nextTurn(s, ctx());
    expect(s.turn).toBe('c');
    s = C.nextTurn(s, ctx());
    expect([s.turn, s.round]).toEqual(['a', 2]);
  });
});

describe('damage and healing', () => {
  it('applies resistance, immunity and vulnerability by type; untyped damage ignores them', () => {
    let s = fixed([
      seed('fiend', {
        resistances: ['cold'],
        immunities: ['fire'],
        vulnerabilities: ['radiant'],
        hp: 60,
        maxHp: 60,
      }),
    ]);
    let r = C.damage(s, 'fiend', 10, { type: 'cold' }, ctx());
    expect(r.combatant.hp).toBe(55);
    r = C.damage(r.state, 'fiend', 10, { type: 'fire' }, ctx());
    expect(r.combatant.hp).toBe(55);
    r = C.damage(r.state, 'fiend', 10, { type: 'radiant' }, ctx());
    expect(r.combatant.hp).toBe(35);
    r = C.damage(r.state, 'fiend', 10, {}, ctx());
    expect(r.combatant.hp).toBe(25);
    s = r.state;
    expect(() => C.damage(s, 'fiend', 5, { type: 'sonic' }, ctx())).toThrow(
      /--type: "sonic" is not a damage type/,
    );
    expect(() => C.damage(s, 'nobody', 5, {}, ctx())).toThrow(/<combatant>: "nobody" is not in this combat/);
  });

  it('temporary HP soak damage first; healing caps at the maximum and wakes a character at 0', () => {
    let s = fixed([pc('aria', { hp: 30, maxHp: 30 })]);
    s = C.heal(s, 'aria', 5, { temp: true }, ctx()).state;
    let r = C.damage(s, 'aria', 8, {}, ctx());
    expect([r.combatant.hp, r.combatant.tempHp]).toEqual([27, 0]);
    r = C.damage(r.state, 'aria', 27, {}, ctx());
    expect(r.combatant.status).toBe('unconscious');
    expect(r.combatant.conditions).toContain('unconscious');
    const h = C.heal(r.state, 'aria', 100, {}, ctx());
    expect(h.combatant).toMatchObject({ hp: 30, status: 'conscious' });
    expect(h.combatant.conditions).not.toContain('unconscious');
  });

  it('prompts a concentration save with its DC (half the damage, at least 10)', () => {
    let s = fixed([pc('aria', { hp: 60, maxHp: 60 })]);
    s = C.concentrate(s, 'aria', 'Bless', ctx()).state;
    let r = C.damage(s, 'aria', 30, {}, ctx());
    expect(r.combatant.concentrationDc).toBe(15);
    expect(r.state.prompts).toEqual([{ kind: 'concentration', combatant: 'aria', dc: 15 }]);
    r = C.damage(r.state, 'aria', 4, {}, ctx());
    expect(r.combatant.concentrationDc).toBe(10);
    const failSave = C.concentrationSave(r.state, 'aria', 9, ctx());
    expect(failSave.state.order[0]!.concentration).toBeUndefined();
    expect(failSave.state.prompts).toEqual([]);
  });
});

describe('death saves', () => {
  it('prompts at the dying character’s turn; three failures kill', () => {
    let s = fixed([pc('aria', { initiative: 15, hp: 10, maxHp: 10 }), seed('orc', { initiative: 5 })]);
    s = C.damage(s, 'aria', 12, {}, ctx()).state;
    s = C.nextTurn(s, ctx());
    s = C.nextTurn(s, ctx());
    expect(s.prompts).toEqual([{ kind: 'death-save', combatant: 'aria' }]);
    let r = C.deathSave(s, 'aria', 5, ctx());
    expect(r.combatant.status).toBe('unconscious');
    r = C.deathSave(r.state, 'aria', 1, ctx());
    expect(r.combatant.status).toBe('dead');
    expect(r.state.order[0]!.deathSaves.failures).toBe(3);
    expect(() => C.deathSave(r.state, 'aria', 12, ctx())).toThrow(/only a character at 0 HP/);
  });

  it('three successes stabilise; a 20 wakes with 1 HP; massive damage kills outright', () => {
    let s = fixed([pc('aria', { hp: 10, maxHp: 10 }), pc('bo', { hp: 10, maxHp: 10 })]);
    s = C.damage(s, 'aria', 10, {}, ctx()).state;
    for (const d of [10, 15, 19]) s = C.deathSave(s, 'aria', d, ctx()).state;
    expect(C.combatantOut(s, 'aria').status).toBe('stable');
    s = C.damage(s, 'bo', 10, {}, ctx()).state;
    expect(C.deathSave(s, 'bo', 20, ctx()).combatant).toMatchObject({ hp: 1, status: 'conscious' });
    const massive = C.damage(fixed([pc('cy', { hp: 10, maxHp: 10 })]), 'cy', 20, {}, ctx());
    expect(massive.combatant.status).toBe('dead');
    expect(massive.combatant.events).toContain('died');
  });
});

describe('legendary actions and recharge', () => {
  it('legendary actions show X/Y and reset at the creature’s turn', () => {
    let s = fixed([
      pc('aria', { initiative: 18 }),
      seed('dragon', { initiative: 10, legendary: { max: 3, used: 0 } }),
    ]);
    const u = C.useAction(s, 'dragon', 'Tail', { cost: 2 }, ctx());
    expect(u.legendary).toBe('1/3');
    expect(() => C.useAction(u.state, 'dragon', 'Tail', { cost: 2 }, ctx())).toThrow(
      /1\/3 legendary actions left/,
    );
    s = C.nextTurn(u.state, ctx());
    expect(C.publicCombatants(s).find((c) => c.id === 'dragon')!.legendary).toBe('3/3');
    expect(() => C.useAction(s, 'dragon', 'Tail', {}, ctx())).toThrow(
      /only at the end of another creature's turn/,
    );
  });

  it('a spent recharge action is rolled for at the creature’s turn', () => {
    let s = fixed([
      pc('aria', { initiative: 18 }),
      seed('dragon', { initiative: 10, recharge: [{ action: 'Fire Breath', min: 5, ready: true }] }),
    ]);
    s = C.useAction(s, 'dragon', 'fire breath', {}, ctx()).state;
    expect(() => C.useAction(s, 'dragon', 'Fire Breath', {}, ctx())).toThrow(/has not recharged/);
    // An RNG at the top of the range rolls a 6: recharged at the dragon's turn.
    s = C.nextTurn(s, { rng: () => 0.99, now: 2 });
    expect(s.order.find((x) => x.id === 'dragon')!.recharge[0]!.ready).toBe(true);
    expect(s.log.some((e) => /recharge Fire Breath \(5–6\) rolled 6, ready/.test(e.text) && !e.public)).toBe(
      true,
    );
    s = C.useAction(s, 'dragon', 'Fire Breath', {}, ctx()).state;
    s = C.nextTurn(C.nextTurn(s, ctx()), { rng: () => 0, now: 3 }); // rolls a 1
    expect(s.order.find((x) => x.id === 'dragon')!.recharge[0]!.ready).toBe(false);
  });
});

describe('public projection', () => {
  it('leaves hidden combatants out, labels foes’ HP and keeps the party exact', () => {
    let s = fixed([
      pc('aria', { hp: 30, maxHp: 30, initiative: 20 }),
      seed('a', { hp: 100, maxHp: 100, initiative: 9 }),
      seed('b', { hp: 100, maxHp: 100, initiative: 8 }),
      seed('c', { hp: 100, maxHp: 100, initiative: 7 }),
      seed('d', { hp: 100, maxHp: 100, initiative: 6 }),
      seed('lurker', { hidden: true, initiative: 5, name: 'Lurker' }),
    ]);
    s = C.damage(s, 'aria', 7, {}, ctx()).state;
    s = C.damage(s, 'b', 50, {}, ctx()).state; // 50% → bloodied
    s = C.damage(s, 'c', 90, {}, ctx()).state; // 10% → critical
    s = C.damage(s, 'd', 100, {}, ctx()).state; // down
    const pub = C.publicSession(s);
    expect(pub.combatants.map((c) => [c.id, c.health ?? c.hp])).toEqual([
      ['aria', 23],
      ['a', 'healthy'],
      ['b', 'bloodied'],
      ['c', 'critical'],
      ['d', 'down'],
    ]);
    expect(pub.combatants.find((c) => c.id === 'b')).not.toHaveProperty('hp');
    expect(JSON.stringify(pub)).not.toMatch(/lurker/i);
    expect(C.healthLabel({ hp: 51, maxHp: 100, dead: false })).toBe('healthy');
    expect(C.healthLabel({ hp: 11, maxHp: 100, dead: false })).toBe('bloodied');
    // While the hidden one acts, players see no active combatant.
    while (s.turn !== 'lurker') s = C.nextTurn(s, ctx());
    expect(C.publicSession(s).active).toBeNull();
    expect(C.publicSession(C.reveal(s, 'lurker', ctx())).combatants.some((c) => c.id === 'lurker')).toBe(
      true,
    );
  });
});

describe('roll log', () => {
  it('keeps the last LOG_LIMIT entries', () => {
    let s = fixed([pc('a', { initiative: 10 }), seed('b', { initiative: 5 })]);
    for (let i = 0; i < C.LOG_LIMIT; i++) s = C.nextTurn(s, ctx());
    expect(s.log.length).toBe(C.LOG_LIMIT);
    expect(s.log.at(-1)!.text).toMatch(/'s turn$/);
  });
});

describe('hidden until the first turn', () => {
  it('reveals a hidden foe to the players when its turn starts, when asked to', () => {
    const seeds = [
      pc('aria', { initiative: 15 }),
      seed('lurker', { hidden: true, initiative: 5, name: 'Lurker' }),
    ];
    let s = C.startCombat({ session: 's', ruleset: '2024', seeds, revealOnTurn: true }, ctx());
    expect(C.publicSession(s).combatants.map((c) => c.id)).toEqual(['aria']);
    s = C.nextTurn(s, ctx());
    expect(s.turn).toBe('lurker');
    expect(C.publicSession(s)).toMatchObject({ active: 'lurker' });
    expect(C.publicSession(s).combatants.map((c) => c.id)).toEqual(['aria', 'lurker']);
    // Without the setting it stays hidden while it acts.
    let quiet = C.startCombat({ session: 's', ruleset: '2024', seeds }, ctx());
    quiet = C.nextTurn(quiet, ctx());
    expect(C.publicSession(quiet).active).toBeNull();
  });
});
