/** Skills (proficiency, expertise, Jack of All Trades), passive scores and initiative. */
import { SKILL_IDS, SKILLS, type Skill } from '../content/types';
import type { CharacterContext } from './context';
import { effectsOf } from './context';
import { explain, part, type Explained, type Part } from './explained';
import type { ProficiencyLevel, SkillValue } from './types';

function hasJackOfAllTrades(ctx: CharacterContext): boolean {
  return effectsOf(ctx, 'jack-of-all-trades').length > 0;
}

function proficiencyLevel(ctx: CharacterContext, skill: Skill, jack: boolean): ProficiencyLevel {
  if (ctx.build.expertise.includes(skill) && ctx.build.skills.includes(skill)) return 'expertise';
  if (ctx.build.skills.includes(skill)) return 'proficient';
  return jack ? 'half' : 'none';
}

function proficiencyPart(level: ProficiencyLevel, pb: number): Part[] {
  if (level === 'expertise') return [part('expertise', pb * 2)];
  if (level === 'proficient') return [part('proficiency', pb)];
  if (level === 'half') return [part('jack-of-all-trades', Math.floor(pb / 2))];
  return [];
}

export function deriveSkills(ctx: CharacterContext): Record<Skill, SkillValue> {
  const jack = hasJackOfAllTrades(ctx);
  const out = {} as Record<Skill, SkillValue>;
  for (const skill of SKILL_IDS) {
    const ability = SKILLS[skill];
    const proficiency = proficiencyLevel(ctx, skill, jack);
    const parts = [part(ability, ctx.mods[ability]), ...proficiencyPart(proficiency, ctx.proficiencyBonus)];
    const { value } = explain(parts);
    out[skill] = { value, parts, ability, proficiency };
  }
  return out;
}

export function derivePassive(skill: Explained): Explained {
  return explain([part('base', 10), ...skill.parts]);
}

/**
 * Initiative is a Dexterity check. Alert adds the proficiency bonus. Jack of All Trades: the 2024 wording only
 * covers checks that use a skill, so it does not reach initiative; the 2014 wording (any check without
 * proficiency) does.
 */
export function deriveInitiative(ctx: CharacterContext): Explained {
  const parts = [part('dex', ctx.mods.dex)];
  const alert = effectsOf(ctx, 'initiative-proficiency')[0];
  if (alert) parts.push(part(alert.source, ctx.proficiencyBonus));
  else if (ctx.build.ruleset === '2014' && hasJackOfAllTrades(ctx)) {
    parts.push(part('jack-of-all-trades', Math.floor(ctx.proficiencyBonus / 2)));
  }
  return explain(parts);
}
