/**
 * Live play latency: a DM peer and 7 player peers per table (separate data folders, one multiplexed socket each)
 * share a campaign through the real relay (a child process). The DM applies damage to a party character through
 * the combat tracker (`play.combat.damage`: full state in dmnotes, public projection in the session document,
 * sheet write-back); the time until the new HP is in every player's session document is measured, p50/p99
 * (visible on all 7, and per player).
 *
 * Players run in child processes (`play-player.ts`), 7 by default (`LOREFORGE_BENCH_PLAY_PROCS=N`): seat i of
 * table t lives in process (7t + i) mod N, so with 7 processes process i holds seat i of every table and no two
 * seats of one table share a process until N < 7. The DM peers of all tables run in this process (one core, one
 * sync hub and one socket each). `LOREFORGE_BENCH_PLAY_INPROC=1` keeps the players in this process too (the old
 * layout). Tables run concurrently: 1 by default, `LOREFORGE_BENCH_TABLES=N` for N, `LOREFORGE_BENCH_PLAY_FULL=1`
 * for the 100 concurrent tables mode (800 peers; progress on stderr). DM actions per table: 1000 ×
 * `LOREFORGE_BENCH_SCALE` at one table, 100 × with more (at least 10), after `LOREFORGE_BENCH_PLAY_WARMUP` warm-up actions. The default, 1500
 * (14 in the 100-table mode), measures a table in its steady state: through the first ~1000 actions V8's optimizing
 * compiler keeps compiling the hot code of all 9 processes, which on a 2-core machine stalls single updates by
 * 15–35 ms (they vanish with `node --no-opt`; docs/benchmarks.md, fifth round). The warm-up actions' own times are
 * reported apart (p50, p99, slowest), never counted in the steady-state figures. The baselines are the real
 * `y-websocket` client through a plain y-websocket relay (`plain-relay.ts`): at one table, side by side (a plain
 * write right after each DM action, readers in 7 processes: `SideBySide`), and all in one process afterwards; they
 * get the same warm-up. The load average is recorded before and after the timed part.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { seededRng } from '@loreforge/rules-5e/dice';
import type * as Y from 'yjs';
import { createCore } from '../src/core';
import { createPlay } from '../src/play/service';
import { createRelayToken } from '../src/sync/token';
import { randomUUID } from 'node:crypto';
import type { WebsocketProvider } from 'y-websocket';
import * as YDoc from 'yjs';
import { killGroup, spawnNode, startRelayProcess, type RelayProcess } from '../test/fixtures/relay-process';
import type { SeatConfig, YwsConfig } from './play-player';
import { tempDir } from '../test/helpers';
import { quantile, type BenchResult } from './common';
import { connectPeer, type BenchPeer } from './sync-peer';
import { startPlainRelay, ywsClient, ywsSynced, type PlainRelay } from './yws';

const PLAYERS = 7;
/** Actions before the timed ones (see above: V8's compiler settles; each code path has run). */
const FULL = process.env['LOREFORGE_BENCH_PLAY_FULL'] === '1';
const WARMUP = Math.max(
  0,
  Number(process.env['LOREFORGE_BENCH_PLAY_WARMUP'] ?? String(FULL ? 2 * PLAYERS : 1500)),
);
/** How long one answer of a player process may take (the 100-table mode waits longer). */
let answerMs = 30_000;
const progress = (what: string) => process.stderr.write(`play bench: ${what}\n`);

/** The 7 player processes: seat i of every table lives in process i. */
class PlayerProcs {
  private procs: ChildProcessWithoutNullStreams[] = [];
  private waiters = new Map<string, (time: number) => void>();
  private stderr = '';

  async start(relayUrl: string, seatsByProc: SeatConfig[][] | YwsConfig[][], plain = false): Promise<void> {
    const script = resolvePath(import.meta.dirname, 'play-player.ts');
    await Promise.all(
      seatsByProc.map(async (seats) => {
        const child = spawnNode(script, [
          JSON.stringify({ relayUrl, ...(plain ? { yws: seats } : { seats }) }),
        ]) as ChildProcessWithoutNullStreams;
        this.procs.push(child);
        child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
        await new Promise<void>((res, rej) => {
          child.once('exit', (code, sig) =>
            rej(new Error(`player process exited (${code ?? sig}): ${this.stderr}`)),
          );
          createInterface({ input: child.stdout }).on('line', (line) => {
            if (line === 'READY') return res();
            const [what, key, seq, time] = line.split(' ');
            this.waiters.get(`${what} ${key} ${seq}`)?.(Number(time ?? 0));
          });
        });
      }),
    );
  }

  /** The player processes' pids (for their CPU time). */
  pids(): number[] {
    return this.procs.flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  private wait(what: string, key: string, seq: number): Promise<number> {
    const k = `${what} ${key} ${seq}`;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${k}: no answer after ${answerMs / 1000} s`)), answerMs);
      this.waiters.set(k, (time) => {
        clearTimeout(timer);
        this.waiters.delete(k);
        res(time);
      });
    });
  }

  /** Arm seat `key` (in process `proc`) to report when `target` shows `hp`; resolves once armed. */
  async watch(
    proc: number,
    key: string,
    seq: number,
    target: string,
    hp: number,
  ): Promise<{ seen: Promise<number> }> {
    const armed = this.wait('WATCHING', key, seq);
    const seen = this.wait('SEEN', key, seq);
    // Awaited later (or never, if another seat failed first): a timeout must not crash the bench before cleanup.
    seen.catch(() => undefined);
    this.procs[proc]!.stdin.write(`${JSON.stringify({ key, seq, target, hp })}\n`);
    await armed;
    return { seen };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        const exited = new Promise<void>((r) => (p.exitCode !== null ? r() : p.once('exit', () => r())));
        p.stdin.write('STOP\n');
        const timer = setTimeout(() => void killGroup(p), 20_000);
        await exited;
        clearTimeout(timer);
        await killGroup(p); // the group's other members, if any
      }),
    );
  }
}

const epoch = () => performance.timeOrigin + performance.now();

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux); 0 when unreadable. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name, in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

interface TableSetup {
  t: number;
  campaign: string;
  session: string;
  party: string[];
  play: ReturnType<typeof createPlay>;
  seats: SeatConfig[];
  dm: BenchPeer;
}

/** Table `t`'s DM peer: a campaign with its party, connected to the relay, with a combat started (one foe hidden). */
async function startDm(relay: RelayProcess, t: number, peers: BenchPeer[]) {
  const dmDir = tempDir('lf-bench-play-');
  const setup = await createCore({ dataDir: dmDir.dir, author: 'dm' });
  const campaign = (await setup.campaigns.create({ name: `Table ${t}` })).id;
  const party: string[] = [];
  for (let i = 0; i < PLAYERS; i++)
    party.push(
      (await setup.characters.import({ ...EXAMPLE_BUILD, name: `Hero ${t}-${i}` }, { campaign })).id,
    );
  await setup.close();
  const tok = (user: string, role: 'dm' | 'player', owns: string[]) =>
    createRelayToken({ campaign, user, role, owns, ttlSeconds: 3600, nowMs: Date.now() }, relay.secret);
  const dm = await connectPeer(relay.url, dmDir, 'dm', tok('dm', 'dm', []), campaign);
  peers.push(dm);
  const play = createPlay(dm.core, { author: 'dm', rng: seededRng(t + 1) });
  const start = await play.combat.start({
    campaign,
    party,
    creatures: [{ id: 'goblin-warrior', count: 3 }],
    hidden: ['goblin-warrior-3'],
    seed: t,
  });
  await dm.core.live.flush();
  return { campaign, party, play, session: start.session, tok, dm };
}

/** A table whose DM peer runs here; its 7 player seats are described for the player processes. */
async function setupTable(
  relay: RelayProcess,
  t: number,
  peers: BenchPeer[],
  dirs: (() => void)[],
): Promise<TableSetup> {
  const { campaign, party, play, session, tok, dm } = await startDm(relay, t, peers);
  const seats = party.map((ch, i) => {
    const d = tempDir('lf-bench-play-');
    dirs.push(d.cleanup);
    return {
      key: `${t}.${i}`,
      dataDir: d.dir,
      token: tok(`p${i}`, 'player', [ch]),
      author: `p${i}`,
      campaign,
      session,
    };
  });
  return { t, campaign, session, party, play, seats, dm };
}

/** One table's DM actions, timed until every player process reports the new HP. */
async function tableRemote(
  tb: TableSetup,
  procs: PlayerProcs,
  samples: number,
  procOf: ReadonlyMap<string, number>,
  timedStart: () => void,
  side?: SideBySide,
): Promise<Timings> {
  const all: number[] = [];
  const each: number[] = [];
  const local: number[] = [];
  const sent: number[] = [];
  const wire: number[] = [];
  // When the session's update leaves the DM peer: Yjs emits 'afterTransaction' right before the 'update' event
  // the sync provider sends from (timed after the send, a preemption of this process in between — the socket
  // write wakes the relay — would be counted as the DM's work).
  const sessionDoc = await tb.dm.core.live.open({
    campaign: tb.campaign,
    kind: 'session',
    docId: tb.session,
  });
  let sentAt: number | undefined;
  const onUpdate = (tr: Y.Transaction) => {
    if (tr.local && (tr.changed.size > 0 || tr.deleteSet.clients.size > 0)) sentAt ??= epoch();
  };
  sessionDoc.doc.on('afterTransaction', onUpdate);
  const hp = new Map<string, number>();
  for (const row of (await tb.play.combat.state(tb.session)).order) hp.set(row.id, row.hp);
  const warm: number[] = [];
  for (let n = 0; n < WARMUP + samples; n++) {
    // Warm-up actions are numbered below 0 (sequence numbers stay unique for the player processes).
    const s = n - WARMUP;
    if (s === 0) timedStart();
    const target = tb.party[n % PLAYERS]!;
    const before = hp.get(target) ?? 0;
    const op = before > 10 ? 'damage' : 'heal';
    const expected = op === 'damage' ? before - 1 : before + 1;
    const armed = await Promise.all(
      tb.seats.map((seat) => procs.watch(procOf.get(seat.key)!, seat.key, s, target, expected)),
    );
    sentAt = undefined;
    const t0 = epoch();
    const p0 = performance.now();
    if (op === 'damage') await tb.play.combat.damage(tb.session, target, 1);
    else await tb.play.combat.heal(tb.session, target, 1);
    const localMs = performance.now() - p0;
    hp.set(target, expected);
    const times = await Promise.all(armed.map((a) => a.seen));
    await side?.act(s);
    if (s < 0) {
      warm.push(Math.max(...times) - t0);
      continue;
    }
    local.push(localMs);
    all.push(Math.max(...times) - t0);
    for (const x of times) each.push(x - t0);
    if (sentAt !== undefined) {
      sent.push(sentAt - t0);
      wire.push(Math.max(...times) - sentAt);
    }
  }
  sessionDoc.doc.off('afterTransaction', onUpdate);
  sessionDoc.release();
  return { all, each, local, sent, wire, warm };
}

interface Timings {
  all: number[];
  each: number[];
  local: number[];
  /** Action start → the session update left the DM peer (the DM's work before the wire). */
  sent?: number[];
  /** The session update left → visible on all 7 (relay, players' processes). */
  wire?: number[];
  /** The warm-up actions (not counted), in order. */
  warm?: number[];
}

async function table(
  relay: RelayProcess,
  t: number,
  samples: number,
  peers: BenchPeer[],
): Promise<{ all: number[]; each: number[]; local: number[] }> {
  const { campaign, party, play, session, tok } = await startDm(relay, t, peers);
  const players: BenchPeer[] = [];
  for (let i = 0; i < PLAYERS; i++) {
    const p = await connectPeer(
      relay.url,
      tempDir('lf-bench-play-'),
      `p${i}`,
      tok(`p${i}`, 'player', [party[i]!]),
    );
    players.push(p);
    peers.push(p);
  }
  const handles = await Promise.all(
    players.map((p) => p.core.live.open({ campaign, kind: 'session', docId: session })),
  );
  const hpOf = (doc: Y.Doc, id: string): number | undefined => {
    const list =
      (doc.getMap('entity').get('combatants') as Y.Array<Y.Map<unknown>> | undefined)?.toArray() ?? [];
    return list.find((m) => m.get('id') === id)?.get('hp') as number | undefined;
  };
  const all: number[] = [];
  const each: number[] = [];
  const local: number[] = [];
  for (let n = 0; n < WARMUP + samples; n++) {
    const s = n - WARMUP;
    const target = party[n % PLAYERS]!;
    const before = hpOf(handles[0]!.doc, target) ?? 0;
    // Damage or heal so the HP always changes and nobody drops.
    const op = before > 10 ? 'damage' : 'heal';
    const expected = op === 'damage' ? before - 1 : before + 1;
    const seen = handles.map(
      (h) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`table ${t} sample ${s}: not visible after 30 s`)),
            30_000,
          );
          const check = () => {
            if (hpOf(h.doc, target) !== expected) return;
            clearTimeout(timer);
            h.doc.off('update', check);
            resolve(performance.now());
          };
          h.doc.on('update', check);
          check();
        }),
    );
    const t0 = performance.now();
    if (op === 'damage') await play.combat.damage(session, target, 1);
    else await play.combat.heal(session, target, 1);
    const localMs = performance.now() - t0;
    const times = await Promise.all(seen);
    if (s < 0) continue;
    local.push(localMs);
    all.push(Math.max(...times) - t0);
    for (const x of times) each.push(x - t0);
  }
  for (const h of handles) h.release();
  return { all, each, local };
}

/**
 * Baseline in one process: 8 real `y-websocket` clients on one room of the plain relay; one sets a value, the
 * time until all 7 others hold it (after the DM actions).
 */
async function plainBaseline(plainUrl: string, samples: number): Promise<number[]> {
  const room = randomUUID();
  const clients = Array.from({ length: PLAYERS + 1 }, () => {
    const doc = new YDoc.Doc();
    return { doc, provider: ywsClient(plainUrl, room, doc) };
  });
  try {
    await Promise.all(clients.map((c) => ywsSynced(c.provider)));
    const out: number[] = [];
    for (let s = -WARMUP; s < samples; s++) {
      const seen = clients.slice(1).map(
        (c) =>
          new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`baseline sample ${s}: not visible after 30 s`)),
              30_000,
            );
            const check = () => {
              if (c.doc.getMap('m').get('hp') !== s) return;
              clearTimeout(timer);
              c.doc.off('update', check);
              resolve(performance.now());
            };
            c.doc.on('update', check);
          }),
      );
      const t0 = performance.now();
      clients[0]!.doc.getMap('m').set('hp', s);
      const took = Math.max(...(await Promise.all(seen))) - t0;
      if (s >= 0) out.push(took);
    }
    return out;
  } finally {
    // The doc too: y-websocket's awareness (and its timer) goes only with its document.
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
}

/**
 * The side-by-side baseline: a real `y-websocket` client here writes, 7 more, each in its own process like the
 * player peers, read, through the plain y-websocket relay. It writes once right after each DM action (warm-up
 * included), so both run on the same machine at the same moment, and its times are what a plain y-websocket
 * table does next to the DM's. Its own CPU in this process is kept apart from the DM's.
 */
class SideBySide {
  readonly times: number[] = [];
  /** CPU of this process spent on the plain writes, in ms. */
  writerCpu = 0;
  private readonly doc = new YDoc.Doc();
  private readonly procs = new PlayerProcs();
  private readonly writer: WebsocketProvider;
  private constructor(
    private readonly relay: PlainRelay,
    private readonly room: string,
  ) {
    this.writer = ywsClient(relay.url, room, this.doc);
  }

  /** On the bench's plain relay (`relayUrl`: the Loreforge relay, which the reader processes are given too). */
  static async start(relay: PlainRelay, relayUrl: string): Promise<SideBySide> {
    const side = new SideBySide(relay, randomUUID());
    await ywsSynced(side.writer);
    await side.procs.start(
      relayUrl,
      Array.from({ length: PLAYERS }, (_, i) => [{ key: `plain.${i}`, url: relay.url, room: side.room }]),
      true,
    );
    return side;
  }

  /** CPU so far (ms) of the plain relay and of the 7 reader processes. */
  cpu(): { relay: number; readers: number } {
    return {
      relay: cpuMsOf(this.relay.pid),
      readers: this.procs.pids().reduce((a, p) => a + cpuMsOf(p), 0),
    };
  }

  async act(s: number): Promise<void> {
    const c0 = process.cpuUsage();
    const armed = await Promise.all(
      Array.from({ length: PLAYERS }, (_, i) => this.procs.watch(i, `plain.${i}`, s, '', s)),
    );
    const t0 = epoch();
    this.doc.getMap('m').set('hp', s);
    const times = await Promise.all(armed.map((a) => a.seen));
    if (s >= 0) this.times.push(Math.max(...times) - t0);
    const c = process.cpuUsage(c0);
    this.writerCpu += (c.user + c.system) / 1000;
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.procs.stop();
    this.writer.destroy();
    this.doc.destroy();
  }
}

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const inproc = process.env['LOREFORGE_BENCH_PLAY_INPROC'] === '1';
  const tables = FULL ? 100 : Math.max(1, Number(process.env['LOREFORGE_BENCH_TABLES'] ?? '1'));
  const procCount = Math.max(1, Number(process.env['LOREFORGE_BENCH_PLAY_PROCS'] ?? String(PLAYERS)));
  // 1000 timed actions at one table, so the p99 is the 10th slowest and not the slowest; 100 per table with more.
  const samples = Math.max(10, Math.round((tables > 1 ? 100 : 1000) * scale));
  if (tables > 10) answerMs = 300_000;
  const load0 = loadavg()[0] ?? 0;
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  // The DM's connection sends three messages per action, back to back: ~300 a second here, above the relay's
  // default per-connection limit (200 a second, bursts of 400) meant for real tables. Past the burst the relay
  // would drop the DM for flooding and its reconnection (~200 ms) would be measured as an action's latency.
  const relay = await startRelayProcess(['--rate-messages', '100000']);
  const peers: BenchPeer[] = [];
  const dirs: (() => void)[] = [];
  const procs = new PlayerProcs();
  let plainRelay: PlainRelay | undefined;
  let side: SideBySide | undefined;
  try {
    plainRelay = await startPlainRelay();
    let results: Timings[];
    let cpu: { dm: number; relay: number; players: number } | undefined;
    let sideCpu: { writer: number; relay: number; readers: number } | undefined;
    if (inproc) {
      results = await Promise.all(Array.from({ length: tables }, (_, t) => table(relay, t, samples, peers)));
    } else {
      const setups: TableSetup[] = [];
      for (let t = 0; t < tables; t++) {
        setups.push(await setupTable(relay, t, peers, dirs));
        if (tables > 1 && ((t + 1) % 10 === 0 || t + 1 === tables))
          progress(`${t + 1}/${tables} DM peers connected, combat started (${since()})`);
      }
      const seatsByProc: SeatConfig[][] = Array.from({ length: procCount }, () => []);
      const procOf = new Map<string, number>();
      for (const tb of setups)
        tb.seats.forEach((seat, i) => {
          const p = (tb.t * PLAYERS + i) % procCount;
          seatsByProc[p]!.push(seat);
          procOf.set(seat.key, p);
        });
      await procs.start(
        relay.url,
        seatsByProc.filter((x) => x.length > 0),
      );
      if (tables === 1) side = await SideBySide.start(plainRelay, relay.url);
      if (tables > 1)
        progress(`${tables * PLAYERS} player seats synced in ${procCount} processes (${since()})`);
      // CPU counted from the first timed action (of the first table to get there).
      let cpu0 = { dm: process.cpuUsage(), relay: 0, players: 0, side: { relay: 0, readers: 0, writer: 0 } };
      let started = false;
      const timedStart = () => {
        if (started) return;
        started = true;
        cpu0 = {
          dm: process.cpuUsage(),
          relay: cpuMsOf(relay.pid),
          players: procs.pids().reduce((a, p) => a + cpuMsOf(p), 0),
          side: { ...(side?.cpu() ?? { relay: 0, readers: 0 }), writer: side?.writerCpu ?? 0 },
        };
      };
      results = await Promise.all(
        setups.map((tb) => tableRemote(tb, procs, samples, procOf, timedStart, side)),
      );
      const dmCpu = process.cpuUsage(cpu0.dm);
      const actions = tables * samples;
      const sideWriter = (side?.writerCpu ?? 0) - cpu0.side.writer;
      cpu = {
        // The plain writes of the side-by-side baseline ran in this process too: not the DM's.
        dm: ((dmCpu.user + dmCpu.system) / 1000 - sideWriter) / actions,
        relay: (cpuMsOf(relay.pid) - cpu0.relay) / actions,
        players: (procs.pids().reduce((a, p) => a + cpuMsOf(p), 0) - cpu0.players) / actions,
      };
      if (side) {
        const now = side.cpu();
        sideCpu = {
          writer: sideWriter / samples,
          relay: (now.relay - cpu0.side.relay) / samples,
          readers: (now.readers - cpu0.side.readers) / samples,
        };
      }
      if (tables > 1) progress(`${tables * samples} DM actions timed (${since()})`);
    }
    await side?.stop();
    const baseline = await plainBaseline(plainRelay.url, samples);
    const baselineProcs = side?.times ?? [];
    const all = results.flatMap((r) => r.all);
    const each = results.flatMap((r) => r.each);
    const local = results.flatMap((r) => r.local);
    const sent = results.flatMap((r) => r.sent ?? []);
    const wire = results.flatMap((r) => r.wire ?? []);
    const warm = results.flatMap((r) => r.warm ?? []);
    const layout = inproc
      ? 'players in this process'
      : `players in ${Math.min(procCount, tables * PLAYERS)} processes, DMs in one`;
    const detail = `${tables} table(s) × (DM + ${PLAYERS} players, ${layout}), ${samples} DM actions per table after ${WARMUP} warm-up, load ${load0.toFixed(1)} before → ${loadavg()[0]?.toFixed(1)} after`;
    return [
      { name: 'DM action → visible on all 7 players, p50', value: quantile(all, 0.5), unit: 'ms', detail },
      {
        name: 'DM action → visible on all 7 players, p99',
        value: quantile(all, 0.99),
        unit: 'ms',
        goal: '≤ 15 ms on a quiet machine',
        detail,
      },
      ...(baselineProcs.length > 0
        ? [
            {
              name: 'plain y-websocket side by side, set → visible on all 7, p50 / p99',
              value: quantile(baselineProcs, 0.5),
              unit: `ms / ${quantile(baselineProcs, 0.99).toPrecision(3)} ms`,
              detail: `the y-websocket client through a plain y-websocket relay (plain-relay.ts), readers in 7 processes like the players, one write right after each DM action; CPU per write: writer ${sideCpu?.writer.toFixed(2)} ms, relay ${sideCpu?.relay.toFixed(2)} ms, the 7 readers ${sideCpu?.readers.toFixed(2)} ms`,
            },
            {
              name: 'DM action p99 ÷ plain y-websocket p99 side by side',
              value: quantile(all, 0.99) / quantile(baselineProcs, 0.99),
              unit: '×',
              goal: '≤ 2×',
              detail: `p50: ${(quantile(all, 0.5) / quantile(baselineProcs, 0.5)).toFixed(2)}×`,
            },
          ]
        : []),
      {
        name: 'plain y-websocket, all 8 clients in one process, set → visible on all 7, p50 / p99',
        value: quantile(baseline, 0.5),
        unit: `ms / ${quantile(baseline, 0.99).toPrecision(3)} ms`,
        detail: `one room of the plain relay, after the DM actions (${WARMUP} warm-up writes, ${samples} timed): one process wakes once for the 7 readers`,
      },
      ...(cpu
        ? [
            {
              name: 'CPU per DM action: DM peer / relay / all player processes',
              value: cpu.dm,
              unit: `ms / ${cpu.relay.toFixed(2)} ms / ${cpu.players.toFixed(2)} ms`,
              detail: `user + system time over the timed actions (/proc, 10 ms ticks), ${tables} table(s); the DM peer's includes this bench's bookkeeping`,
            },
          ]
        : []),
      {
        name: 'DM action applied and stored locally (referee), p50',
        value: quantile(local, 0.5),
        unit: 'ms',
        detail,
      },
      { name: 'DM action → visible on one player, p50', value: quantile(each, 0.5), unit: 'ms', detail },
      { name: 'DM action → visible on one player, p99', value: quantile(each, 0.99), unit: 'ms', detail },
      ...(warm.length > 0
        ? [
            {
              name: `warm-up actions (not counted), ${WARMUP} per table: first / p50 / p99 / slowest`,
              value: warm[0]!,
              unit: `ms / ${quantile(warm, 0.5).toPrecision(3)} ms / ${quantile(warm, 0.99).toPrecision(3)} ms / ${Math.max(...warm).toPrecision(3)} ms`,
              detail:
                'every code path run for the first time, then V8 compiling the hot code of all 9 processes (the cold start of a table)',
            },
          ]
        : []),
      ...(sent.length > 0
        ? [
            {
              name: 'DM action → session update sent by the DM peer, p50 / p99',
              value: quantile(sent, 0.5),
              unit: `ms / ${quantile(sent, 0.99).toPrecision(3)} ms`,
              detail: 'the DM’s work before the wire (load, rules, projection, session write)',
            },
            {
              name: 'session update sent → visible on all 7, p50 / p99',
              value: quantile(wire, 0.5),
              unit: `ms / ${quantile(wire, 0.99).toPrecision(3)} ms`,
              detail: 'relay and the players’ processes',
            },
          ]
        : []),
    ];
  } finally {
    await side?.stop();
    await procs.stop();
    await plainRelay?.stop();
    for (const d of dirs) d();
    for (const p of peers) {
      p.conn.close();
      p.hub.close();
      await p.core.close();
      p.cleanup();
    }
    await relay.stop();
  }
}
