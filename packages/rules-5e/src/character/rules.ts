/**
 * Rule checks shared by validate and repair, so that what repair fixes is exactly what validate checks.
 */
import type { AbilityScores } from '../build';
import type { CharacterClass, Feat, Spell } from '../content/types';
import type { CharacterContext, ResolvedClass } from './context';
import { hasFeature, totalLevel } from './context';
import type { CasterInfo } from './casters';

export const SCORE_MIN = 1;
export const SCORE_MAX = 20;
export const DEFAULT_MULTICLASS_MIN = 13;

/** Whether the scores meet a class's multiclass prerequisites (2024: 13 in its primary ability). */
export function meetsMulticlassPrerequisite(cls: CharacterClass, scores: AbilityScores): boolean {
  const reqs = cls.multiclass.prerequisites.length
    ? cls.multiclass.prerequisites
    : cls.primaryAbilities.map((ability) => ({ ability, min: DEFAULT_MULTICLASS_MIN }));
  const anyOf = cls.multiclass.prerequisites.length ? cls.multiclass.anyOf : cls.primaryAbilities.length > 1;
  const ok = reqs.map((r) => scores[r.ability] >= r.min);
  return anyOf ? ok.some(Boolean) : ok.every(Boolean);
}

export function describePrerequisite(cls: CharacterClass): string {
  const reqs = cls.multiclass.prerequisites;
  if (!reqs.length) return `${DEFAULT_MULTICLASS_MIN} in ${cls.primaryAbilities.join(' or ')}`;
  return reqs.map((r) => `${r.ability} ${r.min}`).join(cls.multiclass.anyOf ? ' or ' : ' and ');
}

/** The reason a feat's prerequisite (level, abilities, a class feature) is unmet, or null when it is met. */
export function unmetFeatPrerequisite(feat: Feat, ctx: CharacterContext): string | null {
  const pre = feat.prerequisite;
  if (!pre) return null;
  const { build } = ctx;
  const level = totalLevel(build.classes);
  if (pre.level !== undefined && level < pre.level)
    return `needs character level ${pre.level} (has ${level})`;
  if (pre.feature !== undefined && !ctx.classes.some((rc) => hasFeature(rc, pre.feature ?? ''))) {
    return `needs the ${pre.feature} class feature`;
  }
  const abilities = pre.abilities ?? [];
  if (abilities.length === 0) return null;
  const ok = abilities.map((r) => build.abilityScores[r.ability] >= r.min);
  if (pre.anyAbility ? ok.some(Boolean) : ok.every(Boolean)) return null;
  return `needs ${abilities.map((r) => `${r.ability} ${r.min}`).join(pre.anyAbility ? ' or ' : ' and ')}`;
}

/** Why a spell cannot be on a class's cantrip/prepared list, or null when it may. */
export function spellProblem(
  spell: Spell,
  list: 'cantrips' | 'prepared',
  info: CasterInfo,
  onList: ReadonlySet<string> | undefined,
): { code: string; reason: string } | null {
  const cls = info.rc.cls.id;
  if (list === 'cantrips' && spell.level !== 0) {
    return { code: 'spell-not-cantrip', reason: `is a level-${spell.level} spell, not a cantrip` };
  }
  if (list === 'prepared' && spell.level === 0) {
    return { code: 'cantrip-as-prepared', reason: 'is a cantrip; list it under cantrips' };
  }
  if (!onList?.has(spell.id)) return { code: 'spell-off-list', reason: `is not on the ${cls} spell list` };
  if (spell.level > info.maxSpellLevel) {
    return {
      code: 'spell-too-high',
      reason: `is level ${spell.level} but ${cls} ${info.rc.level} can cast at most level ${info.maxSpellLevel}`,
    };
  }
  return null;
}

/** Limits from the class table row. */
export function spellLimits(rc: ResolvedClass): { cantrips: number; prepared: number } {
  return { cantrips: rc.row?.cantrips ?? 0, prepared: rc.row?.prepared ?? 0 };
}
