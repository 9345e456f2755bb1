/**
 * Issue 10 item 2: what a rich-text journal body costs. Reading a journal derives its text from the fragment
 * (`readJournal`, which every projection refresh, search index update and `journal show` does); a text write
 * (`editJournal`, the command line's and `journals.editText`'s path) changes one paragraph; an editor keystroke
 * is one Yjs update applied to the live document (what `live.update` does) followed by the derived read the
 * registry's projection refresh makes. Journals of 20, 200 and 2000 paragraphs (~12 words and one mention
 * each). Run with `pnpm bench rich-text`.
 */
import * as Y from 'yjs';
import { createJournalDoc, editJournal, readJournal } from '../src/docs/journal-doc';
import { RICH_TEXT_FIELD } from '../src/docs/rich-text';
import { type BenchResult, time } from './common';

const ID = '00000000-0000-4000-8000-0000000000b2';
const DUKE = '11111111-1111-4111-8111-111111111111';
const para = (i: number) =>
  `Paragraph ${i}: the party met @[Duke Varo](${DUKE}) near gate ${i % 17} and paid ${i} gold for the map.`;

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of [20, 200, 2000]) {
    const lines = Array.from({ length: n }, (_, i) => para(i));
    const text = lines.join('\n');
    const doc = new Y.Doc();
    createJournalDoc(
      doc,
      { id: ID, createdAt: 1, title: 'Bench', text },
      { kind: 'import', author: 'bench' },
    );
    const chars = text.length;
    results.push({
      name: `read a journal of ${n} paragraphs (text derived from the fragment)`,
      value: time(n >= 2000 ? 10 : 50, () => readJournal(doc)),
      unit: 'ms',
      detail: `${chars} characters`,
    });
    let k = 0;
    results.push({
      name: `text write of a ${n}-paragraph journal, one paragraph changed`,
      value: time(n >= 2000 ? 10 : 50, () => {
        k++;
        const next = [...lines];
        next[Math.floor(n / 2)] = `${para(Math.floor(n / 2))} Edit ${k}.`;
        editJournal(doc, (j) => ({ ...j, text: next.join('\n') }), { kind: 'local-user', author: 'bench' });
      }),
      unit: 'ms',
    });
    // An editor's keystroke: one character typed into a paragraph of its own doc, applied to the live doc.
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(doc));
    const target = editor.getXmlFragment(RICH_TEXT_FIELD).get(Math.floor(n / 3)) as Y.XmlElement;
    const run0 = target.get(0) as Y.XmlText;
    let update: Uint8Array = new Uint8Array();
    editor.on('update', (u: Uint8Array) => {
      update = u;
    });
    results.push({
      name: `editor keystroke into a ${n}-paragraph journal: apply the update + derive the text`,
      value: time(n >= 2000 ? 20 : 100, () => {
        run0.insert(3, 'x');
        Y.applyUpdate(doc, update, { kind: 'local-user', author: 'bench' });
        readJournal(doc);
      }),
      unit: 'ms',
    });
  }
  return results;
}
