/** Skill proficiencies against their sources; expertise against proficiency and grants. */
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import {
  describeSlots,
  expertiseAllowance,
  fixedSkills,
  prioritised,
  skillSlots,
  unmatchedSkills,
} from './skill-sources';

export function validateSkills(ctx: CharacterContext, issues: IssueList): void {
  const { skills, expertise } = ctx.build;
  skills.forEach((s, i) => {
    if (skills.indexOf(s) !== i)
      issues.error('duplicate-skill', pointer('skills', i), `skill "${s}" is listed twice`);
  });
  const slots = skillSlots(ctx);
  const ordered = prioritised(skills, slots);
  const unmatched = unmatchedSkills(ordered, slots);
  if (ordered.length > slots.length) {
    const message = `${ordered.length} skill proficiencies but the sources grant ${slots.length} (${describeSlots(slots)})`;
    issues.error('too-many-skills', pointer('skills'), message);
  } else {
    for (const s of unmatched) {
      const message = `skill "${s}" is not offered by any source left free (${describeSlots(slots)})`;
      issues.error('skill-without-source', pointer('skills', skills.indexOf(s)), message);
    }
  }
  for (const s of fixedSkills(slots)) {
    if (!skills.includes(s))
      issues.warning('missing-granted-skill', pointer('skills'), `skill "${s}" is granted but not listed`);
  }
  expertise.forEach((s, i) => {
    const path = pointer('expertise', i);
    if (expertise.indexOf(s) !== i)
      issues.error('duplicate-expertise', path, `expertise "${s}" is listed twice`);
    else if (!skills.includes(s))
      issues.error('expertise-not-proficient', path, `expertise in "${s}" needs proficiency in it`);
  });
  const granted = expertiseAllowance(ctx);
  const distinctExpertise = new Set(expertise).size;
  if (distinctExpertise > granted) {
    issues.error(
      'too-much-expertise',
      pointer('expertise'),
      `${distinctExpertise} expertise choices but features grant ${granted}`,
    );
  }
}
