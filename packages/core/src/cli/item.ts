/** `loreforge item import|show|list|retheme`. */
import { readJsonInput, requireOption, stringOption } from './args';
import type { CliCommand } from './registry';
import { output, outputList, positional, short, storeOptions, withCore } from './store-cli';

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
    path: ['item', 'show'],
    summary:
      'Show an item at a branch or commit → { id, branch, commit, item, theme, tags } (+ variant on a re-theme branch).',
    usage: '<id> [--ref BRANCH|COMMIT] [--data-dir DIR] [--json]',
    options: { ...storeOptions, ref: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const ref = stringOption(values, 'ref');
      return withCore(values, io, async (core) => {
        const v = await core.items.show(id, ref ? { ref } : {});
        const it = v.doc.item;
        const props = Object.entries(it.properties);
        const human = [
          `${it.name} — ${it.category}${it.rarity ? `, ${it.rarity}` : ''}${it.baseItem ? ` (based on ${it.baseItem})` : ''}`,
          `id ${v.id}  branch ${v.branch ?? '-'}  commit ${short(v.commit)}`,
          ...(v.doc.theme ? [`Theme: ${v.doc.theme}`] : []),
          ...(v.doc.variant
            ? [`Variant of base commit ${short(v.doc.variant.baseCommit)} (theme ${v.doc.variant.theme})`]
            : []),
          ...(it.description ? ['', it.description] : []),
          ...(props.length ? ['', ...props.map(([k, val]) => `${k}: ${String(val)}`)] : []),
          ...(v.doc.tags.length ? ['', `Tags: ${v.doc.tags.join(', ')}`] : []),
        ].join('\n');
        return output(
          io,
          values,
          {
            id: v.id,
            branch: v.branch,
            commit: v.commit,
            item: it,
            theme: v.doc.theme,
            tags: v.doc.tags,
            ...(v.doc.variant ? { variant: v.doc.variant } : {}),
          },
          human,
        );
      });
    },
  },
  {
    path: ['item', 'list'],
    summary: 'List items by name → [{ id, name, category, campaign, branch, commit }].',
    usage: '[--campaign ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ values, io }) {
      const campaign = stringOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const rows = (await core.items.list(campaign ? { campaign } : {})).sort(
          (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
        );
        return outputList(
          io,
          values,
          rows,
          (r) => `${r.id}  ${(r.category ?? '-').padEnd(10)} ${r.name}  [${r.branch} ${short(r.commit)}]`,
          'no items',
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
