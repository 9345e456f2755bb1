/**
 * Converters from other creature JSON formats into Loreforge's `Creature` stat block (rules-5e `CreatureSchema`):
 * - `loreforge`: already our shape (validated by the caller);
 * - `dnd5eapi`: 5e-bits/5e-database and dnd5eapi.co monsters (2014 and 2024 endpoints);
 * - `open5e`: an Open5e v2 API creature (`/v2/creatures/<key>/`) with its nested actions and attacks.
 * Converters are lenient about missing optional parts and strict about the facts a CR needs; a missing required
 * fact raises a CliError naming the field.
 */
import {
  ABILITIES,
  CONDITIONS,
  DAMAGE_TYPES,
  SKILL_IDS,
  averageDamage,
  damageTypeFromName,
  abilityFromName,
  normaliseDice,
  parseAttackText,
  parseCr,
  parseLegendaryResistance,
  parseMultiattack,
  parseSaveEffect,
  parseUsage,
  proficiencyBonusForCr,
  xpForCr,
  type Ability,
  type CreatureAction,
  type CreatureInput,
  type DamageRoll,
  type DamageType,
} from '@loreforge/rules-5e';
import { CliError } from '../cli/registry';

export const CREATURE_FORMATS = ['loreforge', 'dnd5eapi', 'open5e'] as const;
export type CreatureFormat = (typeof CREATURE_FORMATS)[number];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(obj: Json, key: string, what: string): number {
  const v = obj[key];
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new CliError(`${what}.${key}: must be a number`);
  return n;
}

function optNum(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /-?\d+(\.\d+)?/.exec(v);
    if (m) return Number(m[0]);
  }
  return undefined;
}

function str(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (isObject(v)) return str(v['name'] ?? v['key'] ?? v['index'], fallback);
  return fallback;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function mod(score: number): number {
  return Math.floor((score - 10) / 2);
}

function damageTypesIn(list: unknown): DamageType[] {
  const out = new Set<DamageType>();
  if (!Array.isArray(list)) return [];
  for (const entry of list) {
    const text = str(entry).toLowerCase();
    for (const t of DAMAGE_TYPES) if (new RegExp(`\\b${t}\\b`).test(text)) out.add(t);
  }
  return [...out];
}

function conditionsIn(list: unknown): (typeof CONDITIONS)[number][] {
  if (!Array.isArray(list)) return [];
  const out = new Set<(typeof CONDITIONS)[number]>();
  for (const entry of list) {
    const text = str(entry).toLowerCase();
    for (const c of CONDITIONS) if (text.includes(c)) out.add(c);
  }
  return [...out];
}

function crFrom(value: unknown, what: string): number {
  try {
    if (typeof value === 'number' || typeof value === 'string') return parseCr(value);
  } catch {
    // reported below with the field name
  }
  throw new CliError(`${what}: must be a challenge rating (0, 1/8, 1/4, 1/2, 1–30)`);
}

/** Build one action from a name + text, preferring structured attack/save facts when given. */
function actionFrom(
  name: string,
  desc: string,
  structured: {
    attack?: CreatureAction['attack'];
    save?: CreatureAction['save'];
    usage?: CreatureAction['usage'];
  },
  names: readonly string[],
): CreatureAction {
  const action: CreatureAction = { name, summary: desc.slice(0, 200) };
  const attack = structured.attack ?? parseAttackText(desc);
  if (attack) action.attack = attack;
  const save = structured.save ?? parseSaveEffect(desc);
  if (save) action.save = save;
  if (/^multiattack$/i.test(name)) {
    const routine = parseMultiattack(desc, names);
    if (routine.length) action.multiattack = routine;
  }
  const usage = structured.usage ?? parseUsage(name);
  if (usage) action.usage = usage;
  return action;
}

// ------------------------------------------------------------------------------------------------ dnd5eapi

function dnd5eDamage(list: unknown): DamageRoll[] {
  if (!Array.isArray(list)) return [];
  const out: DamageRoll[] = [];
  for (const d of list) {
    if (!isObject(d)) continue;
    const type = damageTypeFromName(str(d['damage_type']));
    const dice = typeof d['damage_dice'] === 'string' ? normaliseDice(d['damage_dice']) : undefined;
    if (type && dice && /^\d+(d\d+)?([+-]\d+)?$/.test(dice))
      out.push({ dice, type, average: averageDamage(dice) });
  }
  return out;
}

function dnd5eUsage(u: unknown): CreatureAction['usage'] {
  if (!isObject(u)) return undefined;
  const type = str(u['type']).toLowerCase();
  if (type.startsWith('recharge on roll')) return { type: 'recharge', min: optNum(u['min_value']) ?? 6 };
  if (type === 'per day') return { type: 'per-day', times: optNum(u['times']) ?? 1 };
  if (type.includes('rest')) return { type: 'rest', rest: type.includes('long') ? 'long' : 'short' };
  return undefined;
}

function dnd5eActions(list: unknown): CreatureAction[] {
  if (!Array.isArray(list)) return [];
  const entries = list.filter(isObject);
  const names = entries.map((a) => str(a['name']).replace(/\.$/, ''));
  return entries.map((a, i) => {
    const name = names[i] ?? 'Action';
    const desc = str(a['desc']).trim();
    const damage = dnd5eDamage(a['damage']);
    const structured: Parameters<typeof actionFrom>[2] = {};
    const bonus = optNum(a['attack_bonus']);
    if (bonus !== undefined) {
      const parsed = parseAttackText(desc);
      structured.attack = {
        kind: parsed?.kind ?? (/ranged/i.test(desc) ? 'ranged' : 'melee'),
        bonus,
        damage: damage.length ? damage : (parsed?.damage ?? []),
        ...(parsed?.reach !== undefined ? { reach: parsed.reach } : {}),
        ...(parsed?.range ? { range: parsed.range } : {}),
      };
    } else if (isObject(a['dc'])) {
      const dc = a['dc'];
      const ability = abilityFromName(str(dc['dc_type']));
      const dcValue = optNum(dc['dc_value']);
      if (ability && dcValue !== undefined) {
        const parsed = parseSaveEffect(desc);
        structured.save = {
          ability,
          dc: dcValue,
          damage: damage.length ? damage : (parsed?.damage ?? []),
          onSuccess: str(dc['success_type']) === 'half' ? 'half' : 'none',
          area: parsed?.area ?? false,
        };
      }
    }
    const usage = dnd5eUsage(a['usage']);
    if (usage) structured.usage = usage;
    const action = actionFrom(name, desc, structured, names);
    if (Array.isArray(a['actions']) && /^multiattack$/i.test(name)) {
      const routine = a['actions']
        .filter(isObject)
        .map((r) => ({ action: str(r['action_name']), count: optNum(r['count']) ?? 1 }))
        .filter((r) => names.includes(r.action) && r.count > 0);
      if (routine.length) action.multiattack = routine;
    }
    return action;
  });
}

function fromDnd5eApi(raw: unknown, what: string): CreatureInput {
  if (!isObject(raw)) throw new CliError(`${what}: must be a JSON object (a dnd5eapi monster)`);
  const name = str(raw['name']);
  if (!name) throw new CliError(`${what}.name: required`);
  const abilities = {} as Record<Ability, number>;
  const longNames: Record<Ability, string> = {
    str: 'strength',
    dex: 'dexterity',
    con: 'constitution',
    int: 'intelligence',
    wis: 'wisdom',
    cha: 'charisma',
  };
  for (const a of ABILITIES) abilities[a] = num(raw, longNames[a], what);
  const acList = raw['armor_class'];
  const ac = Array.isArray(acList)
    ? optNum(isObject(acList[0]) ? acList[0]['value'] : acList[0])
    : optNum(acList);
  if (ac === undefined) throw new CliError(`${what}.armor_class: must be a number or [{ value }]`);
  const saves: Partial<Record<Ability, number>> = {};
  const skills: Record<string, number> = {};
  for (const p of Array.isArray(raw['proficiencies']) ? raw['proficiencies'].filter(isObject) : []) {
    const index = str(isObject(p['proficiency']) ? p['proficiency']['index'] : '');
    const value = optNum(p['value']);
    if (value === undefined) continue;
    const save = /^saving-throw-(\w+)$/.exec(index);
    const skill = /^skill-(.+)$/.exec(index);
    if (save?.[1] && abilityFromName(save[1])) saves[abilityFromName(save[1]) as Ability] = value;
    if (skill?.[1] && (SKILL_IDS as string[]).includes(skill[1])) skills[skill[1]] = value;
  }
  const speed = isObject(raw['speed']) ? raw['speed'] : {};
  const senses = isObject(raw['senses']) ? raw['senses'] : {};
  const cr = crFrom(raw['challenge_rating'], `${what}.challenge_rating`);
  const special = Array.isArray(raw['special_abilities']) ? raw['special_abilities'].filter(isObject) : [];
  const legendaryRes = special.reduce((n, t) => {
    const fromName = parseLegendaryResistance(str(t['name']));
    const fromUsage = /legendary resistance/i.test(str(t['name']))
      ? (optNum(isObject(t['usage']) ? t['usage']['times'] : undefined) ?? 0)
      : 0;
    return n + Math.max(fromName, fromUsage);
  }, 0);
  const languages = str(raw['languages']);
  const telepathy = /telepathy (\d+)/i.exec(languages);
  const legendary = dnd5eActions(raw['legendary_actions']);
  const hp = num(raw, 'hit_points', what);
  return {
    id: slug(str(raw['index'], name)) || 'creature',
    name,
    size: str(raw['size'], 'medium').toLowerCase() as CreatureInput['size'],
    type: str(raw['type'], 'monstrosity').toLowerCase(),
    alignment: str(raw['alignment'], 'unaligned'),
    ac,
    hp: { average: hp, formula: str(raw['hit_points_roll'], str(raw['hit_dice'], String(hp))) },
    speed: {
      walk: optNum(speed['walk']) ?? 0,
      ...(optNum(speed['fly']) !== undefined ? { fly: optNum(speed['fly']) as number } : {}),
      ...(optNum(speed['swim']) !== undefined ? { swim: optNum(speed['swim']) as number } : {}),
      ...(optNum(speed['climb']) !== undefined ? { climb: optNum(speed['climb']) as number } : {}),
      ...(optNum(speed['burrow']) !== undefined ? { burrow: optNum(speed['burrow']) as number } : {}),
      ...(speed['hover'] === true ? { hover: true } : {}),
    },
    abilities,
    initiative: mod(abilities.dex),
    saves,
    skills,
    senses: {
      ...(optNum(senses['darkvision']) !== undefined
        ? { darkvision: optNum(senses['darkvision']) as number }
        : {}),
      ...(optNum(senses['blindsight']) !== undefined
        ? { blindsight: optNum(senses['blindsight']) as number }
        : {}),
      ...(optNum(senses['tremorsense']) !== undefined
        ? { tremorsense: optNum(senses['tremorsense']) as number }
        : {}),
      ...(optNum(senses['truesight']) !== undefined
        ? { truesight: optNum(senses['truesight']) as number }
        : {}),
      passivePerception: optNum(senses['passive_perception']) ?? 10 + mod(abilities.wis),
    },
    languages: languages
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter((s) => s && !/telepathy/i.test(s)),
    ...(telepathy ? { telepathy: Number(telepathy[1]) } : {}),
    resistances: damageTypesIn(raw['damage_resistances']),
    immunities: damageTypesIn(raw['damage_immunities']),
    vulnerabilities: damageTypesIn(raw['damage_vulnerabilities']),
    conditionImmunities: conditionsIn(raw['condition_immunities']),
    cr,
    xp: optNum(raw['xp']) ?? xpForCr(cr),
    proficiencyBonus: optNum(raw['proficiency_bonus']) ?? proficiencyBonusForCr(cr),
    traits: special.map((t) => ({ name: str(t['name']), summary: str(t['desc']).slice(0, 200) })),
    legendaryResistance: legendaryRes,
    actions: dnd5eActions(raw['actions']),
    bonusActions: dnd5eActions(raw['bonus_actions']),
    reactions: dnd5eActions(raw['reactions']),
    legendaryActions: legendary.length
      ? { uses: optNum(raw['legendary_actions_uses']) ?? 3, actions: legendary }
      : null,
    spellcasting: null,
    summary: `Converted from dnd5eapi (${name}).`,
  };
}

// ------------------------------------------------------------------------------------------------ open5e

const OPEN5E_SKILL: Record<string, string> = Object.fromEntries(
  SKILL_IDS.map((s) => [s.replace(/-/g, '_'), s]),
);

function open5eAttackDamage(att: Json): DamageRoll[] {
  const out: DamageRoll[] = [];
  const count = optNum(att['damage_die_count']);
  const die = optNum(att['damage_die_type']);
  const bonus = optNum(att['damage_bonus']) ?? 0;
  const extraCount = optNum(att['extra_damage_die_count']);
  // Open5e quirk: with no structured rider, the main type often sits in `extra_damage_type`.
  const mainType =
    damageTypeFromName(str(att['damage_type'])) ??
    (extraCount === undefined ? damageTypeFromName(str(att['extra_damage_type'])) : undefined);
  if (count !== undefined && die !== undefined && mainType) {
    const dice = `${count}d${die}${bonus ? (bonus > 0 ? `+${bonus}` : String(bonus)) : ''}`;
    out.push({ dice, type: mainType, average: averageDamage(dice) });
  }
  const extraDie = optNum(att['extra_damage_die_type']);
  const extraType = damageTypeFromName(str(att['extra_damage_type']));
  if (extraCount !== undefined && extraDie !== undefined && extraType) {
    const eb = optNum(att['extra_damage_bonus']) ?? 0;
    const dice = `${extraCount}d${extraDie}${eb ? (eb > 0 ? `+${eb}` : String(eb)) : ''}`;
    out.push({ dice, type: extraType, average: averageDamage(dice) });
  }
  return out;
}

function fromOpen5e(raw: unknown, what: string): CreatureInput {
  if (!isObject(raw)) throw new CliError(`${what}: must be a JSON object (an Open5e v2 creature)`);
  const name = str(raw['name']);
  if (!name) throw new CliError(`${what}.name: required`);
  const scores = isObject(raw['ability_scores']) ? raw['ability_scores'] : raw;
  const longNames: Record<Ability, string> = {
    str: 'strength',
    dex: 'dexterity',
    con: 'constitution',
    int: 'intelligence',
    wis: 'wisdom',
    cha: 'charisma',
  };
  const abilities = {} as Record<Ability, number>;
  for (const a of ABILITIES) {
    const v = optNum(scores[longNames[a]]) ?? optNum(raw[`ability_score_${longNames[a]}`]);
    if (v === undefined) throw new CliError(`${what}.ability_scores.${longNames[a]}: must be a number`);
    abilities[a] = v;
  }
  const savesRaw = isObject(raw['saving_throws']) ? raw['saving_throws'] : {};
  const saves: Partial<Record<Ability, number>> = {};
  for (const a of ABILITIES) {
    const v = optNum(savesRaw[longNames[a]]);
    if (v !== undefined && v !== mod(abilities[a])) saves[a] = v;
  }
  const skillsRaw = isObject(raw['skill_bonuses']) ? raw['skill_bonuses'] : {};
  const skills: Record<string, number> = {};
  for (const [k, v] of Object.entries(skillsRaw)) {
    const id = OPEN5E_SKILL[k];
    const n = optNum(v);
    if (id && n !== undefined) skills[id] = n;
  }
  const speed = isObject(raw['speed']) ? raw['speed'] : {};
  const cr = crFrom(
    raw['challenge_rating_decimal'] ?? raw['challenge_rating'],
    `${what}.challenge_rating_decimal`,
  );
  const actionsRaw = Array.isArray(raw['actions']) ? raw['actions'].filter(isObject) : [];
  const names = actionsRaw.map((a) => str(a['name']));
  const byType = (t: string): CreatureAction[] =>
    actionsRaw
      .filter((a) => str(a['action_type'], 'ACTION').toUpperCase() === t)
      .map((a) => {
        const desc = str(a['desc']);
        const attacks = Array.isArray(a['attacks']) ? a['attacks'].filter(isObject) : [];
        const structured: Parameters<typeof actionFrom>[2] = {};
        const att = attacks[0];
        if (att && optNum(att['to_hit_mod']) !== undefined) {
          const parsed = parseAttackText(desc);
          const damage = open5eAttackDamage(att);
          const reach = optNum(att['reach']);
          const range = optNum(att['range']);
          structured.attack = {
            kind: parsed?.kind ?? (range ? 'ranged' : 'melee'),
            bonus: optNum(att['to_hit_mod']) as number,
            damage: damage.length ? damage : (parsed?.damage ?? []),
            ...(reach ? { reach } : {}),
            ...(range
              ? {
                  range: {
                    normal: range,
                    ...(optNum(att['long_range']) ? { long: optNum(att['long_range']) as number } : {}),
                  },
                }
              : {}),
          };
        }
        const usesType = str(a['uses_type']).toUpperCase();
        const param = optNum(a['uses_param']);
        if (usesType === 'PER_DAY' && param) structured.usage = { type: 'per-day', times: param };
        else if (usesType.startsWith('RECHARGE') && param)
          structured.usage = { type: 'recharge', min: Math.min(6, Math.max(2, param)) };
        else if (usesType.startsWith('RECHARGE')) structured.usage = { type: 'rest', rest: 'short' };
        return actionFrom(str(a['name']), desc, structured, names);
      });
  const traits = (Array.isArray(raw['traits']) ? raw['traits'].filter(isObject) : []).map((t) => ({
    name: str(t['name']),
    summary: str(t['desc']).slice(0, 200),
  }));
  const legendary = byType('LEGENDARY_ACTION');
  const hp = num(raw, 'hit_points', what);
  const ac = num(raw, 'armor_class', what);
  return {
    id: slug(str(raw['key'], name).replace(/^srd(-2024)?_/, '')) || 'creature',
    name,
    size: str(raw['size'], 'medium').toLowerCase() as CreatureInput['size'],
    type: str(raw['type'], 'monstrosity').toLowerCase(),
    alignment: str(raw['alignment'], 'unaligned'),
    ac,
    hp: { average: hp, formula: str(raw['hit_dice'], String(hp)) },
    speed: {
      walk: optNum(speed['walk']) ?? 0,
      ...(optNum(speed['fly']) ? { fly: optNum(speed['fly']) as number } : {}),
      ...(optNum(speed['swim']) ? { swim: optNum(speed['swim']) as number } : {}),
      ...(optNum(speed['climb']) ? { climb: optNum(speed['climb']) as number } : {}),
      ...(optNum(speed['burrow']) ? { burrow: optNum(speed['burrow']) as number } : {}),
      ...(speed['hover'] === true ? { hover: true } : {}),
    },
    abilities,
    initiative: optNum(raw['initiative_bonus']) ?? mod(abilities.dex),
    saves,
    skills,
    senses: {
      ...(optNum(raw['darkvision_range']) ? { darkvision: optNum(raw['darkvision_range']) as number } : {}),
      ...(optNum(raw['blindsight_range']) ? { blindsight: optNum(raw['blindsight_range']) as number } : {}),
      ...(optNum(raw['tremorsense_range'])
        ? { tremorsense: optNum(raw['tremorsense_range']) as number }
        : {}),
      ...(optNum(raw['truesight_range']) ? { truesight: optNum(raw['truesight_range']) as number } : {}),
      passivePerception: optNum(raw['passive_perception']) ?? 10 + mod(abilities.wis),
    },
    languages: (Array.isArray(raw['languages']) ? raw['languages'] : []).map((l) => str(l)).filter(Boolean),
    resistances: damageTypesIn(raw['damage_resistances']),
    immunities: damageTypesIn(raw['damage_immunities']),
    vulnerabilities: damageTypesIn(raw['damage_vulnerabilities']),
    conditionImmunities: conditionsIn(raw['condition_immunities']),
    cr,
    xp: optNum(raw['experience_points']) ?? xpForCr(cr),
    proficiencyBonus: proficiencyBonusForCr(cr),
    traits,
    legendaryResistance: traits.reduce((n, t) => n + parseLegendaryResistance(t.name), 0),
    actions: byType('ACTION'),
    bonusActions: byType('BONUS_ACTION'),
    reactions: byType('REACTION'),
    legendaryActions: legendary.length ? { uses: 3, actions: legendary } : null,
    spellcasting: null,
    summary: `Converted from Open5e (${name}).`,
  };
}

/** Convert one creature in `format` into the Loreforge shape (still to be validated with CreatureSchema). */
export function convertCreature(raw: unknown, format: CreatureFormat, what = 'creature'): unknown {
  switch (format) {
    case 'loreforge':
      return raw;
    case 'dnd5eapi':
      return fromDnd5eApi(raw, what);
    case 'open5e':
      return fromOpen5e(raw, what);
  }
}
