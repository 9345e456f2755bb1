/** Relay options, defaults and their validation. */
import type { RelayLogger } from './logger';

export interface RateLimitOptions {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

/**
 * Abuse limits (issue 15). Every one is listed with its value and what happens past it in docs/security.md.
 */
export interface RelayLimits {
  /** WebSockets per token user (campaign + user) for players and spectators; past it the upgrade gets 429. */
  maxConnectionsPerUser: number;
  /** WebSockets per token user for the DM (who is exempt from the total and per-address caps). */
  maxConnectionsPerDm: number;
  /** WebSockets per remote address (DM connections are not counted); past it the upgrade gets 429. */
  maxConnectionsPerIp: number;
  /** TCP sockets per remote address still waiting for their HTTP request; past it new ones are destroyed. */
  maxPendingSocketsPerIp: number;
  /** TCP sockets from all addresses still waiting for their request; past it new ones are destroyed. */
  maxPendingSockets: number;
  /** A socket that has not sent a complete upgrade (or HTTP) request by then is destroyed. */
  upgradeDeadlineMs: number;
  /** Documents one multiplexed connection may subscribe to at once; past it the subscription is refused. */
  maxDocsPerConnection: number;
  /** Presence (awareness) client ids one connection may own in one document; more are ignored. */
  maxAwarenessIdsPerDoc: number;
  /** Presence client ids one connection may own over all its documents; more are ignored. */
  maxAwarenessIdsPerConnection: number;
  /** Largest presence state (JSON bytes) of one client id; larger ones are ignored. */
  maxAwarenessStateBytes: number;
  /**
   * Presence frames (updates and queries) a connection may send per second, and burst, over all its documents;
   * and per document. Past either, updates are held and coalesced (the latest state per client id is applied
   * when the budget allows) and queries are ignored.
   */
  presencePerSecond: number;
  presenceBurst: number;
  presencePerDocPerSecond: number;
  presencePerDocBurst: number;
  /** Sync step 1 answers per connection per second, and burst (count); past it the connection closes 4008. */
  syncAnswersPerSecond: number;
  syncAnswersBurst: number;
  /** Bytes of sync step 1 answers per connection per second, and burst; past it the connection closes 4008. */
  syncAnswerBytesPerSecond: number;
  syncAnswerBytesBurst: number;
  /** Refused writes a read-only connection may make per second, and burst; past it the connection closes 4003. */
  refusedWritesPerSecond: number;
  refusedWritesBurst: number;
  /** Refused writes are written to the audit log at most once per connection per this interval (aggregated). */
  refusalAuditIntervalMs: number;
}

export const RELAY_LIMITS: RelayLimits = {
  maxConnectionsPerUser: 512,
  maxConnectionsPerDm: 4096,
  maxConnectionsPerIp: 2048,
  maxPendingSocketsPerIp: 1024,
  maxPendingSockets: 8192,
  upgradeDeadlineMs: 5000,
  maxDocsPerConnection: 4096,
  maxAwarenessIdsPerDoc: 4,
  maxAwarenessIdsPerConnection: 1024,
  maxAwarenessStateBytes: 8 * 1024,
  presencePerSecond: 200,
  presenceBurst: 1000,
  presencePerDocPerSecond: 10,
  presencePerDocBurst: 50,
  syncAnswersPerSecond: 500,
  syncAnswersBurst: 5000,
  syncAnswerBytesPerSecond: 16 * 1024 * 1024,
  syncAnswerBytesBurst: 256 * 1024 * 1024,
  refusedWritesPerSecond: 1,
  refusedWritesBurst: 30,
  refusalAuditIntervalMs: 10_000,
};

export interface RelayOptions {
  /** Interface to bind (default 127.0.0.1; the Docker image uses 0.0.0.0). */
  host?: string;
  /** Port (0 = any free port). */
  port?: number;
  dataDir: string;
  /** The campaign relay secret that signs tokens (HMAC-SHA256). */
  secret: string | Uint8Array;
  /** Largest accepted frame; larger ones close the connection with 1009. */
  maxMessageBytes?: number;
  rateLimit?: Partial<RateLimitOptions>;
  /** Ping every N ms; a connection that missed the previous pong is dropped. */
  pingIntervalMs?: number;
  /** Fold a document's update log into its compacted state after this many updates. */
  compactEvery?: number;
  maxConnections?: number;
  /** Abuse limits; unset fields take `RELAY_LIMITS`. */
  limits?: Partial<RelayLimits>;
  /** A client whose unsent output exceeds this is too slow and gets dropped. */
  maxBufferedBytes?: number;
  logger?: RelayLogger;
  /** Wall clock (ms since epoch): token expiry and audit timestamps. */
  now?: () => number;
  /** Monotonic clock (ms): rate limiting. */
  monotonic?: () => number;
}

export type ResolvedRelayOptions = Required<Omit<RelayOptions, 'rateLimit' | 'logger' | 'limits'>> & {
  rateLimit: RateLimitOptions;
  limits: RelayLimits;
  logger: RelayLogger;
};

export const RELAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  maxMessageBytes: 4 * 1024 * 1024,
  rateLimit: {
    messagesPerSecond: 200,
    messageBurst: 400,
    bytesPerSecond: 4 * 1024 * 1024,
    byteBurst: 16 * 1024 * 1024,
  },
  pingIntervalMs: 30_000,
  compactEvery: 500,
  maxConnections: 10_000,
  maxBufferedBytes: 32 * 1024 * 1024,
} as const;

function positiveInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${field}: must be a positive whole number, got ${v}`);
  return v;
}

export function resolveRelayOptions(o: RelayOptions, logger: RelayLogger): ResolvedRelayOptions {
  const rateLimit = { ...RELAY_DEFAULTS.rateLimit, ...o.rateLimit };
  const port = o.port ?? RELAY_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port: must be 0–65535, got ${port}`);
  if (o.dataDir === '') throw new Error('dataDir: required');
  const r: ResolvedRelayOptions = {
    host: o.host ?? RELAY_DEFAULTS.host,
    port,
    dataDir: o.dataDir,
    secret: o.secret,
    maxMessageBytes: positiveInt('maxMessageBytes', o.maxMessageBytes ?? RELAY_DEFAULTS.maxMessageBytes),
    rateLimit: {
      messagesPerSecond: positiveInt('rateLimit.messagesPerSecond', rateLimit.messagesPerSecond),
      messageBurst: positiveInt('rateLimit.messageBurst', rateLimit.messageBurst),
      bytesPerSecond: positiveInt('rateLimit.bytesPerSecond', rateLimit.bytesPerSecond),
      byteBurst: positiveInt('rateLimit.byteBurst', rateLimit.byteBurst),
    },
    pingIntervalMs: positiveInt('pingIntervalMs', o.pingIntervalMs ?? RELAY_DEFAULTS.pingIntervalMs),
    compactEvery: positiveInt('compactEvery', o.compactEvery ?? RELAY_DEFAULTS.compactEvery),
    maxConnections: positiveInt('maxConnections', o.maxConnections ?? RELAY_DEFAULTS.maxConnections),
    maxBufferedBytes: positiveInt('maxBufferedBytes', o.maxBufferedBytes ?? RELAY_DEFAULTS.maxBufferedBytes),
    limits: resolveLimits(o.limits ?? {}),
    logger,
    now: o.now ?? Date.now,
    monotonic: o.monotonic ?? (() => performance.now()),
  };
  if (r.rateLimit.byteBurst < r.maxMessageBytes) {
    throw new Error(
      `rateLimit.byteBurst: must be at least maxMessageBytes (${r.maxMessageBytes}), got ${r.rateLimit.byteBurst}`,
    );
  }
  return r;
}

function resolveLimits(given: Partial<RelayLimits>): RelayLimits {
  const out = { ...RELAY_LIMITS };
  for (const [key, value] of Object.entries(given) as [keyof RelayLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in RELAY_LIMITS)) throw new Error(`limits.${key}: not a relay limit`);
    out[key] = positiveInt(`limits.${key}`, value);
  }
  return out;
}
