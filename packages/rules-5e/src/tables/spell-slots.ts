/** Spell slot tables (SRD 5.2.1 "Multiclassing" and the Warlock's Pact Magic). Index = level − 1. */
import type { Ruleset } from '../content/types';

type SlotRow = readonly [number, number, number, number, number, number, number, number, number];

/** Multiclass Spellcaster table (identical to a full caster's own table): slots of levels 1–9 by caster level. */
export const MULTICLASS_SPELL_SLOTS: readonly SlotRow[] = [
  [2, 0, 0, 0, 0, 0, 0, 0, 0],
  [3, 0, 0, 0, 0, 0, 0, 0, 0],
  [4, 2, 0, 0, 0, 0, 0, 0, 0],
  [4, 3, 0, 0, 0, 0, 0, 0, 0],
  [4, 3, 2, 0, 0, 0, 0, 0, 0],
  [4, 3, 3, 0, 0, 0, 0, 0, 0],
  [4, 3, 3, 1, 0, 0, 0, 0, 0],
  [4, 3, 3, 2, 0, 0, 0, 0, 0],
  [4, 3, 3, 3, 1, 0, 0, 0, 0],
  [4, 3, 3, 3, 2, 0, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 2, 1, 1],
] as const;

export const NO_SLOTS: SlotRow = [0, 0, 0, 0, 0, 0, 0, 0, 0];

/** Warlock Pact Magic by Warlock level: number of slots and their (single) spell level. */
export const PACT_MAGIC_SLOTS: readonly { readonly count: number; readonly level: number }[] = [
  { count: 1, level: 1 },
  { count: 2, level: 1 },
  { count: 2, level: 2 },
  { count: 2, level: 2 },
  { count: 2, level: 3 },
  { count: 2, level: 3 },
  { count: 2, level: 4 },
  { count: 2, level: 4 },
  { count: 2, level: 5 },
  { count: 2, level: 5 },
  { count: 3, level: 5 },
  { count: 3, level: 5 },
  { count: 3, level: 5 },
  { count: 3, level: 5 },
  { count: 3, level: 5 },
  { count: 3, level: 5 },
  { count: 4, level: 5 },
  { count: 4, level: 5 },
  { count: 4, level: 5 },
  { count: 4, level: 5 },
] as const;

/**
 * How many caster levels one class contributes to the multiclass table. 2024: half casters round up;
 * 2014: they round down. Third casters round down in both.
 */
export const CASTER_LEVEL_RULES = {
  full: { divisor: 1, round: { '2024': 'down', '2014': 'down' } },
  half: { divisor: 2, round: { '2024': 'up', '2014': 'down' } },
  third: { divisor: 3, round: { '2024': 'down', '2014': 'down' } },
} as const;

export type SlotCasterKind = keyof typeof CASTER_LEVEL_RULES;

export function casterLevelContribution(kind: SlotCasterKind, classLevel: number, ruleset: Ruleset): number {
  const rule = CASTER_LEVEL_RULES[kind];
  const raw = classLevel / rule.divisor;
  return rule.round[ruleset] === 'up' ? Math.ceil(raw) : Math.floor(raw);
}

/** Slots for a combined caster level (0 → none; clamped to 20). */
export function multiclassSlots(casterLevel: number): SlotRow {
  if (casterLevel < 1) return NO_SLOTS;
  return MULTICLASS_SPELL_SLOTS[Math.min(20, casterLevel) - 1] ?? NO_SLOTS;
}
