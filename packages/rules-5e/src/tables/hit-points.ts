/** Hit points (SRD 5.2.1 "Hit Points" and class Core Traits). */

export const HIT_DIE_SIZES = [6, 8, 10, 12] as const;
export type HitDieSize = (typeof HIT_DIE_SIZES)[number];

/** Fixed hit points gained per level after the first character level: half the die + 1. */
export const FIXED_HP_PER_LEVEL = { 6: 4, 8: 5, 10: 6, 12: 7 } as const satisfies Record<HitDieSize, number>;

/** Hit points at character level 1: the die's maximum. */
export const FIRST_LEVEL_HP = { 6: 6, 8: 8, 10: 10, 12: 12 } as const satisfies Record<HitDieSize, number>;

/** Every level grants at least this many hit points, however low the Constitution modifier. */
export const MIN_HP_PER_LEVEL = 1;
