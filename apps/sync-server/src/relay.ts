/**
 * The relay: HTTP server with `/healthz`, WebSocket upgrade with token auth, one room per document, the
 * y-websocket sync + awareness protocol with a permission check on every frame, SQLite persistence.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_SUBPROTOCOL,
  SYNC_UPDATE,
  TOKEN_SUBPROTOCOL_PREFIX,
  accessFor,
  parseDocName,
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

interface Conn {
  id: number;
  ws: WebSocket;
  room: Room;
  claims: RelayTokenClaims;
  access: Access;
  remote: string;
  alive: boolean;
  awarenessIds: Set<number>;
  messages: TokenBucket;
  bytes: TokenBucket;
  deniedNotified: boolean;
  expiryTimer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
}

interface Room {
  name: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Set<Conn>;
  /** Which connection announced which awareness client id. */
  awarenessOwner: Map<number, Conn>;
  sinceCompact: number;
}

export interface RelayStats {
  rooms: number;
  connections: number;
  refusedWrites: number;
  refusedUpgrades: number;
}

export interface Relay {
  /** `ws://host:port` (append `/<docName>?token=…`). */
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
  private readonly conns = new Set<Conn>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly log: RelayLogger;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private nextConnId = 1;
  private readonly refusalBuckets = new Map<string, TokenBucket>();
  private counters = { refusedWrites: 0, refusedUpgrades: 0 };
  private closing = false;
  url = '';
  port = 0;

  constructor(
    private readonly opts: ResolvedRelayOptions,
    readonly store: RelayStore,
  ) {
    this.log = opts.logger;
    this.http = createServer((req, res) => {
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
          error: 'not found: connect with a WebSocket to /<campaign>/<kind>/<docId>',
        }),
      );
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxMessageBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => {
        if (protocols.has(SYNC_SUBPROTOCOL)) return SYNC_SUBPROTOCOL;
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
    this.log.log('info', 'relay.listening', { url: this.url, dataDir: this.opts.dataDir });
  }

  stats(): RelayStats {
    return { rooms: this.rooms.size, connections: this.conns.size, ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const conn of [...this.conns]) this.dropConn(conn, CLOSE_CODES.goingAway, 'relay shutting down');
    for (const room of [...this.rooms.values()]) this.unloadRoom(room);
    this.wss.close();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections(); // idle keep-alive HTTP connections would otherwise hold close() open
    await closed;
    this.store.close();
    this.log.log('info', 'relay.closed', {});
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

    let parts: DocNameParts;
    try {
      parts = parseDocName(docPath);
    } catch (err) {
      return this.refuse(socket, 400, (err as Error).message, who);
    }
    if (parts.campaign !== claims.campaign) {
      return this.refuse(socket, 403, `token is for campaign ${claims.campaign}, not ${parts.campaign}`, who);
    }
    const access = accessFor(claims.role, parts.kind, parts.docId, claims.owns);
    if (access === 'none') {
      return this.refuse(socket, 403, `role ${claims.role} may not read ${parts.kind} ${parts.docId}`, who);
    }
    if (this.conns.size >= this.opts.maxConnections)
      return this.refuse(socket, 503, 'too many connections', who);

    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, docPath, claims, access, remote));
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
    const room: Room = { name, doc, awareness, conns: new Set(), awarenessOwner: new Map(), sinceCompact: 0 };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN) return;
      this.store.append(name, update);
      if (++room.sinceCompact >= this.opts.compactEvery) this.compactRoom(room);
      const frame = frameOf(MESSAGE_SYNC, (e) => {
        encoding.writeVarUint(e, SYNC_UPDATE);
        encoding.writeVarUint8Array(e, update);
      });
      for (const c of room.conns) if (c !== origin) this.send(c, frame);
    });
    awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        const frame = frameOf(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed)),
        );
        for (const c of room.conns) if (c !== origin) this.send(c, frame);
      },
    );
    this.rooms.set(name, room);
    return room;
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

  // ---- connections ----------------------------------------------------------------------------------------

  private onConnection(
    ws: WebSocket,
    docName: string,
    claims: RelayTokenClaims,
    access: Access,
    remote: string,
  ): void {
    const room = this.getRoom(docName);
    const rl = this.opts.rateLimit;
    const conn: Conn = {
      id: this.nextConnId++,
      ws,
      room,
      claims,
      access,
      remote,
      alive: true,
      awarenessIds: new Set(),
      messages: new TokenBucket(rl.messagesPerSecond, rl.messageBurst, this.opts.monotonic),
      bytes: new TokenBucket(rl.bytesPerSecond, rl.byteBurst, this.opts.monotonic),
      deniedNotified: false,
      expiryTimer: undefined,
      closed: false,
    };
    room.conns.add(conn);
    this.conns.add(conn);
    this.log.log('info', 'conn.open', { ...this.who(conn), access });
    this.store.audit({ ...this.auditWho(conn), event: 'conn.open', detail: access });

    this.scheduleExpiry(conn);

    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws reports bad frames (and too-large ones, code WS_ERR_UNSUPPORTED_MESSAGE_LENGTH) here and closes.
      this.log.log('warn', 'conn.ws_error', { ...this.who(conn), error: err.message, code: err.code });
      this.store.audit({
        ...this.auditWho(conn),
        event: 'conn.bad_frame',
        detail: `${err.code ?? ''} ${err.message}`,
      });
    });
    ws.on('close', (code: number) => this.onClose(conn, code));

    // A writer is asked for what the relay lacks; everyone gets the current awareness states.
    if (access === 'write') {
      this.send(
        conn,
        frameOf(MESSAGE_SYNC, (e) => {
          encoding.writeVarUint(e, SYNC_STEP1);
          encoding.writeVarUint8Array(e, Y.encodeStateVector(room.doc));
        }),
      );
    }
    const states = room.awareness.getStates();
    if (states.size > 0) {
      this.send(
        conn,
        frameOf(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(
            e,
            awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]),
          ),
        ),
      );
    }
  }

  /** Close with 4001 when the token's `exp` passes (re-armed when `exp` is beyond the longest timer). */
  private scheduleExpiry(conn: Conn): void {
    const untilExpiry = conn.claims.exp * 1000 - this.opts.now();
    if (untilExpiry <= 0) return this.dropConn(conn, CLOSE_CODES.tokenExpired, 'token expired');
    conn.expiryTimer = setTimeout(() => this.scheduleExpiry(conn), Math.min(untilExpiry, MAX_TIMER_MS));
    conn.expiryTimer.unref();
  }

  private who(conn: Conn): LogFields {
    return {
      conn: conn.id,
      doc: conn.room.name,
      user: conn.claims.user,
      role: conn.claims.role,
      remote: conn.remote,
    };
  }

  private auditWho(conn: Conn): Omit<AuditEntry, 'event'> {
    const c = conn.claims;
    return { doc: conn.room.name, campaign: c.campaign, user: c.user, role: c.role, remote: conn.remote };
  }

  private onClose(conn: Conn, code: number): void {
    if (conn.closed) return;
    conn.closed = true;
    if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
    const room = conn.room;
    room.conns.delete(conn);
    this.conns.delete(conn);
    const ids = [...conn.awarenessIds].filter((id) => room.awarenessOwner.get(id) === conn);
    for (const id of ids) room.awarenessOwner.delete(id);
    if (ids.length > 0 && !this.closing) awarenessProtocol.removeAwarenessStates(room.awareness, ids, conn);
    this.log.log('info', 'conn.close', { ...this.who(conn), code });
    if (!this.closing)
      this.store.audit({ ...this.auditWho(conn), event: 'conn.close', detail: String(code) });
    if (room.conns.size === 0 && !this.closing) this.unloadRoom(room);
  }

  /** Close with a code (logged and audited unless the relay is shutting down); `terminate` for dead peers. */
  private dropConn(conn: Conn, code: number, reason: string, terminate = false): void {
    if (conn.closed) return;
    if (!this.closing) {
      this.log.log('warn', 'conn.dropped', { ...this.who(conn), code, reason });
      this.store.audit({ ...this.auditWho(conn), event: 'conn.dropped', detail: `${code} ${reason}` });
    }
    if (terminate) conn.ws.terminate();
    else conn.ws.close(code, reason);
    // Stop processing at once; the socket's own close event may come later.
    this.onClose(conn, code);
  }

  private send(conn: Conn, frame: Uint8Array): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.dropConn(conn, 1013, 'client too slow to receive', true);
      return;
    }
    conn.ws.send(frame);
  }

  private pingAll(): void {
    for (const conn of [...this.conns]) {
      if (!conn.alive) {
        this.dropConn(conn, 1006, 'idle: no pong to the last ping', true);
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  // ---- messages -------------------------------------------------------------------------------------------

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    if (conn.closed) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!conn.messages.take(1) || !conn.bytes.take(buf.byteLength)) {
      this.dropConn(conn, CLOSE_CODES.rateLimited, 'rate limit exceeded');
      return;
    }
    if (!isBinary) return this.dropConn(conn, CLOSE_CODES.unsupportedData, 'text frames are not spoken here');
    if (buf.byteLength > this.opts.maxMessageBytes) {
      return this.dropConn(conn, CLOSE_CODES.messageTooBig, 'message too big');
    }
    try {
      this.handleFrame(conn, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    } catch (err) {
      const reason = err instanceof BadFrame ? err.message : `undecodable frame (${(err as Error).message})`;
      this.dropConn(conn, CLOSE_CODES.protocolError, reason.slice(0, 120));
    }
  }

  private handleFrame(conn: Conn, frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    const room = conn.room;
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(dec);
        const payload = decoding.readVarUint8Array(dec);
        endOfFrame(dec);
        if (step === SYNC_STEP1) {
          const reply = Y.encodeStateAsUpdate(room.doc, payload);
          this.send(
            conn,
            frameOf(MESSAGE_SYNC, (e) => {
              encoding.writeVarUint(e, SYNC_STEP2);
              encoding.writeVarUint8Array(e, reply);
            }),
          );
          return;
        }
        if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) throw new BadFrame(`unknown sync step ${step}`);
        if (conn.access !== 'write') return this.refuseWrite(conn, payload.byteLength);
        // Parse fully before touching the document, so a truncated update cannot half-apply.
        Y.decodeUpdate(payload);
        Y.applyUpdate(room.doc, payload, conn);
        return;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(dec);
        endOfFrame(dec);
        this.checkAwareness(conn, update);
        awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        endOfFrame(dec);
        const ids = [...room.awareness.getStates().keys()];
        this.send(
          conn,
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

  /** Awareness (presence) is allowed on any readable connection, but only for client ids this connection owns. */
  private checkAwareness(conn: Conn, update: Uint8Array): void {
    const dec = decoding.createDecoder(update);
    const n = decoding.readVarUint(dec);
    if (n > 64) throw new BadFrame(`awareness update for ${n} clients`);
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(decoding.readVarUint(dec));
      decoding.readVarUint(dec); // clock
      JSON.parse(decoding.readVarString(dec));
    }
    endOfFrame(dec);
    for (const id of ids) {
      const owner = conn.room.awarenessOwner.get(id);
      if (owner !== undefined && owner !== conn)
        throw new BadFrame(`awareness for client ${id} owned by another connection`);
    }
    for (const id of ids) {
      conn.room.awarenessOwner.set(id, conn);
      conn.awarenessIds.add(id);
    }
  }

  private refuseWrite(conn: Conn, bytes: number): void {
    this.counters.refusedWrites++;
    this.log.log('warn', 'write.refused', { ...this.who(conn), bytes });
    this.store.audit({ ...this.auditWho(conn), event: 'write.refused', detail: `${bytes} bytes` });
    if (!conn.deniedNotified) {
      conn.deniedNotified = true;
      this.send(
        conn,
        frameOf(MESSAGE_AUTH, (e) => {
          encoding.writeVarUint(e, 0); // permission denied
          encoding.writeVarString(e, `read-only: role ${conn.claims.role} may not write ${conn.room.name}`);
        }),
      );
    }
  }
}

function endOfFrame(dec: decoding.Decoder): void {
  if (decoding.hasContent(dec)) throw new BadFrame('trailing bytes after message');
}

function frameOf(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
