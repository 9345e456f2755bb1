/** Feat ids, prerequisites and duplicates. */
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import { unmetFeatPrerequisite } from './rules';

export function validateFeats(ctx: CharacterContext, issues: IssueList): void {
  const seen = new Set<string>();
  ctx.build.feats.forEach((id, i) => {
    const path = pointer('feats', i);
    const feat = ctx.content.feats.get(id);
    if (!feat) {
      issues.error('unknown-feat', path, `feat "${id}" is not a known feat id`);
      return;
    }
    if (seen.has(id) && !feat.repeatable)
      issues.error('duplicate-feat', path, `feat "${id}" is not repeatable but is taken again`);
    seen.add(id);
    const unmet = unmetFeatPrerequisite(feat, ctx);
    if (unmet) issues.error('feat-prerequisite', path, `feat "${id}" prerequisite not met: ${unmet}`);
  });
}
