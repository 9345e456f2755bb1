/** Character advancement (SRD 5.2.1 "Character Advancement"; same numbers in 2014). Index = level − 1. */

/** Experience points needed to reach each character level 1–20. */
export const XP_BY_LEVEL = [
  0, 300, 900, 2700, 6500, 14000, 23000, 34000, 48000, 64000, 85000, 100000, 120000, 140000, 165000, 195000,
  225000, 265000, 305000, 355000,
] as const;

/** Proficiency bonus at each character level 1–20. */
export const PROFICIENCY_BONUS_BY_LEVEL = [
  2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6,
] as const;

export const MAX_CHARACTER_LEVEL = 20;

/** Clamp any integer into a table row index for levels 1–20. */
export function levelIndex(level: number): number {
  return Math.min(MAX_CHARACTER_LEVEL, Math.max(1, Math.trunc(level) || 1)) - 1;
}

/** Proficiency bonus for a total character level (clamped to 1–20). */
export function proficiencyBonusForLevel(level: number): number {
  return PROFICIENCY_BONUS_BY_LEVEL[levelIndex(level)] ?? 2;
}

/** Ability modifier: floor((score − 10) / 2). */
export function abilityModifier(score: number): number {
  return Math.floor((score - 10) / 2);
}
