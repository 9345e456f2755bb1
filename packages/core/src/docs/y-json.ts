/**
 * The bridge between a document's JSON view and its Yjs structure. Objects are `Y.Map`s, arrays `Y.Array`s,
 * everything else a plain value, so concurrent edits of different fields (or different array elements) merge.
 * Only the typed accessor modules (`*-doc.ts`) call these; nothing else touches raw Y types.
 */
import * as Y from 'yjs';
import { INPUT_LIMITS, isForbiddenKey } from '../input/limits';

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

/** Build the Yjs value for a JSON value (a fresh, unattached Y type for containers). */
export function toY(value: Json): unknown {
  if (Array.isArray(value)) {
    const arr = new Y.Array<unknown>();
    arr.insert(
      0,
      value.map((v) => toY(v)),
    );
    return arr;
  }
  if (isJsonObject(value)) {
    const map = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(value)) map.set(checkKey(k), toY(v));
    return map;
  }
  return value;
}

function jsonOf(v: unknown): Json {
  if (v instanceof Y.Map || v instanceof Y.Array) return v.toJSON() as Json;
  return v as Json;
}

/**
 * Make `map` equal to `next` with the fewest Yjs operations: unchanged keys are left alone, nested maps and
 * arrays are updated in place. Must run inside a transaction (the caller's, which carries the origin).
 */
export function applyJsonToMap(map: Y.Map<unknown>, next: JsonObject): void {
  for (const key of Object.keys(next)) checkKey(key);
  for (const key of [...map.keys()]) if (!Object.prototype.hasOwnProperty.call(next, key)) map.delete(key);
  for (const [key, value] of Object.entries(next)) {
    const cur = map.get(key);
    if (cur instanceof Y.Map && isJsonObject(value)) applyJsonToMap(cur as Y.Map<unknown>, value);
    else if (cur instanceof Y.Array && Array.isArray(value)) applyJsonToArray(cur as Y.Array<unknown>, value);
    else if (!map.has(key) || !jsonEqual(jsonOf(cur), value)) map.set(key, toY(value));
  }
}

/** Arrays: same length → element-wise; otherwise keep the common prefix and suffix, replace the middle. */
export function applyJsonToArray(arr: Y.Array<unknown>, next: Json[]): void {
  const cur = arr.toArray();
  if (cur.length === next.length) {
    next.forEach((value, i) => {
      const item = cur[i];
      if (item instanceof Y.Map && isJsonObject(value)) applyJsonToMap(item as Y.Map<unknown>, value);
      else if (item instanceof Y.Array && Array.isArray(value))
        applyJsonToArray(item as Y.Array<unknown>, value);
      else if (!jsonEqual(jsonOf(item), value)) {
        arr.delete(i, 1);
        arr.insert(i, [toY(value)]);
      }
    });
    return;
  }
  const min = Math.min(cur.length, next.length);
  let prefix = 0;
  while (prefix < min && jsonEqual(jsonOf(cur[prefix]), next[prefix])) prefix++;
  let suffix = 0;
  while (
    suffix < min - prefix &&
    jsonEqual(jsonOf(cur[cur.length - 1 - suffix]), next[next.length - 1 - suffix])
  )
    suffix++;
  const removed = cur.length - prefix - suffix;
  if (removed > 0) arr.delete(prefix, removed);
  const inserted = next.slice(prefix, next.length - suffix);
  if (inserted.length > 0)
    arr.insert(
      prefix,
      inserted.map((v) => toY(v)),
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
