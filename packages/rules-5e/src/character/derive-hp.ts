/**
 * Maximum hit points with the fixed value per level: the starting class's first level gives the die's maximum,
 * every later level half the die + 1; each level adds the Con modifier and gives at least 1 HP.
 * Per-level bonuses (Tough, Dwarven Toughness) come from `hp-per-level` effects; one with `class` counts only
 * that class's levels (Draconic Resilience). Levels beyond 20 are ignored.
 */
import { FIRST_LEVEL_HP, FIXED_HP_PER_LEVEL, MIN_HP_PER_LEVEL } from '../tables/hit-points';
import { MAX_CHARACTER_LEVEL } from '../tables/advancement';
import type { CharacterContext, ResolvedClass } from './context';
import { effectsOf } from './context';
import { explain, part, type Explained, type Part } from './explained';
import type { HitDice } from './types';

interface LevelGroup {
  readonly rc: ResolvedClass;
  readonly levels: number;
}

/** Known classes in build order with their levels, capped so that the total never exceeds 20. */
function levelGroups(ctx: CharacterContext): LevelGroup[] {
  let left = MAX_CHARACTER_LEVEL;
  const groups: LevelGroup[] = [];
  for (const rc of ctx.classes) {
    const levels = Math.min(left, rc.level);
    if (levels <= 0) break;
    groups.push({ rc, levels });
    left -= levels;
  }
  return groups;
}

function groupParts(
  group: LevelGroup,
  con: number,
  isStart: boolean,
): { die: Part; con: Part; floor: number } {
  const die = group.rc.cls.hitDie;
  const fixed = FIXED_HP_PER_LEVEL[die];
  const first = isStart ? FIRST_LEVEL_HP[die] : fixed;
  const later = group.levels - 1;
  const dieValue = first + later * fixed;
  const floor =
    Math.max(0, MIN_HP_PER_LEVEL - (first + con)) + later * Math.max(0, MIN_HP_PER_LEVEL - (fixed + con));
  return { die: part(`${group.rc.cls.id}-d${die}`, dieValue), con: part('con', con * group.levels), floor };
}

export function deriveMaxHitPoints(ctx: CharacterContext): Explained {
  const groups = levelGroups(ctx);
  if (groups.length === 0) return explain([part('no-known-class', MIN_HP_PER_LEVEL)]);
  const parts: Part[] = [];
  let con = 0;
  let floor = 0;
  groups.forEach((g, i) => {
    const p = groupParts(g, ctx.mods.con, i === 0 && g.rc.index === 0);
    parts.push(p.die);
    con += p.con.value;
    floor += p.floor;
  });
  parts.push(part('con', con));
  if (floor > 0) parts.push(part('minimum-1-per-level', floor));
  const levels = groups.reduce((sum, g) => sum + g.levels, 0);
  for (const { source, effect, times } of effectsOf(ctx, 'hp-per-level')) {
    const counted =
      effect.class === undefined
        ? levels
        : groups.filter((g) => g.rc.cls.id === effect.class).reduce((sum, g) => sum + g.levels, 0);
    parts.push(part(source, effect.value * counted * times));
  }
  return explain(parts);
}

export function deriveHitDice(ctx: CharacterContext): HitDice {
  const dice: HitDice = {};
  for (const g of levelGroups(ctx)) {
    const key = `d${g.rc.cls.hitDie}` as const;
    dice[key] = (dice[key] ?? 0) + g.levels;
  }
  return dice;
}
