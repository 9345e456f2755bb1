/**
 * Wire constants shared by the relay (apps/sync-server) and the client provider: the y-websocket framing
 * (`varUint messageType` then the y-protocols payload), the subprotocol names and the relay's close codes.
 */
import { SyncInputError } from './errors';

/** First varUint of every frame. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Second varUint of a sync frame (y-protocols/sync). Step 1 asks; step 2 and update carry document data. */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** Subprotocol the relay prefers to echo; a client may also offer the token as `loreforge-token.<token>`. */
export const SYNC_SUBPROTOCOL = 'loreforge-sync.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'loreforge-token.';

/** WebSocket close codes the relay uses. */
export const CLOSE_CODES = {
  /** Relay shutting down. */
  goingAway: 1001,
  /** A frame that does not decode as the sync protocol (or trailing garbage). */
  protocolError: 1002,
  /** A text frame: only binary frames are spoken. */
  unsupportedData: 1003,
  /** A frame larger than the relay's maximum message size. */
  messageTooBig: 1009,
  /** The token's `exp` passed while connected: get a new token. */
  tokenExpired: 4001,
  /** A read-only connection kept sending document updates after being told it may not write. */
  readOnlyViolation: 4003,
  /** Too many messages or bytes per second, or too many sync-step-1 answers asked for. */
  rateLimited: 4008,
} as const;

/**
 * Close codes after which reconnecting cannot help: the token expired, or the document's state/an update is
 * larger than the relay accepts (it would be sent again on every reconnect).
 */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.tokenExpired,
  CLOSE_CODES.messageTooBig,
]);

/** `ws(s)://host[:port][/prefix]/<docName>` plus `?token=` when `token` is given. */
export function relayDocUrl(relayUrl: string, docName: string, token?: string): string {
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch {
    throw new SyncInputError('relayUrl', `${JSON.stringify(relayUrl)} is not a URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new SyncInputError('relayUrl', `must start with ws:// or wss://, got ${url.protocol}//`);
  }
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${base}${docName.split('/').map(encodeURIComponent).join('/')}`;
  url.search = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  return url.toString();
}

/**
 * Multiplexed connection (one WebSocket per campaign per peer, `ws://host/<campaignId>`): every binary frame
 * starts with a `varUint` mux type. See apps/sync-server/CONTEXT.md ("Multiplexed connections").
 *
 * - `MUX_DOC` (both ways): `varString docName`, then one ordinary y-websocket frame for that document.
 * - `MUX_SUBSCRIBE` (client → relay): `varString docName`, `varUint flags` (`MUX_FLAG_CREATE`).
 * - `MUX_UNSUBSCRIBE` (client → relay): `varString docName`.
 * - `MUX_SUBSCRIBED` (relay → client): `varString docName`, `varUint access` (`MUX_ACCESS_READ|WRITE`).
 * - `MUX_REFUSED` (relay → client): `varString docName`, `varUint status` (HTTP-like), `varString reason`.
 * - `MUX_DOCS` (relay → client): `varUint n`, then n × `varString docName`: documents the token may read that
 *   the relay holds; the whole list right after connecting, then each new one as it appears.
 */
export const MUX_DOC = 0;
export const MUX_SUBSCRIBE = 1;
export const MUX_UNSUBSCRIBE = 2;
export const MUX_SUBSCRIBED = 3;
export const MUX_REFUSED = 4;
export const MUX_DOCS = 5;
/** Subscribe flag: create the document if it does not exist (a player then owns a new journal/intents doc). */
export const MUX_FLAG_CREATE = 1;
export const MUX_ACCESS_READ = 1;
export const MUX_ACCESS_WRITE = 2;
/** Subprotocol a multiplexing client offers (informative: the relay tells the two paths apart by the URL). */
export const MUX_SUBPROTOCOL = 'loreforge-mux.v1';

/** `ws(s)://host[:port][/prefix]/<campaignId>` plus `?token=` when `token` is given. */
export function relayMuxUrl(relayUrl: string, campaign: string, token?: string): string {
  const url = relayDocUrl(relayUrl, campaign);
  return token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`;
}
