/** Ability modifiers, proficiency bonus, level and saving throws. */
import { ABILITIES, type Ability } from '../content/types';
import type { CharacterContext } from './context';
import { effectsOf, totalLevel } from './context';
import { explain, part, type Explained } from './explained';
import type { SaveValue } from './types';

export function deriveLevel(ctx: CharacterContext): Explained {
  const parts = ctx.build.classes.map((c) => part(c.class, c.level));
  const raw = totalLevel(ctx.build.classes);
  return raw === ctx.level ? explain(parts) : explain([...parts, part('capped-to-1-20', ctx.level - raw)]);
}

export function deriveProficiencyBonus(ctx: CharacterContext): Explained {
  return explain([part(`character-level-${ctx.level}`, ctx.proficiencyBonus)]);
}

export function deriveAbilityModifiers(ctx: CharacterContext): Record<Ability, Explained> {
  return Object.fromEntries(ABILITIES.map((a) => [a, explain([part(a, ctx.mods[a])])])) as Record<
    Ability,
    Explained
  >;
}

function proficientSaves(ctx: CharacterContext): Set<Ability> {
  const saves = new Set<Ability>(ctx.classes.find((c) => c.index === 0)?.cls.savingThrows ?? []);
  for (const { effect } of effectsOf(ctx, 'save-proficiency')) for (const a of effect.abilities) saves.add(a);
  return saves;
}

/** Flat bonuses from equipped magic items (e.g. a Cloak of Protection's +1 to saves). */
export function equippedItemBonus(
  ctx: CharacterContext,
  key: 'saves' | 'spellAttack' | 'spellDc',
): { source: string; value: number }[] {
  return ctx.items.flatMap((ri) => {
    const value = ri.magic?.bonuses[key];
    return ri.entry.equipped === true && value ? [part(ri.item.id, value)] : [];
  });
}

export function deriveSavingThrows(ctx: CharacterContext): Record<Ability, SaveValue> {
  const proficient = proficientSaves(ctx);
  const itemBonus = equippedItemBonus(ctx, 'saves');
  const out = {} as Record<Ability, SaveValue>;
  for (const a of ABILITIES) {
    const isProficient = proficient.has(a);
    const parts = [
      part(a, ctx.mods[a]),
      ...(isProficient ? [part('proficiency', ctx.proficiencyBonus)] : []),
      ...itemBonus,
    ];
    const { value } = explain(parts);
    out[a] = { value, parts, proficient: isProficient };
  }
  return out;
}
