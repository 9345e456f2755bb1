/**
 * The offline concept reader: weighted evidence from a free-text concept, read against the data tables in
 * `resources/generation/` (species descriptors, class vocations/verbs/props, props → equipment, pronouns, age,
 * mood, famous figures, name parts and story words). Every cue adds its weight to a target; nothing is decided
 * by the first match. The generator turns the sums into choices (near-ties broken by the seed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Ability } from '@loreforge/rules-5e';
import { defaultResourcesDir } from '../content/load-srd';
import { normalizeName } from './text';

const Weights = z.record(z.string().min(1), z.number());
const WeightTable = z.record(z.string().min(1), Weights);

const CuesSchema = z.object({
  species: WeightTable,
  size: z.object({ small: Weights, large: Weights }),
  classes: WeightTable,
  abilities: WeightTable,
  pronouns: z.object({ he: Weights, she: Weights, they: Weights }),
  ages: z.object({ young: Weights, old: Weights }),
  moods: WeightTable,
});

const PropSchema = z.object({
  cues: z.array(z.string().min(1)).min(1),
  item: z.string().min(1),
  classes: Weights,
});
const PropsSchema = z.object({ props: z.array(PropSchema) });

const PronounSchema = z.enum(['he', 'she', 'they']);
export type Pronoun = z.infer<typeof PronounSchema>;
const AbilitySchema = z.enum(['str', 'dex', 'con', 'int', 'wis', 'cha']);

const FigureSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  classes: Weights,
  species: Weights,
  pronoun: PronounSchema,
  abilities: z.array(AbilitySchema),
  keywords: z.array(z.string().min(1)),
  gear: z.array(z.string().min(1)).optional(),
});
export type Figure = z.infer<typeof FigureSchema>;
const FiguresSchema = z.object({ figures: z.array(FigureSchema) });

const NamePartsSchema = z.object({
  start: z.array(z.string().min(1)).min(1),
  he: z.array(z.string()).min(1),
  she: z.array(z.string()).min(1),
  they: z.array(z.string()).min(1),
  family1: z.array(z.string().min(1)).min(1),
  family2: z.array(z.string().min(1)).min(1),
});
export type NameParts = z.infer<typeof NamePartsSchema>;
const NamesSchema = z.object({
  species: z.record(z.string(), NamePartsSchema),
  virtues: z.array(z.string()),
});

const StoryWordsSchema = z.object({
  placeNouns: z.array(z.string().min(1)),
  events: z.record(z.string().min(1), z.string().min(1)),
  liegeWords: z.array(z.string().min(1)),
  enemyVerbs: z.array(z.string().min(1)),
});

export interface GenerationTables {
  readonly cues: z.infer<typeof CuesSchema>;
  readonly props: readonly z.infer<typeof PropSchema>[];
  readonly figures: readonly Figure[];
  readonly names: z.infer<typeof NamesSchema>;
  readonly story: z.infer<typeof StoryWordsSchema>;
}

const tableCache = new Map<string, GenerationTables>();

function readTable<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`generation tables: missing ${path}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`generation tables: ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `generation tables: ${file} at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Load (and cache per folder) the reader's data tables from `<resources>/generation`. */
export function loadGenerationTables(resourcesDir: string = defaultResourcesDir()): GenerationTables {
  const dir = join(resourcesDir, 'generation');
  const hit = tableCache.get(dir);
  if (hit) return hit;
  const tables: GenerationTables = {
    cues: readTable(dir, 'concept-cues.json', CuesSchema),
    props: readTable(dir, 'props.json', PropsSchema).props,
    figures: readTable(dir, 'figures.json', FiguresSchema).figures,
    names: readTable(dir, 'names.json', NamesSchema),
    story: readTable(dir, 'story-words.json', StoryWordsSchema),
  };
  tableCache.set(dir, tables);
  return tables;
}

/** One piece of evidence: which cue in the concept pointed at which target, with what weight. */
export interface Evidence {
  readonly cue: string;
  readonly dimension:
    'class' | 'species' | 'size' | 'ability' | 'pronoun' | 'age' | 'mood' | 'prop' | 'figure';
  readonly target: string;
  readonly weight: number;
}

/** Story elements found in the concept's own words. */
export interface ConceptElements {
  /** The concept's head role without article, figure name or clauses ("halfling burglar"). */
  readonly role: string;
  /** Places named by the concept ("the northern glaciers"). */
  readonly places: readonly string[];
  /** Events named (as a backstory phrase: "the plague"). */
  readonly events: readonly string[];
  /** A patron, deity, liege or cause ("a devil", "a fallen king", "the sun"). */
  readonly liege?: string;
  /** Who or what they fight ("monsters"). */
  readonly enemies?: string;
  /** What they do, from a "who …" clause, third person ("talks to spirits"). */
  readonly deed?: string;
  /** What they are doing, from an "-ing" phrase ("seeking redemption"). */
  readonly pursuit?: string;
  /** A state they are in, from a participle ("sworn to a fallen king", "raised by wolves"). */
  readonly state?: string;
  /** What their craft or study is about, from an "of …" phrase that is no place or liege ("clockwork toys"). */
  readonly subject?: string;
  /** "with …" phrases that are not props ("a heart of gold"). */
  readonly traits: readonly string[];
  /** Props in the concept's own words ("a rolling pin"). */
  readonly props: readonly string[];
  /** The descriptor words that pointed at a species ("horns", "tusks"). */
  readonly marks: readonly string[];
}

export interface ConceptReading {
  readonly concept: string;
  readonly classes: Readonly<Record<string, number>>;
  readonly species: Readonly<Record<string, number>>;
  readonly abilities: Readonly<Partial<Record<Ability, number>>>;
  readonly size?: 'small' | 'large';
  readonly pronoun: Pronoun;
  /** True when the concept (or its figure) said which pronouns to use. */
  readonly pronounStated: boolean;
  readonly age: 'young' | 'adult' | 'old';
  readonly mood?: string;
  readonly figure?: Figure;
  /** Item ids the concept names (weapons and armour first in concept order). */
  readonly items: readonly string[];
  readonly elements: ConceptElements;
  readonly evidence: readonly Evidence[];
}

interface CompiledCue {
  readonly phrase: string;
  readonly re: RegExp;
}

const compiled = new Map<string, CompiledCue>();

/** A cue as a word-boundary regex over normalised text; a trailing * matches any ending of the last word. */
function compile(cue: string): CompiledCue {
  const hit = compiled.get(cue);
  if (hit) return hit;
  const prefix = cue.endsWith('*');
  const phrase = normalizeName(prefix ? cue.slice(0, -1) : cue);
  const body = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?:^| )${body}${prefix ? '[a-z0-9]*' : ''}(?= |$)`);
  const c = { phrase, re };
  compiled.set(cue, c);
  return c;
}

/** Sum the weights of the cues found in the text; evidence lists each cue that matched. */
function score(
  text: string,
  table: Readonly<Record<string, Readonly<Record<string, number>>>>,
  dimension: Evidence['dimension'],
  evidence: Evidence[],
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [target, cues] of Object.entries(table)) {
    for (const [cue, weight] of Object.entries(cues)) {
      if (weight === 0 || cue.startsWith('$')) continue;
      const { phrase, re } = compile(cue);
      const m = phrase === '' ? null : re.exec(text);
      if (!m) continue;
      sums[target] = (sums[target] ?? 0) + weight;
      evidence.push({ cue: m[0].trim(), dimension, target, weight });
    }
  }
  return sums;
}

function top(sums: Readonly<Record<string, number>>): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const [k, v] of Object.entries(sums)) if (v > 0 && (!best || v > best[1])) best = [k, v];
  return best;
}

function add(into: Record<string, number>, from: Readonly<Record<string, number>>, factor: number): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v * factor;
}

/** The figure whose name or alias appears in the text (longest match wins). */
function findFigure(text: string, figures: readonly Figure[]): Figure | undefined {
  let best: Figure | undefined;
  let bestLength = 0;
  for (const f of figures) {
    for (const name of [f.name, ...(f.aliases ?? [])]) {
      const { phrase, re } = compile(name);
      if (phrase.length > bestLength && re.test(text)) {
        best = f;
        bestLength = phrase.length;
      }
    }
  }
  return best;
}

/** "-ing" verbs that open what the character is doing now ("seeking redemption"). */
const PURSUITS = [
  'seeking',
  'searching',
  'hunting',
  'guarding',
  'protecting',
  'raising',
  'chasing',
  'serving',
  'avenging',
  'wandering',
  'fleeing',
  'wielding',
  'carrying',
  'breaking',
  'stalking',
  'defending',
  'looking',
  'running',
  'keeping',
  'collecting',
  'studying',
  'exploring',
  'sleeping',
  'haunting',
  'ruling',
  'tending',
  'waiting',
  'plotting',
  'preaching',
  'selling',
  'smuggling',
  'forging',
  'building',
  'spreading',
  'escaping',
  'mourning',
];
/** Participles that describe a state ("bound to a devil", "raised by wolves"). */
const STATES = [
  'bound',
  'sworn',
  'obsessed',
  'famed',
  'known',
  'feared',
  'marked',
  'raised',
  'born',
  'exiled',
  'orphaned',
  'abandoned',
  'banished',
  'trained',
  'cursed',
  'forged',
  'blessed',
  'touched',
  'haunted',
  'driven',
  'hired',
  'devoted',
  'chosen',
  'descended',
  'named',
  'loved',
  'hunted',
  'wanted',
];

const BREAK_WORDS = [
  'who',
  'with',
  'that',
  'whose',
  'from',
  'of',
  'in',
  'on',
  'at',
  'near',
  'under',
  'beyond',
  'across',
  'turned',
  'and',
  'but',
  'while',
  'after',
  'before',
  'to',
  'for',
  'against',
  'riding',
  'living',
  'fighting',
  'trying',
  ...STATES,
  ...PURSUITS,
];
// Hyphenated compounds ("axe-wielding", "pact-maker") are one word: no break inside them.
const CLAUSE_BREAK = new RegExp(`\\s*(?:,|;|\\.|(?<![\\w-])(?:${BREAK_WORDS.join('|')})(?![\\w-]))\\s*`, 'i');

function stripArticle(text: string): string {
  return text.replace(/^(?:a|an|the|some)\s+/i, '').trim();
}

function clean(text: string): string {
  return text
    .replace(/[.;!?]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Pull places, events, liege, enemies, deed, pursuit and role out of the concept's own words. */
function readElements(
  concept: string,
  normalized: string,
  tables: GenerationTables,
  figure: Figure | undefined,
  propPhrases: readonly string[],
  marks: readonly string[],
): ConceptElements {
  const lower = concept.toLowerCase().replace(/[’]/g, "'");
  const placeNouns = new Set(tables.story.placeNouns);
  const liegeWords = tables.story.liegeWords;
  const stop = /(?:,|;|\.|\s+who\s|\s+with\s|\s+and\s|\s+but\s|\s+that\s|\s+while\s|\s+after\s|$)/;
  const places: string[] = [];
  let liege: string | undefined;
  const ofPhrases: { index: number; phrase: string }[] = [];
  const prepRe =
    /\b(from|of|in|on|at|near|under|beyond|across|to|into|through|for|by)\s+((?:the|a|an|his|her|their)\s+)?([a-z' -]+)/g;
  for (const m of lower.matchAll(prepRe)) {
    const prep = m[1] ?? '';
    const article = m[2] ?? '';
    const rest = (m[3] ?? '').split(stop)[0] ?? '';
    const words = rest.split(/\s+/).filter(Boolean).slice(0, 5);
    const phrase = clean(`${article}${words.join(' ')}`);
    if (!phrase) continue;
    const hasPlace = words.some((w) => placeNouns.has(w.replace(/'s$/, '')));
    const hasLiege = liegeWords.some((w) => ` ${words.join(' ')} `.includes(` ${w} `));
    if (
      hasPlace &&
      ['from', 'in', 'on', 'at', 'near', 'under', 'beyond', 'across', 'of', 'through'].includes(prep)
    )
      places.push(phrase);
    else if (hasLiege && ['to', 'of', 'for', 'by'].includes(prep) && !liege) liege = phrase;
    else if (prep === 'of' && words.length > 0) ofPhrases.push({ index: m.index, phrase });
  }
  const events: string[] = [];
  for (const [word, phrase] of Object.entries(tables.story.events)) {
    if (compile(word).re.test(normalized) && !events.includes(phrase)) events.push(phrase);
  }
  let enemies: string | undefined;
  for (const verb of tables.story.enemyVerbs) {
    const m = new RegExp(`\\b${verb}\\s+((?:the|a|an)\\s+)?([a-z' -]+)`).exec(lower);
    if (m) {
      const words = (m[2] ?? '').split(stop)[0]?.split(/\s+/).filter(Boolean) ?? [];
      const cut = words.findIndex((w) => ['on', 'in', 'at', 'of', 'from', 'across', 'through'].includes(w));
      const phrase = clean(`${m[1] ?? ''}${(cut >= 0 ? words.slice(0, cut) : words).slice(0, 4).join(' ')}`);
      if (phrase && !/^(with|in|on|for|to|as|at|by|from|into|alongside|beside)\b/.test(phrase)) {
        enemies = phrase;
        break;
      }
    }
  }
  let head = concept;
  if (figure) {
    for (const name of [figure.name, ...(figure.aliases ?? [])]) {
      head = head.replace(new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), '');
    }
    head = head.replace(/^[\s,;:-]+/, '');
  }
  // Adjectives listed with commas ("a horned, tailed wanderer") stay in the role; an appositive ("bandit, the
  // leader") does not.
  const headText = stripArticle(head).replace(/^((?:\w+,\s*(?!(?:the|a|an|who|with)\b))+)(?=\w)/i, (m) =>
    m.replace(/,/g, ''),
  );
  // A leading "-ing" word is an adjective ("a wandering monk"), not the start of a clause.
  const lead = /^(\w+ing)\s+/i.exec(headText)?.[1];
  const rest = lead ? headText.slice(lead.length).trimStart() : headText;
  const role = clean(`${lead ? `${lead} ` : ''}${rest.split(CLAUSE_BREAK)[0] ?? ''}`.toLowerCase());
  // What the role is *of* ("tinkerer of clockwork toys"), not an "of" inside another phrase ("heart of gold").
  const roleEnd = role.split(' ').pop() ?? '';
  const subject =
    roleEnd === ''
      ? undefined
      : ofPhrases.find((o) => lower.slice(0, o.index).trim().replace(/,$/, '').endsWith(roleEnd))?.phrase;
  // A deed is a "who/that …" clause about the character itself (right after the role, or after a place).
  let deed: string | undefined;
  for (const m of lower.matchAll(/\b(who|that)\s+([a-z' -]+)/g)) {
    const before = lower.slice(0, m.index).trim().replace(/,$/, '');
    const lastWord = before.split(/\s+/).pop() ?? '';
    const aboutSelf =
      (role !== '' && before.endsWith(role.split(' ').pop() ?? '')) ||
      places.some((p) => before.endsWith(p)) ||
      (figure !== undefined && before === '') ||
      lastWord === role;
    if (!aboutSelf) continue;
    deed = clean((m[2] ?? '').split(/,|;|\.|\s+and\s+who\s/)[0] ?? '');
    break;
  }
  // A pursuit verb used as a noun modifier ("a smuggling ring") or inside a hyphenated word is no pursuit.
  const pursuitMatch = new RegExp(
    `(?<![\\w-])(?<!\\b(?:a|an|the|his|her|their) )((?:${PURSUITS.join('|')})(?![\\w-])[a-z' -]*)`,
  ).exec(lower);
  const pursuit = pursuitMatch ? clean((pursuitMatch[1] ?? '').split(/,|;|\.|\s+and\s/)[0] ?? '') : undefined;
  const stateMatch = new RegExp(
    `(?<![\\w-])((?:${STATES.join('|')})\\s+(?:to|by|with|in|from|for|as|on)\\b[a-z' -]*)`,
  ).exec(lower);
  const state = stateMatch
    ? clean((stateMatch[1] ?? '').split(/,|;|\.|\s+and\s|\s+who\s/)[0] ?? '')
    : undefined;
  // "with …" phrases that are not props are traits ("a heart of gold", "an innate storm bloodline").
  const traits: string[] = [];
  for (const m of lower.matchAll(/\bwith\s+([a-z' -]+)/g)) {
    const chunk = (m[1] ?? '').split(/,|;|\.|\s+who\s|\s+that\s|\s+while\s|\s+for\s/)[0] ?? '';
    for (const part of chunk.split(/\s+and\s+/)) {
      const phrase = clean(part);
      if (!phrase || propPhrases.some((pp) => normalizeName(phrase).includes(pp))) continue;
      if (liegeWords.includes(phrase.split(' ').pop() ?? '') && !liege) {
        liege = phrase;
        continue;
      }
      traits.push(phrase);
    }
  }
  return {
    role,
    places,
    events,
    ...(liege ? { liege } : {}),
    ...(enemies ? { enemies } : {}),
    ...(deed ? { deed } : {}),
    ...(pursuit && pursuit.split(' ').length >= 2 ? { pursuit } : {}),
    ...(state ? { state } : {}),
    ...(subject ? { subject } : {}),
    traits,
    props: propPhrases,
    marks,
  };
}

/** Read a concept into weighted evidence. Pure and deterministic; the seed is applied by the generator. */
export function readConcept(
  concept: string,
  tables: GenerationTables = loadGenerationTables(),
): ConceptReading {
  const normalized = normalizeName(concept);
  const evidence: Evidence[] = [];
  const { cues } = tables;
  const classes = score(normalized, cues.classes, 'class', evidence);
  // Whom they hunt or fight says nothing about what they are: "an elf hunting orcs" is not an orc.
  const enemyRe = new RegExp(
    `(?:^| )(?:${tables.story.enemyVerbs.join('|')}) (?:(?:the|a|an|all|every) )?[a-z0-9]+(?: (?:and|or) [a-z0-9]+)?`,
    'g',
  );
  const withoutEnemies = normalized.replace(enemyRe, (m) => m.replace(/[a-z0-9]/g, '#'));
  const species = score(withoutEnemies, cues.species, 'species', evidence);
  const abilities: Record<string, number> = score(normalized, cues.abilities, 'ability', evidence);
  const size = score(normalized, cues.size, 'size', evidence);
  const pronouns = score(normalized, cues.pronouns, 'pronoun', evidence);
  const ages = score(normalized, cues.ages, 'age', evidence);
  const moods = score(normalized, cues.moods, 'mood', evidence);

  const figure = findFigure(normalized, tables.figures);
  if (figure) {
    add(classes, figure.classes, 3);
    add(species, figure.species, 2);
    figure.abilities.forEach((a, i) => {
      abilities[a] = (abilities[a] ?? 0) + (i === 0 ? 5 : 3);
    });
    pronouns[figure.pronoun] = (pronouns[figure.pronoun] ?? 0) + 6;
    evidence.push({ cue: normalizeName(figure.name), dimension: 'figure', target: figure.name, weight: 3 });
  }

  // Props: longest cues first, and matched words are masked so "long bow" is not also a "bow".
  const items: string[] = [];
  const propPhrases: string[] = [];
  const pairs = tables.props
    .flatMap((p) => p.cues.map((cue) => ({ cue, prop: p })))
    .sort((a, b) => compile(b.cue).phrase.length - compile(a.cue).phrase.length);
  let masked = normalized;
  const matchedProps = new Set<string>();
  const found: { index: number; item: string; phrase: string }[] = [];
  for (const { cue, prop } of pairs) {
    if (matchedProps.has(prop.item)) continue;
    const { re } = compile(cue);
    const m = re.exec(masked);
    if (!m) continue;
    matchedProps.add(prop.item);
    const text = m[0].trim();
    found.push({ index: m.index, item: prop.item, phrase: text });
    masked =
      masked.slice(0, m.index) +
      masked.slice(m.index, m.index + m[0].length).replace(/[a-z0-9]/g, '#') +
      masked.slice(m.index + m[0].length);
    add(classes, prop.classes, 1);
    evidence.push({ cue: text, dimension: 'prop', target: prop.item, weight: 1 });
  }
  found.sort((a, b) => a.index - b.index);
  for (const f of found) {
    items.push(f.item);
    propPhrases.push(f.phrase);
  }
  for (const g of figure?.gear ?? []) if (!items.includes(g)) items.push(g);

  const marks = evidence
    .filter((e) => e.dimension === 'species' && e.weight < 10 && e.weight > 0)
    .map((e) => e.cue);
  const pronounTop = top(pronouns);
  const ageTop = top(ages);
  const old = ages['old'] ?? 0;
  const young = ages['young'] ?? 0;
  const sizeTop = top(size);
  const moodTop = top(moods);
  return {
    concept,
    classes,
    species,
    abilities,
    ...(sizeTop ? { size: sizeTop[0] as 'small' | 'large' } : {}),
    pronoun: (pronounTop?.[0] as Pronoun | undefined) ?? 'they',
    pronounStated: pronounTop !== undefined,
    age: ageTop && old !== young ? (old > young ? 'old' : 'young') : 'adult',
    ...(moodTop ? { mood: moodTop[0] } : {}),
    ...(figure ? { figure } : {}),
    items,
    elements: readElements(concept, normalized, tables, figure, propPhrases, marks),
    evidence,
  };
}

/**
 * The keys whose weight is within `share` of the best (at least `min`), strongest first; empty when the
 * evidence is weaker than `min`. The generator picks among these with its seed (ties broken by seed).
 */
export function leaders(
  sums: Readonly<Record<string, number>>,
  allowed: (key: string) => boolean,
  min = 3,
  share = 0.8,
): [string, number][] {
  const entries = Object.entries(sums)
    .filter(([k, v]) => v > 0 && allowed(k))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const best = entries[0]?.[1] ?? 0;
  if (best < min) return [];
  return entries.filter(([, v]) => v >= best * share);
}
