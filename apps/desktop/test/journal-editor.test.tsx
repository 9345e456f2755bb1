/**
 * Issue 10 item 2: the fragment core writes is exactly what the Tiptap editor reads, and what the editor writes is
 * what core reads. A real Tiptap 3 editor (StarterKit, Collaboration, Mention — the app's extensions) bound to a
 * Y.Doc whose body core wrote from text; no hand-made fixtures on either side.
 */
import { Editor, type JSONContent } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import Mention from '@tiptap/extension-mention';
import StarterKit from '@tiptap/starter-kit';
import {
  readRichText,
  RICH_TEXT_FIELD,
  richTextOf,
  writeRichText,
  type RichNode,
} from '@loreforge/core/rich-text';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mentionItems } from '../src/renderer/src/components/JournalRichEditor';

const DUKE = '11111111-1111-4111-8111-111111111111';
const TEXT = [
  '# Session 3',
  `We met @[Duke Varo](${DUKE}) at the docks.`,
  '',
  '- 50 gold',
  '- a map',
  '  - of the marsh',
  '2. second',
  '> A quote',
  '---',
  '```',
  'code',
  '```',
  'The end.',
].join('\n');

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

function bind(doc: Y.Doc): Editor {
  editor = new Editor({
    element: document.createElement('div'),
    extensions: [
      StarterKit.configure({ undoRedo: false, trailingNode: false }),
      Collaboration.configure({ fragment: doc.getXmlFragment(RICH_TEXT_FIELD) }),
      Mention,
    ],
  });
  return editor;
}
const editorText = (e: Editor) => richTextOf((e.getJSON().content ?? []) as RichNode[]);

describe('the journal body between core and Tiptap', () => {
  it('the editor reads every node core wrote, and opening it writes nothing', () => {
    const doc = new Y.Doc();
    writeRichText(doc, TEXT);
    let updates = 0;
    doc.on('update', () => updates++);
    const e = bind(doc);
    expect(editorText(e)).toBe(TEXT);
    const json = e.getJSON();
    const types = (json.content ?? []).map((n: JSONContent) => n.type);
    expect(types).toEqual([
      'heading',
      'paragraph',
      'paragraph',
      'bulletList',
      'orderedList',
      'blockquote',
      'horizontalRule',
      'codeBlock',
      'paragraph',
    ]);
    const mention = json.content?.[1]?.content?.[1];
    expect(mention).toMatchObject({ type: 'mention', attrs: { id: DUKE, label: 'Duke Varo' } });
    expect(updates).toBe(0);
  });

  it('core reads what the editor types (text and a mention node), and the editor shows core’s writes', () => {
    const doc = new Y.Doc();
    writeRichText(doc, 'The duke paid.\nWe left.');
    const e = bind(doc);
    e.chain()
      .focus('end')
      .insertContent([
        { type: 'text', text: ' With ' },
        { type: 'mention', attrs: { id: DUKE, label: 'Duke Varo' } },
        { type: 'text', text: '!' },
      ])
      .run();
    expect(readRichText(doc)).toBe(`The duke paid.\nWe left. With @[Duke Varo](${DUKE})!`);
    // A text write from core (the command line's path) changes the first paragraph only; the editor follows.
    writeRichText(doc, `The duke paid 50 gold.\nWe left. With @[Duke Varo](${DUKE})!`);
    expect(editorText(e)).toBe(`The duke paid 50 gold.\nWe left. With @[Duke Varo](${DUKE})!`);
  });

  it('two editors on two synced docs typing at once merge per character', () => {
    const a = new Y.Doc();
    writeRichText(a, 'The duke paid us.');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const ea = bind(a);
    const eb = new Editor({
      element: document.createElement('div'),
      extensions: [
        StarterKit.configure({ undoRedo: false, trailingNode: false }),
        Collaboration.configure({ fragment: b.getXmlFragment(RICH_TEXT_FIELD) }),
        Mention,
      ],
    });
    try {
      ea.chain().focus('end').insertContent(' Then we left.').run();
      eb.chain().focus('start').insertContent('Late, ').run();
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
      expect(readRichText(a)).toBe('Late, The duke paid us. Then we left.');
      expect(editorText(ea)).toBe('Late, The duke paid us. Then we left.');
      expect(editorText(eb)).toBe('Late, The duke paid us. Then we left.');
    } finally {
      eb.destroy();
    }
  });

  it('the @ menu offers the ranked entities, then "create" unless one is named exactly so', () => {
    const found = [{ id: DUKE, name: 'Duke Varo', kind: 'npc', score: 1 }];
    expect(mentionItems(found as never, 'Pete', true).map((i) => [i.name, i.create ?? false])).toEqual([
      ['Duke Varo', false],
      ['Pete', true],
    ]);
    expect(mentionItems(found as never, 'duke varo', true).some((i) => i.create)).toBe(false);
    expect(mentionItems(found as never, '', true).some((i) => i.create)).toBe(false);
  });
});
