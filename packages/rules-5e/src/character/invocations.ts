/**
 * Eldritch Invocations and Mystic Arcanum (build fields `invocations`, `mysticArcanum`): how many the Warlock
 * level allows, what each needs, and the validate and repair steps. Pure.
 */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { INVOCATIONS, MYSTIC_ARCANUM, type Invocation } from '../tables/invocations';
import type { CharacterContext } from './context';
import { pointer, type IssueList } from './issues';
import { normalizeId } from './closest-id';
import type { RepairLog } from './repair-log';

const BY_ID = new Map(INVOCATIONS.map((i) => [i.id, i]));
/** Invocations by normalised id and name ("Devil's Sight", "devils-sight" → devils-sight). */
const BY_KEY = new Map(
  INVOCATIONS.flatMap((i) => [[normalizeId(i.id), i] as const, [normalizeId(i.name), i] as const]),
);

export function warlockLevel(build: Build): number {
  return build.classes.filter((c) => c.class === 'warlock').reduce((n, c) => n + c.level, 0);
}

/** Invocations the Warlock table allows at this Warlock level (its `invocations` column). */
export function invocationSlots(content: Content, level: number): number {
  if (level <= 0) return 0;
  const row = content.classes.get('warlock')?.levels.find((r) => r.level === Math.min(20, level));
  const v = row?.columns['invocations'];
  return typeof v === 'number' ? v : 0;
}

/** Spell levels of the Mystic Arcanum this Warlock level has (6 at 11, 7 at 13, 8 at 15, 9 at 17). */
export function arcanumLevels(level: number): number[] {
  return MYSTIC_ARCANUM.filter((m) => m.warlockLevel <= level).map((m) => m.spellLevel);
}

function hasDamagingCantrip(build: Build, content: Content): boolean {
  const list = build.spells?.find((s) => s.class === 'warlock');
  return (list?.cantrips ?? []).some((id) => (content.spells.get(id)?.damage ?? null) !== null);
}

/** Why an invocation cannot be taken (given the others chosen), or null. */
export function invocationProblem(
  inv: Invocation,
  level: number,
  chosen: readonly string[],
  build: Build,
  content: Content,
): string | null {
  if (inv.level > level) return `needs Warlock level ${inv.level} (this warlock is level ${level})`;
  if (inv.requires && !chosen.includes(inv.requires))
    return `needs the ${BY_ID.get(inv.requires)?.name ?? inv.requires} invocation`;
  if (inv.damagingCantrip && !hasDamagingCantrip(build, content))
    return 'needs a Warlock cantrip that deals damage';
  return null;
}

export function validateInvocations(ctx: CharacterContext, issues: IssueList): void {
  const { build, content } = ctx;
  const level = warlockLevel(build);
  const chosen = build.invocations ?? [];
  const slots = invocationSlots(content, level);
  chosen.forEach((id, i) => {
    const path = pointer('invocations', i);
    const inv = BY_ID.get(id);
    if (!inv)
      return issues.error('unknown-invocation', path, `invocation "${id}" is not a known invocation id`);
    if (!inv.repeatable && chosen.indexOf(id) !== i)
      return issues.error(
        'duplicate-invocation',
        path,
        `invocation "${id}" is not repeatable but is taken again`,
      );
    const problem = invocationProblem(inv, level, chosen, build, content);
    if (problem) issues.error('invocation-prerequisite', path, `invocation "${id}" ${problem}`);
  });
  if (chosen.length > slots)
    issues.error(
      'too-many-invocations',
      pointer('invocations'),
      `${chosen.length} invocations but Warlock level ${level} allows ${slots}`,
    );
  const arcanum = build.mysticArcanum ?? [];
  const levels = arcanumLevels(level);
  const onList = content.spellLists.get('warlock');
  arcanum.forEach((id, i) => {
    const path = pointer('mysticArcanum', i);
    const spell = content.spells.get(id);
    if (!spell) return issues.error('unknown-spell', path, `spell "${id}" is not a known spell id`);
    if (!levels.includes(spell.level))
      return issues.error(
        'arcanum-level',
        path,
        `spell "${id}" is level ${spell.level}; Mystic Arcanum at Warlock level ${level} takes levels ${levels.join(', ') || 'none'}`,
      );
    if (arcanum.findIndex((x) => content.spells.get(x)?.level === spell.level) !== i)
      return issues.error(
        'arcanum-level',
        path,
        `a second level-${spell.level} Mystic Arcanum; one per spell level`,
      );
    if (!onList?.has(id))
      issues.error('spell-off-list', path, `spell "${id}" is not on the warlock spell list`);
  });
}

/** Drop unknown, duplicate, unmet and extra invocations and wrong arcanum spells; fill open slots in table order. */
export function repairInvocations(b: Build, content: Content, log: RepairLog): Build {
  const level = warlockLevel(b);
  if (level === 0) {
    if (b.invocations?.length)
      log.change('/invocations', b.invocations, null, 'no Warlock levels; invocations removed');
    if (b.mysticArcanum?.length)
      log.change('/mysticArcanum', b.mysticArcanum, null, 'no Warlock levels; Mystic Arcanum removed');
    const { invocations: _i, mysticArcanum: _m, ...rest } = b;
    return rest;
  }
  const slots = invocationSlots(content, level);
  const kept: string[] = [];
  for (const [i, raw] of (b.invocations ?? []).entries()) {
    // A name instead of the id (a model's "Agonizing Blast") is written as the id.
    const named = BY_ID.has(raw) ? undefined : BY_KEY.get(normalizeId(raw));
    if (named)
      log.change(`/invocations/${i}`, raw, named.id, `invocation "${raw}" written as its id "${named.id}"`);
    const id = named?.id ?? raw;
    const inv = BY_ID.get(id);
    const problem = !inv
      ? 'is not a known invocation'
      : !inv.repeatable && kept.includes(id)
        ? 'is taken twice'
        : invocationProblem(inv, level, b.invocations ?? [], b, content);
    if (problem) log.change(`/invocations/${i}`, id, null, `invocation "${id}" ${problem}; removed`);
    else kept.push(id);
  }
  // A kept invocation whose prerequisite was removed goes too.
  const valid = kept.filter((id) => {
    const inv = BY_ID.get(id);
    return !inv?.requires || kept.includes(inv.requires);
  });
  if (valid.length > slots)
    log.change(
      '/invocations',
      valid.slice(slots),
      null,
      `Warlock level ${level} allows ${slots}; the last ones removed`,
    );
  const out = valid.slice(0, slots);
  // Open slots are filled only when the build lists invocations at all (older builds without the field stay as
  // they are).
  for (const inv of b.invocations === undefined ? [] : INVOCATIONS) {
    if (out.length >= slots) break;
    if (out.includes(inv.id) || invocationProblem(inv, level, out, b, content)) continue;
    out.push(inv.id);
    log.change(
      `/invocations/${out.length - 1}`,
      null,
      inv.id,
      `open invocation slot filled with "${inv.id}"`,
    );
  }
  const levels = arcanumLevels(level);
  const onList = content.spellLists.get('warlock');
  const arcanum: string[] = [];
  for (const [i, id] of (b.mysticArcanum ?? []).entries()) {
    const spell = content.spells.get(id);
    const ok =
      spell !== undefined &&
      levels.includes(spell.level) &&
      onList?.has(id) === true &&
      !arcanum.some((x) => content.spells.get(x)?.level === spell.level);
    if (ok) arcanum.push(id);
    else
      log.change(
        `/mysticArcanum/${i}`,
        id,
        null,
        `spell "${id}" is not an open Mystic Arcanum choice; removed`,
      );
  }
  return {
    ...b,
    ...(b.invocations === undefined ? {} : { invocations: out }),
    ...(b.mysticArcanum === undefined ? {} : { mysticArcanum: arcanum }),
  };
}
