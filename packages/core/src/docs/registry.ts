import type { DocMeta, DocType, EntityKind } from './doc-type';
import { campaignDocType } from './campaign-doc';
import { characterDocType } from './character-doc';
import { dmnotesDocType } from './dmnotes-doc';
import { intentsDocType } from './intents-doc';
import { itemDocType } from './item-doc';
import { journalDocType } from './journal-doc';
import { loreDocType } from './lore-doc';
import { sessionDocType } from './session-doc';

export type AnyDocType = DocType<EntityKind, { meta: DocMeta }>;

export const DOC_TYPES: Record<EntityKind, AnyDocType> = {
  campaign: campaignDocType as unknown as AnyDocType,
  character: characterDocType as unknown as AnyDocType,
  item: itemDocType as unknown as AnyDocType,
  journal: journalDocType as unknown as AnyDocType,
  dmnotes: dmnotesDocType as unknown as AnyDocType,
  session: sessionDocType as unknown as AnyDocType,
  intents: intentsDocType as unknown as AnyDocType,
  lore: loreDocType as unknown as AnyDocType,
};

/**
 * The top-level keys of a document's root map that its index row (projection) is computed from: `summarize`,
 * `references` and `meta.schemaVersion`. A change under any other key (a combatant's HP in a session, a play sheet
 * in a character) leaves the row as it is, so the live persistence only bumps its `updated_at` instead of
 * validating the whole document and rewriting the row and its cross-references. Kinds not listed (and changes
 * outside the root map, such as a journal's text) always refresh the projection.
 */
export const PROJECTION_KEYS: Partial<Record<EntityKind, ReadonlySet<string>>> = {
  session: new Set(['meta', 'number', 'status']),
  // characterName (build name, else stat-block name), kind, equipment references.
  character: new Set(['meta', 'kind', 'build', 'creature']),
  // Title/kind of a private journal, roster and encounter references; its text lives outside the root map.
  dmnotes: new Set(['meta', 'journal', 'roster', 'encounters']),
  intents: new Set(['meta', 'owner']),
};
