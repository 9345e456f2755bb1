/** Exhaustion in both rulesets and the concentration save DC. */
import type { Ruleset } from '../content/types';

export interface Exhaustion2024Effects {
  level: number;
  /** Subtracted from every D20 Test (ability checks, attack rolls, saving throws): 2 × level. */
  d20Penalty: number;
  /** Feet subtracted from Speed: 5 × level. */
  speedPenalty: number;
  dead: boolean;
}

export interface Exhaustion2014Effects {
  level: number;
  checksDisadvantage: boolean;
  speedHalved: boolean;
  attacksAndSavesDisadvantage: boolean;
  hpMaxHalved: boolean;
  speedZero: boolean;
  dead: boolean;
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 6) {
    throw new RangeError(`exhaustion: ${String(level)} must be an integer level from 0 to 6`);
  }
}

/** 2024 exhaustion: −2 per level to D20 Tests, −5 ft Speed per level, level 6 = death. */
export function exhaustionEffects2024(level: number): Exhaustion2024Effects {
  checkLevel(level);
  return { level, d20Penalty: 2 * level, speedPenalty: 5 * level, dead: level >= 6 };
}

/** 2014 exhaustion: the cumulative six-step table. */
export function exhaustionEffects2014(level: number): Exhaustion2014Effects {
  checkLevel(level);
  return {
    level,
    checksDisadvantage: level >= 1,
    speedHalved: level >= 2,
    attacksAndSavesDisadvantage: level >= 3,
    hpMaxHalved: level >= 4,
    speedZero: level >= 5,
    dead: level >= 6,
  };
}

/** Speed after exhaustion (never below 0). */
export function speedWithExhaustion(speed: number, level: number, ruleset: Ruleset = '2024'): number {
  if (ruleset === '2024') return Math.max(0, speed - exhaustionEffects2024(level).speedPenalty);
  const e = exhaustionEffects2014(level);
  if (e.speedZero) return 0;
  return e.speedHalved ? Math.floor(speed / 2) : speed;
}

/**
 * Concentration save DC after taking `damage`: max(10, floor(damage / 2)); the 2024 rules cap it at 30, the
 * 2014 rules state no cap.
 */
export function concentrationDc(damage: number, ruleset: Ruleset = '2024'): number {
  if (!Number.isFinite(damage) || damage < 0) {
    throw new RangeError(`damage: ${String(damage)} must be a number ≥ 0`);
  }
  const dc = Math.max(10, Math.floor(damage / 2));
  return ruleset === '2024' ? Math.min(30, dc) : dc;
}
