/**
 * Relay abuse (issue 15 items 6–11): presence with stock clients, presence caps, connection caps and the
 * upgrade deadline, aggregated refusals, updates that fail half-way, and bounded fan-out. Limits are set small
 * per test through `limits`; their defaults are named constants (`RELAY_LIMITS`, docs/security.md).
 */
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CLOSE_CODES,
  MESSAGE_AWARENESS,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  MUX_DOC,
  MUX_SUBSCRIBE,
  MuxSyncProvider,
  docName,
  relayDocUrl,
  relayMuxUrl,
} from '@loreforge/core';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Relay, RelayOptions } from '../src/index';
import {
  CAMPAIGN,
  RawClient,
  frame,
  makeRelay,
  mapOf,
  syncFrame,
  tempDir,
  token,
  updateSetting,
  waitFor,
} from './helpers';

const DOC = docName(CAMPAIGN, 'character', 'hero');
const SOAK = fileURLToPath(new URL('./fixtures/presence-soak.child.ts', import.meta.url));

function awarenessFrame(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const x of entries) {
      encoding.writeVarUint(inner, x.id);
      encoding.writeVarUint(inner, x.clock);
      encoding.writeVarString(inner, JSON.stringify(x.state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });
}

/** Awareness states carried by the awareness frames a raw client received (last one per id wins). */
function presenceSeen(c: RawClient): Map<number, unknown> {
  const out = new Map<number, unknown>();
  for (const m of c.received) {
    if (m.type !== MESSAGE_AWARENESS || !m.payload) continue;
    const d = new Y.Doc();
    const aw = new (class {
      states = new Map<number, unknown>();
    })();
    void d;
    const dec = m.payload;
    // decode by hand: n, then (id, clock, json)*
    let pos = 0;
    const readVarUint = (): number => {
      let num = 0;
      let mult = 1;
      for (;;) {
        const b = dec[pos++]!;
        num += (b & 0x7f) * mult;
        mult *= 128;
        if (b < 0x80) return num;
      }
    };
    const n = readVarUint();
    for (let i = 0; i < n; i++) {
      const id = readVarUint();
      readVarUint();
      const len = readVarUint();
      const json = new TextDecoder().decode(dec.subarray(pos, pos + len));
      pos += len;
      aw.states.set(id, JSON.parse(json));
    }
    for (const [id, s] of aw.states) out.set(id, s);
  }
  return out;
}

function awarenessFramesReceived(c: RawClient): number {
  return c.received.filter((m) => m.type === MESSAGE_AWARENESS).length;
}

describe('relay abuse', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let relay: Relay | undefined;
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    await relay?.close();
    relay = undefined;
    tmp?.cleanup();
    tmp = undefined;
  });

  async function start(extra: Partial<RelayOptions> = {}): Promise<Relay> {
    tmp = tempDir();
    relay = (await makeRelay(tmp.dir, extra)).relay;
    return relay;
  }

  async function raw(r: Relay, tok: string, doc = DOC): Promise<RawClient> {
    const c = await RawClient.forDoc(r, doc, tok);
    closers.push(() => c.ws.terminate());
    return c;
  }

  describe('presence with stock y-websocket clients (item 6)', () => {
    /** Runs the soak child (its own node process, killed by its real pid) and returns its JSON summary. */
    function soak(clients: number): Promise<{
      virtualMs: number;
      clients: { user: string; closes: number; connects: number; seen: Record<string, unknown> }[];
    }> {
      const dir = tempDir();
      const child = fork(SOAK, [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          CLIENTS: String(clients),
          SPEED: '10',
          VIRTUAL_MS: '45000',
          DATA_DIR: dir.dir,
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      closers.push(() => {
        if (child.exitCode === null && child.signalCode === null)
          process.kill(child.pid as number, 'SIGKILL');
        dir.cleanup();
      });
      return new Promise((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => {
          if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!));
          else reject(new Error(`soak child exited ${code}: ${err}`));
        });
      });
    }

    it(
      'two stock clients stay connected for 45 s (virtual) and see each other, stamped by the relay',
      { timeout: 30_000 },
      async () => {
        const result = await soak(2);
        expect(result.virtualMs).toBeGreaterThanOrEqual(45_000);
        const [dm, spec] = result.clients;
        expect(dm!.closes).toBe(0);
        expect(spec!.closes).toBe(0);
        expect(dm!.connects).toBe(1);
        expect(spec!.connects).toBe(1);
        // The spectator claimed to be the DM in its own state; the relay stamped its real identity over it.
        expect(dm!.seen).toEqual({ 'spec-user': { user: 'spec-user', role: 'spectator' } });
        expect(spec!.seen).toEqual({ 'dm-user': { user: 'dm-user', role: 'dm' } });
      },
    );

    it(
      'a lone stock client is not closed by its own 30 s silence timeout (the relay echoes its presence)',
      { timeout: 30_000 },
      async () => {
        const result = await soak(1);
        expect(result.virtualMs).toBeGreaterThanOrEqual(45_000);
        expect(result.clients[0]!.closes).toBe(0);
        expect(result.clients[0]!.connects).toBe(1);
      },
    );

    it('a spectator cannot pose as the DM; the owner hears its own presence echoed', async () => {
      const r = await start();
      const dm = await raw(r, token('dm', { user: 'dungeon-master' }));
      const spec = await raw(r, token('spectator', { user: 'watcher' }));
      spec.send(
        awarenessFrame([
          {
            id: 42,
            clock: 1,
            state: { name: 'DM', relay: { user: 'dungeon-master', role: 'dm' }, role: 'dm' },
          },
        ]),
      );
      await waitFor(() => presenceSeen(dm).has(42), 'dm sees the spectator');
      expect(presenceSeen(dm).get(42)).toEqual({
        name: 'DM',
        role: 'dm',
        relay: { user: 'watcher', role: 'spectator' },
      });
      await waitFor(() => presenceSeen(spec).has(42), 'echo to the sender');
    });

    it('presence ids are released when their connection closes; then another may claim them', async () => {
      const r = await start();
      const watcher = await raw(r, token('dm', { user: 'watcher' }));
      const first = await raw(r, token('spectator', { user: 'first' }));
      first.send(awarenessFrame([{ id: 9, clock: 1, state: { n: 1 } }]));
      await waitFor(() => presenceSeen(watcher).get(9) !== undefined, 'first presence');
      first.close();
      await waitFor(() => presenceSeen(watcher).get(9) === null, 'removed on close');
      const second = await raw(r, token('spectator', { user: 'second' }));
      second.send(awarenessFrame([{ id: 9, clock: 5, state: { n: 2 } }]));
      await waitFor(() => (presenceSeen(watcher).get(9) as { n?: number } | null)?.n === 2, 'claimed again');
      expect(second.closeCode).toBeUndefined();
    });
  });

  it('caps presence ids per connection and per document (item 7)', async () => {
    const r = await start({ limits: { maxAwarenessIdsPerDoc: 4, presenceBurst: 1000 } });
    const watcher = await raw(r, token('dm', { user: 'watcher' }));
    const spam = await raw(r, token('spectator', { user: 'spam' }));
    for (let batch = 0; batch < 10; batch++) {
      spam.send(
        awarenessFrame(
          Array.from({ length: 50 }, (_, i) => ({
            id: 1000 + batch * 50 + i,
            clock: 1,
            state: { pad: 'x'.repeat(100) },
          })),
        ),
      );
    }
    await spam.roundTrip();
    await watcher.roundTrip();
    expect([...presenceSeen(watcher).keys()].length).toBe(4);
    expect(r.stats().presenceIgnored).toBe(496);
    expect(spam.closeCode).toBeUndefined();
    // Oversized states are ignored too.
    spam.send(awarenessFrame([{ id: 1000, clock: 2, state: { pad: 'y'.repeat(20_000) } }]));
    await spam.roundTrip();
    expect(r.stats().presenceIgnored).toBe(497);
  });

  describe('connection caps and the upgrade deadline (item 8)', () => {
    it('one user cannot take every slot; the DM is always admitted', async () => {
      const r = await start({ maxConnections: 4, limits: { maxConnectionsPerUser: 3 } });
      const spec = token('spectator', { user: 'hog' });
      for (let i = 0; i < 3; i++) await raw(r, spec);
      await expect(raw(r, spec)).rejects.toMatchObject({ status: 429 });
      await raw(r, token('spectator', { user: 'other' })); // the 4th slot
      await expect(raw(r, token('player', { user: 'late' }))).rejects.toMatchObject({ status: 503 });
      // Full for everyone else, but not for the DM.
      const dm = await raw(r, token('dm'));
      await dm.roundTrip();
      expect(r.stats().connections).toBe(5);
    });

    it('caps pending sockets over all addresses, so idle sockets cannot exhaust the relay', async () => {
      const r = await start({ limits: { upgradeDeadlineMs: 2000, maxPendingSockets: 3 } });
      const sockets: { s: Socket; closed: boolean }[] = [];
      for (let i = 0; i < 6; i++) {
        // Different loopback source addresses: the per-address cap is not what stops them.
        const s = connect({ port: r.port, host: '127.0.0.1', localAddress: `127.0.0.${i + 2}` });
        const entry = { s, closed: false };
        s.on('close', () => (entry.closed = true));
        s.on('error', () => undefined);
        sockets.push(entry);
        closers.push(() => s.destroy());
        await new Promise((res) => s.once('connect', res));
      }
      await waitFor(() => sockets.filter((e) => e.closed).length === 3, 'three over the cap closed', 1500);
      expect(sockets.slice(0, 3).every((e) => !e.closed)).toBe(true);
      // Once the silent ones are gone, real clients get in again.
      for (const e of sockets) e.s.destroy();
      let c: RawClient | undefined;
      for (let i = 0; i < 50 && !c; i++) {
        c = await raw(r, token('dm')).catch(async () => {
          await new Promise((res) => setTimeout(res, 20));
          return undefined;
        });
      }
      await c!.roundTrip();
    });

    it('caps connections per remote address (the DM is not counted)', async () => {
      const r = await start({ limits: { maxConnectionsPerIp: 2 } });
      await raw(r, token('spectator', { user: 'a' }));
      await raw(r, token('spectator', { user: 'b' }));
      await expect(raw(r, token('spectator', { user: 'c' }))).rejects.toMatchObject({ status: 429 });
      await raw(r, token('dm'));
    });

    it('closes sockets that do not complete the upgrade in time, and caps pending sockets per address', async () => {
      const r = await start({ limits: { upgradeDeadlineMs: 300, maxPendingSocketsPerIp: 3 } });
      const sockets: { s: Socket; closedAt: number | undefined }[] = [];
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) {
        const s = connect(r.port, '127.0.0.1');
        const entry = { s, closedAt: undefined as number | undefined };
        s.on('close', () => (entry.closedAt = Date.now() - t0));
        s.on('error', () => undefined);
        sockets.push(entry);
        closers.push(() => s.destroy());
        await new Promise((res) => s.once('connect', res));
      }
      // Half a request line, then silence.
      sockets[0]!.s.write('GET /camp1/character/hero HTTP/1.1\r\nHost: x\r\n');
      await waitFor(() => sockets.every((e) => e.closedAt !== undefined), 'all silent sockets closed', 4000);
      // Two over the pending cap went at once; the others at the deadline.
      const early = sockets.filter((e) => e.closedAt! < 250).length;
      expect(early).toBe(2);
      // The relay still serves real clients.
      const c = await raw(r, token('dm'));
      await c.roundTrip();
    });
  });

  describe('refused writes (item 9)', () => {
    it('are audited aggregated, not one row each', async () => {
      const r = await start({ limits: { refusedWritesBurst: 10_000 } });
      const spec = await raw(r, token('spectator', { user: 'writer' }));
      for (let i = 0; i < 300; i++) spec.send(syncFrame(SYNC_UPDATE, updateSetting(`k${i}`, 'x')));
      await spec.roundTrip();
      expect(r.stats().refusedWrites).toBe(300);
      const rows = r.store.auditLog({ event: 'write.refused' });
      expect(rows.length).toBe(1);
      expect(rows[0]!.detail).toMatch(/^1 refused write/);
      expect(spec.closeCode).toBeUndefined();
      const store = r.store;
      await r.close();
      relay = undefined;
      void store;
      // On close the rest is written as one row.
      const { RelayStore } = await import('../src/store');
      const reopened = new RelayStore(tmp!.dir);
      try {
        const all = reopened.auditLog({ event: 'write.refused' });
        expect(all.length).toBe(2);
        expect(all[1]!.detail).toMatch(/^299 refused write/);
      } finally {
        reopened.close();
      }
    });

    it('a connection that keeps writing a read-only document is disconnected (4003)', async () => {
      const r = await start({ limits: { refusedWritesBurst: 10, refusedWritesPerSecond: 1 } });
      const good = await raw(r, token('dm'));
      const spec = await raw(r, token('spectator', { user: 'stubborn' }));
      for (let i = 0; i < 30; i++) spec.send(syncFrame(SYNC_UPDATE, updateSetting(`k${i}`, 'x')));
      expect(await spec.closed()).toBe(CLOSE_CODES.readOnlyViolation);
      expect(r.stats().refusedWrites).toBeLessThanOrEqual(12);
      await good.roundTrip();
      expect(good.closeCode).toBeUndefined();
    });
  });

  it('an update that decodes but fails to apply is never half-applied, broadcast or stored (item 10)', async () => {
    // Base document (client 1) and an update found by mutating valid updates: it decodes, then fails in
    // applyUpdate after integrating part of itself.
    const base = new Y.Doc();
    base.clientID = 1;
    base.getMap('m').set('a', 'x');
    const text = new Y.Text();
    base.getMap('m').set('t', text);
    text.insert(0, 'hello');
    const arr = new Y.Array<number>();
    base.getMap('m').set('arr', arr);
    arr.push([1, 2, 3]);
    const baseUpdate = Y.encodeStateAsUpdate(base);
    const bad = Buffer.from(
      '010566002801016d026b3201770176c401030104027a7ac801080109017d092701016d026e32012800661f0171017d010101010201',
      'hex',
    );
    // Sanity: on a plain Y.Doc it decodes, throws, and leaves part of itself behind.
    expect(() => Y.decodeUpdate(bad)).not.toThrow();
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, baseUpdate);
    expect(() => Y.applyUpdate(scratch, bad)).toThrow();
    expect(scratch.getMap('m').toJSON()).not.toEqual(base.getMap('m').toJSON());

    const r = await start();
    const observer = await raw(r, token('dm', { user: 'observer' }));
    observer.send(syncFrame(SYNC_UPDATE, baseUpdate));
    await observer.roundTrip();
    const expected = base.getMap('m').toJSON();
    const before = observer.received.length;
    const attacker = await raw(r, token('dm', { user: 'attacker' }));
    attacker.send(syncFrame(SYNC_UPDATE, bad));
    expect(await attacker.closed()).toBe(CLOSE_CODES.protocolError);
    const state = await observer.roundTrip();
    const d = new Y.Doc();
    Y.applyUpdate(d, state);
    expect(d.getMap('m').toJSON()).toEqual(expected);
    expect(observer.received.slice(before).filter((m) => m.step === SYNC_UPDATE)).toEqual([]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, r.store.load(DOC)!);
    expect(stored.getMap('m').toJSON()).toEqual(expected);
    expect(r.stats().rejectedUpdates).toBe(1);
    // The document keeps working.
    observer.send(syncFrame(SYNC_UPDATE, updateSetting('after', 'ok')));
    await observer.roundTrip();
    expect(mapOf(r.store.load(DOC))['after']).toBe('ok');
  });

  describe('bounded fan-out (item 11)', () => {
    it('sync step 1 answers per connection are bounded (then 4008)', async () => {
      const r = await start({ limits: { syncAnswersBurst: 20, syncAnswersPerSecond: 1 } });
      const dm = await raw(r, token('dm'));
      dm.send(syncFrame(SYNC_UPDATE, updateSetting('big', 'x'.repeat(10_000))));
      await dm.roundTrip();
      const reader = await raw(r, token('spectator', { user: 'amplifier' }));
      const empty = Y.encodeStateVector(new Y.Doc());
      for (let i = 0; i < 100; i++) reader.send(syncFrame(SYNC_STEP1, empty));
      expect(await reader.closed()).toBe(CLOSE_CODES.rateLimited);
      const answers = reader.received.filter((m) => m.step === SYNC_STEP2).length;
      expect(answers).toBeLessThanOrEqual(20);
      expect(answers).toBeGreaterThan(0);
    });

    it('presence frames per document are bounded; the excess is coalesced, the latest state still arrives', async () => {
      const r = await start({ limits: { presencePerDocBurst: 5, presencePerDocPerSecond: 5 } });
      const watcher = await raw(r, token('dm', { user: 'watcher' }));
      const chatty = await raw(r, token('spectator', { user: 'chatty' }));
      for (let i = 1; i <= 100; i++) chatty.send(awarenessFrame([{ id: 77, clock: i, state: { i } }]));
      await chatty.roundTrip();
      await watcher.roundTrip();
      expect(awarenessFramesReceived(watcher)).toBeLessThanOrEqual(6);
      expect(r.stats().presenceThrottled).toBeGreaterThanOrEqual(94);
      expect(chatty.closeCode).toBeUndefined();
      // The held entries collapse to the last one, applied when the budget allows.
      await waitFor(() => (presenceSeen(watcher).get(77) as { i?: number } | undefined)?.i === 100, 'latest');
      expect(awarenessFramesReceived(watcher)).toBeLessThanOrEqual(7);
    });

    it('presence frames per connection are bounded over all its documents', async () => {
      const r = await start({ limits: { presenceBurst: 5, presencePerSecond: 1 } });
      const watcher = await raw(r, token('dm', { user: 'watcher' }));
      const chatty = await raw(r, token('spectator', { user: 'chatty' }));
      for (let i = 1; i <= 50; i++) chatty.send(awarenessFrame([{ id: 78, clock: i, state: { i } }]));
      await chatty.roundTrip();
      await watcher.roundTrip();
      expect(awarenessFramesReceived(watcher)).toBeLessThanOrEqual(6);
      expect(r.stats().presenceThrottled).toBeGreaterThanOrEqual(44);
    });
  });

  it('random frames on multiplexed connections close only their sender and store nothing', async () => {
    const r = await start();
    const good = new MuxSyncProvider({ relayUrl: r.url, token: token('dm'), backoff: { initialMs: 20 } });
    closers.push(() => good.destroy());
    const mine = new Y.Doc();
    good.attach(DOC, mine);
    await good.whenSynced();
    mine.getMap('m').set('good', 1);
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let closed = 0;
    for (let i = 0; i < 30; i++) {
      const ws = new WebSocket(relayMuxUrl(r.url, CAMPAIGN, token('dm', { user: `fuzz${i}` })));
      closers.push(() => ws.terminate());
      ws.on('error', () => undefined);
      await new Promise((res) => ws.once('open', res));
      const junk = new Uint8Array(1 + Math.floor(rand() * 200)).map(() => Math.floor(rand() * 256));
      const subscribe = frame((e) => {
        encoding.writeVarUint(e, MUX_SUBSCRIBE);
        encoding.writeVarString(e, DOC);
        encoding.writeVarUint(e, 0);
      });
      ws.send(subscribe);
      // Half: random bytes inside a well-formed MUX_DOC for the subscribed document; half: random outer frames.
      ws.send(
        i % 2 === 0
          ? frame((e) => {
              encoding.writeVarUint(e, MUX_DOC);
              encoding.writeVarString(e, DOC);
              encoding.writeUint8Array(e, junk);
            })
          : junk,
      );
      const code = await new Promise<number | undefined>((res) => {
        ws.once('close', (c: number) => res(c));
        setTimeout(() => res(undefined), 300);
      });
      if (code !== undefined) closed++;
      ws.terminate();
    }
    expect(closed).toBeGreaterThan(20);
    mine.getMap('m').set('good', 2);
    await waitFor(() => mapOf(r.store.load(DOC))['good'] === 2, 'the good peer still syncs');
    expect(Object.keys(mapOf(r.store.load(DOC)))).toEqual(['good']);
    expect(good.status).toBe('synced');
  });

  it('the stock per-document URL still works next to all this', async () => {
    const r = await start();
    const c = await RawClient.connect(relayDocUrl(r.url, DOC, token('dm')));
    closers.push(() => c.ws.terminate());
    c.send(syncFrame(SYNC_STEP2, updateSetting('k', 'v')));
    expect(mapOf(await c.roundTrip())).toEqual({ k: 'v' });
  });
});
