/**
 * One document ↔ one relay room over the y-websocket protocol, with reconnect (exponential backoff with jitter),
 * status events and token passing. Runs in Node on `ws` (injectable for tests).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  RelayConnection,
  type BackoffOptions,
  type RelayConnectionOptions,
  type SyncStatus,
  type SyncStatusEvent,
} from './connection';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  relayDocUrl,
  SYNC_STEP2,
  SYNC_SUBPROTOCOL,
} from './protocol';

export { backoffDelay, DEFAULT_BACKOFF };
export type { BackoffOptions, SyncStatus, SyncStatusEvent };

export interface SyncProviderOptions extends RelayConnectionOptions {
  docName: string;
  doc: Y.Doc;
  /** A read-only connection never sends document updates (the relay would drop them anyway). */
  readOnly?: boolean;
  awareness?: awarenessProtocol.Awareness;
  /**
   * Transaction origin for updates applied from the relay (default: the provider itself). Must be unique to
   * this provider: updates with this origin are not sent back.
   */
  remoteOrigin?: object;
}

type Listener<T> = (value: T) => void;

export class SyncProvider {
  readonly docName: string;
  readonly doc: Y.Doc;
  readonly readOnly: boolean;
  readonly awareness: awarenessProtocol.Awareness | undefined;
  /** Transaction origin of updates that came from the relay. */
  readonly remoteOrigin: object;
  private readonly conn: RelayConnection;
  private readonly deniedListeners = new Set<Listener<string>>();

  constructor(opts: SyncProviderOptions) {
    this.docName = opts.docName;
    this.doc = opts.doc;
    this.readOnly = opts.readOnly ?? false;
    this.awareness = opts.awareness;
    this.remoteOrigin = opts.remoteOrigin ?? this;
    relayDocUrl(opts.relayUrl, opts.docName); // validates the URL now, not on first connect
    this.conn = new RelayConnection(opts, {
      name: opts.docName,
      url: (token) => relayDocUrl(opts.relayUrl, opts.docName, token),
      subprotocol: SYNC_SUBPROTOCOL,
      onOpen: () => {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(enc, this.doc);
        this.send(encoding.toUint8Array(enc));
        if (this.awareness && this.awareness.getLocalState() !== null) {
          this.send(this.awarenessFrame([this.doc.clientID]));
        }
      },
      onFrame: (bytes) => this.onMessage(bytes),
      onLost: (byDisconnect) => {
        if (byDisconnect || !this.awareness) return;
        const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
        awarenessProtocol.removeAwarenessStates(this.awareness, others, this.remoteOrigin);
      },
    });
    this.doc.on('update', this.onDocUpdate);
    this.awareness?.on('update', this.onAwarenessUpdate);
    if (opts.connect ?? true) this.connect();
  }

  get status(): SyncStatus {
    return this.conn.status;
  }

  get synced(): boolean {
    return this.conn.status === 'synced';
  }

  onStatus(cb: Listener<SyncStatusEvent>): () => void {
    return this.conn.onStatus(cb);
  }

  /** The relay refused a write (read-only connection); the argument is its reason. */
  onPermissionDenied(cb: Listener<string>): () => void {
    this.deniedListeners.add(cb);
    return () => this.deniedListeners.delete(cb);
  }

  /** Resolves at the next (or current) `synced`; rejects on `error` or destroy. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.conn.destroyed) return Promise.reject(new Error(`sync ${this.docName}: provider destroyed`));
    return new Promise((resolve, reject) => {
      const off = this.onStatus((e) => {
        if (e.status === 'synced') {
          off();
          resolve();
        } else if (e.status === 'error' || this.conn.destroyed) {
          off();
          reject(new Error(`sync ${this.docName}: ${e.reason ?? e.status}`));
        }
      });
    });
  }

  connect(): void {
    this.conn.connect();
  }

  /** Close the connection and stop reconnecting (local edits keep accumulating in the doc). */
  disconnect(): void {
    this.conn.disconnect();
  }

  destroy(): void {
    if (this.conn.destroyed) return;
    this.conn.destroy();
    this.conn.setStatus({ status: 'disconnected', reason: 'destroyed' }); // settles pending whenSynced()
    this.doc.off('update', this.onDocUpdate);
    if (this.awareness) {
      this.awareness.off('update', this.onAwarenessUpdate);
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy');
    }
    this.conn.clearListeners();
    this.deniedListeners.clear();
  }

  private send(frame: Uint8Array): void {
    this.conn.send(frame);
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
        if (kind === SYNC_STEP2 && this.conn.status !== 'synced') this.conn.setStatus({ status: 'synced' });
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
