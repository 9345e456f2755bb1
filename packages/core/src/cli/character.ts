/** `loreforge character import|show|list|edit`. */
import { derive, toDeriveOutput, type Build } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import type { Json } from '../docs/y-json';
import type { SetOp } from '../services/characters';
import { readJsonInput, stringOption } from './args';
import { CliError, type CliCommand, type CliIo } from './registry';
import { output, positional, short, storeOptions, withCore } from './store-cli';

function deriveFor(build: Build, io: CliIo): unknown {
  try {
    return toDeriveOutput(derive(build, loadSrdContent(io.env['LOREFORGE_RESOURCES_DIR'])));
  } catch (err) {
    io.stderr(`loreforge character show: cannot derive numbers (${(err as Error).message})\n`);
    return null;
  }
}

/** `--set <json-pointer>=<json-value>`; `null` removes the key or element. */
export function parseSet(arg: string): SetOp {
  const eq = arg.indexOf('=');
  if (eq <= 0)
    throw new CliError(
      `--set ${arg}: expected <json-pointer>=<json-value>, e.g. /build/abilityScores/str=18`,
    );
  const path = arg.slice(0, eq);
  const raw = arg.slice(eq + 1);
  if (!path.startsWith('/'))
    throw new CliError(`--set ${arg}: the path must be a JSON pointer starting with "/"`);
  let value: Json;
  try {
    value = JSON.parse(raw) as Json;
  } catch {
    throw new CliError(`--set ${arg}: the value must be JSON (quote strings: ${path}='"${raw}"')`);
  }
  return { path, value: value === null ? undefined : value };
}

export const characterCommands: CliCommand[] = [
  {
    path: ['character', 'import'],
    summary: 'Import a character build (optionally with narrative fields) → { id, branch, commit }.',
    usage: '<file|-> [--campaign ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ positionals, values, io }) {
      const input = await readJsonInput(positionals[0], io, 'character');
      const campaign = stringOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const res = await core.characters.import(input, campaign ? { campaign } : {});
        return output(
          io,
          values,
          res,
          `imported character ${res.id} (branch ${res.branch}, commit ${short(res.commit)})`,
        );
      });
    },
  },
  {
    path: ['character', 'show'],
    summary: 'Show a character at a branch or commit → { id, branch, commit, build, derived }.',
    usage: '<id> [--ref BRANCH|COMMIT] [--data-dir DIR] [--json]',
    options: { ...storeOptions, ref: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const ref = stringOption(values, 'ref');
      return withCore(values, io, async (core) => {
        const v = await core.characters.show(id, ref ? { ref } : {});
        const derived = deriveFor(v.doc.build, io);
        const b = v.doc.build;
        const human = [
          `${b.name} (${v.doc.kind}${v.doc.status === 'dead' ? ', dead' : ''}) — ${b.classes.map((c) => `${c.class} ${c.level}`).join(' / ')}`,
          `id ${v.id}  branch ${v.branch}  commit ${short(v.commit)}`,
          `scores ${Object.entries(b.abilityScores)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        ].join('\n');
        return output(io, values, { id: v.id, branch: v.branch, commit: v.commit, build: b, derived }, human);
      });
    },
  },
  {
    path: ['character', 'list'],
    summary: 'List characters → [{ id, name, kind, campaign, branch, commit }].',
    usage: '[--campaign ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ values, io }) {
      const campaign = stringOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const rows = await core.characters.list(campaign ? { campaign } : {});
        const human = rows.length
          ? rows
              .map((r) => `${r.id}  ${r.kind.padEnd(7)} ${r.name}  [${r.branch} ${short(r.commit)}]`)
              .join('\n')
          : 'no characters';
        return output(io, values, rows, human);
      });
    },
  },
  {
    path: ['character', 'edit'],
    summary: 'Set fields by JSON pointer and commit → { commit }.',
    usage: '<id> [--branch NAME] --set <json-pointer>=<json-value> … [-m MESSAGE] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      branch: { type: 'string' },
      set: { type: 'string', multiple: true },
      message: { type: 'string', short: 'm' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const sets = (values['set'] as string[] | undefined) ?? [];
      if (sets.length === 0) throw new CliError('--set: give at least one <json-pointer>=<json-value>');
      const set = sets.map(parseSet);
      const branch = stringOption(values, 'branch');
      const message = stringOption(values, 'message');
      return withCore(values, io, async (core) => {
        const res = await core.characters.edit(id, {
          set,
          ...(branch ? { branch } : {}),
          ...(message ? { message } : {}),
        });
        return output(
          io,
          values,
          { commit: res.commit },
          `committed ${short(res.commit)}${res.tags.length ? ` (tags: ${res.tags.join(', ')})` : ''}`,
        );
      });
    },
  },
];
