/**
 * Creatures: Open5e Creature + CreatureTrait + CreatureAction + CreatureActionAttack. Attacks, save effects,
 * multiattack routines and spellcasting are parsed from the 2024 stat-block text and cross-checked against the
 * structured attack records (see the damage-type quirk in the Open5e README).
 */
import type {
  Ability,
  Condition,
  Creature,
  CreatureAction,
  DamageRoll,
  Size,
  Skill,
  Usage,
} from '@loreforge/rules-5e';
import { CONDITIONS, SKILL_IDS } from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import {
  XP_BY_CR,
  ability,
  abilityMod,
  averageOf,
  damageType,
  isDamageType,
  key,
  normDice,
  num,
  pbForCr,
  readOpen5e,
  slug,
  wordNumber,
} from './util';

type CreatureFields = Record<string, unknown> & {
  name: string;
  size: string;
  type: string;
  alignment: string;
  armor_class: number;
  hit_points: number;
  hit_dice: string;
  challenge_rating: string;
  initiative_bonus: number;
  languages_desc: string;
  passive_perception: number;
  damage_resistances: string[];
  damage_immunities: string[];
  damage_vulnerabilities: string[];
  condition_immunities: string[];
  hover: boolean;
};
interface TraitFields {
  parent: string;
  name: string;
  desc: string;
}
interface ActionFields {
  parent: string;
  name: string;
  desc: string;
  action_type: 'ACTION' | 'BONUS_ACTION' | 'REACTION' | 'LEGENDARY_ACTION';
  order_in_statblock: number;
  uses_type: string | null;
  uses_param: number | null;
  limited_to_form: string | null;
}
interface AttackFields {
  parent: string;
  to_hit_mod: number;
  damage_die_count: number | null;
  damage_die_type: string | null;
  damage_bonus: number | null;
  damage_type: string | null;
  extra_damage_type: string | null;
  extra_damage_die_count: number | null;
  extra_damage_die_type: string | null;
  reach: number | null;
  range: number | null;
  long_range: number | null;
}

const ABILITY_KEYS: [Ability, string][] = [
  ['str', 'strength'],
  ['dex', 'dexterity'],
  ['con', 'constitution'],
  ['int', 'intelligence'],
  ['wis', 'wisdom'],
  ['cha', 'charisma'],
];
const ABBR: Record<Ability, string> = {
  str: 'Str',
  dex: 'Dex',
  con: 'Con',
  int: 'Int',
  wis: 'Wis',
  cha: 'Cha',
};

/** Creatures that SRD 5.2.1 lists as Tiny (Open5e files them as Small). */
const TINY = new Set([
  'bat',
  'badger',
  'cat',
  'crab',
  'frog',
  'hawk',
  'lizard',
  'owl',
  'piranha',
  'rat',
  'raven',
  'scorpion',
  'seahorse',
  'spider',
  'weasel',
  'venomous-snake',
  'flying-snake',
  'homunculus',
  'imp',
  'pseudodragon',
  'quasit',
  'sprite',
  'stirge',
  'will-o-wisp',
  'sphinx-of-wonder',
]);
/** "Medium or Small" stat blocks that Open5e stores as Small: we store Medium. */
const MEDIUM_OR_SMALL_OTHERS = new Set([
  'mummy',
  'mummy-lord',
  'vampire',
  'vampire-spawn',
  'wraith',
  'werebear',
  'wereboar',
  'wererat',
  'weretiger',
  'werewolf',
]);
/** Our one-line descriptions of the most common creature traits. */
const TRAIT_TEXT: Record<string, string> = {
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

const TRULY_SMALL_HUMANOIDS = new Set(['goblin-minion', 'goblin-warrior', 'goblin-boss', 'kobold-warrior']);

/** Vulnerabilities missing from the Open5e export (every record has none), restored from the 2014 SRD stat blocks. */
const VULNERABILITIES: Record<string, Creature['vulnerabilities']> = {
  skeleton: ['bludgeoning'],
  'warhorse-skeleton': ['bludgeoning'],
  mummy: ['fire'],
  'mummy-lord': ['fire'],
};

const DAMAGE_RE = /(\d+) \((\d+d\d+(?:\s*[+−-]\s*\d+)?)\) ([A-Za-z]+) damage/;
const FLAT_DAMAGE_RE = /\b(\d+) ([A-Z][a-z]+) damage/;

/** Damage rolls at the start of `text`: the first roll plus any "plus N (XdY) Type damage" riders. */
export function parseDamage(text: string): DamageRoll[] {
  const out: DamageRoll[] = [];
  const first = DAMAGE_RE.exec(text);
  const flat = FLAT_DAMAGE_RE.exec(text);
  let rest: string;
  if (first && (!flat || first.index <= flat.index)) {
    const type = first[3]?.toLowerCase() ?? '';
    if (!isDamageType(type)) return out;
    out.push({ dice: normDice(first[2] ?? ''), average: Number(first[1]), type });
    rest = text.slice(first.index + first[0].length);
  } else if (flat) {
    const type = flat[2]?.toLowerCase() ?? '';
    if (!isDamageType(type)) return out;
    out.push({ dice: String(Number(flat[1])), average: Number(flat[1]), type });
    rest = text.slice(flat.index + flat[0].length);
  } else {
    return out;
  }
  for (;;) {
    const m = /^,? plus (\d+) \((\d+d\d+(?:\s*[+−-]\s*\d+)?)\) ([A-Za-z]+) damage/.exec(rest);
    if (!m) break;
    // Conditional or delayed riders ("… if the attack roll had Advantage") are not part of the hit.
    if (/^ (?:if|when|at the start|at the end)\b/.test(rest.slice(m[0].length))) break;
    const type = m[3]?.toLowerCase() ?? '';
    if (!isDamageType(type)) break;
    out.push({ dice: normDice(m[2] ?? ''), average: Number(m[1]), type });
    rest = rest.slice(m[0].length);
  }
  return out;
}

function structuredDamage(a: AttackFields): DamageRoll | null {
  if (!a.damage_die_count || !a.damage_die_type) return null;
  const bonus = a.damage_bonus ?? 0;
  const dice = `${a.damage_die_count}${a.damage_die_type.toLowerCase()}${bonus > 0 ? `+${bonus}` : bonus < 0 ? bonus : ''}`;
  const typeName = a.extra_damage_die_count === null ? (a.damage_type ?? a.extra_damage_type) : a.damage_type;
  if (!typeName || !isDamageType(typeName)) return null;
  return { dice, average: averageOf(dice), type: typeName };
}

function parseAttack(
  desc: string,
  structured: AttackFields | undefined,
  where: string,
  mods: { str: number; dex: number; pb: number },
  fixes: FixLog,
): CreatureAction['attack'] | undefined {
  const m = /^(Melee or Ranged|Melee|Ranged) Attack Roll:\s*([+−-]\d+)/.exec(desc.trim());
  if (!m) return undefined;
  const kind = m[1] === 'Melee' ? 'melee' : m[1] === 'Ranged' ? 'ranged' : 'melee-or-ranged';
  let bonus = Number((m[2] ?? '0').replace('−', '-'));
  if (structured && structured.to_hit_mod !== bonus) {
    const expected = new Set([mods.str + mods.pb, mods.dex + mods.pb]);
    const pick = expected.has(structured.to_hit_mod) && !expected.has(bonus) ? structured.to_hit_mod : bonus;
    fixes.add(
      'creatures',
      `${where}: attack bonus text ${bonus} vs record ${structured.to_hit_mod}; kept ${pick} (ability modifier + PB).`,
    );
    bonus = pick;
  }
  const reach = /reach (\d+) ft/.exec(desc);
  const range = /range (\d+)(?:\/(\d+))? ft/.exec(desc);
  const afterHeader = desc.slice((range ?? reach)?.index ?? 0);
  let damage = parseDamage(afterHeader.replace(/^[^.]*ft\.\s*/, ''));
  if (damage.length === 0 && structured) {
    const s = structuredDamage(structured);
    if (s) damage = [s];
  }
  if (structured) {
    const s = structuredDamage(structured);
    const main = damage[0];
    if (s && main && (s.dice !== main.dice || s.type !== main.type)) {
      fixes.add(
        'creatures',
        `${where}: main damage record ${s.dice} ${s.type} vs text ${main.dice} ${main.type}; kept the text.`,
      );
    }
    const rider = damage[1];
    if (
      structured.extra_damage_die_count &&
      structured.extra_damage_die_type &&
      structured.extra_damage_type
    ) {
      const dice = `${structured.extra_damage_die_count}${structured.extra_damage_die_type.toLowerCase()}`;
      if (!rider || rider.dice !== dice || rider.type !== structured.extra_damage_type) {
        fixes.add(
          'creatures',
          `${where}: rider record ${dice} ${structured.extra_damage_type} vs text ${rider ? `${rider.dice} ${rider.type}` : 'none'}; kept the text.`,
        );
      }
    }
  }
  return {
    kind,
    bonus,
    ...(reach ? { reach: Number(reach[1]) } : {}),
    ...(range
      ? { range: { normal: Number(range[1]), ...(range[2] ? { long: Number(range[2]) } : {}) } }
      : {}),
    damage,
  };
}

export function parseSave(desc: string): CreatureAction['save'] | undefined {
  const m = /(Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) Saving Throw:\s*DC (\d+)/.exec(
    desc,
  );
  if (!m) return undefined;
  const fail = /Failure:\s*(.*?)(?:Success:|Failure or Success:|$)/s.exec(desc.slice(m.index));
  const damage = fail?.[1] ? parseDamage(fail[1]) : [];
  const header = desc.slice(m.index, fail ? m.index + (fail.index ?? 0) : undefined);
  const area =
    /\beach (?:creature|target|other creature|enemy)\b|\bcreatures? (?:in|within) (?:a|an|the|that)\b|\d+-foot[- ](?:radius|long|wide)|\b(?:Cone|Line|Sphere|Emanation|Cube|Cylinder)\b/i.test(
      header,
    );
  return {
    ability: ability(m[1] ?? ''),
    dc: Number(m[2]),
    damage,
    onSuccess: /Success:\s*Half damage/i.test(desc) ? 'half' : 'none',
    area,
  };
}

function parseUsage(f: ActionFields): Usage | undefined {
  if (f.uses_type === 'PER_DAY' && f.uses_param) return { type: 'per-day', times: f.uses_param };
  if ((f.uses_type === 'RECHARGE_ON_ROLL' || f.uses_type === 'RECHARGE') && f.uses_param)
    return { type: 'recharge', min: f.uses_param };
  if (f.uses_type === 'RECHARGE') return { type: 'rest', rest: 'short' };
  return undefined;
}

const NUMBER_WORD = '(one|two|three|four|five|six|a|an)';

/** Resolve a name from multiattack text to one of the creature's action names. */
function resolveAction(name: string, actions: string[]): string | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/ attacks?$/, '');
  const exact = actions.find((a) => a.toLowerCase() === n);
  if (exact) return exact;
  const singular = n.replace(/s$/, '');
  return actions.find((a) => a.toLowerCase() === singular || a.toLowerCase().replace(/s$/, '') === singular);
}

/** Multiattack text → its main routine. "Uses X instead of Y" and "can replace one attack" options are left out. */
export function parseMultiattack(
  text: string,
  actions: string[],
): { routine: { action: string; count: number }[]; unresolved: string[] } {
  const routine: { action: string; count: number }[] = [];
  const unresolved: string[] = [];
  let first = text.split(/(?<=\.)\s+/)[0] ?? text;
  first = first.split(/,? or (?:it )?(?:makes|uses) /)[0] ?? first;
  const heads = /makes as many ([A-Z][\w' -]*?) attacks as it has heads/.exec(first);
  if (heads) {
    // Hydra: one attack per head; it starts with five heads.
    const a = resolveAction(heads[1] ?? '', actions);
    if (a) routine.push({ action: a, count: 5 });
    else unresolved.push(heads[1] ?? '');
    return { routine, unresolved };
  }
  const add = (name: string, count: number): void => {
    const a = resolveAction(name, actions);
    if (!a) {
      unresolved.push(name);
      return;
    }
    const existing = routine.find((r) => r.action === a);
    if (existing) existing.count += count;
    else routine.push({ action: a, count });
  };
  // "makes three attacks, using Scimitar or Shortbow in any combination"
  const using = new RegExp(
    `makes ${NUMBER_WORD} attacks?, using ([A-Z][\\w' -]*?)(?: or | and |,| in any)`,
  ).exec(first);
  const other = new RegExp(
    `and ${NUMBER_WORD} other attacks, using ([A-Z][\\w' -]*?)(?: or | and |,| in any)`,
  ).exec(first);
  if (using) {
    add(using[2] ?? '', wordNumber(using[1] ?? '') ?? 1);
  } else {
    if (other) {
      // Tarrasque: "one Bite attack and three other attacks, using Claw or Tail in any combination"
      add(other[2] ?? '', wordNumber(other[1] ?? '') ?? 1);
      first = first.slice(0, other.index);
    }
    const re = new RegExp(`${NUMBER_WORD} ([A-Z][\\w'’ -]*?)(?: or [A-Z][\\w' -]*?)? attacks?\\b`, 'g');
    for (const m of first.matchAll(re)) add(m[2] ?? '', wordNumber(m[1] ?? '') ?? 1);
  }
  // "... and uses Constrict" (not "uses either X or Y if available", which is optional)
  for (const m of first.matchAll(
    /\buses (either )?([A-Z][\w' -]*?)(?: or [A-Z][\w' -]*?)?( twice)?( if available)?(?=[,.]| and |$)/g,
  )) {
    if (m[1] || m[4]) continue; // optional extras ("uses either X or Y", "uses X if available")
    add(m[2] ?? '', m[3] ? 2 : 1);
  }
  return { routine, unresolved };
}

function conditionsIn(desc: string): Condition[] {
  return CONDITIONS.filter((c) => new RegExp(`\\b${c}\\b`, 'i').test(desc));
}

function fmtDamage(d: DamageRoll[]): string {
  return d
    .map((x) =>
      x.dice === String(x.average) ? `${x.average} ${x.type}` : `${x.average} (${x.dice}) ${x.type}`,
    )
    .join(' plus ');
}

function actionSummary(a: CreatureAction, desc: string): string {
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
    parts.push(`${ABBR[a.save.ability]} save DC ${a.save.dc}${a.save.area ? ' (area)' : ''}${dmg}`);
  }
  const conds = conditionsIn(desc);
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

function traitSummary(name: string, desc: string): string {
  const base = name.replace(/\s*\(.*\)$/, '');
  const uses = /\((\d+\/Day)/.exec(name)?.[1];
  const own = TRAIT_TEXT[base];
  if (own) return uses ? `${own.replace(/\.$/, '')} (${uses.toLowerCase()}).` : own;
  const bits: string[] = [];
  const dc = /DC (\d+)/.exec(desc);
  if (dc) bits.push(`DC ${dc[1]}`);
  const dmg = parseDamage(desc);
  if (dmg.length) bits.push(fmtDamage(dmg));
  const conds = conditionsIn(desc);
  if (conds.length) bits.push(`involves ${conds.join(', ')}`);
  return `${name.replace(/\s*\(.*\)$/, '')} trait${bits.length ? `: ${bits.join('; ')}` : ''}.`;
}

export function parseSpellcasting(
  desc: string,
  spellIds: ReadonlySet<string>,
  where: string,
): NonNullable<Creature['spellcasting']> {
  const ab =
    /using (Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) as (?:the )?spellcasting ability/.exec(
      desc,
    );
  if (!ab) throw new Error(`import-srd: ${where}: spellcasting ability not found`);
  const dc = /spell save DC (\d+)/.exec(desc);
  const atk = /([+−-]\d+) to hit with spell attacks/.exec(desc);
  const spells: { spell: string; usage: string }[] = [];
  const toId = (name: string): string => slug(name.replace(/\(.*?\)/g, '').trim());
  for (const line of desc.split('\n')) {
    const m = /^\s*-\s*\*\*(.+?):\*\*\s*(.*)$/.exec(line);
    if (!m) continue;
    const label = (m[1] ?? '').toLowerCase();
    const usage = label.startsWith('at will') ? 'at-will' : (/(\d+)\/day/.exec(label)?.[1] ?? '1') + '/day';
    for (const name of (m[2] ?? '').split(',')) {
      if (!name.trim()) continue;
      spells.push({ spell: toId(name), usage });
    }
  }
  if (spells.length === 0) {
    // Prose form (Pit Fiend): pick out the known spell names.
    for (const m of desc.matchAll(/\b(?:casts|with) ([A-Z][\w']*(?: [A-Z][\w']*)*)/g)) {
      const id = toId(m[1] ?? '');
      if (spellIds.has(id) && !spells.some((s) => s.spell === id))
        spells.push({ spell: id, usage: 'at-will' });
    }
    for (const m of desc.matchAll(/\bor ([A-Z][\w']*(?: [A-Z][\w']*)*)/g)) {
      const id = toId(m[1] ?? '');
      if (spellIds.has(id) && !spells.some((s) => s.spell === id))
        spells.push({ spell: id, usage: 'at-will' });
    }
  }
  return {
    ability: ability(ab[1] ?? ''),
    dc: dc ? Number(dc[1]) : null,
    attackBonus: atk ? Number((atk[1] ?? '0').replace('−', '-')) : null,
    spells,
  };
}

export function importCreatures(src: Sources, spellIds: ReadonlySet<string>, fixes: FixLog): Creature[] {
  const creatures = readOpen5e<CreatureFields>(src, 'Creature');
  const traits = readOpen5e<TraitFields>(src, 'CreatureTrait');
  const actions = readOpen5e<ActionFields>(src, 'CreatureAction');
  const attacks = new Map(
    readOpen5e<AttackFields>(src, 'CreatureActionAttack').map((a) => [a.fields.parent, a.fields]),
  );
  const traitsOf = group(traits, (t) => t.fields.parent);
  const actionsOf = group(actions, (a) => a.fields.parent);

  const toTiny: string[] = [];
  const toMedium: string[] = [];
  const out = creatures.map((c) => {
    const f = c.fields;
    const id = key(c.pk);
    const where = f.name;
    const scores = Object.fromEntries(
      ABILITY_KEYS.map(([a, long]) => [a, num(f[`ability_score_${long}`] as number)]),
    ) as Record<Ability, number>;
    if (id === 'octopus') {
      scores.con = 11;
      scores.cha = 4;
      fixes.add(
        'creatures',
        'Octopus: Con 0 → 11 and Cha −3 → 4 (fits its 1d6 HP and −3 Cha save); Con save 30 dropped.',
      );
    }
    const cr = num(f.challenge_rating);
    const pb = pbForCr(cr);

    let size = f.size as Size;
    if (TINY.has(id) && size !== 'tiny') {
      size = 'tiny';
      toTiny.push(f.name);
    } else if (
      size === 'small' &&
      ((f.type === 'humanoid' && !TRULY_SMALL_HUMANOIDS.has(id)) || MEDIUM_OR_SMALL_OTHERS.has(id))
    ) {
      size = 'medium';
      toMedium.push(f.name);
    }

    const saves: Partial<Record<Ability, number>> = {};
    for (const [a, long] of ABILITY_KEYS) {
      const v = f[`saving_throw_${long}`] as number | null;
      if (v === null || v === undefined) continue;
      if (id === 'octopus' && a === 'con') continue;
      if (v !== abilityMod(scores[a])) saves[a] = v;
    }
    const skills: Partial<Record<Skill, number>> = {};
    for (const s of SKILL_IDS) {
      const v = f[`skill_bonus_${s.replace(/-/g, '_')}`] as number | null;
      if (v !== null && v !== undefined) skills[s] = v;
    }

    const mine = (actionsOf.get(c.pk) ?? [])
      .slice()
      .sort((a, b) => a.fields.order_in_statblock - b.fields.order_in_statblock);
    const actionNames = mine
      .filter((a) => a.fields.action_type !== 'LEGENDARY_ACTION')
      .map((a) => a.fields.name);
    const mods = { str: abilityMod(scores.str), dex: abilityMod(scores.dex), pb };
    let spellcasting: Creature['spellcasting'] = null;
    const build = (a: { pk: string; fields: ActionFields }): CreatureAction => {
      const af = a.fields;
      const desc = af.desc.trim();
      const name = af.name.trim().replace(/\.$/, '');
      const out: CreatureAction = { name, summary: '' };
      const attack = parseAttack(desc, attacks.get(a.pk), `${where} ${name}`, mods, fixes);
      if (attack) out.attack = attack;
      const save = parseSave(desc);
      if (save) out.save = save;
      if (name === 'Multiattack') {
        const { routine, unresolved } = parseMultiattack(desc, actionNames);
        if (unresolved.length)
          fixes.add('creatures', `${where} Multiattack: could not resolve ${unresolved.join(', ')}`);
        out.multiattack = routine;
      }
      const usage = parseUsage(af);
      if (usage) out.usage = usage;
      if (af.action_type === 'LEGENDARY_ACTION')
        out.cost = /Costs? (\d) Actions/i.exec(`${af.name} ${desc}`)?.[1]
          ? Number(/Costs? (\d) Actions/i.exec(`${af.name} ${desc}`)?.[1])
          : 1;
      if (name !== 'Multiattack' && !attack && !save) {
        // Actions that make other actions' attacks ("moves and makes one Rend attack", "uses Fire Breath").
        const { routine } = parseMultiattack(desc.replace(/^.*?(?=\b(?:makes|uses)\b)/, 'It '), actionNames);
        const refs = routine.filter((r) => r.action !== name && r.action !== 'Spellcasting');
        if (refs.length) out.multiattack = refs;
      }
      if (/Spellcasting$/.test(name)) {
        const sc = parseSpellcasting(desc, spellIds, where);
        spellcasting = sc;
        const atWill = sc.spells.filter((x) => x.usage === 'at-will').length;
        const limited = sc.spells.length - atWill;
        out.summary = `Casts spells with ${ABBR[sc.ability]}${sc.dc ? `, save DC ${sc.dc}` : ''}${
          sc.attackBonus !== null ? `, +${sc.attackBonus} to hit` : ''
        }: ${atWill} at will, ${limited} limited per day.`;
      } else out.summary = actionSummary(out, desc);
      if (af.limited_to_form)
        out.summary = `${out.summary.replace(/\.$/, '')} (${af.limited_to_form.toLowerCase()}).`;
      return out;
    };
    const byType = (t: ActionFields['action_type']): CreatureAction[] =>
      mine.filter((a) => a.fields.action_type === t).map(build);
    const actionList = byType('ACTION');
    const bonusActions = byType('BONUS_ACTION');
    const reactions = byType('REACTION');
    const legendary = byType('LEGENDARY_ACTION');

    const myTraits = traitsOf.get(c.pk) ?? [];
    let legendaryResistance = 0;
    for (const t of myTraits) {
      const m = /^Legendary Resistance \((\d+)\/Day/.exec(t.fields.name);
      if (m) legendaryResistance = Number(m[1]);
    }

    const langs = splitOutsideParens(f.languages_desc)
      .map((s) => s.trim())
      .filter((s) => s && !/^telepathy/i.test(s) && !/^none$/i.test(s) && s !== '—');

    const dmgList = (xs: string[]): Creature['resistances'] => xs.filter(isDamageType).map(damageType);
    const vulnerabilities = dmgList(f.damage_vulnerabilities);
    const restored = VULNERABILITIES[id];
    if (restored && vulnerabilities.length === 0) {
      vulnerabilities.push(...restored);
      fixes.add(
        'creatures',
        `${where}: vulnerability to ${restored.join(', ')} restored (missing in Open5e; taken from the SRD 5.1 stat block).`,
      );
    }

    const hasDamage = [...actionList, ...bonusActions, ...reactions].some(
      (a) => (a.attack?.damage.length ?? 0) > 0 || (a.save?.damage.length ?? 0) > 0,
    );
    const xp = cr === 0 ? (hasDamage ? 10 : 0) : (XP_BY_CR.get(cr) ?? -1);
    if (xp < 0) throw new Error(`import-srd: ${where}: no XP for CR ${cr}`);

    const speed: Creature['speed'] = { walk: num(f.walk as number | null) };
    for (const k of ['fly', 'swim', 'climb', 'burrow'] as const) {
      const v = f[k] as number | null;
      if (v) speed[k] = v;
    }
    if (f.hover) speed.hover = true;
    const senses: Creature['senses'] = { passivePerception: f.passive_perception };
    for (const [k, field] of [
      ['darkvision', 'darkvision_range'],
      ['blindsight', 'blindsight_range'],
      ['tremorsense', 'tremorsense_range'],
      ['truesight', 'truesight_range'],
    ] as const) {
      const v = f[field] as number | null;
      if (v) senses[k] = v;
    }
    const telepathy = f.telepathy_range as number | null;

    const creature: Creature = {
      id,
      name: f.name,
      size,
      type: f.type,
      alignment: f.alignment,
      ac: f.armor_class,
      hp: { average: f.hit_points, formula: normDice(f.hit_dice) },
      speed,
      abilities: scores,
      initiative: f.initiative_bonus,
      saves,
      skills,
      senses,
      languages: langs,
      ...(telepathy ? { telepathy } : {}),
      resistances: dmgList(f.damage_resistances),
      immunities: dmgList(f.damage_immunities),
      vulnerabilities,
      conditionImmunities: f.condition_immunities.filter((x): x is Condition =>
        (CONDITIONS as readonly string[]).includes(x),
      ),
      cr,
      xp,
      proficiencyBonus: pb,
      traits: myTraits.map((t) => ({
        name: t.fields.name,
        summary: traitSummary(t.fields.name, t.fields.desc),
      })),
      legendaryResistance,
      actions: actionList,
      bonusActions,
      reactions,
      legendaryActions: legendary.length ? { uses: 3, actions: legendary } : null,
      spellcasting,
      summary: '',
    };
    creature.summary = `${cap(size)} ${f.type}, CR ${crText(cr)} (${xp} XP), AC ${creature.ac}, ${creature.hp.average} HP${
      legendary.length ? ', legendary' : ''
    }.`;
    return creature;
  });
  fixes.add(
    'creatures',
    `Size Small → Tiny (SRD 5.2.1 Tiny creatures) for ${toTiny.length}: ${toTiny.join(', ')}.`,
  );
  fixes.add(
    'creatures',
    `Size Small → Medium for ${toMedium.length} "Medium or Small" stat blocks (one size is stored; Medium is the default choice): ${toMedium.join(', ')}.`,
  );
  return out;
}

/** Split on ";" and "," that are not inside parentheses ("Primordial (Aquan, Terran)" stays whole). */
function splitOutsideParens(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if ((ch === ';' || ch === ',') && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function cap(s: string): string {
  return `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}
function crText(cr: number): string {
  return cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);
}
function group<T>(rows: T[], by: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = by(r);
    const list = map.get(k) ?? [];
    list.push(r);
    map.set(k, list);
  }
  return map;
}
