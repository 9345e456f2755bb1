/**
 * Writing JSON into Yjs when the caller knows what is there (`known`, its own last write): unchanged parts are
 * found by comparing plain JSON, and the document ends exactly as a write without `known` leaves it, with the same
 * operations. `editDocAt` writes one place of a document that way.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editDocAt, rawJson, readDoc } from '../src/docs/doc-type';
import { createDmNotesDoc, dmnotesDocType } from '../src/docs/dmnotes-doc';
import { applyJsonAt, type Json, type JsonObject } from '../src/docs/y-json';

const origin = { kind: 'local-user', author: 'dm' } as const;

const json: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 5 }),
    fc.constantFrom('a', 'b', 'c'),
    fc.boolean(),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z', 'w'), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** A doc holding `a` under key `k`, then `b` written with or without `known`; its state and the write's update. */
function write(a: Json, b: Json, withKnown: boolean): { state: unknown; update: number } {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = 1;
  const root = doc.getMap<unknown>('root');
  doc.transact(() => applyJsonAt(root, 'k', a, undefined, ['k']));
  const sv = Y.encodeStateVector(doc);
  doc.transact(() => applyJsonAt(root, 'k', b, undefined, ['k'], withKnown ? a : undefined));
  return { state: root.toJSON(), update: Y.encodeStateAsUpdate(doc, sv).length };
}

describe('applyJsonAt with what is known to be there', () => {
  it('ends as the plain write does, with the same operations', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const plain = write(a, b, false);
        const known = write(a, b, true);
        expect(known.state).toEqual({ k: b });
        expect(known).toEqual(plain);
      }),
      { numRuns: 400 },
    );
  });

  it('a capped log of objects is still one deletion and one insertion', () => {
    const entry = (i: number): Json => ({ at: i, text: `entry ${i}` });
    const log = Array.from({ length: 50 }, (_, i) => entry(i));
    const next = [...log.slice(1), entry(50)];
    expect(write(log, next, true)).toEqual(write(log, next, false));
    expect(write(log, next, true).update).toBeLessThan(60);
  });
});

describe('editDocAt', () => {
  const id = '7d1c2b7e-4a57-4c1e-9a57-0f6a3b2c1d00';
  const lore = (tags: string[]): JsonObject => ({ text: 'The mayor owes the guild', tags });
  const notes = () => {
    const doc = new Y.Doc();
    createDmNotesDoc(
      doc,
      { id: '0b7e6a52-9c1d-4f3e-8a2b-5d4c3b2a1f00', createdAt: 1, campaign: 'c1' },
      origin,
    );
    return doc;
  };

  it('writes one place of a document and leaves the rest alone', () => {
    const doc = notes();
    editDocAt(dmnotesDocType, doc, ['lore', id], lore(['debt']), origin);
    // The map on the way was missing: the ordinary (validated) edit made it.
    expect(rawJson(doc)['lore']).toEqual({ [id]: lore(['debt']) });
    const before = rawJson(doc);
    editDocAt(dmnotesDocType, doc, ['lore', id], lore(['debt', 'guild']), origin, lore(['debt']));
    const after = rawJson(doc);
    expect(after['lore']).toEqual({ [id]: lore(['debt', 'guild']) });
    expect({ ...after, lore: undefined }).toEqual({ ...before, lore: undefined });
    expect(readDoc(dmnotesDocType, doc).lore?.[id]?.tags).toEqual(['debt', 'guild']);
  });

  it('refuses the meta fields, and an invalid value where the map is missing names the field', () => {
    const doc = notes();
    expect(() => editDocAt(dmnotesDocType, doc, ['meta', 'id'], 'other', origin)).toThrow(/meta/);
    expect(() => editDocAt(dmnotesDocType, doc, ['lore', id], { text: 5 }, origin)).toThrow(/lore/);
  });
});
