/**
 * The campaign root document: name, the roster of entities the campaign uses (stored in this campaign or in the
 * library) and its encounters. Cross-reference projections are computed from it.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';

export const RosterEntrySchema = z.object({
  entity: z.enum(['character', 'item', 'journal']),
  role: z.string().default(''),
});

export const EncounterSchema = z.object({
  name: z.string().min(1),
  participants: z.array(z.string().uuid()).default([]),
});

export const CampaignDocSchema = z.object({
  meta: metaSchema('campaign'),
  name: z.string().min(1),
  description: z.string().default(''),
  /** The per-user library is a campaign too; it holds characters and items not filed in a campaign. */
  isLibrary: z.boolean().default(false),
  roster: z.record(z.string().uuid(), RosterEntrySchema).default({}),
  encounters: z.record(z.string(), EncounterSchema).default({}),
});
export type CampaignDoc = z.infer<typeof CampaignDocSchema>;

export const campaignDocType = defineDocType({
  kind: 'campaign',
  schema: CampaignDocSchema,
  migrations: [
    {
      id: 'campaign/1',
      description: 'initial shape',
      up: (json) => ({ roster: {}, encounters: {}, ...json }),
    },
  ],
  summarize: (c) => ({ name: c.name, subkind: c.isLibrary ? 'library' : null }),
  references: (c) => {
    const refs: EntityReference[] = Object.keys(c.roster).map((to) => ({ to, relation: 'contains' }));
    for (const [via, enc] of Object.entries(c.encounters)) {
      for (const to of enc.participants) refs.push({ to, relation: 'encounter', via });
    }
    return refs;
  },
});

export function createCampaignDoc(
  doc: Y.Doc,
  init: { id: string; createdAt: number; name: string; description?: string; isLibrary?: boolean },
  origin: TransactionOrigin,
): CampaignDoc {
  return initDoc(
    campaignDocType,
    doc,
    {
      meta: {
        schemaVersion: campaignDocType.currentVersion,
        entity: 'campaign',
        id: init.id,
        createdAt: init.createdAt,
      },
      name: init.name,
      description: init.description ?? '',
      isLibrary: init.isLibrary ?? false,
    },
    origin,
  );
}

export function readCampaign(doc: Y.Doc): CampaignDoc {
  return readDoc(campaignDocType, doc);
}

export function editCampaign(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): CampaignDoc {
  return editDoc(campaignDocType, doc, change, origin);
}
