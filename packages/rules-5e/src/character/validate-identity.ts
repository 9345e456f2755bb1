/** Species, lineage, size and background. */
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';

export function validateIdentity(ctx: CharacterContext, issues: IssueList): void {
  const { build, species } = ctx;
  if (!species) {
    issues.error(
      'unknown-species',
      pointer('species'),
      `species "${build.species}" is not a known species id`,
    );
  } else {
    validateLineage(ctx, issues);
    if (build.size !== undefined && !species.sizes.includes(build.size)) {
      issues.error(
        'invalid-size',
        pointer('size'),
        `size "${build.size}" is not allowed for ${species.id} (allowed: ${species.sizes.join(', ')})`,
      );
    }
  }
  if (!ctx.background) {
    issues.error(
      'unknown-background',
      pointer('background'),
      `background "${build.background}" is not a known background id`,
    );
  }
}

function validateLineage(ctx: CharacterContext, issues: IssueList): void {
  const { build, species } = ctx;
  if (!species) return;
  if (build.lineage === undefined) {
    if (species.lineages.length > 0) {
      issues.warning(
        'missing-lineage',
        pointer('lineage'),
        `lineage is not chosen; ${species.id} offers ${species.lineages.map((l) => l.id).join(', ')}`,
      );
    }
    return;
  }
  if (!ctx.lineage) {
    const known = ctx.content.lineageOf.get(build.lineage);
    const why = known ? `belongs to ${known}, not ${species.id}` : 'is not a known lineage id';
    issues.error('unknown-lineage', pointer('lineage'), `lineage "${build.lineage}" ${why}`);
  }
}
