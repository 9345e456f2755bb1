import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CR_STEPS,
  PB_BY_CR,
  XP_BUDGET_2024,
  XP_BY_CR,
  XP_FOR_LEVEL,
  XP_THRESHOLDS_2014,
} from '../tables/encounter';
import {
  crIndex,
  encounterDifficulty2014,
  encounterDifficulty2024,
  encounterMultiplier2014,
  formatCr,
  levelForXp,
  parseCr,
  proficiencyBonusForCr,
  stepCr,
  xpForCr,
  xpForLevel,
} from './index';

// rules-facts.md §3, written out as printed: [CR, XP, PB].
const XP_PB_TABLE: [string, number, number][] = [
  ['0', 10, 2],
  ['1/8', 25, 2],
  ['1/4', 50, 2],
  ['1/2', 100, 2],
  ['1', 200, 2],
  ['2', 450, 2],
  ['3', 700, 2],
  ['4', 1100, 2],
  ['5', 1800, 3],
  ['6', 2300, 3],
  ['7', 2900, 3],
  ['8', 3900, 3],
  ['9', 5000, 4],
  ['10', 5900, 4],
  ['11', 7200, 4],
  ['12', 8400, 4],
  ['13', 10000, 5],
  ['14', 11500, 5],
  ['15', 13000, 5],
  ['16', 15000, 5],
  ['17', 18000, 6],
  ['18', 20000, 6],
  ['19', 22000, 6],
  ['20', 25000, 6],
  ['21', 33000, 7],
  ['22', 41000, 7],
  ['23', 50000, 7],
  ['24', 62000, 7],
  ['25', 75000, 8],
  ['26', 90000, 8],
  ['27', 105000, 8],
  ['28', 120000, 8],
  ['29', 135000, 9],
  ['30', 155000, 9],
];

describe('XP and proficiency bonus by CR (every row)', () => {
  it.each(XP_PB_TABLE)('CR %s → %i XP, PB +%i', (text, xp, pb) => {
    const cr = parseCr(text);
    expect(xpForCr(cr)).toBe(xp);
    expect(proficiencyBonusForCr(cr)).toBe(pb);
    expect(formatCr(cr)).toBe(text);
  });
  it('has one entry per ladder step', () => {
    expect(CR_STEPS).toHaveLength(34);
    expect(XP_BY_CR).toHaveLength(34);
    expect(PB_BY_CR).toHaveLength(34);
  });
  it('gives 0 XP for a harmless CR 0 creature', () => {
    expect(xpForCr(0, { harmless: true })).toBe(0);
    expect(xpForCr(1, { harmless: true })).toBe(200);
  });
});

describe('CR parsing and the ladder', () => {
  it('parses fractions, decimals and numbers', () => {
    expect(parseCr('1/4')).toBe(0.25);
    expect(parseCr('0.125')).toBe(0.125);
    expect(parseCr(' 17 ')).toBe(17);
    expect(parseCr(30)).toBe(30);
  });
  it.each(['1/3', '31', '-1', 'abc', '', '2.5'])('rejects %j with a message naming cr', (bad) => {
    expect(() => parseCr(bad)).toThrow(/cr: .* is not a challenge rating/);
  });
  it('steps along the ladder and clamps', () => {
    expect(stepCr(1, -1)).toBe(0.5);
    expect(stepCr(0.5, 2)).toBe(2);
    expect(stepCr(0, -3)).toBe(0);
    expect(stepCr(29, 5)).toBe(30);
    expect(crIndex(1)).toBe(4);
  });
});

describe('character level by XP (every row)', () => {
  const table: [number, number][] = [
    [1, 0],
    [2, 300],
    [3, 900],
    [4, 2700],
    [5, 6500],
    [6, 14000],
    [7, 23000],
    [8, 34000],
    [9, 48000],
    [10, 64000],
    [11, 85000],
    [12, 100000],
    [13, 120000],
    [14, 140000],
    [15, 165000],
    [16, 195000],
    [17, 225000],
    [18, 265000],
    [19, 305000],
    [20, 355000],
  ];
  it.each(table)('level %i needs %i XP', (level, xp) => {
    expect(xpForLevel(level)).toBe(xp);
    expect(levelForXp(xp)).toBe(level);
    if (level > 1) expect(levelForXp(xp - 1)).toBe(level - 1);
  });
  it('caps at level 20 and rejects bad input', () => {
    expect(levelForXp(10_000_000)).toBe(20);
    expect(XP_FOR_LEVEL).toHaveLength(20);
    expect(() => xpForLevel(21)).toThrow(/level: 21/);
    expect(() => levelForXp(-5)).toThrow(/xp: -5/);
  });
});

describe('2024 XP budget', () => {
  // rules-facts.md §1, [level, low, moderate, high].
  const budget: [number, number, number, number][] = [
    [1, 50, 75, 100],
    [2, 100, 150, 200],
    [3, 150, 225, 400],
    [4, 250, 375, 500],
    [5, 500, 750, 1100],
    [6, 600, 1000, 1400],
    [7, 750, 1300, 1700],
    [8, 1000, 1700, 2100],
    [9, 1300, 2000, 2600],
    [10, 1600, 2300, 3100],
    [11, 1900, 2900, 4100],
    [12, 2200, 3700, 4700],
    [13, 2600, 4200, 5400],
    [14, 2900, 4900, 6200],
    [15, 3300, 5400, 7800],
    [16, 3800, 6100, 9800],
    [17, 4500, 7200, 11700],
    [18, 5000, 8700, 14200],
    [19, 5500, 10700, 17200],
    [20, 6400, 13200, 22000],
  ];
  it.each(budget)('level %i: %i / %i / %i per character', (level, low, moderate, high) => {
    expect(XP_BUDGET_2024[level - 1]).toEqual({ level, low, moderate, high });
    const r = encounterDifficulty2024([level, level, level, level], []);
    expect(r.budget).toEqual({ low: 4 * low, moderate: 4 * moderate, high: 4 * high });
  });
  it('classifies at the band edges', () => {
    // Four level-1 characters: low 200, moderate 300, high 400.
    expect(encounterDifficulty2024([1, 1, 1, 1], [0.5, 0.5]).difficulty).toBe('low'); // 200
    expect(encounterDifficulty2024([1, 1, 1, 1], [0.5, 0.5, 0.125]).difficulty).toBe('moderate'); // 225
    expect(encounterDifficulty2024([1, 1, 1, 1], [1, 0.5]).difficulty).toBe('moderate'); // 300
    expect(encounterDifficulty2024([1, 1, 1, 1], [1, 1]).difficulty).toBe('high'); // 400
    expect(encounterDifficulty2024([1, 1, 1, 1], [2]).difficulty).toBe('extreme'); // 450
  });
  it('adds raw XP with no group multiplier (SRD example: 2 × CR 2 + 9 × CR 1/8 = 1,125 XP)', () => {
    const r = encounterDifficulty2024([5, 5, 5, 5], [2, 2, ...Array<number>(9).fill(0.125)]);
    expect(r.xp).toBe(1125);
    expect(r).toMatchObject({ ruleset: '2024', difficulty: 'low' });
  });
  it('sums each character’s own row for mixed levels', () => {
    expect(encounterDifficulty2024([3, 3, 2], []).budget).toEqual({ low: 400, moderate: 600, high: 1000 });
  });
  it('names the bad field', () => {
    expect(() => encounterDifficulty2024([], [1])).toThrow(/partyLevels/);
    expect(() => encounterDifficulty2024([3, 0], [1])).toThrow(/partyLevels\[1\]/);
    expect(() => encounterDifficulty2024([3], [1, 0.3])).toThrow(/creatureCrs\[1\]/);
  });
});

describe('2014 thresholds and multipliers', () => {
  const thresholds: [number, number, number, number, number][] = [
    [1, 25, 50, 75, 100],
    [2, 50, 100, 150, 200],
    [3, 75, 150, 225, 400],
    [4, 125, 250, 375, 500],
    [5, 250, 500, 750, 1100],
    [6, 300, 600, 900, 1400],
    [7, 350, 750, 1100, 1700],
    [8, 450, 900, 1400, 2100],
    [9, 550, 1100, 1600, 2400],
    [10, 600, 1200, 1900, 2800],
    [11, 800, 1600, 2400, 3600],
    [12, 1000, 2000, 3000, 4500],
    [13, 1100, 2200, 3400, 5100],
    [14, 1250, 2500, 3800, 5700],
    [15, 1400, 2800, 4300, 6400],
    [16, 1600, 3200, 4800, 7200],
    [17, 2000, 3900, 5900, 8800],
    [18, 2100, 4200, 6300, 9500],
    [19, 2400, 4900, 7300, 10900],
    [20, 2800, 5700, 8500, 12700],
  ];
  it.each(thresholds)('level %i: %i / %i / %i / %i', (level, easy, medium, hard, deadly) => {
    expect(XP_THRESHOLDS_2014[level - 1]).toEqual({ level, easy, medium, hard, deadly });
    expect(encounterDifficulty2014([level], []).thresholds).toEqual({ easy, medium, hard, deadly });
  });
  it('DMG worked example: three level-3 PCs and one level-2 PC → hard 825, deadly 1400', () => {
    const r = encounterDifficulty2014([3, 3, 3, 2], []);
    expect(r.thresholds.hard).toBe(825);
    expect(r.thresholds.deadly).toBe(1400);
  });
  // [monsters, base (3–5 PCs), 1–2 PCs, 6+ PCs] — rules-facts.md §2.
  const multipliers: [number, number, number, number][] = [
    [1, 1, 1.5, 0.5],
    [2, 1.5, 2, 1],
    [3, 2, 2.5, 1.5],
    [6, 2, 2.5, 1.5],
    [7, 2.5, 3, 2],
    [10, 2.5, 3, 2],
    [11, 3, 4, 2.5],
    [14, 3, 4, 2.5],
    [15, 4, 5, 3],
    [40, 4, 5, 3],
  ];
  it.each(multipliers)('%i monsters: ×%d (3–5 PCs), ×%d (1–2), ×%d (6+)', (n, base, small, large) => {
    expect(encounterMultiplier2014(n, 4)).toBe(base);
    expect(encounterMultiplier2014(n, 2)).toBe(small);
    expect(encounterMultiplier2014(n, 6)).toBe(large);
  });
  it('uses adjusted XP for difficulty and reports raw XP', () => {
    // 4 × level 3 (easy 300, medium 600, hard 900, deadly 1600); 4 × CR 1/2 = 400 XP × 2 = 800 → medium.
    const r = encounterDifficulty2014([3, 3, 3, 3], [0.5, 0.5, 0.5, 0.5]);
    expect(r).toMatchObject({
      ruleset: '2014',
      xp: 400,
      adjustedXp: 800,
      multiplier: 2,
      difficulty: 'medium',
    });
    expect(encounterDifficulty2014([3, 3, 3, 3], [0.125]).difficulty).toBe('trivial');
    expect(encounterDifficulty2014([3, 3, 3, 3], [4]).difficulty).toBe('hard'); // 1100 ≥ 900
    expect(encounterDifficulty2014([3, 3, 3, 3], [4, 4]).difficulty).toBe('deadly'); // 3300
  });
});

describe('properties', () => {
  const level = fc.integer({ min: 1, max: 20 });
  const cr = fc.constantFrom(...CR_STEPS);
  it('difficulty never drops when a creature joins (both rulesets)', () => {
    const order2024 = ['low', 'moderate', 'high', 'extreme'];
    const order2014 = ['trivial', 'easy', 'medium', 'hard', 'deadly'];
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 1, maxLength: 8 }),
        fc.array(cr, { maxLength: 12 }),
        cr,
        (party, crs, extra) => {
          const a = encounterDifficulty2024(party, crs);
          const b = encounterDifficulty2024(party, [...crs, extra]);
          expect(b.xp).toBeGreaterThanOrEqual(a.xp);
          expect(order2024.indexOf(b.difficulty)).toBeGreaterThanOrEqual(order2024.indexOf(a.difficulty));
          const c = encounterDifficulty2014(party, crs);
          const d = encounterDifficulty2014(party, [...crs, extra]);
          expect(d.adjustedXp).toBeGreaterThanOrEqual(c.adjustedXp);
          expect(order2014.indexOf(d.difficulty)).toBeGreaterThanOrEqual(order2014.indexOf(c.difficulty));
        },
      ),
    );
  });
  it('parseCr(formatCr(cr)) round-trips every step', () => {
    fc.assert(fc.property(cr, (c) => parseCr(formatCr(c)) === c));
  });
});
