/** `loreforge campaign generate|check|retheme` (issue 13): a campaign from a pitch, its story-graph checks, re-theming. */
import { LlmError } from '@loreforge/llm';
import type { ObjectModel } from '../campaign-gen/llm';
import { createCampaignGen } from '../campaign-gen/service';
import { loadSrdContent } from '../content/load-srd';
import { assertJsonWithinLimits } from '../input/limits';
import { parseSet } from './character';
import { createPipelineRouter } from '../pipeline/providers';
import { requireOption, stringOption } from './args';
import { CliError, type CliCommand, type CliIo, type OptionValues } from './registry';
import { output, positional, storeOptions, withCore } from './store-cli';

/** A whole-number option, or undefined; anything else is an error naming the flag. */
export function intOption(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new CliError(`--${name}: "${raw}" is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new CliError(`--${name}: ${n} is not between ${min} and ${max}`);
  return n;
}

export function listOption(values: OptionValues, name: string): string[] {
  return requireOption(values, name)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const modelOptions = {
  provider: { type: 'string' },
  model: { type: 'string' },
  'ollama-host': { type: 'string' },
  'openai-base-url': { type: 'string' },
  'openai-api-key': { type: 'string' },
} as const;

/** The pipeline's router for a named model provider (flags, else OLLAMA_HOST / OPENAI_BASE_URL / OPENAI_API_KEY). */
async function modelRouter(
  provider: 'ollama' | 'openai',
  values: OptionValues,
  io: CliIo,
): Promise<ObjectModel> {
  const model = stringOption(values, 'model');
  const host = stringOption(values, 'ollama-host') ?? io.env['OLLAMA_HOST'];
  const base = stringOption(values, 'openai-base-url') ?? io.env['OPENAI_BASE_URL'];
  const key = stringOption(values, 'openai-api-key') ?? io.env['OPENAI_API_KEY'];
  return (
    await createPipelineRouter(loadSrdContent(), {
      provider,
      ...(model ? { model } : {}),
      ...(host ? { ollamaHost: host } : {}),
      ...(base ? { openaiBaseURL: base } : {}),
      ...(key ? { openaiApiKey: key } : {}),
    })
  ).router;
}

function providerFailed(err: unknown): never {
  if (err instanceof LlmError)
    throw new CliError(
      `--provider: ${err.provider} failed (${err.code}): ${err.message}; nothing was saved`,
      3,
    );
  throw err;
}

export const campaignGenCommands: CliCommand[] = [
  {
    path: ['campaign', 'generate'],
    summary:
      'A campaign from a pitch and a party (offline, deterministic by seed): setting, factions, locations, NPCs, chapters with 2–5 choices, encounters for the party, nemesis → { id, chapters, nemesis, entities }.',
    usage:
      '--pitch TEXT --party ID,… [--theme T] [--chapters N] [--seed N] [--name N] [--provider offline|ollama|openai] [--model M] [--ollama-host URL] [--openai-base-url URL] [--openai-api-key KEY] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      pitch: { type: 'string' },
      party: { type: 'string' },
      theme: { type: 'string' },
      chapters: { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
      ...modelOptions,
    },
    async run({ values, io }) {
      const pitch = requireOption(values, 'pitch');
      const party = listOption(values, 'party');
      const provider = stringOption(values, 'provider') ?? 'offline';
      if (provider !== 'offline' && provider !== 'ollama' && provider !== 'openai')
        throw new CliError(`--provider: "${provider}" is not one of offline, ollama, openai`);
      const chapters = intOption(values, 'chapters', 3, 12);
      const seed = intOption(values, 'seed', 0, 2 ** 31 - 1);
      const theme = stringOption(values, 'theme');
      const name = stringOption(values, 'name');
      return withCore(values, io, async (core) => {
        const llm = provider === 'offline' ? undefined : await modelRouter(provider, values, io);
        const res = await createCampaignGen(core, {
          author: io.env['LOREFORGE_AUTHOR'] ?? io.env['USER'] ?? 'cli',
        })
          .generate(
            {
              pitch,
              party,
              ...(theme !== undefined ? { theme } : {}),
              ...(chapters !== undefined ? { chapters } : {}),
              ...(seed !== undefined ? { seed } : {}),
              ...(name !== undefined ? { name } : {}),
            },
            llm ? { llm } : {},
          )
          .catch(providerFailed);
        const human = [
          `generated campaign ${res.id}: ${res.chapters.length} chapters, ${res.entities} entities, nemesis ${res.nemesis.name} (CR ${res.nemesis.cr})`,
          ...res.chapters.map(
            (c) =>
              `  ${c.id} ${c.title}${c.choices.length ? `\n${c.choices.map((x) => `      → ${x.next}: ${x.text}`).join('\n')}` : '  (ending)'}`,
          ),
        ].join('\n');
        return output(io, values, res, human);
      });
    },
  },
  {
    path: ['campaign', 'check'],
    summary:
      'Story-graph checks of a generated campaign: chapters and endings reachable, 2–5 choices, three clues per conclusion → { ok, problems: [{ code, where, message }] }.',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        const res = await createCampaignGen(core).check(id);
        const human = res.ok
          ? 'ok: every chapter and ending reachable, every conclusion has three clues'
          : res.problems.map((p) => `${p.code}  ${p.where}  ${p.message}`).join('\n');
        output(io, values, res, human);
        return res.ok ? 0 : 1;
      });
    },
  },
  {
    path: ['campaign', 'outline'],
    summary:
      'The generated outline of a campaign (setting, chapters, scenes, encounters, choices, conclusions and clues).',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        const o = await createCampaignGen(core).load(id);
        const human = [
          `${o.setting.name} (${o.theme}): ${o.setting.text}`,
          ...o.chapters.map((c) =>
            [
              `${c.id} ${c.title}${c.ending ? ' (ending)' : ''}${c.status === 'played' ? ' [played]' : ''}`,
              `    goal: ${c.goal}`,
              ...c.scenes.map((x) => `    scene ${x.id}: ${x.title}`),
              ...c.encounters.map((e) => `    encounter ${e.id}: ${e.name} (${e.difficulty})`),
              ...c.choices.map((x, i) => `    ${i === c.taken ? '⇒' : '→'} ${x.next}: ${x.text}`),
            ].join('\n'),
          ),
        ].join('\n');
        return output(io, values, o, human);
      });
    },
  },
  {
    path: ['campaign', 'refine'],
    summary:
      'Change parts of the outline (setting, start, chapters, conclusions) by JSON pointer, or with a model from --feedback (one chapter’s words with --chapter; else the whole story graph: chapters, choices, clues); only what is asked changes, the story graph must stay sound; one commit → { commit, changes }.',
    usage:
      '<id> (--set /path=<json> … [--message TEXT] | [--chapter ID] --feedback TEXT --provider ollama|openai [--model M] …) [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      ...modelOptions,
      set: { type: 'string', multiple: true },
      message: { type: 'string' },
      chapter: { type: 'string' },
      feedback: { type: 'string' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const feedback = stringOption(values, 'feedback');
      if (feedback !== undefined) {
        const chapter = stringOption(values, 'chapter');
        const provider = stringOption(values, 'provider');
        if (provider !== 'ollama' && provider !== 'openai')
          throw new CliError(
            '--provider: refining with --feedback needs a model (ollama or openai); offline, use --set',
          );
        return withCore(values, io, async (core) => {
          const llm = await modelRouter(provider, values, io);
          const service = createCampaignGen(core);
          const res = await (
            chapter !== undefined
              ? service.refineChapter(id, chapter, feedback, llm)
              : service.refineStructure(id, feedback, llm)
          ).catch(providerFailed);
          return output(
            io,
            values,
            res,
            res.changes.map((c) => `${c.path}: ${JSON.stringify(c.to)}`).join('\n') || 'no change',
          );
        });
      }
      const raw = values['set'];
      const sets = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []).map((a) => {
        const op = parseSet(String(a));
        assertJsonWithinLimits(op.value ?? null, '--set');
        return { path: op.path, value: op.value === undefined ? null : op.value };
      });
      if (!sets.length) throw new CliError('--set: name at least one change (/path=<json>)');
      const message = stringOption(values, 'message');
      return withCore(values, io, async (core) => {
        const res = await createCampaignGen(core).refine(id, sets, message);
        return output(
          io,
          values,
          res,
          res.changes.map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n'),
        );
      });
    },
  },
  {
    path: ['campaign', 'retheme'],
    summary:
      'Re-theme a generated campaign: party and foes on theme branches keeping their memory, items re-themed from their base → { id, theme, characters, items }.',
    usage: '<id> --theme T [--data-dir DIR] [--json]',
    options: { ...storeOptions, theme: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const theme = requireOption(values, 'theme');
      return withCore(values, io, async (core) => {
        const res = await createCampaignGen(core).retheme(id, theme);
        return output(
          io,
          values,
          res,
          `campaign ${id}: ${res.from} → ${res.theme} (${res.characters.length} characters, ${res.items.length} items)`,
        );
      });
    },
  },
];
