/** Repair granted spells: drop entries without a held grant, fix the list, drop illegal and excess spells. */
import type { Build, GrantedSpells } from '../build';
import type { Content } from '../content/index';
import { buildContext, type CharacterContext } from './context';
import { closestId } from './closest-id';
import {
  defaultList,
  entryList,
  findGrant,
  grantedSpellProblem,
  grantLimit,
  listProblem,
  type Grant,
  type GrantedKind,
} from './granted';
import { pointer } from './issues';
import type { RepairLog } from './repair-log';

function repairIds(
  ctx: CharacterContext,
  grant: Grant,
  list: string | undefined,
  ids: readonly string[],
  base: string,
  kind: GrantedKind,
  log: RepairLog,
): string[] {
  const { content } = ctx;
  const out: string[] = [];
  ids.forEach((raw, j) => {
    const path = `${base}/${j}`;
    // Only an exact id or an exact normalised name is accepted: a fuzzy guess could pick a spell not granted.
    const id = content.spells.has(raw) ? raw : closestId(raw, content.spells, undefined, 0);
    if (id !== undefined && id !== raw) log.change(path, raw, id, `spell "${raw}" written as its id "${id}"`);
    const spell = id === undefined ? undefined : content.spells.get(id);
    if (!spell) return log.change(path, raw, null, `unknown spell "${raw}"; removed`);
    const problem = grantedSpellProblem(ctx, spell, kind, grant, list);
    if (problem) return log.change(path, spell.id, null, `spell "${spell.id}" ${problem.reason}; removed`);
    if (out.includes(spell.id))
      return log.change(path, spell.id, null, `spell "${spell.id}" listed twice; duplicate removed`);
    out.push(spell.id);
  });
  const limit = grantLimit(grant, kind, ctx.level);
  if (out.length > limit) {
    const why = `${grant.source.kind} "${grant.source.id}" grants ${limit} ${kind}; the last ones were removed`;
    log.change(base, out.slice(limit), null, why);
  }
  return out.slice(0, limit);
}

/** The entry's list made legal: kept when fine, dropped for named-spell grants, else the default or first offer. */
function repairList(
  ctx: CharacterContext,
  entry: GrantedSpells,
  grant: Grant,
  path: string,
  log: RepairLog,
): { list: string | undefined; keep: boolean; drop?: true } {
  const list = entryList(ctx, entry);
  if (!listProblem(grant, list)) return { list, keep: true };
  if (grant.spellIds) {
    log.change(path, entry.list, null, `${grant.source.id} names its spells; the list was removed`);
    return { list: undefined, keep: false };
  }
  const fallback = defaultList(ctx, entry.source);
  const to = fallback !== undefined && grant.lists.includes(fallback) ? fallback : grant.lists[0];
  if (to === undefined) return { list: undefined, keep: false, drop: true };
  log.change(path, entry.list ?? null, to, `list for ${grant.source.id} set to an offered list`);
  return { list: to, keep: true };
}

export function repairGrantedSpells(b: Build, content: Content, log: RepairLog): Build {
  if (!b.grantedSpells) return b;
  const ctx = buildContext(b, content);
  const used = new Map<string, number>();
  const out: GrantedSpells[] = [];
  b.grantedSpells.forEach((entry, i) => {
    const { kind, id } = entry.source;
    const grant = findGrant(ctx, entry.source);
    const key = `${kind}:${id}`;
    const n = (used.get(key) ?? 0) + 1;
    if (!grant || n > grant.times) {
      const why = grant ? `more entries than times held` : `not held by the build or grants no spells`;
      return log.change(pointer('grantedSpells', i), entry, null, `${kind} "${id}" ${why}; entry removed`);
    }
    used.set(key, n);
    const j = out.length;
    const { list, keep, drop } = repairList(ctx, entry, grant, pointer('grantedSpells', j, 'list'), log);
    if (drop) {
      const why = `${kind} "${id}" draws from a class list but no offered list exists in content; entry removed`;
      return log.change(pointer('grantedSpells', i), entry, null, why);
    }
    const next: GrantedSpells = {
      source: { kind, id },
      // An explicit list stays explicit; a list equal to the background default stays implicit.
      ...(keep && list !== undefined && (entry.list !== undefined || list !== defaultList(ctx, entry.source))
        ? { list }
        : {}),
      ...(entry.ability === undefined ? {} : { ability: entry.ability }),
      cantrips: repairIds(
        ctx,
        grant,
        list,
        entry.cantrips,
        pointer('grantedSpells', j, 'cantrips'),
        'cantrips',
        log,
      ),
      spells: repairIds(ctx, grant, list, entry.spells, pointer('grantedSpells', j, 'spells'), 'spells', log),
    };
    out.push(next);
  });
  return { ...b, grantedSpells: out };
}
