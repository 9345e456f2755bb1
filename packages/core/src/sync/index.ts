/** Sync protocol constants, relay tokens, permissions, invites and the client provider. See CONTEXT.md. */
export { DOC_KINDS, SYNC_ID_PATTERN, docName, isDocKind, parseDocName, tryParseDocName } from './doc-names';
export type { DocKind, DocNameParts } from './doc-names';
export { SyncInputError } from './errors';
export { PERMISSION_TABLE, PLAYER_CREATABLE_KINDS, ROLES, accessFor, canRead, canWrite } from './permissions';
export type { Access, Role } from './permissions';
export {
  CLOSE_CODES,
  FATAL_CLOSE_CODES,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  MUX_ACCESS_READ,
  MUX_ACCESS_WRITE,
  MUX_DOC,
  MUX_DOCS,
  MUX_FLAG_CREATE,
  MUX_REFUSED,
  MUX_SUBPROTOCOL,
  MUX_SUBSCRIBE,
  MUX_SUBSCRIBED,
  MUX_UNSUBSCRIBE,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_SUBPROTOCOL,
  SYNC_UPDATE,
  TOKEN_SUBPROTOCOL_PREFIX,
  relayDocUrl,
  relayMuxUrl,
} from './protocol';
export {
  MIN_SECRET_BYTES,
  RELAY_TOKEN_PATTERN,
  RelayTokenClaimsSchema,
  createRelayToken,
  generateRelaySecret,
  readRelayTokenClaims,
  signRelayToken,
  verifyRelayToken,
} from './token';
export type { CreateTokenInput, RelayTokenClaims, TokenCheck, TokenFailure } from './token';
export { INVITE_URL_PREFIX, InviteSchema, createInvite, decodeInvite, encodeInvite } from './invite';
export type { CreateInviteInput, Invite } from './invite';
export { DEFAULT_BACKOFF, SyncProvider, backoffDelay } from './provider';
export type { BackoffOptions, SyncProviderOptions, SyncStatus, SyncStatusEvent } from './provider';
export { SyncManager } from './manager';
export { sendInTick } from './tick-send';
export { MuxSyncProvider } from './mux-provider';
export type {
  MuxAttachOptions,
  MuxDocStatus,
  MuxDocStatusEvent,
  MuxSyncProviderOptions,
} from './mux-provider';
export type { SyncManagerOptions } from './manager';
