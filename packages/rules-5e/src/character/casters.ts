/** Which classes cast spells at their current level, and what each could cast alone. */
import type { Ability, Ruleset } from '../content/types';
import { casterLevelContribution, multiclassSlots, NO_SLOTS, PACT_MAGIC_SLOTS } from '../tables/spell-slots';
import type { ResolvedClass } from './context';

export interface CasterInfo {
  readonly rc: ResolvedClass;
  readonly kind: 'full' | 'half' | 'third' | 'pact';
  readonly ability: Ability;
  /** Slots of levels 1–9 from this class's own table (zeros for pact). */
  readonly ownSlots: readonly number[];
  readonly pactSlots: { readonly count: number; readonly level: number } | null;
  readonly maxSpellLevel: number;
}

/** Spellcasting of a class (or its subclass), or null when it has none at its level. */
export function casterInfo(rc: ResolvedClass, ruleset: Ruleset): CasterInfo | null {
  const own = rc.cls.spellcasting;
  const sub = rc.subclass?.spellcasting ?? null;
  const kind = own && own.kind !== 'none' ? own.kind : sub && sub.kind !== 'none' ? sub.kind : null;
  const ability = own && own.kind !== 'none' ? own.ability : sub?.ability;
  if (kind === null || ability === undefined) return null;
  // 2014: half casters (Paladin, Ranger) gain Spellcasting at level 2.
  const startsAt = Math.max(own?.startsAt ?? 1, ruleset === '2014' && kind === 'half' ? 2 : 1);
  if (rc.level < startsAt) return null;
  if (kind === 'pact') {
    const pact = rc.row?.pactSlots ?? PACT_MAGIC_SLOTS[rc.level - 1] ?? null;
    return { rc, kind, ability, ownSlots: NO_SLOTS, pactSlots: pact, maxSpellLevel: pact?.level ?? 0 };
  }
  const rowSlots = rc.row?.slots ?? NO_SLOTS;
  const ownSlots = rowSlots.some((n) => n > 0)
    ? rowSlots
    : multiclassSlots(casterLevelContribution(kind, rc.level, ruleset));
  return { rc, kind, ability, ownSlots, pactSlots: null, maxSpellLevel: highestSlot(ownSlots) };
}

export function highestSlot(slots: readonly number[]): number {
  let max = 0;
  slots.forEach((n, i) => {
    if (n > 0) max = i + 1;
  });
  return max;
}

export function casters(classes: readonly ResolvedClass[], ruleset: Ruleset): CasterInfo[] {
  return classes.flatMap((rc) => casterInfo(rc, ruleset) ?? []);
}
