import fc from 'fast-check';
import { NumberGenerator } from '@dice-roller/rpg-dice-roller';
import { describe, expect, it } from 'vitest';
import { averageOf, rangeOf, roll, rollD20, seededRng } from './index';

describe('seededRng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = seededRng(1234);
    const b = seededRng(1234);
    const c = seededRng(1235);
    const seqA = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
  it('is roughly uniform (10,000 draws into 10 buckets)', () => {
    const rng = seededRng(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(rng() * 10)]! += 1;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });
  it('rejects a non-finite seed', () => {
    expect(() => seededRng(Number.NaN)).toThrow(/seed/);
  });
});

describe('roll', () => {
  it('same seed → same results, through the library', () => {
    const exprs = ['4d6dl1', '2d20kh1+5', '1d8+1d6+3', '8d6', '1d100'];
    const first = exprs.map((e) => roll(e, seededRng(99)));
    const again = exprs.map((e) => roll(e, seededRng(99)));
    expect(again).toEqual(first);
    const rng1 = seededRng(5);
    const rng2 = seededRng(5);
    const run1 = Array.from({ length: 50 }, () => roll('3d6', rng1).total);
    const run2 = Array.from({ length: 50 }, () => roll('3d6', rng2).total);
    expect(run2).toEqual(run1);
  });
  it('maps rng 0 to the lowest face and rng → 1 to the highest', () => {
    expect(roll('3d6+2', () => 0)).toMatchObject({ total: 5, dice: [1, 1, 1] });
    expect(roll('2d8', () => 0.9999)).toMatchObject({ total: 16, dice: [8, 8] });
    expect(roll('1d20', () => 0.5).total).toBe(11);
  });
  it('applies keep/drop modifiers (library notation)', () => {
    const seq = [0.0, 0.99, 0.5, 0.2];
    let i = 0;
    const r = roll('4d6dl1', () => seq[i++ % seq.length]!);
    expect(r.dice).toEqual([1, 6, 4, 2]);
    expect(r.total).toBe(12);
  });
  it('stays within the expression range for any seed', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('1d20', '2d6+3', '4d6dl1', '10d10-5', '1d4+1d12'),
        (seed, expr) => {
          const r = roll(expr, seededRng(seed));
          const { min, max } = rangeOf(expr);
          return r.total >= min && r.total <= max;
        },
      ),
    );
  });
  it('restores the library engine after each roll, also after an error', () => {
    const before: unknown = NumberGenerator.generator.engine;
    roll('1d6', seededRng(1));
    expect(NumberGenerator.generator.engine).toBe(before);
    expect(() => roll('1d6', () => 2)).toThrow(/rng: returned 2/);
    expect(NumberGenerator.generator.engine).toBe(before);
  });
  it('nests: an rng that rolls dice itself', () => {
    const inner = seededRng(3);
    const outer = (): number => roll('1d100', inner).total / 101;
    const r = roll('2d10', outer);
    const inner2 = seededRng(3);
    const expected = [0, 1].map(() => Math.floor((roll('1d100', inner2).total / 101) * 10) + 1);
    expect(r.dice).toEqual(expected);
  });
  it('names the field for a bad expression', () => {
    expect(() => roll('2x', seededRng(1))).toThrow(/expression: "2x" is not a valid dice expression/);
    expect(() => roll('  ', seededRng(1))).toThrow(/expression: must be a non-empty/);
  });
  it('rollD20 gives 1–20', () => {
    const rng = seededRng(11);
    const seen = new Set(Array.from({ length: 400 }, () => rollD20(rng)));
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(20);
  });
});

describe('averageOf / rangeOf', () => {
  it.each([
    ['2d6+3', 10],
    ['1d8', 4.5],
    ['12', 12],
    ['10d10-5', 50],
    ['1d4+1d6', 6],
  ])('average of %s is %d', (expr, avg) => {
    expect(averageOf(expr)).toBe(avg);
  });
  it('gives min and max', () => {
    expect(rangeOf('3d6+1')).toEqual({ min: 4, max: 19 });
  });
});
