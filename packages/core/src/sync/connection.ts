/**
 * The WebSocket half shared by `SyncProvider` (one document per socket) and `MuxSyncProvider` (one socket per
 * campaign): opening with the token on the query string or as a subprotocol, connection status and its
 * listeners, idle timeout, reconnect with exponential backoff and jitter, and the fatal cases (401/403 on the
 * upgrade, fatal close codes) that stop reconnecting. What goes inside the frames is the owner's business,
 * through the hooks. Internal to the sync module.
 */
import WebSocket from 'ws';
import { FATAL_CLOSE_CODES, TOKEN_SUBPROTOCOL_PREFIX } from './protocol';
import { sendInTick } from './tick-send';

export type SyncStatus = 'connecting' | 'connected' | 'synced' | 'disconnected' | 'error';

export interface SyncStatusEvent {
  docName: string;
  status: SyncStatus;
  /** Reconnect attempt number (0 for the first connection). */
  attempt: number;
  /** Close code, HTTP status of a refused upgrade, or error text, when there is one. */
  code?: number;
  httpStatus?: number;
  reason?: string;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is random: 0 = none, 1 = "full jitter". */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (1-based): capped exponential, the top `jitter` part randomised. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  const base = Math.min(opts.maxMs, opts.initialMs * opts.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - opts.jitter) + base * opts.jitter * random());
}

/** The connection options both providers take. */
export interface RelayConnectionOptions {
  /** `ws://host:port` of the relay (a path prefix is kept). */
  relayUrl: string;
  token: string;
  /** `query` (default): `?token=`; `protocol`: `Sec-WebSocket-Protocol: loreforge-token.<token>`. */
  tokenTransport?: 'query' | 'protocol';
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  WebSocketImpl?: typeof WebSocket;
  /**
   * Drop and reconnect when nothing (no frame, no ping) arrived for this long (default 75 s; the relay pings
   * every 30 s). Catches half-open connections after sleep or network changes.
   */
  idleTimeoutMs?: number;
  /** Connect immediately (default true). */
  connect?: boolean;
}

export interface RelayConnectionHooks {
  /** Name carried by status events and error messages (document or campaign). */
  name: string;
  /** URL to open; `token` is set when it travels on the query string. */
  url: (token: string | undefined) => string;
  subprotocol: string;
  /** The socket opened (status is already `connected`). */
  onOpen: () => void;
  /** One binary frame; throwing closes the socket with 1002. */
  onFrame: (bytes: Uint8Array) => void;
  /** The socket closed, or `disconnect()` dropped an open one (`byDisconnect`). Runs before the status event. */
  onLost: (byDisconnect: boolean) => void;
}

type Listener<T> = (value: T) => void;

export class RelayConnection {
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly WS: typeof WebSocket;
  private ws: WebSocket | undefined;
  private statusValue: SyncStatus = 'disconnected';
  private attempt = 0;
  private wantConnected = false;
  private destroyedValue = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly statusListeners = new Set<Listener<SyncStatusEvent>>();

  constructor(
    private readonly opts: RelayConnectionOptions,
    private readonly hooks: RelayConnectionHooks,
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.random = opts.random ?? Math.random;
    this.WS = opts.WebSocketImpl ?? WebSocket;
  }

  get status(): SyncStatus {
    return this.statusValue;
  }

  get destroyed(): boolean {
    return this.destroyedValue;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  onStatus(cb: Listener<SyncStatusEvent>): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  setStatus(e: Omit<SyncStatusEvent, 'docName' | 'attempt'>): void {
    this.statusValue = e.status;
    const event: SyncStatusEvent = { docName: this.hooks.name, attempt: this.attempt, ...e };
    for (const cb of [...this.statusListeners]) cb(event);
  }

  /**
   * Sends when open (frames of one tick in one write, `sendInTick`); drops the frame otherwise (the sync exchange
   * on reconnect catches up).
   */
  send(bytes: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) sendInTick(this.ws, bytes);
  }

  connect(): void {
    if (this.destroyedValue) throw new Error(`sync ${this.hooks.name}: provider destroyed`);
    this.wantConnected = true;
    if (this.ws === undefined && this.retryTimer === undefined) this.open();
  }

  disconnect(): void {
    this.wantConnected = false;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.clearIdle();
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.close(1000);
      this.hooks.onLost(true);
    }
    if (this.statusValue !== 'disconnected') this.setStatus({ status: 'disconnected' });
  }

  /** Marks destroyed and disconnects; the owner then cleans up, emits the last status and calls `clearListeners`. */
  destroy(): void {
    this.destroyedValue = true;
    this.disconnect();
  }

  clearListeners(): void {
    this.statusListeners.clear();
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private open(): void {
    const transport = this.opts.tokenTransport ?? 'query';
    const url = this.hooks.url(transport === 'query' ? this.opts.token : undefined);
    const protocols =
      transport === 'query'
        ? [this.hooks.subprotocol]
        : [this.hooks.subprotocol, TOKEN_SUBPROTOCOL_PREFIX + this.opts.token];
    this.setStatus({ status: 'connecting' });
    const ws = new this.WS(url, protocols);
    this.ws = ws;
    let httpStatus: number | undefined;
    let errorText: string | undefined;
    ws.binaryType = 'nodebuffer';
    const alive = (): void => {
      if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => {
        errorText = 'no traffic from the relay (idle timeout)';
        ws.terminate();
      }, this.opts.idleTimeoutMs ?? 75_000);
      this.idleTimer.unref();
    };
    ws.on('ping', alive);
    ws.on('open', () => {
      alive();
      this.attempt = 0;
      this.setStatus({ status: 'connected' });
      this.hooks.onOpen();
    });
    ws.on('message', (data, isBinary) => {
      alive();
      if (!isBinary) return;
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      try {
        this.hooks.onFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (err) {
        errorText = `bad frame from relay: ${(err as Error).message}`;
        ws.close(1002);
      }
    });
    ws.on('error', (err) => {
      const m = /Unexpected server response: (\d+)/.exec(err.message);
      if (m) httpStatus = Number(m[1]);
      errorText = err.message;
    });
    ws.on('close', (code, reasonBuf) => {
      if (this.ws !== ws) return;
      this.clearIdle();
      this.ws = undefined;
      this.hooks.onLost(false);
      const reason = reasonBuf.toString() || errorText;
      const fatal = httpStatus === 401 || httpStatus === 403 || FATAL_CLOSE_CODES.has(code);
      const detail = {
        code,
        ...(httpStatus !== undefined ? { httpStatus } : {}),
        ...(reason ? { reason } : {}),
      };
      if (fatal) {
        this.wantConnected = false;
        this.setStatus({ status: 'error', ...detail });
        return;
      }
      this.setStatus({ status: 'disconnected', ...detail });
      if (this.wantConnected && !this.destroyedValue) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wantConnected && !this.destroyedValue) this.open();
    }, delay);
  }
}
