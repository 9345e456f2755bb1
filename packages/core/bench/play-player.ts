/**
 * Player peers of the play bench in their own process (`node --import tsx play-player.ts '<json config>'`):
 * each seat is a data folder, a core and a sync hub connected to the relay with a player token (one process may
 * hold seats of several tables). Prints `READY` once every seat is synced and its session document open; then,
 * per stdin line `{"key":K,"seq":N,"target":ID,"hp":H}`, answers `WATCHING K N <hp now>` and, once that seat's session
 * document shows the target at H HP, `SEEN K N <epoch ms>` (`performance.timeOrigin + performance.now()`,
 * comparable across processes on one machine). `STOP` closes everything and exits.
 *
 * With `yws` in the config instead of `seats`, each entry is the real `y-websocket` client (`WebsocketProvider`
 * on a bare `Y.Doc`, no BroadcastChannel, no store, no tracker) on a room of the plain y-websocket relay
 * (`plain-relay.ts`): the side-by-side baseline in the players' process layout. It watches the number under key
 * `hp` of the map `m` (`target` is ignored).
 */
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { createEventBus } from '../src/api/events';
import { createSettingsStore } from '../src/api/settings';
import { createSyncHub } from '../src/api/sync';
import { createCore, silentLogger } from '../src/core';
import { ywsClient, ywsSynced } from './yws';

export interface SeatConfig {
  key: string;
  dataDir: string;
  token: string;
  author: string;
  campaign: string;
  session: string;
}

/** A `y-websocket` client on room `room` of the plain relay at `url`. */
export interface YwsConfig {
  key: string;
  url: string;
  room: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as {
  relayUrl: string;
  seats?: SeatConfig[];
  yws?: YwsConfig[];
};
const now = () => performance.timeOrigin + performance.now();

const hpOf = (doc: Y.Doc, id: string): number | undefined => {
  const list =
    (doc.getMap('entity').get('combatants') as Y.Array<Y.Map<unknown>> | undefined)?.toArray() ?? [];
  return list.find((m) => m.get('id') === id)?.get('hp') as number | undefined;
};

async function openSeat(seat: SeatConfig) {
  const core = await createCore({ dataDir: seat.dataDir, author: seat.author });
  const hub = createSyncHub({
    core,
    dataDir: seat.dataDir,
    settings: createSettingsStore(seat.dataDir),
    bus: createEventBus(),
    log: silentLogger,
    now: () => Date.now(),
    reopen: false,
  });
  const conn = await hub.connect({ relayUrl: cfg.relayUrl, token: seat.token });
  await conn.ready({ timeoutMs: 300_000 });
  const handle = await core.live.open({ campaign: seat.campaign, kind: 'session', docId: seat.session });
  let watch: { seq: number; target: string; hp: number } | undefined;
  const check = () => {
    if (!watch || hpOf(handle.doc, watch.target) !== watch.hp) return;
    process.stdout.write(`SEEN ${seat.key} ${watch.seq} ${now()}\n`);
    watch = undefined;
  };
  handle.doc.on('update', check);
  return {
    watch(w: { seq: number; target: string; hp: number }) {
      watch = w;
      process.stdout.write(`WATCHING ${seat.key} ${w.seq} ${hpOf(handle.doc, w.target) ?? -1}\n`);
      check();
    },
    async close() {
      handle.release();
      conn.close();
      hub.close();
      await core.close();
    },
  };
}

async function openPlain(p: YwsConfig) {
  const doc = new Y.Doc();
  const provider = ywsClient(p.url, p.room, doc);
  await ywsSynced(provider);
  const hpNow = () => doc.getMap('m').get('hp') as number | undefined;
  let watch: { seq: number; hp: number } | undefined;
  const check = () => {
    if (!watch || hpNow() !== watch.hp) return;
    process.stdout.write(`SEEN ${p.key} ${watch.seq} ${now()}\n`);
    watch = undefined;
  };
  doc.on('update', check);
  return {
    watch(w: { seq: number; target: string; hp: number }) {
      watch = w;
      process.stdout.write(`WATCHING ${p.key} ${w.seq} ${hpNow() ?? -1}\n`);
      check();
    },
    close() {
      provider.destroy();
      doc.destroy();
      return Promise.resolve();
    },
  };
}

const seats = new Map<
  string,
  { watch(w: { seq: number; target: string; hp: number }): void; close(): Promise<void> }
>();
for (const p of cfg.yws ?? []) seats.set(p.key, await openPlain(p));
// A few at a time: each seat's first sync reads the whole campaign from the relay.
const all = cfg.seats ?? [];
for (let i = 0; i < all.length; i += 8) {
  const batch = all.slice(i, i + 8);
  const opened = await Promise.all(batch.map(openSeat));
  batch.forEach((s, j) => seats.set(s.key, opened[j]!));
}

const input = createInterface({ input: process.stdin });
// The bench process gone (stdin closed) means this one goes too: nothing is left running.
input.on('close', () => process.exit(0));
input.on('line', (line) => {
  if (line === 'STOP') {
    void Promise.all([...seats.values()].map((s) => s.close())).then(() => process.exit(0));
    return;
  }
  const w = JSON.parse(line) as { key: string; seq: number; target: string; hp: number };
  seats.get(w.key)?.watch(w);
});
process.stdout.write('READY\n');
