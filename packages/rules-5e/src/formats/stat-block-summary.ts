/**
 * One-line summaries of creature actions, traits and whole stat blocks, generated from their mechanics in our
 * own words (never source prose). Shared by the SRD importer and the creature format converters. Pure.
 */
import {
  CONDITIONS,
  type Ability,
  type Condition,
  type Creature,
  type CreatureAction,
  type DamageRoll,
} from '../content/types';
import { parseDamageRolls } from './stat-block-text';

/** "Str", "Dex" … as stat blocks abbreviate the abilities. */
export const ABILITY_ABBREVIATIONS: Readonly<Record<Ability, string>> = {
  str: 'Str',
  dex: 'Dex',
  con: 'Con',
  int: 'Int',
  wis: 'Wis',
  cha: 'Cha',
};

/** Our one-line descriptions of the most common creature traits. */
const TRAIT_TEXT: Readonly<Record<string, string>> = {
  'Magic Resistance': 'Advantage on saves against spells and magical effects.',
  'Legendary Resistance': 'Can turn failed saves into successes a few times per day.',
  Amphibious: 'Breathes air and water.',
  'Pack Tactics': 'Advantage on attacks when an ally is next to the target.',
  'Spider Climb': 'Climbs difficult surfaces, even ceilings, without checks.',
  'Water Breathing': 'Breathes only underwater.',
  Flyby: 'No opportunity attacks when it flies out of reach.',
  Swarm: 'A swarm of tiny creatures that can share spaces; cannot heal or gain temporary HP.',
  'Hold Breath': 'Holds its breath for a long time.',
  Illumination: 'Sheds light around itself.',
  'Sunlight Sensitivity': 'Disadvantage on attacks and Perception checks in sunlight.',
  'Web Walker': 'Ignores movement restrictions from webs.',
  'Ice Walk': 'Moves over icy surfaces without penalty.',
  Amorphous: 'Squeezes through very narrow spaces.',
  'Immutable Form': 'Cannot be shape-changed.',
  'Siege Monster': 'Double damage to objects and structures.',
  'Incorporeal Movement': 'Moves through creatures and objects, taking force damage if it ends inside one.',
  'Standing Leap': 'Jumps far without a running start.',
  'Running Leap': 'Jumps far with a running start.',
  'Undead Fortitude': 'A Con save can keep it at 1 HP when reduced to 0.',
  Mimicry: 'Imitates sounds and voices.',
  'Earth Glide': 'Burrows through earth and stone without disturbing it.',
  Tunneler: 'Digs tunnels as it burrows.',
};

/** The conditions a text mentions, in the order of `CONDITIONS`. */
export function conditionsNamedIn(text: string): Condition[] {
  return CONDITIONS.filter((c) => new RegExp(`\\b${c}\\b`, 'i').test(text));
}

function fmtDamage(d: readonly DamageRoll[]): string {
  return d
    .map((x) =>
      x.dice === String(x.average) ? `${x.average} ${x.type}` : `${x.average} (${x.dice}) ${x.type}`,
    )
    .join(' plus ');
}

/** "Melee attack +7, reach 5 ft: 14 (2d8+5) slashing; recharge 5–6." from the parsed action and its text. */
export function summariseAction(a: CreatureAction, desc: string): string {
  const parts: string[] = [];
  if (a.multiattack) parts.push(`Makes ${a.multiattack.map((m) => `${m.count}× ${m.action}`).join(', ')}`);
  if (a.attack) {
    const reach = a.attack.reach ? `, reach ${a.attack.reach} ft` : '';
    const range = a.attack.range
      ? `, range ${a.attack.range.normal}${a.attack.range.long ? `/${a.attack.range.long}` : ''} ft`
      : '';
    const kind =
      a.attack.kind === 'melee-or-ranged'
        ? 'Melee or ranged'
        : a.attack.kind === 'melee'
          ? 'Melee'
          : 'Ranged';
    parts.push(
      `${kind} attack +${a.attack.bonus}${reach}${range}${a.attack.damage.length ? `: ${fmtDamage(a.attack.damage)}` : ''}`,
    );
  }
  if (a.save) {
    const dmg = a.save.damage.length
      ? `: ${fmtDamage(a.save.damage)}${a.save.onSuccess === 'half' ? ', half on success' : ''}`
      : '';
    parts.push(
      `${ABILITY_ABBREVIATIONS[a.save.ability]} save DC ${a.save.dc}${a.save.area ? ' (area)' : ''}${dmg}`,
    );
  }
  const conds = conditionsNamedIn(desc);
  if (conds.length) parts.push(`may impose ${conds.join(', ')}`);
  if (a.usage) {
    parts.push(
      a.usage.type === 'recharge'
        ? `recharge ${a.usage.min}–6`
        : a.usage.type === 'per-day'
          ? `${a.usage.times}/day`
          : `once per ${a.usage.rest} or long rest`,
    );
  }
  const cast = /uses Spellcasting to cast ([A-Z][\w' ]*?)(?: \(|\.|,| or )/.exec(desc);
  if (cast) parts.push(`casts ${cast[1]}`);
  if (/\bmoves? up to (?:half )?its (?:\w+ )?Speed/i.test(desc)) parts.push('moves');
  if (parts.length === 0) return 'Special action without an attack roll or damage.';
  const s = parts.join('; ');
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
}

/** "Casts spells with Cha, save DC 15, +7 to hit: 3 at will, 2 limited per day." */
export function summariseSpellcasting(sc: NonNullable<Creature['spellcasting']>): string {
  const atWill = sc.spells.filter((x) => x.usage === 'at-will').length;
  const limited = sc.spells.length - atWill;
  return `Casts spells with ${ABILITY_ABBREVIATIONS[sc.ability]}${sc.dc ? `, save DC ${sc.dc}` : ''}${
    sc.attackBonus !== null ? `, +${sc.attackBonus} to hit` : ''
  }: ${atWill} at will, ${limited} limited per day.`;
}

/** Our line for a trait: a hand-written one for common traits, else its DC, damage and conditions. */
export function summariseTrait(name: string, desc: string): string {
  const base = name.replace(/\s*\(.*\)$/, '');
  const uses = /\((\d+\/Day)/.exec(name)?.[1];
  const own = TRAIT_TEXT[base];
  if (own) return uses ? `${own.replace(/\.$/, '')} (${uses.toLowerCase()}).` : own;
  const bits: string[] = [];
  const dc = /DC (\d+)/.exec(desc);
  if (dc) bits.push(`DC ${dc[1]}`);
  const dmg = parseDamageRolls(desc);
  if (dmg.length) bits.push(fmtDamage(dmg));
  const conds = conditionsNamedIn(desc);
  if (conds.length) bits.push(`involves ${conds.join(', ')}`);
  return `${base} trait${bits.length ? `: ${bits.join('; ')}` : ''}.`;
}

function crText(cr: number): string {
  return cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);
}

/** "Large monstrosity, CR 3 (700 XP), AC 13, 59 HP." (", legendary" when it has legendary actions). */
export function summariseCreature(
  c: Pick<Creature, 'size' | 'type' | 'cr' | 'xp' | 'ac' | 'hp' | 'legendaryActions'>,
): string {
  const size = `${c.size[0]?.toUpperCase() ?? ''}${c.size.slice(1)}`;
  return `${size} ${c.type}, CR ${crText(c.cr)} (${c.xp} XP), AC ${c.ac}, ${c.hp.average} HP${
    c.legendaryActions?.actions.length ? ', legendary' : ''
  }.`;
}
