/**
 * `editDoc` validates only the top-level fields an edit changes while the document is as it last passed its
 * schema, and writes only those fields; any other change to the document (a remote update) makes the next edit
 * validate the whole document again.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createDmNotesDoc, editDmNotes, readDmNotes } from '../src/docs/dmnotes-doc';
import { createSessionDoc, editSession, readSession } from '../src/docs/session-doc';
import type { JsonObject } from '../src/docs/y-json';

const origin = { kind: 'local-user', author: 'dm' } as const;
const combatant = (id: string, hp: number): JsonObject => ({
  id,
  name: id,
  side: 'party',
  initiative: 10,
  hp,
  maxHp: 20,
  tempHp: 0,
  conditions: [],
  status: 'conscious',
});

function session() {
  const doc = new Y.Doc();
  createSessionDoc(doc, { id: '00000000-0000-4000-8000-000000000001', createdAt: 1, campaign: 'c1' }, origin);
  editSession(doc, (j) => ({ ...j, combatants: [combatant('a', 20), combatant('b', 20)] }), origin);
  return doc;
}

describe('editDoc', () => {
  it('names the invalid field of a changed part, writes only what changed', () => {
    const doc = session();
    const events: string[] = [];
    doc.getMap('entity').observeDeep((evs) => {
      for (const e of evs)
        events.push(e.path.join('/') || [...(e as Y.YMapEvent<unknown>).keysChanged].join(','));
    });
    editSession(
      doc,
      (j) => ({ ...j, combatants: [combatant('a', 19), combatant('b', 20)], round: 2 }),
      origin,
    );
    expect(readSession(doc).combatants.map((c) => c.hp)).toEqual([19, 20]);
    expect(readSession(doc).round).toBe(2);
    // Only the changed combatant's map and the round: nothing else was walked into and rewritten.
    expect(events.sort()).toEqual(['combatants/0', 'round']);
    expect(() => editSession(doc, (j) => ({ ...j, round: -1 }), origin)).toThrow(
      /session edit is invalid at \/round: /,
    );
    expect(() =>
      editSession(doc, (j) => ({ ...j, combatants: [{ ...combatant('a', 3), hp: 'x' }] }), origin),
    ).toThrow(/session edit is invalid at \/combatants\/0\/hp: /);
    // A refused edit leaves the document as it was.
    expect(readSession(doc).combatants.map((c) => c.hp)).toEqual([19, 20]);
  });

  it('validates the whole document again after any other change, so a bad remote field is not written over', () => {
    const doc = session();
    editSession(doc, (j) => ({ ...j, round: 1 }), origin);
    // A peer writes a field that breaks the schema (bypassing editDoc, as a remote update would).
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    peer.getMap('entity').set('status', 'exploded');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), {
      kind: 'remote',
      author: 'x',
    });
    // The edit does not touch `status`, yet it is refused, naming it.
    expect(() => editSession(doc, (j) => ({ ...j, round: 3 }), origin)).toThrow(
      /session edit is invalid at \/status: /,
    );
    // Repaired, edits go through again.
    editSession(doc, (j) => ({ ...j, status: 'live', round: 3 }), origin);
    expect(readSession(doc)).toMatchObject({ status: 'live', round: 3 });
  });

  it('an unknown field still goes through the whole schema (stripped, as before)', () => {
    const doc = session();
    const parsed = editSession(doc, (j) => ({ ...j, round: 4, extra: 1 }), origin);
    expect(parsed.round).toBe(4);
    expect('extra' in parsed).toBe(false);
    expect(doc.getMap('entity').has('extra')).toBe(false);
  });

  it('goes into records and nested objects: only the changed entry is checked, errors name its path', () => {
    const doc = new Y.Doc();
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    createDmNotesDoc(
      doc,
      {
        id: '00000000-0000-4000-8000-0000000000c1',
        createdAt: 1,
        campaign: 'c1',
        content: {
          roster: { [a]: { entity: 'character', role: 'ally' } },
          encounters: { e1: { name: 'Ambush', participants: [a] }, e2: { name: 'Gate', participants: [] } },
        },
      },
      origin,
    );
    readDmNotes(doc); // validated as a whole once
    const enc = (j: JsonObject) => j['encounters'] as Record<string, JsonObject>;
    editDmNotes(
      doc,
      (j) => ({ ...j, encounters: { ...enc(j), e2: { ...enc(j)['e2']!, participants: [b] } } }),
      origin,
    );
    expect(readDmNotes(doc).encounters['e2']).toEqual({ name: 'Gate', participants: [b] });
    expect(readDmNotes(doc).encounters['e1']).toEqual({ name: 'Ambush', participants: [a] });
    expect(() =>
      editDmNotes(
        doc,
        (j) => ({ ...j, encounters: { ...enc(j), e1: { name: 'Ambush', participants: ['x'] } } }),
        origin,
      ),
    ).toThrow(/dmnotes edit is invalid at \/encounters\/e1\/participants\/0: /);
    expect(() =>
      editDmNotes(
        doc,
        (j) => ({ ...j, roster: { ...(j['roster'] as JsonObject), 'not-a-uuid': { entity: 'item' } } }),
        origin,
      ),
    ).toThrow(/dmnotes edit is invalid at \/roster\/not-a-uuid: /);
    // Defaults inside a new entry are filled in as a whole-document parse would.
    const parsed = editDmNotes(
      doc,
      (j) => ({ ...j, roster: { ...(j['roster'] as JsonObject), [b]: { entity: 'item' } } }),
      origin,
    );
    expect(parsed.roster[b]).toEqual({ entity: 'item', role: '' });
    expect(readDmNotes(doc).roster[b]).toEqual({ entity: 'item', role: '' });
  });
});
