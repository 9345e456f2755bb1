/**
 * The relay: HTTP server with `/healthz`, WebSocket upgrade with token auth, one room per document, the
 * y-websocket sync + awareness protocol with a permission check on every frame, SQLite persistence.
 *
 * Two kinds of WebSocket (a "peer"): the stock per-document path `/<campaign>/<kind>/<docId>` (one document),
 * and the multiplexed path `/<campaign>` carrying many documents (framing in CONTEXT.md and core's
 * `protocol.ts`). A peer's membership of one room is a "sub"; permissions, presence ownership and fan-out are
 * per sub, rate limits and caps per peer.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
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
  MUX_SUBSCRIBE,
  MUX_SUBSCRIBED,
  MUX_SUBPROTOCOL,
  MUX_UNSUBSCRIBE,
  PLAYER_CREATABLE_KINDS,
  SYNC_ID_PATTERN,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_SUBPROTOCOL,
  SYNC_UPDATE,
  TOKEN_SUBPROTOCOL_PREFIX,
  accessFor,
  parseDocName,
  sendInTick,
  verifyRelayToken,
  type Access,
  type DocNameParts,
  type RelayTokenClaims,
} from '@loreforge/core/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { resolveRelayOptions, type RelayOptions, type ResolvedRelayOptions } from './config';
import { jsonLogger, type LogFields, type RelayLogger } from './logger';
import { TokenBucket } from './rate-limit';
import { RelayStore, type AuditEntry } from './store';

/** Longest `setTimeout` delay Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Most client entries one awareness frame may carry (a frame with more is a protocol error). */
const MAX_AWARENESS_ENTRIES_PER_FRAME = 64;

/** One WebSocket. */
interface Peer {
  id: number;
  ws: WebSocket;
  /** Multiplexed (`/<campaign>`) or a stock per-document connection. */
  mux: boolean;
  claims: RelayTokenClaims;
  /** `campaign\0user`: the key of the per-user connection cap. */
  userKey: string;
  remote: string;
  alive: boolean;
  subs: Map<string, Sub>;
  awarenessCount: number;
  messages: TokenBucket;
  bytes: TokenBucket;
  presence: TokenBucket;
  answers: TokenBucket;
  answerBytes: TokenBucket;
  /** Refusal state, created at the first refused write (most connections never have one). */
  refusing:
    | {
        bucket: TokenBucket;
        pending: { count: number; bytes: number; docs: Set<string> };
        notified: Set<string>;
      }
    | undefined;
  /** Refused writes not yet written to the audit log. */
  expiryTimer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
}

/** A peer's membership of one room. */
interface Sub {
  peer: Peer;
  room: Room;
  access: Access;
  /** Awareness client ids this sub owns in the room. */
  awarenessIds: Set<number>;
  /** Presence budget for this document (created at its first presence frame). */
  presence: TokenBucket | undefined;
  /** Presence entries held back by the budget: the latest per client id, applied when it allows. */
  held: Map<number, PresenceEntry> | undefined;
  heldTimer: ReturnType<typeof setTimeout> | undefined;
}

/** One client's entry of an awareness update, validated; `state` undefined for null. */
interface PresenceEntry {
  id: number;
  clock: number;
  state: Record<string, unknown> | null;
}

interface Room {
  name: string;
  campaign: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  subs: Set<Sub>;
  /** Which sub first claimed which awareness client id (released when it leaves or sets its state to null). */
  awarenessOwner: Map<number, Sub>;
  sinceCompact: number;
  /** Something is stored for this document. */
  stored: boolean;
  /** `MUX_DOC` + name: prefix of this room's frames on multiplexed connections. */
  muxPrefix: Uint8Array;
  /** While an incoming update is applied: the updates it produced, published only if it applies whole. */
  applying: Uint8Array[] | undefined;
  onDocUpdate: (update: Uint8Array, origin: unknown) => void;
}

export interface RelayStats {
  rooms: number;
  /** Open WebSockets (per-document and multiplexed). */
  connections: number;
  /** Document subscriptions over all connections. */
  subscriptions: number;
  refusedWrites: number;
  refusedUpgrades: number;
  /** Awareness entries ignored: id owned by another connection, over a cap, or too large. */
  presenceIgnored: number;
  /** Presence frames held back (coalesced) because the connection or document exceeded its presence rate. */
  presenceThrottled: number;
  /** Updates that decoded but failed to apply (never published). */
  rejectedUpdates: number;
}

export interface Relay {
  /** `ws://host:port` (append `/<docName>?token=…`, or `/<campaign>?token=…` to multiplex). */
  readonly url: string;
  readonly port: number;
  readonly store: RelayStore;
  stats(): RelayStats;
  /** Close every connection (1001), compact and close the database. */
  close(): Promise<void>;
}

const LOAD_ORIGIN = Symbol('relay-load');

class BadFrame extends Error {}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const logger = options.logger ?? jsonLogger((line) => process.stdout.write(line));
  const opts = resolveRelayOptions(options, logger);
  verifyRelayToken('x.y', opts.secret, 0); // throws now if the secret is unusable
  const store = new RelayStore(opts.dataDir, opts.now);
  const relay = new RelayServer(opts, store);
  await relay.listen();
  return relay;
}

class RelayServer implements Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly peers = new Set<Peer>();
  private readonly peersByUser = new Map<string, number>();
  private readonly peersByIp = new Map<string, number>();
  private readonly pendingByIp = new Map<string, number>();
  /** Sockets still waiting for their request (all addresses). */
  private pendingTotal = 0;
  /** Open WebSockets of everyone but the DM (the total cap). */
  private nonDmPeers = 0;
  private readonly muxPeers = new Map<string, Set<Peer>>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly log: RelayLogger;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private auditTimer: ReturnType<typeof setInterval> | undefined;
  private nextPeerId = 1;
  private readonly refusalBuckets = new Map<string, TokenBucket>();
  private counters = {
    refusedWrites: 0,
    refusedUpgrades: 0,
    presenceIgnored: 0,
    presenceThrottled: 0,
    rejectedUpdates: 0,
  };
  private closing = false;
  url = '';
  port = 0;

  constructor(
    private readonly opts: ResolvedRelayOptions,
    readonly store: RelayStore,
  ) {
    this.log = opts.logger;
    this.http = createServer(
      {
        // Slow or silent clients: no complete request headers by the deadline → the socket is closed.
        headersTimeout: opts.limits.upgradeDeadlineMs,
        requestTimeout: opts.limits.upgradeDeadlineMs * 2,
        connectionsCheckingInterval: Math.min(1000, opts.limits.upgradeDeadlineMs),
      },
      (req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ ok: true, ...this.stats() }));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ok: false,
            error: 'not found: connect with a WebSocket to /<campaign>/<kind>/<docId> or /<campaign>',
          }),
        );
      },
    );
    this.http.on('connection', (socket: Socket) => this.onSocket(socket));
    this.http.on('request', (req: IncomingMessage) => this.socketPassed(req.socket));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxMessageBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => {
        if (protocols.has(SYNC_SUBPROTOCOL)) return SYNC_SUBPROTOCOL;
        if (protocols.has(MUX_SUBPROTOCOL)) return MUX_SUBPROTOCOL;
        for (const p of protocols) if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return p;
        return false;
      },
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    this.http.on('clientError', (err, socket) => {
      this.log.log('warn', 'http.client_error', { error: err.message });
      socket.destroy();
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, this.opts.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const addr = this.http.address() as AddressInfo;
    this.port = addr.port;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.url = `ws://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
    this.pingTimer = setInterval(() => this.pingAll(), this.opts.pingIntervalMs);
    this.pingTimer.unref();
    this.auditTimer = setInterval(() => this.flushRefusalAudits(), this.opts.limits.refusalAuditIntervalMs);
    this.auditTimer.unref();
    this.log.log('info', 'relay.listening', { url: this.url, dataDir: this.opts.dataDir });
  }

  stats(): RelayStats {
    let subscriptions = 0;
    for (const p of this.peers) subscriptions += p.subs.size;
    return { rooms: this.rooms.size, connections: this.peers.size, subscriptions, ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.auditTimer) clearInterval(this.auditTimer);
    this.flushRefusalAudits();
    for (const peer of [...this.peers]) this.dropPeer(peer, CLOSE_CODES.goingAway, 'relay shutting down');
    for (const room of [...this.rooms.values()]) this.unloadRoom(room);
    this.wss.close();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections(); // idle keep-alive HTTP connections would otherwise hold close() open
    await closed;
    this.store.close();
    this.log.log('info', 'relay.closed', {});
  }

  // ---- raw sockets: per-address pending cap and the upgrade deadline ---------------------------------------

  private readonly socketState = new WeakMap<Socket, { ip: string; timer: ReturnType<typeof setTimeout> }>();

  private onSocket(socket: Socket): void {
    const ip = socket.remoteAddress ?? 'unknown';
    const pending = (this.pendingByIp.get(ip) ?? 0) + 1;
    if (
      pending > this.opts.limits.maxPendingSocketsPerIp ||
      this.pendingTotal >= this.opts.limits.maxPendingSockets
    ) {
      this.counters.refusedUpgrades++;
      socket.destroy();
      return;
    }
    this.pendingByIp.set(ip, pending);
    this.pendingTotal++;
    const timer = setTimeout(() => {
      this.socketPassed(socket);
      socket.destroy();
    }, this.opts.limits.upgradeDeadlineMs);
    timer.unref();
    this.socketState.set(socket, { ip, timer });
    socket.once('close', () => this.socketPassed(socket));
  }

  /** The socket sent its request (or went away): it no longer counts as pending. */
  private socketPassed(socket: Socket | Duplex): void {
    const st = this.socketState.get(socket as Socket);
    if (!st) return;
    this.socketState.delete(socket as Socket);
    clearTimeout(st.timer);
    this.pendingTotal--;
    const n = (this.pendingByIp.get(st.ip) ?? 1) - 1;
    if (n <= 0) this.pendingByIp.delete(st.ip);
    else this.pendingByIp.set(st.ip, n);
  }

  // ---- upgrade & auth -------------------------------------------------------------------------------------

  /**
   * Refused upgrades are logged and audited at most ~1/s per remote address (burst 20), so a stream of bad
   * attempts cannot fill the disk; all of them are counted in `stats().refusedUpgrades`.
   */
  private refusalBudget(remote: string): TokenBucket {
    let bucket = this.refusalBuckets.get(remote);
    if (!bucket) {
      if (this.refusalBuckets.size > 10_000) this.refusalBuckets.clear();
      bucket = new TokenBucket(1, 20, this.opts.monotonic);
      this.refusalBuckets.set(remote, bucket);
    }
    return bucket;
  }

  private refuse(
    socket: Duplex,
    status: number,
    reason: string,
    audit: AuditEntry,
    fields: LogFields = {},
  ): void {
    this.counters.refusedUpgrades++;
    if (this.refusalBudget(audit.remote ?? '').take(1)) {
      this.log.log('warn', 'upgrade.refused', {
        status,
        reason,
        ...fields,
        doc: audit.doc,
        remote: audit.remote,
      });
      this.store.audit({ ...audit, event: 'upgrade.refused', detail: `${status} ${reason}` });
    }
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.once('finish', () => socket.destroy());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.socketPassed(socket);
    socket.on('error', () => undefined);
    const remote = req.socket.remoteAddress ?? 'unknown';
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    let docPath: string;
    try {
      docPath = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
    } catch {
      docPath = url.pathname.slice(1);
    }
    const audit: AuditEntry = { event: 'upgrade', doc: docPath.slice(0, 300), remote };
    if (this.closing) return this.refuse(socket, 503, 'relay shutting down', audit);

    const fromQuery = url.searchParams.get('token') ?? undefined;
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
    const token = fromQuery ?? offered?.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    const check = verifyRelayToken(token, this.opts.secret, this.opts.now());
    if (!check.ok) return this.refuse(socket, 401, check.message, audit, { failure: check.failure });
    const claims = check.claims;
    const who: AuditEntry = { ...audit, campaign: claims.campaign, user: claims.user, role: claims.role };

    // `/<campaign>`: a multiplexed connection; `/<campaign>/<kind>/<docId>`: one document.
    const mux = !docPath.includes('/');
    let parts: DocNameParts | undefined;
    let access: Access = 'none';
    if (mux) {
      if (!SYNC_ID_PATTERN.test(docPath)) return this.refuse(socket, 400, 'not a campaign id', who);
      if (docPath !== claims.campaign) {
        return this.refuse(socket, 403, `token is for campaign ${claims.campaign}, not ${docPath}`, who);
      }
    } else {
      try {
        parts = parseDocName(docPath);
      } catch (err) {
        return this.refuse(socket, 400, (err as Error).message, who);
      }
      if (parts.campaign !== claims.campaign) {
        return this.refuse(
          socket,
          403,
          `token is for campaign ${claims.campaign}, not ${parts.campaign}`,
          who,
        );
      }
      access = this.resolveAccess(claims, parts, docPath, false).access;
      if (access === 'none' && !this.mayCreate(claims, parts, docPath)) {
        return this.refuse(socket, 403, `role ${claims.role} may not read ${parts.kind} ${parts.docId}`, who);
      }
    }
    const capped = this.capFor(claims, remote);
    if (capped) return this.refuse(socket, capped.status, capped.reason, who);
    if (parts) access = this.resolveAccess(claims, parts, docPath, true).access;

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const peer = this.openPeer(ws, claims, remote, mux);
      try {
        if (parts) this.attach(peer, docPath, access);
        else this.openMux(peer);
      } catch (err) {
        // Never let one connection's failure (e.g. a storage error) take the relay down.
        this.log.log('error', 'conn.open_failed', { ...this.who(peer), error: (err as Error).message });
        this.dropPeer(peer, 1011, 'internal error');
      }
    });
  }

  /** Connection caps: the DM is only bound by its own per-user cap, everyone else by all three. */
  private capFor(claims: RelayTokenClaims, remote: string): { status: number; reason: string } | undefined {
    const l = this.opts.limits;
    const userKey = `${claims.campaign}\0${claims.user}`;
    const mine = this.peersByUser.get(userKey) ?? 0;
    if (claims.role === 'dm') {
      if (mine >= l.maxConnectionsPerDm) return { status: 429, reason: 'too many connections for this user' };
      return undefined;
    }
    if (mine >= l.maxConnectionsPerUser) return { status: 429, reason: 'too many connections for this user' };
    if ((this.peersByIp.get(remote) ?? 0) >= l.maxConnectionsPerIp) {
      return { status: 429, reason: 'too many connections from this address' };
    }
    if (this.nonDmPeers >= this.opts.maxConnections) return { status: 503, reason: 'too many connections' };
    return undefined;
  }

  /** Whether `claims` may create `name` (a player's new journal/intents document nobody holds yet). */
  private mayCreate(claims: RelayTokenClaims, parts: DocNameParts, name: string): boolean {
    return (
      claims.role === 'player' &&
      PLAYER_CREATABLE_KINDS.has(parts.kind) &&
      this.store.owner(name) === undefined &&
      !this.docExists(name)
    );
  }

  private docExists(name: string): boolean {
    const room = this.rooms.get(name);
    if (room) return room.stored;
    return this.store.hasDoc(name);
  }

  /**
   * The token's access to `name`: the permission table, plus ownership of player-created documents recorded
   * by the relay. With `create`, a player's first claim of a creatable document that does not exist records
   * them as its creator (and owner).
   */
  private resolveAccess(
    claims: RelayTokenClaims,
    parts: DocNameParts,
    name: string,
    create: boolean,
  ): { access: Access; created: boolean } {
    const access = accessFor(claims.role, parts.kind, parts.docId, claims.owns);
    if (access === 'write' || claims.role !== 'player' || !PLAYER_CREATABLE_KINDS.has(parts.kind)) {
      return { access, created: false };
    }
    const owner = this.store.owner(name);
    if (owner !== undefined) return { access: owner === claims.user ? 'write' : access, created: false };
    if (!create || this.docExists(name)) return { access, created: false };
    this.store.setOwner(name, claims.campaign, claims.user);
    this.log.log('info', 'doc.created', { doc: name, user: claims.user });
    this.store.audit({
      event: 'doc.created',
      doc: name,
      campaign: claims.campaign,
      user: claims.user,
      role: claims.role,
    });
    return { access: 'write', created: true };
  }

  // ---- rooms ----------------------------------------------------------------------------------------------

  private getRoom(name: string): Room {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const doc = new Y.Doc({ gc: true });
    const stored = this.store.load(name);
    if (stored) Y.applyUpdate(doc, stored, LOAD_ORIGIN);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const room: Room = {
      name,
      campaign: name.slice(0, name.indexOf('/')),
      doc,
      awareness,
      subs: new Set(),
      awarenessOwner: new Map(),
      sinceCompact: 0,
      stored: stored !== undefined,
      muxPrefix: frameOf(MUX_DOC, (e) => encoding.writeVarString(e, name)),
      applying: undefined,
      onDocUpdate: (update: Uint8Array, origin: unknown) => {
        if (origin === LOAD_ORIGIN) return;
        if (room.applying) room.applying.push(update);
        else this.publishUpdate(room, update, origin);
      },
    };
    doc.on('update', room.onDocUpdate);
    awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        // Like the reference server, presence goes to every subscriber, the sender included (stock clients
        // close a connection that stays silent for 30 s, and their own echoed renewals keep it open).
        const changed = [...added, ...updated, ...removed];
        const frame = frameOf(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed)),
        );
        this.broadcast(room, frame, undefined);
      },
    );
    this.rooms.set(name, room);
    return room;
  }

  /** Persist and fan out one update that was applied to the room's document. */
  private publishUpdate(room: Room, update: Uint8Array, origin: unknown): void {
    this.store.append(room.name, update);
    if (!room.stored) {
      room.stored = true;
      this.docAppeared(room);
    }
    const frame = frameOf(MESSAGE_SYNC, (e) => {
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
    });
    this.broadcast(room, frame, origin);
    // After the fan-out: a compaction (state encoded and written) must not hold up the update it follows.
    if (++room.sinceCompact >= this.opts.compactEvery) this.compactRoom(room);
  }

  private broadcast(room: Room, frame: Uint8Array, except: unknown): void {
    let muxFrame: Uint8Array | undefined;
    for (const s of room.subs) {
      if (s === except) continue;
      if (s.peer.mux) {
        muxFrame ??= concat(room.muxPrefix, frame);
        this.sendRaw(s.peer, muxFrame);
      } else this.sendRaw(s.peer, frame);
    }
  }

  /**
   * Replace a room's document by what is stored: after an update that failed half-way, the in-memory
   * document may hold part of it (never published, so the store and every client are without it).
   */
  private reloadRoom(room: Room): void {
    room.doc.off('update', room.onDocUpdate);
    const doc = new Y.Doc({ gc: true });
    const stored = this.store.load(room.name);
    if (stored) Y.applyUpdate(doc, stored, LOAD_ORIGIN);
    doc.on('update', room.onDocUpdate);
    room.doc = doc; // the old document is not destroyed: the room's awareness listens to its 'destroy'
  }

  private compactRoom(room: Room): void {
    if (room.sinceCompact === 0 && this.store.pendingUpdates(room.name) === 0) return;
    this.store.compact(room.name, Y.encodeStateAsUpdate(room.doc));
    room.sinceCompact = 0;
  }

  private unloadRoom(room: Room): void {
    this.compactRoom(room);
    room.awareness.destroy();
    room.doc.destroy();
    this.rooms.delete(room.name);
  }

  // ---- document listing (multiplexed connections) ---------------------------------------------------------

  /** A document got its first stored update: tell the campaign's multiplexed peers that may read it. */
  private docAppeared(room: Room): void {
    const peers = this.muxPeers.get(room.campaign);
    if (!peers) return;
    const parts = parseDocName(room.name);
    const frame = frameOf(MUX_DOCS, (e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, room.name);
    });
    for (const peer of peers) {
      if (this.resolveAccess(peer.claims, parts, room.name, false).access !== 'none')
        this.sendRaw(peer, frame);
    }
  }

  private sendListing(peer: Peer): void {
    const names = this.store.listDocs(peer.claims.campaign);
    for (const room of this.rooms.values()) {
      if (room.campaign === peer.claims.campaign && room.stored && !names.includes(room.name)) {
        names.push(room.name);
      }
    }
    const readable = names.filter((name) => {
      const parts = tryParse(name);
      return parts !== undefined && this.resolveAccess(peer.claims, parts, name, false).access !== 'none';
    });
    this.sendRaw(
      peer,
      frameOf(MUX_DOCS, (e) => {
        encoding.writeVarUint(e, readable.length);
        for (const n of readable) encoding.writeVarString(e, n);
      }),
    );
  }

  // ---- connections ----------------------------------------------------------------------------------------

  private openPeer(ws: WebSocket, claims: RelayTokenClaims, remote: string, mux: boolean): Peer {
    const rl = this.opts.rateLimit;
    const l = this.opts.limits;
    const now = this.opts.monotonic;
    const peer: Peer = {
      id: this.nextPeerId++,
      ws,
      mux,
      claims,
      userKey: `${claims.campaign}\0${claims.user}`,
      remote,
      alive: true,
      subs: new Map(),
      awarenessCount: 0,
      messages: new TokenBucket(rl.messagesPerSecond, rl.messageBurst, now),
      bytes: new TokenBucket(rl.bytesPerSecond, rl.byteBurst, now),
      presence: new TokenBucket(l.presencePerSecond, l.presenceBurst, now),
      answers: new TokenBucket(l.syncAnswersPerSecond, l.syncAnswersBurst, now),
      answerBytes: new TokenBucket(l.syncAnswerBytesPerSecond, l.syncAnswerBytesBurst, now),
      refusing: undefined,
      expiryTimer: undefined,
      closed: false,
    };
    this.peers.add(peer);
    this.peersByUser.set(peer.userKey, (this.peersByUser.get(peer.userKey) ?? 0) + 1);
    if (claims.role !== 'dm') {
      this.peersByIp.set(remote, (this.peersByIp.get(remote) ?? 0) + 1);
      this.nonDmPeers++;
    }
    this.scheduleExpiry(peer);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(peer, data, isBinary));
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws reports bad frames (and too-large ones, code WS_ERR_UNSUPPORTED_MESSAGE_LENGTH) here and closes.
      this.log.log('warn', 'conn.ws_error', { ...this.who(peer), error: err.message, code: err.code });
      this.store.audit({
        ...this.auditWho(peer),
        event: 'conn.bad_frame',
        detail: `${err.code ?? ''} ${err.message}`,
      });
    });
    ws.on('close', (code: number) => this.onClose(peer, code));
    return peer;
  }

  private openMux(peer: Peer): void {
    const campaign = peer.claims.campaign;
    let set = this.muxPeers.get(campaign);
    if (!set) this.muxPeers.set(campaign, (set = new Set()));
    set.add(peer);
    this.log.log('info', 'conn.open', { ...this.who(peer), mux: true });
    this.store.audit({ ...this.auditWho(peer), event: 'conn.open', detail: 'mux' });
    this.sendListing(peer);
  }

  /** Subscribe `peer` to a document it may read: step 1 to writers, then the room's presence. */
  private attach(peer: Peer, name: string, access: Access): Sub {
    const room = this.getRoom(name);
    const sub: Sub = {
      peer,
      room,
      access,
      awarenessIds: new Set(),
      presence: undefined,
      held: undefined,
      heldTimer: undefined,
    };
    room.subs.add(sub);
    peer.subs.set(name, sub);
    if (!peer.mux) {
      this.log.log('info', 'conn.open', { ...this.who(peer, sub), access });
      this.store.audit({ ...this.auditWho(peer, sub), event: 'conn.open', detail: access });
    } else {
      this.sendRaw(
        peer,
        frameOf(MUX_SUBSCRIBED, (e) => {
          encoding.writeVarString(e, name);
          encoding.writeVarUint(e, access === 'write' ? MUX_ACCESS_WRITE : MUX_ACCESS_READ);
        }),
      );
    }
    // A writer is asked for what the relay lacks; everyone gets the current awareness states.
    if (access === 'write') {
      this.sendTo(
        sub,
        frameOf(MESSAGE_SYNC, (e) => {
          encoding.writeVarUint(e, SYNC_STEP1);
          encoding.writeVarUint8Array(e, Y.encodeStateVector(room.doc));
        }),
      );
    }
    const states = room.awareness.getStates();
    if (states.size > 0) {
      this.sendTo(
        sub,
        frameOf(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(
            e,
            awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]),
          ),
        ),
      );
    }
    return sub;
  }

  /** Leave a room: release the sub's presence ids (their states are removed for everyone). */
  private detach(sub: Sub): void {
    const { room, peer } = sub;
    room.subs.delete(sub);
    peer.subs.delete(room.name);
    if (sub.heldTimer) clearTimeout(sub.heldTimer);
    sub.held = undefined;
    const ids = [...sub.awarenessIds].filter((id) => room.awarenessOwner.get(id) === sub);
    for (const id of ids) room.awarenessOwner.delete(id);
    peer.awarenessCount -= sub.awarenessIds.size;
    sub.awarenessIds.clear();
    if (ids.length > 0 && !this.closing) awarenessProtocol.removeAwarenessStates(room.awareness, ids, sub);
    if (room.subs.size === 0 && !this.closing) this.unloadRoom(room);
  }

  /** Close with 4001 when the token's `exp` passes (re-armed when `exp` is beyond the longest timer). */
  private scheduleExpiry(peer: Peer): void {
    const untilExpiry = peer.claims.exp * 1000 - this.opts.now();
    if (untilExpiry <= 0) return this.dropPeer(peer, CLOSE_CODES.tokenExpired, 'token expired');
    peer.expiryTimer = setTimeout(() => this.scheduleExpiry(peer), Math.min(untilExpiry, MAX_TIMER_MS));
    peer.expiryTimer.unref();
  }

  private docOf(peer: Peer, sub?: Sub): string {
    if (sub) return sub.room.name;
    if (!peer.mux) return [...peer.subs.keys()][0] ?? '';
    return peer.claims.campaign;
  }

  private who(peer: Peer, sub?: Sub): LogFields {
    return {
      conn: peer.id,
      doc: this.docOf(peer, sub),
      user: peer.claims.user,
      role: peer.claims.role,
      remote: peer.remote,
    };
  }

  private auditWho(peer: Peer, sub?: Sub): Omit<AuditEntry, 'event'> {
    const c = peer.claims;
    return {
      doc: this.docOf(peer, sub),
      campaign: c.campaign,
      user: c.user,
      role: c.role,
      remote: peer.remote,
    };
  }

  private onClose(peer: Peer, code: number): void {
    if (peer.closed) return;
    const doc = this.docOf(peer);
    peer.closed = true;
    if (peer.expiryTimer) clearTimeout(peer.expiryTimer);
    this.flushRefusalAudit(peer);
    for (const sub of [...peer.subs.values()]) this.detach(sub);
    this.peers.delete(peer);
    decrement(this.peersByUser, peer.userKey);
    if (peer.claims.role !== 'dm') {
      decrement(this.peersByIp, peer.remote);
      this.nonDmPeers--;
    }
    if (peer.mux) this.muxPeers.get(peer.claims.campaign)?.delete(peer);
    this.log.log('info', 'conn.close', { ...this.who(peer), doc, code });
    if (!this.closing) {
      this.store.audit({ ...this.auditWho(peer), doc, event: 'conn.close', detail: String(code) });
    }
  }

  /** Close with a code (logged and audited unless the relay is shutting down); `terminate` for dead peers. */
  private dropPeer(peer: Peer, code: number, reason: string, terminate = false): void {
    if (peer.closed) return;
    if (!this.closing) {
      this.log.log('warn', 'conn.dropped', { ...this.who(peer), code, reason });
      this.store.audit({ ...this.auditWho(peer), event: 'conn.dropped', detail: `${code} ${reason}` });
    }
    if (terminate) peer.ws.terminate();
    else peer.ws.close(code, reason);
    // Stop processing at once; the socket's own close event may come later.
    this.onClose(peer, code);
  }

  private sendTo(sub: Sub, frame: Uint8Array): void {
    this.sendRaw(sub.peer, sub.peer.mux ? concat(sub.room.muxPrefix, frame) : frame);
  }

  private sendRaw(peer: Peer, frame: Uint8Array): void {
    if (peer.closed || peer.ws.readyState !== WebSocket.OPEN) return;
    if (peer.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.dropPeer(peer, 1013, 'client too slow to receive', true);
      return;
    }
    // Frames for one peer during one tick (a DM action's documents, read from one segment) leave in one write.
    sendInTick(peer.ws, frame);
  }

  private pingAll(): void {
    for (const peer of [...this.peers]) {
      if (!peer.alive) {
        this.dropPeer(peer, 1006, 'idle: no pong to the last ping', true);
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }

  // ---- messages -------------------------------------------------------------------------------------------

  private onMessage(peer: Peer, data: RawData, isBinary: boolean): void {
    if (peer.closed) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!peer.messages.take(1) || !peer.bytes.take(buf.byteLength)) {
      this.dropPeer(peer, CLOSE_CODES.rateLimited, 'rate limit exceeded');
      return;
    }
    if (!isBinary) return this.dropPeer(peer, CLOSE_CODES.unsupportedData, 'text frames are not spoken here');
    if (buf.byteLength > this.opts.maxMessageBytes) {
      return this.dropPeer(peer, CLOSE_CODES.messageTooBig, 'message too big');
    }
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    try {
      if (peer.mux) this.handleMuxFrame(peer, bytes);
      else {
        const sub = peer.subs.values().next().value;
        if (sub) this.handleDocFrame(sub, bytes);
      }
    } catch (err) {
      if (peer.closed) return;
      const reason = err instanceof BadFrame ? err.message : `undecodable frame (${(err as Error).message})`;
      this.dropPeer(peer, CLOSE_CODES.protocolError, reason.slice(0, 120));
    }
  }

  private handleMuxFrame(peer: Peer, frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MUX_DOC: {
        const name = decoding.readVarString(dec);
        const sub = peer.subs.get(name);
        // Frames for a document just unsubscribed (or never subscribed) are dropped.
        if (sub) this.handleDocFrame(sub, frame.subarray(dec.pos));
        return;
      }
      case MUX_SUBSCRIBE: {
        const name = decoding.readVarString(dec);
        const flags = decoding.readVarUint(dec);
        endOfFrame(dec);
        this.subscribe(peer, name, (flags & MUX_FLAG_CREATE) !== 0);
        return;
      }
      case MUX_UNSUBSCRIBE: {
        const name = decoding.readVarString(dec);
        endOfFrame(dec);
        const sub = peer.subs.get(name);
        if (sub) this.detach(sub);
        return;
      }
      default:
        throw new BadFrame(`unknown mux message type ${type}`);
    }
  }

  private subscribe(peer: Peer, name: string, create: boolean): void {
    const refuse = (status: number, reason: string): void => {
      this.sendRaw(
        peer,
        frameOf(MUX_REFUSED, (e) => {
          encoding.writeVarString(e, name.slice(0, 300));
          encoding.writeVarUint(e, status);
          encoding.writeVarString(e, reason);
        }),
      );
    };
    if (peer.subs.has(name)) return; // already subscribed: idempotent
    const parts = tryParse(name);
    if (!parts) return refuse(400, `${JSON.stringify(name.slice(0, 80))} is not a document name`);
    if (parts.campaign !== peer.claims.campaign) {
      return refuse(403, `token is for campaign ${peer.claims.campaign}, not ${parts.campaign}`);
    }
    if (peer.subs.size >= this.opts.limits.maxDocsPerConnection) {
      return refuse(429, `at most ${this.opts.limits.maxDocsPerConnection} documents per connection`);
    }
    const { access } = this.resolveAccess(peer.claims, parts, name, create);
    if (access === 'none')
      return refuse(403, `role ${peer.claims.role} may not read ${parts.kind} ${parts.docId}`);
    // A reader gets no room for a document nobody has written: rooms stay bounded by what exists. It is
    // listed (MUX_DOCS) when its first update is stored, and the client subscribes again then.
    if (access === 'read' && !this.docExists(name)) return refuse(404, `no document ${name} yet`);
    this.attach(peer, name, access);
  }

  private handleDocFrame(sub: Sub, frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    const room = sub.room;
    const peer = sub.peer;
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(dec);
        const payload = decoding.readVarUint8Array(dec);
        endOfFrame(dec);
        if (step === SYNC_STEP1) {
          const reply = Y.encodeStateAsUpdate(room.doc, payload);
          // Amplification bound: a few bytes of state vector can ask for a whole document.
          if (!peer.answers.take(1) || !peer.answerBytes.take(reply.byteLength)) {
            this.dropPeer(peer, CLOSE_CODES.rateLimited, 'too many sync requests');
            return;
          }
          this.sendTo(
            sub,
            frameOf(MESSAGE_SYNC, (e) => {
              encoding.writeVarUint(e, SYNC_STEP2);
              encoding.writeVarUint8Array(e, reply);
            }),
          );
          return;
        }
        if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) throw new BadFrame(`unknown sync step ${step}`);
        if (sub.access !== 'write') return this.refuseWrite(sub, payload.byteLength);
        // All or nothing: a truncated or inconsistent update is never published (see applyWhole), so it
        // needs no separate full decode first (which cost as much as applying it).
        this.applyWhole(sub, payload);
        return;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(dec);
        endOfFrame(dec);
        this.onAwareness(sub, update);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        endOfFrame(dec);
        if (!this.takePresence(sub)) {
          this.counters.presenceThrottled++;
          return;
        }
        const ids = [...room.awareness.getStates().keys()];
        this.sendTo(
          sub,
          frameOf(MESSAGE_AWARENESS, (e) =>
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)),
          ),
        );
        return;
      }
      default:
        throw new BadFrame(`unknown message type ${type}`);
    }
  }

  /**
   * Apply an update so that it either applies whole or not at all: the updates it produces are held back
   * while it applies and published (stored, sent on) only if `applyUpdate` returns. If it throws half-way, the
   * room's document is rebuilt from the store, so nothing of it stays anywhere.
   */
  private applyWhole(sub: Sub, payload: Uint8Array): void {
    const room = sub.room;
    const held: Uint8Array[] = [];
    room.applying = held;
    try {
      Y.applyUpdate(room.doc, payload, sub);
    } catch (err) {
      room.applying = undefined;
      this.counters.rejectedUpdates++;
      this.reloadRoom(room);
      this.store.audit({
        ...this.auditWho(sub.peer, sub),
        event: 'update.rejected',
        detail: `${payload.byteLength} bytes: ${(err as Error).message}`.slice(0, 300),
      });
      throw new BadFrame(`update does not apply (${(err as Error).message})`);
    }
    room.applying = undefined;
    for (const u of held) this.publishUpdate(room, u, sub);
  }

  /**
   * Presence: each client id belongs to the sub that first announced it (until that sub leaves or sets it to
   * null); entries for ids owned by others, over the caps or too large are ignored without dropping anyone.
   * Every accepted state is stamped with the token's user and role under `relay`. Past the presence budget,
   * entries are held and coalesced (latest per id) and applied when the budget allows.
   */
  private onAwareness(sub: Sub, update: Uint8Array): void {
    const l = this.opts.limits;
    const dec = decoding.createDecoder(update);
    const n = decoding.readVarUint(dec);
    if (n > MAX_AWARENESS_ENTRIES_PER_FRAME) throw new BadFrame(`awareness update for ${n} clients`);
    const entries: PresenceEntry[] = [];
    for (let i = 0; i < n; i++) {
      const id = decoding.readVarUint(dec);
      const clock = decoding.readVarUint(dec);
      const json = decoding.readVarString(dec);
      if (json.length > l.maxAwarenessStateBytes) {
        this.counters.presenceIgnored++;
        continue;
      }
      const state: unknown = JSON.parse(json);
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
        throw new BadFrame('awareness state is not an object or null');
      }
      entries.push({ id, clock, state: state as Record<string, unknown> | null });
    }
    endOfFrame(dec);
    if (sub.held === undefined && this.takePresence(sub)) return this.applyPresence(sub, entries);
    this.counters.presenceThrottled++;
    sub.held ??= new Map();
    for (const e of entries) sub.held.set(e.id, e);
    this.scheduleHeld(sub);
  }

  private takePresence(sub: Sub): boolean {
    const l = this.opts.limits;
    sub.presence ??= new TokenBucket(l.presencePerDocPerSecond, l.presencePerDocBurst, this.opts.monotonic);
    return sub.peer.presence.take(1) && sub.presence.take(1);
  }

  private scheduleHeld(sub: Sub): void {
    if (sub.heldTimer) return;
    const l = this.opts.limits;
    const wait = Math.ceil(1000 / Math.min(l.presencePerDocPerSecond, l.presencePerSecond));
    sub.heldTimer = setTimeout(() => {
      sub.heldTimer = undefined;
      if (sub.peer.closed || !sub.room.subs.has(sub) || !sub.held) return;
      if (!this.takePresence(sub)) return this.scheduleHeld(sub);
      const held = [...sub.held.values()];
      sub.held = undefined;
      this.applyPresence(sub, held);
    }, wait);
    sub.heldTimer.unref();
  }

  private applyPresence(sub: Sub, entries: PresenceEntry[]): void {
    const peer = sub.peer;
    const room = sub.room;
    const l = this.opts.limits;
    const accepted: { id: number; clock: number; json: string }[] = [];
    const released: number[] = [];
    for (const entry of entries) {
      const owner = room.awarenessOwner.get(entry.id);
      if (owner !== undefined && owner !== sub) {
        this.counters.presenceIgnored++;
        continue;
      }
      if (entry.state === null) {
        if (owner === sub) released.push(entry.id);
        accepted.push({ id: entry.id, clock: entry.clock, json: 'null' });
        continue;
      }
      if (owner === undefined) {
        if (
          sub.awarenessIds.size >= l.maxAwarenessIdsPerDoc ||
          peer.awarenessCount >= l.maxAwarenessIdsPerConnection
        ) {
          this.counters.presenceIgnored++;
          continue;
        }
        room.awarenessOwner.set(entry.id, sub);
        sub.awarenessIds.add(entry.id);
        peer.awarenessCount++;
      }
      const stamped = { ...entry.state, relay: { user: peer.claims.user, role: peer.claims.role } };
      accepted.push({ id: entry.id, clock: entry.clock, json: JSON.stringify(stamped) });
    }
    if (accepted.length > 0) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, accepted.length);
      for (const a of accepted) {
        encoding.writeVarUint(enc, a.id);
        encoding.writeVarUint(enc, a.clock);
        encoding.writeVarString(enc, a.json);
      }
      awarenessProtocol.applyAwarenessUpdate(room.awareness, encoding.toUint8Array(enc), sub);
    }
    for (const id of released) {
      room.awarenessOwner.delete(id);
      sub.awarenessIds.delete(id);
      peer.awarenessCount--;
    }
  }

  /**
   * A write on a read-only subscription: dropped before touching anything. Refusals are counted, told to the
   * client once per document, written to the audit log aggregated (first one at once, then one row per
   * connection per `refusalAuditIntervalMs`), and a connection that keeps at it is closed (4003).
   */
  private refuseWrite(sub: Sub, bytes: number): void {
    const peer = sub.peer;
    const l = this.opts.limits;
    this.counters.refusedWrites++;
    const first = peer.refusing === undefined;
    const r = (peer.refusing ??= {
      bucket: new TokenBucket(l.refusedWritesPerSecond, l.refusedWritesBurst, this.opts.monotonic),
      pending: { count: 0, bytes: 0, docs: new Set() },
      notified: new Set(),
    });
    r.pending.count++;
    r.pending.bytes += bytes;
    r.pending.docs.add(sub.room.name);
    if (first) this.flushRefusalAudit(peer);
    if (!r.notified.has(sub.room.name)) {
      r.notified.add(sub.room.name);
      this.sendTo(
        sub,
        frameOf(MESSAGE_AUTH, (e) => {
          encoding.writeVarUint(e, 0); // permission denied
          encoding.writeVarString(e, `read-only: role ${peer.claims.role} may not write ${sub.room.name}`);
        }),
      );
    }
    if (!r.bucket.take(1)) {
      this.dropPeer(peer, CLOSE_CODES.readOnlyViolation, 'keeps writing read-only documents');
    }
  }

  private flushRefusalAudit(peer: Peer): void {
    const p = peer.refusing?.pending;
    if (!p || p.count === 0) return;
    const docs = [...p.docs];
    const detail =
      `${p.count} refused write(s), ${p.bytes} bytes` + (docs.length > 1 ? `, ${docs.length} docs` : '');
    this.log.log('warn', 'write.refused', {
      ...this.who(peer),
      doc: docs[0],
      count: p.count,
      bytes: p.bytes,
    });
    this.store.audit({ ...this.auditWho(peer), doc: docs[0], event: 'write.refused', detail });
    peer.refusing!.pending = { count: 0, bytes: 0, docs: new Set() };
  }

  private flushRefusalAudits(): void {
    for (const peer of this.peers) this.flushRefusalAudit(peer);
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function tryParse(name: string): DocNameParts | undefined {
  try {
    return parseDocName(name);
  } catch {
    return undefined;
  }
}

function endOfFrame(dec: decoding.Decoder): void {
  if (decoding.hasContent(dec)) throw new BadFrame('trailing bytes after message');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function frameOf(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
