import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyJsonToArray, type Json } from '../src/docs/y-json';

/** A doc holding `list` under key `a`, and the delta of the next write into it. */
function setup(list: Json[]) {
  const doc = new Y.Doc();
  const arr = doc.getArray<unknown>('a');
  doc.transact(() => applyJsonToArray(arr, list));
  const deltas: unknown[] = [];
  arr.observe((e) => deltas.push(e.changes.delta));
  const write = (next: Json[]) => {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => applyJsonToArray(arr, next));
    return Y.encodeStateAsUpdate(doc, before).length;
  };
  return { doc, arr, deltas, write };
}

const entry = (i: number): Json => ({ at: 1000 + i, round: Math.floor(i / 8), text: `entry ${i}` });

describe('applyJsonToArray', () => {
  it('a capped log (oldest dropped, one appended) is one deletion at the head and one insertion at the tail', () => {
    const log = Array.from({ length: 100 }, (_, i) => entry(i));
    const { arr, deltas, write } = setup(log);
    const next = [...log.slice(1), entry(100)];
    const bytes = write(next);
    expect(arr.toJSON()).toEqual(next);
    expect(deltas).toEqual([[{ delete: 1 }, { retain: 99 }, { insert: [expect.any(Y.Map)] }]]);
    // One entry's worth of bytes, not a rewrite of the hundred shifted ones.
    expect(bytes).toBeLessThan(120);
  });

  it('several dropped and several added, and a shrinking list', () => {
    const log = Array.from({ length: 10 }, (_, i) => entry(i));
    const { arr, deltas, write } = setup(log);
    const next = [...log.slice(3), entry(10), entry(11)];
    write(next);
    expect(arr.toJSON()).toEqual(next);
    expect(deltas.at(-1)).toEqual([
      { delete: 3 },
      { retain: 7 },
      { insert: [expect.any(Y.Map), expect.any(Y.Map)] },
    ]);
    write(next.slice(2));
    expect(arr.toJSON()).toEqual(next.slice(2));
    expect(deltas.at(-1)).toEqual([{ delete: 2 }]);
  });

  it('one changed element is still written in place, and unrelated lists are replaced correctly', () => {
    const rows: Json[] = [
      { id: 'a', hp: 7 },
      { id: 'b', hp: 9 },
      { id: 'c', hp: 3 },
    ];
    const { arr, deltas, write } = setup(rows);
    const bytes = write([{ id: 'a', hp: 6 }, rows[1]!, rows[2]!]);
    expect(arr.toJSON()).toEqual([{ id: 'a', hp: 6 }, rows[1], rows[2]]);
    expect(deltas).toEqual([]); // the map of `a` changed in place, the list itself not
    expect(bytes).toBeLessThan(40);
    for (const next of [[1, 1, 2], [2, 1], [], [5, 6, 7], [6, 7, 5], [7, 7]] as Json[][]) {
      write(next);
      expect(arr.toJSON()).toEqual(next);
    }
  });

  it('two peers trimming and appending concurrently converge', () => {
    const log = Array.from({ length: 5 }, (_, i) => entry(i));
    const a = setup(log);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    a.write([...log.slice(1), entry(5)]);
    b.transact(() => applyJsonToArray(b.getArray('a'), [...log.slice(1), entry(6)]));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    expect(a.arr.toJSON()).toEqual(b.getArray('a').toJSON());
    expect(a.arr.length).toBe(6); // entries 1–4 once, both new entries
  });
});
