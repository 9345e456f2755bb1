/**
 * Misbehaving clients: each attack runs next to two well-behaved clients on the same document, which must keep
 * syncing; nothing the attacker sent may end up stored (beyond what its rate limit legitimately let through).
 */
import { connect, type Socket } from 'node:net';
import {
  CLOSE_CODES,
  MESSAGE_AWARENESS,
  SYNC_UPDATE,
  docName,
  relayDocUrl,
  type SyncProvider,
} from '@loreforge/core';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Relay, RelayOptions } from '../src/index';
import {
  CAMPAIGN,
  RawClient,
  frame,
  makeRelay,
  mapOf,
  provider,
  syncFrame,
  tempDir,
  token,
  updateSetting,
  waitFor,
} from './helpers';

const DOC = docName(CAMPAIGN, 'character', 'hero');

/** Small deterministic PRNG (mulberry32) so the random-bytes test is repeatable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('relay robustness', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let relay: Relay | undefined;
  const providers: SyncProvider[] = [];

  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await relay?.close();
    tmp?.cleanup();
    relay = undefined;
  });

  /** Relay + two good clients that already share `{ good: 0 }`. */
  async function setup(
    extra: Partial<RelayOptions> = {},
  ): Promise<{ r: Relay; a: Y.Doc; b: Y.Doc; goodStillWorks: () => Promise<void> }> {
    tmp = tempDir();
    const r = (await makeRelay(tmp.dir, extra)).relay;
    relay = r;
    const a = new Y.Doc();
    const b = new Y.Doc();
    providers.push(
      provider(r, DOC, a, token('dm')),
      provider(r, DOC, b, token('player', { owns: ['hero'] })),
    );
    await Promise.all(providers.map((p) => p.whenSynced()));
    a.getMap('m').set('good', 0);
    await waitFor(() => b.getMap('m').get('good') === 0, 'good clients share a value');
    let n = 0;
    const goodStillWorks = async (): Promise<void> => {
      n++;
      a.getMap('m').set('good', n);
      await waitFor(() => b.getMap('m').get('good') === n, 'good clients still sync');
      expect(providers.every((p) => p.status === 'synced')).toBe(true);
    };
    return { r, a, b, goodStillWorks };
  }

  /** The stored document holds exactly what the good clients wrote. */
  function expectStoredIsGood(r: Relay, a: Y.Doc): void {
    expect(mapOf(r.store.load(DOC))).toEqual(a.getMap('m').toJSON());
  }

  it('random bytes close only the sender and store nothing', async () => {
    const { r, a, goodStillWorks } = await setup();
    const rand = prng(42);
    let dropped = 0;
    for (let i = 0; i < 40; i++) {
      const bad = await RawClient.forDoc(r, DOC, token('dm', { user: `fuzz${i}` }));
      const bytes = new Uint8Array(1 + Math.floor(rand() * 300)).map(() => Math.floor(rand() * 256));
      if (i % 2 === 0) bytes[0] = 0; // half of them look like sync messages
      bad.send(bytes);
      bad.send(syncFrame(0, Y.encodeStateVector(new Y.Doc()))); // a barrier if it is still open
      await waitFor(() => bad.closeCode !== undefined || bad.received.length >= 2, 'fuzz frame handled');
      if (bad.closeCode !== undefined) dropped++;
      bad.close();
    }
    expect(dropped).toBeGreaterThan(30);
    await goodStillWorks();
    expectStoredIsGood(r, a);
    expect(r.store.auditLog({ event: 'conn.dropped' }).length).toBe(dropped);
  });

  it('truncated updates and truncated frames close the sender (1002) and store nothing', async () => {
    const { r, a, goodStillWorks } = await setup();
    const d = new Y.Doc();
    d.getMap('m').set('evil', 'x'.repeat(200));
    d.getText('t').insert(0, 'truncate me');
    const update = Y.encodeStateAsUpdate(d);
    const whole = syncFrame(SYNC_UPDATE, update);
    for (const cut of [3, 10, Math.floor(whole.length / 2), whole.length - 1]) {
      // Outer frame cut short (length prefix promises more than there is).
      const c1 = await RawClient.forDoc(r, DOC, token('dm'));
      c1.send(whole.slice(0, cut));
      expect(await c1.closed()).toBe(CLOSE_CODES.protocolError);
    }
    for (const cut of [1, 5, Math.floor(update.length / 2), update.length - 1]) {
      // Well-framed, but the Yjs update inside is cut short.
      const c2 = await RawClient.forDoc(r, DOC, token('dm'));
      c2.send(syncFrame(SYNC_UPDATE, update.slice(0, cut)));
      expect(await c2.closed()).toBe(CLOSE_CODES.protocolError);
    }
    await goodStillWorks();
    expectStoredIsGood(r, a);
  });

  it('a WebSocket frame cut off mid-payload, and a frame with a bad opcode, only end that socket', async () => {
    const { r, goodStillWorks, a } = await setup();
    const url = new URL(relayDocUrl(r.url, DOC, token('dm')));
    const before = r.stats().connections;
    async function rawSocket(): Promise<Socket> {
      const s = connect(Number(url.port), url.hostname);
      await new Promise((res) => s.once('connect', res));
      s.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      await new Promise((res) => s.once('data', res)); // 101 Switching Protocols
      return s;
    }
    // Masked binary frame announcing 100 bytes, 10 sent, then the socket ends.
    const s1 = await rawSocket();
    await waitFor(() => r.stats().connections === before + 1, 'raw socket connected');
    s1.end(Buffer.concat([Buffer.from([0x82, 0x80 | 100, 1, 2, 3, 4]), Buffer.alloc(10, 7)]));
    await waitFor(() => r.stats().connections === before, 'truncated socket cleaned up');
    // Reserved opcode 0x3.
    const s2 = await rawSocket();
    s2.on('error', () => undefined);
    s2.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    await waitFor(() => r.stats().connections === before, 'bad-opcode socket closed');
    s2.destroy();
    expect(r.store.auditLog({ event: 'conn.bad_frame' }).length).toBeGreaterThanOrEqual(1);
    await goodStillWorks();
    expectStoredIsGood(r, a);
  });

  it('an oversized frame closes with 1009 and stores nothing', async () => {
    const { r, a, goodStillWorks } = await setup({ maxMessageBytes: 64 * 1024 });
    const big = new Y.Doc();
    big.getMap('m').set('huge', 'y'.repeat(100 * 1024));
    const c = await RawClient.forDoc(r, DOC, token('dm'));
    c.send(syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(big)));
    expect(await c.closed()).toBe(CLOSE_CODES.messageTooBig);
    await goodStillWorks();
    expectStoredIsGood(r, a);
  });

  it('a message flood closes with 4008; nothing beyond the limit is stored', async () => {
    const { r, a, goodStillWorks } = await setup({ rateLimit: { messagesPerSecond: 50, messageBurst: 100 } });
    const c = await RawClient.forDoc(r, DOC, token('dm', { user: 'flooder' }));
    const started = performance.now();
    for (let i = 0; i < 1000; i++) c.send(syncFrame(SYNC_UPDATE, updateSetting(`flood${i}`, 'f')));
    expect(await c.closed()).toBe(CLOSE_CODES.rateLimited);
    const elapsedS = (performance.now() - started) / 1000;
    const stored = Object.keys(mapOf(r.store.load(DOC))).filter((k) => k.startsWith('flood'));
    expect(stored.length).toBeLessThanOrEqual(100 + Math.ceil(50 * elapsedS));
    expect(stored.length).toBeLessThan(1000);
    await goodStillWorks();
    expect(r.store.auditLog({ event: 'conn.dropped' }).some((e) => e.detail?.startsWith('4008'))).toBe(true);
    expect(a.getMap('m').get('flood999')).toBeUndefined();
  });

  it('a byte flood closes with 4008', async () => {
    const { r, goodStillWorks } = await setup({
      maxMessageBytes: 64 * 1024,
      rateLimit: { bytesPerSecond: 64 * 1024, byteBurst: 128 * 1024 },
    });
    const c = await RawClient.forDoc(r, DOC, token('spectator'));
    const chunk = syncFrame(0, new Uint8Array(60 * 1024)); // state-vector requests of 60 KB each
    for (let i = 0; i < 10; i++) c.send(chunk);
    expect(await c.closed()).toBe(CLOSE_CODES.rateLimited);
    await goodStillWorks();
  });

  it('text frames and unknown message types close the sender', async () => {
    const { r, a, goodStillWorks } = await setup();
    const t = await RawClient.forDoc(r, DOC, token('dm'));
    t.send('{"hello":"json"}');
    expect(await t.closed()).toBe(CLOSE_CODES.unsupportedData);
    const u = await RawClient.forDoc(r, DOC, token('dm'));
    u.send(frame((e) => encoding.writeVarUint(e, 9)));
    expect(await u.closed()).toBe(CLOSE_CODES.protocolError);
    await goodStillWorks();
    expectStoredIsGood(r, a);
  });

  it('a client that stops answering pings is dropped; the others stay', async () => {
    // Long enough that the well-behaved clients' automatic pongs arrive in time even on a loaded machine.
    const { r, goodStillWorks } = await setup({ pingIntervalMs: 250 });
    const silent = await RawClient.connect(
      relayDocUrl(r.url, DOC, token('dm', { user: 'silent' })),
      undefined,
      {
        autoPong: false,
      },
    );
    await waitFor(() => silent.closeCode !== undefined, 'idle client dropped', 4000);
    await new Promise((res) => setTimeout(res, 600)); // two more ping rounds
    await goodStillWorks();
    const dropped = r.store.auditLog({ event: 'conn.dropped' });
    expect(dropped.map((e) => e.user)).toEqual(['silent']);
    expect(dropped[0]?.detail).toContain('idle');
    expect(r.stats().connections).toBe(2);
  });

  it('awareness for a client id owned by another connection is ignored; neither connection is dropped', async () => {
    const { r, goodStillWorks } = await setup();
    const awarenessFrame = (clientId: number, clock: number, state: unknown): Uint8Array =>
      frame((e) => {
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, clientId);
        encoding.writeVarUint(inner, clock);
        encoding.writeVarString(inner, JSON.stringify(state));
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
      });
    const owner = await RawClient.forDoc(r, DOC, token('spectator', { user: 'owner' }));
    owner.send(awarenessFrame(777, 1, { name: 'owner' }));
    await owner.roundTrip();
    const thief = await RawClient.forDoc(r, DOC, token('spectator', { user: 'thief' }));
    await waitFor(() => thief.received.some((m) => m.type === MESSAGE_AWARENESS), 'thief sees presence');
    const seenByOwner = owner.received.length;
    thief.send(awarenessFrame(777, 2, null));
    thief.send(awarenessFrame(777, 3, { name: 'not the owner' }));
    await thief.roundTrip();
    await owner.roundTrip();
    expect(thief.closeCode).toBeUndefined();
    expect(owner.closeCode).toBeUndefined();
    // Nothing of the thief's frames reached the owner.
    expect(owner.received.slice(seenByOwner).filter((m) => m.type === MESSAGE_AWARENESS)).toEqual([]);
    expect(r.stats().presenceIgnored).toBe(2);
    await goodStillWorks();
  });
});
