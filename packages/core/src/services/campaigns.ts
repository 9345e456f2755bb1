/** Campaigns: each is one SQLite file with a root document (name, roster, encounters). The library is a campaign too. */
import { createCampaignDoc, editCampaign, readCampaign, type CampaignDoc } from '../docs/campaign-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import type { Engine } from './engine';

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
    const session = await engine.openBranch(loc, loc.defaultBranch);
    try {
      editCampaign(session.doc, change, engine.origin('local-user'));
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
      await editRoot(campaignId, (json) => ({
        ...json,
        roster: {
          ...((json['roster'] ?? {}) as JsonObject),
          [entityId]: { entity: opts.entity, role: opts.role ?? '' },
        },
      }));
    },

    async removeFromRoster(campaignId, entityId) {
      await editRoot(campaignId, (json) => {
        const roster = { ...((json['roster'] ?? {}) as JsonObject) };
        delete roster[entityId];
        return { ...json, roster };
      });
    },

    async addEncounter(campaignId, input) {
      const encounter = engine.ids();
      await editRoot(campaignId, (json) => ({
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
        .where('from_id', '=', campaignId)
        .execute();
      return [...new Set([...own.map((r) => r.id), ...refs.map((r) => r.to_id)])];
    },
  };
  return service;
}
