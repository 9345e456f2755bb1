export { createCore, silentLogger, type Core, type CoreOptions } from './core';
export { CoreError, type CoreErrorCode } from './errors';
export type { Logger, TagKind } from './services/engine';
export { TAG_KINDS, DEFAULT_BRANCH } from './services/engine';
export type { CampaignsService, CampaignInfo } from './services/campaigns';
export type { Membership } from './services/engine';
export {
  storageIdOf,
  docIdOf,
  liveGuid,
  type LiveDocRef,
  type LiveHandle,
  type LiveDocs,
  type LiveChange,
} from './live/types';
export type { CharactersService, CharacterRow, CharacterView, SetOp } from './services/characters';
export type { ItemsService } from './services/items';
export type { JournalsService } from './services/journals';
export type { HistoryService, LogEntry, BranchInfo } from './services/history';
export type { ReferencesService, Reference } from './services/references';
export type { ArchiveService } from './services/archive';
export type { Change, MergeConflict } from './history/diff';
export { diffJson, summarizeChanges } from './history/diff';
export {
  semanticDiff,
  semanticDiffAt,
  describeChanges,
  describeRows,
  contentNames,
  humanizeId,
  wordDiff,
  type SemanticChange,
  type WordOp,
} from './history/semantic-diff';
export { ABILITY_NAMES, SMALL_WORDS, titleWords } from './words';
export { ORIGIN_KINDS, type OriginKind, type TransactionOrigin } from './docs/origin';
export { ENTITY_KINDS, type EntityKind } from './docs/doc-type';
export {
  CharacterDocSchema,
  NarrativeSchema,
  CHARACTER_KINDS,
  type CharacterDoc,
  type CharacterKind,
  type Narrative,
} from './docs/character-doc';
export { ItemDocSchema, type ItemDoc } from './docs/item-doc';
export { CampaignDocSchema, type CampaignDoc } from './docs/campaign-doc';
export { JournalDocSchema, type JournalDoc } from './docs/journal-doc';
export { DmNotesDocSchema, type DmNotesDoc } from './docs/dmnotes-doc';
export { SessionDocSchema, type SessionDoc } from './docs/session-doc';
export { IntentsDocSchema, type IntentsDoc } from './docs/intents-doc';
export * from './sync/index';
export * from './api/index';
export {
  BRIDGE_INPUT_LIMITS,
  BRIDGE_MAX_MESSAGE_BYTES,
  ENTITY_ID_PATTERN,
  INPUT_LIMITS,
  isEntityId,
  jsonTextDepthExceeds,
} from './input/limits';
export * from './pipeline/index';
export * from './llm-cache/index';
