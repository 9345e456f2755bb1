/**
 * One WebSocket per campaign carrying many documents (the relay's multiplexed path `/<campaignId>`; framing in
 * `protocol.ts` and apps/sync-server/CONTEXT.md). Each attached document runs the ordinary y-protocols sync
 * and awareness exchange inside `MUX_DOC` frames; the relay checks permissions per document, lists the
 * documents the token may read (`onDocs`) and lets a player create journal/intents documents it then owns.
 * Reconnects with backoff; 401/403 on the upgrade and fatal close codes stop it (status `error`).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { parseDocName } from './doc-names';
import { SyncInputError } from './errors';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  MUX_ACCESS_WRITE,
  MUX_DOC,
  MUX_DOCS,
  MUX_FLAG_CREATE,
  MUX_REFUSED,
  MUX_SUBPROTOCOL,
  MUX_SUBSCRIBE,
  MUX_SUBSCRIBED,
  MUX_UNSUBSCRIBE,
  SYNC_STEP2,
  relayMuxUrl,
} from './protocol';
import {
  RelayConnection,
  type RelayConnectionOptions,
  type SyncStatus,
  type SyncStatusEvent,
} from './connection';
import { readRelayTokenClaims, type RelayTokenClaims } from './token';

export interface MuxSyncProviderOptions extends RelayConnectionOptions {
  /** Defaults to the token's campaign (a different one is refused). */
  campaign?: string;
  /**
   * Transaction origin of every update applied from the relay, for all documents of this provider (default
   * `{ kind: 'remote', author: <token user> }`, one object per provider). Updates with it are not sent back.
   */
  remoteOrigin?: object;
}

export interface MuxAttachOptions {
  /** Never send this document's updates (local edits stay local). Default false. */
  readOnly?: boolean;
  awareness?: awarenessProtocol.Awareness;
  /**
   * Ask the relay to create the document if it holds none (a player then owns a new journal or intents
   * document). Default: `!readOnly`.
   */
  create?: boolean;
}

export type MuxDocStatus = 'pending' | 'subscribed' | 'synced' | 'refused';

export interface MuxDocStatusEvent {
  docName: string;
  status: MuxDocStatus;
  /** What the relay grants (after `subscribed`). */
  access?: 'read' | 'write';
  /** For `refused`: HTTP-like status and reason. */
  code?: number;
  reason?: string;
}

interface Attached {
  name: string;
  doc: Y.Doc;
  readOnly: boolean;
  create: boolean;
  awareness: awarenessProtocol.Awareness | undefined;
  status: MuxDocStatus;
  access: 'read' | 'write' | undefined;
  refusal: { code: number; reason: string } | undefined;
  /** The relay holds nothing for it yet (404): subscribe again when it is listed. */
  waiting: boolean;
  onUpdate: (update: Uint8Array, origin: unknown) => void;
  onAwareness: (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;
}

type Listener<T> = (value: T) => void;

export class MuxSyncProvider {
  readonly claims: RelayTokenClaims;
  readonly campaign: string;
  readonly remoteOrigin: object;
  private readonly conn: RelayConnection;
  private readonly attached = new Map<string, Attached>();
  private readonly listed = new Set<string>();
  private readonly docStatusListeners = new Set<Listener<MuxDocStatusEvent>>();
  private readonly docsListeners = new Set<Listener<string[]>>();
  private readonly deniedListeners = new Set<(docName: string, reason: string) => void>();

  constructor(opts: MuxSyncProviderOptions) {
    this.claims = readRelayTokenClaims(opts.token);
    this.campaign = opts.campaign ?? this.claims.campaign;
    if (this.campaign !== this.claims.campaign) {
      throw new SyncInputError(
        'campaign',
        `token is for campaign ${this.claims.campaign}, not ${this.campaign}`,
      );
    }
    this.remoteOrigin = opts.remoteOrigin ?? { kind: 'remote', author: this.claims.user };
    const campaign = this.campaign;
    relayMuxUrl(opts.relayUrl, campaign); // validates the URL now, not on first connect
    this.conn = new RelayConnection(opts, {
      name: campaign,
      url: (token) => relayMuxUrl(opts.relayUrl, campaign, token),
      subprotocol: MUX_SUBPROTOCOL,
      onOpen: () => {
        for (const a of this.attached.values()) this.subscribe(a);
        this.maybeSynced();
      },
      onFrame: (bytes) => this.onFrame(bytes),
      onLost: () => this.connectionLost(),
    });
    if (opts.connect ?? true) this.connect();
  }

  get status(): SyncStatus {
    return this.conn.status;
  }

  private get destroyed(): boolean {
    return this.conn.destroyed;
  }

  private get isOpen(): boolean {
    return this.conn.isOpen;
  }

  // ---- documents ------------------------------------------------------------------------------------------

  /** Start syncing `doc` as `docName` over this connection. Throws `SyncInputError` for a bad or duplicate name. */
  attach(docName: string, doc: Y.Doc, options: MuxAttachOptions = {}): void {
    if (this.destroyed) throw new Error(`sync ${this.campaign}: provider destroyed`);
    const parts = parseDocName(docName);
    if (parts.campaign !== this.campaign) {
      throw new SyncInputError('docName', `${docName} is not in campaign ${this.campaign}`);
    }
    if (this.attached.has(docName)) throw new SyncInputError('docName', `${docName} is already attached`);
    const readOnly = options.readOnly ?? false;
    const a: Attached = {
      name: docName,
      doc,
      readOnly,
      create: options.create ?? !readOnly,
      awareness: options.awareness,
      status: 'pending',
      access: undefined,
      refusal: undefined,
      waiting: false,
      onUpdate: (update, origin) => {
        if (origin === this.remoteOrigin || !this.writable(a) || a.status === 'pending') return;
        this.sendDoc(a.name, (e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeUpdate(e, update);
        });
      },
      onAwareness: (changes, origin) => {
        if (origin === this.remoteOrigin || a.status === 'pending' || a.status === 'refused') return;
        const changed = [...changes.added, ...changes.updated, ...changes.removed];
        if (changed.length > 0) this.sendAwareness(a, changed);
      },
    };
    this.attached.set(docName, a);
    doc.on('update', a.onUpdate);
    a.awareness?.on('update', a.onAwareness);
    if (this.isOpen) this.subscribe(a);
  }

  /** Stop syncing `docName` (the document itself is left as it is). */
  detach(docName: string): void {
    const a = this.attached.get(docName);
    if (!a) return;
    this.attached.delete(docName);
    a.doc.off('update', a.onUpdate);
    if (a.awareness) {
      a.awareness.off('update', a.onAwareness);
      this.dropRemotePresence(a);
    }
    if (this.isOpen) {
      this.sendRaw(
        frame(MUX_UNSUBSCRIBE, (e) => {
          encoding.writeVarString(e, docName);
        }),
      );
    }
    this.maybeSynced();
  }

  /** Names of attached documents. */
  attachedDocs(): string[] {
    return [...this.attached.keys()];
  }

  /** Documents the relay listed (those the token may read that it holds), as far as heard so far. */
  docs(): string[] {
    return [...this.listed];
  }

  /** Called with newly listed document names: the whole list after (re)connecting, then each new one. */
  onDocs(cb: Listener<string[]>): () => void {
    this.docsListeners.add(cb);
    return () => this.docsListeners.delete(cb);
  }

  docStatus(docName: string): MuxDocStatusEvent | undefined {
    const a = this.attached.get(docName);
    if (!a) return undefined;
    return {
      docName,
      status: a.status,
      ...(a.access ? { access: a.access } : {}),
      ...(a.refusal ? { code: a.refusal.code, reason: a.refusal.reason } : {}),
    };
  }

  /** What the relay granted on `docName` (undefined until subscribed). */
  accessOf(docName: string): 'read' | 'write' | undefined {
    return this.attached.get(docName)?.access;
  }

  // ---- events ---------------------------------------------------------------------------------------------

  /** Connection status (`docName` is the campaign id). `synced`: every attached document synced. */
  onStatus(cb: Listener<SyncStatusEvent>): () => void {
    return this.conn.onStatus(cb);
  }

  onDocStatus(cb: Listener<MuxDocStatusEvent>): () => void {
    this.docStatusListeners.add(cb);
    return () => this.docStatusListeners.delete(cb);
  }

  /** The relay refused a write to a read-only document; arguments: the document and the relay's reason. */
  onPermissionDenied(cb: (docName: string, reason: string) => void): () => void {
    this.deniedListeners.add(cb);
    return () => this.deniedListeners.delete(cb);
  }

  /**
   * Resolves when every attached document has synced since the last connect; rejects when one is refused,
   * on a fatal error, or on destroy.
   */
  whenSynced(): Promise<void> {
    const check = (): 'ok' | string | undefined => {
      if (this.destroyed) return `sync ${this.campaign}: provider destroyed`;
      if (this.conn.status === 'error') return `sync ${this.campaign}: connection refused or closed for good`;
      for (const a of this.attached.values()) {
        if (a.status === 'refused') return `sync ${a.name}: ${a.refusal?.reason ?? 'refused'}`;
      }
      if (!this.isOpen) return undefined;
      for (const a of this.attached.values()) if (a.status !== 'synced') return undefined;
      return 'ok';
    };
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        const r = check();
        if (r === undefined) return false;
        if (r === 'ok') resolve();
        else reject(new Error(r));
        return true;
      };
      if (settle()) return;
      const offs = [this.onStatus(() => settle() && offAll()), this.onDocStatus(() => settle() && offAll())];
      const offAll = (): void => {
        for (const off of offs) off();
      };
    });
  }

  /** Resolves when `docName` has synced (since the last connect); rejects if it is refused. */
  whenDocSynced(docName: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        const a = this.attached.get(docName);
        if (!a || this.destroyed) {
          reject(new Error(`sync ${docName}: not attached`));
          return true;
        }
        if (a.status === 'synced') resolve();
        else if (a.status === 'refused')
          reject(new Error(`sync ${docName}: ${a.refusal?.reason ?? 'refused'}`));
        else if (this.conn.status === 'error') reject(new Error(`sync ${docName}: connection failed`));
        else return false;
        return true;
      };
      if (settle()) return;
      const offs = [this.onDocStatus(() => settle() && offAll()), this.onStatus(() => settle() && offAll())];
      const offAll = (): void => {
        for (const off of offs) off();
      };
    });
  }

  // ---- connection -----------------------------------------------------------------------------------------

  connect(): void {
    this.conn.connect();
  }

  /** Close the connection and stop reconnecting (local edits keep accumulating in the documents). */
  disconnect(): void {
    this.conn.disconnect();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.conn.destroy();
    for (const name of [...this.attached.keys()]) {
      const a = this.attached.get(name)!;
      a.doc.off('update', a.onUpdate);
      if (a.awareness) {
        a.awareness.off('update', a.onAwareness);
        awarenessProtocol.removeAwarenessStates(a.awareness, [a.doc.clientID], 'destroy');
      }
    }
    this.attached.clear();
    this.conn.setStatus({ status: 'disconnected', reason: 'destroyed' }); // settles pending promises
    this.conn.clearListeners();
    this.docStatusListeners.clear();
    this.docsListeners.clear();
    this.deniedListeners.clear();
  }

  private writable(a: Attached): boolean {
    return !a.readOnly && a.access !== 'read';
  }

  private setDocStatus(a: Attached, status: MuxDocStatus): void {
    a.status = status;
    const e = this.docStatus(a.name);
    if (e) for (const cb of [...this.docStatusListeners]) cb(e);
    this.maybeSynced();
  }

  private maybeSynced(): void {
    if (!this.isOpen) return;
    for (const a of this.attached.values()) if (a.status !== 'synced' && a.status !== 'refused') return;
    if (this.conn.status !== 'synced') this.conn.setStatus({ status: 'synced' });
  }

  /** Every document goes back to `pending` (re-subscribed on reconnect); remote presence is dropped. */
  private connectionLost(): void {
    for (const a of this.attached.values()) {
      a.status = 'pending';
      a.access = undefined;
      a.refusal = undefined;
      a.waiting = false;
      this.dropRemotePresence(a);
    }
  }

  private dropRemotePresence(a: Attached): void {
    if (!a.awareness) return;
    const others = [...a.awareness.getStates().keys()].filter((id) => id !== a.doc.clientID);
    if (others.length > 0) awarenessProtocol.removeAwarenessStates(a.awareness, others, this.remoteOrigin);
  }

  private subscribe(a: Attached): void {
    this.sendRaw(
      frame(MUX_SUBSCRIBE, (e) => {
        encoding.writeVarString(e, a.name);
        encoding.writeVarUint(e, a.create ? MUX_FLAG_CREATE : 0);
      }),
    );
  }

  private sendRaw(bytes: Uint8Array): void {
    this.conn.send(bytes);
  }

  private sendDoc(name: string, write: (e: encoding.Encoder) => void): void {
    this.sendRaw(
      frame(MUX_DOC, (e) => {
        encoding.writeVarString(e, name);
        write(e);
      }),
    );
  }

  private sendAwareness(a: Attached, clients: number[]): void {
    if (!a.awareness) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(a.awareness, clients);
    this.sendDoc(a.name, (e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, update);
    });
  }

  private onFrame(bytes: Uint8Array): void {
    const dec = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MUX_DOC: {
        const name = decoding.readVarString(dec);
        const a = this.attached.get(name);
        if (a) this.onDocFrame(a, dec);
        return;
      }
      case MUX_SUBSCRIBED: {
        const name = decoding.readVarString(dec);
        const access = decoding.readVarUint(dec) === MUX_ACCESS_WRITE ? 'write' : 'read';
        const a = this.attached.get(name);
        if (!a) return;
        a.access = access;
        this.setDocStatus(a, 'subscribed');
        // Ask for what we lack; the relay asks writers for what it lacks (answered in onDocFrame).
        this.sendDoc(name, (e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep1(e, a.doc);
        });
        if (a.awareness && a.awareness.getLocalState() !== null) this.sendAwareness(a, [a.doc.clientID]);
        return;
      }
      case MUX_REFUSED: {
        const name = decoding.readVarString(dec);
        const code = decoding.readVarUint(dec);
        const reason = decoding.readVarString(dec);
        const a = this.attached.get(name);
        if (!a) return;
        if (code === 404) {
          // Readable but nobody has written it yet: in sync with the relay (it has nothing). Subscribed again
          // when the relay lists it.
          a.waiting = true;
          a.access = 'read';
          this.setDocStatus(a, 'synced');
          return;
        }
        a.refusal = { code, reason };
        this.setDocStatus(a, 'refused');
        return;
      }
      case MUX_DOCS: {
        const n = decoding.readVarUint(dec);
        const fresh: string[] = [];
        for (let i = 0; i < n; i++) {
          const name = decoding.readVarString(dec);
          if (!this.listed.has(name)) {
            this.listed.add(name);
            fresh.push(name);
          }
          const a = this.attached.get(name);
          if (a?.waiting) {
            a.waiting = false;
            this.subscribe(a);
          }
        }
        if (fresh.length > 0) for (const cb of [...this.docsListeners]) cb(fresh);
        return;
      }
      default:
        throw new Error(`unknown mux message type ${type}`);
    }
  }

  private onDocFrame(a: Attached, dec: decoding.Decoder): void {
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MESSAGE_SYNC: {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MUX_DOC);
        encoding.writeVarString(enc, a.name);
        encoding.writeVarUint(enc, MESSAGE_SYNC);
        const before = encoding.length(enc);
        const kind = syncProtocol.readSyncMessage(dec, enc, a.doc, this.remoteOrigin);
        // Reply to the relay's step 1 with what it lacks, unless we may not write.
        if (encoding.length(enc) > before && this.writable(a)) this.sendRaw(encoding.toUint8Array(enc));
        if (kind === SYNC_STEP2 && a.status !== 'synced') this.setDocStatus(a, 'synced');
        return;
      }
      case MESSAGE_AWARENESS:
        if (a.awareness) {
          awarenessProtocol.applyAwarenessUpdate(
            a.awareness,
            decoding.readVarUint8Array(dec),
            this.remoteOrigin,
          );
        }
        return;
      case MESSAGE_QUERY_AWARENESS:
        // Only our own presence: the relay ignores states of client ids owned by other connections.
        if (a.awareness && a.awareness.getLocalState() !== null) this.sendAwareness(a, [a.doc.clientID]);
        return;
      case MESSAGE_AUTH:
        if (decoding.readVarUint(dec) === 0) {
          const reason = decoding.readVarString(dec);
          for (const cb of [...this.deniedListeners]) cb(a.name, reason);
        }
        return;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }
}

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
