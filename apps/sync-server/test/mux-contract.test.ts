/**
 * Contract suite for the multiplexed client `MuxSyncProvider` (issue 9): the same cases run against an
 * in-process relay and against the real relay process (`relay start`, the node process itself, stopped by its
 * pid). One WebSocket per campaign per peer carries every document; permissions are per document; the relay
 * lists readable documents and lets a player create (and then own) journal/intents documents.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MuxSyncProvider, createRelayToken, docName, type Role } from '@loreforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { silentLogger, startRelay, type Relay } from '../src/index';
import { CAMPAIGN, SECRET, tempDir, waitFor } from './helpers';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface RelayHandle {
  url: string;
  port: number;
  /** Stop the relay (in-process: close; process: SIGKILL by pid, then wait until it is gone). */
  stop(): Promise<void>;
  /** Start it again on the same port and data dir. */
  restart(): Promise<void>;
  health(): Promise<{ connections: number; subscriptions: number }>;
}

interface Target {
  name: string;
  start(dataDir: string): Promise<RelayHandle>;
}

async function health(port: number): Promise<{ connections: number; subscriptions: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return (await res.json()) as { connections: number; subscriptions: number };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const inProcess: Target = {
  name: 'in-process relay',
  async start(dataDir) {
    let relay: Relay | undefined = await startRelay({
      port: 0,
      dataDir,
      secret: SECRET,
      logger: silentLogger,
    });
    const port = relay.port;
    return {
      url: relay.url,
      port,
      async stop() {
        await relay?.close();
        relay = undefined;
      },
      async restart() {
        relay = await startRelay({ port, dataDir, secret: SECRET, logger: silentLogger });
      },
      health: () => health(port),
    };
  },
};

function spawnRelay(
  dataDir: string,
  secretFile: string,
  port: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(
    MAIN,
    ['start', '--port', String(port), '--data-dir', dataDir, '--secret-file', secretFile],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /relay listening on (\S+)\n/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`relay exited early (${code}): ${out}`)));
  });
}

const realProcess: Target = {
  name: 'relay process',
  async start(dataDir) {
    const secretFile = join(dataDir, '..', `secret-${Math.random().toString(36).slice(2)}`);
    writeFileSync(secretFile, SECRET);
    let { child, url } = await spawnRelay(dataDir, secretFile, 0);
    const port = Number(new URL(url).port);
    const kill = async (): Promise<void> => {
      const pid = child.pid as number;
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGKILL');
        await gone;
      }
      await waitFor(() => !pidAlive(pid), `relay pid ${pid} gone`);
    };
    cleanups.push(kill);
    return {
      url,
      port,
      stop: kill,
      async restart() {
        ({ child } = await spawnRelay(dataDir, secretFile, port));
        url = `ws://127.0.0.1:${port}`;
      },
      health: () => health(port),
    };
  },
};

const cleanups: (() => void | Promise<void>)[] = [];

function tok(role: Role, user: string, owns: string[] = [], ttl = 3600, nowMs = Date.now()): string {
  return createRelayToken({ campaign: CAMPAIGN, user, role, owns, ttlSeconds: ttl, nowMs }, SECRET);
}

const CAMP = docName(CAMPAIGN, 'campaign', CAMPAIGN);
const NOTES = docName(CAMPAIGN, 'dmnotes', CAMPAIGN);
const ANA = docName(CAMPAIGN, 'character', 'pc-ana');
const BO = docName(CAMPAIGN, 'character', 'pc-bo');
const ITEM = docName(CAMPAIGN, 'item', 'rope');

describe.each([inProcess, realProcess])('MuxSyncProvider contract ($name)', (target) => {
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  async function setup(): Promise<{ relay: RelayHandle; peer: (t: string) => MuxSyncProvider }> {
    const tmp = tempDir();
    const relay = await target.start(join(tmp.dir, 'data'));
    cleanups.push(tmp.cleanup, () => relay.stop());
    const peer = (t: string): MuxSyncProvider => {
      const p = new MuxSyncProvider({
        relayUrl: relay.url,
        token: t,
        backoff: { initialMs: 20, maxMs: 200 },
      });
      cleanups.push(() => p.destroy());
      return p;
    };
    return { relay, peer };
  }

  function docWith(entries: Record<string, unknown>): Y.Doc {
    const d = new Y.Doc();
    for (const [k, v] of Object.entries(entries)) d.getMap('m').set(k, v);
    return d;
  }

  it('one WebSocket per peer carries many documents both ways', async () => {
    const { relay, peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const dmDocs = [CAMP, ANA, ITEM].map((n) => [n, docWith({ name: n })] as const);
    for (const [n, d] of dmDocs) dm.attach(n, d);
    await dm.whenSynced();
    const player = peer(tok('player', 'ana', ['pc-ana']));
    const mine = new Map([CAMP, ANA, ITEM].map((n) => [n, new Y.Doc()]));
    for (const [n, d] of mine) player.attach(n, d, { readOnly: n !== ANA });
    await player.whenSynced();
    for (const [n, d] of mine) expect(d.getMap('m').get('name')).toBe(n);
    mine.get(ANA)!.getMap('m').set('hp', 7);
    await waitFor(() => dmDocs[1]![1].getMap('m').get('hp') === 7, 'player edit at the DM');
    dmDocs[2]![1].getMap('m').set('length', 50);
    await waitFor(() => mine.get(ITEM)!.getMap('m').get('length') === 50, 'DM edit at the player');
    expect(await relay.health()).toMatchObject({ connections: 2, subscriptions: 6 });
    expect(player.accessOf(ANA)).toBe('write');
    expect(player.accessOf(CAMP)).toBe('read');
  });

  it('lists the documents the token may read, on connect and as new ones appear', async () => {
    const { relay, peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const journal = docName(CAMPAIGN, 'journal', 'recap-1');
    for (const n of [CAMP, NOTES, ANA, journal]) dm.attach(n, docWith({ n }));
    await dm.whenSynced();
    const spectator = peer(tok('spectator', 'eve'));
    const heard: string[][] = [];
    spectator.onDocs((names) => heard.push(names));
    await waitFor(() => heard.length > 0, 'listing');
    expect([...heard[0]!].sort()).toEqual([ANA, CAMP, journal].sort()); // never the DM notes
    // Attached before anyone wrote it: synced (the relay has nothing), no room held for the reader.
    const rope = new Y.Doc();
    spectator.attach(ITEM, rope, { readOnly: true });
    await spectator.whenDocSynced(ITEM);
    expect(rope.getMap('m').toJSON()).toEqual({});
    expect(await relay.health()).toMatchObject({ rooms: 4 }); // the DM's four; none for the reader
    dm.attach(ITEM, docWith({ n: 'rope' }));
    await waitFor(() => spectator.docs().includes(ITEM), 'new document listed');
    expect(heard.at(-1)).toEqual([ITEM]);
    // Once it exists, the waiting reader subscribes and receives it.
    await waitFor(() => rope.getMap('m').get('n') === 'rope', 'late document arrives');
    expect(spectator.accessOf(ITEM)).toBe('read');
  });

  it('checks permissions per document: read-only edits stay local, a refused document leaves the rest alone', async () => {
    const { peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const dmCamp = docWith({ title: 'Saga' });
    const dmAna = docWith({});
    dm.attach(CAMP, dmCamp);
    dm.attach(NOTES, docWith({ secret: 'the butler' }));
    dm.attach(ANA, dmAna);
    await dm.whenSynced();
    const player = peer(tok('player', 'ana', ['pc-ana']));
    const denied: string[] = [];
    player.onPermissionDenied((n) => denied.push(n));
    const camp = new Y.Doc();
    const notes = new Y.Doc();
    const ana = new Y.Doc();
    // Attached writable on purpose: the relay must refuse the campaign write itself.
    player.attach(CAMP, camp);
    player.attach(NOTES, notes);
    player.attach(ANA, ana);
    await expect(player.whenDocSynced(NOTES)).rejects.toThrow(/may not read dmnotes/);
    expect(player.docStatus(NOTES)).toMatchObject({ status: 'refused', code: 403 });
    await player.whenDocSynced(CAMP);
    await player.whenDocSynced(ANA);
    expect(notes.getMap('m').toJSON()).toEqual({});
    expect(player.accessOf(CAMP)).toBe('read');
    camp.getMap('m').set('title', 'Hijacked');
    ana.getMap('m').set('hp', 3);
    await waitFor(() => dmAna.getMap('m').get('hp') === 3, 'own sheet reaches the DM');
    expect(dmCamp.getMap('m').get('title')).toBe('Saga');
    expect(player.status).toBe('synced');
    void denied;
  });

  it('a player creates a journal and an intents document and owns them; other players read the journal only', async () => {
    const { relay, peer } = await setup();
    const journal = docName(CAMPAIGN, 'journal', 'ana-diary');
    const intents = docName(CAMPAIGN, 'intents', 'ana-intents');
    const ana = peer(tok('player', 'ana', ['pc-ana']));
    const diary = docWith({});
    const wants = docWith({});
    ana.attach(journal, diary);
    ana.attach(intents, wants);
    await ana.whenSynced();
    expect(ana.accessOf(journal)).toBe('write');
    expect(ana.accessOf(intents)).toBe('write');
    diary.getMap('m').set('entry', 'Day 1');
    wants.getMap('m').set('action', 'dash');

    const bo = peer(tok('player', 'bo', ['pc-bo']));
    const boDiary = new Y.Doc();
    bo.attach(journal, boDiary); // asks to create, but it exists: read only
    await bo.whenDocSynced(journal);
    expect(bo.accessOf(journal)).toBe('read');
    await waitFor(() => boDiary.getMap('m').get('entry') === 'Day 1', 'journal readable by another player');
    boDiary.getMap('m').set('entry', 'forged');
    bo.attach(intents, new Y.Doc());
    await expect(bo.whenDocSynced(intents)).rejects.toThrow(/403|may not read intents/);

    const dm = peer(tok('dm', 'dm'));
    const dmDiary = new Y.Doc();
    const dmWants = new Y.Doc();
    dm.attach(journal, dmDiary);
    dm.attach(intents, dmWants);
    await dm.whenSynced();
    expect(dmDiary.getMap('m').get('entry')).toBe('Day 1');
    expect(dmWants.getMap('m').get('action')).toBe('dash');

    // Ownership is recorded by the relay: it survives a restart and a fresh connection.
    await relay.stop();
    await relay.restart();
    const again = peer(tok('player', 'ana', ['pc-ana']));
    const diary2 = new Y.Doc();
    again.attach(journal, diary2);
    await again.whenSynced();
    expect(again.accessOf(journal)).toBe('write');
    expect(diary2.getMap('m').get('entry')).toBe('Day 1');
  });

  it('the per-document path creates too: a stock client of a player makes an intents document its own', async () => {
    const { relay } = await setup();
    const name = docName(CAMPAIGN, 'intents', 'bo-turn-3');
    const mine = new Y.Doc();
    const yws = new WebsocketProvider(`${relay.url}/${CAMPAIGN}/intents`, 'bo-turn-3', mine, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tok('player', 'bo') },
      disableBc: true,
    });
    cleanups.push(() => yws.destroy());
    await waitFor(() => yws.synced, 'creator synced');
    mine.getMap('m').set('action', 'hide');
    const dm = new MuxSyncProvider({ relayUrl: relay.url, token: tok('dm', 'dm') });
    cleanups.push(() => dm.destroy());
    const seen = new Y.Doc();
    dm.attach(name, seen);
    await waitFor(() => seen.getMap('m').get('action') === 'hide', 'creator wrote it');
    const ana = new MuxSyncProvider({ relayUrl: relay.url, token: tok('player', 'ana') });
    cleanups.push(() => ana.destroy());
    ana.attach(name, new Y.Doc());
    await expect(ana.whenDocSynced(name)).rejects.toThrow(/may not read intents/);
  });

  it('reconnects with backoff after the relay goes away; offline edits on both sides converge', async () => {
    const { relay, peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const player = peer(tok('player', 'ana', ['pc-ana']));
    const a = new Y.Doc();
    const b = new Y.Doc();
    dm.attach(ANA, a);
    player.attach(ANA, b);
    await Promise.all([dm.whenSynced(), player.whenSynced()]);
    a.getMap('m').set('x', 1);
    await waitFor(() => b.getMap('m').get('x') === 1, 'first edit');
    const statuses: string[] = [];
    player.onStatus((e) => statuses.push(e.status));
    await relay.stop();
    await waitFor(() => player.status !== 'synced' && dm.status !== 'synced', 'both notice');
    a.getMap('m').set('dmOffline', true);
    b.getMap('m').set('playerOffline', true);
    await relay.restart();
    await waitFor(
      () => a.getMap('m').get('playerOffline') === true && b.getMap('m').get('dmOffline') === true,
      'offline edits crossed',
      10_000,
    );
    expect(statuses).toContain('disconnected');
    expect(statuses).toContain('connecting');
    await waitFor(() => player.status === 'synced', 'synced again');
  });

  it('a token refused at the upgrade is fatal: status error, no reconnect loop', async () => {
    const { peer } = await setup();
    const expired = tok('player', 'ana', [], 1, Date.now() - 10_000);
    const p = peer(expired);
    p.attach(ANA, new Y.Doc());
    await expect(p.whenSynced()).rejects.toThrow();
    expect(p.status).toBe('error');
    const attempts: string[] = [];
    p.onStatus((e) => attempts.push(e.status));
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toEqual([]);
  });

  it('detach stops one document; the others keep syncing', async () => {
    const { relay, peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const player = peer(tok('player', 'ana', ['pc-ana', 'pc-bo']));
    const [dA, dB, pA, pB] = [new Y.Doc(), new Y.Doc(), new Y.Doc(), new Y.Doc()];
    dm.attach(ANA, dA);
    dm.attach(BO, dB);
    player.attach(ANA, pA);
    player.attach(BO, pB);
    await Promise.all([dm.whenSynced(), player.whenSynced()]);
    player.detach(BO);
    for (let i = 0; i < 100 && (await relay.health()).subscriptions !== 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await relay.health()).subscriptions).toBe(3);
    dB.getMap('m').set('after', 1);
    dA.getMap('m').set('after', 1);
    await waitFor(() => pA.getMap('m').get('after') === 1, 'attached doc still syncs');
    await new Promise((r) => setTimeout(r, 100));
    expect(pB.getMap('m').get('after')).toBeUndefined();
  });

  it('presence goes over the multiplexed socket, stamped with the token identity', async () => {
    const { peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const spec = peer(tok('spectator', 'eve'));
    const d1 = docWith({ name: 'Ana' });
    const d2 = new Y.Doc();
    const aw1 = new Awareness(d1);
    const aw2 = new Awareness(d2);
    cleanups.push(
      () => aw1.destroy(),
      () => aw2.destroy(),
    );
    aw2.setLocalState({ name: 'Eve', relay: { user: 'dm', role: 'dm' } });
    dm.attach(ANA, d1, { awareness: aw1 });
    await dm.whenSynced();
    spec.attach(ANA, d2, { awareness: aw2, readOnly: true });
    await waitFor(() => aw1.getStates().has(d2.clientID), 'presence arrives');
    expect(aw1.getStates().get(d2.clientID)).toEqual({
      name: 'Eve',
      relay: { user: 'eve', role: 'spectator' },
    });
  });

  it('a stock per-document y-websocket client and a multiplexed peer share a document', async () => {
    const { relay, peer } = await setup();
    const dm = peer(tok('dm', 'dm'));
    const ours = new Y.Doc();
    dm.attach(ANA, ours);
    await dm.whenSynced();
    const theirs = new Y.Doc();
    const yws = new WebsocketProvider(`${relay.url}/${CAMPAIGN}/character`, 'pc-ana', theirs, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tok('player', 'ana', ['pc-ana']) },
      disableBc: true,
    });
    cleanups.push(() => yws.destroy());
    await waitFor(() => yws.synced, 'stock client synced');
    theirs.getMap('m').set('via', 'stock');
    await waitFor(() => ours.getMap('m').get('via') === 'stock', 'stock → mux');
    ours.getMap('m').set('back', 1);
    await waitFor(() => theirs.getMap('m').get('back') === 1, 'mux → stock');
  });
});
