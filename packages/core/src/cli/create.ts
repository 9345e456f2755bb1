/**
 * `loreforge character create|refine|finalize|levelup|retheme|bulk`: the concept-to-character pipeline on the
 * command line. Provider failures exit 3 with the provider and the cause on stderr; nothing is saved then.
 */
import { join } from 'node:path';
import { isLlmError } from '@loreforge/llm';
import { loadSrdContent } from '../content/load-srd';
import type { Core } from '../core';
import { LazySqliteLlmCache, LLM_CACHE_FILE } from '../llm-cache/index';
import {
  PROVIDER_CHOICES,
  createPipeline,
  createPipelineRouter,
  type CharacterPipeline,
  type PipelineResult,
  type ProviderChoice,
  type RefineResult,
} from '../pipeline/index';
import { stringOption } from './args';
import { CliError, type CliCommand, type CliIo, type OptionValues } from './registry';
import { output, positional, resolveDataDir, short, storeOptions, withCore } from './store-cli';

/** Exit code when the model provider fails for good. */
export const PROVIDER_FAILURE_EXIT = 3;

export const providerOptions = {
  provider: { type: 'string' },
  model: { type: 'string' },
  'ollama-host': { type: 'string' },
  'openai-base-url': { type: 'string' },
  'openai-api-key': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

export const PROVIDER_USAGE =
  '[--provider auto|offline|ollama|openai] [--model M] [--ollama-host URL] [--openai-base-url URL] [--openai-api-key KEY] [--timeout-ms N] [--no-cache]';

export function intOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < range.min || n > range.max)
    throw new CliError(`--${name} ${raw}: expected a whole number ${range.min}–${range.max}`);
  return n;
}

/** A text option that must be given and non-empty; the error says what it is for. */
function requiredText(values: OptionValues, name: string, hint: string): string {
  const text = stringOption(values, name);
  if (!text) throw new CliError(`--${name}: required (${hint})`);
  return text;
}

/** `--seed`: a 32-bit signed integer. */
export function seedOption(values: OptionValues): number | undefined {
  return intOption(values, 'seed', { min: -(2 ** 31), max: 2 ** 31 - 1 });
}

function numberOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const n = raw.includes('/') ? Number(raw.split('/')[0]) / Number(raw.split('/')[1]) : Number(raw);
  if (!Number.isFinite(n) || n < range.min || n > range.max)
    throw new CliError(
      `--${name} ${raw}: expected a number ${range.min}–${range.max} (fractions like 1/4 allowed)`,
    );
  return n;
}

/** Open the store, build the routed pipeline from the flags, run `fn`; provider failures become exit 3. */
export async function withPipeline(
  values: OptionValues,
  io: CliIo,
  fn: (pipeline: CharacterPipeline, core: Core, notes: readonly string[]) => Promise<number>,
): Promise<number> {
  const provider = (stringOption(values, 'provider') ?? 'auto') as ProviderChoice;
  if (!PROVIDER_CHOICES.includes(provider))
    throw new CliError(`--provider ${provider}: expected one of ${PROVIDER_CHOICES.join(', ')}`);
  const timeoutMs = intOption(values, 'timeout-ms', { min: 1, max: 3_600_000 });
  const content = loadSrdContent(io.env['LOREFORGE_RESOURCES_DIR']);
  const cache =
    values['no-cache'] === true
      ? undefined
      : new LazySqliteLlmCache(join(resolveDataDir(values, io), LLM_CACHE_FILE));
  try {
    return await withCore(values, io, async (core) => {
      const { router, notes } = await createPipelineRouter(content, {
        provider,
        model: stringOption(values, 'model'),
        ollamaHost: stringOption(values, 'ollama-host') ?? io.env['OLLAMA_HOST'],
        openaiBaseURL: stringOption(values, 'openai-base-url') ?? io.env['OPENAI_BASE_URL'],
        openaiApiKey: stringOption(values, 'openai-api-key') ?? io.env['OPENAI_API_KEY'],
        timeoutMs,
        cache,
      });
      return fn(createPipeline(core, { llm: router, content }), core, notes);
    });
  } catch (err) {
    if (isLlmError(err)) {
      throw new CliError(
        `provider "${err.provider}" failed (${err.code}): ${err.message}; nothing was saved`,
        PROVIDER_FAILURE_EXIT,
      );
    }
    throw err;
  } finally {
    cache?.close();
  }
}

/** `withPipeline` for commands that need no model: the offline provider, no LLM cache. */
function withOfflinePipeline(
  values: OptionValues,
  io: CliIo,
  fn: (pipeline: CharacterPipeline, core: Core, notes: readonly string[]) => Promise<number>,
): Promise<number> {
  return withPipeline({ ...values, provider: 'offline', 'no-cache': true }, io, fn);
}

function resultJson(r: PipelineResult, notes: readonly string[]) {
  return {
    id: r.id,
    branch: r.branch,
    commit: r.commit,
    kind: r.kind,
    build: r.build,
    creature: r.creature,
    derived: r.derived,
    validation: r.validation,
    repairs: r.repairs,
    balance: r.balance,
    elements: r.elements,
    mapping: r.mapping,
    challenge: r.challenge,
    loreMissing: r.loreMissing,
    narrative: r.narrative,
    provenance: r.provenance,
    routing: notes,
  };
}

function humanResult(r: PipelineResult): string {
  const p = r.provenance;
  const who = r.build
    ? `${r.build.name} (${r.kind}) — ${r.build.classes.map((c) => `${c.class} ${c.level}`).join(' / ')}, ${r.build.species}`
    : `${r.creature?.name ?? '?'} (monster, CR ${r.challenge?.cr ?? '?'})`;
  return [
    who,
    r.id ? `id ${r.id}  branch ${r.branch ?? '-'}  commit ${short(r.commit)}` : 'not saved (preview)',
    `valid ${r.validation.valid}  repairs ${r.repairs.length}  balance adjustments ${r.balance.length}${r.challenge ? `  CR ${r.challenge.cr}` : ''}`,
    `provider ${p.provider}/${p.model}, ${p.attempts} attempt(s)${p.cached ? ' (cached)' : ''}, ${p.usage.inputTokens}+${p.usage.outputTokens} tokens`,
  ].join('\n');
}

/** JSON and human text of a result that carries a diff (refine, retheme). */
function diffResult(r: PipelineResult & { diff: RefineResult['diff'] }, notes: readonly string[]) {
  return { json: { ...resultJson(r, notes), diff: r.diff }, human: `${humanResult(r)}\n${r.diff.summary}` };
}

export const createCommands: CliCommand[] = [
  {
    path: ['character', 'create'],
    summary:
      'Create a character from a concept (LLM or offline) → { id, branch, commit, build, derived, validation, repairs, provenance }.',
    usage: `--concept TEXT [--kind pc|npc|monster] [--level N] [--cr X] [--campaign ID] [--theme T] [--seed N] ${PROVIDER_USAGE} [--data-dir DIR] [--json]`,
    options: {
      ...storeOptions,
      ...providerOptions,
      concept: { type: 'string' },
      kind: { type: 'string' },
      level: { type: 'string' },
      cr: { type: 'string' },
      campaign: { type: 'string' },
      theme: { type: 'string' },
      seed: { type: 'string' },
    },
    async run({ values, io }) {
      const cr = numberOption(values, 'cr', { min: 0, max: 30 });
      const concept = requiredText(values, 'concept', 'the character idea, e.g. "a cyberpunk netrunner"');
      const kind = stringOption(values, 'kind') ?? 'pc';
      if (!['pc', 'npc', 'monster'].includes(kind))
        throw new CliError(`--kind ${kind}: expected pc, npc or monster`);
      const level = intOption(values, 'level', { min: 1, max: 20 });
      const seed = seedOption(values);
      const campaign = stringOption(values, 'campaign');
      const theme = stringOption(values, 'theme');
      return withPipeline(values, io, async (pipeline, _core, notes) => {
        const r = await pipeline.createDraft({
          concept,
          kind: kind as 'pc' | 'npc' | 'monster',
          ...(level === undefined ? {} : { level }),
          ...(cr === undefined ? {} : { cr }),
          ...(seed === undefined ? {} : { seed }),
          ...(campaign ? { campaignId: campaign } : {}),
          ...(theme ? { theme } : {}),
        });
        return output(io, values, resultJson(r, notes), humanResult(r));
      });
    },
  },
  {
    path: ['character', 'refine'],
    summary:
      'Refine a character with feedback; only what the feedback asks changes → the create result plus diff.',
    usage: `<id> --feedback TEXT ${PROVIDER_USAGE} [--data-dir DIR] [--json]`,
    options: { ...storeOptions, ...providerOptions, feedback: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const feedback = requiredText(values, 'feedback', 'what to change');
      return withPipeline(values, io, async (pipeline, _core, notes) => {
        const r = await pipeline.refine(id, feedback);
        const { json, human } = diffResult(r, notes);
        return output(
          io,
          values,
          { ...json, explanations: r.explanations, ignored: r.ignored },
          `${human}\n${r.explanations.map((e) => `- ${e.field}: ${e.explanation}`).join('\n')}`,
        );
      });
    },
  },
  {
    path: ['character', 'finalize'],
    summary: 'Merge the draft into main and tag the baseline → { id, commit, tag, merged }.',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withOfflinePipeline(values, io, async (pipeline) => {
        const r = await pipeline.finalize(id);
        return output(io, values, r, `finalized ${id}: tag ${r.tag} on commit ${short(r.commit)}`);
      });
    },
  },
  {
    path: ['character', 'levelup'],
    summary:
      'Propose the next level (HP, features, spells, ASI/feat); with --choice N apply option N (commit + level-up tag).',
    usage: '<id> [--choice N] [--class ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, choice: { type: 'string' }, class: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const choice = intOption(values, 'choice', { min: 0, max: 1000 });
      const cls = stringOption(values, 'class');
      return withOfflinePipeline(values, io, async (pipeline, _core, notes) => {
        const r = await pipeline.levelUp(id, {
          ...(choice === undefined ? {} : { choice }),
          ...(cls ? { class: cls } : {}),
        });
        const options = r.options.map(({ build: _b, ...o }) => o);
        const human = r.applied
          ? `${humanResult(r.applied)}\napplied: ${r.applied.option.label}; tags ${r.applied.tags.join(', ')}`
          : options
              .map(
                (o) =>
                  `[${o.index}] ${o.label} — ${o.class} ${o.newLevel}, HP +${o.hitPoints.gain}, features: ${o.features.join(', ') || 'none'}${o.spells.prepared.length + o.spells.cantrips.length ? `, spells: ${[...o.spells.cantrips, ...o.spells.prepared].join(', ')}` : ''}`,
              )
              .join('\n');
        return output(
          io,
          values,
          {
            options,
            applied: r.applied
              ? {
                  ...resultJson(r.applied, notes),
                  option: { ...r.applied.option, build: undefined },
                  tags: r.applied.tags,
                }
              : null,
          },
          human,
        );
      });
    },
  },
  {
    path: ['character', 'retheme'],
    summary:
      'Re-theme a character on a new theme branch (narrative and lore; mechanics kept) → result plus diff.',
    usage: `<id> --theme T ${PROVIDER_USAGE} [--data-dir DIR] [--json]`,
    options: { ...storeOptions, ...providerOptions, theme: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const theme = requiredText(values, 'theme', 'e.g. "gothic horror"');
      return withPipeline(values, io, async (pipeline, _core, notes) => {
        const r = await pipeline.retheme(id, theme);
        const { json, human } = diffResult(r, notes);
        return output(io, values, json, human);
      });
    },
  },
  {
    path: ['character', 'bulk'],
    summary:
      'Create a consistent squad of NPCs with CRs near a target, each saved as its own character (--preview: save nothing) → { targetCr, members: [...] }.',
    usage: `--role R --count N --party 3,3,3,3 [--target-cr X] [--theme T] [--campaign ID] [--seed N] [--preview] ${PROVIDER_USAGE} [--data-dir DIR] [--json]`,
    options: {
      ...storeOptions,
      ...providerOptions,
      role: { type: 'string' },
      count: { type: 'string' },
      party: { type: 'string' },
      'target-cr': { type: 'string' },
      theme: { type: 'string' },
      campaign: { type: 'string' },
      seed: { type: 'string' },
      preview: { type: 'boolean' },
    },
    async run({ values, io }) {
      const role = requiredText(values, 'role', 'e.g. "cult fanatic"');
      const count = intOption(values, 'count', { min: 1, max: 50 });
      if (count === undefined) throw new CliError('--count: required (1–50)');
      const partyRaw = stringOption(values, 'party');
      if (!partyRaw) throw new CliError('--party: required, the party levels, e.g. 3,3,3,3');
      const partyLevels = partyRaw.split(',').map((s) => Number(s.trim()));
      if (partyLevels.some((n) => !Number.isInteger(n) || n < 1 || n > 20))
        throw new CliError(`--party ${partyRaw}: expected comma-separated levels 1–20`);
      const targetCr = numberOption(values, 'target-cr', { min: 0, max: 30 });
      const seed = seedOption(values);
      const theme = stringOption(values, 'theme');
      const campaign = stringOption(values, 'campaign');
      return withPipeline(values, io, async (pipeline, _core, notes) => {
        const r = await pipeline.bulkCreate({
          role,
          count,
          partyLevels,
          ...(targetCr === undefined ? {} : { targetCr }),
          ...(theme ? { theme } : {}),
          ...(campaign ? { campaignId: campaign } : {}),
          ...(seed === undefined ? {} : { seed }),
          save: values['preview'] !== true,
        });
        return output(
          io,
          values,
          { targetCr: r.targetCr, members: r.members.map((m) => resultJson(m, notes)) },
          [`target CR ${r.targetCr}`, ...r.members.map((m) => humanResult(m))].join('\n\n'),
        );
      });
    },
  },
];
