/**
 * Skill proficiencies and where they come from. Every source is a set of slots, each admitting some skills:
 * the starting class's choices (from its list), each later class's multiclass choices (from its list), the
 * background's two fixed skills, and species/feat/feature grants and choices. A build's skills are legal when
 * each can be given its own slot: a bipartite matching (Kuhn's augmenting paths; at most 18 skills).
 */
import { SKILL_IDS, type Skill } from '../content/types';
import type { CharacterContext } from './context';
import { effectsOf } from './context';

export interface SkillSlot {
  readonly source: string;
  readonly from: ReadonlySet<Skill>;
  /** A fixed grant (one given skill) rather than a choice. */
  readonly fixed: boolean;
}

const ALL_SKILLS: ReadonlySet<Skill> = new Set(SKILL_IDS);

function repeat(n: number, slot: SkillSlot): SkillSlot[] {
  return Array.from({ length: Math.max(0, n) }, () => slot);
}

export function skillSlots(ctx: CharacterContext): SkillSlot[] {
  const slots: SkillSlot[] = [];
  const seen = new Set<string>();
  for (const rc of ctx.classes) {
    if (seen.has(rc.cls.id)) continue;
    seen.add(rc.cls.id);
    const from = new Set(rc.cls.skillChoices.from.length ? rc.cls.skillChoices.from : ALL_SKILLS);
    const count = rc.index === 0 ? rc.cls.skillChoices.count : rc.cls.multiclass.skills;
    slots.push(...repeat(count, { source: rc.cls.id, from, fixed: false }));
  }
  for (const s of ctx.background?.skills ?? [])
    slots.push({ source: ctx.background?.id ?? '', from: new Set([s]), fixed: true });
  for (const { source, effect, times } of effectsOf(ctx, 'skill-proficiency')) {
    for (const s of effect.skills) slots.push(...repeat(times, { source, from: new Set([s]), fixed: true }));
  }
  for (const { source, effect, times } of effectsOf(ctx, 'skill-choice')) {
    slots.push(...repeat(effect.count * times, { source, from: new Set(effect.from), fixed: false }));
  }
  return slots;
}

/** Skills granted outright: matched first by repair so that they are the last to be dropped. */
export function fixedSkills(slots: readonly SkillSlot[]): Set<Skill> {
  return new Set(slots.filter((s) => s.fixed).flatMap((s) => [...s.from]));
}

/** Distinct skills, fixed grants first, then the others in build order (the order repair keeps them in). */
export function prioritised(skills: readonly Skill[], slots: readonly SkillSlot[]): Skill[] {
  const fixed = fixedSkills(slots);
  const distinct = [...new Set(skills)];
  return [...distinct.filter((s) => fixed.has(s)), ...distinct.filter((s) => !fixed.has(s))];
}

/**
 * Match skills (in priority order; an earlier skill, once matched, stays matched) to distinct slots.
 * Returns the skills that found no slot.
 */
export function unmatchedSkills(skills: readonly Skill[], slots: readonly SkillSlot[]): Skill[] {
  const owner: (Skill | undefined)[] = slots.map(() => undefined);
  const slotOf = new Map<Skill, number>();
  const tryAssign = (skill: Skill, visited: Set<number>): boolean => {
    for (let i = 0; i < slots.length; i++) {
      if (visited.has(i) || !slots[i]?.from.has(skill)) continue;
      visited.add(i);
      const current = owner[i];
      if (current === undefined || tryAssign(current, visited)) {
        owner[i] = skill;
        slotOf.set(skill, i);
        return true;
      }
    }
    return false;
  };
  return skills.filter((skill) => !tryAssign(skill, new Set()));
}

export function describeSlots(slots: readonly SkillSlot[]): string {
  const counts = new Map<string, number>();
  for (const s of slots) counts.set(s.source, (counts.get(s.source) ?? 0) + 1);
  return counts.size ? [...counts].map(([source, n]) => `${source} ${n}`).join(', ') : 'no sources';
}

export function expertiseAllowance(ctx: CharacterContext): number {
  return effectsOf(ctx, 'expertise').reduce((sum, { effect, times }) => sum + effect.count * times, 0);
}
