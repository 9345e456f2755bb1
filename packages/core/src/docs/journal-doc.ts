/**
 * Journal documents (journal/3): a title, the author, the session it belongs to and the body, a rich-text
 * `Y.XmlFragment` named `body` laid out as Tiptap/y-prosemirror store it (`docs/rich-text.ts`), so two people
 * typing into one journal — in the app's editor or through `text` — merge per character. The JSON view's `text`
 * is derived from the fragment (mentions as `@[Label](ID)`); writing `text` changes only the blocks that changed.
 * Journals are readable by every player of the campaign; private (DM-only) journals are `dmnotes` documents
 * instead (`docs/dmnotes-doc.ts`).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { mentionRefs } from '../memory/mention-syntax';
import { defineDocType, editDoc, initDoc, readDoc } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';

export const JournalDocSchema = z.object({
  meta: metaSchema('journal'),
  title: z.string().min(1),
  author: z.string().default(''),
  text: z.string().default(''),
  session: z.number().int().nonnegative().optional(),
});
export type JournalDoc = z.infer<typeof JournalDocSchema>;

export const journalDocType = defineDocType({
  kind: 'journal',
  schema: JournalDocSchema,
  migrations: [
    { id: 'journal/1', description: 'initial shape', up: (json) => json },
    {
      id: 'journal/2',
      description: 'the body becomes `text` (a Y.Text, merged per character); add the author',
      up: (json) => {
        const { body, ...rest } = json;
        return { author: '', ...rest, text: typeof body === 'string' ? body : '' };
      },
    },
    {
      id: 'journal/3',
      description:
        'the text moves into the rich-text body (`body`, a Y.XmlFragment: paragraphs, headings, lists, mention nodes); `text` is derived from it',
      // The JSON view keeps `text`; the storage moves (doc-type's `richText`: written into the fragment, the old
      // Y.Text emptied).
      up: (json) => json,
    },
  ],
  richText: true,
  summarize: (j) => ({ name: j.title, subkind: null }),
  /** Entities the text mentions (`@[Label](id)`): backlinks. */
  references: (j) => mentionRefs(j.text).map((to) => ({ to, relation: 'mentions' as const })),
});

export function createJournalDoc(
  doc: Y.Doc,
  init: { id: string; createdAt: number; title: string; text?: string; author?: string; session?: number },
  origin: TransactionOrigin,
): JournalDoc {
  const value: JsonObject = {
    meta: {
      schemaVersion: journalDocType.currentVersion,
      entity: 'journal',
      id: init.id,
      createdAt: init.createdAt,
    },
    title: init.title,
    author: init.author ?? '',
    text: init.text ?? '',
  };
  if (init.session !== undefined) value['session'] = init.session;
  return initDoc(journalDocType, doc, value, origin);
}

export function readJournal(doc: Y.Doc): JournalDoc {
  return readDoc(journalDocType, doc);
}

export function editJournal(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): JournalDoc {
  return editDoc(journalDocType, doc, change, origin);
}
