/**
 * `parseFrom(schema, prev, next)`: the combat tracker's check of an immutable update of a parse result. It must give
 * what `schema.parse(next)` gives, accept and refuse the same values, name the failing place, and hand back the
 * caller's own objects where nothing changed (later checks find them by identity).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseFrom } from '../src/docs/doc-type';
import { CoreError } from '../src/errors';
import { publicSession } from '../src/play/combat';
import { CombatStateSchema, type CombatState } from '../src/play/schema';

const Entry = z.object({ at: z.number().int(), text: z.string(), public: z.boolean().default(false) });
const Row = z.object({
  id: z.string().min(1),
  hp: z.number().int().nonnegative(),
  tags: z.array(z.string()).default([]),
  saves: z.object({ ok: z.number().int().min(0).max(3) }).default({ ok: 0 }),
});
const State = z.object({
  round: z.number().int().nonnegative(),
  turn: z.string().min(1),
  order: z.array(Row),
  log: z.array(Entry).default([]),
  slots: z.array(z.number().int()).length(3).default([0, 0, 0]),
  handled: z.record(z.string(), z.string()).default({}),
});
type StateT = z.infer<typeof State>;

const entryArb = fc.record({ at: fc.integer({ min: 0, max: 1000 }), text: fc.string({ maxLength: 6 }) });
const rowArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  hp: fc.integer({ min: 0, max: 50 }),
});
const stateArb = fc.record({
  round: fc.nat(20),
  turn: fc.constant('a'),
  order: fc.array(rowArb, { minLength: 1, maxLength: 5 }),
  log: fc.array(entryArb, { maxLength: 8 }),
});

/** The tracker's kinds of immutable updates; some produce invalid values (negative HP, bad counts, wrong types). */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('hp' as const), i: fc.nat(), hp: fc.integer({ min: -3, max: 60 }) }),
  fc.record({ kind: fc.constant('log' as const), entry: entryArb, limit: fc.integer({ min: 2, max: 8 }) }),
  fc.record({ kind: fc.constant('badLog' as const) }),
  fc.record({ kind: fc.constant('round' as const), round: fc.integer({ min: -1, max: 30 }) }),
  fc.record({ kind: fc.constant('tag' as const), i: fc.nat(), tag: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('saves' as const), i: fc.nat(), ok: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('slots' as const), n: fc.integer({ min: 2, max: 4 }) }),
  fc.record({
    kind: fc.constant('handled' as const),
    k: fc.string({ maxLength: 3 }),
    v: fc.string({ maxLength: 3 }),
  }),
);

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function applyStep(s: StateT, step: Step): unknown {
  const at = (i: number) => i % s.order.length;
  switch (step.kind) {
    case 'hp':
      return { ...s, order: s.order.map((r, j) => (j === at(step.i) ? { ...r, hp: step.hp } : r)) };
    case 'log': {
      const all = [...s.log, step.entry];
      return { ...s, log: all.length > step.limit ? all.slice(-step.limit) : all };
    }
    case 'badLog':
      return { ...s, log: [...s.log, { at: 'soon', text: 1 }] };
    case 'round':
      return { ...s, round: step.round };
    case 'tag':
      return {
        ...s,
        order: s.order.map((r, j) => (j === at(step.i) ? { ...r, tags: [...r.tags, step.tag] } : r)),
      };
    case 'saves':
      return {
        ...s,
        order: s.order.map((r, j) => (j === at(step.i) ? { ...r, saves: { ok: step.ok } } : r)),
      };
    case 'slots':
      return { ...s, slots: Array.from({ length: step.n }, () => 1) };
    case 'handled':
      return { ...s, handled: { ...s.handled, [step.k]: step.v } };
  }
}

describe('parseFrom', () => {
  it('gives what the whole parse gives, and refuses what it refuses, naming the place', () => {
    let named = 0;
    fc.assert(
      fc.property(stateArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), (raw, steps) => {
        let prev = State.parse(raw);
        for (const step of steps) {
          const next = applyStep(prev, step) as StateT;
          const whole = State.safeParse(next);
          if (!whole.success) {
            let err: unknown;
            try {
              parseFrom(State, prev, next, 'combat state');
            } catch (e) {
              err = e;
            }
            expect(err, JSON.stringify(step)).toBeDefined();
            // A partial check names its place; the whole parse's fallback throws zod's own error.
            if (err instanceof CoreError) {
              const place = `/${(whole.error.issues[0]?.path ?? []).map(String).join('/')}`;
              expect(err.message).toContain(`combat state is invalid at ${place}`);
              named++;
            }
            continue;
          }
          const got = parseFrom(State, prev, next, 'combat state');
          expect(got).toEqual(whole.data);
          prev = got;
        }
      }),
      { numRuns: 300 },
    );
    // The refusals came from the partial check itself, not only from the whole-parse fallback.
    expect(named).toBeGreaterThan(50);
  });

  it('keeps the caller’s objects where nothing changed, so the next check finds them by identity', () => {
    const prev = State.parse({
      round: 1,
      turn: 'a',
      order: [
        { id: 'a', hp: 5 },
        { id: 'b', hp: 7 },
      ],
      log: [],
    });
    const entry = { at: 1, text: 'hit', public: false };
    const next = { ...prev, order: [prev.order[0]!, { ...prev.order[1]!, hp: 6 }], log: [entry] };
    const got = parseFrom(State, prev, next, 'combat state');
    expect(got.order[0]).toBe(prev.order[0]);
    expect(got.order[1]).toEqual({ id: 'b', hp: 6, tags: [], saves: { ok: 0 } });
    // Nothing added by the check: the new entry is the caller's object.
    expect(got.log[0]).toBe(entry);
  });

  it('the combat state: a shifted log checks only its new entry', () => {
    const base = CombatStateSchema.parse({
      session: 's1',
      round: 1,
      turn: 'a',
      order: [],
      log: Array.from({ length: 3 }, (_, i) => ({ at: i, round: 1, text: `entry ${i}` })),
    });
    const shifted = { ...base, log: [...base.log.slice(1), { at: 9, round: 1, text: 'new', public: true }] };
    const got = parseFrom(CombatStateSchema, base, shifted, 'combat state');
    expect(got.log.slice(0, 2)[0]).toBe(base.log[1]);
    expect(got).toEqual(CombatStateSchema.parse(shifted));
    const bad = { ...base, log: [...base.log, { at: 4, round: 1.5, text: 'x', public: true }] };
    expect(() => parseFrom(CombatStateSchema, base, bad as CombatState, 'combat state')).toThrow(
      /combat state is invalid at \/log\/3\/round/,
    );
  });
});

describe('publicSession', () => {
  it('gives rows and entries an action left alone as the same objects, and new ones for what changed', () => {
    const row = (id: string, hp: number) => ({
      id,
      name: id,
      side: 'party' as const,
      kind: 'character' as const,
      initiative: 10,
      initiativeBonus: 0,
      hp,
      maxHp: 20,
    });
    const state = CombatStateSchema.parse({
      session: 's1',
      round: 1,
      turn: 'a',
      order: [row('a', 20), row('b', 20)],
      log: [{ at: 1, round: 1, text: 'start', public: true }],
    });
    const first = publicSession(state);
    const next = {
      ...state,
      order: [state.order[0]!, { ...state.order[1]!, hp: 12 }],
      log: [...state.log, { at: 2, round: 1, text: 'b is hit', public: true }],
    };
    const second = publicSession(next);
    expect(second.combatants[0]).toBe(first.combatants[0]);
    expect(second.combatants[1]).not.toBe(first.combatants[1]);
    expect(second.combatants[1]).toMatchObject({ id: 'b', hp: 12 });
    expect(second.log[0]).toBe(first.log[0]);
    expect(second.log[1]).toEqual({ at: 2, round: 1, text: 'b is hit' });
    // Shared, so frozen: no caller can change what the next call hands out.
    const shared = second.combatants[0] as { hp?: number; conditions: string[] };
    expect(() => {
      shared.hp = 1;
    }).toThrow(TypeError);
    expect(() => shared.conditions.push('prone')).toThrow(TypeError);
    expect(publicSession(next).combatants[0]).toMatchObject({ id: 'a', hp: 20, conditions: [] });
  });
});
