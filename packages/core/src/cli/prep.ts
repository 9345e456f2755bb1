/** `loreforge prep` (issue 13): the next session's prep sheet, every item with its sources. */
import { createCampaignGen } from '../campaign-gen/service';
import { prepMarkdown } from '../campaign-gen/prep';
import { requireOption, stringOption } from './args';
import { intOption } from './campaign-gen';
import { CliError, type CliCommand } from './registry';
import { storeOptions, withCore } from './store-cli';
import { printJson } from './args';

export const prepCommands: CliCommand[] = [
  {
    path: ['prep'],
    summary:
      'Session prep: strong start, scenes, ten secrets, locations, NPCs, encounters with their difficulty for the real party, treasure; each item with sources.',
    usage: '--campaign C --session N [--format md|json] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      session: { type: 'string' },
      format: { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      requireOption(values, 'session');
      const session = intOption(values, 'session', 0, 100_000) as number;
      const format = stringOption(values, 'format') ?? (values['json'] === true ? 'json' : 'md');
      if (format !== 'md' && format !== 'json') throw new CliError(`--format: "${format}" is not md or json`);
      return withCore(values, io, async (core) => {
        const sheet = await createCampaignGen(core).prep(campaign, session);
        if (format === 'json') printJson(io, sheet);
        else io.stdout(prepMarkdown(sheet));
        return 0;
      });
    },
  },
];
