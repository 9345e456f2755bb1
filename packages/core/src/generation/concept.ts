/** Reads a free-text concept (and optional theme) into weighted archetypes and a setting theme. */
import { ARCHETYPES, THEMES, type Archetype, type Theme } from './affinity';
import { readConcept, type ConceptReading } from './reader';
import { normalizeName, tokens } from './text';

export interface ArchetypeMatch {
  readonly archetype: Archetype;
  /** Number of keyword hits. */
  readonly score: number;
}

export interface ConceptProfile {
  readonly concept: string;
  readonly tokens: readonly string[];
  readonly matches: readonly ArchetypeMatch[];
  readonly theme: Theme;
  /** Flavour words from matched archetypes and theme, strongest first. */
  readonly flavour: readonly string[];
  /** The weighted reading of the concept against the data tables (classes, species, props, pronouns…). */
  readonly reading: ConceptReading;
}

/** Count keyword hits in normalised text: phrases by substring on word boundaries, words exact or by prefix. */
export function keywordHits(
  normalized: string,
  words: readonly string[],
  keywords: readonly string[],
): number {
  let hits = 0;
  const padded = ` ${normalized} `;
  for (const raw of keywords) {
    const kw = normalizeName(raw);
    if (kw === '') continue;
    if (kw.includes(' ')) {
      if (padded.includes(` ${kw} `)) hits++;
    } else if (words.some((w) => w === kw || (kw.length >= 4 && w.startsWith(kw)))) {
      hits++;
    }
  }
  return hits;
}

const FANTASY = THEMES.find((t) => t.id === 'fantasy') ?? (THEMES[0] as Theme);

export function analyzeConcept(concept: string, theme?: string): ConceptProfile {
  const normalized = normalizeName(concept);
  const words = tokens(concept);
  const matches = ARCHETYPES.map((archetype) => ({
    archetype,
    score: keywordHits(normalized, words, archetype.keywords),
  }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);

  const themeText = normalizeName(theme ?? '');
  const themeWords = tokens(theme ?? '');
  let chosen: Theme | undefined;
  if (themeText !== '') {
    chosen =
      THEMES.find((t) => normalizeName(t.id) === themeText) ??
      best(THEMES, (t) => keywordHits(themeText, themeWords, [t.id, ...t.keywords]));
  }
  chosen ??= best(THEMES, (t) => keywordHits(normalized, words, t.keywords)) ?? FANTASY;

  const flavour: string[] = [];
  for (const m of matches) for (const f of m.archetype.flavour) if (!flavour.includes(f)) flavour.push(f);
  for (const f of chosen.adjectives) if (!flavour.includes(f)) flavour.push(f);
  return { concept, tokens: words, matches, theme: chosen, flavour, reading: readConcept(concept) };
}

function best<T>(items: readonly T[], score: (t: T) => number): T | undefined {
  let top: T | undefined;
  let topScore = 0;
  for (const item of items) {
    const s = score(item);
    if (s > topScore) {
      top = item;
      topScore = s;
    }
  }
  return top;
}

/** Sum of archetype weights for one id in one table, scaled by hit count. */
export function affinity(
  profile: ConceptProfile,
  pickTable: (a: Archetype) => Readonly<Record<string, number>> | undefined,
  id: string,
): number {
  let total = 0;
  for (const m of profile.matches) total += m.score * (pickTable(m.archetype)?.[id] ?? 0);
  return total;
}

/** True when any matched archetype lists `value` in the given list field. */
export function prefers<T>(
  profile: ConceptProfile,
  pickList: (a: Archetype) => readonly T[] | undefined,
  value: T,
): number {
  let total = 0;
  for (const m of profile.matches) if (pickList(m.archetype)?.includes(value)) total += m.score;
  return total;
}
