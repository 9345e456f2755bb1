/**
 * Rich text (journal/3): a journal's body is a `Y.XmlFragment` named `body`, laid out the way y-prosemirror (and
 * so Tiptap's Collaboration extension) stores a ProseMirror document — one `Y.XmlElement` per node, named after
 * the node type, with the node's attributes as element attributes, and each run of text as one `Y.XmlText` whose
 * formatting attributes are the marks. A mention is the inline atom `Y.XmlElement('mention')` with attributes
 * `id` (the entity id) and `label` (the name when it was written; the app shows the entity's current name).
 *
 * The fragment is the one source of truth. Its plain text is derived when the document is read (`readRichText`):
 * a line a paragraph, `#`… headings, `- ` and `1. ` list items (nested items and an item's further paragraphs
 * indented by two spaces), `> ` quotes, ``` fences, `---` rules, mentions as `@[Label](ID)` — so mentions,
 * backlinks, search, graph and consolidation read the same text as before. Writing text (`writeRichText`)
 * parses it into nodes and changes only the nodes whose text changed (per character inside a paragraph whose
 * mentions stay the same), so a concurrent edit elsewhere in the journal survives.
 */
import * as Y from 'yjs';
import { formatMention } from '../memory/mention-syntax';
import { commonEnds } from './edit-script';
import { textHunks } from './text-merge';

/** Name of the top-level `Y.XmlFragment` holding the rich text (Tiptap's Collaboration `field`). */
export const RICH_TEXT_FIELD = 'body';

/** A ProseMirror-like node (the JSON shape of a Tiptap document, marks left out). */
export interface RichNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  text?: string;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const LINK_RE = new RegExp(`@\\[([^\\]\\n]{1,200})\\]\\((${UUID})\\)`, 'g');
/** Attributes that the text form carries (everything else, e.g. marks or a text alignment, is left alone). */
const TEXT_ATTRS: Record<string, readonly string[]> = {
  heading: ['level'],
  orderedList: ['start'],
  codeBlock: ['language'],
  mention: ['id', 'label'],
};
const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

// ---- text → nodes ------------------------------------------------------------------------------------------

/** The inline nodes of one line: text and mentions (`@[Label](ID)`). */
export function parseInline(line: string): RichNode[] {
  const out: RichNode[] = [];
  let at = 0;
  for (const m of line.matchAll(LINK_RE)) {
    if (m.index > at) out.push({ type: 'text', text: line.slice(at, m.index) });
    out.push({ type: 'mention', attrs: { id: m[2]!.toLowerCase(), label: m[1]! } });
    at = m.index + m[0].length;
  }
  if (at < line.length) out.push({ type: 'text', text: line.slice(at) });
  return out;
}

function textblock(type: string, line: string, attrs?: Record<string, unknown>): RichNode {
  const content = parseInline(line);
  return { type, ...(attrs ? { attrs } : {}), ...(content.length ? { content } : {}) };
}

const HEADING = /^(#{1,6}) (.*)$/;
const BULLET = /^- (.*)$/;
const ORDERED = /^(\d{1,9})\. (.*)$/;
const FENCE = /^```(\S*)$/;

/** Parse lines into block nodes (see the module comment for the text form). */
function parseLines(lines: readonly string[]): RichNode[] {
  const out: RichNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      // A fence holds at least one line (an empty code block prints as one empty line), so every text prints
      // back as it was: two fence lines in a row stay two paragraphs.
      const close = lines.indexOf('```', i + 1);
      if (close > i + 1) {
        const code = lines.slice(i + 1, close).join('\n');
        out.push({
          type: 'codeBlock',
          attrs: { language: fence[1] || null },
          ...(code ? { content: [{ type: 'text', text: code }] } : {}),
        });
        i = close + 1;
        continue;
      }
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push(textblock('heading', heading[2]!, { level: heading[1]!.length }));
      i++;
      continue;
    }
    if (line === '---') {
      out.push({ type: 'horizontalRule' });
      i++;
      continue;
    }
    if (line.startsWith('> ')) {
      const inner: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('> ')) inner.push(lines[i++]!.slice(2));
      out.push({ type: 'blockquote', content: parseLines(inner) });
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = parseList(lines, i, out);
      continue;
    }
    out.push(textblock('paragraph', line));
    i++;
  }
  return out;
}

/** One list from line `i`: items of one kind (ordered ones numbered in sequence), each with its indented lines. */
function parseList(lines: readonly string[], i: number, out: RichNode[]): number {
  const ordered = ORDERED.exec(lines[i]!);
  const start = ordered ? Number(ordered[1]) : 1;
  const items: RichNode[] = [];
  while (i < lines.length) {
    const line = lines[i]!;
    let first: string | null = null;
    if (ordered) {
      const m = ORDERED.exec(line);
      if (m && Number(m[1]) === start + items.length) first = m[2]!;
    } else {
      const m = BULLET.exec(line);
      if (m) first = m[1]!;
    }
    if (first === null) break;
    i++;
    const rest: string[] = [];
    while (i < lines.length && lines[i]!.startsWith('  ')) rest.push(lines[i++]!.slice(2));
    items.push({ type: 'listItem', content: [textblock('paragraph', first), ...parseLines(rest)] });
  }
  out.push(
    ordered
      ? { type: 'orderedList', attrs: { start }, content: items }
      : { type: 'bulletList', content: items },
  );
  return i;
}

/** The block nodes of a text (an empty text has none). */
export function parseRichText(text: string): RichNode[] {
  return text === '' ? [] : parseLines(text.split('\n'));
}

// ---- nodes → text ------------------------------------------------------------------------------------------

function inlineText(nodes: readonly RichNode[] | undefined): string {
  let s = '';
  for (const n of nodes ?? []) {
    if (n.type === 'text') s += n.text ?? '';
    else if (n.type === 'mention') {
      const id = String(n.attrs?.['id'] ?? '');
      const label = String(n.attrs?.['label'] ?? '');
      s += id ? formatMention(label || id, id) : label;
    } else if (n.type === 'hardBreak') s += '\n';
    else s += inlineText(n.content);
  }
  return s;
}

function listItemLines(item: RichNode, marker: string): string[] {
  const children = item.content ?? [];
  const [first, ...rest] = children;
  const head = first?.type === 'paragraph' ? inlineText(first.content) : '';
  const tail = first?.type === 'paragraph' ? rest : children;
  return [marker + head, ...tail.flatMap(nodeLines).map((l) => `  ${l}`)];
}

/** The text lines of one block node. */
export function nodeLines(node: RichNode): string[] {
  switch (node.type) {
    case 'paragraph':
      return [inlineText(node.content)];
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.['level'] ?? 1) || 1));
      return [`${'#'.repeat(level)} ${inlineText(node.content)}`];
    }
    case 'codeBlock': {
      const lang = typeof node.attrs?.['language'] === 'string' ? node.attrs['language'] : '';
      return ['```' + lang, ...inlineText(node.content).split('\n'), '```'];
    }
    case 'horizontalRule':
      return ['---'];
    case 'blockquote':
      return (node.content ?? []).flatMap(nodeLines).map((l) => `> ${l}`);
    case 'bulletList':
      return (node.content ?? []).flatMap((item) => listItemLines(item, '- '));
    case 'orderedList': {
      const start = Number(node.attrs?.['start'] ?? 1) || 1;
      return (node.content ?? []).flatMap((item, k) => listItemLines(item, `${start + k}. `));
    }
    case 'text':
    case 'mention':
    case 'hardBreak':
      return [inlineText([node])];
    default: {
      // An unknown node: its text, block by block (or inline when it holds inline content).
      const content = node.content ?? [];
      if (content.some((c) => c.type === 'text' || c.type === 'mention')) return [inlineText(content)];
      return content.flatMap(nodeLines);
    }
  }
}

/** The text form of block nodes. */
export function richTextOf(nodes: readonly RichNode[]): string {
  return nodes.flatMap(nodeLines).join('\n');
}

// ---- Yjs ⇄ nodes -------------------------------------------------------------------------------------------

type YChild = Y.XmlElement | Y.XmlText;

/** The characters of a text run, formatting left out (its items read directly: `toDelta` costs ~10× more). */
function runText(t: Y.XmlText): string {
  let s = '';
  for (let n = t._start; n !== null; n = n.right) {
    if (!n.deleted && n.content instanceof Y.ContentString) s += n.content.str;
  }
  return s;
}

function textNodes(t: Y.XmlText): RichNode[] {
  const text = runText(t);
  return text === '' ? [] : [{ type: 'text', text }];
}

/** The node a Y element holds (text runs as text nodes, marks left out). */
export function nodeOfY(el: YChild): RichNode[] {
  if (el instanceof Y.XmlText) return textNodes(el);
  const attrs = el.getAttributes() as Record<string, unknown>;
  const content = el.toArray().flatMap((c) => (c instanceof Y.XmlHook ? [] : nodeOfY(c as YChild)));
  return [
    {
      type: el.nodeName,
      ...(Object.keys(attrs).length ? { attrs } : {}),
      ...(content.length ? { content } : {}),
    },
  ];
}

/** The block nodes of a fragment. */
export function fragmentNodes(fragment: Y.XmlFragment): RichNode[] {
  return fragment.toArray().flatMap((c) => (c instanceof Y.XmlHook ? [] : nodeOfY(c as YChild)));
}

/** New Y types for nodes: consecutive text nodes become one `Y.XmlText` (as y-prosemirror writes them). */
function toY(nodes: readonly RichNode[]): YChild[] {
  const out: YChild[] = [];
  let run = '';
  const flush = () => {
    if (run === '') return;
    const t = new Y.XmlText();
    t.insert(0, run);
    out.push(t);
    run = '';
  };
  for (const n of nodes) {
    if (n.type === 'text') {
      run += n.text ?? '';
      continue;
    }
    flush();
    const el = new Y.XmlElement(n.type);
    for (const [k, v] of Object.entries(n.attrs ?? {})) {
      if (v !== null && v !== undefined) el.setAttribute(k, v as string);
    }
    const children = toY(n.content ?? []);
    if (children.length) el.insert(0, children);
    out.push(el);
  }
  flush();
  return out;
}

// ---- reading and writing a document ------------------------------------------------------------------------

/** The derived text of a document's rich-text body, or null when it holds none (an older journal). */
export function readRichText(doc: Y.Doc): string | null {
  if (!doc.share.has(RICH_TEXT_FIELD)) return null;
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD);
  if (fragment.length === 0) return null;
  return richTextOf(fragmentNodes(fragment));
}

/** What the text form says about a node: its type, text-form attributes and content (the diff's key). */
function keyOf(node: RichNode): string {
  const keep = TEXT_ATTRS[node.type] ?? [];
  const attrs: Record<string, unknown> = {};
  for (const k of keep) attrs[k] = node.attrs?.[k] ?? null;
  if (node.type === 'orderedList') attrs['start'] = Number(attrs['start'] ?? 1) || 1;
  if (node.type === 'codeBlock') attrs['language'] = attrs['language'] || null;
  if (node.type === 'mention') {
    // The text form cleans a label (`]` and newlines); a stored label that cleans to the same is the same.
    const label = String(attrs['label'] ?? '');
    attrs['label'] = formatMention(label, String(attrs['id'] ?? ''));
  }
  if (node.type === 'text') return JSON.stringify(['t', node.text ?? '']);
  return JSON.stringify([node.type, attrs, (node.content ?? []).map(keyOf)]);
}

/**
 * Turn the children of `parent` into `next` with few operations: children whose key is unchanged are kept
 * as they are (with their marks), changed ones are edited in place when their type stays, the rest replaced.
 */
function syncChildren(parent: Y.XmlFragment | Y.XmlElement, next: readonly RichNode[]): void {
  const olds = parent.toArray() as YChild[];
  const oldNodes = olds.map((c) => nodeOfY(c));
  const oldKeys = oldNodes.map((ns) => ns.map(keyOf).join('|'));
  const newKeys = next.map(keyOf);
  // Common prefix and suffix, then a longest common subsequence of the middle (small) or one replaced middle.
  const { prefix: pre, suffix: suf } = commonEnds(
    olds.length,
    next.length,
    (x, y) => oldKeys[x] === newKeys[y],
  );
  const a = oldKeys.slice(pre, olds.length - suf);
  const b = newKeys.slice(pre, next.length - suf);
  const pairs = a.length * b.length <= 250_000 ? lcs(a, b) : [];
  // Runs between kept pairs: [oldFrom, oldTo) replaced by [newFrom, newTo).
  const runs: { o0: number; o1: number; n0: number; n1: number }[] = [];
  let po = 0;
  let pn = 0;
  for (const [i, j] of [...pairs, [a.length, b.length] as const]) {
    if (i > po || j > pn) runs.push({ o0: pre + po, o1: pre + i, n0: pre + pn, n1: pre + j });
    po = i + 1;
    pn = j + 1;
  }
  // Right to left, so earlier indexes stay valid.
  for (let r = runs.length - 1; r >= 0; r--) {
    const { o0, o1, n0, n1 } = runs[r]!;
    const paired = Math.min(o1 - o0, n1 - n0);
    const extraOld = o1 - o0 - paired;
    if (extraOld > 0) parent.delete(o0 + paired, extraOld);
    if (n1 - n0 > paired) parent.insert(o0 + paired, toY(next.slice(n0 + paired, n1)));
    for (let k = paired - 1; k >= 0; k--) {
      const old = olds[o0 + k]!;
      const node = next[n0 + k]!;
      if (!editInPlace(old, node)) {
        parent.delete(o0 + k, 1);
        parent.insert(o0 + k, toY([node]));
      }
    }
  }
}

/** Index pairs of a longest common subsequence of `a` and `b`. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** Set the text-form attributes of `node` on `el` (others, e.g. from the editor, are kept). */
function syncAttrs(el: Y.XmlElement, node: RichNode): void {
  for (const k of TEXT_ATTRS[node.type] ?? []) {
    const v = node.attrs?.[k];
    const cur = el.getAttribute(k) as unknown;
    if (v === null || v === undefined) {
      if (cur !== undefined && cur !== null && !(node.type === 'orderedList' && k === 'start'))
        el.removeAttribute(k);
    } else if (cur !== v) el.setAttribute(k, v as string);
  }
}

/** Edit `old` into `node` when both are the same kind of node; false when it must be replaced. */
function editInPlace(old: YChild, node: RichNode): boolean {
  if (!(old instanceof Y.XmlElement) || old.nodeName !== node.type) return false;
  syncAttrs(old, node);
  if (TEXTBLOCKS.has(node.type)) return editInline(old, node.content ?? []);
  if (node.type === 'mention' || node.type === 'horizontalRule') return true;
  syncChildren(old, node.content ?? []);
  return true;
}

/**
 * Edit a textblock's inline content: when its mentions (and other inline atoms) stay the same, each text run
 * between them gets a character diff (so concurrent typing in the same paragraph merges); otherwise the inline
 * content is rewritten.
 */
function editInline(el: Y.XmlElement, next: readonly RichNode[]): boolean {
  const children = el.toArray() as YChild[];
  // Old: runs of text between atoms (two adjacent Y.XmlTexts, which y-prosemirror can leave, are rewritten).
  const oldRuns: (Y.XmlText | null)[] = [null];
  const oldAtoms: Y.XmlElement[] = [];
  let adjacentTexts = false;
  for (const c of children) {
    if (c instanceof Y.XmlText) {
      if (oldRuns[oldRuns.length - 1] !== null) adjacentTexts = true;
      oldRuns[oldRuns.length - 1] = c;
    } else {
      oldAtoms.push(c);
      oldRuns.push(null);
    }
  }
  const newRuns: string[] = [''];
  const newAtoms: RichNode[] = [];
  for (const n of next) {
    if (n.type === 'text') newRuns[newRuns.length - 1] += n.text ?? '';
    else {
      newAtoms.push(n);
      newRuns.push('');
    }
  }
  const sameAtoms =
    !adjacentTexts &&
    oldAtoms.length === newAtoms.length &&
    oldAtoms.every(
      (a, k) =>
        a.nodeName === newAtoms[k]!.type &&
        (a.nodeName !== 'mention' ||
          String(a.getAttribute('id') ?? '') === String(newAtoms[k]!.attrs?.['id'] ?? '')),
    );
  if (!sameAtoms) {
    if (el.length) el.delete(0, el.length);
    const ys = toY(next);
    if (ys.length) el.insert(0, ys);
    return true;
  }
  oldAtoms.forEach((a, k) => syncAttrs(a, newAtoms[k]!));
  // Each run: edit its Y.XmlText, or add one where a run appears (after its atom).
  for (let k = newRuns.length - 1; k >= 0; k--) {
    const want = newRuns[k]!;
    const t = oldRuns[k] ?? null;
    if (t) {
      const cur = runText(t);
      const hunks = textHunks(cur, want);
      for (let h = hunks.length - 1; h >= 0; h--) {
        const { start, end, insert } = hunks[h]!;
        if (end > start) t.delete(start, end - start);
        if (insert) t.insert(start, insert);
      }
    } else if (want !== '') {
      const at = k === 0 ? 0 : children.indexOf(oldAtoms[k - 1]!) + 1;
      const y = new Y.XmlText();
      y.insert(0, want);
      el.insert(at, [y]);
    }
  }
  return true;
}

/**
 * Write `text` into the document's rich-text body: nothing changes where the derived text already says the same;
 * changed blocks are edited in place (per character where possible) or replaced. An older document's `Y.Text`
 * (journal/2) is emptied, so the fragment stays the only copy.
 */
export function writeRichText(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD);
  // One transaction (joined to the caller's, as in `editDoc`): one update, one undo step.
  doc.transact(() => {
    if (doc.share.has('text')) {
      const old = doc.getText('text');
      if (old.length > 0) old.delete(0, old.length);
    }
    if (fragment.length > 0 && richTextOf(fragmentNodes(fragment)) === text) return;
    syncChildren(fragment, parseRichText(text));
  });
}

/**
 * Replace each mention's label in a derived text by the entity's current name (`names`: id → name). With
 * `aliases` (id → aliases), a label that is one of the entity's current aliases ("the Iron Duke") is kept.
 */
export function relabelMentions(
  text: string,
  names: ReadonlyMap<string, string>,
  aliases?: ReadonlyMap<string, readonly string[]>,
): string {
  return text.replace(LINK_RE, (raw, label: string, id: string) => {
    const key = id.toLowerCase();
    const name = names.get(key);
    if (!name || name === label) return raw;
    const lower = label.toLowerCase();
    if (aliases?.get(key)?.some((a) => a.toLowerCase() === lower)) return raw;
    return formatMention(name, key);
  });
}
