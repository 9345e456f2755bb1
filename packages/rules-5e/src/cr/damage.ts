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
  /**
   * With spell data: a spell of `HARD_CONTROL_SPELLS` (no damage of its own) competes with the damaging options as
   * this share of the DMG's one-target damage for its level (`DMG_SPELL_DAMAGE_2014`); 0 or absent: not priced.
   */
  controlSpellShare?: number;
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

/**
 * Spells that impose one of those conditions on a failed save (or remove the target: Banishment, Polymorph),
 * by SRD id; 2014 names included (Feeblemind is Befuddlement in the 2024 SRD). Facts about the spells, not
 * about any creature.
 */
export const HARD_CONTROL_SPELLS: ReadonlySet<string> = new Set([
  'sleep', // unconscious
  'charm-person', // charmed
  'hideous-laughter', // incapacitated and prone
  'hold-person', // paralyzed
  'hypnotic-pattern', // charmed, incapacitated
  'banishment', // removed
  'charm-monster',
  'dominate-beast', // charmed
  'polymorph', // turned into a beast
  'dominate-person',
  'hold-monster',
  'eyebite', // asleep, panicked or sickened
  'flesh-to-stone', // restrained, then petrified
  'irresistible-dance',
  'befuddlement',
  'feeblemind',
  'dominate-monster',
  'power-word-stun', // stunned
]);

/** A spell lookup by id (e.g. `Content.spells`). */
export type SpellLookup = ReadonlyMap<string, Spell>;

function diceAverage(dice: string): number {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(dice);
  if (!m) return 0;
  const n = Number(m[1]);
  const base = m[2] === undefined ? n : (n * (Number(m[2]) + 1)) / 2;
  return base + (m[3] === undefined ? 0 : Number(m[3]));
}

/** The modifier of a dice expression ("10d6+40" → 40), 0 when none. */
function diceModifier(dice: string): number {
  const m = /([+-]\d+)$/.exec(dice);
  return m ? Number(m[1]) : 0;
}

/**
 * Average damage of one casting: a cantrip scales with the caster level (the spell's `scaling` keys 5/11/17), a
 * levelled spell with the slot it is cast from. A scaled entry that drops the base's flat bonus ("10d6+40" →
 * "13d6" at 7th level) keeps it.
 */
export function spellDamage(spell: Spell, castLevel: number, casterLevel?: number): number {
  if (!spell.damage) return 0;
  const base = spell.damage.dice;
  let dice = base;
  const keys = Object.keys(spell.scaling)
    .map(Number)
    .filter((k) => Number.isInteger(k))
    .sort((a, b) => a - b);
  const upTo = spell.level === 0 ? (casterLevel ?? 0) : castLevel;
  for (const k of keys) if (k <= upTo) dice = spell.scaling[String(k)] ?? dice;
  let avg = diceAverage(dice);
  if (dice !== base && diceModifier(dice) === 0) avg += diceModifier(base);
  return avg;
}

/**
 * The DMG 2014's guidance for a new spell's damage against one target, by spell level (index 0: cantrip):
 * 1d10, 2d10, 3d10, 5d10, 6d10, 8d10, 10d10, 11d10, 12d10, 15d10 (averages).
 */
export const DMG_SPELL_DAMAGE_2014: readonly number[] = [5.5, 11, 16.5, 27.5, 33, 44, 55, 60.5, 66, 82.5];

/** A save spell that fills an area (cast from Self, or a sphere, cone, cube, line, cylinder or emanation). */
function isAreaSpell(spell: Spell): boolean {
  return (
    /^self/i.test(spell.range) ||
    /\b\d+-ft\.? (?:sphere|cone|cube|line|cylinder|emanation|radius)\b/i.test(spell.summary)
  );
}

/** A spell priced by `controlSpellShare`: one of `HARD_CONTROL_SPELLS`, with a save, when the share is set. */
function isControlSpell(spell: Spell, params: OffenseParams): boolean {
  return (params.controlSpellShare ?? 0) > 0 && spell.save !== null && HARD_CONTROL_SPELLS.has(spell.id);
}

/** What one casting deals, through the caster's spell attack bonus or save DC; undefined when not priced. */
function spellPart(
  spell: Spell,
  sc: NonNullable<Creature['spellcasting']>,
  castLevel: number,
  params: OffenseParams,
): DamagePart | undefined {
  if (!spell.damage && isControlSpell(spell, params)) {
    // A disabling spell is worth a share of the DMG's damage for a spell of the slot it is cast with.
    const value = (params.controlSpellShare ?? 0) * (DMG_SPELL_DAMAGE_2014[castLevel] ?? 0);
    return sc.dc !== null && value > 0 ? { via: 'save', value: sc.dc, damage: value } : undefined;
  }
  const per = spellDamage(spell, castLevel, sc.level);
  if (per <= 0) return undefined;
  if (spell.attack && sc.attackBonus !== null) return { via: 'attack', value: sc.attackBonus, damage: per };
  if (spell.save && sc.dc !== null) {
    const targets = isAreaSpell(spell) ? params.areaTargets : 1;
    return { via: 'save', value: sc.dc, damage: per * targets };
  }
  // Damage with neither an attack roll nor a save (Magic Missile, or a cost to the caster) is not priced.
  return undefined;
}

/**
 * The creature's damaging spells as options for its action (or bonus action): the spells in the lookup that
 * deal damage through a spell attack or a save, cast in one action or bonus action. At will: every round;
 * "N/day": N uses; a slot caster with known `slots`: one option per slot level, the best spell it can cast
 * with that slot (upcast by the spell's scaling), as many uses as it has slots of that level; "slot level N"
 * with no slot counts: one use. Cantrips scale with the caster level. Area save spells hit `areaTargets`.
 */
export function spellOptions(
  creature: Creature,
  spells: SpellLookup | undefined,
  params: OffenseParams,
  notes: string[],
): { action: Option[]; bonus: Option[] } {
  const sc = creature.spellcasting;
  const out = { action: [] as Option[], bonus: [] as Option[] };
  if (!sc) return out;
  if (!spells) {
    // No spell data: a slot caster is priced as if each slot level held a damaging spell of the DMG's damage
    // for that level (one target), through its save DC (else its spell attack bonus).
    const via = sc.dc !== null ? 'save' : sc.attackBonus !== null ? 'attack' : undefined;
    const value = sc.dc ?? sc.attackBonus;
    const casts = sc.spells.some((e) => /\bslot level \d\b/i.test(e.usage));
    if (via && value !== null && casts)
      (sc.slots ?? []).forEach((count, i) => {
        const damage = DMG_SPELL_DAMAGE_2014[i + 1] ?? 0;
        if (count > 0 && damage > 0)
          out.action.push({
            name: `level ${i + 1} slot (DMG spell damage)`,
            parts: [{ via, value, damage }],
            damage,
            uses: Math.min(3, count),
          });
      });
    if (out.action.length > 0)
      notes.push(
        `no spell data: slots priced at the DMG's spell damage by level (${out.action.length} levels)`,
      );
    return out;
  }
  const slotSpells: { spell: Spell; bonus: boolean }[] = [];
  for (const entry of sc.spells) {
    const spell = spells.get(entry.spell);
    if (!spell || (!spell.damage && !isControlSpell(spell, params))) continue;
    const time = spell.castingTime.toLowerCase().replace(/^1 /, '');
    const bonus = time === 'bonus action';
    if (time !== 'action' && !bonus) continue;
    const slot = /\bslot level (\d)\b/i.exec(entry.usage);
    const slots = sc.slots ?? [];
    if (slot && spell.level > 0 && slots.some((n) => n > 0) && !spell.concentration) {
      slotSpells.push({ spell, bonus });
      continue;
    }
    const perDay = /^(\d+)\/day/i.exec(entry.usage);
    // A concentration spell lasts: cast once in the three rounds (from the highest slot it can use).
    const uses = spell.concentration
      ? 1
      : perDay
        ? Math.min(3, Number(perDay[1]))
        : /at.?will/i.test(entry.usage)
          ? 3
          : 1;
    const topSlot = slots.reduce((top, n, i) => (n > 0 ? i + 1 : top), 0);
    const castLevel =
      slot && spell.level > 0 && topSlot > 0
        ? Math.max(spell.level, topSlot)
        : slot
          ? Math.max(spell.level, Number(slot[1]))
          : spell.level;
    const part = spellPart(spell, sc, castLevel, params);
    if (part)
      (bonus ? out.bonus : out.action).push({
        name: `${spell.name} (spell)`,
        parts: [part],
        damage: part.damage,
        uses,
      });
  }
  // Slot casters: each slot level is one option, the best damaging spell cast with it.
  for (const bonus of [false, true]) {
    const pool = slotSpells.filter((x) => x.bonus === bonus);
    (sc.slots ?? []).forEach((count, i) => {
      const level = i + 1;
      if (count <= 0) return;
      let best: { name: string; part: DamagePart } | undefined;
      for (const { spell } of pool) {
        if (spell.level > level) continue;
        const part = spellPart(spell, sc, level, params);
        if (part && (!best || part.damage > best.part.damage)) best = { name: spell.name, part };
      }
      if (best)
        (bonus ? out.bonus : out.action).push({
          name: `${best.name} (level ${level} slot)`,
          parts: [best.part],
          damage: best.part.damage,
          uses: Math.min(3, count),
        });
    });
  }
  const priced = [...out.action, ...out.bonus];
  if (priced.length > 0) notes.push(`damaging spells considered: ${priced.map((o) => o.name).join(', ')}`);
  return out;
}

/** Average damage per round over the first three rounds, with the parts that make it up. */
export function offensePlan(creature: Creature, params: OffenseParams, spells?: SpellLookup): OffensePlan {
  const notes: string[] = [];
  const spellsPriced = spellOptions(creature, spells, params, notes);
  const main = bestThreeRounds([
    ...optionsOf(creature.actions, creature.actions, params, notes),
    ...spellsPriced.action,
  ]);
  const bonusPool = [...creature.actions, ...creature.bonusActions];
  const bonus = bestThreeRounds([
    ...optionsOf(creature.bonusActions, bonusPool, params, notes),
    ...spellsPriced.bonus,
  ]);
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
