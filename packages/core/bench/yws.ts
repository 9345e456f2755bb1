/** The real `y-websocket` client for the play bench's plain baselines (Node 20 has no global WebSocket: `ws`). */
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

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
