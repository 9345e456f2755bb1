/**
 * `journal consolidate`: a session's public journals → a consolidation (offline: extractive, `consolidate.ts`),
 * checked against the journals (`checkSources`), saved as the session's summary: a lore `note` tagged
 * `session-summary` holding the result and its provenance. Running it again rewrites the same document.
 */
import { editLore, readLore } from '../docs/lore-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { createJournalsService } from '../services/journals';
import { DocSession } from '../store/doc-session';
import { checkSources, consolidate, type Consolidation, type JournalInput } from './consolidate';
import type { EntityMemory } from './entities';

export const CONSOLIDATION_PROVIDERS = ['offline'] as const;
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
      input: { session: number; provider?: string },
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
      const checked = checkSources(consolidate(js, { session: input.session }), js);
      const result = checked.result;
      const titles = new Map(js.map((j) => [j.id, j.title]));
      const consolidation = {
        provider,
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
        await engine.commit(loc, session, { message: `session ${input.session} summary (${provider})` });
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
