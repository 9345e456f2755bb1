/**
 * Who wrote a live document's updates (issue 9, item 5). The y-protocols sync messages carry no author, so every
 * peer records its own Yjs `clientID` → user name in a top-level `authors` map of each document it writes (outside
 * the `entity` root map, so schemas are untouched), in the same transaction as its first write. The persistence
 * provider then reads the client ids of a remote update (`Y.parseUpdateMeta`) and stores it as `remote:<user>`.
 *
 * Trust rules: an entry is believed only when the map item was written by the client it names (a peer can claim
 * its own client id, never another's), and the first name resolved for a client in an open document is kept
 * (a later overwrite never changes it). The writer never overwrites an existing entry.
 */
import * as Y from 'yjs';
import { originLabel, type TransactionOrigin } from '../docs/origin';

export const AUTHORS_MAP = 'authors';
const MAX_NAME = 64;

/** The user name this peer writes under, per document (set from the membership or by the sync client). */
const names = new WeakMap<Y.Doc, string>();
/** First name resolved per client id, per document (first entry wins). */
const resolved = new WeakMap<Y.Doc, Map<number, string>>();

/** A usable author name, or null (not a string, empty, too long, control characters, `,` or `+`). */
export function cleanAuthorName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  if (!name || name.length > MAX_NAME || /[,+]/.test(name)) return null;
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return null;
  }
  return name;
}

/** The user this peer writes `doc` as (`null`: the edit origin's author). */
export function setAuthorName(doc: Y.Doc, name: string | null): void {
  const clean = cleanAuthorName(name);
  if (clean === null) names.delete(doc);
  else names.set(doc, clean);
}

/**
 * Record this peer's `clientID` → user in the document's `authors` map, inside the caller's transaction, unless
 * an entry for that client id already exists (never overwritten).
 */
export function recordOwnAuthor(doc: Y.Doc, origin: TransactionOrigin): void {
  if (origin.kind === 'remote') return;
  const name = names.get(doc) ?? cleanAuthorName(origin.author);
  if (name === null) return;
  const map = doc.getMap<unknown>(AUTHORS_MAP);
  const key = String(doc.clientID);
  if (map.has(key)) return;
  map.set(key, name);
}

/** The trusted user of a client id in `doc`, if its own entry is there (or was seen before). */
export function authorOfClient(doc: Y.Doc, client: number): string | undefined {
  let seen = resolved.get(doc);
  const known = seen?.get(client);
  if (known !== undefined) return known;
  const map = doc.getMap<unknown>(AUTHORS_MAP);
  const item = map._map.get(String(client));
  // Only the client itself may name its author: an entry written by anyone else is a forgery and ignored.
  if (!item || item.deleted || item.id.client !== client) return undefined;
  const name = cleanAuthorName(item.content.getContent()[0]);
  if (name === null) return undefined;
  if (!seen) resolved.set(doc, (seen = new Map()));
  seen.set(client, name);
  return name;
}

/**
 * How a remote update applied to `doc` is stored: `remote:<user>` from the authors of the client ids whose
 * operations it carries (several: `remote:ana+bo`, sorted), plus the connection's author when some client is
 * unknown; only the connection's label (`remote:relay:<campaign>`) when none is known or the update only deletes.
 */
export function remoteUpdateLabel(
  doc: Y.Doc,
  update: Uint8Array,
  origin: TransactionOrigin & { kind: 'remote' },
): { origin: string; author: string } {
  const fallback = originLabel(origin);
  let clients: Iterable<number>;
  try {
    clients = Y.parseUpdateMeta(update).from.keys();
  } catch {
    return fallback;
  }
  const found = new Set<string>();
  let unknown = false;
  for (const client of clients) {
    const name = authorOfClient(doc, client);
    if (name === undefined) unknown = true;
    else found.add(name);
  }
  if (found.size === 0) return fallback;
  const list = [...found].sort();
  if (unknown) list.push(origin.author);
  const author = list.join('+');
  return { origin: `remote:${author}`, author };
}
