/**
 * Open5e v2 API creature (`/v2/creatures/<key>/`) → our `Creature` stat block. The SRD importer joins the
 * Open5e data fixtures into this same shape, so every SRD creature goes through this one mapping.
 *
 * Read: `key`, `name`, `size` and `type` (objects with `key`/`name`, or plain keys), `alignment`, `armor_class`,
 * `hit_points`, `hit_dice`, `challenge_rating_decimal` (or `challenge_rating`), `ability_scores`,
 * `initiative_bonus`, `saving_throws` (the 2024 Save column: a value equal to the modifier is not proficient),
 * `skill_bonuses` (snake_case keys), `passive_perception`, `speed`, the `*_range` senses, `languages`,
 * damage and condition lists, `traits[]` and `actions[]` with `action_type`, `order_in_statblock`, `uses_type`,
 * `uses_param`, `limited_to_form`, `legendary_action_cost` and nested `attacks[]`. Also accepted when present
 * (the data fixtures have them, the API does not): `languages_desc` and `telepathy_range`.
 *
 * Attack rolls, save effects and multiattack routines come from the stat-block text; the structured attack
 * records fill in what the text lacks and are cross-checked against it (disagreements go to `onNote`).
 */
import {
  SKILL_IDS,
  type Ability,
  type Creature,
  type CreatureAction,
  type DamageRoll,
  type Skill,
} from '../content/types';
import { proficiencyBonusForCr, xpForCr } from '../encounter/cr';
import {
  CreatureFormatError,
  abilityMod,
  buildAction,
  conditionsIn,
  crFrom,
  damageTypesIn,
  dealsDamage,
  isObject,
  keyOf,
  languagesFromText,
  nameOf,
  objectsIn,
  optNum,
  reqNum,
  sensesFrom,
  sizeFrom,
  speedFrom,
  type CreatureConvertOptions,
  type Json,
  type StructuredFacts,
} from './format-input';
import {
  diceAverage,
  diceFrom,
  damageTypeFromName,
  normaliseDice,
  parseAttackText,
  parseLegendaryResistance,
  slugify,
} from './stat-block-text';
import type { ParsedAttack, ParsedSpellcasting } from './stat-block-text';
import { summariseCreature, summariseTrait } from './stat-block-summary';

export { CreatureFormatError, type CreatureConvertOptions } from './format-input';

export const ABILITY_LONG_NAMES: Readonly<Record<Ability, string>> = {
  str: 'strength',
  dex: 'dexterity',
  con: 'constitution',
  int: 'intelligence',
  wis: 'wisdom',
  cha: 'charisma',
};
const ABILITY_ORDER: readonly Ability[] = ['str', 'dex', 'con', 'int', 'wis', 'cha'];
const ACTION_TYPES = ['ACTION', 'BONUS_ACTION', 'REACTION', 'LEGENDARY_ACTION'] as const;

/** The main damage of an Open5e attack record (its quirk: with no rider, the type may sit in `extra_damage_type`). */
function recordMainDamage(rec: Json): DamageRoll | null {
  const count = optNum(rec['damage_die_count']);
  const die = rec['damage_die_type'];
  if (!count || (typeof die !== 'string' && typeof die !== 'number') || die === '') return null;
  const dice = diceFrom(count, die, optNum(rec['damage_bonus']) ?? 0);
  const typeName =
    optNum(rec['extra_damage_die_count']) === undefined
      ? (damageTypeFromName(keyOf(rec['damage_type'])) ?? damageTypeFromName(keyOf(rec['extra_damage_type'])))
      : damageTypeFromName(keyOf(rec['damage_type']));
  if (!typeName) return null;
  return { dice, average: diceAverage(dice) ?? 0, type: typeName };
}

function recordRider(rec: Json): DamageRoll | null {
  const count = optNum(rec['extra_damage_die_count']);
  const die = rec['extra_damage_die_type'];
  const type = damageTypeFromName(keyOf(rec['extra_damage_type']));
  if (!count || (typeof die !== 'string' && typeof die !== 'number') || die === '' || !type) return null;
  const dice = diceFrom(count, die, optNum(rec['extra_damage_bonus']) ?? 0);
  return { dice, average: diceAverage(dice) ?? 0, type };
}

/** An attack from the record alone (for text that has no attack-roll line). */
function attackFromRecord(rec: Json): ParsedAttack {
  const reach = optNum(rec['reach']);
  const range = optNum(rec['range']);
  const long = optNum(rec['long_range']);
  const damage = [recordMainDamage(rec), recordRider(rec)].filter((d): d is DamageRoll => d !== null);
  return {
    kind: range && reach ? 'melee-or-ranged' : range ? 'ranged' : 'melee',
    bonus: optNum(rec['to_hit_mod']) ?? 0,
    ...(reach ? { reach } : {}),
    ...(range ? { range: { normal: range, ...(long ? { long } : {}) } } : {}),
    damage,
  };
}

/** The text's attack, cross-checked with the structured record. The text wins except for a to-hit that
 * only the record gets right (ability modifier + PB). */
function reconcileAttack(
  parsed: ParsedAttack,
  rec: Json | undefined,
  where: string,
  mods: { str: number; dex: number; pb: number },
  onNote: (note: string) => void,
): ParsedAttack {
  if (!rec) return parsed;
  const out = { ...parsed };
  const recordBonus = optNum(rec['to_hit_mod']);
  if (recordBonus !== undefined && recordBonus !== out.bonus) {
    const expected = new Set([mods.str + mods.pb, mods.dex + mods.pb]);
    const pick = expected.has(recordBonus) && !expected.has(out.bonus) ? recordBonus : out.bonus;
    onNote(
      `${where}: attack bonus text ${out.bonus} vs record ${recordBonus}; kept ${pick} (ability modifier + PB).`,
    );
    out.bonus = pick;
  }
  const main = recordMainDamage(rec);
  if (out.damage.length === 0 && main) out.damage = [main];
  const textMain = out.damage[0];
  if (main && textMain && (main.dice !== textMain.dice || main.type !== textMain.type)) {
    onNote(
      `${where}: main damage record ${main.dice} ${main.type} vs text ${textMain.dice} ${textMain.type}; kept the text.`,
    );
  }
  const count = optNum(rec['extra_damage_die_count']);
  const die = rec['extra_damage_die_type'];
  const type = keyOf(rec['extra_damage_type']);
  if (count && typeof die === 'string' && die && type) {
    const dice = `${count}${die.toLowerCase()}`;
    const rider = out.damage[1];
    if (!rider || rider.dice !== dice || rider.type !== type) {
      onNote(
        `${where}: rider record ${dice} ${type} vs text ${rider ? `${rider.dice} ${rider.type}` : 'none'}; kept the text.`,
      );
    }
  }
  return out;
}

function usageFrom(action: Json): CreatureAction['usage'] {
  const type = keyOf(action['uses_type']).toUpperCase();
  const param = optNum(action['uses_param']);
  if (type === 'PER_DAY' && param) return { type: 'per-day', times: param };
  if ((type === 'RECHARGE_ON_ROLL' || type === 'RECHARGE') && param)
    return { type: 'recharge', min: Math.min(6, Math.max(2, param)) };
  if (type === 'RECHARGE') return { type: 'rest', rest: 'short' };
  return undefined;
}

function languagesFrom(raw: Json): { languages: string[]; telepathy?: number } {
  const desc = raw['languages_desc'];
  if (typeof desc === 'string') {
    const fromText = languagesFromText(desc);
    const telepathy = optNum(raw['telepathy_range']) ?? fromText.telepathy;
    return { languages: fromText.languages, ...(telepathy ? { telepathy } : {}) };
  }
  const languages = (Array.isArray(raw['languages']) ? raw['languages'] : [])
    .map((l) => nameOf(l).trim())
    .filter(Boolean);
  const telepathy = optNum(raw['telepathy_range']);
  return { languages, ...(telepathy ? { telepathy } : {}) };
}

/**
 * Convert one Open5e v2 API creature. Throws a `CreatureFormatError` naming the field when a fact a stat block
 * needs is missing or wrong (name, ability scores, AC, HP, CR, size).
 */
export function fromOpen5eCreature(raw: unknown, options: CreatureConvertOptions = {}): Creature {
  if (!isObject(raw)) throw new CreatureFormatError('', 'must be a JSON object (an Open5e v2 creature)');
  const name = nameOf(raw['name']).trim();
  if (!name) throw new CreatureFormatError('name', 'required');
  const onNote = options.onNote ?? ((): void => undefined);
  // The API nests scores, saves and skills; the data fixtures keep them flat (`ability_score_strength` …).
  const nested = (field: string, flatPrefix: string): ((k: string) => unknown) => {
    const obj = raw[field];
    return isObject(obj) ? (k) => obj[k] : (k) => raw[`${flatPrefix}${k}`];
  };
  const score = nested('ability_scores', 'ability_score_');
  const abilities = {} as Record<Ability, number>;
  for (const a of ABILITY_ORDER) {
    const long = ABILITY_LONG_NAMES[a];
    const v = optNum(score(long));
    if (v === undefined) throw new CreatureFormatError(`ability_scores.${long}`, 'must be a number');
    abilities[a] = v;
  }
  const cr = crFrom(raw['challenge_rating_decimal'] ?? raw['challenge_rating'], 'challenge_rating_decimal');
  const pb = proficiencyBonusForCr(cr);
  const size = sizeFrom(raw['size'], 'size');
  const type = keyOf(raw['type'], 'monstrosity');

  const save = nested('saving_throws', 'saving_throw_');
  const saves: Partial<Record<Ability, number>> = {};
  for (const a of ABILITY_ORDER) {
    const v = optNum(save(ABILITY_LONG_NAMES[a]));
    if (v !== undefined && v !== abilityMod(abilities[a])) saves[a] = v;
  }
  const skill = nested('skill_bonuses', 'skill_bonus_');
  const skills: Partial<Record<Skill, number>> = {};
  for (const s of SKILL_IDS) {
    const v = optNum(skill(s.replace(/-/g, '_')));
    if (v !== undefined) skills[s] = v;
  }

  const indexed = objectsIn(raw['actions']).map((a, i) => ({ a, i }));
  const order = (x: { a: Json; i: number }): number => optNum(x.a['order_in_statblock']) ?? x.i;
  const sorted = indexed.slice().sort((x, y) => order(x) - order(y));
  const typeOf = (a: Json): string => keyOf(a['action_type'], 'action').toUpperCase();
  for (const { a, i } of sorted) {
    if (!(ACTION_TYPES as readonly string[]).includes(typeOf(a)))
      throw new CreatureFormatError(`actions[${i}].action_type`, `must be one of ${ACTION_TYPES.join(', ')}`);
  }
  const actionNames = sorted
    .filter(({ a }) => typeOf(a) !== 'LEGENDARY_ACTION')
    .map(({ a }) => nameOf(a['name']));
  const mods = { str: abilityMod(abilities.str), dex: abilityMod(abilities.dex), pb };
  const spellcasting: { found: ParsedSpellcasting | null } = { found: null };
  const build = ({ a, i }: { a: Json; i: number }): CreatureAction => {
    const desc = nameOf(a['desc']).trim();
    const actionName = nameOf(a['name']).trim().replace(/\.$/, '');
    const where = `${name} ${actionName}`;
    const facts: StructuredFacts = {};
    const rec = objectsIn(a['attacks'])[0];
    const parsed = parseAttackText(desc);
    if (parsed) facts.attack = reconcileAttack(parsed, rec, where, mods, onNote);
    else if (rec && optNum(rec['to_hit_mod']) !== undefined && !/Saving Throw:/.test(desc))
      facts.attack = attackFromRecord(rec);
    const usage = usageFrom(a);
    if (usage) facts.usage = usage;
    if (typeOf(a) === 'LEGENDARY_ACTION') {
      const cost = /Costs? (\d) Actions/i.exec(`${nameOf(a['name'])} ${desc}`)?.[1];
      facts.cost = cost ? Number(cost) : (optNum(a['legendary_action_cost']) ?? 1);
    }
    const out = buildAction(actionName, desc, facts, {
      actionNames,
      where: name,
      options,
      spellcasting,
      field: `actions[${i}].desc`,
    });
    const form = a['limited_to_form'];
    if (typeof form === 'string' && form)
      out.summary = `${out.summary.replace(/\.$/, '')} (${form.toLowerCase()}).`;
    return out;
  };
  const byType = (t: (typeof ACTION_TYPES)[number]): CreatureAction[] =>
    sorted.filter(({ a }) => typeOf(a) === t).map(build);
  const actions = byType('ACTION');
  const bonusActions = byType('BONUS_ACTION');
  const reactions = byType('REACTION');
  const legendary = byType('LEGENDARY_ACTION');

  const traitsRaw = objectsIn(raw['traits']);
  const legendaryResistance = traitsRaw.reduce(
    (n, t) => Math.max(n, parseLegendaryResistance(nameOf(t['name']))),
    0,
  );
  const xp = xpForCr(cr, { harmless: !dealsDamage(actions, bonusActions, reactions) });
  const hp = reqNum(raw, 'hit_points');
  const speed = isObject(raw['speed']) ? raw['speed'] : raw;
  const creature: Creature = {
    id: slugify(keyOf(raw['key'], name).replace(/^srd(-2024)?_/, '')) || slugify(name) || 'creature',
    name,
    size,
    type,
    alignment: nameOf(raw['alignment'], 'unaligned'),
    ac: reqNum(raw, 'armor_class'),
    hp: {
      average: hp,
      formula:
        typeof raw['hit_dice'] === 'string' && raw['hit_dice'].trim()
          ? normaliseDice(raw['hit_dice'])
          : String(hp),
    },
    speed: speedFrom(speed, raw['hover'] === true),
    abilities,
    initiative: optNum(raw['initiative_bonus']) ?? abilityMod(abilities.dex),
    saves,
    skills,
    senses: sensesFrom(
      {
        darkvision: raw['darkvision_range'],
        blindsight: raw['blindsight_range'],
        tremorsense: raw['tremorsense_range'],
        truesight: raw['truesight_range'],
      },
      optNum(raw['passive_perception']) ?? 10 + abilityMod(abilities.wis),
    ),
    ...languagesFrom(raw),
    resistances: damageTypesIn(raw['damage_resistances']),
    immunities: damageTypesIn(raw['damage_immunities']),
    vulnerabilities: damageTypesIn(raw['damage_vulnerabilities']),
    conditionImmunities: conditionsIn(raw['condition_immunities']),
    cr,
    xp,
    proficiencyBonus: pb,
    traits: traitsRaw.map((t) => ({
      name: nameOf(t['name']),
      summary: summariseTrait(nameOf(t['name']), nameOf(t['desc'])),
    })),
    legendaryResistance,
    actions,
    bonusActions,
    reactions,
    legendaryActions: legendary.length ? { uses: 3, actions: legendary } : null,
    spellcasting: spellcasting.found,
    summary: '',
  };
  creature.summary = summariseCreature(creature);
  return creature;
}
