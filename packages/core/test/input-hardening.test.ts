/**
 * Hostile and invalid input through the CLI and the services (issue 15 items 2, 3, 5, 15): prototype pollution
 * refused everywhere a pointer or key is applied, builds outside the limits refused with nothing written, rule
 * warnings on stderr, bounded imports, the readable sheet and `rules derive --explain`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyJsonToMap, setJsonPointer } from '../src/docs/y-json';
import { jsonLimitProblem, parseBoundedJson } from '../src/input/limits';
import { build, openCore, runCliCaptured, tempDir } from './helpers';

const t = tempDir('lf-input-');
afterAll(() => t.cleanup());
let n = 0;

async function run(args: string[], stdin = '') {
  return runCliCaptured(args, { cwd: t.dir, stdin });
}

function freshDir(): string {
  return join(t.dir, `data-${++n}`);
}

function file(name: string, value: unknown): string {
  const p = join(t.dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

async function importAria(dataDir: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await run([
    'character',
    'import',
    file(`aria-${n}.json`, { ...build(), ...extra }),
    '--data-dir',
    dataDir,
    '--json',
  ]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { id: string }).id;
}

async function logOf(dataDir: string, id: string): Promise<string[]> {
  const r = await run(['history', 'log', id, '--data-dir', dataDir, '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { message: string }[]).map((c) => c.message);
}

const protoClean = () => {
  const probe = {} as Record<string, unknown>;
  return probe['x'] === undefined && probe['polluted'] === undefined && probe['isAdmin'] === undefined;
};

afterEach(() => {
  // A failing case must not leak pollution into the next one.
  for (const k of ['x', 'polluted', 'isAdmin']) delete (Object.prototype as Record<string, unknown>)[k];
});

describe('prototype pollution is refused wherever pointers or keys are applied', () => {
  it('character edit --set with __proto__ / constructor / prototype segments: exit 2, nothing committed', async () => {
    const dataDir = freshDir();
    const id = await importAria(dataDir);
    for (const set of [
      '/__proto__/x=1',
      '/build/__proto__/polluted=true',
      '/constructor/prototype/isAdmin=true',
      '/narrative/lore/__proto__={"x":1}',
    ]) {
      const r = await run(['character', 'edit', id, '--set', set, '--data-dir', dataDir]);
      expect(r.code, set).toBe(2);
      expect(r.err).toMatch(/is not allowed/);
      expect(protoClean()).toBe(true);
    }
    expect(await logOf(dataDir, id)).toEqual(['import Aria Moonwhisper']);
  });

  it('a value or an import carrying a "__proto__" key is refused', async () => {
    const dataDir = freshDir();
    const id = await importAria(dataDir);
    const r = await run([
      'character',
      'edit',
      id,
      '--set',
      '/narrative/lore={"__proto__":{"polluted":true}}',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/"__proto__" is not allowed/);
    const imp = await run([
      'character',
      'import',
      file('proto.json', `{"__proto__":{"polluted":true},${JSON.stringify(build()).slice(1)}`),
      '--data-dir',
      dataDir,
    ]);
    expect(imp.code).toBe(2);
    expect(imp.err).toMatch(/character\/__proto__: the key "__proto__" is not allowed/);
    expect(protoClean()).toBe(true);
    expect(await logOf(dataDir, id)).toEqual(['import Aria Moonwhisper']);
    const list = await run(['character', 'list', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(list.out) as unknown[]).length).toBe(1);
  });

  it('setJsonPointer and applyJsonToMap refuse the segments and keys themselves', () => {
    expect(() => setJsonPointer({ a: {} }, '/__proto__/x', 1)).toThrow(/"__proto__" is not allowed/);
    expect(() => setJsonPointer({ a: {} }, '/a/constructor', 1)).toThrow(/"constructor" is not allowed/);
    expect(() => setJsonPointer({ a: {} }, '/a/prototype', 1)).toThrow(/"prototype" is not allowed/);
    const doc = new Y.Doc();
    const bad = JSON.parse('{"ok":1,"__proto__":{"x":1}}') as Record<string, never>;
    expect(() => doc.transact(() => applyJsonToMap(doc.getMap('root'), bad))).toThrow(/not allowed/);
    expect(doc.getMap('root').size).toBe(0);
    expect(protoClean()).toBe(true);
  });
});

describe('builds outside the limits are refused; rule warnings go to stderr', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'unknown class',
      { classes: [{ class: 'necromancer', level: 3 }] },
      /\/build\/classes\/0\/class: class "necromancer" is not a known class id/,
    ],
    [
      'level 25',
      { classes: [{ class: 'wizard', level: 25 }] },
      /\/build\/classes\/0\/level: level 25 is outside 1–20/,
    ],
    ['class level 10⁹', { classes: [{ class: 'wizard', level: 1e9 }] }, /level 1000000000 is outside 1–20/],
    [
      'total level 21',
      {
        classes: [
          { class: 'wizard', level: 11 },
          { class: 'fighter', level: 10 },
        ],
      },
      /total level 21 is above 20/,
    ],
    [
      'strength 45',
      { abilityScores: { str: 45, dex: 14, con: 14, int: 18, wis: 12, cha: 10 } },
      /\/build\/abilityScores\/str: str score 45 is outside 1–30/,
    ],
    [
      'unknown species',
      { species: 'vampire-lord', lineage: undefined },
      /\/build\/species: species "vampire-lord" is not a known species id/,
    ],
  ];
  for (const [label, patch, message] of cases) {
    it(`character import refuses ${label}: exit 2, the validation message, nothing written`, async () => {
      const dataDir = freshDir();
      const r = await run([
        'character',
        'import',
        file(`bad-${n}.json`, { ...build(), ...patch }),
        '--data-dir',
        dataDir,
      ]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/nothing was saved/);
      const list = await run(['character', 'list', '--data-dir', dataDir, '--json']);
      expect(JSON.parse(list.out)).toEqual([]);
    });
  }

  it('character edit refuses level 25, strength 45 and an unknown class id; the history is unchanged', async () => {
    const dataDir = freshDir();
    const id = await importAria(dataDir);
    for (const [set, message] of [
      ['/build/classes/0/level=25', /\/build\/classes\/0\/level: level 25 is outside 1–20/],
      ['/build/abilityScores/str=45', /str score 45 is outside 1–30/],
      ['/build/classes/0/class="necromancer"', /class "necromancer" is not a known class id/],
      ['/build/equipment/-={"item":"deathstar"}', /item "deathstar" is not a known item id/],
    ] as const) {
      const r = await run(['character', 'edit', id, '--set', set, '--data-dir', dataDir]);
      expect(r.code, set).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(await logOf(dataDir, id)).toEqual(['import Aria Moonwhisper']);
    const show = await run(['character', 'show', id, '--data-dir', dataDir, '--json']);
    expect(
      (JSON.parse(show.out) as { build: { classes: { level: number }[] } }).build.classes[0]?.level,
    ).toBe(5);
  });

  it('a rule warning (strength 22: inside 1–30, outside the rules’ 1–20) is printed on stderr and the write goes through', async () => {
    const dataDir = freshDir();
    const id = await importAria(dataDir);
    const r = await run([
      'character',
      'edit',
      id,
      '--set',
      '/build/abilityScores/str=22',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: \/build\/abilityScores\/str: str score 22 is outside 1–20/);
    expect(await logOf(dataDir, id)).toHaveLength(2);
  });

  it('an id that is the character’s own custom content is accepted (as a warning)', async () => {
    const dataDir = freshDir();
    const r = await run([
      'character',
      'import',
      file('custom.json', {
        build: { ...build(), equipment: [{ item: 'moonblade-of-vael', equipped: true }] },
        elements: [{ kind: 'item', name: 'Moonblade of Vael', id: 'moonblade-of-vael', tag: 'custom' }],
      }),
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/custom content of this character/);
  });

  it('equipment may name an item stored in the data folder by its UUID; an unknown UUID is refused', async () => {
    const core = await openCore(null);
    try {
      const item = await core.items.import({ name: 'Lantern of Truth', category: 'gear' });
      const ch = await core.characters.import(build());
      await core.characters.edit(ch.id, { set: [{ path: '/build/equipment/-', value: { item: item.id } }] });
      await expect(
        core.characters.edit(ch.id, {
          set: [{ path: '/build/equipment/-', value: { item: '00000000-0000-4000-8000-00000000f00d' } }],
        }),
      ).rejects.toThrow(/item "00000000-0000-4000-8000-00000000f00d" is not a known item id/);
      expect((await core.history.log(ch.id)).length).toBe(2);
    } finally {
      await core.close();
    }
  });

  it('rules derive of a build outside the limits refuses; of a rule-breaking build derives and says it is not valid', async () => {
    const refused = await run(
      ['rules', 'derive', '-'],
      JSON.stringify(build({ classes: [{ class: 'wizard', level: 25 }] })),
    );
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(
      /build: not valid, nothing derived\n\/classes\/0\/level: level 25 is outside 1–20/,
    );
    const ruleBroken = await run(
      ['rules', 'derive', '-'],
      JSON.stringify(build({ abilityScores: { str: 22, dex: 14, con: 14, int: 18, wis: 12, cha: 10 } })),
    );
    expect(ruleBroken.code).toBe(1);
    expect(JSON.parse(ruleBroken.out)).toMatchObject({ abilityModifiers: { str: 6 } });
    expect(ruleBroken.err).toMatch(/build: not valid \(1 rule problem/);
    expect(ruleBroken.err).toMatch(/\/abilityScores\/str: str score 22 is outside 1–20/);
  });
});

describe('bounded JSON input', () => {
  it('a 1.2M-entry equipment array is refused with a clear error, not a stack overflow', async () => {
    const dataDir = freshDir();
    const huge = { ...build(), equipment: Array.from({ length: 1_200_000 }, () => ({ item: 'dagger' })) };
    const r = await run(['character', 'import', file('huge.json', huge), '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/character\/equipment: array of 1200000 entries is longer than 10000/);
    const core = await openCore(null);
    try {
      await expect(core.characters.import(huge)).rejects.toThrow(
        /array of 1200000 entries is longer than 10000/,
      );
    } finally {
      await core.close();
    }
  });

  it('nesting is bounded before parsing and checked without recursion', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => parseBoundedJson(deep, 'build')).toThrow('build: nested deeper than 64 levels');
    let v: unknown = 1;
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(jsonLimitProblem(v, 'x')).toMatch(/nested deeper than 64 levels/);
    expect(jsonLimitProblem({ a: 'x'.repeat(300_000) }, 'x')).toMatch(/x\/a: string of 300000 characters/);
  });
});

describe('character show is a readable sheet; --json carries narrative and elements', () => {
  it('prints species, background, AC, HP, speed, saves, skills, attacks, spellcasting with spells, equipment, features, narrative', async () => {
    const dataDir = freshDir();
    const id = await importAria(dataDir, {
      narrative: { backstory: 'Studied the stars in Vael.', fears: ['the dark'] },
    });
    const r = await run(['character', 'show', id, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    for (const want of [
      /Species: Elf \(High Elf\)\s+Background: Sage/,
      /AC 12\s+HP 32\s+Speed 30 ft/,
      /Saves: .*INT \+7\*/,
      /Skills: arcana \+7, history \+7, investigation \+7, perception \+4/,
      /Attacks:\n\s+Quarterstaff: \+2 to hit, 1d6-1 bludgeoning/,
      /Wizard: INT, save DC 15, attack \+7/,
      /Wizard prepared: Magic Missile, Shield, Mage Armor/,
      /Equipment: Quarterstaff \(equipped\), Spellbook/,
      /Features: .*Arcane Recovery \(Wizard 1\)/,
      /Backstory: Studied the stars in Vael\./,
      /Fears: the dark/,
    ])
      expect(r.out).toMatch(want);
    const json = await run(['character', 'show', id, '--data-dir', dataDir, '--json']);
    const v = JSON.parse(json.out) as { narrative: { backstory: string }; elements: unknown[] };
    expect(v.narrative.backstory).toBe('Studied the stars in Vael.');
    expect(v.elements).toEqual([]);
  });

  it('rules derive --explain prints each number with its explanation', async () => {
    const r = await run(['rules', 'derive', '-', '--explain'], JSON.stringify(build()));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Armor Class: 12 = /m);
    expect(r.out).toMatch(/^Hit points: 32 = /m);
    expect(r.out).toMatch(/^INT save: \+7 = /m);
    expect(r.out).toMatch(/^Wizard spell save DC: 15 = /m);
    expect(r.out).toMatch(/^Spell slots: 1:4 {2}2:3 {2}3:2/m);
  });
});
