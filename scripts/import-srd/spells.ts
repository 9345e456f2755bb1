/** Spells: Open5e Spell + SpellCastingOption, with the casting-time and material fixes listed in the README. */
import type { DamageType, Spell } from '@loreforge/rules-5e';
import { ABILITY_ABBREVIATIONS } from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import { ability, damageType, key, normDice, readOpen5e } from './util';

interface SpellFields {
  name: string;
  desc: string;
  level: number;
  school: string;
  classes: string[];
  casting_time: string;
  reaction_condition: string | null;
  ritual: boolean;
  verbal: boolean;
  somatic: boolean;
  material: boolean;
  material_specified: string;
  material_consumed: boolean;
  concentration: boolean;
  duration: string;
  range_text: string;
  saving_throw_ability: string;
  attack_roll: boolean;
  damage_roll: string;
  damage_types: string[];
  shape_type: string | null;
  shape_size: number | null;
  higher_level?: string | null;
}
interface OptionFields {
  parent: string;
  type: string;
  damage_roll: string | null;
}

const CASTING_TIME: Record<string, string> = {
  action: '1 action',
  'bonus-action': '1 bonus action',
  reaction: '1 reaction',
  '1minute': '1 minute',
  '10minutes': '10 minutes',
  '1hour': '1 hour',
};

/** Casting times that the Open5e export rounded into its few buckets (SRD 5.2.1 values). */
const CASTING_TIME_FIXES: Record<string, string> = {
  contingency: '10 minutes',
  'control-weather': '10 minutes',
  'legend-lore': '10 minutes',
  'private-sanctum': '10 minutes',
  'mirage-arcane': '10 minutes',
  'heroes-feast': '10 minutes',
  'prayer-of-healing': '10 minutes',
  hallow: '24 hours',
  simulacrum: '12 hours',
  awaken: '8 hours',
  'plant-growth': '1 action or 8 hours',
};

/** Spells whose damage type is chosen when cast (the Open5e record lists none). */
const DAMAGE_CHOICES: Record<string, DamageType[]> = {
  'chromatic-orb': ['acid', 'cold', 'fire', 'lightning', 'poison', 'thunder'],
  'dragons-breath': ['acid', 'cold', 'fire', 'lightning', 'poison'],
  'sorcerous-burst': ['acid', 'cold', 'fire', 'lightning', 'poison', 'psychic', 'thunder'],
  'conjure-elemental': ['cold', 'fire', 'lightning', 'thunder'],
  'conjure-minor-elementals': ['acid', 'cold', 'fire', 'lightning'],
};
/** Spells whose roll restores hit points. */
const HEALING = new Set([
  'cure-wounds',
  'healing-word',
  'mass-cure-wounds',
  'mass-healing-word',
  'prayer-of-healing',
  'regenerate',
]);

const SCHOOL_WORD = (s: string): string => s;

function isDice(s: string): boolean {
  return /^\d+(d\d+)?([+-]\d+)?$/.test(s);
}

function summarize(s: Spell, area: string | null, halfOnSave: boolean): string {
  const lvl =
    s.level === 0
      ? `${s.school[0]?.toUpperCase()}${s.school.slice(1)} cantrip`
      : `Level ${s.level} ${SCHOOL_WORD(s.school)}`;
  const parts = [lvl, s.range.toLowerCase(), s.castingTime];
  if (area) parts.push(area);
  if (s.damage) parts.push(`${s.damage.dice} ${s.damage.types.join('/')}`);
  if (s.healing) parts.push(`heals ${s.healing.dice}`);
  if (s.attack) parts.push(`${s.attack} spell attack`);
  if (s.save) parts.push(`${ABILITY_ABBREVIATIONS[s.save]} save${s.damage && halfOnSave ? ' for half' : ''}`);
  parts.push(`concentration: ${s.concentration ? 'yes' : 'no'}`);
  if (s.ritual) parts.push('ritual');
  parts.push(`duration ${s.duration.toLowerCase()}`);
  return `${parts.join(', ')}.`;
}

/** Whether a spell's text states the dice of a roll ("10d6", "10 d6"), ignoring case and spaces. */
function mentionsRoll(text: string, roll: string): boolean {
  return text.replace(/\s+/g, '').toLowerCase().includes(roll.replace(/\s+/g, '').toLowerCase());
}

export function importSpells(src: Sources, fixes: FixLog): Spell[] {
  const spells = readOpen5e<SpellFields>(src, 'Spell');
  const options = readOpen5e<OptionFields>(src, 'SpellCastingOption');
  let consumedFixes = 0;
  const attackFixes: string[] = [];
  const out = spells.map((sp) => {
    const f = sp.fields;
    const id = key(sp.pk);
    let castingTime = CASTING_TIME[f.casting_time];
    if (!castingTime) throw new Error(`import-srd: spell ${id} has unknown casting_time ${f.casting_time}`);
    const fixed = CASTING_TIME_FIXES[id];
    if (fixed && fixed !== castingTime) {
      fixes.add('spells', `${f.name}: casting time ${castingTime} → ${fixed}.`);
      castingTime = fixed;
    }
    const material = f.material ? f.material_specified.trim() || 'a material component' : null;
    const costMatch = material ? /worth ([\d,]+)\+? ?GP/i.exec(material) : null;
    const materialCost = costMatch?.[1] ? Number(costMatch[1].replace(/,/g, '')) : null;
    const materialConsumed = material ? /consume/i.test(material) : false;
    if (material && materialConsumed !== f.material_consumed) consumedFixes++;
    let roll = f.damage_roll && isDice(normDice(f.damage_roll)) ? normDice(f.damage_roll) : null;
    let saveAbility = f.saving_throw_ability;
    let shape = f.shape_type && f.shape_size ? `${f.shape_size}-ft ${f.shape_type}` : null;
    // A damage roll the spell's own text never states was copied from another record (Open5e gives Freedom of
    // Movement the Freezing Sphere's 10d6 cold, Con save, 60-ft sphere): drop the roll, save and shape.
    if (roll && !mentionsRoll(`${f.desc} ${f.higher_level ?? ''}`, roll)) {
      fixes.add(
        'spells',
        `${f.name}: damage ${roll}, save and area removed (not in the spell's text; copied from another spell).`,
      );
      roll = null;
      saveAbility = '';
      shape = null;
    }
    const types = f.damage_types.length ? f.damage_types.map(damageType) : (DAMAGE_CHOICES[id] ?? []);
    if (roll && !f.damage_types.length && DAMAGE_CHOICES[id]) {
      fixes.add('spells', `${f.name}: damage types (chosen on casting) filled in: ${types.join(', ')}.`);
    }
    // A roll without a damage type is healing or a bonus die (Bless, Guidance …), not damage.
    const damage = roll && types.length ? { dice: roll, types } : null;
    const healing = roll && HEALING.has(id) ? { dice: roll } : null;
    // The attack_roll flag also marks spells that merely mention attack rolls (Bless, Hex …): use the text.
    const atk = /\b(ranged|melee) spell attack/i.exec(f.desc);
    const attack: Spell['attack'] = atk ? (atk[1]?.toLowerCase() as 'ranged' | 'melee') : null;
    if (Boolean(atk) !== f.attack_roll) attackFixes.push(f.name);
    const scaling: Record<string, string> = {};
    for (const o of options.filter((x) => x.fields.parent === sp.pk)) {
      const roll = o.fields.damage_roll ? normDice(o.fields.damage_roll) : null;
      if (!roll || !isDice(roll)) continue;
      const m = /^(?:slot_level|player_level)_(\d+)$/.exec(o.fields.type);
      if (m?.[1]) scaling[m[1]] = roll;
    }
    const spell: Spell = {
      id,
      name: f.name,
      level: f.level,
      school: f.school as Spell['school'],
      castingTime,
      range: f.range_text,
      components: { verbal: f.verbal, somatic: f.somatic, material, materialCost, materialConsumed },
      duration: f.duration,
      concentration: f.concentration,
      ritual: f.ritual,
      classes: f.classes.map(key).sort(),
      damage,
      healing,
      save: saveAbility ? ability(saveAbility) : null,
      attack,
      scaling,
      summary: '',
    };
    spell.summary = summarize(spell, shape, /half as much damage/i.test(f.desc));
    return spell;
  });
  fixes.add(
    'spells',
    `attack roll flag corrected from the text (a spell attack is made, or not) on ${attackFixes.length} spells: ${attackFixes.join(', ')}.`,
  );
  fixes.add(
    'spells',
    `material_consumed corrected on ${consumedFixes} spells: a component is consumed only when its text says the spell consumes it (Open5e marks nearly every costed component consumed).`,
  );
  return out;
}
