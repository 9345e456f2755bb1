/** Skill proficiencies against their sources; expertise against proficiency and grants. */
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import { expertiseAllowance, skillAllowance } from './rules';

export function validateSkills(ctx: CharacterContext, issues: IssueList): void {
  const { skills, expertise } = ctx.build;
  skills.forEach((s, i) => {
    if (skills.indexOf(s) !== i)
      issues.error('duplicate-skill', pointer('skills', i), `skill "${s}" is listed twice`);
  });
  const allowed = skillAllowance(ctx);
  const distinct = new Set(skills).size;
  if (distinct > allowed.total) {
    const from = allowed.sources.length ? allowed.sources.join(', ') : 'no sources';
    issues.error(
      'too-many-skills',
      pointer('skills'),
      `${distinct} skill proficiencies but the sources grant ${allowed.total} (${from})`,
    );
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
