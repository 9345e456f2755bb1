/**
 * Item documents. Items keep no theme memory: each re-theme is a variant branch forked from the item's base
 * commit, and the variant's doc links back to the base item's UUID.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';

export const ItemBodySchema = z.object({
  name: z.string().min(1),
  /** SRD item id this item is based on, if any (e.g. `longsword`). */
  baseItem: z.string().min(1).optional(),
  category: z.string().min(1).default('gear'),
  rarity: z.enum(['common', 'uncommon', 'rare', 'very-rare', 'legendary', 'artifact']).optional(),
  description: z.string().default(''),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type ItemBody = z.infer<typeof ItemBodySchema>;
export type ItemBodyInput = z.input<typeof ItemBodySchema>;

export const ItemDocSchema = z.object({
  meta: metaSchema('item'),
  item: ItemBodySchema,
  theme: z.string().default(''),
  tags: z.array(z.string()).default([]),
  /** Present on variant branches: the base item (same UUID as the doc) and the base commit forked from. */
  variant: z.object({ baseId: z.string().uuid(), baseCommit: z.string(), theme: z.string() }).optional(),
});
export type ItemDoc = z.infer<typeof ItemDocSchema>;

export const itemDocType = defineDocType({
  kind: 'item',
  schema: ItemDocSchema,
  migrations: [{ id: 'item/1', description: 'initial shape', up: (json) => ({ tags: [], ...json }) }],
  summarize: (i) => ({ name: i.item.name, subkind: i.item.category }),
  references: (i): EntityReference[] => (i.variant ? [{ to: i.variant.baseId, relation: 'variant-of' }] : []),
});

export function createItemDoc(
  doc: Y.Doc,
  init: { id: string; createdAt: number; item: ItemBodyInput; theme?: string; tags?: string[] },
  origin: TransactionOrigin,
): ItemDoc {
  return initDoc(
    itemDocType,
    doc,
    {
      meta: {
        schemaVersion: itemDocType.currentVersion,
        entity: 'item',
        id: init.id,
        createdAt: init.createdAt,
      },
      item: init.item,
      theme: init.theme ?? '',
      tags: init.tags ?? [],
    },
    origin,
  );
}

export function readItem(doc: Y.Doc): ItemDoc {
  return readDoc(itemDocType, doc);
}

export function editItem(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): ItemDoc {
  return editDoc(itemDocType, doc, change, origin);
}
