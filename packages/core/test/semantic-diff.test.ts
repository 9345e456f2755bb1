import { describe, expect, it } from 'vitest';
import {
  describeChanges,
  humanizeId,
  semanticDiff,
  semanticDiffAt,
  wordDiff,
} from '../src/history/semantic-diff';

const doc = (over: Record<string, unknown> = {}, narrative: Record<string, unknown> = {}) => ({
  meta: { schemaVersion: 3, updatedAt: 1 },
  kind: 'pc',
  build: {
    name: 'Aria',
    species: 'human',
    background: 'soldier',
    classes: [{ class: 'fighter', level: 3 }],
    abilityScores: { str: 15, dex: 12, con: 14, int: 10, wis: 10, cha: 8 },
    skills: ['athletics', 'sleight-of-hand'],
    expertise: [],
    feats: ['alert'],
    equipment: [
      { item: 'chain-mail', equipped: true },
      { item: 'shield', equipped: true },
      { item: 'dagger' },
      { item: 'longsword', equipped: true },
      { item: 'arrows', quantity: 20 },
      { item: 'rope' },
      { item: 'torch', quantity: 5 },
      { item: 'rations', quantity: 10 },
      { item: 'waterskin' },
      { item: 'bedroll' },
      { item: 'tinderbox' },
      { item: 'mess-kit' },
    ],
    ...over,
  },
  narrative: {
    backstory: 'She served ten years on the northern wall and never once lost her nerve in the fog.',
    lore: {},
    ...narrative,
  },
});

const NAMES: Record<string, string> = {
  'item:longsword': 'Longsword',
  'item:warhammer': 'Warhammer',
  'subclass:life-domain': 'Life Domain',
};
const names = (kind: string, id: string) => NAMES[`${kind}:${id}`];

describe('semanticDiff', () => {
  it('a weapon swap in the middle of a list is one row, not a shifted list', () => {
    const a = doc();
    const equipment = (a.build.equipment as { item: string }[]).filter((e) => e.item !== 'longsword');
    const b = doc({
      equipment: [...equipment.slice(0, 1), { item: 'warhammer', equipped: true }, ...equipment.slice(1)],
    });
    const rows = semanticDiff(a, b, { names });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      section: 'Equipment',
      kind: 'changed',
      before: 'Longsword',
      after: 'Warhammer',
      summary: 'Longsword → Warhammer',
      entry: true,
    });
    expect(describeChanges(a, b, { names })).toBe('swap longsword for warhammer');
  });

  it('entries present on both sides show their own field changes under the entry name', () => {
    const a = doc();
    const eq = (a.build.equipment as { item: string; quantity?: number }[]).map((e) =>
      e.item === 'arrows' ? { ...e, quantity: 40 } : e,
    );
    const rows = semanticDiff(a, doc({ equipment: eq }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      section: 'Equipment',
      subject: 'Arrows › quantity',
      before: '20',
      after: '40',
    });
  });

  it('rows come in the sheet order with human names; bookkeeping is left out', () => {
    const a = doc();
    const b = doc(
      {
        name: 'Bria',
        abilityScores: { str: 16, dex: 12, con: 14, int: 10, wis: 10, cha: 8 },
        feats: ['alert', 'tough'],
        classes: [{ class: 'cleric', level: 3, subclass: 'life-domain' }],
      },
      { backstory: 'She served ten years on the southern wall and never once lost her nerve in the fog.' },
    );
    b.meta.updatedAt = 2;
    const rows = semanticDiff(a, b, { names });
    expect(rows.map((r) => r.section)).toEqual(['Name', 'Classes', 'Ability scores', 'Feats', 'Backstory']);
    expect(rows[1]).toMatchObject({ before: 'Fighter 3', after: 'Cleric 3 (Life Domain)' });
    expect(rows[2]).toMatchObject({ subject: 'Strength', before: '15', after: '16' });
    expect(rows[3]).toMatchObject({ kind: 'added', after: 'Tough', summary: 'added Tough' });
    expect(describeChanges(a, b, { names })).toBe(
      'rename Aria to Bria, swap fighter 3 for cleric 3 (life domain), Strength 15 → 16 and 2 more changes',
    );
  });

  it('long text is diffed by words with the changed words marked', () => {
    const rows = semanticDiff(
      doc(),
      doc(
        {},
        { backstory: 'She served ten years on the southern wall and never once lost her nerve in the fog.' },
      ),
    );
    expect(rows).toHaveLength(1);
    const w = rows[0]?.words ?? [];
    expect(w.filter((x) => x.op === 'del').map((x) => x.text)).toEqual(['northern']);
    expect(w.filter((x) => x.op === 'add').map((x) => x.text)).toEqual(['southern']);
    expect(w.map((x) => (x.op === 'add' ? '' : x.text)).join('')).toBe(doc().narrative.backstory);
  });

  it('sets of ids: added and removed skills read as names', () => {
    const rows = semanticDiff(doc(), doc({ skills: ['athletics', 'perception'] }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ section: 'Skills', before: 'Sleight of Hand', after: 'Perception' });
  });

  it('a conflict value at a path is rendered the same way', () => {
    const rows = semanticDiffAt(
      '/build/equipment',
      [{ item: 'longsword' }, { item: 'shield' }],
      [{ item: 'warhammer' }, { item: 'shield' }],
      { names },
    );
    expect(rows).toEqual([
      expect.objectContaining({ section: 'Equipment', summary: 'Longsword → Warhammer' }),
    ]);
  });

  it('elements mirror the build: added ones are not repeated, a re-skinned name is shown', () => {
    const a = { ...doc(), elements: [{ kind: 'item', id: 'longsword', name: 'Longsword', tag: 'srd' }] };
    const b = {
      ...doc(),
      elements: [
        { kind: 'item', id: 'longsword', name: 'Dawnbreaker', tag: 'adapted' },
        { kind: 'item', id: 'shield', name: 'Shield', tag: 'srd' },
      ],
    };
    const rows = semanticDiff(a, b);
    expect(rows.map((r) => [r.section, r.subject, r.before, r.after])).toEqual([
      ['Elements', 'Longsword › name', 'Longsword', 'Dawnbreaker'],
      ['Elements', 'Longsword › tag', 'srd', 'adapted'],
    ]);
  });

  it('no change → no rows', () => {
    expect(semanticDiff(doc(), doc())).toEqual([]);
    expect(describeChanges(doc(), doc())).toBe('no changes');
  });
});

describe('wordDiff and humanizeId', () => {
  it('keeps spacing and marks replaced words', () => {
    expect(wordDiff('a quick brown fox', 'a slow brown fox')).toEqual([
      { op: 'same', text: 'a ' },
      { op: 'del', text: 'quick' },
      { op: 'add', text: 'slow' },
      { op: 'same', text: ' brown fox' },
    ]);
  });
  it('a rewritten phrase is one deletion and one insertion, not word-by-word', () => {
    expect(wordDiff('the old grey tale of it', 'a new blue tale of it')).toEqual([
      { op: 'del', text: 'the old grey' },
      { op: 'add', text: 'a new blue' },
      { op: 'same', text: ' tale of it' },
    ]);
  });
  it('long texts with edits spread through them still mark only the changed words', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 503}`);
    const a = words.join(' ');
    const b = words.map((w, i) => (i % 100 === 0 ? 'CHANGED' : w)).join(' ');
    const ops = wordDiff(a, b);
    expect(
      ops
        .filter((o) => o.op !== 'del')
        .map((o) => o.text)
        .join(''),
    ).toBe(b);
    expect(
      ops
        .filter((o) => o.op !== 'add')
        .map((o) => o.text)
        .join(''),
    ).toBe(a);
    expect(ops.filter((o) => o.op === 'add').map((o) => o.text)).toEqual(Array(30).fill('CHANGED'));
  });
  it('random edits: the ops rebuild both texts', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 50; round++) {
      const a = Array.from({ length: 5 + rnd(40) }, () => `t${rnd(8)}`);
      const b = a.flatMap((w) =>
        rnd(5) === 0 ? [] : rnd(6) === 0 ? [w, `n${rnd(5)}`] : [rnd(7) === 0 ? 'x' : w],
      );
      const ops = wordDiff(a.join(' '), b.join(' '));
      expect(
        ops
          .filter((o) => o.op !== 'del')
          .map((o) => o.text)
          .join(''),
      ).toBe(b.join(' '));
      expect(
        ops
          .filter((o) => o.op !== 'add')
          .map((o) => o.text)
          .join(''),
      ).toBe(a.join(' '));
    }
  });
  it('ids in words', () => {
    expect(humanizeId('sleight-of-hand')).toBe('Sleight of Hand');
    expect(humanizeId('life-domain')).toBe('Life Domain');
    expect(humanizeId('spell:fire-bolt')).toBe('Fire Bolt');
  });
});
