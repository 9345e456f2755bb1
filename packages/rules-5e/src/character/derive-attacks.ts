/**
 * Weapon attacks for every weapon in the equipment (carried or wielded): ability (finesse: better of Str/Dex;
 * ranged: Dex; else Str), to-hit = mod + PB if proficient + magic + fighting-style bonuses, damage = dice + mod
 * (+ magic). Mastery is listed only when a class has the Weapon Mastery feature.
 */
import type { Ability } from '../content/types';
import type { CharacterContext, ResolvedItem } from './context';
import { effectsOf, hasFeature } from './context';
import { explain, part, type Part } from './explained';
import { isWeaponProficient } from './proficiencies';
import type { WeaponAttack } from './types';

function attackAbility(ctx: CharacterContext, ri: ResolvedItem): Ability {
  const weapon = ri.weapon;
  if (weapon?.properties.includes('finesse')) return ctx.mods.dex > ctx.mods.str ? 'dex' : 'str';
  return weapon?.ranged ? 'dex' : 'str';
}

function styleBonuses(ctx: CharacterContext, ranged: boolean): Part[] {
  return effectsOf(ctx, 'attack-bonus')
    .filter(({ effect }) => effect.appliesTo === 'all' || effect.appliesTo === (ranged ? 'ranged' : 'melee'))
    .map(({ source, effect }) => part(source, effect.value));
}

function weaponAttack(ctx: CharacterContext, ri: ResolvedItem, mastery: boolean): WeaponAttack | undefined {
  const weapon = ri.weapon;
  if (!weapon) return undefined;
  const ability = attackAbility(ctx, ri);
  const proficient = isWeaponProficient(ctx, weapon);
  const magicAttack = ri.magic?.bonuses.attack ?? 0;
  const magicDamage = ri.magic?.bonuses.damage ?? 0;
  const toHit = explain([
    part(ability, ctx.mods[ability]),
    ...(proficient ? [part('proficiency', ctx.proficiencyBonus)] : []),
    ...(magicAttack ? [part(`${ri.item.id}:magic`, magicAttack)] : []),
    ...styleBonuses(ctx, weapon.ranged),
  ]);
  const bonus = explain([
    part(ability, ctx.mods[ability]),
    ...(magicDamage ? [part(`${ri.item.id}:magic`, magicDamage)] : []),
  ]);
  return {
    item: ri.item.id,
    name: ri.item.name,
    ability,
    proficient,
    toHit,
    damage: { dice: weapon.damage.dice, bonus, type: weapon.damage.type },
    versatileDice: weapon.versatileDice ?? null,
    mastery: mastery ? weapon.mastery : null,
    properties: weapon.properties,
    range: weapon.range ?? null,
  };
}

export function deriveAttacks(ctx: CharacterContext): WeaponAttack[] {
  const mastery = ctx.classes.some((rc) => hasFeature(rc, 'weapon-mastery'));
  return ctx.items.flatMap((ri) => weaponAttack(ctx, ri, mastery) ?? []);
}
