/**
 * `dmnotes` documents: DM-only content, never sent to players. Two uses: the campaign's notes (document id = the
 * campaign id; encounters, NPC/monster roster entries, secrets, moved here by `campaign/2`) and private journals
 * (`journal add --private`, one document of their own id with a `journal` header and the text).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { EncounterSchema, RosterEntrySchema } from './campaign-doc';
import { mentionRefs } from '../memory/mention-syntax';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';
import { PlayNotesSchema } from '../play/schema';
import { CampaignGenSchema } from '../campaign-gen/schema';

/** A typed, weighted, temporal relation between two entities (`loreforge relate`). */
export const RelationSchema = z.object({
  from: z.string().uuid(),
  to: z.string().uuid(),
  /** ally, enemy, member-of, serves, located-in, family, rival… (a lower-case slug). */
  type: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case slug (a-z, 0-9, -)'),
  attitude: z.number().int().min(-100).max(100).optional(),
  /** Sessions the relation holds from / until (inclusive). */
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  author: z.string().default(''),
  createdAt: z.number().int().nonnegative(),
});

export const PrivateJournalSchema = z.object({
  title: z.string().min(1),
  author: z.string().default(''),
  session: z.number().int().nonnegative().optional(),
});

export const DmNotesDocSchema = z.object({
  meta: metaSchema('dmnotes'),
  /** The campaign these notes belong to. */
  campaign: z.string().min(1),
  roster: z.record(z.string().uuid(), RosterEntrySchema).default({}),
  encounters: z.record(z.string(), EncounterSchema).default({}),
  secrets: z.array(z.string()).default([]),
  /** Present on a private journal. */
  journal: PrivateJournalSchema.optional(),
  /** Free text (a private journal's body); derived from the rich-text body (`docs/rich-text.ts`, dmnotes/2). */
  text: z.string().default(''),
  /** Typed relations between entities (`relate`; memory/graph.ts), by relation id. */
  relations: z.record(z.string().uuid(), RelationSchema).optional(),
  /** Live play (issue 11): prepared encounters and the full combat state of each session (DM only). */
  play: PlayNotesSchema.optional(),
  /** Campaign generation (issue 13): outline, clues, nemesis, adaptation proposals (`campaign-gen/schema.ts`). */
  campaignGen: CampaignGenSchema.optional(),
  /** The DM-only part of each lore entity (`docs/lore-doc.ts`), by its id. */
  lore: z
    .record(
      z.string().uuid(),
      z.object({
        text: z.string().default(''),
        tags: z.array(z.string()).default([]),
        /** An NPC stub's build: the DM-only npc character that holds it (`entity build`; never synced). */
        build: z.object({ characterId: z.string().uuid() }).optional(),
      }),
    )
    .optional(),
});
export type DmNotesDoc = z.infer<typeof DmNotesDocSchema>;

export const dmnotesDocType = defineDocType({
  kind: 'dmnotes',
  schema: DmNotesDocSchema,
  migrations: [
    { id: 'dmnotes/1', description: 'initial shape', up: (json) => json },
    {
      id: 'dmnotes/2',
      description:
        'the text (a private journal’s body) moves into the rich-text body (`body`, a Y.XmlFragment, as journal/3); `text` is derived from it',
      up: (json) => json,
    },
  ],
  richText: true,
  summarize: (d) => ({ name: d.journal?.title ?? 'DM notes', subkind: d.journal ? 'journal' : 'notes' }),
  references: (d) => {
    const refs: EntityReference[] = Object.keys(d.roster).map((to) => ({ to, relation: 'contains' }));
    for (const [via, enc] of Object.entries(d.encounters)) {
      for (const to of enc.participants) refs.push({ to, relation: 'encounter', via });
    }
    // A private journal's mentions are backlinks too.
    if (d.journal) for (const to of mentionRefs(d.text)) refs.push({ to, relation: 'mentions' });
    return refs;
  },
});

export function createDmNotesDoc(
  doc: Y.Doc,
  init: {
    id: string;
    createdAt: number;
    campaign: string;
    journal?: { title: string; author: string; session?: number };
    text?: string;
    content?: JsonObject;
  },
  origin: TransactionOrigin,
): DmNotesDoc {
  return initDoc(
    dmnotesDocType,
    doc,
    {
      ...(init.content ?? {}),
      meta: {
        schemaVersion: dmnotesDocType.currentVersion,
        entity: 'dmnotes',
        id: init.id,
        createdAt: init.createdAt,
      },
      campaign: init.campaign,
      ...(init.journal ? { journal: init.journal } : {}),
      text: init.text ?? '',
    },
    origin,
  );
}

export function readDmNotes(doc: Y.Doc): DmNotesDoc {
  return readDoc(dmnotesDocType, doc);
}

export function editDmNotes(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): DmNotesDoc {
  return editDoc(dmnotesDocType, doc, change, origin);
}
