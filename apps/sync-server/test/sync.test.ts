import { docName, type SyncProvider } from '@loreforge/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Relay } from '../src/index';
import { CAMPAIGN, makeRelay, mapOf, provider, tempDir, token, waitFor } from './helpers';

const CHAR = docName(CAMPAIGN, 'character', 'hero');
const CAMP = docName(CAMPAIGN, 'campaign', 'root');

describe('relay sync', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: Relay;
  const providers: SyncProvider[] = [];
  const track = (p: SyncProvider): SyncProvider => (providers.push(p), p);

  beforeEach(async () => {
    tmp = tempDir();
    relay = (await makeRelay(tmp.dir)).relay;
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await relay.close();
    tmp.cleanup();
  });

  it('two clients on two documents converge, and the documents stay apart', async () => {
    const dm = token('dm');
    const [a1, b1, a2, b2] = [new Y.Doc(), new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const ps = [
      track(provider(relay, CHAR, a1, dm)),
      track(provider(relay, CHAR, b1, dm)),
      track(provider(relay, CAMP, a2, dm)),
      track(provider(relay, CAMP, b2, dm)),
    ];
    await Promise.all(ps.map((p) => p.whenSynced()));
    a1.getMap('m').set('hp', 12);
    b2.getText('t').insert(0, 'Session zero');
    await waitFor(() => b1.getMap('m').get('hp') === 12, 'character edit on b1');
    await waitFor(() => a2.getText('t').toString() === 'Session zero', 'campaign edit on a2');
    expect(a2.getMap('m').toJSON()).toEqual({});
    expect(b1.getText('t').toString()).toBe('');
  });

  it('the DM sees a player edit on their own character', async () => {
    const dmDoc = new Y.Doc();
    const playerDoc = new Y.Doc();
    const pDm = track(provider(relay, CHAR, dmDoc, token('dm')));
    const pPl = track(provider(relay, CHAR, playerDoc, token('player', { owns: ['hero'] })));
    await Promise.all([pDm.whenSynced(), pPl.whenSynced()]);
    playerDoc.getMap('m').set('name', 'Brann');
    await waitFor(() => dmDoc.getMap('m').get('name') === 'Brann', 'player edit at DM');
  });

  it('offline edits on two peers converge after reconnect', async () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const pa = track(provider(relay, CHAR, a, token('dm')));
    const pb = track(provider(relay, CHAR, b, token('player', { owns: ['hero'] })));
    await Promise.all([pa.whenSynced(), pb.whenSynced()]);
    a.getMap('m').set('base', 1);
    await waitFor(() => b.getMap('m').get('base') === 1, 'base at b');

    pa.disconnect();
    pb.disconnect();
    a.getMap('m').set('fromA', 'a');
    a.getText('notes').insert(0, 'AAA');
    b.getMap('m').set('fromB', 'b');
    b.getText('notes').insert(0, 'BBB');

    pa.connect();
    await pa.whenSynced();
    pb.connect();
    await pb.whenSynced();
    await waitFor(
      () => a.getMap('m').get('fromB') === 'b' && b.getMap('m').get('fromA') === 'a',
      'cross edits',
    );
    await waitFor(() => a.getText('notes').toString() === b.getText('notes').toString(), 'same text');
    expect(a.getText('notes').toString()).toHaveLength(6);
    expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  });

  it('peers sync through the relay while the other is offline', async () => {
    const a = new Y.Doc();
    const pa = track(provider(relay, CHAR, a, token('dm')));
    await pa.whenSynced();
    a.getMap('m').set('level', 3);
    await waitFor(() => mapOf(relay.store.load(CHAR))['level'] === 3, 'stored edit');
    pa.destroy();
    await waitFor(() => relay.stats().rooms === 0, 'room unloaded');

    const b = new Y.Doc();
    const pb = track(provider(relay, CHAR, b, token('spectator')));
    await pb.whenSynced();
    expect(b.getMap('m').get('level')).toBe(3);
  });

  it('a relay restart on the same data dir loses nothing (log and compacted state)', async () => {
    await relay.close();
    relay = (await makeRelay(tmp.dir, { compactEvery: 7 })).relay;
    const a = new Y.Doc();
    const pa = track(provider(relay, CHAR, a, token('dm')));
    await pa.whenSynced();
    for (let i = 0; i < 30; i++) a.getMap('m').set(`k${i}`, i); // crosses several compactions
    a.getText('t').insert(0, 'kept');
    await waitFor(() => Object.keys(mapOf(relay.store.load(CHAR))).length === 30, 'all stored');
    await relay.close(); // while the client is still connected

    relay = (await makeRelay(tmp.dir)).relay;
    const b = new Y.Doc();
    const pb = track(provider(relay, CHAR, b, token('spectator')));
    await pb.whenSynced();
    expect(b.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON());
    expect(b.getText('t').toString()).toBe('kept');
  });

  it('a provider reconnects by itself after the relay comes back on the same port', async () => {
    const a = new Y.Doc();
    const pa = track(provider(relay, CHAR, a, token('dm')));
    await pa.whenSynced();
    const port = relay.port;
    const statuses: string[] = [];
    pa.onStatus((e) => statuses.push(e.status));
    await relay.close();
    await waitFor(() => pa.status === 'disconnected' || pa.status === 'connecting', 'disconnect seen');
    a.getMap('m').set('offline', true);
    relay = (await makeRelay(tmp.dir, { port })).relay;
    await waitFor(() => pa.status === 'synced', 'resynced', 5000);
    await waitFor(() => mapOf(relay.store.load(CHAR))['offline'] === true, 'offline edit stored');
    expect(statuses).toContain('disconnected');
    expect(statuses).toContain('connecting');
    expect(statuses.at(-1)).toBe('synced');
  });

  it('interoperates with the stock y-websocket client (token in the query)', async () => {
    const ours = new Y.Doc();
    const pOurs = track(provider(relay, CHAR, ours, token('dm')));
    await pOurs.whenSynced();
    const theirs = new Y.Doc();
    const yws = new WebsocketProvider(`${relay.url}/${CAMPAIGN}/character`, 'hero', theirs, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: token('dm') },
      disableBc: true,
    });
    try {
      await waitFor(() => yws.synced, 'y-websocket synced');
      theirs.getMap('m').set('via', 'y-websocket');
      await waitFor(() => ours.getMap('m').get('via') === 'y-websocket', 'edit reached our provider');
      ours.getMap('m').set('back', 1);
      await waitFor(() => theirs.getMap('m').get('back') === 1, 'edit reached y-websocket');
    } finally {
      yws.destroy();
    }
  });
});
