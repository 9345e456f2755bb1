/**
 * DMG 2014 "Monster Statistics by Challenge Rating" (rules-facts.md §4a), one row per CR step. The HP and
 * damage ranges are contiguous, so finding the row that holds a value is total over 1–850 HP and 0–320 DPR.
 * CR 0 lists "at most" values (AC ≤ 13, attack ≤ +3, DC ≤ 13); the numbers here are those maxima.
 */
export const MONSTER_STATISTICS_2014 = [
  { cr: 0, pb: 2, ac: 13, hpMin: 1, hpMax: 6, attack: 3, dprMin: 0, dprMax: 1, saveDc: 13 },
  { cr: 0.125, pb: 2, ac: 13, hpMin: 7, hpMax: 35, attack: 3, dprMin: 2, dprMax: 3, saveDc: 13 },
  { cr: 0.25, pb: 2, ac: 13, hpMin: 36, hpMax: 49, attack: 3, dprMin: 4, dprMax: 5, saveDc: 13 },
  { cr: 0.5, pb: 2, ac: 13, hpMin: 50, hpMax: 70, attack: 3, dprMin: 6, dprMax: 8, saveDc: 13 },
  { cr: 1, pb: 2, ac: 13, hpMin: 71, hpMax: 85, attack: 3, dprMin: 9, dprMax: 14, saveDc: 13 },
  { cr: 2, pb: 2, ac: 13, hpMin: 86, hpMax: 100, attack: 3, dprMin: 15, dprMax: 20, saveDc: 13 },
  { cr: 3, pb: 2, ac: 13, hpMin: 101, hpMax: 115, attack: 4, dprMin: 21, dprMax: 26, saveDc: 13 },
  { cr: 4, pb: 2, ac: 14, hpMin: 116, hpMax: 130, attack: 5, dprMin: 27, dprMax: 32, saveDc: 14 },
  { cr: 5, pb: 3, ac: 15, hpMin: 131, hpMax: 145, attack: 6, dprMin: 33, dprMax: 38, saveDc: 15 },
  { cr: 6, pb: 3, ac: 15, hpMin: 146, hpMax: 160, attack: 6, dprMin: 39, dprMax: 44, saveDc: 15 },
  { cr: 7, pb: 3, ac: 15, hpMin: 161, hpMax: 175, attack: 6, dprMin: 45, dprMax: 50, saveDc: 15 },
  { cr: 8, pb: 3, ac: 16, hpMin: 176, hpMax: 190, attack: 7, dprMin: 51, dprMax: 56, saveDc: 16 },
  { cr: 9, pb: 4, ac: 16, hpMin: 191, hpMax: 205, attack: 7, dprMin: 57, dprMax: 62, saveDc: 16 },
  { cr: 10, pb: 4, ac: 17, hpMin: 206, hpMax: 220, attack: 7, dprMin: 63, dprMax: 68, saveDc: 16 },
  { cr: 11, pb: 4, ac: 17, hpMin: 221, hpMax: 235, attack: 8, dprMin: 69, dprMax: 74, saveDc: 17 },
  { cr: 12, pb: 4, ac: 17, hpMin: 236, hpMax: 250, attack: 8, dprMin: 75, dprMax: 80, saveDc: 17 },
  { cr: 13, pb: 5, ac: 18, hpMin: 251, hpMax: 265, attack: 8, dprMin: 81, dprMax: 86, saveDc: 18 },
  { cr: 14, pb: 5, ac: 18, hpMin: 266, hpMax: 280, attack: 8, dprMin: 87, dprMax: 92, saveDc: 18 },
  { cr: 15, pb: 5, ac: 18, hpMin: 281, hpMax: 295, attack: 8, dprMin: 93, dprMax: 98, saveDc: 18 },
  { cr: 16, pb: 5, ac: 18, hpMin: 296, hpMax: 310, attack: 9, dprMin: 99, dprMax: 104, saveDc: 18 },
  { cr: 17, pb: 6, ac: 19, hpMin: 311, hpMax: 325, attack: 10, dprMin: 105, dprMax: 110, saveDc: 19 },
  { cr: 18, pb: 6, ac: 19, hpMin: 326, hpMax: 340, attack: 10, dprMin: 111, dprMax: 116, saveDc: 19 },
  { cr: 19, pb: 6, ac: 19, hpMin: 341, hpMax: 355, attack: 10, dprMin: 117, dprMax: 122, saveDc: 19 },
  { cr: 20, pb: 6, ac: 19, hpMin: 356, hpMax: 400, attack: 10, dprMin: 123, dprMax: 140, saveDc: 19 },
  { cr: 21, pb: 7, ac: 19, hpMin: 401, hpMax: 445, attack: 11, dprMin: 141, dprMax: 158, saveDc: 20 },
  { cr: 22, pb: 7, ac: 19, hpMin: 446, hpMax: 490, attack: 11, dprMin: 159, dprMax: 176, saveDc: 20 },
  { cr: 23, pb: 7, ac: 19, hpMin: 491, hpMax: 535, attack: 11, dprMin: 177, dprMax: 194, saveDc: 20 },
  { cr: 24, pb: 7, ac: 19, hpMin: 536, hpMax: 580, attack: 12, dprMin: 195, dprMax: 212, saveDc: 21 },
  { cr: 25, pb: 8, ac: 19, hpMin: 581, hpMax: 625, attack: 12, dprMin: 213, dprMax: 230, saveDc: 21 },
  { cr: 26, pb: 8, ac: 19, hpMin: 626, hpMax: 670, attack: 12, dprMin: 231, dprMax: 248, saveDc: 21 },
  { cr: 27, pb: 8, ac: 19, hpMin: 671, hpMax: 715, attack: 13, dprMin: 249, dprMax: 266, saveDc: 22 },
  { cr: 28, pb: 8, ac: 19, hpMin: 716, hpMax: 760, attack: 13, dprMin: 267, dprMax: 284, saveDc: 22 },
  { cr: 29, pb: 9, ac: 19, hpMin: 761, hpMax: 805, attack: 13, dprMin: 285, dprMax: 302, saveDc: 22 },
  { cr: 30, pb: 9, ac: 19, hpMin: 806, hpMax: 850, attack: 14, dprMin: 303, dprMax: 320, saveDc: 23 },
] as const;
export type MonsterStatisticsRow = (typeof MONSTER_STATISTICS_2014)[number];

/** Effective-HP multipliers for resistances / immunities by expected CR (DMG 2014 p. 277). */
export const EFFECTIVE_HP_MULTIPLIERS_2014 = [
  { minCr: 0, resistance: 2, immunity: 2 },
  { minCr: 5, resistance: 1.5, immunity: 2 },
  { minCr: 11, resistance: 1.25, immunity: 1.5 },
  { minCr: 17, resistance: 1, immunity: 1.25 },
] as const;
