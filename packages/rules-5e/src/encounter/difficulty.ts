/** Encounter difficulty by the 2024 XP budget and by the 2014 thresholds with encounter multipliers. */
import {
  ENCOUNTER_MULTIPLIER_LADDER_2014,
  ENCOUNTER_MULTIPLIER_ROWS_2014,
  XP_BUDGET_2024,
  XP_THRESHOLDS_2014,
} from '../tables/encounter';
import { xpForCr } from './cr';

export type Difficulty2024 = 'low' | 'moderate' | 'high' | 'extreme';
export type Difficulty2014 = 'trivial' | 'easy' | 'medium' | 'hard' | 'deadly';

export interface EncounterResult2024 {
  ruleset: '2024';
  xp: number;
  budget: { low: number; moderate: number; high: number };
  difficulty: Difficulty2024;
}

export interface EncounterResult2014 {
  ruleset: '2014';
  xp: number;
  adjustedXp: number;
  multiplier: number;
  thresholds: { easy: number; medium: number; hard: number; deadly: number };
  difficulty: Difficulty2014;
}

function checkParty(partyLevels: readonly number[]): void {
  if (partyLevels.length === 0) throw new RangeError('partyLevels: the party needs at least one character');
  partyLevels.forEach((level, i) => {
    if (!Number.isInteger(level) || level < 1 || level > 20) {
      throw new RangeError(`partyLevels[${i}]: ${String(level)} must be an integer level from 1 to 20`);
    }
  });
}

function totalXp(creatureCrs: readonly number[]): number {
  let xp = 0;
  creatureCrs.forEach((cr, i) => {
    try {
      xp += xpForCr(cr);
    } catch {
      throw new RangeError(
        `creatureCrs[${i}]: ${String(cr)} is not a challenge rating (0, 1/8, 1/4, 1/2, 1–30)`,
      );
    }
  });
  return xp;
}

/**
 * 2024 difficulty: the budget sums each character's own row (mixed-level parties are not covered by the rules;
 * summing rows is our policy); creature XP counts 1:1 with no group multiplier.
 */
export function encounterDifficulty2024(
  partyLevels: readonly number[],
  creatureCrs: readonly number[],
): EncounterResult2024 {
  checkParty(partyLevels);
  const budget = { low: 0, moderate: 0, high: 0 };
  for (const level of partyLevels) {
    const row = XP_BUDGET_2024[level - 1];
    if (row === undefined) continue;
    budget.low += row.low;
    budget.moderate += row.moderate;
    budget.high += row.high;
  }
  const xp = totalXp(creatureCrs);
  const difficulty: Difficulty2024 =
    xp <= budget.low ? 'low' : xp <= budget.moderate ? 'moderate' : xp <= budget.high ? 'high' : 'extreme';
  return { ruleset: '2024', xp, budget, difficulty };
}

/** The 2014 encounter multiplier for `monsters` monsters against a party of `partySize` characters. */
export function encounterMultiplier2014(monsters: number, partySize: number): number {
  if (monsters <= 0) return 1;
  let ladderIndex = 1;
  for (const row of ENCOUNTER_MULTIPLIER_ROWS_2014)
    if (monsters >= row.minMonsters) ladderIndex = row.ladderIndex;
  if (partySize < 3) ladderIndex += 1;
  else if (partySize >= 6) ladderIndex -= 1;
  return ENCOUNTER_MULTIPLIER_LADDER_2014[ladderIndex] as number;
}

/** 2014 difficulty: adjusted XP (monster-count multiplier with the party-size shift) against summed thresholds. */
export function encounterDifficulty2014(
  partyLevels: readonly number[],
  creatureCrs: readonly number[],
): EncounterResult2014 {
  checkParty(partyLevels);
  const thresholds = { easy: 0, medium: 0, hard: 0, deadly: 0 };
  for (const level of partyLevels) {
    const row = XP_THRESHOLDS_2014[level - 1];
    if (row === undefined) continue;
    thresholds.easy += row.easy;
    thresholds.medium += row.medium;
    thresholds.hard += row.hard;
    thresholds.deadly += row.deadly;
  }
  const xp = totalXp(creatureCrs);
  const multiplier = encounterMultiplier2014(creatureCrs.length, partyLevels.length);
  const adjustedXp = Math.floor(xp * multiplier);
  const difficulty: Difficulty2014 =
    adjustedXp >= thresholds.deadly
      ? 'deadly'
      : adjustedXp >= thresholds.hard
        ? 'hard'
        : adjustedXp >= thresholds.medium
          ? 'medium'
          : adjustedXp >= thresholds.easy
            ? 'easy'
            : 'trivial';
  return { ruleset: '2014', xp, adjustedXp, multiplier, thresholds, difficulty };
}
