/** Shared helpers for the SRD importer: reading the source fixtures, slugs, numbers, the data-fix log. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ability, DamageType, Skill } from '@loreforge/rules-5e';
import {
  SKILL_IDS,
  abilityFromName,
  damageTypeFromName,
  isDamageType,
  normaliseDice,
  slugify,
} from '@loreforge/rules-5e';

export { isDamageType };

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

/** The SRD source JSON vendored in the repository (only the files the importer reads, with their licences). */
export function vendoredSources(repoRoot: string): Sources {
  return {
    open5e: join(repoRoot, 'resources/srd-source/open5e-2024'),
    bits: join(repoRoot, 'resources/srd-source/5e-bits-2024'),
  };
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
export const slug = slugify;

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

/** "Dexterity" / "dex" / "DEX" → "dex". */
export function ability(name: string): Ability {
  const a = abilityFromName(name);
  if (!a) throw new Error(`import-srd: unknown ability "${name}"`);
  return a;
}

export function damageType(name: string): DamageType {
  const t = damageTypeFromName(name);
  if (!t) throw new Error(`import-srd: unknown damage type "${name}"`);
  return t;
}

/** "Sleight of Hand" / "skill-sleight-of-hand" → "sleight-of-hand". */
export function skill(name: string): Skill {
  const s = slug(name.replace(/^skill-/, ''));
  if (!(SKILL_IDS as string[]).includes(s)) throw new Error(`import-srd: unknown skill "${name}"`);
  return s as Skill;
}

/** Normalise "2d6 + 5", "1d4 − 1", "2D6" into DiceSchema form "2d6+5". */
export const normDice = normaliseDice;

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

export function pbForLevel(level: number): number {
  return 2 + Math.floor((level - 1) / 4);
}
