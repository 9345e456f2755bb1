/**
 * Spellcasting per class (ability, save DC 8 + PB + mod, attack PB + mod, cantrips and prepared from the class
 * table) and the shared slot pool: one spellcasting class uses its own table; several use the multiclass table
 * on the summed caster level (full + half rounded up in 2024 / down in 2014 + third rounded down). Pact Magic is
 * a separate pool.
 */
import { casterLevelContribution, multiclassSlots, NO_SLOTS } from '../tables/spell-slots';
import type { CharacterContext, ResolvedClass } from './context';
import { casters, type CasterInfo } from './casters';
import { equippedItemBonus } from './derive-abilities';
import { explain, part } from './explained';
import { entryList, findGrant } from './granted';
import type { GrantedSpells } from '../build';
import type { Ability } from '../content/types';
import type { ClassSpellcasting, GrantedSpellcasting, SpellcastingSummary } from './types';

const MENTAL: readonly Ability[] = ['int', 'wis', 'cha'];

/** The chosen ability, else the list class's spellcasting ability, else the best of Int/Wis/Cha. */
function grantedAbility(ctx: CharacterContext, entry: GrantedSpells, list: string | undefined): Ability {
  if (entry.ability) return entry.ability;
  const sc = list === undefined ? null : ctx.content.classes.get(list)?.spellcasting;
  if (sc && sc.kind !== 'none') return sc.ability;
  return MENTAL.reduce((best, a) => (ctx.mods[a] > ctx.mods[best] ? a : best));
}

function grantedEntries(ctx: CharacterContext): GrantedSpellcasting[] {
  return (ctx.build.grantedSpells ?? []).flatMap((entry) => {
    const grant = findGrant(ctx, entry.source);
    if (!grant) return [];
    const list = grant.spellIds ? undefined : entryList(ctx, entry);
    const ability = grantedAbility(ctx, entry, list);
    const mod = part(ability, ctx.mods[ability]);
    const pb = part('proficiency', ctx.proficiencyBonus);
    return [
      {
        source: { ...entry.source },
        list: list ?? null,
        ability,
        saveDC: explain([part('base', 8), pb, mod]),
        attackBonus: explain([pb, mod]),
        cantrips: [...entry.cantrips],
        spells: [...entry.spells],
      },
    ];
  });
}

function classEntry(ctx: CharacterContext, info: CasterInfo): ClassSpellcasting {
  const mod = part(info.ability, ctx.mods[info.ability]);
  const pb = part('proficiency', ctx.proficiencyBonus);
  return {
    class: info.rc.cls.id,
    kind: info.kind,
    ability: info.ability,
    saveDC: explain([part('base', 8), pb, mod, ...equippedItemBonus(ctx, 'spellDc')]),
    attackBonus: explain([pb, mod, ...equippedItemBonus(ctx, 'spellAttack')]),
    cantrips: info.rc.row?.cantrips ?? 0,
    prepared: info.rc.row?.prepared ?? 0,
    maxSpellLevel: info.maxSpellLevel,
    alwaysPrepared: alwaysPrepared(info.rc),
  };
}

/** Spell ids a class's subclass features keep always prepared at its current level. */
export function alwaysPrepared(rc: ResolvedClass): string[] {
  const out: string[] = [];
  for (const f of rc.subclass?.features ?? []) {
    if (f.level > rc.level) continue;
    for (const e of f.effects) {
      if (e.type !== 'always-prepared') continue;
      for (const row of e.spells)
        if (row.level <= rc.level) for (const id of row.ids) if (!out.includes(id)) out.push(id);
    }
  }
  return out;
}

export function deriveSpellcasting(ctx: CharacterContext): SpellcastingSummary {
  const all = casters(ctx.classes, ctx.build.ruleset);
  const slotCasters = all.filter((c) => c.kind !== 'pact');
  const pact = all.find((c) => c.kind === 'pact')?.pactSlots ?? null;
  const classes = all.map((c) => classEntry(ctx, c));
  const base = { pactSlots: pact ? { ...pact } : null, classes, granted: grantedEntries(ctx) };
  const single = slotCasters.length === 1 ? slotCasters[0] : undefined;
  if (single) return { ...base, slots: [...single.ownSlots], slotTable: 'class', casterLevel: null };
  if (slotCasters.length === 0)
    return { ...base, slots: [...NO_SLOTS], slotTable: 'none', casterLevel: null };
  const casterLevel = explain(
    slotCasters.map((c) =>
      part(
        c.rc.cls.id,
        casterLevelContribution(c.kind as 'full' | 'half' | 'third', c.rc.level, ctx.build.ruleset),
      ),
    ),
  );
  return { ...base, slots: [...multiclassSlots(casterLevel.value)], slotTable: 'multiclass', casterLevel };
}
