/**
 * The play bench's plain y-websocket table: the plain relay (`plain-relay.ts`) as a child process and the real
 * `y-websocket` client (Node 20 has no global WebSocket: `ws`).
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { killGroup, spawnNode } from '../test/fixtures/relay-process';

export interface PlainRelay {
  url: string;
  /** The relay's node process (its own process group). */
  pid: number;
  stop(): Promise<void>;
}

/** Start `plain-relay.ts` on a free port; `stop()` kills its process group by the real pid. */
export async function startPlainRelay(): Promise<PlainRelay> {
  const child = spawnNode(resolve(import.meta.dirname, 'plain-relay.ts'), []);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const port = await new Promise<number>((res, rej) => {
    child.once('exit', (code, sig) => rej(new Error(`plain relay exited (${code ?? sig}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) res(Number(m[1]));
    });
  });
  return { url: `ws://127.0.0.1:${port}`, pid: child.pid as number, stop: () => killGroup(child) };
}

/** A `WebsocketProvider` on `room` of the plain relay at `url`, without BroadcastChannel (one process, many docs). */
export const ywsClient = (url: string, room: string, doc: Y.Doc): WebsocketProvider =>
  new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });

/** Resolves once the client has had the relay's answer to its first sync step (rejects after 30 s). */
export const ywsSynced = (p: WebsocketProvider): Promise<void> =>
  new Promise((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`y-websocket client on ${p.url}: not synced after 30 s`)),
      30_000,
    );
    p.once('sync', () => {
      clearTimeout(timer);
      res();
    });
  });
