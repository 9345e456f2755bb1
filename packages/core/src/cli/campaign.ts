/** `loreforge campaign create|list|export|import`. */
import { requireOption, stringOption } from './args';
import type { CliCommand } from './registry';
import { fileArg, output, outputList, positional, storeOptions, withCore } from './store-cli';

export const campaignCommands: CliCommand[] = [
  {
    path: ['campaign', 'create'],
    summary: 'Create a campaign (its own database file) → { id, name }.',
    usage: '--name N [--description TEXT] [--data-dir DIR] [--json]',
    options: { ...storeOptions, name: { type: 'string' }, description: { type: 'string' } },
    async run({ values, io }) {
      const name = requireOption(values, 'name');
      const description = stringOption(values, 'description');
      return withCore(values, io, async (core) => {
        const c = await core.campaigns.create({ name, ...(description ? { description } : {}) });
        return output(io, values, { id: c.id, name: c.name }, `created campaign ${c.id} (${c.name})`);
      });
    },
  },
  {
    path: ['campaign', 'list'],
    summary:
      'Campaigns in this data folder → [{ id, name, role?, relay? }] (role and relay when shared through a relay).',
    usage: '[--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ values, io }) {
      return withCore(values, io, async (core) => {
        const rows = [];
        for (const c of await core.campaigns.list()) {
          if (c.isLibrary) continue;
          const m = await core.campaigns.membership(c.id);
          rows.push({
            id: c.id,
            name: c.name,
            ...(m ? { role: m.role } : {}),
            ...(m?.relay ? { relay: m.relay } : {}),
          });
        }
        return outputList(
          io,
          values,
          rows,
          (r) => `${r.id}  ${r.name}${r.role ? `  (${r.role})` : ''}`,
          'no campaigns',
        );
      });
    },
  },
  {
    path: ['campaign', 'export'],
    summary:
      'Export a campaign (documents, history, tags) to one archive file → { id, file, bytes, sha256 }.',
    usage: '<id> --out FILE [--data-dir DIR] [--json]',
    options: { ...storeOptions, out: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const out = fileArg(io, requireOption(values, 'out'));
      return withCore(values, io, async (core) => {
        const res = await core.archive.export(id, out);
        return output(
          io,
          values,
          res,
          `exported ${id} to ${res.file} (${res.bytes} bytes, sha256 ${res.sha256.slice(0, 12)}…)`,
        );
      });
    },
  },
  {
    path: ['campaign', 'import'],
    summary:
      'Import a campaign archive; a corrupt or foreign file is refused and changes nothing → { id, name, entities }.',
    usage: '<file> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const file = fileArg(io, positional(positionals, 0, 'file'));
      return withCore(values, io, async (core) => {
        const res = await core.archive.import(file);
        return output(
          io,
          values,
          res,
          `imported campaign ${res.id} (${res.name}, ${res.entities} documents)`,
        );
      });
    },
  },
];
