/**
 * Bench worker: runs `clientsPerDoc` SyncProviders for each of its documents, sends jittered edits that carry a
 * timestamp, and records the latency at every other client. Posts `{ ready }` after sync, then `{ latencies }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyncProvider } from '@loreforge/core';
import * as Y from 'yjs';

interface Input {
  relayUrl: string;
  token: string;
  docNames: string[];
  clientsPerDoc: number;
  periodMs: number;
}

const input = workerData as Input;
const now = (): number => performance.timeOrigin + performance.now();
const providers: SyncProvider[] = [];
const latencies: number[] = [];
let measuring = false;
let sent = 0;
const timers = new Set<ReturnType<typeof setTimeout>>();
const starters: (() => void)[] = [];

for (const docName of input.docNames) {
  for (let c = 0; c < input.clientsPerDoc; c++) {
    const doc = new Y.Doc();
    const map = doc.getMap<{ t: number }>('m');
    const p = new SyncProvider({ relayUrl: input.relayUrl, docName, doc, token: input.token });
    map.observe((e) => {
      if (!measuring || e.transaction.origin !== p) return;
      const t = now();
      for (const key of e.keysChanged) {
        const v = map.get(key);
        if (v) latencies.push(t - v.t);
      }
    });
    providers.push(p);
    const tick = (): void => {
      map.set(`c${c}`, { t: now() });
      sent++;
      schedule();
    };
    const schedule = (): void => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          tick();
        },
        input.periodMs * (0.5 + Math.random()),
      );
      timers.add(timer);
    };
    starters.push(schedule);
  }
}

await Promise.all(providers.map((p) => p.whenSynced()));
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
    for (const p of providers) p.destroy();
  }
});
