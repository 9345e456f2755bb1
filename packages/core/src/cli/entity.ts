/** `loreforge entity create|show|list` and `loreforge mentions`: campaign lore entities and backlinks. */
import { LORE_KINDS } from '../docs/lore-doc';
import { addNpcBuild, generateNpcBuild, npcBuildTarget } from '../memory/npc-build';
import { readJsonInput, requireOption, stringOption } from './args';
import { PROVIDER_USAGE, providerOptions, seedOption, intOption, withPipeline } from './create';
import { CliError, type CliCommand, type OptionValues } from './registry';
import { output, outputList, positional, short, storeOptions, withCore } from './store-cli';

export function sessionNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^(0|[1-9]\d{0,8})$/.test(raw))
    throw new CliError(`${flag}: "${raw}" is not a session number (0 or more)`);
  return Number(raw);
}

function many(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export const entityCommands: CliCommand[] = [
  {
    path: ['entity', 'create'],
    summary: `Create a lore entity (${LORE_KINDS.join('|')}) → { id }. --dm-text: the DM-only part (DM notes).`,
    usage:
      '--campaign C --kind K --name N [--text T] [--alias A]… [--tag T]… [--session N] [--dm-text T] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      text: { type: 'string' },
      alias: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      session: { type: 'string' },
      'dm-text': { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const kind = requireOption(values, 'kind');
      if (!(LORE_KINDS as readonly string[]).includes(kind))
        throw new CliError(`--kind: "${kind}" is not one of ${LORE_KINDS.join(', ')}`);
      const name = requireOption(values, 'name');
      if (!name.trim()) throw new CliError('--name: must not be empty');
      const session = sessionNumber(stringOption(values, 'session'), '--session');
      const dmText = stringOption(values, 'dm-text');
      return withCore(values, io, async (core) => {
        const text = stringOption(values, 'text');
        const prepared =
          text !== undefined ? await core.memory.entities.prepareText(campaign, text, '--text') : undefined;
        const res = await core.memory.entities.create(
          campaign,
          {
            kind,
            name,
            aliases: many(values, 'alias'),
            tags: many(values, 'tag'),
            ...(session !== undefined ? { session } : {}),
            ...(dmText !== undefined ? { dmText } : {}),
          },
          prepared?.text,
        );
        return output(io, values, { id: res.id }, `created ${kind} ${res.id} (${name})`);
      });
    },
  },
  {
    path: ['entity', 'edit'],
    summary:
      'Change a lore entity (only the options given; --alias/--tag replace the lists; --dm-text: the DM-only part) → { id }.',
    usage:
      '<id> [--name N] [--text T] [--alias A]… [--no-aliases] [--tag T]… [--session N] [--dm-text T] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      name: { type: 'string' },
      text: { type: 'string' },
      alias: { type: 'string', multiple: true },
      'no-aliases': { type: 'boolean' },
      tag: { type: 'string', multiple: true },
      session: { type: 'string' },
      'dm-text': { type: 'string' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const name = stringOption(values, 'name');
      if (name !== undefined && !name.trim()) throw new CliError('--name: must not be empty');
      const session = sessionNumber(stringOption(values, 'session'), '--session');
      const text = stringOption(values, 'text');
      const dmText = stringOption(values, 'dm-text');
      const aliases =
        values['no-aliases'] === true
          ? []
          : values['alias'] !== undefined
            ? many(values, 'alias')
            : undefined;
      const tags = values['tag'] !== undefined ? many(values, 'tag') : undefined;
      return withCore(values, io, async (core) => {
        const res = await core.memory.entities.edit(id, {
          ...(name !== undefined ? { name } : {}),
          ...(text !== undefined ? { text } : {}),
          ...(aliases !== undefined ? { aliases } : {}),
          ...(tags !== undefined ? { tags } : {}),
          ...(session !== undefined ? { session } : {}),
          ...(dmText !== undefined ? { dmText } : {}),
        });
        return output(io, values, res, `edited ${res.id}`);
      });
    },
  },
  {
    path: ['entity', 'show'],
    summary:
      'One entity → { id, campaign, entity, kind, name, aliases, tags, text, session?, dm?, backlinks }.',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        const e = await core.memory.entities.show(id);
        const lines = [
          `${e.name} (${e.kind ?? e.entity})${e.aliases.length ? ` aka ${e.aliases.join(', ')}` : ''}`,
          ...(e.tags.length ? [`tags: ${e.tags.join(', ')}`] : []),
          ...(e.text ? ['', e.text] : []),
          ...(e.dm?.text ? ['', `DM only: ${e.dm.text}`] : []),
          ...(e.backlinks.length
            ? [
                '',
                'mentioned in:',
                ...e.backlinks.map((b) => `  ${short(b.journalId)}  ${b.title}: ${b.snippet}`),
              ]
            : []),
        ];
        return output(io, values, e, lines.join('\n'));
      });
    },
  },
  {
    path: ['entity', 'list'],
    summary: 'Lore entities and characters of a campaign → [{ id, entity, kind, name, aliases, tags }].',
    usage: '--campaign C [--kind K] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' }, kind: { type: 'string' } },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const kind = stringOption(values, 'kind');
      return withCore(values, io, async (core) => {
        const rows = await core.memory.entities.list(campaign, kind !== undefined ? { kind } : {});
        return outputList(
          io,
          values,
          rows,
          (r) => `${short(r.id)}  ${r.kind ?? r.entity}  ${r.name}`,
          'no entities',
        );
      });
    },
  },
  {
    path: ['entity', 'build'],
    summary:
      'Give an NPC stub a build (DM only): a DM-only npc character linked from the DM notes; the stub stays public → { id, characterId, commit, replaced }.',
    usage: `<stub-id> (--build FILE|- [--replace] | --generate [--level N] [--seed N] ${PROVIDER_USAGE}) [--data-dir DIR] [--json]`,
    options: {
      ...storeOptions,
      ...providerOptions,
      build: { type: 'string' },
      replace: { type: 'boolean' },
      generate: { type: 'boolean' },
      level: { type: 'string' },
      seed: { type: 'string' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'stub-id');
      const file = stringOption(values, 'build');
      const generate = values['generate'] === true;
      const replace = values['replace'] === true;
      if ((file === undefined) === !generate)
        throw new CliError('--build FILE or --generate: give exactly one (where the build comes from)');
      if (generate && replace)
        throw new CliError(
          '--replace: only with --build FILE (a generated build never replaces one; change it with character edit or character refine)',
        );
      if (file === undefined && values['level'] !== undefined)
        throw new CliError('--level: only with --generate');
      if (file !== undefined) {
        for (const flag of ['seed', 'provider', 'model'])
          if (values[flag] !== undefined) throw new CliError(`--${flag}: only with --generate`);
        const input = await readJsonInput(file, io, 'build');
        return withCore(values, io, async (core) => {
          const res = await addNpcBuild(core, id, input, { replace });
          for (const w of res.warnings) io.stderr(`loreforge entity build: warning: ${w}\n`);
          return output(
            io,
            values,
            {
              id: res.id,
              characterId: res.characterId,
              commit: res.commit,
              replaced: res.replaced,
              ...(res.warnings.length ? { warnings: res.warnings } : {}),
            },
            `${res.replaced ? 'replaced the build of' : 'gave a build to'} ${res.id}: character ${res.characterId} (DM only; commit ${short(res.commit)})`,
          );
        });
      }
      const level = intOption(values, 'level', { min: 1, max: 20 });
      const seed = seedOption(values);
      // Checked before any model call: an NPC stub, the DM's folder, no build yet.
      await withCore(values, io, (core) => npcBuildTarget(core, id));
      return withPipeline(values, io, async (pipeline, core, notes) => {
        // Finalized (main, baseline tag) as the app does: a linked build is not a draft waiting in the list.
        const r = await generateNpcBuild(core, pipeline, id, {
          finalize: true,
          ...(level === undefined ? {} : { level }),
          ...(seed === undefined ? {} : { seed }),
        });
        const { characterId, commit } = r;
        return output(
          io,
          values,
          { id, characterId, commit, replaced: false, branch: r.branch, routing: notes },
          `gave a generated build to ${id}: character ${characterId} on ${r.branch} (DM only; commit ${short(commit)})`,
        );
      });
    },
  },
  {
    path: ['mentions'],
    summary:
      'Journals (and lore pages) that mention an entity → [{ journalId, title, snippet, from, session? }].',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        await core.memory.entities.show(id);
        const rows = (await core.memory.entities.backlinks(id)).map(({ createdAt: _c, ...r }) => r);
        return outputList(
          io,
          values,
          rows,
          (r) => `${short(r.journalId)}  ${r.title}: ${r.snippet}`,
          'not mentioned anywhere',
        );
      });
    },
  },
];
