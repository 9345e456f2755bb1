/**
 * dnd5eapi monster (5e-bits/5e-database `5e-SRD-Monsters.json`, dnd5eapi.co `/api/2014|2024/monsters/<index>`)
 * → our `Creature` stat block. Structured facts (`attack_bonus`, `damage[]`, `dc`, `usage`, the Multiattack
 * `actions[]` routine, `spellcasting`) win; the text fills in what they lack (reach, range, area, riders).
 */
import {
  SKILL_IDS,
  type Ability,
  type Creature,
  type CreatureAction,
  type DamageRoll,
  type Skill,
} from '../content/types';
import { estimateCr } from '../cr/estimate';
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
import { ABILITY_LONG_NAMES } from './open5e';
import {
  abilityFromName,
  averageDamage,
  damageTypeFromName,
  normaliseDice,
  parseAttackText,
  parseLegendaryResistance,
  parseSaveEffect,
  parseUsage,
  slugify,
  wordNumber,
  type ParsedSpellcasting,
} from './stat-block-text';
import { summariseCreature, summariseTrait } from './stat-block-summary';

function damageFrom(list: unknown): DamageRoll[] {
  const out: DamageRoll[] = [];
  for (const d of objectsIn(list)) {
    const type = damageTypeFromName(keyOf(d['damage_type']));
    const dice = typeof d['damage_dice'] === 'string' ? normaliseDice(d['damage_dice']) : undefined;
    if (type && dice && /^\d+(d\d+)?([+-]\d+)?$/.test(dice))
      out.push({ dice, type, average: averageDamage(dice) });
  }
  return out;
}

/**
 * The damaging save rider of a 2014 attack ("the target must make a DC 19 Constitution saving throw, taking 42
 * (12d6) poison damage on a failed save, or half as much damage on a successful one"), which the structured
 * `damage[]` of the attack leaves out. Riders without damage (conditions) and "takes X at the start of each of
 * its turns" are left out.
 */
export function saveRider2014(desc: string): CreatureAction['save'] | undefined {
  const m =
    /DC (\d+) (Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) saving throw,? taking (\d+) \(([\dd +-]+)\) (\w+) damage on a failed (?:save|saving throw)(, or half as much damage on a successful one)?/i.exec(
      desc,
    );
  if (!m) return undefined;
  const ability = abilityFromName(m[2] ?? '');
  const type = damageTypeFromName(m[5] ?? '');
  const dice = normaliseDice(m[4] ?? '');
  if (!ability || !type || !/^\d+(d\d+)?([+-]\d+)?$/.test(dice)) return undefined;
  return {
    ability,
    dc: Number(m[1]),
    damage: [{ dice, type, average: Number(m[3]) }],
    onSuccess: m[6] ? 'half' : 'none',
    area: false,
  };
}

/**
 * Damage a 2014 feature deals outside the actions' own damage, from its text (the DMG's monster features):
 * Sneak Attack / Martial Advantage (once per turn: every round), Charge / Surprise Attack (once), an aura that
 * damages each creature near it at the start of its turns (every round), and swallowing or engulfing (two
 * rounds of the damage the swallowed creature takes at the start of each of the monster's turns, once). Extra damage "included in the attack" is not counted twice.
 */
export function featureDamage2014(
  name: string,
  desc: string,
): NonNullable<Creature['featureDamage']>[number] | undefined {
  if (/included in the attack/i.test(desc)) return undefined;
  const swallow =
    /swallow|engulf/i.test(desc) &&
    /takes? (\d+) \([\dd +-]+\) \w+ damage at the start of each of/i.exec(desc);
  if (swallow) return { feature: name, average: 2 * Number(swallow[1]), per: 'once' };
  const extra = /\bextra (\d+) \(\d+d\d+(?: ?[+-] ?\d+)?\)/i.exec(desc);
  if (extra) {
    const average = Number(extra[1]);
    if (/moves at least \d+ (?:ft\.?|feet) straight toward|surprises a creature/i.test(desc))
      return { feature: name, average, per: 'once' };
    if (/once per turn|\b1\/turn\b|sneak attack|martial advantage/i.test(`${name} ${desc}`))
      return { feature: name, average, per: 'round' };
    return undefined;
  }
  const aura =
    /at the start of each of [^.]*turns, each creature within \d+ (?:feet|ft\.?) of it takes (\d+) \(/i.exec(
      desc,
    );
  if (aura) return { feature: name, average: Number(aura[1]), per: 'round' };
  return undefined;
}

/**
 * A trait's one-line summary; a Regeneration trait keeps the hit points it regains ("regains 20 hit points at
 * the start of its turn"), which the CR estimate reads.
 */
function traitSummary(name: string, desc: string): string {
  const summary = summariseTrait(name, desc);
  const regains = /regenerat/i.test(name) ? /regains (\d+) hit points/i.exec(desc) : null;
  return regains && !/\d+ hit points/i.test(summary)
    ? `${summary.replace(/\.$/, '')}: regains ${regains[1]} hit points a round.`
    : summary;
}

function usageFrom(u: unknown, name: string): CreatureAction['usage'] {
  if (isObject(u)) {
    const type = keyOf(u['type']);
    if (type.startsWith('recharge on roll'))
      return { type: 'recharge', min: Math.min(6, Math.max(2, optNum(u['min_value']) ?? 6)) };
    if (type === 'per day') return { type: 'per-day', times: Math.max(1, optNum(u['times']) ?? 1) };
    if (type.includes('rest')) return { type: 'rest', rest: type.includes('long') ? 'long' : 'short' };
  }
  return parseUsage(name);
}

/**
 * The action a routine names: the same name, else the same ignoring case and a plural "s" (a 2014 routine asks
 * for "Claws" where the action is "Claw").
 */
function actionNamed(name: string, actionNames: readonly string[]): string | undefined {
  const n = name.trim();
  if (actionNames.includes(n)) return n;
  const key = (s: string): string => s.toLowerCase().replace(/s$/, '');
  return actionNames.find((x) => key(x) === key(n));
}

/**
 * A Multiattack's structured routine: `actions[]`, plus the first option of an `action_options` choice when it
 * repeats an action of the routine (the 2024 dragons' "Rend ×2, plus Rend or Spellcasting" is three Rend
 * attacks). Other choices ("uses either Consume Memories or Dominate Mind") are options, left out as in the text.
 */
function multiattackFrom(
  a: Json,
  actionNames: readonly string[],
  traitText = '',
): { action: string; count: number }[] {
  const routine: { action: string; count: number }[] = [];
  for (const r of objectsIn(a['actions'])) {
    const action = actionNamed(nameOf(r['action_name']), actionNames);
    const count = optNum(r['count']) ?? countNamedInTraits(r['count'], traitText) ?? 1;
    if (!action || count <= 0) continue;
    const existing = routine.find((x) => x.action === action);
    if (existing) existing.count += count;
    else routine.push({ action, count });
  }
  const options = isObject(a['action_options']) ? a['action_options'] : {};
  const first = objectsIn(isObject(options['from']) ? options['from']['options'] : undefined)[0];
  if (first && routine.length === 0) {
    // 2014 records keep the whole routine as a choice ("three Tentacle attacks, each replaceable by Fling"):
    // the first option is the main routine, one action or several (`multiple`).
    const items = keyOf(first['option_type']) === 'multiple' ? objectsIn(first['items']) : [first];
    for (const item of items) {
      const action = actionNamed(nameOf(item['action_name']), actionNames);
      const count = optNum(item['count']) ?? 1;
      if (keyOf(item['option_type']) !== 'action' || !action || count <= 0) continue;
      const existing = routine.find((x) => x.action === action);
      if (existing) existing.count += count;
      else routine.push({ action, count });
    }
    return routine;
  }
  const repeated =
    first && routine.find((x) => x.action === actionNamed(nameOf(first['action_name']), actionNames));
  if (first && repeated && keyOf(first['option_type']) === 'action')
    repeated.count += optNum(first['count']) ?? 1;
  return routine;
}

/**
 * A count the record gives as a quantity of the creature's own ("Number of Heads": the Hydra bites once per head)
 * read from its traits ("The hydra has five heads"); undefined when the traits do not state it.
 */
function countNamedInTraits(raw: unknown, traitText: string): number | undefined {
  const m = typeof raw === 'string' ? /^number of (\w+)$/i.exec(raw.trim()) : null;
  if (!m?.[1]) return undefined;
  const said = new RegExp(`\\bhas (\\w+) ${m[1]}\\b`, 'i').exec(traitText);
  const n = said?.[1] ? wordNumber(said[1]) : undefined;
  return n !== undefined && n > 0 ? n : undefined;
}

/** A slot caster's slots by level (`{ "1": 4, "3": 2 }` → [4, 0, 2]); undefined when none. */
function slotsFrom(raw: unknown): number[] | undefined {
  if (!isObject(raw)) return undefined;
  const slots: number[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const level = Number(key);
    const n = optNum(value);
    if (!Number.isInteger(level) || level < 1 || level > 9 || n === undefined || n < 0) continue;
    while (slots.length < level) slots.push(0);
    slots[level - 1] = Math.floor(n);
  }
  return slots.length > 0 ? slots : undefined;
}

function spellcastingFrom(sc: Json): ParsedSpellcasting | undefined {
  const ability = abilityFromName(keyOf(sc['ability']));
  if (!ability) return undefined;
  const level = optNum(sc['level']);
  const slots = slotsFrom(sc['slots']);
  return {
    ability,
    dc: optNum(sc['dc']) ?? null,
    attackBonus: optNum(sc['modifier']) ?? null,
    ...(level !== undefined && Number.isInteger(level) && level >= 1 && level <= 20 ? { level } : {}),
    ...(slots ? { slots } : {}),
    spells: objectsIn(sc['spells']).map((s) => {
      const spell = slugify(keyOf(s['index'] ?? s['name']));
      const level = optNum(s['level']) ?? 0;
      // A prepared spell of a slot caster (no usage of its own) is cast from a slot of its level.
      if (!isObject(s['usage']) && isObject(sc['slots']) && level > 0)
        return { spell, usage: `slot level ${level}` };
      const usage = isObject(s['usage']) ? keyOf(s['usage']['type']) : 'at will';
      const times = isObject(s['usage']) ? (optNum(s['usage']['times']) ?? 1) : 1;
      return { spell, usage: usage === 'per day' ? `${times}/day` : 'at-will' };
    }),
  };
}

function actionsFrom(
  list: unknown,
  field: string,
  ctx: {
    actionNames: readonly string[];
    /** The traits' text, where a count like "Number of Heads" is stated. */
    traitText?: string;
    where: string;
    options: CreatureConvertOptions;
    spellcasting: { found: ParsedSpellcasting | null };
  },
  legendary: boolean,
): CreatureAction[] {
  return objectsIn(list).map((a, i) => {
    const name = nameOf(a['name']).trim().replace(/\.$/, '') || 'Action';
    const desc = nameOf(a['desc']).trim();
    const facts: StructuredFacts = {};
    const damage = damageFrom(a['damage']);
    const bonus = optNum(a['attack_bonus']);
    if (bonus !== undefined) {
      const parsed = parseAttackText(desc);
      facts.attack = {
        kind: parsed?.kind ?? (/\branged\b/i.test(desc) ? 'ranged' : 'melee'),
        bonus,
        ...(parsed?.reach !== undefined ? { reach: parsed.reach } : {}),
        ...(parsed?.range ? { range: parsed.range } : {}),
        damage: damage.length ? damage : (parsed?.damage ?? []),
      };
      // A save rider whose damage the attack's own list already holds ("Hit: The target must make …") is not
      // counted twice.
      const rider = saveRider2014(desc);
      const own = facts.attack.damage;
      if (rider && !rider.damage.some((r) => own.some((d) => d.dice === r.dice && d.type === r.type)))
        facts.save = rider;
    } else if (isObject(a['dc'])) {
      const dc = a['dc'];
      const ability = abilityFromName(keyOf(dc['dc_type']));
      const dcValue = optNum(dc['dc_value']);
      if (ability && dcValue !== undefined) {
        const parsed = parseSaveEffect(desc);
        facts.save = {
          ability,
          dc: dcValue,
          damage: damage.length ? damage : (parsed?.damage ?? []),
          onSuccess: keyOf(dc['success_type']) === 'half' ? 'half' : 'none',
          area: parsed?.area ?? false,
        };
      }
    }
    const usage = usageFrom(a['usage'], name);
    if (usage) facts.usage = usage;
    if (legendary) facts.cost = optNum(/Costs? (\d) Actions/i.exec(`${name} ${desc}`)?.[1]) ?? 1;
    const routine = multiattackFrom(a, ctx.actionNames, ctx.traitText);
    if (routine.length) facts.multiattack = routine;
    const sc = isObject(a['spellcasting']) ? spellcastingFrom(a['spellcasting']) : undefined;
    if (sc) {
      facts.spellcasting = sc;
      ctx.spellcasting.found = sc;
    }
    return buildAction(name, desc, facts, { ...ctx, field: `${field}[${i}].desc` });
  });
}

/**
 * The edition a dnd5eapi monster's text is written for: '2024' when an action reads "Melee Attack Roll:" or a
 * save is worded "Dexterity Saving Throw: DC 13"; '2014' otherwise ("Melee Weapon Attack: +4 to hit", "DC 13
 * Dexterity saving throw", or no attack text at all, as most monsters in this format are SRD 5.1 ones).
 */
export function statBlockRuleset(raw: unknown): '2014' | '2024' {
  if (!isObject(raw)) return '2014';
  const texts = ['actions', 'bonus_actions', 'reactions', 'legendary_actions', 'special_abilities']
    .flatMap((f) => objectsIn(raw[f]))
    .map((a) => nameOf(a['desc']));
  const is2024 = texts.some(
    (t) =>
      /\b(?:Melee|Ranged|Melee or Ranged) Attack Roll:/.test(t) ||
      /\b(?:Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) Saving Throw: DC \d+/.test(t),
  );
  return is2024 ? '2024' : '2014';
}

/**
 * Convert one dnd5eapi monster. Throws a `CreatureFormatError` naming the field when a fact a stat block
 * needs is missing or wrong (name, the six scores, armor_class, hit_points, size, a malformed challenge_rating).
 * A monster with no `challenge_rating` (homebrew) gets the CR `estimateCr` computes from its converted stat block
 * (legendary actions and resistance, spellcasting, multiattack included), its XP and proficiency bonus from that
 * CR unless given, and a note through `onNote`.
 */
export function fromDnd5eApiMonster(raw: unknown, options: CreatureConvertOptions = {}): Creature {
  if (!isObject(raw)) throw new CreatureFormatError('', 'must be a JSON object (a dnd5eapi monster)');
  const name = nameOf(raw['name']).trim();
  if (!name) throw new CreatureFormatError('name', 'required');
  const abilities = {} as Record<Ability, number>;
  for (const [a, long] of Object.entries(ABILITY_LONG_NAMES) as [Ability, string][])
    abilities[a] = reqNum(raw, long);
  const acList = raw['armor_class'];
  const ac = Array.isArray(acList)
    ? optNum(isObject(acList[0]) ? acList[0]['value'] : acList[0])
    : optNum(acList);
  if (ac === undefined) throw new CreatureFormatError('armor_class', 'must be a number or [{ value }]');
  const saves: Partial<Record<Ability, number>> = {};
  const skills: Partial<Record<Skill, number>> = {};
  for (const p of objectsIn(raw['proficiencies'])) {
    const index = keyOf(isObject(p['proficiency']) ? p['proficiency']['index'] : '');
    const value = optNum(p['value']);
    if (value === undefined) continue;
    const save = abilityFromName(/^saving-throw-(\w+)$/.exec(index)?.[1] ?? '');
    const skill = /^skill-(.+)$/.exec(index)?.[1];
    if (save) saves[save] = value;
    if (skill && (SKILL_IDS as readonly string[]).includes(skill)) skills[skill as Skill] = value;
  }
  // Homebrew often has no CR: then the stat block is converted first and its CR estimated from it.
  const crRaw = raw['challenge_rating'];
  const crGiven = crRaw !== undefined && crRaw !== null && crRaw !== '';
  const cr = crGiven ? crFrom(crRaw, 'challenge_rating') : 0;
  const special = objectsIn(raw['special_abilities']);
  const legendaryResistance = special.reduce((n, t) => {
    const fromName = parseLegendaryResistance(nameOf(t['name']));
    const fromUsage = /^legendary resistance/i.test(nameOf(t['name']).trim())
      ? (optNum(isObject(t['usage']) ? t['usage']['times'] : undefined) ?? 0)
      : 0;
    return Math.max(n, fromName, fromUsage);
  }, 0);
  const actionNames = [raw['actions'], raw['bonus_actions'], raw['reactions']]
    .flatMap((l) => objectsIn(l))
    .map((a) => nameOf(a['name']).trim().replace(/\.$/, ''));
  // Older records keep spellcasting as a trait ("Spellcasting", "Innate Spellcasting") with a structured list.
  const traitSpells = special.find((t) => isObject(t['spellcasting']))?.['spellcasting'];
  const spellcasting: { found: ParsedSpellcasting | null } = {
    found: isObject(traitSpells) ? (spellcastingFrom(traitSpells) ?? null) : null,
  };
  const traitText = special.map((t) => nameOf(t['desc'])).join('\n');
  const ctx = { actionNames, traitText, where: name, options, spellcasting };
  const actions = actionsFrom(raw['actions'], 'actions', ctx, false);
  const bonusActions = actionsFrom(raw['bonus_actions'], 'bonus_actions', ctx, false);
  const reactions = actionsFrom(raw['reactions'], 'reactions', ctx, false);
  const legendary = actionsFrom(raw['legendary_actions'], 'legendary_actions', ctx, true);
  const featureDamage = [
    ...special,
    ...['actions', 'bonus_actions', 'legendary_actions'].flatMap((f) => objectsIn(raw[f])),
  ].flatMap((t) => {
    const d = featureDamage2014(nameOf(t['name']).trim(), nameOf(t['desc']));
    return d ? [d] : [];
  });
  const hp = reqNum(raw, 'hit_points');
  const senses = isObject(raw['senses']) ? raw['senses'] : {};
  const creature: Creature = {
    id: slugify(keyOf(raw['index'], name)) || slugify(name) || 'creature',
    name,
    size: sizeFrom(raw['size'], 'size'),
    type: keyOf(raw['type'], 'monstrosity'),
    alignment: nameOf(raw['alignment'], 'unaligned'),
    ac,
    hp: {
      average: hp,
      formula: normaliseDice(nameOf(raw['hit_points_roll'], nameOf(raw['hit_dice'], String(hp)))),
    },
    speed: speedFrom(isObject(raw['speed']) ? raw['speed'] : {}, false),
    abilities,
    initiative: abilityMod(abilities.dex),
    saves,
    skills,
    senses: sensesFrom(senses, optNum(senses['passive_perception']) ?? 10 + abilityMod(abilities.wis)),
    ...languagesFromText(nameOf(raw['languages'])),
    resistances: damageTypesIn(raw['damage_resistances']),
    immunities: damageTypesIn(raw['damage_immunities']),
    vulnerabilities: damageTypesIn(raw['damage_vulnerabilities']),
    conditionImmunities: conditionsIn(raw['condition_immunities']),
    cr,
    xp: optNum(raw['xp']) ?? xpForCr(cr, { harmless: !dealsDamage(actions, bonusActions, reactions) }),
    proficiencyBonus: optNum(raw['proficiency_bonus']) ?? proficiencyBonusForCr(cr),
    traits: special.map((t) => ({
      name: nameOf(t['name']).trim(),
      summary: traitSummary(nameOf(t['name']).trim(), nameOf(t['desc'])),
    })),
    legendaryResistance,
    actions,
    bonusActions,
    reactions,
    legendaryActions: legendary.length
      ? { uses: optNum(raw['legendary_actions_uses']) ?? 3, actions: legendary }
      : null,
    spellcasting: spellcasting.found,
    ...(featureDamage.length > 0 ? { featureDamage } : {}),
    summary: '',
  };
  if (!crGiven) {
    // 2014 stat blocks ("Melee Weapon Attack: +9 to hit") are scored by the calibration fitted on 2014 monsters.
    const est = estimateCr(creature, {
      ruleset: statBlockRuleset(raw),
      ...(options.spells ? { spells: options.spells } : {}),
    });
    creature.cr = est.cr;
    creature.xp = optNum(raw['xp']) ?? est.xp;
    creature.proficiencyBonus = optNum(raw['proficiency_bonus']) ?? proficiencyBonusForCr(est.cr);
    options.onNote?.(
      `${name}: no challenge_rating given; estimated CR ${est.cr} (defensive ${est.defensiveCr}, offensive ${est.offensiveCr})`,
    );
  }
  creature.summary = summariseCreature(creature);
  return creature;
}
