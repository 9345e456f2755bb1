/**
 * Balance checks for custom content: spell damage against the DMG spell damage guideline, magic item bonuses
 * against rarity, custom weapon damage against SRD weapons with the same properties. Pure, table-driven; an
 * over-budget value comes back adjusted, with the reason.
 */
import type { Content, Rarity, Weapon, WeaponSchema } from '@loreforge/rules-5e';
import type { DraftChoices } from './draft-schema';
import type { z } from 'zod';

type WeaponProperty = z.infer<typeof WeaponSchema>['properties'][number];

/**
 * Spell damage guideline by spell level (index 0 = cantrip). rules-facts.md §7a: DMG 2014 p. 284 (Grade A) and
 * DMG 2024 p. 59 (Grade B). One target uses d10s, multiple targets d6s. Assumes half damage on a save/miss.
 */
export const SPELL_DAMAGE = {
  '2014': {
    single: ['1d10', '2d10', '3d10', '5d10', '6d10', '8d10', '10d10', '11d10', '12d10', '15d10'],
    multiple: ['1d6', '2d6', '4d6', '6d6', '7d6', '8d6', '11d6', '12d6', '13d6', '14d6'],
  },
  '2024': {
    single: ['1d10', '2d10', '3d10', '5d10', '6d10', '7d10', '10d10', '11d10', '12d10', '15d10'],
    multiple: ['1d6', '2d6', '3d6', '6d6', '7d6', '8d6', '11d6', '12d6', '13d6', '16d6'],
  },
} as const;

/** A spell that does nothing on a successful save may deal this much more (both DMGs: "about 25%"). */
export const NO_EFFECT_ON_SAVE_FACTOR = 1.25;

/**
 * Highest static bonus (attack, AC, saves…) by rarity: rules-facts.md §7b "Magic Item Power by Rarity"
 * (DMG 2014 p. 285 / DMG 2024 p. 58, Grade B). Common items grant no static bonus.
 */
export const MAX_BONUS_BY_RARITY = {
  common: 0,
  uncommon: 1,
  rare: 2,
  'very-rare': 3,
  legendary: 4,
  artifact: 4,
} as const satisfies Record<Rarity, number>;

/** Armor is one step behind: +1 armor is Rare, +2 Very Rare, +3 Legendary (SRD magic items, Grade A). */
export const MAX_ARMOR_BONUS_BY_RARITY = {
  common: 0,
  uncommon: 0,
  rare: 1,
  'very-rare': 2,
  legendary: 3,
  artifact: 3,
} as const satisfies Record<Rarity, number>;

/**
 * Last-resort weapon damage caps when the content holds no comparable weapon at all: the largest die in the
 * SRD weapon table for each category and form. Grade C (our reading of the SRD weapon table).
 */
export const FALLBACK_WEAPON_DICE = {
  simple: { melee: '1d8', ranged: '1d8' },
  martial: { melee: '2d6', ranged: '1d10' },
} as const;

export interface BalanceResult<T> {
  readonly ok: boolean;
  readonly value: T;
  /** The value to use: unchanged when ok, else brought within budget. */
  readonly adjusted: T;
  readonly reason?: string;
}

const DICE = /^(\d+)(?:d(\d+))?([+-]\d+)?$/;

/** Average of a dice expression ("2d6+3" → 10). Throws naming the field for malformed dice. */
export function diceAverage(dice: string, field = 'dice'): number {
  const m = DICE.exec(dice.replace(/\s+/g, ''));
  if (!m) throw new Error(`balance: ${field} "${dice}" is not a dice expression such as "2d6+3"`);
  const count = Number(m[1]);
  const bonus = m[3] ? Number(m[3]) : 0;
  return m[2] === undefined ? count + bonus : (count * (Number(m[2]) + 1)) / 2 + bonus;
}

/** Largest count of the same die (bonus dropped) whose average stays within `limit`; at least one die. */
function fitDice(dice: string, limit: number, fallback: string): string {
  const m = DICE.exec(dice.replace(/\s+/g, ''));
  if (!m || m[2] === undefined) return String(Math.max(0, Math.floor(limit)));
  const per = (Number(m[2]) + 1) / 2;
  const n = Math.floor(limit / per + 1e-9);
  return n >= 1 ? `${n}d${m[2]}` : fallback;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface SpellDamageInput {
  readonly level: number;
  readonly dice: string;
  readonly targets: 'single' | 'multiple';
  /** The spell does nothing on a successful save (allows about 25% more). */
  readonly noEffectOnSave?: boolean;
  /** Which DMG table; the 2014 table unless told otherwise. */
  readonly ruleset?: '2014' | '2024';
}

export interface SpellDamageResult extends BalanceResult<string> {
  readonly average: number;
  readonly budget: { readonly dice: string; readonly average: number };
}

export function checkSpellDamage(input: SpellDamageInput): SpellDamageResult {
  if (!Number.isInteger(input.level) || input.level < 0 || input.level > 9) {
    throw new Error(`balance: level must be an integer 0–9 (0 = cantrip), got ${String(input.level)}`);
  }
  if (input.targets !== 'single' && input.targets !== 'multiple') {
    throw new Error(`balance: targets must be "single" or "multiple", got ${String(input.targets)}`);
  }
  const table = SPELL_DAMAGE[input.ruleset ?? '2014'][input.targets];
  const budgetDice = table[input.level] as string;
  const budgetAverage = diceAverage(budgetDice) * (input.noEffectOnSave ? NO_EFFECT_ON_SAVE_FACTOR : 1);
  const average = diceAverage(input.dice);
  if (average <= budgetAverage + 1e-9) {
    return {
      ok: true,
      value: input.dice,
      adjusted: input.dice,
      average,
      budget: { dice: budgetDice, average: budgetAverage },
    };
  }
  const adjusted = fitDice(input.dice, budgetAverage, budgetDice);
  const what = input.level === 0 ? 'cantrip' : `level ${input.level} spell`;
  const reason =
    `${what} (${input.targets === 'single' ? 'one target' : 'multiple targets'}) averages ${fmt(average)} (${input.dice}), ` +
    `over the DMG ${input.ruleset ?? '2014'} guideline of ${fmt(budgetAverage)} (${budgetDice}` +
    `${input.noEffectOnSave ? ' +25% for no effect on a save' : ''}); reduced to ${adjusted}`;
  return {
    ok: false,
    value: input.dice,
    adjusted,
    reason,
    average,
    budget: { dice: budgetDice, average: budgetAverage },
  };
}

export interface ItemBonusInput {
  readonly rarity: Rarity;
  readonly bonus: number;
  /** Armor AC bonuses run one rarity step behind other bonuses. */
  readonly kind?: 'armor' | 'other';
}

export interface ItemBonusResult extends BalanceResult<number> {
  readonly max: number;
}

export function checkMagicItemBonus(input: ItemBonusInput): ItemBonusResult {
  const table = input.kind === 'armor' ? MAX_ARMOR_BONUS_BY_RARITY : MAX_BONUS_BY_RARITY;
  const max = (table as Record<string, number>)[input.rarity];
  if (max === undefined)
    throw new Error(`balance: rarity must be one of ${Object.keys(table).join(', ')}, got "${input.rarity}"`);
  if (!Number.isInteger(input.bonus) || input.bonus < 0)
    throw new Error(`balance: bonus must be a non-negative integer, got ${String(input.bonus)}`);
  if (input.bonus <= max) return { ok: true, value: input.bonus, adjusted: input.bonus, max };
  const what = input.kind === 'armor' ? 'armor AC bonus' : 'static bonus';
  return {
    ok: false,
    value: input.bonus,
    adjusted: max,
    max,
    reason: `${input.rarity} item: ${what} +${input.bonus} is over the +${max} a ${input.rarity} item may grant; reduced to +${max}`,
  };
}

export interface CustomWeapon {
  readonly name?: string;
  readonly category: 'simple' | 'martial';
  readonly ranged: boolean;
  readonly properties: readonly WeaponProperty[];
  readonly dice: string;
  readonly versatileDice?: string | undefined;
}

export interface WeaponDamageResult extends BalanceResult<string> {
  readonly average: number;
  readonly budget: {
    readonly dice: string;
    readonly average: number;
    readonly comparedTo: readonly string[];
  };
  /** Check of the two-handed (versatile) dice, when given. */
  readonly versatile?: BalanceResult<string>;
}

/** Properties that bear on how much damage a weapon may deal. */
const DAMAGE_PROPERTIES: readonly WeaponProperty[] = [
  'ammunition',
  'finesse',
  'heavy',
  'light',
  'loading',
  'reach',
  'thrown',
  'two-handed',
  'versatile',
];

function propertyKey(props: readonly string[]): string {
  return DAMAGE_PROPERTIES.filter((p) => props.includes(p)).join(',');
}

/** SRD weapons to compare with: same category and form, same damage-relevant properties; relaxed if none. */
export function comparableWeapons(weapon: CustomWeapon, content: Content): Weapon[] {
  const all = [...content.items.values()].filter((i): i is Weapon => i.kind === 'weapon');
  const same = all.filter((w) => w.category === weapon.category && w.ranged === weapon.ranged);
  const exact = same.filter((w) => propertyKey(w.properties) === propertyKey(weapon.properties));
  if (exact.length > 0) return exact;
  const handed = (p: readonly string[]): string =>
    ['two-handed', 'heavy', 'light'].filter((x) => p.includes(x)).join(',');
  const similar = same.filter((w) => handed(w.properties) === handed(weapon.properties));
  return similar.length > 0 ? similar : same;
}

function strongest(
  weapons: readonly Weapon[],
  pickDice: (w: Weapon) => string | undefined,
): { dice: string; average: number; names: string[] } | undefined {
  let best: { dice: string; average: number; names: string[] } | undefined;
  for (const w of weapons) {
    const dice = pickDice(w);
    if (dice === undefined) continue;
    const average = diceAverage(dice);
    if (!best || average > best.average) best = { dice, average, names: [w.name] };
    else if (average === best.average) best.names.push(w.name);
  }
  return best;
}

export function checkWeaponDamage(weapon: CustomWeapon, content: Content): WeaponDamageResult {
  if (weapon.category !== 'simple' && weapon.category !== 'martial') {
    throw new Error(`balance: weapon category must be "simple" or "martial", got ${String(weapon.category)}`);
  }
  const average = diceAverage(weapon.dice, 'weapon dice');
  const comparables = comparableWeapons(weapon, content);
  const top =
    strongest(comparables, (w) => w.damage.dice) ??
    (() => {
      const dice = FALLBACK_WEAPON_DICE[weapon.category][weapon.ranged ? 'ranged' : 'melee'];
      return { dice, average: diceAverage(dice), names: ['(SRD weapon table maximum)'] };
    })();
  const label = `${weapon.name ?? 'custom weapon'} (${weapon.category} ${weapon.ranged ? 'ranged' : 'melee'}${weapon.properties.length > 0 ? `, ${weapon.properties.join(' ')}` : ''})`;
  let versatile: BalanceResult<string> | undefined;
  if (weapon.versatileDice !== undefined) {
    const vAvg = diceAverage(weapon.versatileDice, 'versatile dice');
    const vTop = strongest(comparables, (w) => w.versatileDice);
    if (vTop && vAvg > vTop.average) {
      versatile = {
        ok: false,
        value: weapon.versatileDice,
        adjusted: vTop.dice,
        reason: `${label}: two-handed ${weapon.versatileDice} averages ${fmt(vAvg)}, over ${vTop.dice} (${vTop.names.join(', ')}); set to ${vTop.dice}`,
      };
    } else {
      versatile = { ok: true, value: weapon.versatileDice, adjusted: weapon.versatileDice };
    }
  }
  const budget = { dice: top.dice, average: top.average, comparedTo: top.names };
  const base = { average, budget, ...(versatile ? { versatile } : {}) };
  if (average <= top.average) {
    // The one-handed dice are fine; the result is only as good as the versatile check.
    if (versatile && !versatile.ok && versatile.reason !== undefined) {
      return { ok: false, value: weapon.dice, adjusted: weapon.dice, reason: versatile.reason, ...base };
    }
    return { ok: true, value: weapon.dice, adjusted: weapon.dice, ...base };
  }
  return {
    ok: false,
    value: weapon.dice,
    adjusted: top.dice,
    reason: `${label}: ${weapon.dice} averages ${fmt(average)}, over the ${top.dice} of SRD weapons with the same properties (${top.names.join(', ')}); set to ${top.dice}`,
    ...base,
  };
}

export interface BalanceAdjustment {
  /** JSON pointer of the adjusted value, e.g. `/custom/spells/0/dice`. */
  readonly path: string;
  readonly element: string;
  readonly from: string | number;
  readonly to: string | number;
  readonly reason: string;
}

/**
 * Balance-check a draft's custom content: every over-budget spell, weapon or magic item comes back adjusted,
 * and each change is listed with its reason. The rest of the draft is untouched.
 */
export function balanceDraft(
  draft: DraftChoices,
  content: Content,
  options: { ruleset?: '2014' | '2024' } = {},
): { draft: DraftChoices; adjustments: BalanceAdjustment[] } {
  const custom = draft.custom;
  if (!custom) return { draft, adjustments: [] };
  const adjustments: BalanceAdjustment[] = [];
  const note = (path: string, element: string, r: BalanceResult<string | number>): void => {
    if (!r.ok && r.reason !== undefined && r.adjusted !== r.value) {
      adjustments.push({ path, element, from: r.value, to: r.adjusted, reason: r.reason });
    }
  };
  const spells = custom.spells.map((s, i) => {
    const r = checkSpellDamage({
      level: s.level,
      dice: s.dice,
      targets: s.targets,
      ...(s.noEffectOnSave === undefined ? {} : { noEffectOnSave: s.noEffectOnSave }),
      ...(options.ruleset ? { ruleset: options.ruleset } : {}),
    });
    note(`/custom/spells/${i}/dice`, s.name, r);
    return { ...s, dice: r.adjusted };
  });
  const weapons = custom.weapons.map((w, i) => {
    const r = checkWeaponDamage(w, content);
    if (r.adjusted !== r.value) note(`/custom/weapons/${i}/dice`, w.name, r);
    const v = r.versatile;
    if (v && !v.ok) note(`/custom/weapons/${i}/versatileDice`, w.name, v);
    return { ...w, dice: r.adjusted, ...(v ? { versatileDice: v.adjusted } : {}) };
  });
  const magicItems = custom.magicItems.map((m, i) => {
    const r = checkMagicItemBonus({
      rarity: m.rarity,
      bonus: m.bonus,
      kind: m.appliesTo === 'armor-ac' ? 'armor' : 'other',
    });
    note(`/custom/magicItems/${i}/bonus`, m.name, r);
    return { ...m, bonus: r.adjusted };
  });
  return { draft: { ...draft, custom: { spells, weapons, magicItems } }, adjustments };
}
