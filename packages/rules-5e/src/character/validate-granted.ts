/** Granted spells: a held source with a grant, a fitting list, known spells the grant allows, within its counts. */
import type { GrantedSpells } from '../build';
import type { CharacterContext } from './context';
import {
  entryList,
  findGrant,
  grantedSpellProblem,
  grantLimit,
  listProblem,
  type Grant,
  type GrantedKind,
} from './granted';
import { pointer, type IssueList } from './issues';

export function validateGrantedSpells(ctx: CharacterContext, issues: IssueList): void {
  const used = new Map<string, number>();
  (ctx.build.grantedSpells ?? []).forEach((entry, i) => {
    const { kind, id } = entry.source;
    const grant = findGrant(ctx, entry.source);
    if (!grant) {
      return issues.error(
        'granted-source-unknown',
        pointer('grantedSpells', i, 'source'),
        `${kind} "${id}" is not held by this build or grants no spells`,
      );
    }
    const key = `${kind}:${id}`;
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    if (n > grant.times) {
      return issues.error(
        'granted-source-repeated',
        pointer('grantedSpells', i, 'source'),
        `${kind} "${id}" is held ${grant.times} time(s) but has ${n} granted-spell entries; combine them`,
      );
    }
    const list = entryList(ctx, entry);
    const bad = listProblem(grant, list);
    if (bad) issues.error(bad.code, pointer('grantedSpells', i, 'list'), bad.reason);
    checkList(ctx, issues, entry, i, grant, list, 'cantrips');
    checkList(ctx, issues, entry, i, grant, list, 'spells');
  });
}

function checkList(
  ctx: CharacterContext,
  issues: IssueList,
  entry: GrantedSpells,
  i: number,
  grant: Grant,
  list: string | undefined,
  kind: GrantedKind,
): void {
  const ids = entry[kind];
  ids.forEach((id, j) => {
    const path = pointer('grantedSpells', i, kind, j);
    const spell = ctx.content.spells.get(id);
    if (!spell) return issues.error('unknown-spell', path, `spell "${id}" is not a known spell id`);
    if (ids.indexOf(id) !== j)
      return issues.error('duplicate-spell', path, `spell "${id}" is listed twice in ${kind}`);
    const problem = grantedSpellProblem(ctx, spell, kind, grant, list);
    if (problem) issues.error(problem.code, path, `spell "${id}" ${problem.reason}`);
  });
  const limit = grantLimit(grant, kind, ctx.level);
  if (ids.length > limit) {
    issues.error(
      `too-many-granted-${kind}`,
      pointer('grantedSpells', i, kind),
      `${ids.length} ${kind} from ${grant.source.kind} "${grant.source.id}", which grants ${limit}`,
    );
  }
}
