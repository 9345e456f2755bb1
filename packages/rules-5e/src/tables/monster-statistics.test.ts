import { describe, expect, it } from 'vitest';
import { parseCr } from '../encounter/cr';
import { CR_STEPS } from './encounter';
import { EFFECTIVE_HP_MULTIPLIERS_2014, MONSTER_STATISTICS_2014 } from './monster-statistics';

// rules-facts.md §4a as printed: [CR, PB, AC, HP min, HP max, attack, DPR min, DPR max, save DC].
const TABLE: [string, number, number, number, number, number, number, number, number][] = [
  ['0', 2, 13, 1, 6, 3, 0, 1, 13],
  ['1/8', 2, 13, 7, 35, 3, 2, 3, 13],
  ['1/4', 2, 13, 36, 49, 3, 4, 5, 13],
  ['1/2', 2, 13, 50, 70, 3, 6, 8, 13],
  ['1', 2, 13, 71, 85, 3, 9, 14, 13],
  ['2', 2, 13, 86, 100, 3, 15, 20, 13],
  ['3', 2, 13, 101, 115, 4, 21, 26, 13],
  ['4', 2, 14, 116, 130, 5, 27, 32, 14],
  ['5', 3, 15, 131, 145, 6, 33, 38, 15],
  ['6', 3, 15, 146, 160, 6, 39, 44, 15],
  ['7', 3, 15, 161, 175, 6, 45, 50, 15],
  ['8', 3, 16, 176, 190, 7, 51, 56, 16],
  ['9', 4, 16, 191, 205, 7, 57, 62, 16],
  ['10', 4, 17, 206, 220, 7, 63, 68, 16],
  ['11', 4, 17, 221, 235, 8, 69, 74, 17],
  ['12', 4, 17, 236, 250, 8, 75, 80, 17],
  ['13', 5, 18, 251, 265, 8, 81, 86, 18],
  ['14', 5, 18, 266, 280, 8, 87, 92, 18],
  ['15', 5, 18, 281, 295, 8, 93, 98, 18],
  ['16', 5, 18, 296, 310, 9, 99, 104, 18],
  ['17', 6, 19, 311, 325, 10, 105, 110, 19],
  ['18', 6, 19, 326, 340, 10, 111, 116, 19],
  ['19', 6, 19, 341, 355, 10, 117, 122, 19],
  ['20', 6, 19, 356, 400, 10, 123, 140, 19],
  ['21', 7, 19, 401, 445, 11, 141, 158, 20],
  ['22', 7, 19, 446, 490, 11, 159, 176, 20],
  ['23', 7, 19, 491, 535, 11, 177, 194, 20],
  ['24', 7, 19, 536, 580, 12, 195, 212, 21],
  ['25', 8, 19, 581, 625, 12, 213, 230, 21],
  ['26', 8, 19, 626, 670, 12, 231, 248, 21],
  ['27', 8, 19, 671, 715, 13, 249, 266, 22],
  ['28', 8, 19, 716, 760, 13, 267, 284, 22],
  ['29', 9, 19, 761, 805, 13, 285, 302, 22],
  ['30', 9, 19, 806, 850, 14, 303, 320, 23],
];

describe('Monster Statistics by Challenge Rating (DMG 2014), every row', () => {
  it('has one row per CR step, in ladder order', () => {
    expect(MONSTER_STATISTICS_2014.map((r) => r.cr)).toEqual([...CR_STEPS]);
  });
  it.each(TABLE)('CR %s', (cr, pb, ac, hpMin, hpMax, attack, dprMin, dprMax, saveDc) => {
    const row = MONSTER_STATISTICS_2014.find((r) => r.cr === parseCr(cr));
    expect(row).toEqual({ cr: parseCr(cr), pb, ac, hpMin, hpMax, attack, dprMin, dprMax, saveDc });
  });
  it('has contiguous HP and damage ranges (total over 1–850 HP and 0–320 DPR)', () => {
    for (let i = 1; i < MONSTER_STATISTICS_2014.length; i++) {
      const prev = MONSTER_STATISTICS_2014[i - 1]!;
      const row = MONSTER_STATISTICS_2014[i]!;
      expect(row.hpMin).toBe(prev.hpMax + 1);
      expect(row.dprMin).toBe(prev.dprMax + 1);
    }
    expect(MONSTER_STATISTICS_2014.at(-1)).toMatchObject({ hpMax: 850, dprMax: 320 });
  });
  it('has the effective-HP multipliers by expected CR', () => {
    expect(EFFECTIVE_HP_MULTIPLIERS_2014).toEqual([
      { minCr: 0, resistance: 2, immunity: 2 },
      { minCr: 5, resistance: 1.5, immunity: 2 },
      { minCr: 11, resistance: 1.25, immunity: 1.5 },
      { minCr: 17, resistance: 1, immunity: 1.25 },
    ]);
  });
});
