/**
 * Convergence: two forks of one character edited concurrently (random edits) merge to the same state in either
 * order, and no edit is lost: a field only one side changed keeps that side's value; a field both changed holds
 * one of the two values, except long texts (Y.Texts since character/4), which keep both sides' characters; every
 * appended list entry survives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCharacterDoc, editCharacter, readCharacter } from '../src/docs/character-doc';
import { getJsonPointer, jsonEqual, setJsonPointer, type Json, type JsonObject } from '../src/docs/y-json';
import { diffJson } from '../src/history/diff';
import { build, openCore } from './helpers';

const ABILITIES = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;
const TEXTS = ['backstory', 'appearance', 'theme'] as const;
const LISTS = ['fears', 'secrets', 'ideals', 'bonds'] as const;

type Op =
  | { t: 'score'; ability: (typeof ABILITIES)[number]; value: number }
  | { t: 'text'; field: (typeof TEXTS)[number]; value: string }
  | { t: 'push'; list: (typeof LISTS)[number]; value: string }
  | { t: 'lore'; key: string; value: string }
  | { t: 'level'; value: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('score' as const),
    ability: fc.constantFrom(...ABILITIES),
    value: fc.integer({ min: 3, max: 20 }),
  }),
  fc.record({
    t: fc.constant('text' as const),
    field: fc.constantFrom(...TEXTS),
    value: fc.string({ maxLength: 12 }),
  }),
  fc.record({
    t: fc.constant('push' as const),
    list: fc.constantFrom(...LISTS),
    value: fc.string({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    t: fc.constant('lore' as const),
    key: fc.constantFrom('species', 'class:wizard', 'item:staff'),
    value: fc.string({ maxLength: 10 }),
  }),
  fc.record({ t: fc.constant('level' as const), value: fc.integer({ min: 1, max: 20 }) }),
);

function toSet(op: Op, side: string, i: number): { path: string; value: Json } {
  switch (op.t) {
    case 'score':
      return { path: `/build/abilityScores/${op.ability}`, value: op.value };
    case 'text':
      return { path: `/narrative/${op.field}`, value: op.value };
    case 'push':
      // Tag appended entries so each is unique and traceable.
      return { path: `/narrative/${op.list}/-`, value: `${side}${i}:${op.value}` };
    case 'lore':
      return { path: `/narrative/lore/${op.key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: op.value };
    case 'level':
      return { path: '/build/classes/0/level', value: op.value };
  }
}

const user = (author: string) => ({ kind: 'local-user' as const, author });

function applyOps(doc: Y.Doc, ops: Op[], side: string): void {
  ops.forEach((op, i) => {
    const s = toSet(op, side, i);
    editCharacter(doc, (json) => setJsonPointer(json, s.path, s.value), user(side));
  });
}

function fork(state: Uint8Array): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  return d;
}

function json(doc: Y.Doc): JsonObject {
  return readCharacter(doc) as unknown as JsonObject;
}

/** Paths a side wrote (scalars), from its ops. */
function touched(ops: Op[]): Set<string> {
  return new Set(ops.filter((o) => o.t !== 'push').map((o, i) => toSet(o, '', i).path));
}

function checkNoLoss(a: JsonObject, b: JsonObject, merged: JsonObject, opsA: Op[], opsB: Op[]): void {
  for (const list of LISTS) {
    const m = (getJsonPointer(merged, `/narrative/${list}`) ?? []) as string[];
    for (const side of [a, b])
      for (const v of (getJsonPointer(side, `/narrative/${list}`) ?? []) as string[]) expect(m).toContain(v);
  }
  const ta = touched(opsA);
  const tb = touched(opsB);
  for (const p of ta) if (!tb.has(p)) expect(getJsonPointer(merged, p)).toEqual(getJsonPointer(a, p));
  for (const p of tb) if (!ta.has(p)) expect(getJsonPointer(merged, p)).toEqual(getJsonPointer(b, p));
  for (const p of ta)
    if (tb.has(p)) {
      const m = getJsonPointer(merged, p);
      if (MERGED_TEXTS.has(p)) {
        // Y.Text fields (character/4), empty at the fork: both sides' typing is kept, every character of each.
        const [x, y] = [getJsonPointer(a, p), getJsonPointer(b, p)] as string[];
        expect((m as string).length).toBe((x as string).length + (y as string).length);
        expect(isSubsequence(x as string, m as string) && isSubsequence(y as string, m as string)).toBe(true);
      } else expect([getJsonPointer(a, p), getJsonPointer(b, p)]).toContainEqual(m);
    }
}

/** Text fields merged per character (both empty in the forked document). */
const MERGED_TEXTS = new Set(['/narrative/backstory', '/narrative/appearance']);

function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (let j = 0; j < whole.length && i < part.length; j++) if (whole[j] === part[i]) i++;
  return i === part.length;
}

describe('convergence of concurrent forks', () => {
  it('merges to the same state in either order and loses no edit (Yjs documents)', () => {
    const origin = new Y.Doc();
    createCharacterDoc(
      origin,
      { id: '00000000-0000-4000-8000-000000000001', createdAt: 1, kind: 'pc', build: build() },
      { kind: 'import', author: 't' },
    );
    const baseState = Y.encodeStateAsUpdate(origin);
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), fc.array(opArb, { maxLength: 12 }), (opsA, opsB) => {
        const a = fork(baseState);
        const b = fork(baseState);
        applyOps(a, opsA, 'A');
        applyOps(b, opsB, 'B');
        const aJson = json(a);
        const bJson = json(b);
        const ab = fork(Y.encodeStateAsUpdate(a));
        Y.applyUpdate(ab, Y.encodeStateAsUpdate(b));
        const ba = fork(Y.encodeStateAsUpdate(b));
        Y.applyUpdate(ba, Y.encodeStateAsUpdate(a));
        expect(json(ab)).toEqual(json(ba));
        checkNoLoss(aJson, bJson, json(ab), opsA, opsB);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('history.merge of two branches converges in either direction and reports both-changed fields', async () => {
    const core = await openCore(null);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { minLength: 1, maxLength: 5 }),
          fc.array(opArb, { minLength: 1, maxLength: 5 }),
          async (opsA, opsB) => {
            const ch = await core.characters.import(build());
            await core.history.branch(ch.id, 'b');
            const base = (await core.history.checkout(ch.id, 'main')).json;
            await core.characters.edit(ch.id, { set: opsA.map((o, i) => toSet(o, 'A', i)) });
            await core.characters.edit(ch.id, { branch: 'b', set: opsB.map((o, i) => toSet(o, 'B', i)) });
            const a = (await core.history.checkout(ch.id, 'main')).json;
            const b = (await core.history.checkout(ch.id, 'b')).json;
            const m1 = await core.history.merge(ch.id, 'b', { into: 'main' });
            const m2 = await core.history.merge(ch.id, 'main', { into: 'b' });
            const main = (await core.history.checkout(ch.id, 'main')).json;
            const other = (await core.history.checkout(ch.id, 'b')).json;
            expect(other).toEqual(main);
            checkNoLoss(a, b, main, opsA, opsB);
            // Every path both sides changed, and every change the merge did not keep, is reported.
            const covered = (p: string) =>
              m1.conflicts.some((c) => p === c.path || p.startsWith(`${c.path}/`));
            const pa = diffJson(base, a).map((c) => c.path);
            const pb = diffJson(base, b).map((c) => c.path);
            for (const p of pa)
              if (pb.some((q) => q === p || q.startsWith(`${p}/`) || p.startsWith(`${q}/`)))
                expect(covered(p)).toBe(true);
            for (const p of pa)
              if (!jsonEqual(getJsonPointer(main, p), getJsonPointer(a, p))) expect(covered(p)).toBe(true);
            for (const p of pb)
              if (!jsonEqual(getJsonPointer(main, p), getJsonPointer(b, p))) expect(covered(p)).toBe(true);
            for (const c of m1.conflicts) expect(c.kept).toEqual(getJsonPointer(main, c.path) ?? null);
            // The second merge's log has the first merge as a parent.
            const log = await core.history.log(ch.id, { branch: 'b' });
            expect(log[0]?.commit).toBe(m2.commit);
            expect(log[0]?.parents).toContain(m1.commit);
          },
        ),
        { numRuns: 25 },
      );
    } finally {
      await core.close();
    }
  }, 120_000);
});
