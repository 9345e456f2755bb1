/**
 * The client provider against a minimal in-test y-websocket peer (the real relay is tested in apps/sync-server,
 * which core may not import): status events, reconnect with backoff, read-only, auth refusal, destroy.
 */
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { docName } from './doc-names';
import { SyncManager } from './manager';
import { MESSAGE_SYNC, SYNC_UPDATE } from './protocol';
import { DEFAULT_BACKOFF, SyncProvider, backoffDelay, type SyncStatus } from './provider';
import { createRelayToken } from './token';

const SECRET = 'unit-test-secret-0123456789';
const DOC = docName('c1', 'character', 'pc1');

/** One shared Y.Doc; every connection gets sync + update broadcast. Records every frame received. */
class MiniPeer {
  readonly doc = new Y.Doc();
  readonly frames: { type: number; step?: number }[] = [];
  readonly wss: WebSocketServer;
  readonly sockets = new Set<WebSocket>();
  refuseWith: number | undefined;

  constructor(port = 0) {
    this.wss = new WebSocketServer({
      port,
      host: '127.0.0.1',
      handleProtocols: (p) => [...p][0] ?? false,
      verifyClient: (_info, cb) => (this.refuseWith ? cb(false, this.refuseWith) : cb(true)),
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeUpdate(e, update);
      for (const s of this.sockets) if (s !== origin) s.send(encoding.toUint8Array(e));
    });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data: Buffer) => {
        const dec = decoding.createDecoder(new Uint8Array(data));
        const type = decoding.readVarUint(dec);
        if (type !== MESSAGE_SYNC) return void this.frames.push({ type });
        const step = decoding.peekVarUint(dec);
        this.frames.push({ type, step });
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.readSyncMessage(dec, e, this.doc, ws);
        if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
      });
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(e, this.doc);
      ws.send(encoding.toUint8Array(e));
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  dropAll(): void {
    for (const s of this.sockets) s.terminate();
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((r) => this.wss.close(() => r()));
  }
}

const tok = (role: 'dm' | 'player' | 'spectator', owns: string[] = []): string =>
  createRelayToken({ campaign: 'c1', user: 'u', role, owns, ttlSeconds: 3600, nowMs: Date.now() }, SECRET);

async function waitFor(cond: () => boolean, what: string, ms = 4000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, jittering only the top part', () => {
    const opts = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, opts, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, opts, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, { ...opts, jitter: 0 }, () => 0.7)).toBe(400);
    expect(DEFAULT_BACKOFF.jitter).toBeGreaterThan(0);
  });
});

describe('SyncProvider', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  function peer(port = 0): MiniPeer {
    const p = new MiniPeer(port);
    cleanup.push(() => p.close());
    return p;
  }

  function prov(
    url: string,
    doc: Y.Doc,
    extra: Partial<ConstructorParameters<typeof SyncProvider>[0]> = {},
  ): SyncProvider {
    const p = new SyncProvider({
      relayUrl: url,
      docName: DOC,
      doc,
      token: tok('dm'),
      backoff: { initialMs: 10, maxMs: 50 },
      ...extra,
    });
    cleanup.push(() => p.destroy());
    return p;
  }

  it('goes connecting → connected → synced and exchanges edits both ways', async () => {
    const server = peer();
    await new Promise((r) => server.wss.once('listening', r));
    server.doc.getMap('m').set('fromServer', 1);
    const doc = new Y.Doc();
    doc.getMap('m').set('fromClient', 2);
    const statuses: SyncStatus[] = [];
    const p = prov(server.url, doc, { connect: false });
    p.onStatus((e) => statuses.push(e.status));
    p.connect();
    await p.whenSynced();
    expect(statuses).toEqual(['connecting', 'connected', 'synced']);
    expect(doc.getMap('m').get('fromServer')).toBe(1);
    await waitFor(() => server.doc.getMap('m').get('fromClient') === 2, 'client state at server');
    doc.getMap('m').set('live', true);
    await waitFor(() => server.doc.getMap('m').get('live') === true, 'live edit at server');
  });

  it('reconnects with backoff after the connection drops and catches up on both sides', async () => {
    const server = peer();
    await new Promise((r) => server.wss.once('listening', r));
    const doc = new Y.Doc();
    const p = prov(server.url, doc);
    await p.whenSynced();
    const seen: SyncStatus[] = [];
    p.onStatus((e) => seen.push(e.status));
    server.dropAll();
    await waitFor(() => seen.includes('disconnected'), 'disconnect');
    doc.getMap('m').set('offline', 'client');
    server.doc.getMap('m').set('offline2', 'server');
    await waitFor(() => p.status === 'synced', 'resynced');
    expect(seen).toEqual(['disconnected', 'connecting', 'connected', 'synced']);
    expect(doc.getMap('m').get('offline2')).toBe('server');
    await waitFor(() => server.doc.getMap('m').get('offline') === 'client', 'offline edit at server');
  });

  it('keeps retrying while the relay is down, then syncs when it comes back', async () => {
    const first = new MiniPeer();
    await new Promise((r) => first.wss.once('listening', r));
    const port = first.port;
    const doc = new Y.Doc();
    const p = prov(first.url, doc);
    await p.whenSynced();
    let attempts = 0;
    p.onStatus((e) => {
      if (e.status === 'connecting') attempts = e.attempt;
    });
    await first.close();
    await waitFor(() => attempts >= 3, 'several attempts');
    const second = peer(port);
    await waitFor(() => p.status === 'synced', 'synced with the new relay');
    expect(second.sockets.size).toBe(1);
  });

  it('a read-only provider never sends document updates', async () => {
    const server = peer();
    await new Promise((r) => server.wss.once('listening', r));
    server.doc.getMap('m').set('x', 1);
    const doc = new Y.Doc();
    doc.getMap('m').set('local', 'unsent');
    const p = prov(server.url, doc, { readOnly: true, token: tok('spectator') });
    await p.whenSynced();
    doc.getMap('m').set('more', 'unsent');
    server.doc.getMap('m').set('y', 2);
    await waitFor(() => doc.getMap('m').get('y') === 2, 'read-only still receives');
    expect(server.frames.filter((f) => f.step !== 0)).toEqual([]);
    expect(server.doc.getMap('m').get('local')).toBeUndefined();
  });

  it('a refused upgrade is an error with the HTTP status and no retry', async () => {
    const server = peer();
    server.refuseWith = 401;
    await new Promise((r) => server.wss.once('listening', r));
    const p = prov(server.url, new Y.Doc());
    const events: { status: SyncStatus; httpStatus?: number }[] = [];
    p.onStatus((e) => events.push(e));
    await expect(p.whenSynced()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 80));
    expect(events.map((e) => e.status)).toEqual(['error']);
    expect(events[0]?.httpStatus).toBe(401);
  });

  it('destroy closes the socket, stops reconnecting and detaches from the doc', async () => {
    const server = peer();
    await new Promise((r) => server.wss.once('listening', r));
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ name: 'ana' });
    const p = prov(server.url, doc, { awareness });
    await p.whenSynced();
    p.destroy();
    await waitFor(() => server.sockets.size === 0, 'socket closed');
    const before = server.frames.length;
    doc.getMap('m').set('after', 1);
    await new Promise((r) => setTimeout(r, 80));
    expect(server.sockets.size).toBe(0);
    expect(server.frames.length).toBe(before);
    expect(p.status).toBe('disconnected');
    expect(awareness.getStates().has(doc.clientID)).toBe(false);
    expect(() => p.connect()).toThrow(/destroyed/);
    awareness.destroy();
  });

  it('drops a silent connection after idleTimeoutMs and reconnects', async () => {
    const server = peer();
    await new Promise((r) => server.wss.once('listening', r));
    const p = prov(server.url, new Y.Doc(), { idleTimeoutMs: 80 });
    await p.whenSynced();
    const seen: { status: SyncStatus; reason?: string }[] = [];
    p.onStatus((e) => seen.push(e));
    // The test peer never pings and has nothing to send, so the provider must notice by itself.
    await waitFor(() => seen.some((e) => e.status === 'synced'), 'reconnected after idle timeout');
    expect(seen[0]).toMatchObject({
      status: 'disconnected',
      reason: 'no traffic from the relay (idle timeout)',
    });
  });

  it('rejects a relay URL that is not ws:// or wss://', () => {
    expect(() => prov('http://x', new Y.Doc(), { connect: false })).toThrow(/^relayUrl:/);
  });
});

describe('SyncManager', () => {
  it('syncs several docs, refuses unreadable ones and opens read-only ones read-only', async () => {
    const server = new MiniPeer();
    await new Promise((r) => server.wss.once('listening', r));
    const m = new SyncManager({
      relayUrl: server.url,
      token: tok('player', ['pc1']),
      backoff: { initialMs: 10 },
    });
    try {
      const own = m.add(DOC, new Y.Doc());
      const other = m.add(docName('c1', 'character', 'pc2'), new Y.Doc());
      const root = m.add(docName('c1', 'campaign', 'root'), new Y.Doc());
      expect([own.readOnly, other.readOnly, root.readOnly]).toEqual([false, true, true]);
      expect(() => m.add(docName('c1', 'dmnotes', 'n1'), new Y.Doc())).toThrow(
        /^docName: .*not readable with role player/,
      );
      expect(() => m.add(docName('c2', 'campaign', 'root'), new Y.Doc())).toThrow(/^docName:/);
      expect(() => m.add(DOC, new Y.Doc())).toThrow(/already synced/);
      expect(m.accessOf(docName('c1', 'journal', 'pc1'))).toBe('write');
      expect(m.accessOf(docName('c1', 'journal', 'j9'))).toBe('read');
      expect(m.accessOf(docName('c1', 'intents', 'j9'))).toBe('none');
      await m.whenSynced();
      expect(Object.values(m.statuses())).toEqual(['synced', 'synced', 'synced']);
      // The test peer keeps one shared doc, so it also stands in for every room here.
      own.doc.getMap('m').set('hp', 7);
      await waitFor(() => server.doc.getMap('m').get('hp') === 7, 'owned edit sent');
      expect(server.frames.filter((f) => f.step === SYNC_UPDATE)).toHaveLength(1);
      m.remove(DOC);
      expect(m.docNames()).toHaveLength(2);
    } finally {
      m.destroy();
      await server.close();
    }
  });
});

describe('SyncProvider destroy while waiting', () => {
  it('rejects a pending whenSynced and any later one', async () => {
    const p = new SyncProvider({
      relayUrl: 'ws://127.0.0.1:1',
      docName: DOC,
      doc: new Y.Doc(),
      token: tok('dm'),
      connect: false,
    });
    const pending = p.whenSynced();
    p.destroy();
    await expect(pending).rejects.toThrow(/destroyed/);
    await expect(p.whenSynced()).rejects.toThrow(/destroyed/);
  });
});

describe('SyncProvider fatal closes', () => {
  it('stops reconnecting after 1009 (message too big)', async () => {
    const server = new MiniPeer();
    await new Promise((r) => server.wss.once('listening', r));
    server.wss.on('connection', (ws) => ws.close(1009, 'message too big'));
    const p = new SyncProvider({
      relayUrl: server.url,
      docName: DOC,
      doc: new Y.Doc(),
      token: tok('dm'),
      backoff: { initialMs: 5 },
    });
    const seen: SyncStatus[] = [];
    p.onStatus((e) => seen.push(e.status));
    await waitFor(() => seen.includes('error'), 'error status');
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.filter((s) => s === 'connecting')).toHaveLength(0); // listener added after the first attempt
    expect(seen.at(-1)).toBe('error');
    p.destroy();
    await server.close();
  });
});
