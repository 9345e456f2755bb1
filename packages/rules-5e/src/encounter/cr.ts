/** Challenge-rating ladder helpers: parse, format, XP and proficiency bonus by CR, level ↔ XP. */
import { CR_STEPS, PB_BY_CR, XP_BY_CR, XP_FOR_LEVEL, type CrValue } from '../tables/encounter';

export { CR_STEPS, type CrValue };

const FRACTIONS: Readonly<Record<string, CrValue>> = { '1/8': 0.125, '1/4': 0.25, '1/2': 0.5 };

/** True when `value` is one of the 34 CR steps. */
export function isCr(value: unknown): value is CrValue {
  return typeof value === 'number' && (CR_STEPS as readonly number[]).includes(value);
}

/** Index of a CR on the ladder (0 for CR 0, 4 for CR 1, 33 for CR 30). Throws for a value off the ladder. */
export function crIndex(cr: number): number {
  const i = (CR_STEPS as readonly number[]).indexOf(cr);
  if (i < 0) throw new RangeError(`cr: ${String(cr)} is not a challenge rating (0, 1/8, 1/4, 1/2, 1–30)`);
  return i;
}

/** The CR at ladder index `i`, clamped to the ladder. */
export function crAtIndex(i: number): CrValue {
  const clamped = Math.max(0, Math.min(CR_STEPS.length - 1, Math.round(i)));
  return CR_STEPS[clamped] as CrValue;
}

/** Move `steps` along the CR ladder (negative = down), clamped to 0 and 30. */
export function stepCr(cr: number, steps: number): CrValue {
  return crAtIndex(crIndex(cr) + steps);
}

/** Parse "1/4", "0.25", "5" or a number into a CR step. Throws a RangeError naming the value otherwise. */
export function parseCr(input: string | number): CrValue {
  if (typeof input === 'number') {
    if (isCr(input)) return input;
    throw new RangeError(`cr: ${String(input)} is not a challenge rating (0, 1/8, 1/4, 1/2, 1–30)`);
  }
  const text = input.trim();
  const frac = FRACTIONS[text];
  if (frac !== undefined) return frac;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (isCr(n)) return n;
  }
  throw new RangeError(`cr: "${input}" is not a challenge rating (0, 1/8, 1/4, 1/2, 1–30)`);
}

/** Format a CR the way stat blocks print it: 0.25 → "1/4", 5 → "5". */
export function formatCr(cr: number): string {
  crIndex(cr);
  if (cr === 0.125) return '1/8';
  if (cr === 0.25) return '1/4';
  if (cr === 0.5) return '1/2';
  return String(cr);
}

/**
 * XP for a creature of the given CR. CR 0 is worth 10 XP unless `harmless` (no effective attacks; 2014 rule,
 * 2024 leaves "0 or 10" to the GM).
 */
export function xpForCr(cr: number, options: { harmless?: boolean } = {}): number {
  const i = crIndex(cr);
  if (i === 0 && options.harmless === true) return 0;
  return XP_BY_CR[i] as number;
}

/** Proficiency bonus of a creature of the given CR. */
export function proficiencyBonusForCr(cr: number): number {
  return PB_BY_CR[crIndex(cr)] as number;
}

/** XP a character needs to reach `level` (1–20). */
export function xpForLevel(level: number): number {
  if (!Number.isInteger(level) || level < 1 || level > 20) {
    throw new RangeError(`level: ${String(level)} must be an integer from 1 to 20`);
  }
  return XP_FOR_LEVEL[level - 1] as number;
}

/** Character level reached with `xp` experience points (1–20). */
export function levelForXp(xp: number): number {
  if (!Number.isFinite(xp) || xp < 0) throw new RangeError(`xp: ${String(xp)} must be a number ≥ 0`);
  let level = 1;
  for (let i = 0; i < XP_FOR_LEVEL.length; i++) if (xp >= (XP_FOR_LEVEL[i] as number)) level = i + 1;
  return level;
}
