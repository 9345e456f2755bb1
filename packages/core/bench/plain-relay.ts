/**
 * A plain y-websocket relay for the play bench's side-by-side baseline (`node --import tsx plain-relay.ts`): the
 * y-websocket wire protocol and nothing else — one in-memory `Y.Doc` per room (the URL path), every sync message
 * answered from it, every update applied to it and sent to the room's other connections, awareness frames passed
 * on. No tokens, no storage, no rate limits, no multiplexing: what "a plain y-websocket relay" does, so the bench
 * can time the real `y-websocket` client through it next to the DM action through the Loreforge relay.
 * Prints `PORT <n>` once listening; exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

interface Room {
  doc: Y.Doc;
  conns: Set<WebSocket>;
}

const rooms = new Map<string, Room>();

function roomOf(name: string): Room {
  let room = rooms.get(name);
  if (room) return room;
  const doc = new Y.Doc({ gc: true });
  const conns = new Set<WebSocket>();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    sync.writeUpdate(e, update);
    const frame = encoding.toUint8Array(e);
    for (const c of conns) if (c !== origin && c.readyState === c.OPEN) c.send(frame);
  });
  room = { doc, conns };
  rooms.set(name, room);
  return room;
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (ws, req) => {
  const room = roomOf((req.url ?? '/').slice(1).split('?')[0] ?? '');
  room.conns.add(ws);
  ws.binaryType = 'arraybuffer';
  ws.on('message', (data: ArrayBuffer) => {
    const message = new Uint8Array(data);
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      // Step 1 is answered with step 2; steps 2 and updates are applied (origin: this connection, not echoed).
      sync.readSyncMessage(decoder, reply, room.doc, ws);
      if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
    } else if (type === MESSAGE_AWARENESS) {
      for (const c of room.conns) if (c !== ws && c.readyState === c.OPEN) c.send(message);
    }
  });
  ws.on('close', () => room.conns.delete(ws));
  // The relay's own step 1, so the client sends what the room lacks.
  const hello = encoding.createEncoder();
  encoding.writeVarUint(hello, MESSAGE_SYNC);
  sync.writeSyncStep1(hello, room.doc);
  ws.send(encoding.toUint8Array(hello));
});
server.on('listening', () => {
  const address = server.address();
  if (typeof address === 'object' && address) process.stdout.write(`PORT ${address.port}\n`);
});
createInterface({ input: process.stdin }).on('close', () => process.exit(0));
