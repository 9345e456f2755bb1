/**
 * Rules for spells granted by feats, lineages and features (`grant-spells` effects), shared by validate, repair
 * and derive so that what repair fixes is exactly what validate checks. Granted spells never count against a
 * class table.
 */
import type { GrantedSpells, GrantSource } from '../build';
import type { Effect, Spell } from '../content/types';
import { effectsOf, type CharacterContext } from './context';

/**
 * Class lists a grant may draw from when its data names neither `list` nor `spellIds`. The SRD data leaves
 * Magic Initiate's lists out; the 2024 feat offers the Cleric, Druid and Wizard lists.
 */
export const DEFAULT_GRANT_LISTS: readonly string[] = ['cleric', 'druid', 'wizard'];

export type GrantEffect = Extract<Effect, { type: 'grant-spells' }>;

export interface Grant {
  readonly source: GrantSource;
  readonly effect: GrantEffect;
  /** How many times the source is held (a repeatable feat may be taken more than once). */
  readonly times: number;
  /** Spell ids the grant names (lineages, traits), or null when it draws from a class list. */
  readonly spellIds: ReadonlySet<string> | null;
  /** Class lists the grant may draw from (empty when it names its spells). */
  readonly lists: readonly string[];
}

export type GrantedKind = 'cantrips' | 'spells';

function kindOf(ctx: CharacterContext, id: string): GrantSource['kind'] {
  if (ctx.feats.some((f) => f.id === id)) return 'feat';
  if (ctx.lineage?.id === id) return 'lineage';
  return 'feature';
}

/** Every grant the build holds (active feats, lineage, species traits, class features at their level). */
export function grantsOf(ctx: CharacterContext): Grant[] {
  return effectsOf(ctx, 'grant-spells').map(({ source, effect, times }) => {
    const spellIds = effect.spellIds?.length ? new Set(effect.spellIds) : null;
    const lists = spellIds
      ? []
      : (effect.list ?? DEFAULT_GRANT_LISTS).filter((l) => ctx.content.spellLists.has(l));
    return { source: { kind: kindOf(ctx, source), id: source }, effect, times, spellIds, lists };
  });
}

export function findGrant(ctx: CharacterContext, source: GrantSource): Grant | undefined {
  return grantsOf(ctx).find((g) => g.source.kind === source.kind && g.source.id === source.id);
}

/** The class list an entry draws from: its own `list`, else the background's `featOption` for its origin feat. */
export function entryList(ctx: CharacterContext, entry: GrantedSpells): string | undefined {
  return entry.list ?? defaultList(ctx, entry.source);
}

/** The background's `featOption` when the source is its origin feat (Sage: Magic Initiate (Wizard)). */
export function defaultList(ctx: CharacterContext, source: GrantSource): string | undefined {
  const bg = ctx.background;
  return source.kind === 'feat' && bg?.feat === source.id ? bg.featOption : undefined;
}

/** Why an entry's list is wrong for its grant, or null when it is fine. */
export function listProblem(grant: Grant, list: string | undefined): { code: string; reason: string } | null {
  if (grant.spellIds) {
    if (list === undefined) return null;
    return {
      code: 'granted-list-not-allowed',
      reason: `${grant.source.id} names its spells; it takes no list`,
    };
  }
  if (list === undefined) {
    return {
      code: 'granted-list-missing',
      reason: `${grant.source.id} draws from a class list; choose one of ${grant.lists.join(', ')}`,
    };
  }
  if (!grant.lists.includes(list)) {
    return {
      code: 'granted-list-not-allowed',
      reason: `"${list}" is not a list ${grant.source.id} offers (${grant.lists.join(', ')})`,
    };
  }
  return null;
}

/** Why a spell cannot be one of a grant's cantrips/spells, or null when it may. */
export function grantedSpellProblem(
  ctx: CharacterContext,
  spell: Spell,
  kind: GrantedKind,
  grant: Grant,
  list: string | undefined,
): { code: string; reason: string } | null {
  if (kind === 'cantrips' && spell.level !== 0)
    return { code: 'spell-not-cantrip', reason: `is a level-${spell.level} spell, not a cantrip` };
  if (kind === 'spells' && spell.level === 0)
    return { code: 'cantrip-as-spell', reason: 'is a cantrip; list it under cantrips' };
  if (grant.spellIds) {
    if (!grant.spellIds.has(spell.id))
      return { code: 'spell-not-granted', reason: `is not one of the spells ${grant.source.id} grants` };
    const unlock = grant.effect.unlocks?.find((u) => u.spell === spell.id);
    if (unlock && unlock.level > ctx.level)
      return {
        code: 'granted-spell-locked',
        reason: `comes with ${grant.source.id} at character level ${unlock.level} (this character is level ${ctx.level})`,
      };
    return null;
  }
  if (list === undefined || !ctx.content.spellLists.get(list)?.has(spell.id))
    return { code: 'spell-off-list', reason: `is not on the ${list ?? 'chosen'} spell list` };
  if (spell.level > 1)
    return {
      code: 'spell-too-high',
      reason: `is level ${spell.level}; ${grant.source.id} grants level-1 spells`,
    };
  return null;
}

/** How many cantrips or spells the grant allows; spells that unlock above the character's level do not count. */
export function grantLimit(grant: Grant, kind: GrantedKind, level = 20): number {
  if (kind === 'cantrips') return grant.effect.cantrips;
  const locked = (grant.effect.unlocks ?? []).filter((u) => u.level > level).length;
  return Math.max(0, grant.effect.spells - locked);
}
