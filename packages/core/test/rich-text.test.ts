/**
 * Issue 10 item 2 (core): a journal's body is a rich-text `Y.XmlFragment` (journal/3) laid out as Tiptap /
 * y-prosemirror store it; its text (mentions as `@[Label](ID)`) is derived when read, and a text write changes only
 * the blocks that changed, so concurrent edits elsewhere (or in the same paragraph) merge per character.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrateDoc, rootOf } from '../src/docs/doc-type';
import { dmnotesDocType, readDmNotes } from '../src/docs/dmnotes-doc';
import { createJournalDoc, editJournal, journalDocType, readJournal } from '../src/docs/journal-doc';
import type { TransactionOrigin } from '../src/docs/origin';
import {
  fragmentNodes,
  parseRichText,
  readRichText,
  relabelMentions,
  RICH_TEXT_FIELD,
  richTextOf,
} from '../src/docs/rich-text';
import { applyJsonToMap, type JsonObject } from '../src/docs/y-json';
import { openCore, tempDir } from './helpers';

const ID = '00000000-0000-4000-8000-000000000010';
const DUKE = '11111111-1111-4111-8111-111111111111';
const CULT = '22222222-2222-4222-8222-222222222222';
const ana: TransactionOrigin = { kind: 'local-user', author: 'ana' };
const ben: TransactionOrigin = { kind: 'local-user', author: 'ben' };

function journal(text: string): Y.Doc {
  const doc = new Y.Doc();
  createJournalDoc(doc, { id: ID, createdAt: 1, title: 'Recap', text }, { kind: 'import', author: 't' });
  return doc;
}
function twoPeers(text: string): [Y.Doc, Y.Doc] {
  const a = journal(text);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}
function exchange(a: Y.Doc, b: Y.Doc): void {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, ua);
  Y.applyUpdate(a, ub);
}
const setText = (doc: Y.Doc, text: string, origin: TransactionOrigin) =>
  editJournal(doc, (j) => ({ ...j, text }), origin);
const body = (doc: Y.Doc) => doc.getXmlFragment(RICH_TEXT_FIELD);

const SAMPLE = [
  '# Session 3',
  `We met @[Duke Varo](${DUKE}) at the docks.`,
  '',
  '## Loot',
  '- 50 gold',
  '- a map',
  '  - of the marsh',
  '  second paragraph of the item',
  '3. first',
  '4. second',
  '> The cult of the @[Drowned](' + CULT + ') watches.',
  '---',
  '```js',
  'const x = 1;',
  '```',
  'The end.',
].join('\n');

describe('rich text: text ⇄ nodes', () => {
  it('parses paragraphs, headings, lists, quotes, code, rules and mentions, and prints the same text', () => {
    const nodes = parseRichText(SAMPLE);
    expect(nodes.map((n) => n.type)).toEqual([
      'heading',
      'paragraph',
      'paragraph',
      'heading',
      'bulletList',
      'orderedList',
      'blockquote',
      'horizontalRule',
      'codeBlock',
      'paragraph',
    ]);
    expect(nodes[1]!.content).toEqual([
      { type: 'text', text: 'We met ' },
      { type: 'mention', attrs: { id: DUKE, label: 'Duke Varo' } },
      { type: 'text', text: ' at the docks.' },
    ]);
    const list = nodes[4]!;
    expect(list.content).toHaveLength(2);
    expect(list.content![1]!.content!.map((n) => n.type)).toEqual(['paragraph', 'bulletList', 'paragraph']);
    expect(nodes[5]!.attrs).toEqual({ start: 3 });
    expect(richTextOf(nodes)).toBe(SAMPLE);
    expect(parseRichText('')).toEqual([]);
    // An empty code block is one empty line between its fences; two fences in a row are two paragraphs.
    expect(parseRichText('```\n\n```').map((n) => n.type)).toEqual(['codeBlock']);
    expect(richTextOf([{ type: 'codeBlock' }])).toBe('```\n\n```');
    expect(parseRichText('```\n```').map((n) => n.type)).toEqual(['paragraph', 'paragraph']);
  });

  it('prints back any text it parses (property)', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '- a',
        '  - b',
        '1. x',
        '2. y',
        '# h',
        '> q',
        '---',
        '```',
        '```js',
        '  ',
        '',
        `@[N](${DUKE})`,
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n').replace(/\r/g, '');
        expect(richTextOf(parseRichText(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('journal/3: the body is a Y.XmlFragment as Tiptap stores it', () => {
  it('writes y-prosemirror elements (paragraph, heading with level, mention atom with id and label)', () => {
    const doc = journal(SAMPLE);
    const frag = body(doc);
    const first = frag.get(0) as Y.XmlElement;
    expect(first.nodeName).toBe('heading');
    expect(first.getAttribute('level')).toBe(1);
    const para = frag.get(1) as Y.XmlElement;
    expect(para.nodeName).toBe('paragraph');
    const kids = para.toArray();
    expect(kids[0]).toBeInstanceOf(Y.XmlText);
    expect((kids[1] as Y.XmlElement).nodeName).toBe('mention');
    expect((kids[1] as Y.XmlElement).getAttributes()).toEqual({ id: DUKE, label: 'Duke Varo' });
    expect((kids[1] as Y.XmlElement).length).toBe(0);
    expect(kids[2]).toBeInstanceOf(Y.XmlText);
    // No Y.Text copy: the fragment is the one source of truth; the JSON view's text is derived from it.
    expect(doc.share.has('text') ? doc.getText('text').length : 0).toBe(0);
    expect(readJournal(doc).text).toBe(SAMPLE);
    expect(journalDocType.references(readJournal(doc))).toEqual([
      { to: DUKE, relation: 'mentions' },
      { to: CULT, relation: 'mentions' },
    ]);
  });

  it('reads what an editor wrote: marks are ignored, text runs and mentions are joined', () => {
    const doc = journal('');
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      const t1 = new Y.XmlText();
      t1.insert(0, 'Bold ', { bold: {} });
      t1.insert(5, 'and plain ', { bold: null });
      const m = new Y.XmlElement('mention');
      m.setAttribute('id', DUKE);
      m.setAttribute('label', 'Duke');
      m.setAttribute('mentionSuggestionChar', '@');
      const t2 = new Y.XmlText();
      t2.insert(0, '!');
      p.insert(0, [t1, m, t2]);
      body(doc).insert(0, [p]);
    }, ana);
    expect(readJournal(doc).text).toBe(`Bold and plain @[Duke](${DUKE})!`);
    // A text write that changes another paragraph keeps this one's marks.
    setText(doc, `Bold and plain @[Duke](${DUKE})!\nMore.`, ana);
    const t1 = (body(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(t1.toDelta()[0]).toEqual({ insert: 'Bold ', attributes: { bold: {} } });
    expect((body(doc).get(0) as Y.XmlElement).get(1)).toBeInstanceOf(Y.XmlElement);
  });

  it('a text write changes only the blocks whose text changed', () => {
    const doc = journal('one\ntwo\nthree');
    const before = fragmentNodes(body(doc));
    const [p1, p2, p3] = body(doc).toArray();
    setText(doc, 'one\ntwo!\nthree\nfour', ana);
    const after = body(doc).toArray();
    expect(after[0]).toBe(p1);
    expect(after[1]).toBe(p2); // edited in place, not replaced
    expect(after[2]).toBe(p3);
    expect(after).toHaveLength(4);
    expect(readRichText(doc)).toBe('one\ntwo!\nthree\nfour');
    expect(before).toHaveLength(3);
    // Unchanged text: no transaction writes anything.
    let updates = 0;
    doc.on('update', () => updates++);
    setText(doc, 'one\ntwo!\nthree\nfour', ana);
    expect(updates).toBe(0);
    setText(doc, '', ana);
    expect(readJournal(doc).text).toBe('');
  });

  it('migrates a journal/2 document: its Y.Text becomes paragraphs and mention nodes, and is emptied', () => {
    const doc = new Y.Doc();
    const old = `At dawn @[Duke Varo](${DUKE}) left.\n\nWe followed.`;
    doc.transact(() => {
      applyJsonToMap(rootOf(doc), {
        meta: { schemaVersion: 2, entity: 'journal', id: ID, createdAt: 1 },
        title: 'Old',
        author: 'ana',
      } as JsonObject);
      doc.getText('text').insert(0, old);
    });
    expect(readJournal(doc).text).toBe(old);
    expect(migrateDoc(journalDocType, doc)).toEqual({ from: 2, to: 3, readOnly: false });
    expect(doc.getText('text').toString()).toBe('');
    expect(
      body(doc)
        .toArray()
        .map((e) => (e as Y.XmlElement).nodeName),
    ).toEqual(['paragraph', 'paragraph', 'paragraph']);
    const first = (body(doc).get(0) as Y.XmlElement).toArray();
    expect((first[1] as Y.XmlElement).getAttributes()).toEqual({ id: DUKE, label: 'Duke Varo' });
    const j = readJournal(doc);
    expect(j.text).toBe(old);
    expect(j.meta.schemaVersion).toBe(3);
    expect(j.title).toBe('Old');
  });
});

describe('dmnotes/2: a private journal (and the DM notes text) uses the same rich-text body', () => {
  it('migrates the Y.Text of a dmnotes/1 document into the fragment', () => {
    const doc = new Y.Doc();
    const old = `Secret: @[Duke Varo](${DUKE}) serves the cult.\n- check the docks`;
    doc.transact(() => {
      applyJsonToMap(rootOf(doc), {
        meta: { schemaVersion: 1, entity: 'dmnotes', id: ID, createdAt: 1 },
        campaign: 'c1',
        journal: { title: 'Secrets', author: 'dm' },
      } as JsonObject);
      doc.getText('text').insert(0, old);
    });
    expect(migrateDoc(dmnotesDocType, doc)).toEqual({ from: 1, to: 2, readOnly: false });
    expect(doc.getText('text').toString()).toBe('');
    expect(
      body(doc)
        .toArray()
        .map((e) => (e as Y.XmlElement).nodeName),
    ).toEqual(['paragraph', 'bulletList']);
    expect(readDmNotes(doc).text).toBe(old);
    expect(dmnotesDocType.references(readDmNotes(doc))).toContainEqual({ to: DUKE, relation: 'mentions' });
  });
});

describe('journal/3: concurrent edits merge per character', () => {
  it('two writers changing different paragraphs keep both changes', () => {
    const [a, b] = twoPeers('The duke paid.\nWe left at dawn.\nThe end.');
    setText(a, 'The duke paid 50 gold.\nWe left at dawn.\nThe end.', ana);
    setText(b, 'The duke paid.\nWe left at dawn.\nThe very end.', ben);
    exchange(a, b);
    expect(readJournal(a).text).toBe('The duke paid 50 gold.\nWe left at dawn.\nThe very end.');
    expect(readJournal(b).text).toBe(readJournal(a).text);
  });

  it('two writers typing in one paragraph merge per character, around a mention', () => {
    const text = `We met @[Duke Varo](${DUKE}) at the docks.`;
    const [a, b] = twoPeers(text);
    setText(a, `Late, we met @[Duke Varo](${DUKE}) at the docks.`, ana);
    setText(b, `We met @[Duke Varo](${DUKE}) at the old docks!`, ben);
    exchange(a, b);
    const merged = `Late, we met @[Duke Varo](${DUKE}) at the old docks!`;
    expect(readJournal(a).text).toBe(merged);
    expect(readJournal(b).text).toBe(merged);
  });

  it('an editor typing into the fragment and a text write merge too', () => {
    const [a, b] = twoPeers('alpha beta\ngamma');
    // a: an editor inserts characters straight into the paragraph's Y.XmlText (what y-prosemirror does)
    a.transact(() => ((body(a).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, ' and'), ana);
    // b: the command line rewrites the text (second paragraph changed, first untouched)
    setText(b, 'alpha beta\ngamma delta', ben);
    exchange(a, b);
    expect(readJournal(a).text).toBe('alpha and beta\ngamma delta');
    expect(readJournal(b).text).toBe('alpha and beta\ngamma delta');
  });

  it('random concurrent text writes converge and keep every unique insertion (property)', () => {
    const word = fc.constantFrom('fox', 'owl', 'elk', 'yak');
    fc.assert(
      fc.property(word, word, fc.nat(2), fc.nat(2), (wa, wb, la, lb) => {
        const lines = ['one two', 'three four', 'five six'];
        const [a, b] = twoPeers(lines.join('\n'));
        const ea = [...lines];
        ea[la] = `${ea[la]} A${wa}`;
        const eb = [...lines];
        eb[lb] = `B${wb} ${eb[lb]}`;
        setText(a, ea.join('\n'), ana);
        setText(b, eb.join('\n'), ben);
        exchange(a, b);
        const ta = readJournal(a).text;
        expect(readJournal(b).text).toBe(ta);
        expect(ta).toContain(`A${wa}`);
        expect(ta).toContain(`B${wb}`);
        expect(ta.split('\n')).toHaveLength(3);
      }),
      { numRuns: 60 },
    );
  });
});

describe('mention labels', () => {
  it('follow renames when shown: the current name by id, the stored label as a fallback', () => {
    const text = `@[Duke Varo](${DUKE}) and @[Cult](${CULT})`;
    expect(relabelMentions(text, new Map([[DUKE, 'Archduke Varo']]))).toBe(
      `@[Archduke Varo](${DUKE}) and @[Cult](${CULT})`,
    );
  });

  it('a new label for the same entity updates the node in place', () => {
    const doc = journal(`Met @[Duke](${DUKE}) today.`);
    const mention = (body(doc).get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    setText(doc, `Met @[Duke Varo](${DUKE}) today.`, ana);
    expect((body(doc).get(0) as Y.XmlElement).get(1)).toBe(mention);
    expect(mention.getAttribute('label')).toBe('Duke Varo');
  });
});

describe('journal/3 in a store', { timeout: 60_000 }, () => {
  it('a stored journal/2 is migrated when opened: same text, a fragment, its mentions still backlinks', async () => {
    const t = tempDir();
    try {
      const core = await openCore(t.dir);
      const { id: campaign } = await core.campaigns.create({ name: 'Old' });
      const duke = await core.memory.entities.create(campaign, { kind: 'npc', name: 'Duke Varo' });
      const j = await core.journals.create(campaign, { title: 'Recap', text: 'placeholder' });
      await core.close();
      // Rewrite the journal as a journal/2 document (text in a Y.Text), as an older app stored it.
      const text = `We met @[Duke Varo](${duke.id}).\n\nHe paid 50 gold.`;
      const db = new Database(join(t.dir, 'campaigns', `${campaign}.sqlite`));
      const old = new Y.Doc();
      old.transact(() => {
        applyJsonToMap(rootOf(old), {
          meta: { schemaVersion: 2, entity: 'journal', id: j.id, createdAt: 1 },
          title: 'Recap',
          author: 'ana',
        } as JsonObject);
        old.getText('text').insert(0, text);
      });
      db.prepare('delete from doc_updates where doc_id = ?').run(j.id);
      db.prepare(
        "insert into doc_updates (doc_id, branch, data, origin, author, ts) values (?, 'main', ?, 'import', 't', 1)",
      ).run(j.id, Buffer.from(Y.encodeStateAsUpdate(old)));
      db.close();
      const core2 = await openCore(t.dir, 2);
      try {
        expect((await core2.journals.show(j.id)).text).toBe(text);
        const live = await core2.live.open({ campaign, kind: 'journal', docId: j.id });
        try {
          expect(readJournal(live.doc).meta.schemaVersion).toBe(3);
          expect(body(live.doc).length).toBe(3);
          expect(live.doc.getText('text').toString()).toBe('');
        } finally {
          live.release();
        }
        await core2.history.commit(j.id, { message: 'after migration' });
        await core2.rebuildProjections();
        expect((await core2.memory.entities.backlinks(duke.id)).map((b) => b.journalId)).toEqual([j.id]);
      } finally {
        await core2.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
