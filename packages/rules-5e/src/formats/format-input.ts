/**
 * Reading untrusted JSON from other creature formats: typed accessors, lenient number reading and the error
 * that names the field. Shared by the Open5e and dnd5eapi converters. Pure.
 */
import {
  CONDITIONS,
  DAMAGE_TYPES,
  SIZES,
  type Condition,
  type Creature,
  type CreatureAction,
  type DamageType,
  type Size,
} from '../content/types';
import { parseCr } from '../encounter/cr';
import type { SpellLookup } from '../cr/damage';
import {
  parseAttackText,
  parseMultiattackRoutine,
  parseSaveEffect,
  parseSpellcasting,
  type ParsedSpellcasting,
} from './stat-block-text';
import { summariseAction, summariseSpellcasting } from './stat-block-summary';

/** A converter input that lacks a fact or holds a wrong one. `field` is a dotted path inside the input. */
export class CreatureFormatError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'CreatureFormatError';
  }
}

export interface CreatureConvertOptions {
  /** Known spell ids: spellcasting text that names spells only in prose is matched against them. */
  spellIds?: ReadonlySet<string>;
  /**
   * Spells by id (e.g. `content.spells`): a creature whose CR is estimated (no CR given) gets its damaging spells
   * priced from them (`estimateCr`'s `spells`).
   */
  spells?: SpellLookup;
  /** Told each disagreement settled while converting (text vs structured record, unresolved names). */
  onNote?: (note: string) => void;
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objectsIn(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** A number, or the first number in a string ("30 ft." → 30); `undefined` otherwise. */
export function optNum(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /-?\d+(\.\d+)?/.exec(v);
    if (m) return Number(m[0]);
  }
  return undefined;
}

/** A required number (numeric strings accepted). */
export function reqNum(obj: Json, key: string, field = key): number {
  const v = obj[key];
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new CreatureFormatError(field, 'must be a number');
  return n;
}

/** A display string: the string itself, or an object's `name` (then `key`, `index`). */
export function nameOf(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (isObject(v)) return nameOf(v['name'] ?? v['key'] ?? v['index'], fallback);
  return fallback;
}

/** A lowercase key: the string itself, or an object's `key` (then `index`, `name`). */
export function keyOf(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v.trim().toLowerCase();
  if (isObject(v)) return keyOf(v['key'] ?? v['index'] ?? v['name'], fallback);
  return fallback;
}

export function abilityMod(score: number): number {
  return Math.floor((score - 10) / 2);
}

export function crFrom(value: unknown, field: string): number {
  try {
    if (typeof value === 'number' || typeof value === 'string') return parseCr(value);
  } catch {
    // reported below with the field name
  }
  throw new CreatureFormatError(field, 'must be a challenge rating (0, 1/8, 1/4, 1/2, 1–30)');
}

export function sizeFrom(value: unknown, field: string): Size {
  if (value === undefined || value === null) return 'medium';
  const key = keyOf(value);
  if (!(SIZES as readonly string[]).includes(key))
    throw new CreatureFormatError(field, `must be one of ${SIZES.join(', ')}`);
  return key as Size;
}

/** Damage types in a list of keys, objects or phrases ("bludgeoning, piercing, and slashing from …"). */
export function damageTypesIn(list: unknown): DamageType[] {
  const out: DamageType[] = [];
  const add = (t: DamageType): void => {
    if (!out.includes(t)) out.push(t);
  };
  for (const entry of Array.isArray(list) ? list : []) {
    const text = keyOf(entry);
    if ((DAMAGE_TYPES as readonly string[]).includes(text)) add(text as DamageType);
    else for (const t of DAMAGE_TYPES) if (new RegExp(`\\b${t}\\b`).test(text)) add(t);
  }
  return out;
}

/** Conditions in a list of keys, objects or phrases. */
export function conditionsIn(list: unknown): Condition[] {
  const out: Condition[] = [];
  for (const entry of Array.isArray(list) ? list : []) {
    const text = keyOf(entry);
    const found = (CONDITIONS as readonly string[]).includes(text)
      ? [text as Condition]
      : CONDITIONS.filter((c) => text.includes(c));
    for (const c of found) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Speeds from `{ walk, fly, swim, climb, burrow, hover }` (numbers or "30 ft." strings). */
export function speedFrom(speed: Json, hover: boolean): Creature['speed'] {
  const out: Creature['speed'] = { walk: optNum(speed['walk']) ?? 0 };
  for (const k of ['fly', 'swim', 'climb', 'burrow'] as const) {
    const v = optNum(speed[k]);
    if (v) out[k] = v;
  }
  if (hover || speed['hover'] === true) out.hover = true;
  return out;
}

/** Senses from the four ranges (falsy ranges left out) and passive Perception. */
export function sensesFrom(
  ranges: Partial<Record<'darkvision' | 'blindsight' | 'tremorsense' | 'truesight', unknown>>,
  passivePerception: number,
): Creature['senses'] {
  const out: Creature['senses'] = { passivePerception };
  for (const k of ['darkvision', 'blindsight', 'tremorsense', 'truesight'] as const) {
    const v = optNum(ranges[k]);
    if (v) out[k] = v;
  }
  return out;
}

/** True when any of the actions deals damage (a CR 0 creature that does is worth 10 XP, else 0). */
export function dealsDamage(...lists: readonly (readonly CreatureAction[])[]): boolean {
  return lists.some((l) =>
    l.some((a) => (a.attack?.damage.length ?? 0) > 0 || (a.save?.damage.length ?? 0) > 0),
  );
}

/** Split on ";" and "," outside parentheses ("Primordial (Aquan, Terran)" stays whole). */
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

/** "Deep Speech; telepathy 120 ft." → languages ["Deep Speech"] and telepathy 120 ("none" and "—" dropped). */
export function languagesFromText(text: string): { languages: string[]; telepathy?: number } {
  const languages = splitOutsideParens(text)
    .map((s) => s.trim())
    .filter((s) => s && !/^telepathy/i.test(s) && !/^none$/i.test(s) && s !== '—');
  const telepathy = optNum(/telepathy (\d+)/i.exec(text)?.[1]);
  return { languages, ...(telepathy ? { telepathy } : {}) };
}

/** Facts a format already holds in structure; text parsing fills in what is missing. */
export interface StructuredFacts {
  attack?: CreatureAction['attack'];
  save?: CreatureAction['save'];
  usage?: CreatureAction['usage'];
  multiattack?: CreatureAction['multiattack'];
  cost?: number;
  spellcasting?: ParsedSpellcasting;
}

/**
 * One action from its name, text and any structured facts: attack roll, save effect, multiattack routine (or
 * the actions a non-attack action makes: "moves and makes one Rend attack"), usage, legendary cost, and our
 * summary. A Spellcasting action is parsed into `spellcasting.found`.
 */
export function buildAction(
  name: string,
  desc: string,
  facts: StructuredFacts,
  ctx: {
    actionNames: readonly string[];
    where: string;
    options: CreatureConvertOptions;
    spellcasting: { found: ParsedSpellcasting | null };
    field: string;
  },
): CreatureAction {
  const out: CreatureAction = { name, summary: '' };
  const attack = facts.attack ?? parseAttackText(desc);
  if (attack) out.attack = attack;
  const save = facts.save ?? parseSaveEffect(desc);
  if (save) out.save = save;
  if (name === 'Multiattack') {
    if (facts.multiattack?.length) out.multiattack = facts.multiattack;
    else {
      const { routine, unresolved } = parseMultiattackRoutine(desc, ctx.actionNames);
      if (unresolved.length)
        ctx.options.onNote?.(`${ctx.where} Multiattack: could not resolve ${unresolved.join(', ')}`);
      out.multiattack = routine;
    }
  }
  if (facts.usage) out.usage = facts.usage;
  if (facts.cost !== undefined) out.cost = facts.cost;
  if (name !== 'Multiattack' && !attack && !save) {
    const { routine } = parseMultiattackRoutine(
      desc.replace(/^.*?(?=\b(?:makes|uses)\b)/, 'It '),
      ctx.actionNames,
    );
    const refs = routine.filter((r) => r.action !== name && r.action !== 'Spellcasting');
    if (refs.length) out.multiattack = refs;
  }
  if (/Spellcasting$/.test(name)) {
    const sc = facts.spellcasting ?? parseSpellcasting(desc, ctx.options.spellIds);
    if (!sc) throw new CreatureFormatError(ctx.field, 'spellcasting ability not found in the text');
    ctx.spellcasting.found = sc;
    out.summary = summariseSpellcasting(sc);
  } else out.summary = summariseAction(out, desc);
  return out;
}
