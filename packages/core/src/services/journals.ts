/**
 * Journals: live documents stored in a campaign's file; the text is a `Y.Text`, so two people writing in one
 * journal merge per character. A public journal is a `journal` document (readable by every player); a private
 * one (`private: true`, DM only, never sent to players) is a `dmnotes` document of its own id.
 */
import { createDmNotesDoc, editDmNotes, readDmNotes } from '../docs/dmnotes-doc';
import { createJournalDoc, editJournal, readJournal, type JournalDoc } from '../docs/journal-doc';
import type { JsonObject } from '../docs/y-json';
import { dmNotesStorageId } from '../live/types';
import { CoreError } from '../errors';
import type { CampaignsService } from './campaigns';
import type { Engine, Located } from './engine';

export interface JournalView {
  id: string;
  campaign: string;
  title: string;
  text: string;
  private: boolean;
  author: string;
  session?: number;
}

export type JournalRow = Omit<JournalView, 'text' | 'campaign'>;

export interface JournalsService {
  create(
    campaignId: string,
    input: {
      title: string;
      text?: string;
      /** Old name of `text`. */
      body?: string;
      session?: number;
      private?: boolean;
      author?: string;
    },
  ): Promise<{ id: string; commit: string }>;
  edit(
    id: string,
    input: { title?: string; text?: string; body?: string; message?: string },
  ): Promise<{ commit: string }>;
  /** A public journal's document. */
  read(id: string): Promise<JournalDoc>;
  /** Any journal, public or private. */
  show(id: string): Promise<JournalView>;
  /** Every journal of the campaign (private ones included: this data folder holds only what it may read). */
  list(campaignId: string): Promise<JournalRow[]>;
}

function checkInput(input: { title?: string; session?: number }, creating: boolean): void {
  if (creating || input.title !== undefined) {
    if (typeof input.title !== 'string' || !input.title.trim())
      throw new CoreError('invalid-input', 'title: must not be empty');
  }
  if (input.session !== undefined && (!Number.isInteger(input.session) || input.session < 0))
    throw new CoreError(
      'invalid-input',
      `session: ${String(input.session)} is not a session number (0 or more)`,
    );
}

export function createJournalsService(engine: Engine, campaigns: CampaignsService): JournalsService {
  async function locateJournal(id: string): Promise<Located> {
    const loc = await engine.locate(id);
    if (loc.entity === 'journal') return loc;
    if (loc.entity === 'dmnotes' && loc.id !== dmNotesStorageId(loc.store.campaignId)) return loc;
    throw new CoreError('not-found', `journal ${id}: that id is a ${loc.entity}`);
  }

  async function view(loc: Located): Promise<JournalView> {
    const session = await engine.openBranch(loc, loc.defaultBranch);
    try {
      if (loc.entity === 'journal') {
        const j = readJournal(session.doc);
        return {
          id: loc.id,
          campaign: loc.store.campaignId,
          title: j.title,
          text: j.text,
          private: false,
          author: j.author,
          ...(j.session !== undefined ? { session: j.session } : {}),
        };
      }
      const d = readDmNotes(session.doc);
      if (!d.journal)
        throw new CoreError('not-found', `journal ${loc.id}: that id is DM notes, not a journal`);
      return {
        id: loc.id,
        campaign: loc.store.campaignId,
        title: d.journal.title,
        text: d.text,
        private: true,
        author: d.journal.author,
        ...(d.journal.session !== undefined ? { session: d.journal.session } : {}),
      };
    } finally {
      session.close();
    }
  }

  return {
    async create(campaignId, input) {
      checkInput(input, true);
      await campaigns.get(campaignId);
      const author = input.author ?? engine.author;
      const text = input.text ?? input.body ?? '';
      const session = input.session !== undefined ? { session: input.session } : {};
      const res = input.private
        ? await engine.createEntity(
            campaignId,
            'dmnotes',
            (doc, id, createdAt) =>
              createDmNotesDoc(
                doc,
                {
                  id,
                  createdAt,
                  campaign: campaignId,
                  journal: { title: input.title, author, ...session },
                  text,
                },
                engine.origin('local-user', author),
              ),
            { message: `private journal: ${input.title}`, author },
          )
        : await engine.createEntity(
            campaignId,
            'journal',
            (doc, id, createdAt) =>
              createJournalDoc(
                doc,
                { id, createdAt, title: input.title, author, text, ...session },
                engine.origin('local-user', author),
              ),
            { message: `journal: ${input.title}`, author },
          );
      return { id: res.id, commit: res.commit };
    },

    async edit(id, input) {
      checkInput(input, false);
      const loc = await locateJournal(id);
      const session = await engine.openForWrite(loc);
      try {
        const text = input.text ?? input.body;
        const change = (json: JsonObject): JsonObject => {
          const next: JsonObject = { ...json, ...(text !== undefined ? { text } : {}) };
          if (input.title === undefined) return next;
          if (loc.entity === 'journal') return { ...next, title: input.title };
          return { ...next, journal: { ...((json['journal'] ?? {}) as JsonObject), title: input.title } };
        };
        if (loc.entity === 'journal') editJournal(session.doc, change, engine.origin('local-user'));
        else editDmNotes(session.doc, change, engine.origin('local-user'));
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

    async show(id) {
      return view(await locateJournal(id));
    },

    async list(campaignId) {
      await campaigns.get(campaignId);
      const store = await engine.campaignStore(campaignId);
      const docs = await store.db
        .selectFrom('docs')
        .select(['id', 'entity'])
        .where('entity', 'in', ['journal', 'dmnotes'])
        .where('id', '!=', dmNotesStorageId(campaignId))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const out: JournalRow[] = [];
      for (const d of docs) {
        const { text: _t, campaign: _c, ...row } = await view(await engine.locate(d.id));
        out.push(row);
      }
      return out;
    },
  };
}
