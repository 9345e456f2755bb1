/**
 * Issue 14 item 2: a character's long texts are Y.Texts (character/4), written as minimal character diffs, so two
 * people typing into one backstory merge per character; the text channels merge a form's typing into the live
 * text without losing a remote edit made meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { disposeHandlers } from '../src/api/handlers';
import { openTestBridge } from './bridge-helper';
import { invokeHandler } from '../src/api/invoke';
import type { Core } from '../src/core';
import {
  characterDocType,
  createCharacterDoc,
  editCharacter,
  readCharacter,
} from '../src/docs/character-doc';
import { migrateDoc, rootOf } from '../src/docs/doc-type';
import type { TransactionOrigin } from '../src/docs/origin';
import { applyHunks, mergeText, textHunks } from '../src/docs/text-merge';
import { applyJsonToMap, applyStringToText, type JsonObject } from '../src/docs/y-json';
import { build, openCore } from './helpers';

const ID = '00000000-0000-4000-8000-000000000014';
const ana: TransactionOrigin = { kind: 'local-user', author: 'ana' };
const ben: TransactionOrigin = { kind: 'local-user', author: 'ben' };

/** Two peers holding one character document, in sync, its backstory `text`. */
function twoPeers(text: string): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  createCharacterDoc(
    a,
    { id: ID, createdAt: 1, kind: 'pc', build: build({ name: 'Mira' }), narrative: { backstory: text } },
    { kind: 'import', author: 't' },
  );
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

function exchange(a: Y.Doc, b: Y.Doc) {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, ua);
  Y.applyUpdate(a, ub);
}

const setBackstory = (doc: Y.Doc, text: string, origin: TransactionOrigin) =>
  editCharacter(
    doc,
    (j) => ({ ...j, narrative: { ...(j['narrative'] as JsonObject), backstory: text } }),
    origin,
  );
const backstory = (doc: Y.Doc) => readCharacter(doc).narrative.backstory;

describe('character/4: long texts merge per character', () => {
  it('holds backstory, appearance, lore and relationship notes as Y.Texts; the name stays a plain value', () => {
    const doc = new Y.Doc();
    createCharacterDoc(
      doc,
      {
        id: ID,
        createdAt: 1,
        kind: 'pc',
        build: build({ name: 'Mira' }),
        narrative: {
          backstory: 'b',
          appearance: 'a',
          lore: { species: 'l' },
          relationships: [{ with: 'Tom', relation: 'friend', note: 'n' }],
        },
      },
      ana,
    );
    const n = rootOf(doc).get('narrative') as Y.Map<unknown>;
    expect(n.get('backstory')).toBeInstanceOf(Y.Text);
    expect(n.get('appearance')).toBeInstanceOf(Y.Text);
    expect((n.get('lore') as Y.Map<unknown>).get('species')).toBeInstanceOf(Y.Text);
    const rel = (n.get('relationships') as Y.Array<Y.Map<unknown>>).get(0);
    expect(rel.get('note')).toBeInstanceOf(Y.Text);
    expect(rel.get('relation')).toBe('friend');
    expect((rootOf(doc).get('build') as Y.Map<unknown>).get('name')).toBe('Mira');
    expect(readCharacter(doc).narrative).toMatchObject({
      backstory: 'b',
      appearance: 'a',
      lore: { species: 'l' },
    });
  });

  it('two writers typing into the same backstory at once: both keep every character they typed', () => {
    const [a, b] = twoPeers('She sailed north.');
    // Ana types at the start, Ben at the end and in the middle, before either sees the other.
    setBackstory(a, 'Young, she sailed north.', ana);
    setBackstory(b, 'She sailed far north. Alone.', ben);
    exchange(a, b);
    expect(backstory(a)).toBe('Young, she sailed far north. Alone.');
    expect(backstory(b)).toBe(backstory(a));
  });

  it('typing at the same place keeps both insertions, whole, one after the other', () => {
    const [a, b] = twoPeers('The storm came.');
    setBackstory(a, 'The storm came. Ana was here.', ana);
    setBackstory(b, 'The storm came. Ben was here.', ben);
    exchange(a, b);
    const merged = backstory(a);
    expect(merged).toBe(backstory(b));
    expect(merged).toContain(' Ana was here.');
    expect(merged).toContain(' Ben was here.');
    expect(merged.length).toBe('The storm came.'.length + ' Ana was here.'.length + ' Ben was here.'.length);
  });

  it('one save changing two places writes two small edits, so a concurrent edit between them survives', () => {
    const [a, b] = twoPeers('The quick brown fox jumps over the lazy dog.');
    setBackstory(a, 'The slow brown fox jumps over the lazy cat.', ana);
    setBackstory(b, 'The quick brown red fox jumps over the dog.', ben);
    exchange(a, b);
    expect(backstory(a)).toBe('The slow brown red fox jumps over the cat.');
    expect(backstory(b)).toBe(backstory(a));
  });

  it('never cuts an emoji in two while merging', () => {
    const [a, b] = twoPeers('Fire 😀 and ice');
    setBackstory(a, 'Fire 😁 and ice', ana);
    setBackstory(b, 'Fire 😀 and ice 🧊', ben);
    exchange(a, b);
    expect(backstory(a)).toBe('Fire 😁 and ice 🧊');
    expect(backstory(a)).not.toContain('\ufffd');
  });

  it('migrates a character/3 document: texts become Y.Texts with the same content, in one migration transaction', () => {
    const doc = new Y.Doc();
    doc.transact(() =>
      applyJsonToMap(rootOf(doc), {
        meta: { schemaVersion: 3, entity: 'character', id: ID, createdAt: 1 },
        kind: 'pc',
        status: 'alive',
        build: { ...(build({ name: 'Old Mira' }) as unknown as Record<string, never>) },
        narrative: {
          backstory: 'from version 3',
          appearance: 'tall',
          lore: { species: 'the old lore' },
          relationships: [{ with: 'Tom', relation: 'friend', note: 'owes her' }],
          fears: ['fire'],
        },
        themeHistory: [],
        elements: [],
      }),
    );
    const n = rootOf(doc).get('narrative') as Y.Map<unknown>;
    expect(n.get('backstory')).toBe('from version 3');
    const before = readCharacter(doc);
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 3, to: 4, readOnly: false });
    expect(origins).toEqual([{ kind: 'migration', author: 'loreforge' }]);
    expect(n.get('backstory')).toBeInstanceOf(Y.Text);
    expect(n.get('appearance')).toBeInstanceOf(Y.Text);
    expect((n.get('lore') as Y.Map<unknown>).get('species')).toBeInstanceOf(Y.Text);
    const after = readCharacter(doc);
    expect(after.meta.schemaVersion).toBe(4);
    expect({ ...after, meta: before.meta }).toEqual(before);
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 4, to: 4, readOnly: false });

    // After the migration, two peers typing merge per character.
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc));
    setBackstory(doc, 'Written from version 3', ana);
    setBackstory(b, 'from version 3 onwards', ben);
    exchange(doc, b);
    expect(backstory(doc)).toBe('Written from version 3 onwards');
  });
});

describe('text diffs and the three-way text merge', () => {
  it('textHunks finds separate small edits, and applying them gives the new text', () => {
    const a = 'The quick brown fox jumps over the lazy dog.';
    const b = 'The slow brown fox jumps over the lazy cat.';
    const h = textHunks(a, b);
    expect(h.length).toBeGreaterThanOrEqual(2);
    expect(h.reduce((n, x) => n + (x.end - x.start) + x.insert.length, 0)).toBeLessThanOrEqual(15);
    expect(applyHunks(a, h)).toBe(b);
    expect(textHunks(a, a)).toEqual([]);
  });

  it('a long rewrite past the search limit is still exact (one replaced middle)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const b = Array.from({ length: 3000 }, (_, i) => `v${i * 7}`).join(' ');
    expect(applyHunks(a, textHunks(a, b))).toBe(b);
  });

  it('any two texts: the hunks turn one into the other, ordered and apart; merging with an unchanged side is the other side', () => {
    const txt = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'c', '😀', 'é'), maxLength: 40 });
    fc.assert(
      fc.property(txt, txt, (a, b) => {
        const h = textHunks(a, b);
        expect(applyHunks(a, h)).toBe(b);
        h.forEach((x, i) => {
          expect(x.start).toBeLessThanOrEqual(x.end);
          if (i > 0) expect(x.start).toBeGreaterThan((h[i - 1] as { end: number }).end - 1);
        });
        expect(mergeText(a, b, a)).toBe(b);
        expect(mergeText(a, a, b)).toBe(b);
        // Written into a Y.Text (emoji included), the text reads exactly b: no pair is ever cut.
        const doc = new Y.Doc();
        const t = doc.getText('t');
        t.insert(0, a);
        doc.transact(() => applyStringToText(t, b));
        expect(t.toString()).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it('mergeText keeps both sides and both deletions', () => {
    expect(mergeText('abc', 'abc', 'aXbc')).toBe('aXbc');
    expect(mergeText('abc', 'abYc', 'abc')).toBe('abYc');
    expect(mergeText('one two three', 'one 2 three', 'one two three four')).toBe('one 2 three four');
    expect(mergeText('one two three', 'one three', 'one two 3')).toBe('one 3');
    expect(mergeText('x', 'xA', 'xA')).toBe('xA');
    // A deletion is placed on whole words ("two ", not "wo t"), so the other side's words stay whole.
    expect(textHunks('one two three', 'one three')).toEqual([{ start: 4, end: 8, insert: '' }]);
    expect(textHunks('one three', 'one two three')).toEqual([{ start: 4, end: 4, insert: 'two ' }]);
  });
});

describe('characters.readText / characters.editText', { timeout: 30_000 }, () => {
  let dir = '';
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('merges a form typed from an older base into the live text; a remote edit made meanwhile is kept', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-text-'));
    core = await openCore(dir);
    const h = (await openTestBridge(core, { dataDir: dir })).handlers;
    try {
      const { id } = await core.characters.import({
        build: build({ name: 'Mira' }),
        narrative: { backstory: 'She sailed north.' },
      });
      const read = await invokeHandler(h, 'characters.readText', { id, path: '/narrative/backstory' });
      expect(read).toEqual({ ok: true, value: { path: '/narrative/backstory', text: 'She sailed north.' } });
      const base = 'She sailed north.';
      // Page one saves first.
      const one = await h['characters.editText']({
        id,
        path: '/narrative/backstory',
        base,
        text: 'Young, she sailed north.',
      });
      expect(one.text).toBe('Young, she sailed north.');
      expect(one.commit).toBeNull();
      // Page two typed from the same base and never saw page one's edit: both are kept.
      const two = await h['characters.editText']({
        id,
        path: '/narrative/backstory',
        base,
        text: 'She sailed north. Alone.',
        message: 'rewrite backstory',
      });
      expect(two.text).toBe('Young, she sailed north. Alone.');
      expect(two.commit).toMatch(/^[0-9a-f-]{36}$/);
      expect((await core.characters.show(id)).doc.narrative.backstory).toBe(
        'Young, she sailed north. Alone.',
      );
      const log = await core.history.log(id);
      expect(log[0]?.message).toBe('rewrite backstory');

      // Bad input names the field and the reason; nothing is written.
      const bad = await invokeHandler(h, 'characters.editText', {
        id,
        path: '/build/name',
        base: '',
        text: 'x',
      });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.message).toMatch(/path.*text field/);
      const notText = await invokeHandler(h, 'characters.editText', {
        id,
        path: '/narrative/theme',
        base: '',
        text: 'x',
      });
      expect(notText.ok).toBe(false);
      if (!notText.ok)
        expect(notText.error.message).toMatch(/\/narrative\/theme.*not a character text field/);
      expect((await core.characters.show(id)).doc.narrative.theme).toBe('');
    } finally {
      disposeHandlers(h);
    }
  });
});
