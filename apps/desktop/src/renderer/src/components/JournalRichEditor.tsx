/**
 * The collaborative rich-text journal editor: Tiptap 3 (StarterKit without its own undo, which Collaboration
 * replaces) bound through Collaboration to the `body` fragment of a Y.Doc that mirrors core's live document of
 * the journal (`live.open` state; the editor's updates go back through `live.update`, changes made elsewhere
 * arrive as `live.update` events). Two people typing in one journal merge per character. `@` opens the ranked
 * mention suggestions (`memory.suggest`: fuzzy + recency) with a "Create NPC …" item that creates an NPC stub;
 * a mention node keeps the entity id and shows the entity's current name (the stored label is the fallback).
 */
import Collaboration from '@tiptap/extension-collaboration';
import Mention from '@tiptap/extension-mention';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion';
import type { HandlerOutput } from '@loreforge/core';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as Y from 'yjs';
import { bridge, call } from '../bridge';
import { attempt } from '../stores/ui';

type Opened = HandlerOutput<'live.open'>;
type Suggestion = HandlerOutput<'memory.suggest'>[number];

/** A suggestion row: an entity, or the item that creates an NPC stub named after the query. */
export interface MentionItem {
  id: string;
  name: string;
  kind: string | null;
  create?: boolean;
}

const CORE = 'core';

export function toBase64(u: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}
export function fromBase64(b: string): Uint8Array {
  const s = atob(b);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Suggestion rows for a query: the ranked entities, then "create" unless one is named exactly so. */
export function mentionItems(found: readonly Suggestion[], query: string, canCreate: boolean): MentionItem[] {
  const items: MentionItem[] = found.map((s) => ({ id: s.id, name: s.name, kind: s.kind ?? null }));
  const q = query.trim();
  if (canCreate && q && !items.some((i) => i.name.toLowerCase() === q.toLowerCase()))
    items.push({ id: `new:${q}`, name: q, kind: 'npc', create: true });
  return items;
}

interface MenuState {
  items: MentionItem[];
  active: number;
  pick: (item: MentionItem) => void;
}

/** The live document of one journal in a local Y.Doc, kept in step with core in both directions. */
function useLiveJournal(id: string) {
  const [opened, setOpened] = useState<{ doc: Y.Doc; info: Opened; names: Map<string, string> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let session: string | null = null;
    let stopEvents = () => {};
    let dead = false;
    const doc = new Y.Doc();
    // Listen before opening: a change pushed before `live.open`'s answer arrives is kept until the session is
    // known (applying it twice is harmless: Yjs skips what it has).
    const early: { session: string; update: string }[] = [];
    stopEvents = bridge().on('live.update', (e) => {
      if (session === null) early.push(e);
      else if (e.session === session) Y.applyUpdate(doc, fromBase64(e.update), CORE);
    });
    void (async () => {
      const r = await bridge().invoke('live.open', { id });
      if (!r.ok) {
        if (!dead) setError(r.error.message);
        return;
      }
      const info = r.value;
      if (dead) {
        void bridge().invoke('live.close', { session: info.session });
        return;
      }
      Y.applyUpdate(doc, fromBase64(info.update), CORE);
      for (const e of early.splice(0))
        if (e.session === info.session) Y.applyUpdate(doc, fromBase64(e.update), CORE);
      session = info.session;
      // The editor's own changes go to core in order (a reader's are never sent: core would refuse them).
      let chain = Promise.resolve();
      let named = false;
      doc.on('update', (u: Uint8Array, origin: unknown) => {
        if (origin === CORE || info.access !== 'write') return;
        // With its first change, the editor's own client names its user in the document's `authors` map (only a
        // client may name itself; other peers then store its changes under that name: core's live/authors.ts).
        if (!named) {
          named = true;
          const authors = doc.getMap<unknown>('authors');
          if (!authors.has(String(doc.clientID)))
            doc.transact(() => authors.set(String(doc.clientID), info.user));
        }
        const update = toBase64(u);
        chain = chain.then(async () => {
          const res = await bridge().invoke('live.update', { session: info.session, update });
          if (!res.ok && !dead) setError(res.error.message);
        });
      });
      setOpened({ doc, info, names: new Map(Object.entries(info.names)) });
    })();
    return () => {
      dead = true;
      stopEvents();
      if (session) void bridge().invoke('live.close', { session });
      doc.destroy();
    };
  }, [id]);
  return { opened, error };
}

export function JournalRichEditor({
  id,
  campaign,
  actions,
}: {
  id: string;
  campaign: string;
  /** Buttons shown under the editor when the journal can be written here. */
  actions?: ReactNode;
}) {
  const { opened, error } = useLiveJournal(id);
  const [drawn, setDrawn] = useState(0);
  const names = opened?.names;
  // Names follow renames: when an entity of the campaign changes, its mentions are drawn again with the new name.
  useEffect(
    () =>
      bridge().on('entity.changed', (e) => {
        if (!names || e.campaign !== campaign || (e.kind !== 'lore' && e.kind !== 'character')) return;
        void attempt(() => call('memory.entities', { campaign })).then((rows) => {
          let changed = false;
          for (const r of rows ?? []) {
            if (names.has(r.id) && names.get(r.id) !== r.name) changed = true;
            names.set(r.id, r.name);
          }
          if (changed) setDrawn((n) => n + 1);
        });
      }),
    [campaign, names],
  );
  if (error) return <p role="alert">{error}</p>;
  if (!opened) return <p role="status">Opening the journal…</p>;
  return (
    <BoundEditor
      key={`${opened.info.session}-${drawn}`}
      doc={opened.doc}
      info={opened.info}
      campaign={campaign}
      names={opened.names}
      actions={actions}
    />
  );
}

function BoundEditor({
  doc,
  info,
  campaign,
  names,
  actions,
}: {
  doc: Y.Doc;
  info: Opened;
  campaign: string;
  names: Map<string, string>;
  actions?: ReactNode;
}) {
  const [menu, setMenu] = useState<MenuState | null>(null);
  const menuRef = useRef<MenuState | null>(null);
  menuRef.current = menu;
  const editable = info.access === 'write' && info.field !== null;

  const extensions = useMemo(() => {
    const shown = (attrs: { id?: string | null; label?: string | null }) =>
      `@${(attrs.id ? names.get(attrs.id) : undefined) ?? attrs.label ?? attrs.id ?? ''}`;
    return [
      StarterKit.configure({ undoRedo: false, trailingNode: false }),
      ...(info.field ? [Collaboration.configure({ fragment: doc.getXmlFragment(info.field) })] : []),
      Mention.configure({
        HTMLAttributes: { class: 'mention' },
        renderText: ({ node }) => shown(node.attrs),
        renderHTML: ({ node }) => [
          'span',
          { 'data-type': 'mention', class: 'mention', 'data-id': String(node.attrs['id'] ?? '') },
          shown(node.attrs),
        ],
        suggestion: {
          char: '@',
          items: async ({ query }: { query: string }) => {
            const found = await attempt(() => call('memory.suggest', { campaign, query, limit: 8 }));
            return mentionItems(found ?? [], query, info.canCreateStubs);
          },
          render: () => {
            let props: SuggestionProps<MentionItem> | null = null;
            const pick = async (item: MentionItem) => {
              const p = props;
              if (!p) return;
              let chosen = item;
              if (item.create) {
                const made = await attempt(() =>
                  call('memory.createEntity', { campaign, kind: 'npc', name: item.name }),
                );
                if (!made) return;
                chosen = { id: made.id, name: item.name, kind: 'npc' };
              }
              names.set(chosen.id, chosen.name);
              p.command({ id: chosen.id, label: chosen.name });
            };
            const show = (p: SuggestionProps<MentionItem>) => {
              props = p;
              setMenu({ items: p.items, active: 0, pick: (i) => void pick(i) });
            };
            return {
              onStart: show,
              onUpdate: show,
              onKeyDown: ({ event }: SuggestionKeyDownProps) => {
                const m = menuRef.current;
                if (!m || m.items.length === 0) return false;
                if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                  const step = event.key === 'ArrowDown' ? 1 : -1;
                  setMenu({ ...m, active: (m.active + step + m.items.length) % m.items.length });
                  return true;
                }
                if (event.key === 'Enter' || event.key === 'Tab') {
                  m.pick(m.items[m.active]!);
                  return true;
                }
                if (event.key === 'Escape') {
                  setMenu(null);
                  return true;
                }
                return false;
              },
              onExit: () => {
                props = null;
                setMenu(null);
              },
            };
          },
        },
      }),
    ];
  }, [doc, info.field, info.canCreateStubs, campaign, names]);

  const editor = useEditor(
    {
      extensions,
      editable,
      ...(info.field ? {} : { content: info.journal.text.split('\n').map(paragraphHtml).join('') }),
      editorProps: {
        attributes: {
          'aria-label': 'Journal text',
          role: 'textbox',
          'aria-multiline': 'true',
          ...(editable ? {} : { 'aria-readonly': 'true' }),
          class: 'journal-text',
        },
      },
    },
    [extensions, editable],
  );

  return (
    <div className="journal-editor">
      {info.reason && <p className="muted">{info.reason}</p>}
      {editable && editor && <FormatBar editor={editor} />}
      <EditorContent editor={editor} />
      {editable && actions}
      {menu && menu.items.length > 0 && (
        <ul aria-label="Mention suggestions" className="suggestions">
          {menu.items.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                aria-current={i === menu.active ? 'true' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => menu.pick(s)}
              >
                {s.create ? `Create NPC “${s.name}”` : `${s.name}${s.kind ? ` (${s.kind})` : ''}`}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Bold, italic, a heading and lists for the selection (the keyboard shortcuts and `# `, `- `, `1. ` work too). */
function FormatBar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading', { level: 2 }),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
    }),
  });
  const buttons: { key: keyof typeof active; label: string; run: () => void }[] = [
    { key: 'bold', label: 'Bold', run: () => editor.chain().focus().toggleBold().run() },
    { key: 'italic', label: 'Italic', run: () => editor.chain().focus().toggleItalic().run() },
    { key: 'heading', label: 'Heading', run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: 'bulletList', label: 'Bulleted list', run: () => editor.chain().focus().toggleBulletList().run() },
    {
      key: 'orderedList',
      label: 'Numbered list',
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
  ];
  return (
    <div role="toolbar" aria-label="Formatting" className="row format-bar">
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          className="secondary small"
          aria-pressed={active[b.key]}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          {b.label}
        </button>
      ))}
    </div>
  );
}

function paragraphHtml(line: string): string {
  const esc = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p>${esc}</p>`;
}
