/** Class ids, levels, subclasses and multiclass prerequisites. */
import { MAX_CHARACTER_LEVEL } from '../tables/advancement';
import type { CharacterContext } from './context';
import { totalLevel } from './context';
import { pointer, type IssueList } from './issues';
import { describePrerequisite, meetsMulticlassPrerequisite } from './rules';

export function validateClasses(ctx: CharacterContext, issues: IssueList): void {
  const { build, content } = ctx;
  const seen = new Set<string>();
  build.classes.forEach((entry, i) => {
    if (!content.classes.has(entry.class)) {
      issues.error(
        'unknown-class',
        pointer('classes', i, 'class'),
        `class "${entry.class}" is not a known class id`,
      );
    } else if (seen.has(entry.class)) {
      issues.error(
        'duplicate-class',
        pointer('classes', i, 'class'),
        `class "${entry.class}" is listed more than once; combine its levels into one entry`,
      );
    }
    seen.add(entry.class);
    if (entry.level < 1)
      issues.error(
        'class-level-too-low',
        pointer('classes', i, 'level'),
        `class level ${entry.level} is below 1`,
      );
    validateSubclass(ctx, issues, i);
  });
  const total = totalLevel(build.classes);
  if (total > MAX_CHARACTER_LEVEL) {
    issues.error(
      'level-too-high',
      pointer('classes'),
      `total character level ${total} is above ${MAX_CHARACTER_LEVEL}`,
    );
  }
  validateMulticlass(ctx, issues);
}

function validateSubclass(ctx: CharacterContext, issues: IssueList, i: number): void {
  const entry = ctx.build.classes[i];
  const cls = entry && ctx.content.classes.get(entry.class);
  if (!entry || entry.subclass === undefined || !cls) return;
  const path = pointer('classes', i, 'subclass');
  const sub = ctx.content.subclasses.get(entry.subclass);
  if (!sub) issues.error('unknown-subclass', path, `subclass "${entry.subclass}" is not a known subclass id`);
  else if (sub.class !== cls.id)
    issues.error('subclass-wrong-class', path, `subclass "${sub.id}" belongs to ${sub.class}, not ${cls.id}`);
  else if (entry.level < cls.subclassLevel) {
    issues.error(
      'subclass-too-early',
      path,
      `subclass "${sub.id}" needs ${cls.id} level ${cls.subclassLevel} (has ${entry.level})`,
    );
  }
}

function validateMulticlass(ctx: CharacterContext, issues: IssueList): void {
  const known = ctx.classes.filter((rc, i, all) => all.findIndex((o) => o.cls.id === rc.cls.id) === i);
  if (known.length < 2) return;
  for (const rc of known) {
    if (meetsMulticlassPrerequisite(rc.cls, ctx.build.abilityScores)) continue;
    issues.error(
      'multiclass-prerequisite',
      pointer('classes', rc.index, 'class'),
      `multiclassing with ${rc.cls.id} needs ${describePrerequisite(rc.cls)} (abilityScores too low)`,
    );
  }
}
