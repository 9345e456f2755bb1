/** Journals (minimal until their own issue): create and edit, stored in a campaign's file and on its roster. */
import { createJournalDoc, editJournal, readJournal, type JournalDoc } from '../docs/journal-doc';
import type { CampaignsService } from './campaigns';
import type { Engine } from './engine';

export interface JournalsService {
  create(
    campaignId: string,
    input: { title: string; body?: string; session?: number },
  ): Promise<{ id: string; commit: string }>;
  edit(id: string, input: { title?: string; body?: string; message?: string }): Promise<{ commit: string }>;
  read(id: string): Promise<JournalDoc>;
}

export function createJournalsService(engine: Engine, campaigns: CampaignsService): JournalsService {
  return {
    async create(campaignId, input) {
      await campaigns.get(campaignId);
      const res = await engine.createEntity(
        campaignId,
        'journal',
        (doc, id, createdAt) =>
          createJournalDoc(doc, { id, createdAt, ...input }, engine.origin('local-user')),
        { message: `journal: ${input.title}` },
      );
      return { id: res.id, commit: res.commit };
    },

    async edit(id, input) {
      const loc = await engine.locate(id, 'journal');
      const session = await engine.openBranch(loc, loc.defaultBranch);
      try {
        editJournal(
          session.doc,
          (json) => ({
            ...json,
            ...(input.title !== undefined ? { title: input.title } : {}),
            ...(input.body !== undefined ? { body: input.body } : {}),
          }),
          engine.origin('local-user'),
        );
        return { commit: await engine.commit(loc, session, { message: input.message ?? 'edit journal' }) };
      } finally {
        session.close();
      }
    },

    async read(id) {
      const loc = await engine.locate(id, 'journal');
      const session = await engine.openBranch(loc, loc.defaultBranch);
      try {
        return readJournal(session.doc);
      } finally {
        session.close();
      }
    },
  };
}
