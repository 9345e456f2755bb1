/** Repair spell choices: drop classes without casting, merge duplicates, fix ids, drop illegal and excess spells. */
import type { Build, SpellChoice } from '../build';
import type { Content } from '../content/index';
import { buildContext, type CharacterContext } from './context';
import { casterInfo, type CasterInfo } from './casters';
import { closestId } from './closest-id';
import { pointer } from './issues';
import { resolveId, type RepairLog } from './repair-log';
import { spellLimits, spellProblem } from './rules';

function mergeChoices(choices: readonly SpellChoice[], log: RepairLog): SpellChoice[] {
  const out: SpellChoice[] = [];
  choices.forEach((choice, i) => {
    const first = out.find((c) => c.class === choice.class);
    if (!first)
      return void out.push({ ...choice, cantrips: [...choice.cantrips], prepared: [...choice.prepared] });
    log.change(
      pointer('spells', i),
      choice.class,
      null,
      `spells for "${choice.class}" listed twice; merged into the first entry`,
    );
    first.cantrips.push(...choice.cantrips);
    first.prepared.push(...choice.prepared);
  });
  return out;
}

function repairList(
  ctx: CharacterContext,
  info: CasterInfo,
  ids: readonly string[],
  base: string,
  list: 'cantrips' | 'prepared',
  log: RepairLog,
): string[] {
  const { content } = ctx;
  const onList = content.spellLists.get(info.rc.cls.id);
  const out: string[] = [];
  const fits = (id: string): boolean => {
    const spell = content.spells.get(id);
    return spell !== undefined && spellProblem(spell, list, info, onList) === null;
  };
  // A known spell (by id or by exact normalised name) is kept and checked below; else the closest spell that fits.
  const resolve = (raw: string, path: string): string | undefined => {
    if (content.spells.has(raw)) return raw;
    const same = closestId(raw, content.spells, undefined, 0);
    if (same) {
      log.change(path, raw, same, `spell "${raw}" written as its id "${same}"`);
      return same;
    }
    return resolveId(log, path, raw, content.spells, `spell for ${info.rc.cls.id} ${list}`, { allow: fits });
  };
  ids.forEach((raw, j) => {
    const path = `${base}/${j}`;
    const id = resolve(raw, path);
    const spell = id === undefined ? undefined : content.spells.get(id);
    if (!spell) {
      const why = `unknown spell "${raw}" has no close match on the ${info.rc.cls.id} list; removed`;
      return log.change(path, raw, null, why);
    }
    const problem = spellProblem(spell, list, info, onList);
    if (problem) return log.change(path, spell.id, null, `spell "${spell.id}" ${problem.reason}; removed`);
    if (out.includes(spell.id))
      return log.change(path, spell.id, null, `spell "${spell.id}" listed twice; duplicate removed`);
    out.push(spell.id);
  });
  const limit = spellLimits(info.rc)[list];
  if (out.length > limit) {
    log.change(
      base,
      out.slice(limit),
      null,
      `the ${info.rc.cls.id} table allows ${limit} ${list}; the last ones were removed`,
    );
  }
  return out.slice(0, limit);
}

export function repairSpells(b: Build, content: Content, log: RepairLog): Build {
  if (!b.spells) return b;
  const ctx = buildContext(b, content);
  const spells: SpellChoice[] = [];
  mergeChoices(b.spells, log).forEach((choice) => {
    const i = spells.length;
    const rc = ctx.classes.find((c) => c.cls.id === choice.class);
    const info = rc && casterInfo(rc, b.ruleset);
    if (!info) {
      const why = rc
        ? `${rc.cls.id} ${rc.level} has no Spellcasting or Pact Magic`
        : `class "${choice.class}" is not in the build`;
      return log.change(pointer('spells', i), choice, null, `${why}; its spells were removed`);
    }
    spells.push({
      class: choice.class,
      cantrips: repairList(ctx, info, choice.cantrips, pointer('spells', i, 'cantrips'), 'cantrips', log),
      prepared: repairList(ctx, info, choice.prepared, pointer('spells', i, 'prepared'), 'prepared', log),
    });
  });
  return { ...b, spells };
}
