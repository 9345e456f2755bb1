/**
 * One document ↔ one relay room over the y-websocket protocol, with reconnect (exponential backoff with jitter),
 * status events and token passing. Runs in Node on `ws` (injectable for tests).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import {
  FATAL_CLOSE_CODES,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  relayDocUrl,
  SYNC_STEP2,
  SYNC_SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
} from './protocol';

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

export interface SyncProviderOptions {
  /** `ws://host:port` of the relay (a path prefix is kept). */
  relayUrl: string;
  docName: string;
  doc: Y.Doc;
  token: string;
  /** `query` (default): `?token=`; `protocol`: `Sec-WebSocket-Protocol: loreforge-token.<token>`. */
  tokenTransport?: 'query' | 'protocol';
  /** A read-only connection never sends document updates (the relay would drop them anyway). */
  readOnly?: boolean;
  awareness?: awarenessProtocol.Awareness;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  WebSocketImpl?: typeof WebSocket;
  /**
   * Transaction origin for updates applied from the relay (default: the provider itself). Must be unique to
   * this provider: updates with this origin are not sent back.
   */
  remoteOrigin?: object;
  /**
   * Drop and reconnect when nothing (no frame, no ping) arrived for this long (default 75 s; the relay pings
   * every 30 s). Catches half-open connections after sleep or network changes.
   */
  idleTimeoutMs?: number;
  /** Connect immediately (default true). */
  connect?: boolean;
}

type Listener<T> = (value: T) => void;

export class SyncProvider {
  readonly docName: string;
  readonly doc: Y.Doc;
  readonly readOnly: boolean;
  readonly awareness: awarenessProtocol.Awareness | undefined;
  /** Transaction origin of updates that came from the relay. */
  readonly remoteOrigin: object;
  private readonly opts: SyncProviderOptions;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly WS: typeof WebSocket;
  private ws: WebSocket | undefined;
  private statusValue: SyncStatus = 'disconnected';
  private attempt = 0;
  private wantConnected = false;
  private destroyed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly statusListeners = new Set<Listener<SyncStatusEvent>>();
  private readonly deniedListeners = new Set<Listener<string>>();

  constructor(opts: SyncProviderOptions) {
    this.opts = opts;
    this.docName = opts.docName;
    this.doc = opts.doc;
    this.readOnly = opts.readOnly ?? false;
    this.awareness = opts.awareness;
    this.remoteOrigin = opts.remoteOrigin ?? this;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.random = opts.random ?? Math.random;
    this.WS = opts.WebSocketImpl ?? WebSocket;
    relayDocUrl(opts.relayUrl, opts.docName); // validates the URL now, not on first connect
    this.doc.on('update', this.onDocUpdate);
    this.awareness?.on('update', this.onAwarenessUpdate);
    if (opts.connect ?? true) this.connect();
  }

  get status(): SyncStatus {
    return this.statusValue;
  }

  get synced(): boolean {
    return this.statusValue === 'synced';
  }

  onStatus(cb: Listener<SyncStatusEvent>): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  /** The relay refused a write (read-only connection); the argument is its reason. */
  onPermissionDenied(cb: Listener<string>): () => void {
    this.deniedListeners.add(cb);
    return () => this.deniedListeners.delete(cb);
  }

  /** Resolves at the next (or current) `synced`; rejects on `error` or destroy. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.destroyed) return Promise.reject(new Error(`sync ${this.docName}: provider destroyed`));
    return new Promise((resolve, reject) => {
      const off = this.onStatus((e) => {
        if (e.status === 'synced') {
          off();
          resolve();
        } else if (e.status === 'error' || this.destroyed) {
          off();
          reject(new Error(`sync ${this.docName}: ${e.reason ?? e.status}`));
        }
      });
    });
  }

  connect(): void {
    if (this.destroyed) throw new Error(`sync ${this.docName}: provider destroyed`);
    this.wantConnected = true;
    if (this.ws === undefined && this.retryTimer === undefined) this.open();
  }

  /** Close the connection and stop reconnecting (local edits keep accumulating in the doc). */
  disconnect(): void {
    this.wantConnected = false;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.close(1000);
    }
    if (this.statusValue !== 'disconnected') this.setStatus({ status: 'disconnected' });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.disconnect();
    this.setStatus({ status: 'disconnected', reason: 'destroyed' }); // settles pending whenSynced()
    this.doc.off('update', this.onDocUpdate);
    if (this.awareness) {
      this.awareness.off('update', this.onAwarenessUpdate);
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy');
    }
    this.statusListeners.clear();
    this.deniedListeners.clear();
  }

  private setStatus(e: Omit<SyncStatusEvent, 'docName' | 'attempt'>): void {
    this.statusValue = e.status;
    const event: SyncStatusEvent = { docName: this.docName, attempt: this.attempt, ...e };
    for (const cb of [...this.statusListeners]) cb(event);
  }

  private open(): void {
    const transport = this.opts.tokenTransport ?? 'query';
    const url = relayDocUrl(
      this.opts.relayUrl,
      this.docName,
      transport === 'query' ? this.opts.token : undefined,
    );
    const protocols =
      transport === 'query'
        ? [SYNC_SUBPROTOCOL]
        : [SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + this.opts.token];
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
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(enc, this.doc);
      this.send(encoding.toUint8Array(enc));
      if (this.awareness && this.awareness.getLocalState() !== null) {
        this.send(this.awarenessFrame([this.doc.clientID]));
      }
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
        this.onMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
      if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.ws = undefined;
      if (this.awareness) {
        const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
        awarenessProtocol.removeAwarenessStates(this.awareness, others, this.remoteOrigin);
      }
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
      if (this.wantConnected && !this.destroyed) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wantConnected && !this.destroyed) this.open();
    }, delay);
  }

  private send(frame: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  private onMessage(frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MESSAGE_SYNC: {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_SYNC);
        const kind = syncProtocol.readSyncMessage(dec, enc, this.doc, this.remoteOrigin);
        // Reply to the relay's step 1 with what it lacks, unless we are read-only.
        if (encoding.length(enc) > 1 && !this.readOnly) this.send(encoding.toUint8Array(enc));
        if (kind === SYNC_STEP2 && this.statusValue !== 'synced') this.setStatus({ status: 'synced' });
        break;
      }
      case MESSAGE_AWARENESS:
        if (this.awareness) {
          awarenessProtocol.applyAwarenessUpdate(
            this.awareness,
            decoding.readVarUint8Array(dec),
            this.remoteOrigin,
          );
        }
        break;
      case MESSAGE_QUERY_AWARENESS:
        if (this.awareness) this.send(this.awarenessFrame([...this.awareness.getStates().keys()]));
        break;
      case MESSAGE_AUTH:
        if (decoding.readVarUint(dec) === 0) {
          const reason = decoding.readVarString(dec);
          for (const cb of [...this.deniedListeners]) cb(reason);
        }
        break;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private awarenessFrame(clients: number[]): Uint8Array {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness!, clients));
    return encoding.toUint8Array(enc);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.remoteOrigin || this.readOnly) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    this.send(encoding.toUint8Array(enc));
  };

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this.remoteOrigin) return;
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (changed.length > 0) this.send(this.awarenessFrame(changed));
  };
}
