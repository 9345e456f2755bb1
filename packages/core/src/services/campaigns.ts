/** Campaigns: each is one SQLite file with a root document (name, roster, encounters). The library is a campaign too. */
import { createCampaignDoc, editCampaign, readCampaign, type CampaignDoc } from '../docs/campaign-doc';
import { editDmNotes, readDmNotes, type DmNotesDoc } from '../docs/dmnotes-doc';
import { createIntentsDoc } from '../docs/intents-doc';
import { createSessionDoc } from '../docs/session-doc';
import { dmNotesStorageId } from '../live/types';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import type { Engine, Membership } from './engine';

export interface CampaignInfo {
  id: string;
  name: string;
  file: string;
  isLibrary: boolean;
  createdAt: number;
}

export interface CampaignsService {
  create(input: { name: string; description?: string; author?: string }): Promise<CampaignInfo>;
  list(): Promise<CampaignInfo[]>;
  get(id: string): Promise<CampaignInfo>;
  /** The library campaign's id (created on first use). */
  libraryId(): Promise<string>;
  doc(id: string): Promise<CampaignDoc>;
  /** Add an entity (stored here or in another campaign/the library) to the campaign's roster. */
  addToRoster(
    campaignId: string,
    entityId: string,
    opts: { entity: 'character' | 'item' | 'journal'; role?: string },
  ): Promise<void>;
  removeFromRoster(campaignId: string, entityId: string): Promise<void>;
  addEncounter(
    campaignId: string,
    input: { name: string; participants: string[] },
  ): Promise<{ encounter: string }>;
  /** Ids on the roster plus everything whose document lives in the campaign's file. */
  memberIds(campaignId: string): Promise<string[]>;
  /** The campaign's DM-only notes (encounters, NPC/monster roster, secrets); empty when none were written. */
  dmNotes(campaignId: string): Promise<DmNotesDoc>;
  /** A live `session` document (public live state; DM only writes it). */
  createSession(campaignId: string, input?: { number?: number }): Promise<{ id: string }>;
  /** A player's `intents` document (its requests to the DM); a player creating one owns it. */
  createIntents(campaignId: string, input?: { owner?: string }): Promise<{ id: string }>;
  /** Record this data folder's membership of a shared campaign (SYNC calls it when joining or hosting). */
  setMembership(campaignId: string, membership: Membership): Promise<void>;
  /** This data folder's membership of the campaign; null = a local campaign (this peer owns and writes all). */
  membership(campaignId: string): Promise<Membership | null>;
}

export function createCampaignsService(engine: Engine): CampaignsService {
  const info = (r: {
    id: string;
    name: string;
    file: string;
    is_library: number;
    created_at: number;
  }): CampaignInfo => ({
    id: r.id,
    name: r.name,
    file: r.file,
    isLibrary: r.is_library === 1,
    createdAt: r.created_at,
  });

  async function create(
    name: string,
    description: string,
    isLibrary: boolean,
    author?: string,
  ): Promise<CampaignInfo> {
    if (!name.trim()) throw new CoreError('invalid-input', 'name: must not be empty');
    const id = engine.ids();
    const createdAt = engine.now();
    const row = {
      id,
      name,
      file: engine.backend.campaignFileName(id),
      is_library: isLibrary ? 1 : 0,
      created_at: createdAt,
    };
    await engine.library.db.insertInto('campaigns').values(row).execute();
    await engine.createEntity(
      id,
      'campaign',
      (doc, docId, at) =>
        createCampaignDoc(
          doc,
          { id: docId, createdAt: at, name, description, isLibrary },
          engine.origin('local-user', author),
        ),
      { id, message: `create campaign ${name}`, ...(author !== undefined ? { author } : {}) },
    );
    return info(row);
  }

  async function editRoot(campaignId: string, change: (json: JsonObject) => JsonObject): Promise<void> {
    const loc = await engine.locate(campaignId, 'campaign');
    const session = await engine.openForWrite(loc);
    try {
      editCampaign(session.doc, change, engine.origin('local-user'));
      await engine.save(loc, session);
    } finally {
      session.close();
    }
  }

  async function isNpcOrMonster(entityId: string): Promise<boolean> {
    const home = await engine.library.home(entityId);
    if (!home || home.entity !== 'character') return false;
    const store = await engine.campaignStore(home.campaign_id);
    const row = await store.db
      .selectFrom('entities')
      .select('kind')
      .where('id', '=', entityId)
      .executeTakeFirst();
    return row?.kind === 'npc' || row?.kind === 'monster';
  }

  /** Edit the campaign's dmnotes document (created on first use; DM only). */
  async function editNotes(campaignId: string, change: (json: JsonObject) => JsonObject): Promise<void> {
    await service.get(campaignId);
    // The campaign must be at campaign/2 first (its DM-only parts moved here), else they would be split twice.
    await service.doc(campaignId);
    const id = dmNotesStorageId(campaignId);
    if (!(await engine.library.home(id))) await engine.mergeDmNotes(campaignId, {}, 'DM notes');
    const loc = await engine.locate(id, 'dmnotes');
    const session = await engine.openForWrite(loc);
    try {
      editDmNotes(session.doc, change, engine.origin('local-user'));
      await engine.save(loc, session);
    } finally {
      session.close();
    }
  }

  const service: CampaignsService = {
    create: (input) => create(input.name, input.description ?? '', false, input.author),

    async list() {
      return (await engine.library.campaigns()).map(info);
    },

    async get(id) {
      const row = await engine.library.campaign(id);
      if (!row) throw new CoreError('not-found', `campaign ${id}: no such campaign in this data folder`);
      return info(row);
    },

    async libraryId() {
      const row = await engine.library.libraryCampaign();
      if (row) return row.id;
      return (await create('Library', 'Characters and items not filed in a campaign', true)).id;
    },

    async doc(id) {
      const loc = await engine.locate(id, 'campaign');
      const session = await engine.openBranch(loc, loc.defaultBranch);
      try {
        return readCampaign(session.doc);
      } finally {
        session.close();
      }
    },

    async addToRoster(campaignId, entityId, opts) {
      // NPCs and monsters are DM-only: their roster entry lives in the campaign's dmnotes document.
      if (opts.entity === 'character' && (await isNpcOrMonster(entityId))) {
        await editNotes(campaignId, (json) => ({
          ...json,
          roster: {
            ...((json['roster'] ?? {}) as JsonObject),
            [entityId]: { entity: opts.entity, role: opts.role ?? '' },
          },
        }));
        return;
      }
      await editRoot(campaignId, (json) => ({
        ...json,
        roster: {
          ...((json['roster'] ?? {}) as JsonObject),
          [entityId]: { entity: opts.entity, role: opts.role ?? '' },
        },
      }));
    },

    async removeFromRoster(campaignId, entityId) {
      if (await engine.library.home(dmNotesStorageId(campaignId))) {
        const notes = await service.dmNotes(campaignId);
        if (entityId in notes.roster) {
          await editNotes(campaignId, (json) => {
            const roster = { ...((json['roster'] ?? {}) as JsonObject) };
            delete roster[entityId];
            return { ...json, roster };
          });
        }
      }
      await editRoot(campaignId, (json) => {
        const roster = { ...((json['roster'] ?? {}) as JsonObject) };
        delete roster[entityId];
        return { ...json, roster };
      });
    },

    async addEncounter(campaignId, input) {
      const encounter = engine.ids();
      await editNotes(campaignId, (json) => ({
        ...json,
        encounters: {
          ...((json['encounters'] ?? {}) as JsonObject),
          [encounter]: { name: input.name, participants: input.participants },
        },
      }));
      return { encounter };
    },

    async memberIds(campaignId) {
      await service.get(campaignId);
      const store = await engine.campaignStore(campaignId);
      const own = await store.db.selectFrom('entities').select('id').where('id', '!=', campaignId).execute();
      const refs = await store.db
        .selectFrom('xrefs')
        .select('to_id')
        .where('from_id', 'in', [campaignId, dmNotesStorageId(campaignId)])
        .execute();
      const notes = dmNotesStorageId(campaignId);
      return [...new Set([...own.map((r) => r.id), ...refs.map((r) => r.to_id)])].filter(
        (id) => id !== notes,
      );
    },

    async dmNotes(campaignId) {
      await service.get(campaignId);
      const id = dmNotesStorageId(campaignId);
      if (!(await engine.library.home(id))) {
        return {
          meta: { schemaVersion: 1, entity: 'dmnotes', id: campaignId, createdAt: 0 },
          campaign: campaignId,
          roster: {},
          encounters: {},
          secrets: [],
          text: '',
        };
      }
      // Opening the campaign first runs campaign/2 if it is still due (it fills the notes).
      await service.doc(campaignId);
      const loc = await engine.locate(id, 'dmnotes');
      const session = await engine.openBranch(loc, loc.defaultBranch);
      try {
        return readDmNotes(session.doc);
      } finally {
        session.close();
      }
    },

    async createSession(campaignId, input = {}) {
      await service.get(campaignId);
      if (input.number !== undefined && (!Number.isInteger(input.number) || input.number < 0))
        throw new CoreError(
          'invalid-input',
          `number: ${String(input.number)} is not a session number (0 or more)`,
        );
      const res = await engine.createEntity(
        campaignId,
        'session',
        (doc, id, createdAt) =>
          createSessionDoc(
            doc,
            {
              id,
              createdAt,
              campaign: campaignId,
              ...(input.number !== undefined ? { number: input.number } : {}),
            },
            engine.origin('local-user'),
          ),
        { message: `session ${input.number ?? 0}` },
      );
      return { id: res.id };
    },

    async createIntents(campaignId, input = {}) {
      await service.get(campaignId);
      const owner = input.owner ?? (await engine.membership(campaignId))?.user ?? engine.author;
      const res = await engine.createEntity(
        campaignId,
        'intents',
        (doc, id, createdAt) =>
          createIntentsDoc(doc, { id, createdAt, campaign: campaignId, owner }, engine.origin('local-user')),
        { message: `intents of ${owner}` },
      );
      return { id: res.id };
    },

    setMembership: async (campaignId, membership) => {
      await service.get(campaignId);
      await engine.setMembership(campaignId, membership);
    },

    membership: (campaignId) => engine.membership(campaignId),
  };
  return service;
}
