/**
 * Dice through the kept library `@dice-roller/rpg-dice-roller`, with the randomness injected.
 *
 * The library draws every die from a module-global `NumberGenerator.generator`, whose engine is any object with
 * `next()`. Before each die it calls `generator.integer(min, max)`, which first stores `engine.range = [min, max]`
 * and then maps `engine.next()` onto the range (bit mask or modulo with rejection, via random-js). Our engine
 * reads that range and returns the offset `floor(rng() × (max − min + 1))`, which both random-js mappings return
 * unchanged, so a die face is a monotone function of one `rng()` draw: rng 0 → lowest face, rng → 1 highest.
 *
 * `roll` swaps the global engine in and restores the previous one in `finally`, so calls nest (an rng that
 * itself rolls dice) and a thrown parse error never leaves our engine installed. Rolling is synchronous, so no
 * other code can observe the swapped engine.
 */
import { DiceRoll, NumberGenerator } from '@dice-roller/rpg-dice-roller';

/** A random source: returns a float in [0, 1), like `Math.random` (which the engine never calls itself). */
export type Rng = () => number;

export interface RollResult {
  /** The normalised notation the library parsed. */
  notation: string;
  total: number;
  /** Every die face rolled, in order (kept and dropped alike). */
  dice: number[];
  /** Human-readable breakdown, e.g. "2d6+3: [4, 2]+3 = 9". */
  output: string;
  minTotal: number;
  maxTotal: number;
  averageTotal: number;
}

const UINT32_SIZE = 2 ** 32;

interface RangedEngine {
  range?: number[];
  next(): number;
}

function engineFor(rng: Rng): RangedEngine {
  const engine: RangedEngine = {
    next(): number {
      const r = rng();
      if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
        throw new RangeError(`rng: returned ${String(r)}; it must return a number in [0, 1)`);
      }
      const range = engine.range;
      const min = range?.[0];
      const max = range?.[1];
      if (min !== undefined && max !== undefined && max - min + 1 < UINT32_SIZE - 1) {
        return Math.floor(r * (max - min + 1));
      }
      return Math.floor(r * UINT32_SIZE);
    },
  };
  return engine;
}

function withEngine<T>(engine: { next(): number }, fn: () => T): T {
  const generator = NumberGenerator.generator;
  const previous: unknown = generator.engine;
  generator.engine = engine;
  try {
    return fn();
  } finally {
    generator.engine = previous;
  }
}

function collectDice(value: unknown, out: number[]): void {
  if (value === null || typeof value !== 'object') return;
  const v = value as { value?: unknown; rolls?: unknown; results?: unknown; initialValue?: unknown };
  if (Array.isArray(v.rolls)) {
    for (const r of v.rolls) collectDice(r, out);
    return;
  }
  if (Array.isArray(v.results)) {
    for (const r of v.results) collectDice(r, out);
    return;
  }
  if (typeof v.initialValue === 'number') out.push(v.initialValue);
}

function parse(expression: string, engine: { next(): number }): DiceRoll {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new TypeError('expression: must be a non-empty dice expression such as "2d6+3"');
  }
  try {
    return withEngine(engine, () => new DiceRoll(expression));
  } catch (err) {
    if (err instanceof RangeError && err.message.startsWith('rng:')) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new TypeError(`expression: "${expression}" is not a valid dice expression (${reason})`, {
      cause: err,
    });
  }
}

/** Roll a dice expression (any notation the library supports: `2d20kh1`, `4d6dl1`, `1d8+1d6+3` …). */
export function roll(expression: string, rng: Rng): RollResult {
  const dr = parse(expression, engineFor(rng));
  const dice: number[] = [];
  for (const r of dr.rolls) collectDice(r, dice);
  return {
    notation: dr.notation,
    total: dr.total,
    dice,
    output: dr.output,
    minTotal: dr.minTotal,
    maxTotal: dr.maxTotal,
    averageTotal: dr.averageTotal,
  };
}

/** The lowest-face engine, used when only the expression's statistics are wanted (no randomness involved). */
const MIN_ENGINE = { next: (): number => 0 };

/** Average total of an expression (`2d6+3` → 10), without rolling anything random. */
export function averageOf(expression: string): number {
  return parse(expression, MIN_ENGINE).averageTotal;
}

/** Minimum and maximum totals of an expression. */
export function rangeOf(expression: string): { min: number; max: number } {
  const dr = parse(expression, MIN_ENGINE);
  return { min: dr.minTotal, max: dr.maxTotal };
}

/**
 * A small seeded PRNG (mulberry32) returning floats in [0, 1). Same seed → same sequence; for tests, demos and
 * replayable rolls. Not for anything security-related.
 */
export function seededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed: ${String(seed)} must be a finite number`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_SIZE;
  };
}

/** A d20 roll (1–20) from an injected RNG. */
export function rollD20(rng: Rng): number {
  return roll('1d20', rng).total;
}
