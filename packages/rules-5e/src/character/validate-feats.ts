/** Feat ids, prerequisites and duplicates (errors); feats beyond their sources (warnings). */
import type { CharacterContext } from './context';
import { classFeatureCounts } from './context';
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
  checkFeatSources(ctx, issues);
}

/** Class features that each grant one feat; the Human's Versatile trait grants an Origin feat. */
const FEAT_FEATURES = ['ability-score-improvement', 'fighting-style', 'epic-boon'] as const;
const FEAT_TRAITS = ['versatile'] as const;

function featSources(ctx: CharacterContext): { total: number; sources: string[] } {
  const sources: string[] = [];
  let total = 0;
  const add = (source: string, n: number): void => {
    if (n <= 0) return;
    total += n;
    sources.push(`${source} ${n}`);
  };
  if (ctx.background) add(ctx.background.id, 1);
  for (const t of ctx.species?.traits ?? [])
    if ((FEAT_TRAITS as readonly string[]).includes(t.id)) add(t.id, 1);
  for (const rc of ctx.classes) {
    const counts = classFeatureCounts(rc.cls, rc.level);
    for (const f of FEAT_FEATURES) add(`${rc.cls.id} ${f}`, counts.get(f) ?? 0);
  }
  return { total, sources };
}

/**
 * Warnings only: the count of feats against the features that grant them (a build may list fewer), and the
 * background's origin feat missing from the list.
 */
export function checkFeatSources(ctx: CharacterContext, issues: IssueList): void {
  const { feats } = ctx.build;
  const { total, sources } = featSources(ctx);
  if (feats.length > total) {
    const from = sources.length ? sources.join(', ') : 'no sources';
    issues.warning(
      'too-many-feats',
      pointer('feats'),
      `${feats.length} feats but the sources grant ${total} (${from})`,
    );
  }
  const bg = ctx.background;
  if (bg && !feats.includes(bg.feat)) {
    issues.warning(
      'missing-background-feat',
      pointer('feats'),
      `background ${bg.id} grants feat "${bg.feat}", which is not listed`,
    );
  }
}
