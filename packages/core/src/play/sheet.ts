/**
 * The play sheet's transitions (pure): current and temporary HP, Hit Dice, spell and pact slots, conditions,
 * exhaustion, concentration, death saves, inspiration, short and long rests — each through rules-5e's combat
 * transitions on a `CombatantState` built from the derived build plus the stored play state.
 */
import {
  CONDITIONS,
  DAMAGE_TYPES,
  HIT_DICE,
  addCondition,
  applyDamage,
  applyDeathSave,
  changeExhaustion,
  createCombatant,
  effectiveMaxHp,
  endConcentration,
  expendSlot,
  grantTempHp,
  heal,
  longRest,
  removeCondition,
  shortRest,
  startConcentration,
  type CombatantState,
  type Condition,
  type DeriveOutput,
  type DamageType,
  type HitDie,
  type Ruleset,
} from '@loreforge/rules-5e';
import { roll, type Rng } from '@loreforge/rules-5e/dice';
import { CoreError } from '../errors';
import type { PlaySheet } from './schema';

/** What the sheet needs from the derived build. */
export interface SheetBasis {
  ruleset: Ruleset;
  maxHp: number;
  conModifier: number;
  hitDice: Partial<Record<HitDie, number>>;
  slots: number[];
  pactSlots: { count: number; level: number } | null;
}

/** Every kind of sheet action, in the order the CLI and the bridge list them. */
export const SHEET_ACTION_KINDS = [
  'damage',
  'heal',
  'temp-hp',
  'spend-slot',
  'short-rest',
  'long-rest',
  'exhaustion',
  'condition',
  'concentrate',
  'death-save',
  'inspiration',
] as const satisfies readonly SheetAction['kind'][];

export type SheetAction =
  | { kind: 'damage'; amount: number; type?: string; critical?: boolean }
  | { kind: 'heal'; amount: number }
  | { kind: 'temp-hp'; amount: number }
  | { kind: 'spend-slot'; level: number; pact?: boolean }
  | { kind: 'short-rest'; dice?: Array<{ die: string; roll?: number }> }
  | { kind: 'long-rest' }
  | { kind: 'exhaustion'; delta: number }
  | { kind: 'condition'; op: 'add' | 'remove'; name: string }
  | { kind: 'concentrate'; effect: string | null }
  | { kind: 'death-save'; d20?: number }
  | { kind: 'inspiration'; value: boolean };

export interface SheetView {
  maxHp: number;
  hp: number;
  tempHp: number;
  hitDice: Partial<Record<HitDie, { max: number; spent: number }>>;
  slots: { max: number[]; expended: number[] };
  pact: { count: number; level: number; expended: number } | null;
  conditions: string[];
  exhaustion: number;
  concentration: string | null;
  deathSaves: { successes: number; failures: number };
  status: 'conscious' | 'unconscious' | 'stable' | 'dead';
  inspiration: boolean;
  /** Set after damage while concentrating. */
  concentrationDc?: number;
}

function fail(field: string, reason: string): never {
  throw new CoreError('invalid-input', `${field}: ${reason}`);
}

export function basisOf(
  ruleset: Ruleset,
  d: Pick<DeriveOutput, 'hitPoints' | 'hitDice' | 'spellcasting'> & { conModifier: number },
): SheetBasis {
  return {
    ruleset,
    maxHp: Math.max(1, d.hitPoints.max),
    conModifier: d.conModifier,
    hitDice: { ...d.hitDice },
    slots: [...d.spellcasting.slots, 0, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 9),
    pactSlots: d.spellcasting.pactSlots,
  };
}

/** A fresh sheet: full HP, nothing spent. */
export function freshSheet(basis: SheetBasis): PlaySheet {
  return {
    hp: basis.maxHp,
    tempHp: 0,
    hitDiceSpent: {},
    slotsExpended: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    pactExpended: 0,
    conditions: [],
    exhaustion: 0,
    deathSaves: { successes: 0, failures: 0 },
    stable: false,
    dead: false,
    inspiration: false,
  };
}

export function toState(basis: SheetBasis, sheet: PlaySheet): CombatantState {
  const base = createCombatant({
    ruleset: basis.ruleset,
    kind: 'character',
    maxHp: basis.maxHp,
    conModifier: Math.max(-5, Math.min(10, basis.conModifier)),
    hitDice: basis.hitDice,
    spellSlots: basis.slots,
    pactSlots: basis.pactSlots,
  });
  const hitDice: CombatantState['hitDice'] = {};
  for (const die of HIT_DICE) {
    const pool = base.hitDice[die];
    if (pool) hitDice[die] = { max: pool.max, spent: Math.min(pool.max, sheet.hitDiceSpent[die] ?? 0) };
  }
  return {
    ...base,
    hp: Math.min(sheet.hp, basis.maxHp),
    tempHp: sheet.tempHp,
    hitDice,
    spellSlots: {
      max: base.spellSlots.max,
      expended: base.spellSlots.max.map((m, i) => Math.min(m, sheet.slotsExpended[i] ?? 0)),
    },
    pactSlots: base.pactSlots
      ? { ...base.pactSlots, expended: Math.min(base.pactSlots.count, sheet.pactExpended) }
      : null,
    exhaustion: sheet.exhaustion,
    conditions: sheet.conditions.filter((c): c is Condition => (CONDITIONS as readonly string[]).includes(c)),
    deathSaves: { ...sheet.deathSaves },
    stable: sheet.stable,
    dead: sheet.dead,
    concentration: sheet.concentration ?? null,
  };
}

export function fromState(s: CombatantState, inspiration: boolean): PlaySheet {
  const hitDiceSpent: PlaySheet['hitDiceSpent'] = {};
  for (const die of HIT_DICE) {
    const pool = s.hitDice[die];
    if (pool && pool.spent > 0) hitDiceSpent[die] = pool.spent;
  }
  return {
    hp: s.hp,
    tempHp: s.tempHp,
    hitDiceSpent,
    slotsExpended: [...s.spellSlots.expended],
    pactExpended: s.pactSlots?.expended ?? 0,
    conditions: [...s.conditions],
    exhaustion: s.exhaustion,
    ...(s.concentration !== null ? { concentration: s.concentration } : {}),
    deathSaves: { ...s.deathSaves },
    stable: s.stable,
    dead: s.dead,
    inspiration,
  };
}

export function viewOf(
  basis: SheetBasis,
  sheet: PlaySheet,
  extra: { concentrationDc?: number | null } = {},
): SheetView {
  const s = toState(basis, sheet);
  return {
    maxHp: effectiveMaxHp(s),
    hp: s.hp,
    tempHp: s.tempHp,
    hitDice: s.hitDice,
    slots: s.spellSlots,
    pact: s.pactSlots,
    conditions: [...s.conditions],
    exhaustion: s.exhaustion,
    concentration: s.concentration,
    deathSaves: s.deathSaves,
    status: s.dead ? 'dead' : s.hp === 0 ? (s.stable ? 'stable' : 'unconscious') : 'conscious',
    inspiration: sheet.inspiration,
    ...(extra.concentrationDc != null ? { concentrationDc: extra.concentrationDc } : {}),
  };
}

/** Apply one action; rules errors (RangeError from rules-5e) become input errors naming the field. */
export function actOnSheet(
  basis: SheetBasis,
  sheet: PlaySheet,
  action: SheetAction,
  rng: Rng,
): { sheet: PlaySheet; view: SheetView } {
  const s = toState(basis, sheet);
  let inspiration = sheet.inspiration;
  let next: CombatantState;
  let dc: number | null = null;
  try {
    switch (action.kind) {
      case 'damage': {
        if (action.type !== undefined && !(DAMAGE_TYPES as readonly string[]).includes(action.type))
          fail('--type', `"${action.type}" is not a damage type`);
        const r = applyDamage(s, {
          amount: action.amount,
          type: (action.type ?? 'bludgeoning') as DamageType,
          ...(action.critical === true ? { critical: true } : {}),
        });
        next = r.state;
        dc = r.concentrationDc;
        break;
      }
      case 'heal':
        next = heal(s, action.amount);
        break;
      case 'temp-hp':
        next = grantTempHp(s, action.amount);
        break;
      case 'spend-slot':
        next = expendSlot(s, action.level, action.pact === true ? { pact: true } : {});
        break;
      case 'short-rest': {
        const spends = (action.dice ?? []).map((d, i) => {
          if (!(HIT_DICE as readonly string[]).includes(d.die))
            fail(`--hit-dice[${i}]`, `"${d.die}" must be d6, d8, d10 or d12`);
          return { die: d.die as HitDie, roll: d.roll ?? roll(`1${d.die}`, rng).total };
        });
        next = shortRest(s, spends);
        break;
      }
      case 'long-rest':
        next = longRest(s);
        break;
      case 'exhaustion':
        next = changeExhaustion(s, action.delta);
        break;
      case 'condition': {
        const name = action.name.toLowerCase();
        if (!(CONDITIONS as readonly string[]).includes(name))
          fail('--condition', `"${action.name}" is not a condition`);
        next =
          action.op === 'add' ? addCondition(s, name as Condition) : removeCondition(s, name as Condition);
        break;
      }
      case 'concentrate':
        next = action.effect === null ? endConcentration(s) : startConcentration(s, action.effect);
        break;
      case 'death-save':
        next = applyDeathSave(s, action.d20 ?? roll('1d20', rng).total);
        break;
      case 'inspiration':
        next = s;
        inspiration = action.value;
        break;
    }
  } catch (err) {
    if (err instanceof RangeError) throw new CoreError('invalid-input', err.message);
    throw err;
  }
  const out = fromState(next, inspiration);
  return { sheet: out, view: viewOf(basis, out, { concentrationDc: dc }) };
}
