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
  writableLength: number;
}

const corked = new WeakSet<Corkable>();
/** Past this many bytes held, the socket writes at once: only small frames gain from waiting for each other. */
const HOLD_BYTES = 64 * 1024;

/**
 * `ws.send(frame)`, with the socket corked until the current tick ends (`process.nextTick`). `ws` keeps its
 * `net.Socket` as `_socket` (all of ws 8); without one (another WebSocket implementation) it simply sends.
 */
export function sendInTick(ws: WebSocket, frame: Uint8Array): void {
  const socket = (ws as unknown as { _socket?: Partial<Corkable> })._socket;
  if (!socket || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') {
    ws.send(frame);
    return;
  }
  const s = socket as Corkable;
  if (!corked.has(s)) {
    corked.add(s);
    s.cork();
    process.nextTick(() => release(s));
  }
  ws.send(frame);
  // A large burst (a first sync) goes out as it comes, and the relay's check of a slow reader's backlog
  // (`bufferedAmount`) never counts more than this of what is merely held.
  if (s.writableLength > HOLD_BYTES) release(s);
}

function release(s: Corkable): void {
  if (!corked.delete(s)) return;
  if (!s.destroyed) s.uncork();
}
