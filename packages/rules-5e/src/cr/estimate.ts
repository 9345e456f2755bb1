/**
 * Challenge rating of any stat block by the DMG 2014 "Creating a Monster" method (rules-facts.md §4a/§4b), and
 * a calibrated variant fitted to the 2024 SRD creatures (see CONTEXT.md, "CR estimation").
 *
 * The creature's own printed CR is never read: the "expected CR" that the method needs for its multipliers
 * (resistances, legendary resistance, flying) is found by iterating the estimate to a fixed point, unless the
 * caller passes `expectedCr`.
 */
import type { Creature, CreatureAction, DamageType } from '../content/types';
import { xpForCr, crIndex, crAtIndex } from '../encounter/cr';
import { CR_STEPS } from '../tables/encounter';
import {
  EFFECTIVE_HP_MULTIPLIERS_2014,
  MONSTER_STATISTICS_2014,
  type MonsterStatisticsRow,
} from '../tables/monster-statistics';
import {
  HARD_CONTROL_SPELLS,
  offensePlan,
  type OffenseParams,
  type OffensePlan,
  type SpellLookup,
} from './damage';
import { CALIBRATED_PARAMS, CALIBRATED_PARAMS_2014 } from './calibration';

export type CrMethod = 'dmg2014' | 'calibrated';

export interface CrOptions {
  /** 'calibrated' (default) or the plain 'dmg2014' method. */
  method?: CrMethod;
  /**
   * Which edition's stat blocks the calibrated method is tuned for: '2024' (default, fitted on SRD 5.2.1) or
   * '2014' (fitted on half of the SRD 5.1 monsters; 2014 creatures deal less damage for their CR). The plain
   * 'dmg2014' method ignores it.
   */
  ruleset?: '2014' | '2024';
  /** The CR the designer aims for; drives the HP multipliers. Default: found by iteration. */
  expectedCr?: number;
  /** Override individual parameters (used by the calibration fit). */
  params?: Partial<CrParams>;
  /**
   * Spells by id (e.g. `content.spells`): when given, damaging spells in the creature's `spellcasting` compete
   * with its actions (DMG: count spells only where they out-damage the normal attacks).
   */
  spells?: SpellLookup;
}

export interface CrEstimate {
  cr: number;
  xp: number;
  defensiveCr: number;
  offensiveCr: number;
  method: CrMethod;
  details: {
    /** Effective HP used for the defensive row (after multipliers and traits). */
    effectiveHp: number;
    effectiveAc: number;
    /** Average damage per round over three rounds. */
    dpr: number;
    /** Dominant attack bonus (damage-weighted), or null when the creature makes no damaging attack. */
    attackBonus: number | null;
    /** Dominant save DC (damage-weighted), or null when no damaging save effect. */
    saveDc: number | null;
    /** Which of the two drove the offensive adjustment. */
    offenseBy: 'attack' | 'save' | 'none';
    expectedCr: number;
    notes: string[];
  };
}

/** Tunable parameters of the method; `DMG2014_PARAMS` is the book method. */
export interface CrParams {
  /** Multiply effective HP before the table look-up. */
  hpScale: number;
  /** Multiply damage per round before the table look-up. */
  dprScale: number;
  /** Added to effective AC / attack bonus / save DC before comparing with the row. */
  acShift: number;
  attackShift: number;
  dcShift: number;
  /** Points of difference per CR step (DMG: 2). */
  stepPoints: number;
  /** Resistances/immunities to this many types (or any of B/P/S) trigger the effective-HP multiplier. */
  resistanceMinTypes: number;
  /** Weight of the offensive CR in the final average (DMG: 0.5). */
  offenseWeight: number;
  /** Average CR values ('value', DMG) or ladder positions ('index'). */
  combine: 'value' | 'index';
  /** Ladder steps added to the final average before rounding. */
  finalShift: number;
  offense: OffenseParams;
  /**
   * 'steps' (DMG): final CR from the stepped defensive and offensive CRs. 'linear': final ladder position =
   * c0 + c1·hpPos + c2·acDiff + c3·dprPos + c4·offDiff, where hpPos/dprPos are continuous row positions in the
   * Monster Statistics table and acDiff/offDiff the differences to that row's AC and attack bonus (or DC).
   */
  model: 'steps' | 'linear';
  coefficients: readonly [number, number, number, number, number];
  /**
   * Optional linear terms for what the table does not see, each added to both positions: legendary action uses
   * per round, Legendary Resistance uses per day, the highest spell slot level a caster casts from, and (fourth,
   * optional) whether the creature can impose a disabling condition (`imposesHardControl`).
   */
  extraCoefficients?: readonly [number, number, number, number?];
  /** Exponent on the resistance/immunity HP multiplier (1, the DMG, when absent; 0 ignores it). */
  resistancePower?: number;
}

export const DMG2014_PARAMS: CrParams = {
  hpScale: 1,
  dprScale: 1,
  acShift: 0,
  attackShift: 0,
  dcShift: 0,
  stepPoints: 2,
  resistanceMinTypes: 3,
  offenseWeight: 0.5,
  combine: 'value',
  finalShift: 0,
  offense: {
    areaTargets: 2,
    recharge: 'once',
    reactions: true,
    legendaryShare: 1,
    legendaryOncePerRound: false,
  },
  model: 'steps',
  coefficients: [0, 0.5, 0.25, 0.5, 0.25],
};

const BPS: readonly DamageType[] = ['bludgeoning', 'piercing', 'slashing'];
const LAST = MONSTER_STATISTICS_2014.length - 1;

function rowForHp(hp: number): number {
  const v = Math.round(hp);
  if (v <= 0) return 0;
  const i = MONSTER_STATISTICS_2014.findIndex((r) => v >= r.hpMin && v <= r.hpMax);
  return i < 0 ? LAST : i;
}

function rowForDpr(dpr: number): number {
  const v = Math.round(dpr);
  if (v <= 0) return 0;
  const i = MONSTER_STATISTICS_2014.findIndex((r) => v >= r.dprMin && v <= r.dprMax);
  return i < 0 ? LAST : i;
}

/**
 * Continuous position of a value in the table's contiguous ranges: row index + fraction through the row
 * (CR 1/8 HP 7 → 1.0, HP 21 → 1.5). Below the first row → 0; past CR 30 it extrapolates with the last width.
 */
function position(
  value: number,
  min: (r: MonsterStatisticsRow) => number,
  max: (r: MonsterStatisticsRow) => number,
): number {
  const first = MONSTER_STATISTICS_2014[0] as MonsterStatisticsRow;
  if (value <= min(first)) return 0;
  for (let i = 0; i <= LAST; i++) {
    const r = MONSTER_STATISTICS_2014[i] as MonsterStatisticsRow;
    if (value <= max(r) + 1) return i + (value - min(r)) / (max(r) + 1 - min(r));
  }
  const last = MONSTER_STATISTICS_2014[LAST] as MonsterStatisticsRow;
  return LAST + (value - min(last)) / (max(last) + 1 - min(last));
}

function row(i: number): MonsterStatisticsRow {
  return MONSTER_STATISTICS_2014[Math.max(0, Math.min(LAST, i))] as MonsterStatisticsRow;
}

/** One step per full `stepPoints` of difference, toward zero (a 1-point gap changes nothing). */
function steps(diff: number, stepPoints: number): number {
  return Math.trunc(diff / stepPoints);
}

function hpMultiplierRow(expectedCr: number): (typeof EFFECTIVE_HP_MULTIPLIERS_2014)[number] {
  let found: (typeof EFFECTIVE_HP_MULTIPLIERS_2014)[number] = EFFECTIVE_HP_MULTIPLIERS_2014[0];
  for (const r of EFFECTIVE_HP_MULTIPLIERS_2014) if (expectedCr >= r.minCr) found = r;
  return found;
}

function byBand<T>(expectedCr: number, low: T, mid: T, high: T, top?: T): T {
  if (expectedCr <= 4) return low;
  if (expectedCr <= 10) return mid;
  if (top !== undefined && expectedCr >= 17) return top;
  return high;
}

interface Features {
  names: string[];
  has(fragment: string): boolean;
  hasAction(name: string): boolean;
  summary(fragment: string): string | undefined;
}

function features(c: Creature): Features {
  const traits = c.traits.map((t) => ({ name: t.name.toLowerCase(), summary: t.summary }));
  const all: { name: string; summary: string }[] = [
    ...traits,
    ...[...c.actions, ...c.bonusActions, ...c.reactions].map((a) => ({
      name: a.name.toLowerCase(),
      summary: a.summary,
    })),
  ];
  return {
    names: all.map((t) => t.name),
    has: (fragment) => all.some((t) => t.name.includes(fragment)),
    hasAction: (name) => all.some((t) => t.name === name || t.name.startsWith(`${name} (`)),
    summary: (fragment) => all.find((t) => t.name.includes(fragment))?.summary,
  };
}

function dealsRangedDamage(c: Creature): boolean {
  const all: CreatureAction[] = [...c.actions, ...c.bonusActions, ...(c.legendaryActions?.actions ?? [])];
  return all.some((a) => {
    const atk = a.attack;
    if (atk && atk.kind !== 'melee' && atk.damage.length > 0) return true;
    return a.save !== undefined && a.save.damage.length > 0 && a.save.area;
  });
}

interface Analysis {
  effectiveHp: number;
  effectiveAc: number;
  dpr: number;
  attackBonus: number | null;
  saveDc: number | null;
  offenseBy: 'attack' | 'save' | 'none';
  defensiveIndex: number;
  offensiveIndex: number;
  /** Continuous features for the linear model. */
  features: [number, number, number, number];
  /** Legendary action uses, Legendary Resistance uses, highest spell slot level, hard control (0/1). */
  extra: [number, number, number, number];
  notes: string[];
}

function analyse(c: Creature, expectedCr: number, p: CrParams, plan: OffensePlan): Analysis {
  const notes: string[] = [];
  const f = features(c);

  // --- Defense -------------------------------------------------------------------------------------
  let hp = c.hp.average;
  const resistSet = new Set([...c.resistances, ...c.immunities]);
  const relevant = (types: Iterable<DamageType>): boolean => {
    const list = [...types];
    return list.some((t) => BPS.includes(t)) || list.length >= p.resistanceMinTypes;
  };
  const band = hpMultiplierRow(expectedCr);
  // A shape-changer's weapon immunity (a lycanthrope's, bypassed by silvered or magic weapons, which the party
  // brings once it knows the creature) counts as resistance.
  const shapechanger = f.has('shapechanger') && c.immunities.some((t) => BPS.includes(t));
  if (shapechanger) notes.push('shapechanger: weapon immunity counted as resistance');
  if (!shapechanger && relevant(c.immunities)) {
    hp *= band.immunity ** (p.resistancePower ?? 1);
    notes.push(`immunities (${c.immunities.join(', ')}): HP ×${band.immunity}`);
  } else if (relevant(resistSet)) {
    hp *= band.resistance ** (p.resistancePower ?? 1);
    notes.push(`resistances (${[...resistSet].join(', ')}): HP ×${band.resistance}`);
  }
  if (c.vulnerabilities.filter((t) => BPS.includes(t)).length >= 2) {
    hp /= 2;
    notes.push('vulnerable to weapon damage types: HP ×0.5');
  }
  if (c.legendaryResistance > 0) {
    const per = byBand(expectedCr, 10, 20, 30);
    hp += per * c.legendaryResistance;
    notes.push(`legendary resistance ${c.legendaryResistance}/day: +${per * c.legendaryResistance} HP`);
  }
  if (f.has('undead fortitude') || f.has('relentless')) {
    const add = byBand(expectedCr, 7, 14, 21, 28);
    hp += add;
    notes.push(`undead fortitude / relentless: +${add} HP`);
  }
  if (f.has('regeneration')) {
    const m = /(\d+)\s*(?:hit points|hp)/i.exec(f.summary('regeneration') ?? '');
    const regen = m ? Number(m[1]) : 10;
    hp += 3 * regen;
    notes.push(`regeneration ${regen}/round: +${3 * regen} HP${m ? '' : ' (amount not found; 10 assumed)'}`);
  }
  if ((f.has('frightful presence') || f.has('horrifying visage')) && expectedCr <= 10) {
    hp *= 1.25;
    notes.push('frightful presence / horrifying visage: HP ×1.25');
  }
  if (f.has('possession') || f.has('damage transfer')) {
    hp *= 2;
    notes.push('possession / damage transfer: HP ×2');
  }
  hp *= p.hpScale;

  let ac = c.ac;
  if ((c.speed.fly ?? 0) > 0 && dealsRangedDamage(c) && expectedCr <= 10) {
    ac += 2;
    notes.push('flies and deals damage at range: AC +2');
  }
  const saveCount = Object.keys(c.saves).length;
  if (saveCount >= 5) {
    ac += 4;
    notes.push(`${saveCount} saving throw proficiencies: AC +4`);
  } else if (saveCount >= 3) {
    ac += 2;
    notes.push(`${saveCount} saving throw proficiencies: AC +2`);
  }
  const acTraits: [string, number][] = [
    ['magic resistance', 2],
    // Immunity to spells of low level is Magic Resistance's stronger cousin (DMG: treat like it).
    ['limited magic immunity', 2],
    ['superior invisibility', 2],
    ['shadow stealth', 4],
    ['nimble escape', 4],
    ['avoidance', 1],
    ['parry', 1],
    ['stench', 1],
  ];
  for (const [name, bonus] of acTraits) {
    if (f.has(name)) {
      ac += bonus;
      notes.push(`${name}: AC +${bonus}`);
    }
  }
  for (const name of ['web', 'constrict']) {
    if (f.hasAction(name)) {
      ac += 1;
      notes.push(`${name}: AC +1`);
    }
  }
  ac += p.acShift;

  const hpRow = rowForHp(hp);
  const defensiveIndex = hpRow + steps(ac - row(hpRow).ac, p.stepPoints);
  const hpPos = position(
    hp,
    (r) => r.hpMin,
    (r) => r.hpMax,
  );
  const acDiff = ac - row(Math.floor(hpPos)).ac;

  // --- Offense -------------------------------------------------------------------------------------
  notes.push(...plan.notes);
  let dpr = plan.dpr;
  if (f.has('aggressive')) dpr += 2;
  if (f.has('rampage')) dpr += 2;
  if (f.has('damage transfer')) dpr += c.hp.average / 3;
  for (const d of c.featureDamage ?? []) {
    dpr += d.per === 'round' ? d.average : d.average / 3;
    notes.push(
      `${d.feature}: +${d.average} damage ${d.per === 'round' ? 'per round' : 'once in three rounds'}`,
    );
  }
  dpr *= p.dprScale;

  let attackWeight = 0;
  let attackSum = 0;
  let saveWeight = 0;
  let saveSum = 0;
  for (const part of plan.parts) {
    if (part.via === 'attack') {
      attackWeight += part.damage;
      attackSum += part.value * part.damage;
    } else {
      saveWeight += part.damage;
      saveSum += part.value * part.damage;
    }
  }
  let attackBonus = attackWeight > 0 ? Math.round(attackSum / attackWeight) : null;
  const saveDc = saveWeight > 0 ? Math.round(saveSum / saveWeight) : null;
  if (attackBonus === null) {
    // No damaging attack: still report the best listed attack bonus.
    const bonuses = c.actions.flatMap((a) => (a.attack ? [a.attack.bonus] : []));
    if (bonuses.length > 0) attackBonus = Math.max(...bonuses);
  }
  let attackFeature = 0;
  for (const [name, bonus] of [
    ['pack tactics', 1],
    ['blood frenzy', 4],
    ['nimble escape', 4],
  ] as const) {
    if (f.has(name)) {
      attackFeature += bonus;
      notes.push(`${name}: attack +${bonus}`);
    }
  }
  const dprRow = rowForDpr(dpr);
  const offenseBy: Analysis['offenseBy'] =
    attackWeight === 0 && saveWeight === 0 ? 'none' : attackWeight >= saveWeight ? 'attack' : 'save';
  let offensiveIndex = dprRow;
  const dprPos = position(
    dpr,
    (r) => r.dprMin,
    (r) => r.dprMax,
  );
  let offDiff = 0;
  if (offenseBy === 'attack' && attackBonus !== null) {
    offensiveIndex += steps(attackBonus + attackFeature + p.attackShift - row(dprRow).attack, p.stepPoints);
    offDiff = attackBonus + attackFeature + p.attackShift - row(Math.floor(dprPos)).attack;
  } else if (offenseBy === 'save' && saveDc !== null) {
    offensiveIndex += steps(saveDc + p.dcShift - row(dprRow).saveDc, p.stepPoints);
    offDiff = saveDc + p.dcShift - row(Math.floor(dprPos)).saveDc;
  }

  return {
    effectiveHp: hp,
    effectiveAc: ac,
    dpr,
    attackBonus,
    saveDc,
    offenseBy,
    defensiveIndex: Math.max(0, Math.min(LAST, defensiveIndex)),
    offensiveIndex: Math.max(0, Math.min(LAST, offensiveIndex)),
    features: [hpPos, acDiff, dprPos, offDiff],
    extra: extraFeatures(c),
    notes,
  };
}

/** Highest spell slot level in a spellcasting list ("slot level 9"), 0 for innate or no spellcasting. */
function maxSlotLevel(c: Creature): number {
  let max = 0;
  for (const s of c.spellcasting?.spells ?? []) {
    const m = /\bslot level (\d)\b/i.exec(s.usage);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** Conditions that take a target out of the fight (or turn it against its allies) for a while. */
const HARD_CONDITIONS = /\b(?:paralyzed|petrified|stunned|unconscious|charmed)\b/i;

/**
 * Whether the creature can take a target out of the fight: an action, bonus action, reaction or legendary action
 * that imposes paralyzed, petrified, stunned, unconscious or charmed; a trait with a save DC that does (a gaze);
 * or a spell from `HARD_CONTROL_SPELLS`. The DMG's table sees none of this (it prices damage only).
 */
export function imposesHardControl(c: Creature): boolean {
  const acts = [...c.actions, ...c.bonusActions, ...c.reactions, ...(c.legendaryActions?.actions ?? [])];
  if (acts.some((a) => HARD_CONDITIONS.test(a.summary))) return true;
  if (c.traits.some((t) => /\bDC \d/.test(t.summary) && HARD_CONDITIONS.test(t.summary))) return true;
  return (c.spellcasting?.spells ?? []).some((s) => HARD_CONTROL_SPELLS.has(s.spell));
}

function extraFeatures(c: Creature): [number, number, number, number] {
  const legendary = c.legendaryActions && c.legendaryActions.actions.length > 0 ? c.legendaryActions.uses : 0;
  return [legendary, c.legendaryResistance, maxSlotLevel(c), imposesHardControl(c) ? 1 : 0];
}

/** Nearest CR step to a value (ties round up, as in the DMG's worked example). */
export function nearestCr(value: number): number {
  let best = 0;
  for (let i = 0; i < CR_STEPS.length; i++) {
    const d = Math.abs((CR_STEPS[i] as number) - value);
    const bestD = Math.abs((CR_STEPS[best] as number) - value);
    if (d < bestD - 1e-9 || Math.abs(d - bestD) <= 1e-9) best = i;
    if ((CR_STEPS[i] as number) > value) break;
  }
  return CR_STEPS[best] as number;
}

function combine(def: number, off: number, p: CrParams): number {
  if (p.combine === 'index') {
    const i = (1 - p.offenseWeight) * def + p.offenseWeight * off + p.finalShift;
    return crAtIndex(Math.floor(i + 0.5 + 1e-9));
  }
  const v = (1 - p.offenseWeight) * (CR_STEPS[def] as number) + p.offenseWeight * (CR_STEPS[off] as number);
  const cr = nearestCr(v);
  return p.finalShift === 0 ? cr : crAtIndex(Math.floor(crIndex(cr) + p.finalShift + 0.5));
}

/**
 * The linear model split into a defensive and an offensive ladder position whose mean is the final position:
 * def = c0 + 2·(c1·hpPos + c2·acDiff) + shift, off = c0 + 2·(c3·dprPos + c4·offDiff) + shift.
 */
function linearPositions(a: Analysis, p: CrParams): { def: number; off: number } {
  const [c0, c1, c2, c3, c4] = p.coefficients;
  const [hpPos, acDiff, dprPos, offDiff] = a.features;
  const [e0, e1, e2, e3] = p.extraCoefficients ?? [0, 0, 0, 0];
  const extra = e0 * a.extra[0] + e1 * a.extra[1] + e2 * a.extra[2] + (e3 ?? 0) * a.extra[3];
  const finite = (x: number): number => (Number.isFinite(x) ? x : 0);
  return {
    def: finite(c0 + extra + 2 * (c1 * hpPos + c2 * acDiff) + p.finalShift),
    off: finite(c0 + extra + 2 * (c3 * dprPos + c4 * offDiff) + p.finalShift),
  };
}

const roundIndex = (i: number): number => Math.max(0, Math.min(LAST, Math.floor(i + 0.5)));

function finalCr(a: Analysis, p: CrParams): number {
  if (p.model === 'linear') {
    const { def, off } = linearPositions(a, p);
    return crAtIndex(roundIndex((def + off) / 2));
  }
  return combine(a.defensiveIndex, a.offensiveIndex, p);
}

/**
 * Continuous features of the linear model for a creature (used by the calibration fit): hpPos, acDiff, dprPos,
 * offDiff, then the extra terms (legendary action uses, Legendary Resistance uses, highest slot level, hard
 * control 0/1).
 */
export function crFeatures(
  creature: Creature,
  options: CrOptions = {},
): [number, number, number, number, number, number, number, number] {
  const p = paramsFor(options);
  const e = estimateCr(creature, options);
  const a = analyse(creature, e.details.expectedCr, p, offensePlan(creature, p.offense, options.spells));
  return [...a.features, ...a.extra];
}

function paramsFor(options: CrOptions): CrParams {
  const base =
    (options.method ?? 'calibrated') === 'dmg2014'
      ? DMG2014_PARAMS
      : options.ruleset === '2014'
        ? CALIBRATED_PARAMS_2014
        : CALIBRATED_PARAMS;
  const o = options.params ?? {};
  return { ...base, ...o, offense: { ...base.offense, ...(o.offense ?? {}) } };
}

/**
 * Estimate the challenge rating of a stat block. Never throws for a creature the schema admits; values off the
 * table (HP > 850, DPR > 320) clamp to CR 30.
 */
export function estimateCr(creature: Creature, options: CrOptions = {}): CrEstimate {
  const method = options.method ?? 'calibrated';
  if (method !== 'dmg2014' && method !== 'calibrated') {
    throw new RangeError(`method: "${String(method)}" must be 'dmg2014' or 'calibrated'`);
  }
  if (options.ruleset !== undefined && options.ruleset !== '2014' && options.ruleset !== '2024') {
    throw new RangeError(`ruleset: "${String(options.ruleset)}" must be '2014' or '2024'`);
  }
  const p = paramsFor(options);
  // Offense does not depend on the expected CR: plan it once.
  const plan = offensePlan(creature, p.offense, options.spells);
  let expected: number;
  let a: Analysis;
  if (options.expectedCr !== undefined) {
    crIndex(options.expectedCr);
    expected = options.expectedCr;
    a = analyse(creature, expected, p, plan);
  } else {
    // Fixed point: start from the CR the raw numbers suggest, re-run with the result as the expected CR.
    expected = combine(rowForHp(creature.hp.average), rowForDpr(plan.dpr), p);
    a = analyse(creature, expected, p, plan);
    for (let k = 0; k < 4; k++) {
      const next = finalCr(a, p);
      if (next === expected) break;
      expected = next;
      a = analyse(creature, expected, p, plan);
    }
  }
  const cr = finalCr(a, p);
  return {
    cr,
    xp: xpForCr(cr, { harmless: cr === 0 && a.dpr === 0 }),
    defensiveCr: CR_STEPS[
      p.model === 'linear' ? roundIndex(linearPositions(a, p).def) : a.defensiveIndex
    ] as number,
    offensiveCr: CR_STEPS[
      p.model === 'linear' ? roundIndex(linearPositions(a, p).off) : a.offensiveIndex
    ] as number,
    method,
    details: {
      effectiveHp: Math.round(a.effectiveHp * 100) / 100,
      effectiveAc: a.effectiveAc,
      dpr: Math.round(a.dpr * 100) / 100,
      attackBonus: a.attackBonus,
      saveDc: a.saveDc,
      offenseBy: a.offenseBy,
      expectedCr: expected,
      notes: a.notes,
    },
  };
}
