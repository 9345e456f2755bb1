/** Armor and weapon proficiencies: the starting class in full, later classes' multiclass grants, and effects. */
import type { Armor, Weapon } from '../content/types';
import type { CharacterContext } from './context';
import { effectsOf } from './context';

type ArmorType = Armor['armorType'];

export function armorProficiencies(ctx: CharacterContext): Set<ArmorType> {
  const out = new Set<ArmorType>();
  for (const rc of ctx.classes) {
    const list = rc.index === 0 ? rc.cls.armorProficiencies : rc.cls.multiclass.armorProficiencies;
    for (const a of list) out.add(a);
  }
  for (const { effect } of effectsOf(ctx, 'armor-proficiency')) for (const a of effect.armor) out.add(a);
  return out;
}

function weaponGrants(ctx: CharacterContext): string[] {
  const out: string[] = [];
  for (const rc of ctx.classes) {
    out.push(...(rc.index === 0 ? rc.cls.weaponProficiencies : rc.cls.multiclass.weaponProficiencies));
  }
  for (const { effect } of effectsOf(ctx, 'weapon-proficiency')) out.push(...effect.weapons);
  return out;
}

/**
 * A grant is a weapon id, a category (`simple`, `martial`), or a category narrowed by properties joined with
 * `-or-`, e.g. `martial-finesse-or-light` (martial weapons that have Finesse or Light).
 */
export function grantCovers(grant: string, weapon: Weapon): boolean {
  const g = grant
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/-weapons?$/, '');
  if (g === weapon.id || g === weapon.category) return true;
  if (!g.startsWith(`${weapon.category}-`)) return false;
  const props = g.slice(weapon.category.length + 1).split('-or-');
  return props.some((p) => (weapon.properties as readonly string[]).includes(p));
}

export function isWeaponProficient(ctx: CharacterContext, weapon: Weapon): boolean {
  return weaponGrants(ctx).some((g) => grantCovers(g, weapon));
}
