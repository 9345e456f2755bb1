/** Relay options, defaults and their validation. */
import type { RelayLogger } from './logger';

export interface RateLimitOptions {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

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
  /** A client whose unsent output exceeds this is too slow and gets dropped. */
  maxBufferedBytes?: number;
  logger?: RelayLogger;
  /** Wall clock (ms since epoch): token expiry and audit timestamps. */
  now?: () => number;
  /** Monotonic clock (ms): rate limiting. */
  monotonic?: () => number;
}

export type ResolvedRelayOptions = Required<Omit<RelayOptions, 'rateLimit' | 'logger'>> & {
  rateLimit: RateLimitOptions;
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
