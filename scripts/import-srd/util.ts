/** Shared helpers for the SRD importer: reading the source fixtures, slugs, numbers, the data-fix log. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ability, DamageType, Skill } from '@loreforge/rules-5e';
import { ABILITIES, DAMAGE_TYPES, SKILL_IDS } from '@loreforge/rules-5e';

/** One Django fixture record of the Open5e export. */
export interface Fixture<F> {
  model: string;
  pk: string;
  fields: F;
}

export interface Sources {
  open5e: string;
  bits: string;
}

export function readOpen5e<F>(src: Sources, file: string): Fixture<F>[] {
  return readJson<Fixture<F>[]>(join(src.open5e, `${file}.json`));
}

export function readBits<T>(src: Sources, file: string): T[] {
  return readJson<T[]>(join(src.bits, `5e-SRD-${file}.json`));
}

function readJson<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`import-srd: cannot read source file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return JSON.parse(text) as T;
}

/** Lowercase hyphenated id from an SRD name: "Studded Leather Armor" → "studded-leather-armor". */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/\+/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Strip the `srd-2024_` prefix of an Open5e key. */
export function key(pk: string): string {
  return pk.replace(/^srd-2024_/, '');
}

export function num(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`import-srd: not a number: ${String(value)}`);
  return n;
}

/** Round to at most 2 decimals (costs such as 0.01 gp). */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const ABILITY_NAMES: Record<string, Ability> = {
  strength: 'str',
  dexterity: 'dex',
  constitution: 'con',
  intelligence: 'int',
  wisdom: 'wis',
  charisma: 'cha',
};

/** "Dexterity" / "dex" / "DEX" → "dex". */
export function ability(name: string): Ability {
  const lower = name.trim().toLowerCase();
  const a = ABILITY_NAMES[lower] ?? (ABILITIES as readonly string[]).find((x) => x === lower);
  if (!a) throw new Error(`import-srd: unknown ability "${name}"`);
  return a as Ability;
}

export function isDamageType(s: string): s is DamageType {
  return (DAMAGE_TYPES as readonly string[]).includes(s);
}

export function damageType(name: string): DamageType {
  const lower = name.trim().toLowerCase();
  if (!isDamageType(lower)) throw new Error(`import-srd: unknown damage type "${name}"`);
  return lower;
}

/** "Sleight of Hand" / "skill-sleight-of-hand" → "sleight-of-hand". */
export function skill(name: string): Skill {
  const s = slug(name.replace(/^skill-/, ''));
  if (!(SKILL_IDS as string[]).includes(s)) throw new Error(`import-srd: unknown skill "${name}"`);
  return s as Skill;
}

const WORDS: Record<string, number> = {
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
  twice: 2,
  thrice: 3,
};

export function wordNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  return WORDS[w];
}

/** Average of a dice expression like "2d6+5" (floor, as printed in stat blocks). */
export function averageOf(dice: string): number {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(dice);
  if (!m) throw new Error(`import-srd: bad dice "${dice}"`);
  const count = Number(m[1]);
  const bonus = m[3] ? Number(m[3]) : 0;
  if (m[2] === undefined) return count + bonus;
  return Math.floor((count * (Number(m[2]) + 1)) / 2 + bonus);
}

/** Normalise "2d6 + 5", "1d4 − 1", "2D6" into DiceSchema form "2d6+5". */
export function normDice(text: string): string {
  return text.replace(/[−–]/g, '-').replace(/\s+/g, '').toLowerCase();
}

/** The list of data fixes applied, written into resources/srd/README.md. */
export class FixLog {
  private readonly entries: string[] = [];
  add(area: string, message: string): void {
    this.entries.push(`${area}: ${message}`);
  }
  list(): readonly string[] {
    return this.entries;
  }
}

/** CR → XP (SRD 5.2.1 table; CR 0 creatures are given 10 XP when they have an attack, else 0). */
export const XP_BY_CR: ReadonlyMap<number, number> = new Map([
  [0, 10],
  [0.125, 25],
  [0.25, 50],
  [0.5, 100],
  [1, 200],
  [2, 450],
  [3, 700],
  [4, 1100],
  [5, 1800],
  [6, 2300],
  [7, 2900],
  [8, 3900],
  [9, 5000],
  [10, 5900],
  [11, 7200],
  [12, 8400],
  [13, 10000],
  [14, 11500],
  [15, 13000],
  [16, 15000],
  [17, 18000],
  [18, 20000],
  [19, 22000],
  [20, 25000],
  [21, 33000],
  [22, 41000],
  [23, 50000],
  [24, 62000],
  [25, 75000],
  [26, 90000],
  [27, 105000],
  [28, 120000],
  [29, 135000],
  [30, 155000],
]);

export function pbForCr(cr: number): number {
  if (cr < 5) return 2;
  return 2 + Math.ceil((cr - 4) / 4);
}

export function pbForLevel(level: number): number {
  return 2 + Math.floor((level - 1) / 4);
}

export function abilityMod(score: number): number {
  return Math.floor((score - 10) / 2);
}
