/**
 * Frames sent to one WebSocket during one tick leave in one socket write. A DM action changes three documents back
 * to back (session, sheet, notes); sent one write each, the relay wakes three times and each player twice. Held
 * (corked) until the tick's synchronous work is done, they travel as one TCP segment: the relay reads them at once,
 * and forwards each player its frames as one write too. The first frame waits only for the rest of the tick.
 */
import type WebSocket from 'ws';

/** The part of `net.Socket` used here. */
interface Corkable {
  cork(): void;
  uncork(): void;
  destroyed: boolean;
}

const corked = new WeakSet<Corkable>();

/**
 * `ws.send(frame)`, with the socket corked until the current tick ends (`process.nextTick`). `ws` keeps its
 * `net.Socket` as `_socket` (all of ws 8); without one (another WebSocket implementation) it simply sends.
 */
export function sendInTick(ws: WebSocket, frame: Uint8Array): void {
  const socket = (ws as unknown as { _socket?: Partial<Corkable> })._socket;
  if (socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function') {
    const s = socket as Corkable;
    if (!corked.has(s)) {
      corked.add(s);
      s.cork();
      process.nextTick(() => {
        corked.delete(s);
        if (!s.destroyed) s.uncork();
      });
    }
  }
  ws.send(frame);
}
