/** `intents` documents: a player's requests to the DM during live play (minimal; live play extends it). */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';

export const IntentSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  /** Free-form details of the request (target, item, text…). */
  payload: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** `applied`/`refused`: answered by the DM's peer (live play); `accepted`/`rejected` kept for older docs. */
  status: z.enum(['pending', 'accepted', 'rejected', 'applied', 'refused']).default('pending'),
  at: z.number().int().nonnegative(),
  /** The DM's answer: why it was refused, or what was applied. */
  reason: z.string().optional(),
  answeredAt: z.number().int().nonnegative().optional(),
});

export const IntentsDocSchema = z.object({
  meta: metaSchema('intents'),
  campaign: z.string().min(1),
  /** The user who owns (writes) this document. */
  owner: z.string().default(''),
  requests: z.array(IntentSchema).default([]),
});
export type IntentsDoc = z.infer<typeof IntentsDocSchema>;

export const intentsDocType = defineDocType({
  kind: 'intents',
  schema: IntentsDocSchema,
  migrations: [{ id: 'intents/1', description: 'initial shape', up: (json) => json }],
  summarize: (i) => ({ name: `intents of ${i.owner || 'unknown'}`, subkind: null }),
  references: () => [],
});

export function createIntentsDoc(
  doc: Y.Doc,
  init: { id: string; createdAt: number; campaign: string; owner?: string },
  origin: TransactionOrigin,
): IntentsDoc {
  return initDoc(
    intentsDocType,
    doc,
    {
      meta: {
        schemaVersion: intentsDocType.currentVersion,
        entity: 'intents',
        id: init.id,
        createdAt: init.createdAt,
      },
      campaign: init.campaign,
      owner: init.owner ?? '',
    },
    origin,
  );
}

export const readIntents = (doc: Y.Doc): IntentsDoc => readDoc(intentsDocType, doc);
export const editIntents = (
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): IntentsDoc => editDoc(intentsDocType, doc, change, origin);
