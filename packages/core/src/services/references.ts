/** Cross-references, both directions, read from the projections (which are rebuilt from documents). */
import { dmNotesStorageId } from '../live/types';
import type { Engine } from './engine';

export interface Reference {
  /** The campaign whose documents make the reference. */
  campaign: string;
  /** The referring document (the campaign doc, or a character/item). */
  from: string;
  to: string;
  relation: string;
  /** Encounter id for `encounter` references, else ''. */
  via: string;
}

export interface ReferencesService {
  /** Who uses this entity: campaigns (roster), encounters, characters that equip it, variants. */
  usedBy(entityId: string): Promise<Reference[]>;
  /** What a campaign contains: its roster, encounter participants, and the documents stored in its file. */
  contents(
    campaignId: string,
  ): Promise<{ id: string; entity: string | null; relation: string; via: string }[]>;
}

export function createReferencesService(engine: Engine): ReferencesService {
  return {
    async usedBy(entityId) {
      const out: Reference[] = [];
      for (const c of await engine.library.campaigns()) {
        const store = await engine.campaignStore(c.id);
        const rows = await store.db
          .selectFrom('xrefs')
          .selectAll()
          .where('to_id', '=', entityId)
          .orderBy('from_id')
          .orderBy('relation')
          .orderBy('via')
          .execute();
        for (const r of rows)
          out.push({ campaign: c.id, from: r.from_id, to: r.to_id, relation: r.relation, via: r.via });
      }
      return out;
    },

    async contents(campaignId) {
      const store = await engine.campaignStore(campaignId);
      const refs = await store.db
        .selectFrom('xrefs')
        .selectAll()
        // The campaign document's public roster and its DM notes (NPC roster, encounters).
        .where('from_id', 'in', [campaignId, dmNotesStorageId(campaignId)])
        .orderBy('to_id')
        .orderBy('relation')
        .orderBy('via')
        .execute();
      const out: { id: string; entity: string | null; relation: string; via: string }[] = [];
      for (const r of refs) {
        if (out.some((o) => o.id === r.to_id && o.relation === r.relation && o.via === r.via)) continue;
        const home = await engine.library.home(r.to_id);
        out.push({ id: r.to_id, entity: home?.entity ?? null, relation: r.relation, via: r.via });
      }
      const stored = await store.db
        .selectFrom('entities')
        .select(['id', 'entity'])
        .where('id', 'not in', [campaignId, dmNotesStorageId(campaignId)])
        .orderBy('id')
        .execute();
      const listed = new Set(out.map((o) => o.id));
      for (const s of stored)
        if (!listed.has(s.id)) out.push({ id: s.id, entity: s.entity, relation: 'stored', via: '' });
      return out;
    },
  };
}
