/**
 * Concept fidelity for `pnpm eval`: runs the fidelity concept set through the offline generator over several
 * seeds and checks each draft against what a DM would accept (class, species, gear carried and equipped,
 * pronouns, the concept's own words in the narrative, monster type and CR, no verbatim copy of the concept,
 * build consistency). Reports the pass rate per dimension and overall, and the share of the concept's words
 * the narrative uses.
 */
import type { Content } from '@loreforge/rules-5e';
import { generateOffline, type DraftChoices } from '../packages/core/src/generation/index';
import { FIDELITY_CONCEPTS, type FidelityConcept } from './eval-concepts';

export const DIMENSIONS = [
  'class',
  'species',
  'gear',
  'pronoun',
  'keywords',
  'monster',
  'verbatim',
  'consistent',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface FidelityRow {
  readonly concept: string;
  readonly category: FidelityConcept['category'];
  readonly seed: number;
  /** Dimension → passed (only the dimensions that apply to this concept). */
  readonly checks: Partial<Record<Dimension, boolean>>;
  /** Why a check failed, for the report. */
  readonly failures: readonly string[];
  /** Share of the concept's content words that the narrative uses. */
  readonly wordShare: number;
}

export interface FidelitySummary {
  readonly drafts: number;
  readonly perDimension: Record<Dimension, { passed: number; total: number; rate: number }>;
  /** Drafts that pass every check that applies to them. */
  readonly overall: number;
  readonly overallRate: number;
  readonly wordShare: number;
  readonly perCategory: Record<string, { passed: number; total: number; rate: number }>;
}

const STOP = new Set(
  'a an the of and or with in on at to for from who that whose his her their its by into under over as is was who has have had one'.split(
    ' ',
  ),
);

function norm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Every narrative and lore text of a draft, joined. */
export function narrativeText(d: DraftChoices): string {
  const n = d.narrative;
  return [
    n.backstory,
    ...n.personality,
    ...n.ideals,
    ...n.bonds,
    ...n.flaws,
    ...n.fears,
    ...n.secrets,
    ...n.motivations,
    ...n.relationships.flatMap((r) => [r.name, r.relation, r.note]),
    n.appearance,
    ...d.lore.map((l) => l.text),
  ].join(' \n ');
}

/** A word (or phrase) used in the text; plurals and simple endings count ("horn" ~ "horns"). */
function uses(text: string, word: string): boolean {
  const w = norm(word);
  if (w === '') return true;
  const stem = w.length > 4 ? w.replace(/(es|s)$/, '') : w;
  return new RegExp(`(?:^| )${stem.replace(/ /g, ' ')}[a-z]*(?= |$)`).test(norm(text));
}

const PRONOUN_WORDS = {
  he: ['he', 'him', 'his', 'himself'],
  she: ['she', 'her', 'hers', 'herself'],
  they: ['they', 'them', 'their', 'theirs', 'themselves', 'themself'],
} as const;

function countWords(text: string, words: readonly string[]): number {
  const tokens = norm(text).split(' ');
  return tokens.filter((t) => words.includes(t)).length;
}

function checkDraft(c: FidelityConcept, d: DraftChoices, content: Content, failures: string[]) {
  const checks: Partial<Record<Dimension, boolean>> = {};
  const text = narrativeText(d);
  const story = `${d.narrative.backstory} ${d.narrative.appearance}`;
  const b = d.build;
  if (c.classes && b) {
    const cls = b.classes[0]?.class ?? '';
    checks.class = c.classes.includes(cls);
    if (!checks.class) failures.push(`class ${cls}`);
  }
  if (c.species && b) {
    checks.species = c.species.includes(b.species);
    if (!checks.species) failures.push(`species ${b.species}`);
  }
  if (c.gear && b) {
    const missing = c.gear.filter((id) => {
      const entry = b.equipment.find((e) => e.item === id);
      const item = content.items.get(id);
      const wieldable = item?.kind === 'weapon' || item?.kind === 'armor';
      return !entry || (wieldable && entry.equipped !== true);
    });
    checks.gear = missing.length === 0;
    if (!checks.gear) failures.push(`gear missing or unequipped: ${missing.join(', ')}`);
  }
  if (c.kind !== 'monster') {
    const expected = c.pronoun ?? 'they';
    if (c.pronoun) {
      const own = countWords(story, PRONOUN_WORDS[expected]);
      const others = (['he', 'she', 'they'] as const)
        .filter((p) => p !== expected)
        .map((p) => countWords(story, PRONOUN_WORDS[p]));
      checks.pronoun = own > 0 && others.every((o) => o < own);
      if (!checks.pronoun) failures.push(`pronoun: ${expected} ${own} vs others ${others.join('/')}`);
    }
  }
  if (c.keywords && c.keywords.length > 0) {
    const missing = c.keywords.filter((k) => !uses(text, k));
    checks.keywords = missing.length === 0;
    if (!checks.keywords) failures.push(`narrative lacks: ${missing.join(', ')}`);
  }
  if (c.kind === 'monster') {
    const block = d.creature?.statBlock;
    const typeOk = block !== undefined && (c.types ?? []).some((t) => norm(block.type).includes(t));
    const crOk = block !== undefined && block.cr === c.cr;
    checks.monster = typeOk && crOk;
    if (!checks.monster) failures.push(`monster ${block?.type ?? '?'} CR ${block?.cr ?? '?'}`);
  }
  const conceptNorm = norm(c.concept);
  if (conceptNorm.split(' ').length >= 4) {
    checks.verbatim = !norm(text).includes(conceptNorm);
    if (!checks.verbatim) failures.push('narrative copies the concept verbatim');
  }
  // Build consistency: small folk are not tall; no magic, no fear of one's own power; rival ≠ hero's family.
  const problems: string[] = [];
  if (b) {
    const small = b.size === 'small' || ['halfling', 'gnome'].includes(b.species);
    if (small && /\btall\b|\btowering\b/i.test(d.narrative.appearance) && !/\btall\b/i.test(c.concept))
      problems.push('small but tall');
    const caster = (b.spells ?? []).length > 0;
    if (!caster && /own power|their power|her power|his power|control of/i.test(text))
      problems.push('no magic yet fears losing control of power');
    const family = b.name.split(' ').slice(1).join(' ');
    if (
      family &&
      d.narrative.relationships.some(
        (r) => r.relation === 'rival' && r.name.split(' ').slice(1).join(' ') === family,
      )
    )
      problems.push('rival shares the hero’s surname');
  }
  if (c.kind === 'monster' && /walks the roads|as a \w+ with more courage/i.test(text))
    problems.push('monster with a PC backstory');
  checks.consistent = problems.length === 0;
  if (problems.length) failures.push(...problems);

  const words = [...new Set(conceptNorm.split(' ').filter((w) => w.length >= 4 && !STOP.has(w)))];
  const wordShare = words.length === 0 ? 1 : words.filter((w) => uses(text, w)).length / words.length;
  return { checks, wordShare };
}

export function runFidelity(
  content: Content,
  options: { seeds?: readonly number[]; concepts?: readonly FidelityConcept[] } = {},
): { rows: FidelityRow[]; summary: FidelitySummary } {
  const seeds = options.seeds ?? [1, 2, 3];
  const concepts = options.concepts ?? FIDELITY_CONCEPTS;
  const rows: FidelityRow[] = [];
  for (const c of concepts) {
    for (const seed of seeds) {
      const failures: string[] = [];
      const d = generateOffline(
        {
          concept: c.concept,
          kind: c.kind,
          seed,
          ...(c.level === undefined ? {} : { level: c.level }),
          ...(c.cr === undefined ? {} : { cr: c.cr }),
          ...(c.theme === undefined ? {} : { theme: c.theme }),
        },
        content,
      );
      const { checks, wordShare } = checkDraft(c, d, content, failures);
      rows.push({ concept: c.concept, category: c.category, seed, checks, failures, wordShare });
    }
  }
  return { rows, summary: summarizeFidelity(rows) };
}

export function summarizeFidelity(rows: readonly FidelityRow[]): FidelitySummary {
  const perDimension = {} as FidelitySummary['perDimension'];
  for (const dim of DIMENSIONS) {
    const applicable = rows.filter((r) => r.checks[dim] !== undefined);
    const passed = applicable.filter((r) => r.checks[dim] === true).length;
    perDimension[dim] = {
      passed,
      total: applicable.length,
      rate: applicable.length === 0 ? 1 : passed / applicable.length,
    };
  }
  const ok = (r: FidelityRow) => Object.values(r.checks).every(Boolean);
  const overall = rows.filter(ok).length;
  const perCategory: FidelitySummary['perCategory'] = {};
  for (const r of rows) {
    const entry = (perCategory[r.category] ??= { passed: 0, total: 0, rate: 0 });
    entry.total++;
    if (ok(r)) entry.passed++;
  }
  for (const e of Object.values(perCategory)) e.rate = e.total === 0 ? 1 : e.passed / e.total;
  return {
    drafts: rows.length,
    perDimension,
    overall,
    overallRate: rows.length === 0 ? 1 : overall / rows.length,
    wordShare: rows.length === 0 ? 0 : rows.reduce((s, r) => s + r.wordShare, 0) / rows.length,
    perCategory,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatFidelity(rows: readonly FidelityRow[], s: FidelitySummary): string {
  const concepts = new Set(rows.map((r) => r.concept)).size;
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const lines = [
    `Concept fidelity, offline provider: ${concepts} concepts × ${seeds} seeds = ${s.drafts} drafts`,
    '',
    '| dimension | passed | checked | pass rate |',
    '|---|---|---|---|',
    ...DIMENSIONS.map((d) => {
      const x = s.perDimension[d];
      return `| ${d} | ${x.passed} | ${x.total} | ${pct(x.rate)} |`;
    }),
    `| **overall** (every check of a draft) | ${s.overall} | ${s.drafts} | ${pct(s.overallRate)} |`,
    '',
    '| category | drafts passing | drafts | pass rate |',
    '|---|---|---|---|',
    ...Object.entries(s.perCategory).map(([k, v]) => `| ${k} | ${v.passed} | ${v.total} | ${pct(v.rate)} |`),
    '',
    `Share of the concept's words (4+ letters) that the narrative uses: ${pct(s.wordShare)}`,
  ];
  const failed = rows.filter((r) => r.failures.length > 0);
  if (failed.length > 0) {
    lines.push('', 'Failures:');
    for (const r of failed) lines.push(`- ${r.concept} (seed ${r.seed}): ${r.failures.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
