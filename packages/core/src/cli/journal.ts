/** `loreforge journal add|list|show`: campaign journals (live documents; the text merges per character). */
import { relabelMentions } from '../docs/rich-text';
import { mentionLabels } from '../memory/labels';
import { requireOption, stringOption } from './args';
import { CliError, type CliCommand } from './registry';
import { output, outputList, positional, short, storeOptions, withCore } from './store-cli';

function sessionOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^(0|[1-9]\d{0,8})$/.test(raw))
    throw new CliError(`--session: "${raw}" is not a session number (0 or more)`);
  return Number(raw);
}

export const journalCommands: CliCommand[] = [
  {
    path: ['journal', 'add'],
    summary:
      'Add a journal to a campaign → { id, mentions }. --private: DM-only (a dmnotes document, never sent to players).',
    usage: '--campaign C --title T --text TEXT [--private] [--session N] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      title: { type: 'string' },
      text: { type: 'string' },
      private: { type: 'boolean' },
      session: { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const title = requireOption(values, 'title');
      const text = stringOption(values, 'text') ?? '';
      const session = sessionOption(stringOption(values, 'session'));
      // Checked before mentions create any stub, so a refused journal leaves nothing behind.
      if (!title.trim()) throw new CliError('--title: must not be empty');
      return withCore(values, io, async (core) => {
        // Mentions (`@Name`, `@"Multi Word"`, `@[Label](ID)`, `@[Name](new:npc)`) are resolved first; an
        // ambiguous or unknown name fails before anything is written (memory/entities.ts).
        const prepared = await core.memory.entities.prepareText(campaign, text, '--text', {
          private: values['private'] === true,
        });
        const res = await core.journals.create(campaign, {
          title,
          text: prepared.text,
          private: values['private'] === true,
          ...(session !== undefined ? { session } : {}),
        });
        return output(
          io,
          values,
          { id: res.id, mentions: prepared.mentions },
          `added journal ${res.id} (${title})${prepared.mentions.length ? `, mentions ${prepared.mentions.map((m) => m.name).join(', ')}` : ''}`,
        );
      });
    },
  },
  {
    path: ['journal', 'list'],
    summary: 'Journals of a campaign → [{ id, title, private, author, session? }].',
    usage: '--campaign C [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const rows = await core.journals.list(campaign);
        return outputList(
          io,
          values,
          rows,
          (r) =>
            `${short(r.id)}  ${r.title}${r.private ? '  (private)' : ''}${r.session !== undefined ? `  session ${r.session}` : ''}  by ${r.author}`,
          'no journals',
        );
      });
    },
  },
  {
    path: ['journal', 'show'],
    summary:
      'One journal → { id, campaign, title, text, private, author, session? }; mentions carry current names.',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        const shown = await core.journals.show(id);
        // Mentions show each entity's current name (a rename follows) unless written as one of its current
        // aliases; the label written is the fallback for an entity this folder does not know.
        const { names, aliases } = await mentionLabels(core, shown.campaign);
        const j = { ...shown, text: relabelMentions(shown.text, names, aliases) };
        return output(io, values, j, `${j.title}${j.private ? ' (private)' : ''}\n\n${j.text}`);
      });
    },
  },
];
