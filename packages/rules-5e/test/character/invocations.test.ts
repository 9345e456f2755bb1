import { describe, expect, it } from 'vitest';
import {
  BuildSchema,
  INVOCATIONS,
  invocationSlots,
  repair,
  validate,
  type BuildInput,
} from '../../src/index';
import { loadSrd } from '../srd';

const content = loadSrd();

function warlock(level: number, extra: Partial<BuildInput> = {}): BuildInput {
  return {
    ruleset: '2024',
    name: 'Vex',
    species: 'human',
    background: 'sage',
    classes: [{ class: 'warlock', level, ...(level >= 3 ? { subclass: 'fiend-patron' } : {}) }],
    abilityScores: { str: 8, dex: 14, con: 14, int: 12, wis: 10, cha: 17 },
    ...extra,
  };
}

const errors = (b: BuildInput) =>
  validate(BuildSchema.parse(b), content)
    .issues.filter(
      (i) => i.severity === 'error' && /invocation|arcanum|mysticArcanum/i.test(`${i.code} ${i.path}`),
    )
    .map((i) => `${i.code} ${i.path}`);

describe('Eldritch Invocations and Mystic Arcanum (build fields, validated and repaired)', () => {
  it('counts come from the Warlock table; prerequisites (level, another invocation, a damaging cantrip) are checked', () => {
    expect(invocationSlots(content, 1)).toBe(1);
    expect(invocationSlots(content, 5)).toBe(5);
    expect(INVOCATIONS.length).toBeGreaterThanOrEqual(25);
    expect(
      errors(warlock(2, { invocations: ['armor-of-shadows', 'devils-sight', 'eldritch-mind'] })),
    ).toEqual([]);
    expect(errors(warlock(1, { invocations: ['armor-of-shadows', 'eldritch-mind'] }))).toEqual([
      'too-many-invocations /invocations',
    ]);
    expect(errors(warlock(2, { invocations: ['ascendant-step'] }))).toEqual([
      'invocation-prerequisite /invocations/0',
    ]);
    expect(errors(warlock(5, { invocations: ['thirsting-blade'] }))).toEqual([
      'invocation-prerequisite /invocations/0',
    ]);
    expect(errors(warlock(5, { invocations: ['pact-of-the-blade', 'thirsting-blade'] }))).toEqual([]);
    expect(errors(warlock(2, { invocations: ['nope'] }))).toEqual(['unknown-invocation /invocations/0']);
    expect(errors(warlock(2, { invocations: ['agonizing-blast'] }))).toEqual([
      'invocation-prerequisite /invocations/0',
    ]);
    const withBlast = warlock(2, {
      invocations: ['agonizing-blast'],
      spells: [{ class: 'warlock', cantrips: ['eldritch-blast'], prepared: [] }],
    });
    expect(errors(withBlast)).toEqual([]);
  });

  it('Mystic Arcanum: one warlock spell per level reached (6 at 11 … 9 at 17)', () => {
    const sixth = [...content.spells.values()].find(
      (s) => s.level === 6 && content.spellLists.get('warlock')?.has(s.id),
    );
    const seventh = [...content.spells.values()].find(
      (s) => s.level === 7 && content.spellLists.get('warlock')?.has(s.id),
    );
    if (!sixth || !seventh) throw new Error('no warlock spells of levels 6 and 7');
    expect(errors(warlock(11, { mysticArcanum: [sixth.id] }))).toEqual([]);
    expect(errors(warlock(11, { mysticArcanum: [sixth.id, seventh.id] }))).toEqual([
      'arcanum-level /mysticArcanum/1',
    ]);
    expect(errors(warlock(13, { mysticArcanum: [sixth.id, seventh.id] }))).toEqual([]);
  });

  it('repair drops what is wrong, fills open slots, and leaves a valid build', () => {
    const broken = BuildSchema.parse(
      warlock(5, {
        invocations: ['thirsting-blade', 'nope', 'witch-sight', 'eldritch-mind', 'eldritch-mind'],
      }),
    );
    const r = repair(broken, content);
    expect(r.build.invocations).toHaveLength(5);
    expect(r.build.invocations).toContain('eldritch-mind');
    expect(r.build.invocations).not.toContain('witch-sight');
    expect(r.build.invocations).not.toContain('nope');
    expect(r.changes.some((c) => c.path === '/invocations/2' && /Warlock level 15/.test(c.reason))).toBe(
      true,
    );
    expect(validate(r.build, content).valid).toBe(true);
    // Names become ids.
    const named = repair(
      BuildSchema.parse(warlock(2, { invocations: ["Devil's Sight", 'Eldritch Mind'] })),
      content,
    );
    expect(named.build.invocations?.slice(0, 2)).toEqual(['devils-sight', 'eldritch-mind']);
    // Not a warlock: the fields go.
    const fighter = BuildSchema.parse({
      ...warlock(3),
      classes: [{ class: 'fighter', level: 3 }],
      invocations: ['eldritch-mind'],
    });
    expect(repair(fighter, content).build.invocations).toBeUndefined();
  });
});
