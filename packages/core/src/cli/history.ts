/** `loreforge history log|branch|diff|merge|tag` for any entity (character, item, campaign, journal). */
import { TAG_KINDS, type TagKind } from '../services/engine';
import { stringOption } from './args';
import { CliError, type CliCommand } from './registry';
import { output, positional, short, storeOptions, withCore } from './store-cli';

export const historyCommands: CliCommand[] = [
  {
    path: ['history', 'log'],
    summary:
      'Commits reachable from a branch, newest first; each with who changed what since the previous one (changes: [{ origin, author, paths }]).',
    usage: '<id> [--branch NAME] [--data-dir DIR] [--json]',
    options: { ...storeOptions, branch: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const branch = stringOption(values, 'branch');
      return withCore(values, io, async (core) => {
        const log = await core.history.log(id, branch ? { branch } : {});
        const human = log
          .map(
            (c) =>
              `${short(c.commit)} ${new Date(c.timestamp).toISOString()} ${c.author} [${c.branch}] ${c.message}${c.tags.length ? ` (${c.tags.join(', ')})` : ''}${c.changes
                .map(
                  (ch) =>
                    `\n    ${ch.origin === ch.author ? ch.origin : `${ch.origin} ${ch.author}`}: ${ch.paths.join(', ') || '(no visible change)'}`,
                )
                .join('')}`,
          )
          .join('\n');
        return output(io, values, log, human);
      });
    },
  },
  {
    path: ['history', 'branch'],
    summary: 'Create a branch (e.g. a what-if) from a ref → { branch, commit }.',
    usage: '<id> <name> [--from REF] [--data-dir DIR] [--json]',
    options: { ...storeOptions, from: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const name = positional(positionals, 1, 'name');
      const from = stringOption(values, 'from');
      return withCore(values, io, async (core) => {
        const res = await core.history.branch(id, name, from ? { from } : {});
        return output(io, values, res, `branch ${res.branch} at ${short(res.commit)}`);
      });
    },
  },
  {
    path: ['history', 'diff'],
    summary: 'Differences between two refs → [{ path, from, to }].',
    usage: '<id> <refA> <refB> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const a = positional(positionals, 1, 'refA');
      const b = positional(positionals, 2, 'refB');
      return withCore(values, io, async (core) => {
        const res = await core.history.diff(id, a, b);
        return output(io, values, res.changes, res.summary);
      });
    },
  },
  {
    path: ['history', 'merge'],
    summary:
      'Merge a branch into another (CRDT merge) → { commit, conflicts: [{ path, ours, theirs, kept }] }.',
    usage: '<id> <fromBranch> [--into BRANCH] [-m MESSAGE] [--data-dir DIR] [--json]',
    options: { ...storeOptions, into: { type: 'string' }, message: { type: 'string', short: 'm' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const from = positional(positionals, 1, 'fromBranch');
      const into = stringOption(values, 'into');
      const message = stringOption(values, 'message');
      return withCore(values, io, async (core) => {
        const res = await core.history.merge(id, from, {
          ...(into ? { into } : {}),
          ...(message ? { message } : {}),
        });
        const human = [
          `merged ${from} → commit ${short(res.commit)}`,
          ...res.conflicts.map(
            (c) =>
              `both changed ${c.path}: ours ${JSON.stringify(c.ours)}, theirs ${JSON.stringify(c.theirs)}, kept ${JSON.stringify(c.kept)}`,
          ),
        ].join('\n');
        return output(io, values, res, human);
      });
    },
  },
  {
    path: ['history', 'tag'],
    summary: `Tag a commit (kinds: ${TAG_KINDS.join(', ')}) → { tag, commit, kind }.`,
    usage: '<id> <name> [--ref REF] [--kind KIND] [--data-dir DIR] [--json]',
    options: { ...storeOptions, ref: { type: 'string' }, kind: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const name = positional(positionals, 1, 'name');
      const ref = stringOption(values, 'ref');
      const kind = stringOption(values, 'kind');
      if (kind !== undefined && !(TAG_KINDS as readonly string[]).includes(kind)) {
        throw new CliError(`--kind: must be one of ${TAG_KINDS.join(', ')} (got "${kind}")`);
      }
      return withCore(values, io, async (core) => {
        const res = await core.history.tag(id, name, {
          ...(ref ? { ref } : {}),
          ...(kind ? { kind: kind as TagKind } : {}),
        });
        return output(io, values, res, `tagged ${short(res.commit)} as ${res.tag} (${res.kind})`);
      });
    },
  },
];
