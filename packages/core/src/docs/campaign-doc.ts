/**
 * The campaign root document: name and the public roster of entities the campaign uses (stored in this campaign
 * or in the library). Cross-reference projections are computed from it.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import { isJsonObject, type Json, type JsonObject } from './y-json';

export const RosterEntrySchema = z.object({
  entity: z.enum(['character', 'item', 'journal']),
  role: z.string().default(''),
});

export const EncounterSchema = z.object({
  name: z.string().min(1),
  participants: z.array(z.string().uuid()).default([]),
});

/**
 * campaign/2: the campaign's public document, the one every player receives. DM-only parts (encounters, NPC and
 * monster roster entries, secrets) live in the campaign's `dmnotes` document (`docs/dmnotes-doc.ts`).
 */
export const CampaignDocSchema = z.object({
  meta: metaSchema('campaign'),
  name: z.string().min(1),
  description: z.string().default(''),
  /** The per-user library is a campaign too; it holds characters and items not filed in a campaign. */
  isLibrary: z.boolean().default(false),
  roster: z.record(z.string().uuid(), RosterEntrySchema).default({}),
});
export type CampaignDoc = z.infer<typeof CampaignDocSchema>;

/** What `campaign/2` moves out of a campaign/1 document (the engine writes it into the `dmnotes` document). */
export function campaignDmOnlyParts(
  json: JsonObject,
  dmOnlyIds: ReadonlySet<string>,
): { encounters: JsonObject; roster: JsonObject; secrets: Json[] } {
  const roster = isJsonObject(json['roster']) ? json['roster'] : {};
  return {
    encounters: isJsonObject(json['encounters']) ? json['encounters'] : {},
    roster: Object.fromEntries(Object.entries(roster).filter(([id]) => dmOnlyIds.has(id))),
    secrets: Array.isArray(json['secrets']) ? json['secrets'] : [],
  };
}

export const campaignDocType = defineDocType({
  kind: 'campaign',
  schema: CampaignDocSchema,
  migrations: [
    {
      id: 'campaign/1',
      description: 'initial shape',
      up: (json) => ({ roster: {}, encounters: {}, ...json }),
    },
    {
      id: 'campaign/2',
      description:
        'split DM-only parts (encounters, NPC/monster roster entries, secrets) out into the dmnotes document',
      up: (json, context) => {
        const { encounters: _e, secrets: _s, ...rest } = json;
        const dmOnly = context?.dmOnlyIds ?? new Set<string>();
        const roster = isJsonObject(rest['roster']) ? rest['roster'] : {};
        return {
          ...rest,
          roster: Object.fromEntries(Object.entries(roster).filter(([id]) => !dmOnly.has(id))),
        };
      },
    },
  ],
  summarize: (c) => ({ name: c.name, subkind: c.isLibrary ? 'library' : null }),
  references: (c) => Object.keys(c.roster).map((to): EntityReference => ({ to, relation: 'contains' })),
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
