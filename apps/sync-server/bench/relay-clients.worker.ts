/**
 * Bench worker: `clientsPerDoc` clients for each of its documents; every client sends jittered edits carrying a
 * timestamp, and every other client of the document records the delivery latency.
 * - mode `raw` (default): light clients on plain `ws` — each edit is a real Yjs update from the client's own
 *   Y.Doc; receivers find the timestamp in the frame bytes, so the client-side Yjs apply is not measured (on
 *   a 2-core machine it would make the harness, not the relay, the bottleneck).
 * - mode `provider`: full `SyncProvider`s with a synced Y.Doc each (end-to-end, heavier).
 * - mode `mux`: like `raw`, but client c of every document of this worker shares one multiplexed WebSocket
 *   (`/<campaign>`, `MUX_DOC` frames): `clientsPerDoc` connections per worker instead of one per client.
 * Posts `{ type: 'ready' }` once all clients are connected/synced, then `{ type: 'result', latencies, sent }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  MESSAGE_SYNC,
  MUX_DOC,
  MUX_SUBSCRIBE,
  MUX_SUBSCRIBED,
  SYNC_UPDATE,
  SyncProvider,
  parseDocName,
  relayDocUrl,
  relayMuxUrl,
} from '@loreforge/core';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

interface Input {
  relayUrl: string;
  token: string;
  docNames: string[];
  clientsPerDoc: number;
  periodMs: number;
  mode: 'raw' | 'provider' | 'mux';
}

const input = workerData as Input;
const now = (): number => performance.timeOrigin + performance.now();
const MARK = Buffer.from('@@t=');
const latencies: number[] = [];
let measuring = false;
let sent = 0;
const timers = new Set<ReturnType<typeof setTimeout>>();
const starters: (() => void)[] = [];
const closers: (() => void)[] = [];
const ready: Promise<void>[] = [];

function record(t: number): void {
  if (measuring) latencies.push(now() - t);
}

function jittered(fn: () => void): () => void {
  const schedule = (): void => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
        schedule();
      },
      input.periodMs * (0.5 + Math.random()),
    );
    timers.add(timer);
  };
  return schedule;
}

function rawClient(docName: string, c: number): void {
  const doc = new Y.Doc();
  const map = doc.getMap<string>('m');
  const ws = new WebSocket(relayDocUrl(input.relayUrl, docName, input.token));
  ready.push(new Promise((res, rej) => (ws.once('open', () => res()), ws.once('error', rej))));
  ws.on('message', (data: Buffer) => {
    const at = data.indexOf(MARK);
    if (at < 0) return;
    let end = at + MARK.length;
    while (end < data.length && ((data[end]! >= 0x30 && data[end]! <= 0x39) || data[end] === 0x2e)) end++;
    record(Number(data.toString('latin1', at + MARK.length, end)));
  });
  doc.on('update', (update: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
    ws.send(encoding.toUint8Array(e));
  });
  starters.push(
    jittered(() => {
      map.set(`c${c}`, `@@t=${now().toFixed(3)}`);
      sent++;
    }),
  );
  closers.push(() => ws.terminate());
}

function providerClient(docName: string, c: number): void {
  const doc = new Y.Doc();
  const map = doc.getMap<{ t: number }>('m');
  const p = new SyncProvider({ relayUrl: input.relayUrl, docName, doc, token: input.token });
  ready.push(p.whenSynced());
  map.observe((e) => {
    if (e.transaction.origin !== p) return;
    for (const key of e.keysChanged) {
      const v = map.get(key);
      if (v) record(v.t);
    }
  });
  starters.push(
    jittered(() => {
      map.set(`c${c}`, { t: now() });
      sent++;
    }),
  );
  closers.push(() => p.destroy());
}

/** Client `c` of every document on one multiplexed socket. */
function muxClient(c: number): void {
  const campaign = parseDocName(input.docNames[0]!).campaign;
  const ws = new WebSocket(relayMuxUrl(input.relayUrl, campaign, input.token));
  let subscribed = 0;
  ready.push(
    new Promise((res, rej) => {
      ws.once('error', rej);
      ws.on('message', (data: Buffer) => {
        const dec = decoding.createDecoder(data);
        if (decoding.readVarUint(dec) === MUX_SUBSCRIBED && ++subscribed === input.docNames.length) res();
      });
    }),
  );
  ws.on('message', (data: Buffer) => {
    const at = data.indexOf(MARK);
    if (at < 0) return;
    let end = at + MARK.length;
    while (end < data.length && ((data[end]! >= 0x30 && data[end]! <= 0x39) || data[end] === 0x2e)) end++;
    record(Number(data.toString('latin1', at + MARK.length, end)));
  });
  ws.once('open', () => {
    for (const name of input.docNames) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MUX_SUBSCRIBE);
      encoding.writeVarString(e, name);
      encoding.writeVarUint(e, 0);
      ws.send(encoding.toUint8Array(e));
    }
  });
  for (const name of input.docNames) {
    const doc = new Y.Doc();
    const map = doc.getMap<string>('m');
    doc.on('update', (update: Uint8Array) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MUX_DOC);
      encoding.writeVarString(e, name);
      encoding.writeVarUint(e, MESSAGE_SYNC);
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
      ws.send(encoding.toUint8Array(e));
    });
    starters.push(
      jittered(() => {
        map.set(`c${c}`, `@@t=${now().toFixed(3)}`);
        sent++;
      }),
    );
  }
  closers.push(() => ws.terminate());
}

if (input.mode === 'mux') {
  for (let c = 0; c < input.clientsPerDoc; c++) muxClient(c);
} else {
  for (const docName of input.docNames) {
    for (let c = 0; c < input.clientsPerDoc; c++) {
      if (input.mode === 'provider') providerClient(docName, c);
      else rawClient(docName, c);
    }
  }
}

await Promise.all(ready);
parentPort!.postMessage({ type: 'ready' });
parentPort!.on('message', (msg: { type: string }) => {
  if (msg.type === 'start') {
    for (const start of starters) start();
  } else if (msg.type === 'measure') {
    measuring = true;
  } else if (msg.type === 'stop') {
    measuring = false;
    for (const t of timers) clearTimeout(t);
    parentPort!.postMessage({ type: 'result', latencies, sent });
    for (const close of closers) close();
  }
});
