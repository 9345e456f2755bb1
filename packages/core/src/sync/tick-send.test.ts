/** `sendInTick`: frames sent to one socket in one tick leave in one write, in order; later ticks write again. */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { sendInTick } from './tick-send';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A connected client, the frames the server got, and a count of the client socket's write calls. */
async function connected() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const got: string[] = [];
  server.on('connection', (ws) => ws.on('message', (d: Buffer) => got.push(d.toString())));
  const { port } = server.address() as { port: number };
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((r) => ws.once('open', () => r()));
  cleanups.push(async () => {
    ws.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const socket = (ws as unknown as { _socket: Socket & Record<string, unknown> })._socket;
  const writes = { single: 0, vector: 0 };
  for (const [name, key] of [
    ['_write', 'single'],
    ['_writev', 'vector'],
  ] as const) {
    const original = socket[name] as (...a: unknown[]) => unknown;
    socket[name] = function (this: unknown, ...a: unknown[]) {
      writes[key]++;
      return original.apply(this, a);
    };
  }
  const until = async (n: number) => {
    for (let i = 0; i < 500 && got.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { ws, got, writes, until };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('sendInTick', () => {
  it('sends the frames of one tick in one write, in order', async () => {
    const c = await connected();
    sendInTick(c.ws, bytes('session'));
    sendInTick(c.ws, bytes('sheet'));
    sendInTick(c.ws, bytes('notes'));
    expect(c.writes).toEqual({ single: 0, vector: 0 }); // held until the tick ends
    await c.until(3);
    expect(c.got).toEqual(['session', 'sheet', 'notes']);
    expect(c.writes).toEqual({ single: 0, vector: 1 });
  });

  it('writes again for a later tick; plain sends write one by one', async () => {
    const c = await connected();
    sendInTick(c.ws, bytes('a'));
    await new Promise((r) => setImmediate(r));
    sendInTick(c.ws, bytes('b'));
    await c.until(2);
    expect(c.got).toEqual(['a', 'b']);
    expect(c.writes.single + c.writes.vector).toBe(2);

    const before = c.writes.single + c.writes.vector;
    for (const s of ['x', 'y', 'z']) c.ws.send(bytes(s));
    await c.until(5);
    expect(c.got.slice(2)).toEqual(['x', 'y', 'z']);
    expect(c.writes.single + c.writes.vector - before).toBeGreaterThan(1);
  });

  it('lets a large burst go out at once instead of holding it', async () => {
    const c = await connected();
    sendInTick(c.ws, bytes('small'));
    expect(c.writes).toEqual({ single: 0, vector: 0 });
    sendInTick(c.ws, new Uint8Array(100 * 1024));
    // Past the bound the held frames are written before the tick ends.
    expect(c.writes.single + c.writes.vector).toBe(1);
    sendInTick(c.ws, bytes('after'));
    await c.until(3);
    expect(c.got[0]).toBe('small');
    expect(c.got[1]?.length).toBe(100 * 1024);
    expect(c.got[2]).toBe('after');
  });
});
