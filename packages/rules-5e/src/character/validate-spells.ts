/** Spell choices: class present and casting, ids known, on list, castable, within the class table's limits. */
import type { SpellChoice } from '../build';
import type { CharacterContext } from './context';
import { casterInfo, type CasterInfo } from './casters';
import { alwaysPrepared } from './derive-spellcasting';
import { pointer, type IssueList } from './issues';
import { spellLimits, spellProblem } from './rules';

export function validateSpells(ctx: CharacterContext, issues: IssueList): void {
  const seen = new Set<string>();
  (ctx.build.spells ?? []).forEach((choice, i) => {
    const path = pointer('spells', i, 'class');
    const rc = ctx.classes.find((c) => c.cls.id === choice.class);
    if (seen.has(choice.class)) {
      issues.error(
        'duplicate-spell-class',
        path,
        `spells for class "${choice.class}" are listed twice; combine them`,
      );
      return;
    }
    seen.add(choice.class);
    if (!rc) {
      issues.error(
        'spells-class-missing',
        path,
        `spells are listed for class "${choice.class}", which is not among the build's known classes`,
      );
      return;
    }
    const info = casterInfo(rc, ctx.build.ruleset);
    if (!info) {
      if (choice.cantrips.length || choice.prepared.length) {
        issues.error(
          'spells-without-spellcasting',
          path,
          `${rc.cls.id} ${rc.level} has no Spellcasting or Pact Magic, so it can have no spells`,
        );
      }
      return;
    }
    validateList(ctx, issues, choice, i, info, 'cantrips');
    validateList(ctx, issues, choice, i, info, 'prepared');
  });
}

function validateList(
  ctx: CharacterContext,
  issues: IssueList,
  choice: SpellChoice,
  i: number,
  info: CasterInfo,
  list: 'cantrips' | 'prepared',
): void {
  const ids = choice[list];
  const onList = ctx.content.spellLists.get(info.rc.cls.id);
  // Subclass spells that are always prepared may be listed; they need no class-list entry and are not counted.
  const always = list === 'prepared' ? alwaysPrepared(info.rc) : [];
  ids.forEach((id, j) => {
    const path = pointer('spells', i, list, j);
    const spell = ctx.content.spells.get(id);
    if (!spell) return issues.error('unknown-spell', path, `spell "${id}" is not a known spell id`);
    if (ids.indexOf(id) !== j)
      return issues.error('duplicate-spell', path, `spell "${id}" is listed twice in ${list}`);
    if (always.includes(id)) return;
    const problem = spellProblem(spell, list, info, onList);
    if (problem) issues.error(problem.code, path, `spell "${id}" ${problem.reason}`);
  });
  const limit = spellLimits(info.rc)[list];
  const counted = ids.filter((id) => !always.includes(id)).length;
  if (counted > limit) {
    const what = list === 'cantrips' ? 'cantrips' : 'prepared spells';
    issues.error(
      `too-many-${list}`,
      pointer('spells', i, list),
      `${counted} ${what} for ${info.rc.cls.id} ${info.rc.level}, the class table allows ${limit}`,
    );
  }
}
