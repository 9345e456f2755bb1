/**
 * Weapon attacks for every weapon in the equipment (carried or wielded): ability (finesse: better of Str/Dex;
 * ranged: Dex; else Str), to-hit = mod + PB if proficient + magic + fighting-style bonuses, damage = dice + mod
 * (+ magic). Mastery is listed only when a class has the Weapon Mastery feature (2024 rules only). Monk weapons
 * (simple melee, martial melee with Light) of a Monk with Martial Arts use the better of Str/Dex and the
 * Martial Arts die when it is larger.
 */
import type { Ability, Weapon } from '../content/types';
import type { Build } from '../build';
import type { CharacterContext, ResolvedItem } from './context';
import { effectsOf, hasFeature } from './context';
import { explain, part, type Part } from './explained';
import { isWeaponProficient } from './proficiencies';
import type { WeaponAttack } from './types';

function attackAbility(ctx: CharacterContext, weapon: Weapon, monkWeapon: boolean): Ability {
  if (weapon.properties.includes('finesse') || monkWeapon) return ctx.mods.dex > ctx.mods.str ? 'dex' : 'str';
  return weapon.ranged ? 'dex' : 'str';
}

/** The Martial Arts die of a Monk (class-table column), or null without the feature. */
function martialArtsDie(ctx: CharacterContext): string | null {
  const monk = ctx.classes.find((rc) => hasFeature(rc, 'martial-arts'));
  const die = monk?.row?.columns['martial-arts'];
  return typeof die === 'string' && /^\d+d\d+$/.test(die) ? die : null;
}

/**
 * Monk weapons. 2024: Simple melee weapons and Martial melee weapons with the Light property. 2014: shortswords
 * and Simple melee weapons without the Two-Handed or Heavy property.
 */
function isMonkWeapon(weapon: Weapon, ruleset: Build['ruleset']): boolean {
  if (weapon.ranged) return false;
  if (ruleset === '2014') {
    return (
      weapon.id === 'shortsword' ||
      (weapon.category === 'simple' &&
        !weapon.properties.includes('two-handed') &&
        !weapon.properties.includes('heavy'))
    );
  }
  return weapon.category === 'simple' || weapon.properties.includes('light');
}

function averageOf(dice: string): number {
  const m = /^(\d+)(?:d(\d+))?/.exec(dice);
  const n = Number(m?.[1] ?? 0);
  return m?.[2] === undefined ? n : (n * (Number(m[2]) + 1)) / 2;
}

function styleBonuses(ctx: CharacterContext, ranged: boolean): Part[] {
  return effectsOf(ctx, 'attack-bonus')
    .filter(({ effect }) => effect.appliesTo === 'all' || effect.appliesTo === (ranged ? 'ranged' : 'melee'))
    .map(({ source, effect }) => part(source, effect.value));
}

function weaponAttack(
  ctx: CharacterContext,
  ri: ResolvedItem,
  mastery: boolean,
  martialArts: string | null,
): WeaponAttack | undefined {
  const weapon = ri.weapon;
  if (!weapon) return undefined;
  const monkDie = martialArts !== null && isMonkWeapon(weapon, ctx.build.ruleset) ? martialArts : null;
  const ability = attackAbility(ctx, weapon, monkDie !== null);
  const dice =
    monkDie !== null && averageOf(monkDie) > averageOf(weapon.damage.dice) ? monkDie : weapon.damage.dice;
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
    damage: { dice, bonus, type: weapon.damage.type },
    versatileDice: weapon.versatileDice ?? null,
    mastery: mastery ? weapon.mastery : null,
    properties: weapon.properties,
    range: weapon.range ?? null,
  };
}

export function deriveAttacks(ctx: CharacterContext): WeaponAttack[] {
  const mastery = ctx.build.ruleset === '2024' && ctx.classes.some((rc) => hasFeature(rc, 'weapon-mastery'));
  const martialArts = martialArtsDie(ctx);
  return ctx.items.flatMap((ri) => weaponAttack(ctx, ri, mastery, martialArts) ?? []);
}
