/**
 * Parsers for the structured facts inside stat-block text: damage rolls, attack rolls, save effects, multiattack
 * routines, usage limits, spellcasting. Written for the 2024 SRD 5.2.1 wording and checked against all 331 SRD
 * creatures by the SRD importer; the 2014 attack wording ("Melee Weapon Attack: +5 to hit") is read too.
 * Pure functions; they return `undefined` (or an empty list) for text they do not recognise.
 */
import {
  ABILITIES,
  DAMAGE_TYPES,
  type Ability,
  type Creature,
  type CreatureAction,
  type DamageRoll,
  type DamageType,
  type Usage,
} from '../content/types';

const ABILITY_NAMES: Readonly<Record<string, Ability>> = {
  strength: 'str',
  dexterity: 'dex',
  constitution: 'con',
  intelligence: 'int',
  wisdom: 'wis',
  charisma: 'cha',
};

/** "Dexterity" / "dex" / "DEX" → "dex". */
export function abilityFromName(name: string): Ability | undefined {
  const key = name.trim().toLowerCase();
  if ((ABILITIES as readonly string[]).includes(key)) return key as Ability;
  return ABILITY_NAMES[key];
}

export function isDamageType(s: string): s is DamageType {
  return (DAMAGE_TYPES as readonly string[]).includes(s);
}

/** "Fire" / "fire" → "fire". */
export function damageTypeFromName(name: string): DamageType | undefined {
  const key = name.trim().toLowerCase();
  return isDamageType(key) ? key : undefined;
}

/** Normalise "2d6 + 5", "1d4 − 1", "2D6" into the DiceSchema form "2d6+5", "1d4-1", "2d6". */
export function normaliseDice(text: string): string {
  return text.replace(/[−–]/g, '-').replace(/\s+/g, '').toLowerCase();
}

/** Average of a dice expression like "2d6+5" (floor, as stat blocks print it); `undefined` when not dice. */
export function diceAverage(dice: string): number | undefined {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(normaliseDice(dice));
  if (!m) return undefined;
  const count = Number(m[1]);
  const bonus = m[3] ? Number(m[3]) : 0;
  if (m[2] === undefined) return count + bonus;
  return Math.floor((count * (Number(m[2]) + 1)) / 2 + bonus);
}

/** Average damage of a dice expression, never below 0 (0 for text that is not dice). */
export function averageDamage(dice: string): number {
  return Math.max(0, diceAverage(dice) ?? 0);
}

/** Build "2d8+5" from a die count, die size ("D8", "d8" or 8) and a bonus. */
export function diceFrom(count: number, die: string | number, bonus = 0): string {
  const sides = typeof die === 'number' ? String(die) : die.toLowerCase().replace(/^d/, '');
  return `${count}d${sides}${bonus > 0 ? `+${bonus}` : bonus < 0 ? String(bonus) : ''}`;
}

const DICE = String.raw`(\d+d\d+(?:\s*[+−–-]\s*\d+)?)`;
const DAMAGE_RE = new RegExp(String.raw`(\d+) \(${DICE}\) ([A-Za-z]+) damage`);
const RIDER_RE = new RegExp(String.raw`^,? plus (\d+) \(${DICE}\) ([A-Za-z]+) damage`);
const FLAT_DAMAGE_RE = /\b(\d+) ([A-Za-z]+) damage/g;

/**
 * Damage rolls at the start of `text`: the first roll ("12 (2d6 + 5) Bludgeoning damage" or a flat
 * "1 Piercing damage") plus any "plus N (XdY) Type damage" riders that follow it. Conditional or delayed riders
 * ("… if the attack roll had Advantage", "… at the start of each of its turns") are not part of the roll.
 */
export function parseDamageRolls(text: string): DamageRoll[] {
  const out: DamageRoll[] = [];
  const first = DAMAGE_RE.exec(text);
  const flat = [...text.matchAll(FLAT_DAMAGE_RE)].find((m) => isDamageType((m[2] ?? '').toLowerCase()));
  let rest: string;
  if (first && (!flat || first.index <= flat.index)) {
    const type = first[3]?.toLowerCase() ?? '';
    if (!isDamageType(type)) return out;
    out.push({ dice: normaliseDice(first[2] ?? ''), average: Number(first[1]), type });
    rest = text.slice(first.index + first[0].length);
  } else if (flat) {
    const type = (flat[2] ?? '').toLowerCase() as DamageType;
    out.push({ dice: String(Number(flat[1])), average: Number(flat[1]), type });
    rest = text.slice(flat.index + flat[0].length);
  } else {
    return out;
  }
  for (;;) {
    const m = RIDER_RE.exec(rest);
    if (!m) break;
    if (/^ (?:if|when|at the start|at the end)\b/.test(rest.slice(m[0].length))) break;
    const type = m[3]?.toLowerCase() ?? '';
    if (!isDamageType(type)) break;
    out.push({ dice: normaliseDice(m[2] ?? ''), average: Number(m[1]), type });
    rest = rest.slice(m[0].length);
  }
  return out;
}

export type ParsedAttack = NonNullable<CreatureAction['attack']>;
export type ParsedSave = NonNullable<CreatureAction['save']>;

/**
 * An attack roll at the start of an action text: "Melee Attack Roll: +9, reach 15 ft. Hit: 12 (2d6 + 5) …"
 * (2024) or "Melee Weapon Attack: +9 to hit, reach 15 ft., one target. Hit: …" (2014).
 */
export function parseAttackText(text: string): ParsedAttack | undefined {
  const desc = text.trim();
  const m = /^(Melee or Ranged|Melee|Ranged)(?: Weapon| Spell)? Attack(?: Roll)?:\s*([+−-]\d+)/i.exec(desc);
  if (!m) return undefined;
  const kindText = (m[1] ?? '').toLowerCase();
  const kind = kindText === 'melee' ? 'melee' : kindText === 'ranged' ? 'ranged' : 'melee-or-ranged';
  const reach = /reach (\d+) ft/.exec(desc);
  const range = /range (\d+)(?:\/(\d+))? ft/.exec(desc);
  const afterHeader = desc.slice((range ?? reach)?.index ?? 0);
  const damage = parseDamageRolls(afterHeader.replace(/^[^.]*ft\.\s*/, ''));
  return {
    kind,
    bonus: Number((m[2] ?? '0').replace('−', '-')),
    ...(reach ? { reach: Number(reach[1]) } : {}),
    ...(range
      ? { range: { normal: Number(range[1]), ...(range[2] ? { long: Number(range[2]) } : {}) } }
      : {}),
    damage,
  };
}

/**
 * A 2024 save effect: "Dexterity Saving Throw: DC 21, each creature in a 60-foot-long, 5-foot-wide Line.
 * Failure: 54 (12d8) Acid damage. Success: Half damage." Damage is read from the Failure clause; `area` is true
 * when the header names several targets or an area shape.
 */
export function parseSaveEffect(desc: string): ParsedSave | undefined {
  const m = /(Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) Saving Throw:\s*DC (\d+)/.exec(
    desc,
  );
  if (!m) return undefined;
  const fail = /Failure:\s*(.*?)(?:Success:|Failure or Success:|$)/s.exec(desc.slice(m.index));
  const damage = fail?.[1] ? parseDamageRolls(fail[1]) : [];
  const header = desc.slice(m.index, fail ? m.index + fail.index : undefined);
  const area =
    /\beach (?:creature|target|other creature|enemy)\b|\bcreatures? (?:in|within) (?:a|an|the|that)\b|\d+-foot[- ](?:radius|long|wide)|\b(?:Cone|Line|Sphere|Emanation|Cube|Cylinder)\b/i.test(
      header,
    );
  return {
    ability: abilityFromName(m[1] ?? '') as Ability,
    dc: Number(m[2]),
    damage,
    onSuccess: /Success:\s*Half (?:as much )?damage/i.test(desc) ? 'half' : 'none',
    area,
  };
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  once: 1,
  twice: 2,
  thrice: 3,
};

/** "two" → 2, "12" → 12, "twice" → 2; `undefined` for other words. */
export function wordNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  return word.replace(/s$/, '');
}

/** Resolve a name in multiattack text ("Claws", "Rend attacks") to one of the creature's action names. */
function resolveAction(name: string, actions: readonly string[]): string | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/ attacks?$/, '');
  const exact = actions.find((a) => a.toLowerCase() === n);
  if (exact) return exact;
  const one = n.replace(/s$/, '');
  const plain = actions.find((a) => a.toLowerCase() === one || a.toLowerCase().replace(/s$/, '') === one);
  if (plain) return plain;
  // Looser: "(Form Only)" suffixes, "-ies"/"-es" plurals, "its two Claws" phrases ending in the name.
  return actions.find((a) => {
    const base = singular(a.toLowerCase().replace(/\s*\(.*\)$/, ''));
    return base === singular(n) || singular(n).endsWith(` ${base}`);
  });
}

const NUMBER_WORD = '(one|two|three|four|five|six|a|an)';

export interface MultiattackRoutine {
  routine: { action: string; count: number }[];
  /** Names the text uses that match none of the actions. */
  unresolved: string[];
}

/**
 * Multiattack text → its main routine, resolved against the creature's action names: "makes two Rend attacks
 * and uses Constrict", "makes three attacks, using Scimitar or Shortbow in any combination", the Hydra's one
 * attack per head (five), the Tarrasque's "one Bite attack and three other attacks", and the older "makes two
 * attacks: one with its Beak and one with its Claws". Alternatives ("… or two Heavy Crossbow attacks", "can
 * replace one attack …", "uses either X or Y if available") are left out: the first routine is the main one.
 */
export function parseMultiattackRoutine(text: string, actions: readonly string[]): MultiattackRoutine {
  const routine: { action: string; count: number }[] = [];
  const unresolved: string[] = [];
  let first = text.split(/(?<=\.)\s+/)[0] ?? text;
  first =
    first.split(/,? or (?:it )?(?:makes|uses) |,? or (?=(?:one|two|three|four|five|six)\b)/)[0] ?? first;
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
  const heads = /makes as many ([A-Z][\w' -]*?) attacks as it has heads/.exec(first);
  if (heads) {
    // Hydra: one attack per head; it starts with five heads.
    add(heads[1] ?? '', 5);
    return { routine, unresolved };
  }
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
      add(other[2] ?? '', wordNumber(other[1] ?? '') ?? 1);
      first = first.slice(0, other.index);
    }
    const re = new RegExp(`${NUMBER_WORD} ([A-Z][\\w'’ -]*?)(?: or [A-Z][\\w' -]*?)? attacks?\\b`, 'g');
    for (const m of first.matchAll(re)) add(m[2] ?? '', wordNumber(m[1] ?? '') ?? 1);
  }
  if (routine.length === 0 && unresolved.length === 0) {
    // "makes two attacks: one with its Beak and one with its Claws" (any case).
    for (const m of first.matchAll(
      /\b(one|two|three|four|five|six|\d+) with its ([\w'’ -]+?)(?=[,.;]| and |$)/gi,
    ))
      add(m[2] ?? '', wordNumber(m[1] ?? '') ?? 1);
  }
  // "… and uses Constrict" (not "uses either X or Y" nor "uses X if available", which are optional).
  for (const m of first.matchAll(
    /\buses (either )?([A-Z][\w' -]*?)(?: or [A-Z][\w' -]*?)?( twice)?( if available)?(?=[,.]| and |$)/g,
  )) {
    if (m[1] || m[4]) continue;
    add(m[2] ?? '', m[3] ? 2 : 1);
  }
  return { routine, unresolved };
}

/** The main routine of a multiattack text (see `parseMultiattackRoutine`); names it cannot resolve are dropped. */
export function parseMultiattack(
  text: string,
  actionNames: readonly string[],
): { action: string; count: number }[] {
  const names = actionNames.filter((n) => !/^multiattack$/i.test(n));
  return parseMultiattackRoutine(text, names).routine;
}

/** Usage from a name or text: "(Recharge 5–6)", "(Recharge 6)", "(2/Day)", "Recharges after a Short or Long Rest". */
export function parseUsage(text: string): Usage | undefined {
  const recharge = /Recharge (\d)(?:\s*[–-]\s*6)?/i.exec(text);
  if (recharge) return { type: 'recharge', min: Math.min(6, Math.max(2, Number(recharge[1]))) };
  const perDay = /(\d+)\/Day/i.exec(text);
  if (perDay) return { type: 'per-day', times: Number(perDay[1]) };
  if (/Recharges? after a Short or Long Rest/i.test(text)) return { type: 'rest', rest: 'short' };
  return undefined;
}

/** "Legendary Resistance (3/Day, or 4/Day in Lair)" → 3; 0 for any other trait name. */
export function parseLegendaryResistance(traitName: string): number {
  const m = /^Legendary Resistance\s*\((\d+)\/Day/i.exec(traitName.trim());
  return m ? Number(m[1]) : 0;
}

/** Lowercase hyphenated id from a name: "Hunter's Mark" → "hunters-mark", "Longsword (+1)" → "longsword-1". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/\+/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export type ParsedSpellcasting = NonNullable<Creature['spellcasting']>;

/**
 * A 2024 Spellcasting action: the ability ("using Charisma as the spellcasting ability"), save DC, spell attack
 * bonus and the spells by usage from the "- **At Will:** …" / "- **2/Day Each:** …" list. Text without such a
 * list (the Pit Fiend's prose) yields the spells among `knownSpellIds` that it names, at will.
 * `undefined` when no spellcasting ability is named.
 */
export function parseSpellcasting(
  desc: string,
  knownSpellIds: ReadonlySet<string> = new Set(),
): ParsedSpellcasting | undefined {
  const ab =
    /using (Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) as (?:the )?spellcasting ability/.exec(
      desc,
    );
  if (!ab) return undefined;
  const dc = /spell save DC (\d+)/.exec(desc);
  const atk = /([+−-]\d+) to hit with spell attacks/.exec(desc);
  const spells: { spell: string; usage: string }[] = [];
  const toId = (name: string): string => slugify(name.replace(/\(.*?\)/g, '').trim());
  for (const line of desc.split('\n')) {
    const m = /^\s*-\s*\*\*(.+?):\*\*\s*(.*)$/.exec(line);
    if (!m) continue;
    const label = (m[1] ?? '').toLowerCase();
    const usage = label.startsWith('at will') ? 'at-will' : `${/(\d+)\/day/.exec(label)?.[1] ?? '1'}/day`;
    for (const name of (m[2] ?? '').split(',')) {
      if (!name.trim()) continue;
      spells.push({ spell: toId(name), usage });
    }
  }
  if (spells.length === 0) {
    for (const re of [
      /\b(?:casts|with) ([A-Z][\w']*(?: [A-Z][\w']*)*)/g,
      /\bor ([A-Z][\w']*(?: [A-Z][\w']*)*)/g,
    ]) {
      for (const m of desc.matchAll(re)) {
        const id = toId(m[1] ?? '');
        if (knownSpellIds.has(id) && !spells.some((s) => s.spell === id))
          spells.push({ spell: id, usage: 'at-will' });
      }
    }
  }
  return {
    ability: abilityFromName(ab[1] ?? '') as Ability,
    dc: dc ? Number(dc[1]) : null,
    attackBonus: atk ? Number((atk[1] ?? '0').replace('−', '-')) : null,
    spells,
  };
}
