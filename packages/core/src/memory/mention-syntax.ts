/**
 * The text form of mentions (used by the CLI and text import): `@[Label](ID)` (resolved, ID a UUID),
 * `@[Label](new:KIND)` (create a stub), `@"Multi Word Name"` and `@Name` (resolved by name). Pure functions.
 */

export type MentionToken =
  | { form: 'link'; start: number; end: number; raw: string; label: string; id: string }
  | { form: 'new'; start: number; end: number; raw: string; label: string; kind: string }
  | { form: 'name'; start: number; end: number; raw: string; name: string };

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
// One alternation, tried left to right at each `@`: link, quoted name, bare name.
const MENTION_RE = new RegExp(
  `(?<![\\p{L}\\p{N}_.@])@(?:\\[([^\\]\\n]{1,200})\\]\\((?:(${UUID})|new:([a-z]+))\\)|"([^"\\n]{1,200})"|(\\p{L}[\\p{L}\\p{N}_'’-]*))`,
  'gu',
);
const LINK_RE = new RegExp(`@\\[[^\\]\\n]{1,200}\\]\\((${UUID})\\)`, 'g');

/** Every mention in `text`, in order. A bare name ends before trailing `'`, `’` or `-` (`@Varo's` → `Varo`). */
export function parseMentions(text: string): MentionToken[] {
  const out: MentionToken[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const start = m.index;
    const [raw, label, id, kind, quoted, bare] = m;
    if (label !== undefined && id !== undefined) {
      out.push({ form: 'link', start, end: start + raw.length, raw, label, id: id.toLowerCase() });
    } else if (label !== undefined && kind !== undefined) {
      out.push({ form: 'new', start, end: start + raw.length, raw, label, kind });
    } else if (quoted !== undefined) {
      out.push({ form: 'name', start, end: start + raw.length, raw, name: quoted.trim() });
    } else if (bare !== undefined) {
      let name = bare;
      // Possessives and trailing dashes are not part of the name.
      name = name.replace(/['’]s$/u, '').replace(/['’-]+$/u, '');
      const r = `@${name}`;
      out.push({ form: 'name', start, end: start + r.length, raw: r, name });
    }
  }
  return out;
}

/** The entity ids linked from `text` (`@[Label](ID)`), unique, in order of first appearance. */
export function mentionRefs(text: string): string[] {
  const ids = new Set<string>();
  for (const m of text.matchAll(LINK_RE)) ids.add(m[1]!.toLowerCase());
  return [...ids];
}

/** `@[Label](ID)` with `]`/newlines in the label replaced, so it always parses back. */
export function formatMention(label: string, id: string): string {
  const safe =
    label
      .replace(/[\]\n]/g, ' ')
      .trim()
      .slice(0, 200) || id;
  return `@[${safe}](${id})`;
}

/** Replace tokens (sorted, non-overlapping) by their replacement text. */
export function replaceTokens(
  text: string,
  replacements: { start: number; end: number; text: string }[],
): string {
  let out = '';
  let at = 0;
  for (const r of [...replacements].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + text.slice(at);
}

/** The text with mentions shown as their labels (for snippets and the extractive summary). */
export function plainText(text: string): string {
  return text.replace(new RegExp(`@\\[([^\\]\\n]{1,200})\\]\\((?:${UUID}|new:[a-z]+)\\)`, 'g'), '$1');
}
