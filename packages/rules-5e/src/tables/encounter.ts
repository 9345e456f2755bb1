/**
 * Encounter-building and challenge-rating tables (rules-facts.md §1–§3, §5a). Numbers copied exactly; every
 * table is typed `as const` data, read by the functions in `src/encounter/`.
 */

/** The challenge-rating ladder, in order. Fractions are decimals (1/8 = 0.125). */
export const CR_STEPS = [
  0, 0.125, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
  25, 26, 27, 28, 29, 30,
] as const;
export type CrValue = (typeof CR_STEPS)[number];

/**
 * XP by challenge rating (SRD 5.2.1 p. 256, same as 2014), indexed like `CR_STEPS`. CR 0 is listed as 10 XP
 * (creatures with an effective attack); `xpForCr(0, { harmless: true })` gives 0.
 */
export const XP_BY_CR = [
  10, 25, 50, 100, 200, 450, 700, 1100, 1800, 2300, 2900, 3900, 5000, 5900, 7200, 8400, 10000, 11500, 13000,
  15000, 18000, 20000, 22000, 25000, 33000, 41000, 50000, 62000, 75000, 90000, 105000, 120000, 135000, 155000,
] as const satisfies readonly number[] & { length: typeof CR_STEPS.length };

/** Proficiency bonus by challenge rating, indexed like `CR_STEPS`. */
export const PB_BY_CR = [
  2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9,
] as const satisfies readonly number[] & { length: typeof CR_STEPS.length };

/** 2024 XP budget per character, index = level − 1 (SRD 5.2.1 pp. 202–203). */
export const XP_BUDGET_2024 = [
  { level: 1, low: 50, moderate: 75, high: 100 },
  { level: 2, low: 100, moderate: 150, high: 200 },
  { level: 3, low: 150, moderate: 225, high: 400 },
  { level: 4, low: 250, moderate: 375, high: 500 },
  { level: 5, low: 500, moderate: 750, high: 1100 },
  { level: 6, low: 600, moderate: 1000, high: 1400 },
  { level: 7, low: 750, moderate: 1300, high: 1700 },
  { level: 8, low: 1000, moderate: 1700, high: 2100 },
  { level: 9, low: 1300, moderate: 2000, high: 2600 },
  { level: 10, low: 1600, moderate: 2300, high: 3100 },
  { level: 11, low: 1900, moderate: 2900, high: 4100 },
  { level: 12, low: 2200, moderate: 3700, high: 4700 },
  { level: 13, low: 2600, moderate: 4200, high: 5400 },
  { level: 14, low: 2900, moderate: 4900, high: 6200 },
  { level: 15, low: 3300, moderate: 5400, high: 7800 },
  { level: 16, low: 3800, moderate: 6100, high: 9800 },
  { level: 17, low: 4500, moderate: 7200, high: 11700 },
  { level: 18, low: 5000, moderate: 8700, high: 14200 },
  { level: 19, low: 5500, moderate: 10700, high: 17200 },
  { level: 20, low: 6400, moderate: 13200, high: 22000 },
] as const;

/** 2014 XP thresholds per character, index = level − 1 (DMG 2014 p. 82). */
export const XP_THRESHOLDS_2014 = [
  { level: 1, easy: 25, medium: 50, hard: 75, deadly: 100 },
  { level: 2, easy: 50, medium: 100, hard: 150, deadly: 200 },
  { level: 3, easy: 75, medium: 150, hard: 225, deadly: 400 },
  { level: 4, easy: 125, medium: 250, hard: 375, deadly: 500 },
  { level: 5, easy: 250, medium: 500, hard: 750, deadly: 1100 },
  { level: 6, easy: 300, medium: 600, hard: 900, deadly: 1400 },
  { level: 7, easy: 350, medium: 750, hard: 1100, deadly: 1700 },
  { level: 8, easy: 450, medium: 900, hard: 1400, deadly: 2100 },
  { level: 9, easy: 550, medium: 1100, hard: 1600, deadly: 2400 },
  { level: 10, easy: 600, medium: 1200, hard: 1900, deadly: 2800 },
  { level: 11, easy: 800, medium: 1600, hard: 2400, deadly: 3600 },
  { level: 12, easy: 1000, medium: 2000, hard: 3000, deadly: 4500 },
  { level: 13, easy: 1100, medium: 2200, hard: 3400, deadly: 5100 },
  { level: 14, easy: 1250, medium: 2500, hard: 3800, deadly: 5700 },
  { level: 15, easy: 1400, medium: 2800, hard: 4300, deadly: 6400 },
  { level: 16, easy: 1600, medium: 3200, hard: 4800, deadly: 7200 },
  { level: 17, easy: 2000, medium: 3900, hard: 5900, deadly: 8800 },
  { level: 18, easy: 2100, medium: 4200, hard: 6300, deadly: 9500 },
  { level: 19, easy: 2400, medium: 4900, hard: 7300, deadly: 10900 },
  { level: 20, easy: 2800, medium: 5700, hard: 8500, deadly: 12700 },
] as const;

/**
 * 2014 encounter multipliers (DMG 2014 p. 83). `minMonsters` is the lower end of each row; the party-size shift
 * moves one step along `ENCOUNTER_MULTIPLIER_LADDER_2014` (fewer than 3 characters: up; 6 or more: down).
 */
export const ENCOUNTER_MULTIPLIER_LADDER_2014 = [0.5, 1, 1.5, 2, 2.5, 3, 4, 5] as const;
export const ENCOUNTER_MULTIPLIER_ROWS_2014 = [
  { minMonsters: 1, ladderIndex: 1 }, // ×1
  { minMonsters: 2, ladderIndex: 2 }, // ×1.5
  { minMonsters: 3, ladderIndex: 3 }, // ×2 (3–6)
  { minMonsters: 7, ladderIndex: 4 }, // ×2.5 (7–10)
  { minMonsters: 11, ladderIndex: 5 }, // ×3 (11–14)
  { minMonsters: 15, ladderIndex: 6 }, // ×4 (15+)
] as const;

/** Character advancement XP by level lives with the other advancement tables. */
export { XP_BY_LEVEL as XP_FOR_LEVEL } from './advancement';
