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
