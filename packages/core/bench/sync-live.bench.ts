/**
 * Live sync latency: 8 peers (separate data folders, one process) share a campaign of 100 documents (the
 * campaign and 99 player characters) through the real relay (a child process; one multiplexed socket per
 * peer). One peer edits a character (`characters.edit`, the path the app and CLI take); the time until the
 * value is in another peer's live document is measured, p50/p99 over the samples. `LOREFORGE_BENCH_SCALE=0.1` scales documents, peers (≥ 2)
 * and samples for quick runs.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import type * as Y from 'yjs';
import { createCore } from '../src/core';
import { createRelayToken } from '../src/sync/token';
import { startRelayProcess } from '../test/fixtures/relay-process';
import { tempDir } from '../test/helpers';
import { quantile, type BenchResult } from './common';
import { connectPeer, type BenchPeer } from './sync-peer';

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const docs = Math.max(5, Math.round(100 * scale));
  const peerCount = Math.max(2, Math.round(8 * Math.min(1, scale * 2)));
  const samples = Math.max(20, Math.round(200 * scale));
  const relay = await startRelayProcess();
  const peers: BenchPeer[] = [];
  try {
    const hostDir = tempDir('lf-bench-sync-');
    const host = await createCore({ dataDir: hostDir.dir, author: 'dm' });
    const campaign = (await host.campaigns.create({ name: 'Bench Vale' })).id;
    const ids: string[] = [];
    for (let i = 0; i < docs - 1; i++)
      ids.push(
        (await host.characters.import({ build: { ...EXAMPLE_BUILD, name: `Hero ${i}` } }, { campaign })).id,
      );
    await host.close();
    const token = (user: string) =>
      createRelayToken(
        { campaign, user, role: 'dm', owns: [], ttlSeconds: 3600, nowMs: Date.now() },
        relay.secret,
      );

    const setupStart = performance.now();
    for (let p = 0; p < peerCount; p++) {
      const dir = p === 0 ? hostDir : tempDir('lf-bench-sync-');
      peers.push(
        await connectPeer(relay.url, dir, `peer-${p}`, token(`peer-${p}`), p === 0 ? campaign : undefined),
      );
    }
    const setupMs = performance.now() - setupStart;

    // Observers hold every character's live document open and watch for the marker.
    const handles = await Promise.all(
      peers.map((p) =>
        Promise.all(ids.map((docId) => p.core.live.open({ campaign, kind: 'character', docId }))),
      ),
    );
    const latencies: number[] = [];
    const transit: number[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let s = 0; s < samples; s++) {
      const writer = Math.floor(rand() * peerCount);
      const reader = (writer + 1 + Math.floor(rand() * (peerCount - 1))) % peerCount;
      const d = Math.floor(rand() * ids.length);
      const marker = `bench-${s}-${Math.floor(rand() * 1e9)}`;
      const doc = handles[reader]![d]!.doc;
      // Backstory is a Y.Text since character/4: compare its text.
      const seen = () =>
        (doc.getMap('entity').get('narrative') as Y.Map<unknown> | undefined)
          ?.get('backstory')
          ?.toString() === marker;
      const visible = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sample ${s}: not visible after 30 s`)), 30_000);
        const check = () => {
          if (!seen()) return;
          clearTimeout(timer);
          doc.off('update', check);
          resolve(performance.now());
        };
        doc.on('update', check);
      });
      const t0 = performance.now();
      await peers[writer]!.core.characters.edit(ids[d]!, {
        set: [{ path: '/narrative/backstory', value: marker }],
      });
      const t1 = performance.now();
      const t2 = await visible;
      latencies.push(t2 - t0);
      transit.push(Math.max(0, t2 - t1));
    }
    for (const hs of handles) for (const h of hs) h.release();
    const load = loadavg()[0]?.toFixed(1);
    const detail = `${docs} docs × ${peerCount} peers, ${samples} samples, one multiplexed socket per peer, DM tokens, load ${load}`;
    return [
      {
        name: 'live edit → visible on another peer, p50',
        value: quantile(latencies, 0.5),
        unit: 'ms',
        detail,
      },
      {
        name: 'live edit → visible on another peer, p99',
        value: quantile(latencies, 0.99),
        unit: 'ms',
        detail,
      },
      {
        name: 'after the local save → visible, p50',
        value: quantile(transit, 0.5),
        unit: 'ms',
        detail: 'relay transit and remote apply only',
      },
      { name: 'after the local save → visible, p99', value: quantile(transit, 0.99), unit: 'ms', detail },
      { name: 'all peers attached and synced', value: setupMs / 1000, unit: 's', detail },
    ];
  } finally {
    for (const p of peers) {
      p.conn.close();
      p.hub.close();
      await p.core.close();
      p.cleanup();
    }
    await relay.stop();
  }
}
