/**
 * Issue 10 item 2: the journal editor component against a fake core holding the live document — it opens the
 * journal with `live.open`, sends its own typing as `live.update`, applies `live.update` events for its session,
 * shows mention chips with the entity's current name (following a rename), and closes the session on unmount.
 */
import { readRichText, writeRichText } from '@loreforge/core/rich-text';
import type { DesktopBridge } from '@loreforge/core';
import type { Editor } from '@tiptap/core';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setBridge } from '../src/renderer/src/bridge';
import { fromBase64, JournalRichEditor, toBase64 } from '../src/renderer/src/components/JournalRichEditor';
import { flush, render, type Rendered } from './render';

// jsdom has no layout: ProseMirror's scroll-into-view asks a Range for its rectangles (empty here).
Range.prototype.getClientRects ??= () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect ??= () => new DOMRect();

const DUKE = '11111111-1111-4111-8111-111111111111';
const CAMPAIGN = 'c1';
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
  setBridge(null);
});

function fakeCore(text: string, access: 'read' | 'write' = 'write', earlyText?: string) {
  const doc = new Y.Doc();
  writeRichText(doc, text);
  const names: Record<string, string> = { [DUKE]: 'Duke Varo' };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const bridge = {
    async invoke(channel: string, input: Record<string, string>) {
      calls.push(channel);
      if (channel === 'live.open') {
        const state = toBase64(Y.encodeStateAsUpdate(doc));
        if (earlyText !== undefined) {
          // A change made just after the state was taken: its event reaches the page before the answer.
          let u: Uint8Array = new Uint8Array();
          doc.once('update', (x: Uint8Array) => {
            u = x;
          });
          writeRichText(doc, earlyText);
          for (const cb of listeners.get('live.update') ?? []) cb({ session: 's1', update: toBase64(u) });
        }
        return {
          ok: true,
          value: {
            session: 's1',
            journal: { id: 'j1', campaign: CAMPAIGN, title: 'Recap', text, private: false, author: 'ana' },
            update: state,
            field: 'body',
            access,
            reason: access === 'read' ? 'a reader' : null,
            names: { ...names },
            canCreateStubs: true,
            user: 'ana',
          },
        };
      }
      if (channel === 'live.update') {
        Y.applyUpdate(doc, fromBase64(input['update'] ?? ''), 'renderer');
        return { ok: true, value: { applied: 1 } };
      }
      if (channel === 'live.close') return { ok: true, value: { closed: true } };
      if (channel === 'memory.entities')
        return {
          ok: true,
          value: Object.entries(names).map(([id, name]) => ({ id, name, kind: 'npc', entity: 'lore' })),
        };
      return { ok: false, error: { code: 'not-found', message: channel } };
    },
    on(event: string, cb: (p: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(cb);
      listeners.set(event, set);
      return () => set.delete(cb);
    },
    versions: { app: 't', electron: null, chrome: null, node: null },
  };
  setBridge(bridge as unknown as DesktopBridge);
  const emit = (event: string, payload: unknown) =>
    act(() => {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    });
  return { doc, names, calls, emit };
}

async function settle() {
  for (let i = 0; i < 5; i++) await flush();
}
const box = (root: HTMLElement) => root.querySelector('[aria-label="Journal text"]') as HTMLElement;
const chips = (root: HTMLElement) => [...root.querySelectorAll('.mention')].map((m) => m.textContent);

describe('JournalRichEditor against the live bridge', () => {
  it('opens, shows current names, sends typing, applies pushed changes, follows renames, closes', async () => {
    const core = fakeCore(`We met @[Duke](${DUKE}) at dawn.`);
    r = render(
      <JournalRichEditor id="j1" campaign={CAMPAIGN} actions={<button type="button">Resolve</button>} />,
    );
    await settle();
    const root = r.container;
    const buttons = () => [...root.querySelectorAll('button')];
    expect(buttons().map((b) => b.textContent)).toEqual([
      'Bold',
      'Italic',
      'Heading',
      'Bulleted list',
      'Numbered list',
      'Resolve',
    ]);
    expect(box(root).textContent).toBe('We met @Duke Varo at dawn.');
    expect(chips(root)).toEqual(['@Duke Varo']); // the current name; the stored label was "Duke"

    expect(core.calls).not.toContain('live.update'); // opening writes nothing

    // The editor types: the update reaches core's document.
    const editor = (box(root) as HTMLElement & { editor?: Editor }).editor;
    expect(editor).toBeDefined();
    act(() => {
      editor?.chain().focus('end').insertContent(' Then rain.').run();
    });
    await settle();
    expect(core.calls).toContain('live.update');
    expect(readRichText(core.doc)).toBe(`We met @[Duke](${DUKE}) at dawn. Then rain.`);
    // The editor's client named its user in the authors map (written by that client itself).
    const authors = core.doc.getMap<string>('authors');
    expect([...authors.values()]).toEqual(['ana']);
    const editorClient = Number([...authors.keys()][0]);
    expect(authors._map.get(String(editorClient))?.id.client).toBe(editorClient);

    // The formatting bar: a numbered list is written as `1. …` in core's text form; bold is a mark (not in it).
    const press = (label: string) => {
      act(() => {
        buttons()
          .find((b) => b.textContent === label)
          ?.click();
      });
    };
    press('Numbered list');
    await settle();
    expect(readRichText(core.doc)).toBe(`1. We met @[Duke](${DUKE}) at dawn. Then rain.`);
    expect(
      buttons()
        .find((b) => b.textContent === 'Numbered list')
        ?.getAttribute('aria-pressed'),
    ).toBe('true');
    press('Numbered list');
    await settle();
    expect(readRichText(core.doc)).toBe(`We met @[Duke](${DUKE}) at dawn. Then rain.`);
    act(() => {
      editor?.commands.selectAll();
    });
    press('Bold');
    await settle();
    expect(box(root).querySelector('strong')?.textContent).toContain('We met');
    expect(readRichText(core.doc)).toBe(`We met @[Duke](${DUKE}) at dawn. Then rain.`);

    // A change made elsewhere arrives as an event for this session (another session's is ignored).
    let pushed: Uint8Array = new Uint8Array();
    core.doc.once('update', (u: Uint8Array) => {
      pushed = u;
    });
    writeRichText(core.doc, `Late, we met @[Duke](${DUKE}) at dawn. Then rain.`);
    core.emit('live.update', { session: 'other', update: toBase64(pushed) });
    expect(box(root).textContent).toBe('We met @Duke Varo at dawn. Then rain.');
    core.emit('live.update', { session: 's1', update: toBase64(pushed) });
    expect(box(root).textContent).toBe('Late, we met @Duke Varo at dawn. Then rain.');

    // A rename: the chip shows the new name.
    core.names[DUKE] = 'Archduke Varo';
    core.emit('entity.changed', { campaign: CAMPAIGN, id: DUKE, kind: 'lore', origin: 'local-user' });
    await settle();
    expect(chips(r.container)).toEqual(['@Archduke Varo']);

    r.unmount();
    r = null;
    await settle();
    expect(core.calls.filter((c) => c === 'live.close')).toHaveLength(1);
  });

  it('a change pushed before live.open answers is not lost', async () => {
    fakeCore('First draft.', 'write', 'First draft, changed meanwhile.');
    r = render(<JournalRichEditor id="j1" campaign={CAMPAIGN} />);
    await settle();
    expect(box(r.container).textContent).toBe('First draft, changed meanwhile.');
  });

  it('a reader sees the journal read-only and sends nothing', async () => {
    const core = fakeCore('Only to read.', 'read');
    r = render(
      <JournalRichEditor id="j1" campaign={CAMPAIGN} actions={<button type="button">Resolve</button>} />,
    );
    await settle();
    expect(r.container.querySelector('button')).toBeNull(); // the write actions are not offered
    const el = box(r.container);
    expect(el.getAttribute('aria-readonly')).toBe('true');
    expect(el.getAttribute('contenteditable')).toBe('false');
    expect(r.container.textContent).toContain('a reader');
    const editor = (el as HTMLElement & { editor?: Editor }).editor;
    act(() => {
      editor?.commands.insertContent('x');
    });
    await settle();
    expect(core.calls).not.toContain('live.update');
  });
});
