/**
 * `journal consolidate`: a session's public journals → a consolidation (offline: extractive, `consolidate.ts`),
 * checked against the journals (`checkSources`), saved as the session's summary: a lore `note` tagged
 * `session-summary` holding the result and its provenance. Running it again rewrites the same document.
 */
import { OllamaProvider, OpenAiProvider, type LlmProvider } from '@loreforge/llm';
import { z } from 'zod';
import { editLore, readLore } from '../docs/lore-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { createJournalsService } from '../services/journals';
import { DocSession } from '../store/doc-session';
import { checkSources, consolidate, type Consolidation, type JournalInput } from './consolidate';
import type { EntityMemory } from './entities';
import { plainText } from './mention-syntax';

export const CONSOLIDATION_PROVIDERS = ['offline', 'ollama', 'openai'] as const;

const sourced = z.object({ text: z.string(), sources: z.array(z.string()) });
/** What a model is asked to return; its items are checked against the journals like any other. */
export const LlmConsolidationSchema = z.object({
  summary: z.array(sourced),
  keyEvents: z.array(sourced),
  timeline: z.array(sourced.extend({ when: z.string() })),
  discrepancies: z.array(
    z.object({ topic: z.string(), claims: z.array(z.object({ journalId: z.string(), text: z.string() })) }),
  ),
});

const SYSTEM = [
  'You consolidate the journals players and the DM wrote about one tabletop RPG session.',
  'Use only what the journals say. Every summary sentence, key event and timeline entry cites in `sources` the ids',
  'of the journals that say it. A discrepancy is where journals disagree (numbers, names, who did what); each',
  'claim quotes one sentence of its journal verbatim. Keep the wording close to the journals. Answer in JSON.',
].join(' ');

/** Ask a model to write the consolidation from the journals and the offline draft. */
export async function llmConsolidation(
  provider: LlmProvider,
  journals: readonly JournalInput[],
  draft: Consolidation,
): Promise<Consolidation> {
  const res = await provider.generateObject({
    schema: LlmConsolidationSchema,
    schemaName: 'consolidation',
    system: SYSTEM,
    messages: [
      {
        role: 'user',
        content: JSON.stringify({
          journals: journals.map((j) => ({
            id: j.id,
            title: j.title,
            author: j.author,
            text: plainText(j.text),
          })),
          draft: { keyEvents: draft.keyEvents, timeline: draft.timeline, discrepancies: draft.discrepancies },
        }),
      },
    ],
    temperature: 0,
  });
  const o = res.object;
  return {
    summary: o.summary.map((s) => s.text).join(' '),
    summarySources: o.summary,
    keyEvents: o.keyEvents,
    timeline: o.timeline,
    discrepancies: o.discrepancies,
  };
}

export function consolidationProvider(
  name: string,
  opts: { model?: string; env?: Record<string, string | undefined> } = {},
): LlmProvider {
  const env = opts.env ?? process.env;
  if (name === 'ollama')
    return new OllamaProvider({
      model: opts.model ?? 'llama3.1',
      host: env['OLLAMA_HOST'] || undefined,
      stream: false,
    });
  return new OpenAiProvider({
    model: opts.model ?? 'gpt-4o-mini',
    apiKey: env['OPENAI_API_KEY'] || undefined,
    baseURL: env['OPENAI_BASE_URL'] || undefined,
  });
}
export const SUMMARY_TAG = 'session-summary';

export interface ConsolidationView extends Consolidation {
  id: string;
  session: number;
  provider: string;
  journals: string[];
  unsupported: string[];
}

function render(session: number, c: Consolidation, titles: Map<string, string>): string {
  const cite = (ids: string[]) => ids.map((id) => titles.get(id) ?? id).join(', ');
  const lines = [`Session ${session}`, '', c.summary, '', 'Key events:'];
  for (const e of c.keyEvents) lines.push(`- ${e.text} [${cite(e.sources)}]`);
  lines.push('', 'Timeline:');
  for (const t of c.timeline) lines.push(`- ${t.when}: ${t.text} [${cite(t.sources)}]`);
  if (c.discrepancies.length) {
    lines.push('', 'Where the journals disagree:');
    for (const d of c.discrepancies) {
      lines.push(`- ${d.topic}`);
      for (const cl of d.claims) lines.push(`  - ${titles.get(cl.journalId) ?? cl.journalId}: "${cl.text}"`);
    }
  }
  return lines.join('\n');
}

export function createConsolidationMemory(
  engine: Engine,
  campaigns: CampaignsService,
  entities: EntityMemory,
) {
  const journals = createJournalsService(engine, campaigns);

  async function sessionJournals(
    campaignId: string,
    session: number,
  ): Promise<(JournalInput & { session: number })[]> {
    const rows = await journals.list(campaignId);
    const out: (JournalInput & { session: number })[] = [];
    for (const r of rows) {
      // Private (DM-only) journals stay out: the summary is a public document.
      if (r.private || r.session !== session) continue;
      const j = await journals.show(r.id);
      out.push({ id: j.id, title: j.title, author: j.author, text: j.text, session });
    }
    return out;
  }

  async function existingSummary(campaignId: string, session: number): Promise<string | null> {
    const store = await engine.campaignStore(campaignId);
    const rows = await store.db
      .selectFrom('entities')
      .innerJoin('docs', 'docs.id', 'entities.id')
      .select(['entities.id', 'docs.default_branch'])
      .where('entities.entity', '=', 'lore')
      .where('entities.kind', '=', 'note')
      .execute();
    for (const r of rows) {
      const s = await DocSession.open(store, r.id, r.default_branch);
      try {
        const d = readLore(s.doc);
        if (d.tags.includes(SUMMARY_TAG) && d.session === session && d.consolidation) return r.id;
      } finally {
        s.dispose();
      }
    }
    return null;
  }

  return {
    sessionJournals,
    async consolidate(
      campaignId: string,
      input: {
        session: number;
        provider?: string;
        model?: string;
        env?: Record<string, string | undefined>;
        /** A ready-made model provider (tests); else built from `provider`, `model` and `env`. */
        llm?: LlmProvider;
      },
    ): Promise<ConsolidationView> {
      const provider = input.provider ?? 'offline';
      if (!(CONSOLIDATION_PROVIDERS as readonly string[]).includes(provider))
        throw new CoreError(
          'invalid-input',
          `provider: "${provider}" is not available for consolidation (available: ${CONSOLIDATION_PROVIDERS.join(', ')})`,
        );
      if (!Number.isInteger(input.session) || input.session < 0)
        throw new CoreError(
          'invalid-input',
          `session: ${String(input.session)} is not a session number (0 or more)`,
        );
      await campaigns.get(campaignId);
      const js = await sessionJournals(campaignId, input.session);
      if (js.length === 0)
        throw new CoreError(
          'not-found',
          `session: no public journal of session ${input.session} in campaign ${campaignId}`,
        );
      const draft = consolidate(js, { session: input.session });
      let written = draft;
      let label = provider;
      if (provider !== 'offline') {
        label = input.model !== undefined ? `${provider}:${input.model}` : provider;
        try {
          const llm =
            input.llm ??
            consolidationProvider(provider, {
              ...(input.model !== undefined ? { model: input.model } : {}),
              ...(input.env !== undefined ? { env: input.env } : {}),
            });
          label = `${llm.id}:${llm.model}`;
          written = await llmConsolidation(llm, js, draft);
        } catch (err) {
          throw new CoreError(
            'not-found',
            `provider: ${label} did not answer (${err instanceof Error ? err.message : String(err)}); --provider offline works without a model`,
          );
        }
      }
      // Checked by code whoever wrote it: items a cited journal does not support are dropped and listed.
      const checked = checkSources(written, js);
      const result = checked.result;
      const titles = new Map(js.map((j) => [j.id, j.title]));
      const consolidation = {
        provider: label,
        createdAt: engine.now(),
        journals: js.map((j) => j.id),
        ...result,
        unsupported: checked.unsupported,
      };
      const text = render(input.session, result, titles);
      let id = await existingSummary(campaignId, input.session);
      if (id === null) {
        id = (
          await entities.create(campaignId, {
            kind: 'note',
            name: `Session ${input.session} summary`,
            tags: [SUMMARY_TAG],
            session: input.session,
          })
        ).id;
      }
      const loc = await engine.locate(id, 'lore');
      const session = await engine.openForWrite(loc);
      try {
        editLore(
          session.doc,
          (json): JsonObject => ({ ...json, text, consolidation: consolidation as unknown as JsonObject }),
          engine.origin('local-user'),
        );
        await engine.commit(loc, session, { message: `session ${input.session} summary (${label})` });
      } finally {
        session.close();
      }
      return {
        id,
        session: input.session,
        provider,
        journals: consolidation.journals,
        unsupported: checked.unsupported,
        ...result,
      };
    },
  };
}
