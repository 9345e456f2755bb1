/**
 * A small combatant state and pure transitions on it: damage (immunity → resistance → vulnerability, then
 * temporary HP), healing, death saves, exhaustion, conditions, concentration and rests. Every function returns a
 * new state and never mutates its input.
 */
import type { Condition, Creature, DamageType, Ruleset } from '../content/types';
import { DAMAGE_TYPES } from '../content/types';
import { conditionFlags, expandConditions } from './conditions';
import { concentrationDc, exhaustionEffects2014 } from './exhaustion';

export const HIT_DICE = ['d6', 'd8', 'd10', 'd12'] as const;
export type HitDie = (typeof HIT_DICE)[number];
const HIT_DIE_SIZE: Record<HitDie, number> = { d6: 6, d8: 8, d10: 10, d12: 12 };

export interface CombatantState {
  ruleset: Ruleset;
  /** Characters make death saves at 0 HP; monsters die at 0 HP. */
  kind: 'character' | 'monster';
  hp: number;
  maxHp: number;
  tempHp: number;
  conModifier: number;
  hitDice: Partial<Record<HitDie, { max: number; spent: number }>>;
  /** Spell slots for levels 1–9: maximum and expended. */
  spellSlots: { max: number[]; expended: number[] };
  pactSlots: { count: number; level: number; expended: number } | null;
  exhaustion: number;
  conditions: Condition[];
  deathSaves: { successes: number; failures: number };
  stable: boolean;
  dead: boolean;
  /** Name of the effect being concentrated on, or null. */
  concentration: string | null;
  resistances: DamageType[];
  immunities: DamageType[];
  vulnerabilities: DamageType[];
}

export interface CombatantInit {
  ruleset?: Ruleset;
  kind?: 'character' | 'monster';
  maxHp: number;
  hp?: number;
  tempHp?: number;
  conModifier?: number;
  hitDice?: Partial<Record<HitDie, number>>;
  spellSlots?: number[];
  pactSlots?: { count: number; level: number } | null;
  resistances?: DamageType[];
  immunities?: DamageType[];
  vulnerabilities?: DamageType[];
}

function fail(field: string, reason: string): never {
  throw new RangeError(`${field}: ${reason}`);
}

function checkInt(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(
      field,
      `${String(value)} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`,
    );
  }
}

function checkTypes(field: string, types: readonly DamageType[]): void {
  types.forEach((t, i) => {
    if (!(DAMAGE_TYPES as readonly string[]).includes(t))
      fail(`${field}[${i}]`, `"${String(t)}" is not a damage type`);
  });
}

/** Build a fresh combatant at full HP (or `hp`), no conditions, nothing spent. */
export function createCombatant(init: CombatantInit): CombatantState {
  checkInt('maxHp', init.maxHp, 1);
  const hp = init.hp ?? init.maxHp;
  checkInt('hp', hp, 0, init.maxHp);
  checkInt('tempHp', init.tempHp ?? 0, 0);
  checkInt('conModifier', init.conModifier ?? 0, -5, 10);
  const hitDice: CombatantState['hitDice'] = {};
  for (const [die, count] of Object.entries(init.hitDice ?? {})) {
    if (!(HIT_DICE as readonly string[]).includes(die))
      fail(`hitDice.${die}`, 'must be one of d6, d8, d10, d12');
    if (count === undefined) continue;
    checkInt(`hitDice.${die}`, count, 0);
    hitDice[die as HitDie] = { max: count, spent: 0 };
  }
  const slots = init.spellSlots ?? [0, 0, 0, 0, 0, 0, 0, 0, 0];
  if (slots.length !== 9) fail('spellSlots', `needs 9 numbers (levels 1–9), got ${slots.length}`);
  slots.forEach((n, i) => checkInt(`spellSlots[${i}]`, n, 0));
  if (init.pactSlots) {
    checkInt('pactSlots.count', init.pactSlots.count, 0);
    checkInt('pactSlots.level', init.pactSlots.level, 1, 5);
  }
  checkTypes('resistances', init.resistances ?? []);
  checkTypes('immunities', init.immunities ?? []);
  checkTypes('vulnerabilities', init.vulnerabilities ?? []);
  return {
    ruleset: init.ruleset ?? '2024',
    kind: init.kind ?? 'character',
    hp,
    maxHp: init.maxHp,
    tempHp: init.tempHp ?? 0,
    conModifier: init.conModifier ?? 0,
    hitDice,
    spellSlots: { max: [...slots], expended: slots.map(() => 0) },
    pactSlots: init.pactSlots ? { ...init.pactSlots, expended: 0 } : null,
    exhaustion: 0,
    conditions: hp === 0 && (init.kind ?? 'character') === 'character' ? ['unconscious'] : [],
    deathSaves: { successes: 0, failures: 0 },
    stable: false,
    dead: hp === 0 && init.kind === 'monster',
    concentration: null,
    resistances: [...(init.resistances ?? [])],
    immunities: [...(init.immunities ?? [])],
    vulnerabilities: [...(init.vulnerabilities ?? [])],
  };
}

/**
 * A combatant for a stat block: a monster (dies at 0 HP) at full HP with the creature's damage resistances,
 * immunities and vulnerabilities, Con modifier, and Hit Dice read from its HP formula ("20d10 + 40" → 20 d10).
 */
export function combatantFromCreature(creature: Creature, ruleset: Ruleset = '2024'): CombatantState {
  const m = /^\s*(\d+)\s*d\s*(\d+)/i.exec(creature.hp.formula);
  const die = m ? `d${m[2]}` : '';
  const hitDice = m && (HIT_DICE as readonly string[]).includes(die) ? { [die]: Number(m[1]) } : {};
  return createCombatant({
    ruleset,
    kind: 'monster',
    maxHp: Math.max(1, creature.hp.average),
    conModifier: Math.max(-5, Math.min(10, Math.floor((creature.abilities.con - 10) / 2))),
    hitDice,
    resistances: creature.resistances,
    immunities: creature.immunities,
    vulnerabilities: creature.vulnerabilities,
  });
}

/** HP maximum in effect (2014 exhaustion level 4+ halves it). */
export function effectiveMaxHp(state: CombatantState): number {
  if (state.ruleset === '2014' && exhaustionEffects2014(state.exhaustion).hpMaxHalved) {
    return Math.max(1, Math.floor(state.maxHp / 2));
  }
  return state.maxHp;
}

/** True when the creature is at 0 HP, alive and not stable (it must make death saves). */
export function isDying(state: CombatantState): boolean {
  return !state.dead && state.hp === 0 && !state.stable && state.kind === 'character';
}

function withConditions(state: CombatantState, conditions: Condition[]): CombatantState {
  return { ...state, conditions: [...new Set(conditions)] };
}

export function addCondition(state: CombatantState, condition: Condition): CombatantState {
  expandConditions([condition]);
  const next = withConditions(state, [...state.conditions, condition]);
  return conditionFlags(next.conditions).breaksConcentration ? { ...next, concentration: null } : next;
}

export function removeCondition(state: CombatantState, condition: Condition): CombatantState {
  return withConditions(
    state,
    state.conditions.filter((c) => c !== condition),
  );
}

/** Start concentrating on an effect (ends any previous concentration). */
export function startConcentration(state: CombatantState, effect: string): CombatantState {
  if (state.dead || conditionFlags(state.conditions).incapacitated) {
    fail('state', 'a dead or incapacitated creature cannot concentrate');
  }
  return { ...state, concentration: effect };
}

export function endConcentration(state: CombatantState): CombatantState {
  return { ...state, concentration: null };
}

/** Result of a failed or passed concentration save: pass `success` from your own roll against the DC. */
export function resolveConcentrationSave(state: CombatantState, success: boolean): CombatantState {
  return success ? state : endConcentration(state);
}

export interface DamageInput {
  amount: number;
  type: DamageType;
  /** A critical hit: counts as two death-save failures when the target is already at 0 HP. */
  critical?: boolean;
}

export interface DamageResult {
  state: CombatantState;
  /** Damage after immunity, resistance and vulnerability. */
  damage: number;
  /** Part of `damage` soaked by temporary HP. */
  absorbedByTempHp: number;
  /** DC of the concentration save the creature must now make, or null when none is due. */
  concentrationDc: number | null;
  /** What changed, in order: 'immune', 'resisted', 'vulnerable', 'dropped-to-0', 'death-save-failure', 'died'. */
  events: string[];
}

/**
 * Apply damage. Order: immunity (→ 0), resistance (halve, round down; Petrified counts as resistance to all),
 * vulnerability (double); temporary HP absorb first; then HP. At 0 HP a character takes death-save failures
 * (2 on a critical) and dies if one hit deals at least its HP maximum; dropping to 0 with leftover damage ≥ HP
 * maximum kills outright. Monsters die at 0 HP.
 */
export function applyDamage(state: CombatantState, input: DamageInput): DamageResult {
  if (!Number.isFinite(input.amount) || input.amount < 0) {
    fail('amount', `${String(input.amount)} must be a number ≥ 0`);
  }
  checkTypes('type', [input.type]);
  const events: string[] = [];
  if (state.dead) return { state, damage: 0, absorbedByTempHp: 0, concentrationDc: null, events };
  let damage = Math.floor(input.amount);
  if (state.immunities.includes(input.type)) {
    damage = 0;
    events.push('immune');
  } else {
    if (state.resistances.includes(input.type) || conditionFlags(state.conditions).resistAll) {
      damage = Math.floor(damage / 2);
      events.push('resisted');
    }
    if (state.vulnerabilities.includes(input.type)) {
      damage *= 2;
      events.push('vulnerable');
    }
  }
  if (damage === 0) return { state, damage, absorbedByTempHp: 0, concentrationDc: null, events };

  const absorbed = Math.min(state.tempHp, damage);
  const rest = damage - absorbed;
  let next: CombatantState = { ...state, tempHp: state.tempHp - absorbed };

  if (state.hp === 0) {
    // Already at 0 HP: failures, or death from massive damage.
    if (rest === 0) return { state: next, damage, absorbedByTempHp: absorbed, concentrationDc: null, events };
    if (rest >= effectiveMaxHp(state) || state.kind === 'monster') {
      events.push('died');
      return { state: die(next), damage, absorbedByTempHp: absorbed, concentrationDc: null, events };
    }
    const failures = state.deathSaves.failures + (input.critical === true ? 2 : 1);
    events.push('death-save-failure');
    next = { ...next, stable: false, deathSaves: { ...state.deathSaves, failures: Math.min(3, failures) } };
    if (failures >= 3) {
      events.push('died');
      next = die(next);
    }
    return { state: next, damage, absorbedByTempHp: absorbed, concentrationDc: null, events };
  }

  const hpAfter = state.hp - rest;
  if (hpAfter > 0) {
    next = { ...next, hp: hpAfter };
    const dc = state.concentration !== null ? concentrationDc(damage, state.ruleset) : null;
    return { state: next, damage, absorbedByTempHp: absorbed, concentrationDc: dc, events };
  }
  events.push('dropped-to-0');
  const leftover = -hpAfter;
  if (state.kind === 'monster' || leftover >= effectiveMaxHp(state)) {
    events.push('died');
    return {
      state: die({ ...next, hp: 0 }),
      damage,
      absorbedByTempHp: absorbed,
      concentrationDc: null,
      events,
    };
  }
  next = addCondition(
    { ...next, hp: 0, deathSaves: { successes: 0, failures: 0 }, stable: false },
    'unconscious',
  );
  return { state: next, damage, absorbedByTempHp: absorbed, concentrationDc: null, events };
}

function die(state: CombatantState): CombatantState {
  return { ...state, hp: 0, dead: true, stable: false, concentration: null };
}

/** Regain HP (capped at the HP maximum in effect). A creature at 0 HP wakes; the dead stay dead. */
export function heal(state: CombatantState, amount: number): CombatantState {
  if (!Number.isFinite(amount) || amount < 0) fail('amount', `${String(amount)} must be a number ≥ 0`);
  const gained = Math.floor(amount);
  if (state.dead || gained === 0) return state;
  const hp = Math.min(effectiveMaxHp(state), state.hp + gained);
  if (state.hp > 0) return { ...state, hp };
  // Waking up: Unconscious ends, the creature stays Prone.
  const conditions = [...state.conditions.filter((c) => c !== 'unconscious'), 'prone' as const];
  return {
    ...state,
    hp,
    conditions: [...new Set(conditions)],
    stable: false,
    deathSaves: { successes: 0, failures: 0 },
  };
}

/** Temporary HP don't stack: keep the larger of the current and the new amount. */
export function grantTempHp(state: CombatantState, amount: number): CombatantState {
  checkInt('amount', amount, 0);
  return { ...state, tempHp: Math.max(state.tempHp, amount) };
}

/**
 * One death saving throw with the natural d20 result: 10+ success, 1 = two failures, 20 = regain 1 HP;
 * three successes → stable (counts reset), three failures → dead.
 */
export function applyDeathSave(state: CombatantState, d20: number): CombatantState {
  checkInt('d20', d20, 1, 20);
  if (!isDying(state))
    fail('state', 'only a character at 0 HP who is neither stable nor dead makes death saves');
  if (d20 === 20) return heal(state, 1);
  if (d20 === 1 || d20 < 10) {
    const failures = state.deathSaves.failures + (d20 === 1 ? 2 : 1);
    const next = { ...state, deathSaves: { ...state.deathSaves, failures: Math.min(3, failures) } };
    return failures >= 3 ? die(next) : next;
  }
  const successes = state.deathSaves.successes + 1;
  if (successes >= 3) return { ...state, stable: true, deathSaves: { successes: 0, failures: 0 } };
  return { ...state, deathSaves: { ...state.deathSaves, successes } };
}

/** Make a dying creature stable (Help action with a successful Medicine check, Spare the Dying…). */
export function stabilize(state: CombatantState): CombatantState {
  if (!isDying(state)) return state;
  return { ...state, stable: true, deathSaves: { successes: 0, failures: 0 } };
}

/** Gain (positive) or lose (negative) exhaustion levels, clamped to 0–6; level 6 is death. */
export function changeExhaustion(state: CombatantState, delta: number): CombatantState {
  checkInt('delta', Math.abs(delta), 0, 6);
  const exhaustion = Math.max(0, Math.min(6, state.exhaustion + delta));
  const conditions =
    exhaustion > 0
      ? [...state.conditions, 'exhaustion' as const]
      : state.conditions.filter((c) => c !== 'exhaustion');
  let next = withConditions({ ...state, exhaustion }, conditions);
  next = { ...next, hp: Math.min(next.hp, effectiveMaxHp(next)) };
  return exhaustion >= 6 ? die(next) : next;
}

/** Expend one spell slot of `level` (1–9), or a pact slot with `{ pact: true }`. */
export function expendSlot(
  state: CombatantState,
  level: number,
  options: { pact?: boolean } = {},
): CombatantState {
  checkInt('level', level, 1, 9);
  if (options.pact === true) {
    const pact = state.pactSlots;
    if (!pact || pact.expended >= pact.count) fail('pactSlots', 'no pact slot left');
    return { ...state, pactSlots: { ...pact, expended: pact.expended + 1 } };
  }
  const max = state.spellSlots.max[level - 1] ?? 0;
  const used = state.spellSlots.expended[level - 1] ?? 0;
  if (used >= max) fail(`spellSlots[${level - 1}]`, `no level-${level} slot left`);
  const expended = [...state.spellSlots.expended];
  expended[level - 1] = used + 1;
  return { ...state, spellSlots: { ...state.spellSlots, expended } };
}

export interface HitDieSpend {
  die: HitDie;
  /** The number rolled on that die (injected; roll it with `roll('1d8', rng)`). */
  roll: number;
}

function requireRestable(state: CombatantState, field: string): void {
  if (state.dead) fail('state', 'the dead cannot rest');
  if (state.hp < 1) fail(field, 'a rest needs at least 1 HP');
}

/**
 * Short rest: spend Hit Dice with the given rolls; each regains roll + Con modifier HP (minimum 1 in 2024,
 * minimum 0 in 2014). Pact slots come back.
 */
export function shortRest(state: CombatantState, spends: readonly HitDieSpend[] = []): CombatantState {
  if (state.ruleset === '2024') requireRestable(state, 'state.hp');
  else if (state.dead) fail('state', 'the dead cannot rest');
  let next: CombatantState = { ...state, hitDice: { ...state.hitDice } };
  spends.forEach((spend, i) => {
    if (!(HIT_DICE as readonly string[]).includes(spend.die))
      fail(`spends[${i}].die`, 'must be d6, d8, d10 or d12');
    checkInt(`spends[${i}].roll`, spend.roll, 1, HIT_DIE_SIZE[spend.die]);
    const pool = next.hitDice[spend.die];
    if (!pool || pool.spent >= pool.max) fail(`spends[${i}].die`, `no ${spend.die} Hit Die left to spend`);
    const regained = Math.max(state.ruleset === '2024' ? 1 : 0, spend.roll + state.conModifier);
    next = heal(
      { ...next, hitDice: { ...next.hitDice, [spend.die]: { ...pool, spent: pool.spent + 1 } } },
      regained,
    );
  });
  return next.pactSlots ? { ...next, pactSlots: { ...next.pactSlots, expended: 0 } } : next;
}

/**
 * Long rest: HP to full, all spell and pact slots back, exhaustion −1, temporary HP gone (our policy: they do not
 * outlast a long rest). Hit Dice: 2024 regains all spent dice; 2014 regains up to half the total (round down,
 * minimum 1), largest dice first.
 */
export function longRest(state: CombatantState): CombatantState {
  requireRestable(state, 'state.hp');
  const hitDice: CombatantState['hitDice'] = {};
  const total = HIT_DICE.reduce((sum, d) => sum + (state.hitDice[d]?.max ?? 0), 0);
  let budget = state.ruleset === '2024' ? total : Math.max(1, Math.floor(total / 2));
  for (const die of [...HIT_DICE].reverse()) {
    const pool = state.hitDice[die];
    if (!pool) continue;
    const back = Math.min(pool.spent, budget);
    budget -= back;
    hitDice[die] = { max: pool.max, spent: pool.spent - back };
  }
  let next: CombatantState = {
    ...state,
    hitDice,
    tempHp: 0,
    spellSlots: { max: state.spellSlots.max, expended: state.spellSlots.max.map(() => 0) },
    pactSlots: state.pactSlots ? { ...state.pactSlots, expended: 0 } : null,
    deathSaves: { successes: 0, failures: 0 },
    stable: false,
  };
  if (next.exhaustion > 0) next = changeExhaustion(next, -1);
  return { ...next, hp: effectiveMaxHp(next) };
}
