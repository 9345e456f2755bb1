/** `loreforge item import|retheme`. */
import { readJsonInput, requireOption, stringOption } from './args';
import type { CliCommand } from './registry';
import { output, positional, short, storeOptions, withCore } from './store-cli';

export const itemCommands: CliCommand[] = [
  {
    path: ['item', 'import'],
    summary: 'Import an item (its base version, tagged `base`) → { id, branch, commit }.',
    usage: '<file|-> [--campaign ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ positionals, values, io }) {
      const input = await readJsonInput(positionals[0], io, 'item');
      const campaign = stringOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const res = await core.items.import(input, campaign ? { campaign } : {});
        return output(
          io,
          values,
          res,
          `imported item ${res.id} (branch ${res.branch}, commit ${short(res.commit)})`,
        );
      });
    },
  },
  {
    path: ['item', 'retheme'],
    summary:
      'Re-theme an item: a variant branch from its base commit → { id, branch, commit, baseId, baseCommit }.',
    usage: '<id> --theme NAME [--data-dir DIR] [--json]',
    options: { ...storeOptions, theme: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const theme = requireOption(values, 'theme');
      return withCore(values, io, async (core) => {
        const res = await core.items.retheme(id, { theme });
        return output(
          io,
          values,
          res,
          `variant ${res.branch} at ${short(res.commit)} (from base ${short(res.baseCommit)})`,
        );
      });
    },
  },
];
