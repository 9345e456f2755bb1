/** `loreforge search`: campaign content (and the SRD with --srd), prefix and fuzzy, with facets. */
import { CoreError } from '../errors';
import { foldNpcBuildHits } from '../memory/npc-build';
import { requireOption, stringOption } from './args';
import { sessionNumber } from './entity';
import { CliError, type CliCommand } from './registry';
import { output, positional, short, storeOptions, withCore } from './store-cli';

export const searchCommands: CliCommand[] = [
  {
    path: ['search'],
    summary:
      'Search a campaign (journals, lore, characters, items, sessions; the SRD with --srd) → [{ id, kind, name, score, snippet }]; --facets → { hits, facets, total }.',
    usage:
      '<query> --campaign C [--kind K] [--session N] [--author A] [--srd] [--semantic] [--limit N] [--facets] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      kind: { type: 'string' },
      session: { type: 'string' },
      author: { type: 'string' },
      srd: { type: 'boolean' },
      semantic: { type: 'boolean' },
      limit: { type: 'string' },
      facets: { type: 'boolean' },
    },
    async run({ positionals, values, io }) {
      const q = positional(positionals, 0, 'query');
      if (!q.trim()) throw new CliError('<query>: must not be empty');
      const campaign = requireOption(values, 'campaign');
      const session = sessionNumber(stringOption(values, 'session'), '--session');
      const rawLimit = stringOption(values, 'limit');
      if (rawLimit !== undefined && (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1))
        throw new CliError(`--limit: "${rawLimit}" is not a number from 1 to 9999`);
      const kind = stringOption(values, 'kind');
      const author = stringOption(values, 'author');
      return withCore(values, io, async (core) => {
        const opts = {
          ...(kind !== undefined ? { kind } : {}),
          ...(session !== undefined ? { session } : {}),
          ...(author !== undefined ? { author } : {}),
          ...(rawLimit !== undefined ? { limit: Number(rawLimit) } : {}),
          srd: values['srd'] === true,
        };
        if (values['semantic'] === true) {
          try {
            const sem = await core.memory.semantic.search(campaign, q, { ...opts, env: io.env });
            sem.hits = await foldNpcBuildHits(core, campaign, sem.hits);
            const human = sem.hits.map(
              (h) => `${h.score.toFixed(3)}  ${h.kind}  ${h.name}  ${short(h.id)}\n    ${h.snippet}`,
            );
            return output(io, values, sem.hits, human.join('\n') || 'no results');
          } catch (err) {
            if (
              !(err instanceof CoreError) ||
              err.code !== 'not-found' ||
              !err.message.startsWith('semantic search:')
            )
              throw err;
            // Said plainly, then the keyword results.
            io.stderr(`loreforge: ${err.message}; showing keyword results\n`);
          }
        }
        const found = await core.memory.search.search(campaign, q, opts);
        // An NPC stub's build (DM side) is found as the stub, once.
        const res = { ...found, hits: await foldNpcBuildHits(core, campaign, found.hits) };
        const human = res.hits.length
          ? res.hits
              .map((h) => `${h.score.toFixed(2)}  ${h.kind}  ${h.name}  ${short(h.id)}\n    ${h.snippet}`)
              .join('\n')
          : 'no results';
        return output(io, values, values['facets'] === true ? res : res.hits, human);
      });
    },
  },
];
