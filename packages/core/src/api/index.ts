/** The typed handler map and bridge contract shared by Electron main, the web-mode server and tests. */
export {
  CHANNELS,
  EVENT_NAMES,
  LLM_PROVIDER_KINDS,
  SRD_TYPES,
  SettingsSchema,
  SrdTypeSchema,
  inputSchemas,
  type BridgeError,
  type BridgeResult,
  type Channel,
  type CoreEvents,
  type CoreHandlers,
  type DesktopBridge,
  type EventName,
  type HandlerInput,
  type HandlerOutput,
  type Settings,
  type SrdType,
} from './contract';
export { createHandlers, disposeHandlers, type HandlerDeps } from './handlers';
export { invokeHandler, isChannel, toBridgeError } from './invoke';
export { createEventBus, type EventBus, type EventListener } from './events';
export type { DraftTurn, DraftView, MonsterView, PipelineSource } from './drafts';
export type { SrdHit } from './srd-search';
export type { SyncConnectSummary, SyncConnection, SyncHub, SyncStatusView } from './sync';
