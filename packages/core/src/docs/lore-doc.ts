/**
 * Lore documents (lore/1): the campaign's entities beyond characters and items — locations, factions, quests,
 * events, notes and NPC stubs (an NPC known by name before it has a build or stat block). A name, aliases
 * (other names mentions resolve by), tags, the page text (a `Y.Text`, merged per character) and, for events, the
 * session they happened in. Readable by every player; the DM-only part of an entity lives in the campaign's
 * `dmnotes` document (`lore[<id>]`), never here.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { mentionRefs } from '../memory/mention-syntax';
import { defineDocType, editDoc, initDoc, readDoc } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';

export const LORE_KINDS = ['location', 'faction', 'quest', 'event', 'note', 'npc'] as const;
export type LoreKind = (typeof LORE_KINDS)[number];

const label = z.string().trim().min(1, 'must not be empty').max(200, 'is longer than 200 characters');

const sourcedSchema = z.object({ text: z.string(), sources: z.array(z.string()) });

/** A session summary's consolidation (`journal consolidate`): its result and provenance, regenerable. */
export const ConsolidationSchema = z.object({
  provider: z.string(),
  createdAt: z.number().int().nonnegative(),
  journals: z.array(z.string()),
  summary: z.string(),
  summarySources: z.array(sourcedSchema),
  keyEvents: z.array(sourcedSchema),
  timeline: z.array(sourcedSchema.extend({ when: z.string() })),
  discrepancies: z.array(
    z.object({ topic: z.string(), claims: z.array(z.object({ journalId: z.string(), text: z.string() })) }),
  ),
  /** Items the source check dropped. */
  unsupported: z.array(z.string()),
});

export const LoreDocSchema = z.object({
  meta: metaSchema('lore'),
  kind: z.enum(LORE_KINDS),
  name: label,
  aliases: z.array(label).max(50).default([]),
  tags: z.array(label).max(100).default([]),
  /** The page (a `Y.Text`); may hold mentions `@[Label](id)`. */
  text: z.string().default(''),
  /** When it happened (events) or began (quests): a session number. */
  session: z.number().int().nonnegative().optional(),
  /** Present on a session summary (kind `note`, tag `session-summary`). */
  consolidation: ConsolidationSchema.optional(),
});
export type LoreDoc = z.infer<typeof LoreDocSchema>;

export const loreDocType = defineDocType({
  kind: 'lore',
  schema: LoreDocSchema,
  migrations: [{ id: 'lore/1', description: 'initial shape', up: (json) => json }],
  summarize: (d) => ({ name: d.name, subkind: d.kind }),
  references: (d) => mentionRefs(d.text).map((to) => ({ to, relation: 'mentions' as const })),
});

export function createLoreDoc(
  doc: Y.Doc,
  init: {
    id: string;
    createdAt: number;
    kind: LoreKind;
    name: string;
    aliases?: string[];
    tags?: string[];
    text?: string;
    session?: number;
  },
  origin: TransactionOrigin,
): LoreDoc {
  const value: JsonObject = {
    meta: {
      schemaVersion: loreDocType.currentVersion,
      entity: 'lore',
      id: init.id,
      createdAt: init.createdAt,
    },
    kind: init.kind,
    name: init.name,
    aliases: init.aliases ?? [],
    tags: init.tags ?? [],
    text: init.text ?? '',
  };
  if (init.session !== undefined) value['session'] = init.session;
  return initDoc(loreDocType, doc, value, origin);
}

export function readLore(doc: Y.Doc): LoreDoc {
  return readDoc(loreDocType, doc);
}

export function editLore(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): LoreDoc {
  return editDoc(loreDocType, doc, change, origin);
}
