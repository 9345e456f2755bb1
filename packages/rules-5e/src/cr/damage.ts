/**
 * Offense of a stat block: damage of each action, multiattack routines, and the best three-round plan
 * (limited-use actions spent in their best rounds), plus bonus, reaction and legendary damage. Every damage
 * figure carries the attack bonus or save DC it was dealt with, so the dominant one can be picked.
 */
import type { Creature, CreatureAction, Spell } from '../content/types';
import { parseMultiattack } from '../formats/stat-block-text';

/** Damage dealt by one use of something, split by what delivers it (an attack roll or a save DC). */
export interface DamagePart {
  via: 'attack' | 'save';
  /** Attack bonus or save DC. */
  value: number;
  damage: number;
}

export interface OffenseParams {
  /** Creatures assumed hit by an area save effect (DMG: 2). */
  areaTargets: number;
  /**
   * Uses of a Recharge X–6 action in three rounds: 'once' (DMG) or 'expected' (1 + 2 × chance to recharge,
   * i.e. the first round plus the expected number of recharges in the next two).
   */
  recharge: 'once' | 'expected';
  /** Count damaging reactions once per round. */
  reactions: boolean;
  /** Share of legendary action damage counted (1 = all uses every round). */
  legendaryShare: number;
  /** Each legendary action at most once per round (the usual 2024 limit) instead of repeating the best one. */
  legendaryOncePerRound: boolean;
}

export interface OffensePlan {
  /** Average damage per round over three rounds. */
  dpr: number;
  parts: DamagePart[];
  notes: string[];
}

const normal = (s: string): string => s.trim().toLowerCase();

function partsOfAction(action: CreatureAction, params: OffenseParams): DamagePart[] {
  const parts: DamagePart[] = [];
  if (action.attack) {
    const dmg = action.attack.damage.reduce((s, d) => s + d.average, 0);
    if (dmg > 0) parts.push({ via: 'attack', value: action.attack.bonus, damage: dmg });
  }
  if (action.save) {
    const per = action.save.damage.reduce((s, d) => s + d.average, 0);
    // A save rider on an attack hits the one target; a standalone area effect hits `areaTargets`.
    const targets = action.save.area && !action.attack ? params.areaTargets : 1;
    if (per > 0) parts.push({ via: 'save', value: action.save.dc, damage: per * targets });
  }
  return parts;
}

function sumDamage(parts: readonly DamagePart[]): number {
  return parts.reduce((s, p) => s + p.damage, 0);
}

function scale(parts: readonly DamagePart[], k: number): DamagePart[] {
  return parts.map((p) => ({ ...p, damage: p.damage * k }));
}

const COUNT_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/**
 * The routine of a multiattack-like action: its structured `multiattack` list, else the routine parsed from its
 * summary, else (for an action named Multiattack) "N attacks" from the summary (default 2) with the most
 * damaging unlimited attack.
 */
function routineOf(
  action: CreatureAction,
  pool: readonly CreatureAction[],
  params: OffenseParams,
  notes?: string[],
): { action: string; count: number }[] {
  if (action.multiattack && action.multiattack.length > 0) return action.multiattack;
  const names = pool.filter((a) => a !== action).map((a) => a.name);
  const parsed = parseMultiattack(action.summary, names);
  if (parsed.length > 0 || !/multiattack/i.test(action.name)) return parsed;
  const m = /\b(one|two|three|four|five|six|\d+)\b[^.]*?\battacks?\b/i.exec(action.summary);
  const count = m ? (COUNT_WORDS[(m[1] ?? '').toLowerCase()] ?? Number(m[1])) : 2;
  let best: { name: string; damage: number } | undefined;
  for (const a of pool) {
    if (a === action || a.usage || (a.multiattack?.length ?? 0) > 0) continue;
    const damage = sumDamage(partsOfAction(a, params));
    if (damage > 0 && (!best || damage > best.damage)) best = { name: a.name, damage };
  }
  if (!best) return [];
  notes?.push(`${action.name}: routine not structured; assumed ${count} × ${best.name}`);
  return [{ action: best.name, count }];
}

/** Damage parts of one use of `action`, resolving a multiattack routine against `pool` (by name). */
export function actionParts(
  action: CreatureAction,
  pool: readonly CreatureAction[],
  params: OffenseParams,
  notes?: string[],
): DamagePart[] {
  const own = partsOfAction(action, params);
  const routine =
    own.length > 0 && !/multiattack/i.test(action.name) && !action.multiattack?.length
      ? []
      : routineOf(action, pool, params, notes);
  const parts: DamagePart[] = [];
  for (const step of routine) {
    const target = pool.find((a) => normal(a.name) === normal(step.action) && a !== action);
    if (!target) {
      notes?.push(`multiattack of ${action.name}: no action named "${step.action}"`);
      continue;
    }
    if (target.multiattack && target.multiattack.length > 0) continue; // no nested routines
    parts.push(...scale(partsOfAction(target, params), step.count));
  }
  // An action with its own damage and a routine (rare) adds both.
  parts.push(...own);
  return parts;
}

/** How many times a limited action can be used in three rounds. */
function usesInThreeRounds(action: CreatureAction, params: OffenseParams): number {
  const usage = action.usage;
  if (!usage) return 3;
  switch (usage.type) {
    case 'recharge': {
      if (params.recharge === 'once') return 1;
      const p = (7 - usage.min) / 6;
      return Math.min(3, 1 + 2 * p);
    }
    case 'per-day':
      return Math.min(3, usage.times);
    case 'rest':
      return 1;
  }
}

interface Option {
  name: string;
  parts: DamagePart[];
  damage: number;
  uses: number;
}

/**
 * Best use of one slot (the action, or the bonus action) over three rounds: limited options fill the rounds
 * they win (fractional uses allowed), unlimited ones the rest. Returns the damage parts of three rounds.
 */
function bestThreeRounds(options: readonly Option[]): { parts: DamagePart[]; used: string[] } {
  const sorted = [...options].filter((o) => o.damage > 0).sort((a, b) => b.damage - a.damage);
  let rounds = 3;
  const parts: DamagePart[] = [];
  const used: string[] = [];
  for (const o of sorted) {
    if (rounds <= 0) break;
    const n = Math.min(rounds, o.uses);
    if (n <= 0) continue;
    parts.push(...scale(o.parts, n));
    used.push(n === 3 ? o.name : `${o.name} ×${Number(n.toFixed(2))}`);
    rounds -= n;
  }
  return { parts, used };
}

function optionsOf(
  list: readonly CreatureAction[],
  pool: readonly CreatureAction[],
  params: OffenseParams,
  notes: string[],
): Option[] {
  return list.map((a) => {
    const parts = actionParts(a, pool, params, notes);
    return { name: a.name, parts, damage: sumDamage(parts), uses: usesInThreeRounds(a, params) };
  });
}

/** Best legendary damage per round: spend the uses on the best damage per point, then fill with cheaper ones. */
function legendaryPerRound(creature: Creature, params: OffenseParams, notes: string[]): DamagePart[] {
  const legendary = creature.legendaryActions;
  if (!legendary || legendary.actions.length === 0) return [];
  const uses = legendary.uses > 0 ? legendary.uses : 3;
  const pool = [...creature.actions, ...legendary.actions];
  const options = legendary.actions
    .map((a) => {
      const parts = actionParts(a, pool, params, notes);
      return { a, parts, damage: sumDamage(parts), cost: Math.max(1, a.cost ?? 1) };
    })
    .filter((o) => o.damage > 0)
    .sort((x, y) => y.damage / y.cost - x.damage / x.cost);
  const parts: DamagePart[] = [];
  let left = uses;
  for (const o of options) {
    const n = params.legendaryOncePerRound
      ? Math.min(1, Math.floor(left / o.cost))
      : Math.floor(left / o.cost);
    if (n <= 0) continue;
    parts.push(...scale(o.parts, n * params.legendaryShare));
    left -= n * o.cost;
  }
  return parts;
}

/** A spell lookup by id (e.g. `Content.spells`). */
export type SpellLookup = ReadonlyMap<string, Spell>;

function diceAverage(dice: string): number {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(dice);
  if (!m) return 0;
  const n = Number(m[1]);
  const base = m[2] === undefined ? n : (n * (Number(m[2]) + 1)) / 2;
  return base + (m[3] === undefined ? 0 : Number(m[3]));
}

/**
 * The creature's damaging spells as action options: base-level damage (no cantrip or slot scaling), the
 * spellcasting DC or attack bonus, two targets for save spells cast from Self (cones, lines, emanations),
 * one otherwise; "at-will" unlimited, "N/day" N uses.
 */
function spellOptions(creature: Creature, spells: SpellLookup | undefined, notes: string[]): Option[] {
  const sc = creature.spellcasting;
  if (!sc || !spells) return [];
  const out: Option[] = [];
  for (const entry of sc.spells) {
    const spell = spells.get(entry.spell);
    if (!spell?.damage) continue;
    const per = diceAverage(spell.damage.dice);
    const perDay = /^(\d+)\/day/i.exec(entry.usage);
    const uses = perDay ? Math.min(3, Number(perDay[1])) : /at.?will/i.test(entry.usage) ? 3 : 1;
    let part: DamagePart | undefined;
    if (spell.attack && sc.attackBonus !== null) part = { via: 'attack', value: sc.attackBonus, damage: per };
    else if (spell.save && sc.dc !== null) {
      const targets = /^self/i.test(spell.range) ? 2 : 1;
      part = { via: 'save', value: sc.dc, damage: per * targets };
    }
    if (part && part.damage > 0)
      out.push({ name: `${spell.name} (spell)`, parts: [part], damage: part.damage, uses });
  }
  if (out.length > 0) notes.push(`damaging spells considered: ${out.map((o) => o.name).join(', ')}`);
  return out;
}

/** Average damage per round over the first three rounds, with the parts that make it up. */
export function offensePlan(creature: Creature, params: OffenseParams, spells?: SpellLookup): OffensePlan {
  const notes: string[] = [];
  const main = bestThreeRounds([
    ...optionsOf(creature.actions, creature.actions, params, notes),
    ...spellOptions(creature, spells, notes),
  ]);
  const bonusPool = [...creature.actions, ...creature.bonusActions];
  const bonus = bestThreeRounds(optionsOf(creature.bonusActions, bonusPool, params, notes));
  const parts: DamagePart[] = [...main.parts, ...bonus.parts];
  if (main.used.length > 0) notes.push(`actions over 3 rounds: ${main.used.join(', ')}`);
  if (bonus.used.length > 0) notes.push(`bonus actions over 3 rounds: ${bonus.used.join(', ')}`);
  if (params.reactions) {
    const reaction = bestThreeRounds(optionsOf(creature.reactions, bonusPool, params, notes));
    if (reaction.used.length > 0) notes.push(`reactions over 3 rounds: ${reaction.used.join(', ')}`);
    parts.push(...reaction.parts);
  }
  const legendary = legendaryPerRound(creature, params, notes);
  if (legendary.length > 0) {
    parts.push(...scale(legendary, 3));
    notes.push(`legendary actions: ${sumDamage(legendary).toFixed(1)} damage per round`);
  }
  const perRound = scale(parts, 1 / 3);
  return { dpr: sumDamage(perRound), parts: perRound, notes };
}
