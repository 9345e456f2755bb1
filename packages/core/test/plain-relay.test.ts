/**
 * The play bench's baseline relay (`bench/plain-relay.ts`) is a working y-websocket relay: real `y-websocket`
 * clients in this process sync through it both ways, and a late joiner gets the room's state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startPlainRelay, ywsClient, ywsSynced } from '../bench/yws';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

function client(url: string, room: string) {
  const doc = new Y.Doc();
  const provider = ywsClient(url, room, doc);
  stops.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider };
}

const valueArrives = (doc: Y.Doc, key: string, want: unknown) =>
  new Promise<void>((res) => {
    const check = () => {
      if (doc.getMap('m').get(key) !== want) return;
      doc.off('update', check);
      res();
    };
    doc.on('update', check);
    check();
  });

describe('plain y-websocket relay (bench baseline)', () => {
  it('relays updates between y-websocket clients and keeps rooms apart', async () => {
    const relay = await startPlainRelay();
    stops.push(() => relay.stop());
    const url = relay.url;
    const a = client(url, 'room-1');
    const b = client(url, 'room-1');
    const other = client(url, 'room-2');
    await Promise.all([ywsSynced(a.provider), ywsSynced(b.provider), ywsSynced(other.provider)]);

    const atB = valueArrives(b.doc, 'hp', 7);
    a.doc.getMap('m').set('hp', 7);
    await atB;
    const atA = valueArrives(a.doc, 'hp', 6);
    b.doc.getMap('m').set('hp', 6);
    await atA;

    // A client joining later gets what the room holds; the other room never saw it.
    const late = client(url, 'room-1');
    await ywsSynced(late.provider);
    await valueArrives(late.doc, 'hp', 6);
    expect(late.doc.getMap('m').get('hp')).toBe(6);
    expect(other.doc.getMap('m').get('hp')).toBeUndefined();
  });
});
