/**
 * Parsers for the structured facts inside 2024 stat-block text (save effects, attack rolls, multiattack
 * routines, usage limits). Used by the SRD importer and by the creature format converters. Pure functions.
 */
import {
  ABILITIES,
  DAMAGE_TYPES,
  type Ability,
  type DamageRoll,
  type DamageType,
  type Usage,
} from '../content/types';

const ABILITY_NAMES: Record<string, Ability> = {
  strength: 'str',
  dexterity: 'dex',
  constitution: 'con',
  intelligence: 'int',
  wisdom: 'wis',
  charisma: 'cha',
};

export function abilityFromName(name: string): Ability | undefined {
  const key = name.trim().toLowerCase();
  if ((ABILITIES as readonly string[]).includes(key)) return key as Ability;
  return ABILITY_NAMES[key];
}

export function damageTypeFromName(name: string): DamageType | undefined {
  const key = name.trim().toLowerCase();
  return (DAMAGE_TYPES as readonly string[]).includes(key) ? (key as DamageType) : undefined;
}

/** Normalise `2d6 + 5` → `2d6+5`, `12` stays `12`. */
export function normaliseDice(text: string): string {
  return text.replace(/\s+/g, '').replace(/^\+/, '');
}

/** Average of a dice expression like `2d6+5` (floor, as stat blocks print it). */
export function averageDamage(dice: string): number {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(normaliseDice(dice));
  if (!m) return 0;
  const count = Number(m[1]);
  const sides = m[2] === undefined ? undefined : Number(m[2]);
  const bonus = m[3] === undefined ? 0 : Number(m[3]);
  const avg = sides === undefined ? count : (count * (sides + 1)) / 2;
  return Math.max(0, Math.floor(avg + bonus));
}

const DAMAGE_RE = /(\d+)\s*\(\s*(\d+d\d+(?:\s*[+-]\s*\d+)?)\s*\)\s*([A-Za-z]+)\s+damage/g;

/** Every `12 (2d6 + 5) Bludgeoning damage` in a text, in order. */
export function parseDamageRolls(text: string): DamageRoll[] {
  const rolls: DamageRoll[] = [];
  for (const m of text.matchAll(DAMAGE_RE)) {
    const type = damageTypeFromName(m[3] ?? '');
    if (!type) continue;
    rolls.push({ average: Number(m[1]), dice: normaliseDice(m[2] ?? ''), type });
  }
  return rolls;
}

export interface ParsedSave {
  ability: Ability;
  dc: number;
  damage: DamageRoll[];
  onSuccess: 'half' | 'none';
  area: boolean;
}

const AREA_RE =
  /\b(\d+-foot[- ](?:cone|line|cube|sphere|emanation|radius|cylinder)|each creature|every creature|creatures? in (?:a|an|that|the) )/i;

/** `Dexterity Saving Throw: DC 16, each creature in a 60-foot Cone. Failure: 45 (10d8) Fire damage. Success: Half damage.` */
export function parseSaveEffect(text: string): ParsedSave | undefined {
  const m = /(Strength|Dexterity|Constitution|Intelligence|Wisdom|Charisma) Saving Throw:\s*DC\s*(\d+)/i.exec(
    text,
  );
  if (!m) return undefined;
  const ability = abilityFromName(m[1] ?? '');
  if (!ability) return undefined;
  const failureAt = text.search(/Failure:/i);
  const successAt = text.search(/Success:/i);
  const failureText =
    failureAt >= 0
      ? text.slice(failureAt, successAt > failureAt ? successAt : undefined)
      : text.slice(m.index);
  return {
    ability,
    dc: Number(m[2]),
    damage: parseDamageRolls(failureText),
    onSuccess: /Success:\s*Half (?:as much )?damage/i.test(text) ? 'half' : 'none',
    area: AREA_RE.test(text),
  };
}

export interface ParsedAttack {
  kind: 'melee' | 'ranged' | 'melee-or-ranged';
  bonus: number;
  reach?: number;
  range?: { normal: number; long?: number };
  damage: DamageRoll[];
}

/** `Melee Attack Roll: +9, reach 15 ft. Hit: 12 (2d6 + 5) Bludgeoning damage.` (also 2014 "Melee Weapon Attack"). */
export function parseAttackText(text: string): ParsedAttack | undefined {
  const m = /(Melee or Ranged|Melee|Ranged)(?: Weapon| Spell)? Attack(?: Roll)?:\s*([+-]\d+)/i.exec(text);
  if (!m) return undefined;
  const kindText = (m[1] ?? '').toLowerCase();
  const kind = kindText.startsWith('melee or')
    ? 'melee-or-ranged'
    : kindText === 'ranged'
      ? 'ranged'
      : 'melee';
  const reach = /reach (\d+) ft/i.exec(text);
  const range = /range (\d+)(?:\/(\d+))? ft/i.exec(text);
  const hitAt = text.search(/Hit:/i);
  const afterHit = hitAt >= 0 ? text.slice(hitAt) : text.slice(m.index + m[0].length);
  // Damage up to the first sentence that starts a save or a condition clause.
  const damage = parseDamageRolls(afterHit.split(/(?:Saving Throw:|Failure:)/i)[0] ?? '');
  const out: ParsedAttack = { kind, bonus: Number(m[2]), damage };
  if (reach) out.reach = Number(reach[1]);
  if (range)
    out.range = range[2]
      ? { normal: Number(range[1]), long: Number(range[2]) }
      : { normal: Number(range[1]) };
  return out;
}

const NUMBER_WORDS: Record<string, number> = {
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
};

function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ches') || w.endsWith('shes') || w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/**
 * The main routine of a multiattack text, resolved against the creature's action names:
 * "makes two Tentacle attacks and uses …" → [{ action: 'Tentacle', count: 2 }];
 * "makes three attacks: one with its Bite and two with its Claws" → Bite 1, Claw 2.
 * Alternatives ("… or …", "… can replace …") are ignored: the first routine is the main one.
 */
export function parseMultiattack(
  text: string,
  actionNames: readonly string[],
): { action: string; count: number }[] {
  const countWords = Object.keys(NUMBER_WORDS).join('|');
  const alternative = new RegExp(
    `\\.\\s|;|\\bor it\\b|\\bcan replace\\b|\\bor (?=(?:${countWords}|\\d+)\\b)`,
    'i',
  );
  const main = text.split(alternative)[0] ?? text;
  const names = [...actionNames].filter((n) => !/^multiattack$/i.test(n)).sort((a, b) => b.length - a.length);
  const found = new Map<string, number>();
  const re = new RegExp(
    `\\b(${countWords}|\\d+)\\s+(?:with its\\s+|with\\s+|of its\\s+)?([A-Z][\\w'’ -]*?)(?=\\s+attacks?\\b|[,.]|\\s+and\\b|$)`,
    'g',
  );
  for (const m of main.matchAll(re)) {
    const count = NUMBER_WORDS[(m[1] ?? '').toLowerCase()] ?? Number(m[1]);
    const phrase = (m[2] ?? '').trim();
    const target = names.find((n) => {
      const a = n.toLowerCase().replace(/\s*\(.*\)$/, '');
      const b = phrase.toLowerCase();
      return a === b || singular(a) === singular(b) || b.endsWith(a) || singular(b).endsWith(singular(a));
    });
    if (target && count > 0) found.set(target, (found.get(target) ?? 0) + count);
  }
  return [...found].map(([action, count]) => ({ action, count }));
}

/** Usage from a name or text: `(Recharge 5–6)`, `(Recharge 6)`, `(2/Day)`, `(1/Day Each)`. */
export function parseUsage(text: string): Usage | undefined {
  const recharge = /Recharge (\d)(?:\s*[–-]\s*6)?/i.exec(text);
  if (recharge) return { type: 'recharge', min: Math.min(6, Math.max(2, Number(recharge[1]))) };
  const perDay = /(\d+)\/Day/i.exec(text);
  if (perDay) return { type: 'per-day', times: Number(perDay[1]) };
  if (/Recharges? after a Short or Long Rest/i.test(text)) return { type: 'rest', rest: 'short' };
  return undefined;
}

/** `Legendary Resistance (3/Day, or 4/Day in Lair)` → 3. */
export function parseLegendaryResistance(traitName: string): number {
  const m = /Legendary Resistance\s*\((\d+)\/Day/i.exec(traitName);
  return m ? Number(m[1]) : 0;
}
