/**
 * The bridge between a document's JSON view and its Yjs structure. Objects are `Y.Map`s, arrays `Y.Array`s,
 * long texts named by the document type's `TextPaths` `Y.Text`s (the JSON view shows them as strings; a new
 * string is written as the minimal character diff, so two people typing merge per character), everything else
 * a plain value, so concurrent edits of different fields (or different array elements) merge.
 * Only the typed accessor modules (`*-doc.ts`) call these; nothing else touches raw Y types.
 */
import * as Y from 'yjs';
import { INPUT_LIMITS, isForbiddenKey } from '../input/limits';
import { commonEnds } from './edit-script';
import { textHunks } from './text-merge';

/**
 * Which string fields are `Y.Text`s: a predicate on the field's path segments (array indices as decimal
 * strings), e.g. `['narrative', 'backstory']`.
 */
export type TextPaths = (path: readonly string[]) => boolean;

/** Make a `Y.Text` read `next` with the fewest deletions and insertions (`textHunks`); inside a transaction. */
export function applyStringToText(text: Y.Text, next: string): void {
  const cur = text.toString();
  if (cur === next) return;
  // Right to left, so earlier positions stay valid.
  const hunks = textHunks(cur, next);
  for (let i = hunks.length - 1; i >= 0; i--) {
    const h = hunks[i] as { start: number; end: number; insert: string };
    if (h.end > h.start) text.delete(h.start, h.end - h.start);
    if (h.insert.length > 0) text.insert(h.start, h.insert);
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Build the Yjs value for a JSON value (a fresh, unattached Y type for containers; a `Y.Text` for a string at a
 * text path).
 */
export function toY(value: Json, texts?: TextPaths, path: readonly string[] = []): unknown {
  if (Array.isArray(value)) {
    const arr = new Y.Array<unknown>();
    arr.insert(
      0,
      value.map((v, i) => toY(v, texts, [...path, String(i)])),
    );
    return arr;
  }
  if (isJsonObject(value)) {
    const map = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(value)) map.set(checkKey(k), toY(v, texts, [...path, k]));
    return map;
  }
  if (typeof value === 'string' && texts?.(path)) return new Y.Text(value);
  return value;
}

function jsonOf(v: unknown): Json {
  if (v instanceof Y.Map || v instanceof Y.Array) return v.toJSON() as Json;
  if (v instanceof Y.Text) return v.toString();
  return v as Json;
}

/**
 * A string written where a `Y.Text` is (or belongs): the text gets the minimal character diff, a plain string
 * at a text path becomes a `Y.Text` (a document migrating to text fields). Returns whether it handled the value.
 */
function writeText(
  cur: unknown,
  value: Json,
  texts: TextPaths | undefined,
  path: readonly string[],
  replace: (y: Y.Text) => void,
): boolean {
  if (typeof value !== 'string') return false;
  if (cur instanceof Y.Text) {
    applyStringToText(cur, value);
    return true;
  }
  if (texts?.(path)) {
    replace(new Y.Text(value));
    return true;
  }
  return false;
}

/**
 * Make `map` equal to `next` with the fewest Yjs operations: unchanged keys are left alone, nested maps and
 * arrays are updated in place. Must run inside a transaction (the caller's, which carries the origin).
 */
export function applyJsonToMap(
  map: Y.Map<unknown>,
  next: JsonObject,
  texts?: TextPaths,
  path: readonly string[] = [],
  known?: JsonObject,
): void {
  for (const key of Object.keys(next)) checkKey(key);
  for (const key of [...map.keys()]) if (!Object.prototype.hasOwnProperty.call(next, key)) map.delete(key);
  for (const [key, value] of Object.entries(next))
    applyJsonAt(map, key, value, texts, [...path, key], known?.[key]);
}

/**
 * Like `applyJsonToMap`, but only for the keys of `fields`: other keys of `map` are left as they are (neither
 * compared nor deleted). For an edit that knows which top-level fields it changed.
 */
export function applyJsonKeys(map: Y.Map<unknown>, fields: JsonObject, texts?: TextPaths): void {
  for (const key of Object.keys(fields)) checkKey(key);
  for (const [key, value] of Object.entries(fields)) applyJsonAt(map, key, value, texts, [key]);
}

/**
 * Make `map[key]` equal to `value` (at document path `here`), updating nested maps and arrays in place. `known`,
 * when given, is exactly what `map[key]` holds now as JSON (the caller's own last write): unchanged parts are then
 * found by comparing plain JSON, without reading them back out of Yjs.
 */
export function applyJsonAt(
  map: Y.Map<unknown>,
  key: string,
  value: Json,
  texts: TextPaths | undefined,
  here: readonly string[],
  known?: Json,
): void {
  if (known !== undefined && map.has(key) && jsonEqual(known, value)) return;
  const cur = map.get(key);
  if (updateInPlace(cur, value, texts, here, known)) return;
  if (map.has(key) && writeText(cur, value, texts, here, (y) => map.set(key, y))) return;
  if (!map.has(key) || !jsonEqual(jsonOf(cur), value)) map.set(key, toY(value, texts, here));
}

/**
 * A map or list updated in place to `value` when `cur` is the same kind of container (`known`: exactly what it
 * holds, when the caller knows); false otherwise (the caller replaces or compares it).
 */
function updateInPlace(
  cur: unknown,
  value: Json,
  texts: TextPaths | undefined,
  here: readonly string[],
  known: Json | undefined,
): boolean {
  if (cur instanceof Y.Map && isJsonObject(value)) {
    applyJsonToMap(cur as Y.Map<unknown>, value, texts, here, isJsonObject(known) ? known : undefined);
    return true;
  }
  if (cur instanceof Y.Array && Array.isArray(value)) {
    const list = Array.isArray(known) && known.length === cur.length ? known : undefined;
    applyJsonToArray(cur as Y.Array<unknown>, value, texts, here, list);
    return true;
  }
  return false;
}

/**
 * How many entries a list lost at its head when `next` is `cur` without its first `d` entries plus new ones at
 * the tail (a capped log: one appended, the oldest dropped), or 0. Only tried when the heads differ, so the usual
 * edit of one element never pays for it.
 */
function droppedHead(at: (i: number) => Json, length: number, next: readonly Json[]): number {
  if (length === 0 || next.length === 0 || jsonEqual(at(0), next[0])) return 0;
  const first = next[0] as Json;
  for (let d = 1; d < length; d++) {
    const kept = length - d;
    if (kept > next.length || !jsonEqual(at(d), first)) continue;
    let same = true;
    for (let i = 1; i < kept && same; i++) same = jsonEqual(at(d + i), next[i]);
    if (same) return d;
  }
  return 0;
}

/**
 * Arrays: entries dropped at the head and added at the tail (a capped log) → delete the head, append the tail
 * (not one rewrite per shifted entry); same length → element-wise; otherwise keep the common prefix and suffix,
 * replace the middle.
 */
export function applyJsonToArray(
  arr: Y.Array<unknown>,
  next: Json[],
  texts?: TextPaths,
  path: readonly string[] = [],
  known?: readonly Json[],
): void {
  const cur = arr.toArray();
  // Each entry as JSON: from `known` (exactly what the array holds) when given, else read out of Yjs.
  const at = known ? (i: number) => known[i] as Json : (i: number) => jsonOf(cur[i]);
  const dropped = droppedHead(at, cur.length, next);
  if (dropped > 0) {
    const kept = cur.length - dropped;
    arr.delete(0, dropped);
    const added = next.slice(kept);
    if (added.length > 0)
      arr.insert(
        kept,
        added.map((v, i) => toY(v, texts, [...path, String(kept + i)])),
      );
    return;
  }
  if (cur.length === next.length) {
    next.forEach((value, i) => {
      const item = cur[i];
      const here = [...path, String(i)];
      const replace = (y: unknown) => {
        arr.delete(i, 1);
        arr.insert(i, [y]);
      };
      const was = known?.[i];
      if (was !== undefined && jsonEqual(was, value)) return;
      if (updateInPlace(item, value, texts, here, was)) return;
      if (writeText(item, value, texts, here, replace)) return;
      else if (!jsonEqual(jsonOf(item), value)) replace(toY(value, texts, here));
    });
    return;
  }
  const { prefix, suffix } = commonEnds(cur.length, next.length, (x, y) => jsonEqual(at(x), next[y]));
  const removed = cur.length - prefix - suffix;
  if (removed > 0) arr.delete(prefix, removed);
  const inserted = next.slice(prefix, next.length - suffix);
  if (inserted.length > 0)
    arr.insert(
      prefix,
      inserted.map((v, i) => toY(v, texts, [...path, String(prefix + i)])),
    );
}

/** A document key as given, unless it is one that reaches `Object.prototype` (then an error naming it). */
function checkKey(key: string): string {
  if (isForbiddenKey(key)) throw new Error(`key "${key}": not allowed in a document`);
  return key;
}

/**
 * RFC 6901 JSON pointer → segments. Refuses `__proto__`, `constructor` and `prototype` segments (they would reach
 * `Object.prototype`) and pointers with more than `INPUT_LIMITS.maxPointerSegments` segments.
 */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`path "${pointer}": a JSON pointer starts with "/"`);
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.length > INPUT_LIMITS.maxPointerSegments)
    throw new Error(`path "${pointer.slice(0, 80)}…": more than ${INPUT_LIMITS.maxPointerSegments} segments`);
  const bad = segments.find(isForbiddenKey);
  if (bad !== undefined) throw new Error(`path "${pointer}": the segment "${bad}" is not allowed`);
  return segments;
}

export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Return a copy of `root` with the value at `pointer` replaced (`undefined` deletes an object key or an array
 * element; the segment `-` appends to an array). Missing intermediate objects are an error naming the path.
 */
export function setJsonPointer(root: JsonObject, pointer: string, value: Json | undefined): JsonObject {
  const segments = parsePointer(pointer);
  if (segments.length === 0) throw new Error(`path "${pointer}": cannot replace the whole document`);
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i] as string;
    const here = formatPointer(segments.slice(0, i + 1));
    let child: Json | undefined;
    if (Array.isArray(parent)) child = parent[arrayIndex(parent, seg, here, false)];
    else if (isJsonObject(parent) && Object.prototype.hasOwnProperty.call(parent, seg)) child = parent[seg];
    if (child === undefined || child === null || typeof child !== 'object') {
      throw new Error(`path "${pointer}": ${here} is not an object or array in this document`);
    }
    parent = child;
  }
  const last = segments[segments.length - 1] as string;
  if (Array.isArray(parent)) {
    if (last === '-') {
      if (value === undefined) throw new Error(`path "${pointer}": cannot delete "-"`);
      parent.push(value);
    } else {
      const i = arrayIndex(parent, last, pointer, true);
      if (value === undefined) parent.splice(i, 1);
      else parent[i] = value;
    }
  } else if (isJsonObject(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else {
    throw new Error(`path "${pointer}": parent is not an object or array`);
  }
  return copy;
}

function arrayIndex(arr: Json[], seg: string, path: string, allowEnd: boolean): number {
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new Error(`path "${path}": "${seg}" is not an array index`);
  const i = Number(seg);
  if (i > arr.length || (i === arr.length && !allowEnd)) {
    throw new Error(`path "${path}": index ${i} is out of range (length ${arr.length})`);
  }
  return i;
}

export function getJsonPointer(root: Json, pointer: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isJsonObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}
