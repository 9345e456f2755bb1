/** `loreforge journal consolidate`: a session's journals → summary, key events, timeline, discrepancies. */
import { requireOption, stringOption } from './args';
import { CONSOLIDATION_PROVIDERS } from '../memory/consolidation-service';
import { sessionNumber } from './entity';
import { CliError, type CliCommand } from './registry';
import { output, storeOptions, withCore } from './store-cli';

export const consolidateCommands: CliCommand[] = [
  {
    path: ['journal', 'consolidate'],
    summary:
      "Consolidate a session's public journals (offline: extractive; ollama/openai: written by the model, then checked) → { id, summary, keyEvents, timeline, discrepancies }; every item cites its journals; saved as the session summary.",
    usage:
      '--campaign C --session N [--provider offline|ollama|openai] [--model M] [--data-dir DIR] [--json] (OLLAMA_HOST, OPENAI_API_KEY, OPENAI_BASE_URL)',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      session: { type: 'string' },
      provider: { type: 'string' },
      model: { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const session = sessionNumber(requireOption(values, 'session'), '--session');
      if (session === undefined) throw new CliError('--session: required');
      const provider = stringOption(values, 'provider') ?? 'offline';
      if (!(CONSOLIDATION_PROVIDERS as readonly string[]).includes(provider))
        throw new CliError(
          `--provider: "${provider}" is not available for consolidation (available: ${CONSOLIDATION_PROVIDERS.join(', ')})`,
        );
      const model = stringOption(values, 'model');
      return withCore(values, io, async (core) => {
        const c = await core.memory.consolidation.consolidate(campaign, {
          session,
          provider,
          env: io.env,
          ...(model !== undefined ? { model } : {}),
        });
        const { id, summary, keyEvents, timeline, discrepancies } = c;
        const human = [
          `session ${session} summary ${id} (from ${c.journals.length} journals)`,
          '',
          summary,
          '',
          ...discrepancies.map(
            (d) =>
              `disagreement — ${d.topic}:\n${d.claims.map((cl) => `  ${cl.journalId.slice(0, 8)}: ${cl.text}`).join('\n')}`,
          ),
        ].join('\n');
        return output(io, values, { id, summary, keyEvents, timeline, discrepancies }, human);
      });
    },
  },
];
