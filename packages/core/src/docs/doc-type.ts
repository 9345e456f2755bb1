/**
 * A document type: the zod shape of a document's JSON view, its checked migrations and how it projects into
 * index rows. All documents keep their content under one root `Y.Map` named `entity`, so JSON pointers such as
 * `/build/abilityScores/str` address the same thing in the doc, in diffs and in the CLI.
 */
import type * as Y from 'yjs';
import { Map as YMap } from 'yjs';
import { ZodArray, ZodDefault, ZodObject, ZodOptional, ZodRecord, ZodType, type z } from 'zod';
import { CoreError } from '../errors';
import { recordOwnAuthor } from '../live/authors';
import { migrationOrigin, type TransactionOrigin } from './origin';
import { readRichText, writeRichText } from './rich-text';
import {
  applyJsonAt,
  applyJsonKeys,
  applyJsonToMap,
  applyStringToText,
  isJsonObject,
  jsonEqual,
  type Json,
  type JsonObject,
  type TextPaths,
} from './y-json';

export const ROOT_MAP = 'entity';
/**
 * Entity kinds stored today, the same as the synced document kinds (`sync/doc-names.ts`): the campaign's public
 * document, characters, items, journals, the DM-only `dmnotes` (the campaign's notes and private journals), the
 * live `session` state, the players' `intents` and `lore` (locations, factions, quests, events, notes, NPC stubs).
 */
export const ENTITY_KINDS = [
  'campaign',
  'character',
  'item',
  'journal',
  'dmnotes',
  'session',
  'intents',
  'lore',
] as const;
/**
 * Top-level fields held as a shared `Y.Text` (outside the root map) so concurrent edits merge per character.
 * The JSON view shows them as plain strings; `editDoc` turns a new string into one delete and one insert.
 */
export const TEXT_FIELDS = ['text'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface DocMigration {
  /** `<kind>/<n>`, contiguous from 1. */
  id: string;
  description: string;
  /**
   * Pure function from the JSON view at version n-1 to version n. `context` carries what a step needs from
   * outside the document (e.g. `campaign/2` gets the ids of the DM-only roster entries).
   */
  up(json: JsonObject, context?: MigrationContext): JsonObject;
}

export interface MigrationContext {
  /** Roster ids that are DM-only (NPCs and monsters), for `campaign/2`. */
  dmOnlyIds?: ReadonlySet<string>;
}

export interface EntityReference {
  to: string;
  relation: 'contains' | 'encounter' | 'equips' | 'variant-of' | 'mentions';
  /** Encounter id, for relation `encounter`. */
  via?: string;
}

export interface DocTypeDefinition<K extends EntityKind, T extends { meta: DocMeta }> {
  kind: K;
  schema: z.ZodType<T>;
  migrations: readonly DocMigration[];
  summarize(value: T): { name: string; subkind: string | null };
  references(value: T): EntityReference[];
  /** String fields inside the root map held as `Y.Text`s (merged per character), e.g. a character's backstory. */
  textPaths?: TextPaths;
  /** `text` is kept as a rich-text `Y.XmlFragment` (Tiptap's layout; `rich-text.ts`) instead of a `Y.Text`. */
  richText?: boolean;
}

export interface DocType<K extends EntityKind, T extends { meta: DocMeta }> extends DocTypeDefinition<K, T> {
  currentVersion: number;
}

export interface DocMeta {
  schemaVersion: number;
  entity: EntityKind;
  id: string;
  createdAt: number;
}

/** Validate the migration ids (`kind/1..n`, contiguous, no gaps or duplicates) once, when the type is defined. */
export function defineDocType<K extends EntityKind, T extends { meta: DocMeta }>(
  def: DocTypeDefinition<K, T>,
): DocType<K, T> {
  def.migrations.forEach((m, i) => {
    const expected = `${def.kind}/${i + 1}`;
    if (m.id !== expected) {
      throw new Error(
        `doc migrations for ${def.kind}: expected id "${expected}" at position ${i + 1}, got "${m.id}"`,
      );
    }
  });
  return { ...def, currentVersion: def.migrations.length };
}

export function rootOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT_MAP);
}

export function rawJson(doc: Y.Doc): JsonObject {
  const json = rootOf(doc).toJSON() as JsonObject;
  for (const f of TEXT_FIELDS) if (doc.share.has(f)) json[f] = doc.getText(f).toString();
  // A rich-text body (journal/3) is the truth for `text`: its plain text is derived here.
  const rich = readRichText(doc);
  if (rich !== null) json['text'] = rich;
  return json;
}

/** Write a validated JSON view into the doc: text fields into their `Y.Text`, the rest into the root map. */
function applyView(doc: Y.Doc, view: JsonObject, texts?: TextPaths, richText?: boolean): void {
  const rest: JsonObject = { ...view };
  for (const f of TEXT_FIELDS) {
    const v = rest[f];
    if (typeof v !== 'string') continue;
    delete rest[f];
    if (richText) writeRichText(doc, v);
    else applyStringToText(doc.getText(f), v);
  }
  applyJsonToMap(rootOf(doc), rest, texts);
}

export function docVersion(doc: Y.Doc): number {
  // Only `meta` is read (not the whole view: a rich-text body's text is derived, which costs).
  const raw = rootOf(doc).get('meta') as { toJSON?: () => unknown } | undefined;
  const meta = typeof raw?.toJSON === 'function' ? raw.toJSON() : raw;
  const v = isJsonObject(meta) ? meta['schemaVersion'] : undefined;
  return typeof v === 'number' ? v : 0;
}

/** A document written by a newer app: readable, never written (its shape may hold things we cannot keep). */
export function isReadOnly(type: DocType<EntityKind, { meta: DocMeta }>, doc: Y.Doc): boolean {
  return docVersion(doc) > type.currentVersion;
}

function describe(err: z.ZodError): string {
  const issue = err.issues[0];
  const path = issue ? `/${issue.path.map(String).join('/')}` : '';
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

export function parseDocJson<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  json: unknown,
  what: string,
  code: 'doc-invalid' | 'invalid-input' = 'doc-invalid',
): T {
  const parsed = type.schema.safeParse(json);
  if (!parsed.success) throw new CoreError(code, `${what} is invalid at ${describe(parsed.error)}`);
  return parsed.data;
}

/** The typed JSON view of a document. Read-only (newer) docs are returned as they are, unvalidated beyond meta. */
export function readDoc<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
): T {
  const json = rawJson(doc);
  if (docVersion(doc) > type.currentVersion) return json as unknown as T;
  const version = changeCount(doc);
  const parsed = parseDocJson(type, json, `${type.kind} document`);
  validated.set(doc, { type, version });
  return parsed;
}

/** Per document, how many transactions changed it (any origin), counted from the first read or edit here. */
const changes = new WeakMap<Y.Doc, { n: number }>();
function changeCount(doc: Y.Doc): number {
  let c = changes.get(doc);
  if (!c) {
    const counter = { n: 0 };
    changes.set(doc, (c = counter));
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) counter.n++;
    });
  }
  return c.n;
}

/**
 * Per document, the change count at which its whole JSON view last passed its type's schema (read or written
 * here). While the document has not changed since, an edit validates only the top-level fields it changes.
 */
const validated = new WeakMap<Y.Doc, { type: unknown; version: number }>();

/**
 * `schema.parse(next)` for a value built from `prev`, which passed `schema` and was not changed since (an
 * immutable update of a parse result, as the combat tracker makes): only what differs is checked, the rest is
 * taken as it is. Falls back to the whole parse where a schema is not plain (see `parseChanged`).
 */
export function parseFrom<T>(schema: z.ZodType<T>, prev: T, next: T, what: string): T {
  const out = isJsonObject(prev) && isJsonObject(next) ? parseChanged(schema, prev, next, what) : undefined;
  return out === undefined ? schema.parse(next) : (out as T);
}

/**
 * Validate `next` against an object schema field by field, re-checking only what differs from `current` — which
 * passed the same schema as it is (`validated`): a changed field whose schema is again a plain object, record or
 * array (through optional/default) is checked entry by entry the same way, anything else whole. Undefined when a schema
 * on the way is not plain (refinements, catch-all) or `next` has a field the schema does not know: the caller
 * parses the document whole, so errors and stripping stay exactly as before.
 */
function parseChanged(
  schema: unknown,
  current: JsonObject,
  next: JsonObject,
  what: string,
): JsonObject | undefined {
  const out = changedObject(schema, current, next, [], what);
  return out === NOT_PLAIN ? undefined : out;
}

const NOT_PLAIN = Symbol('not plain');

function plainDef(schema: unknown): { checks?: unknown[]; catchall?: unknown } | undefined {
  if (!(schema instanceof ZodType)) return undefined;
  const def = schema._zod.def as { checks?: unknown[]; catchall?: unknown };
  return (def.checks?.length ?? 0) > 0 || def.catchall !== undefined ? undefined : def;
}

function changedObject(
  schema: unknown,
  current: JsonObject,
  next: JsonObject,
  path: string[],
  what: string,
): JsonObject | typeof NOT_PLAIN {
  if (!(schema instanceof ZodObject) || !plainDef(schema)) return NOT_PLAIN;
  const shape = schema.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(next))
    if (!Object.prototype.hasOwnProperty.call(shape, key)) return NOT_PLAIN;
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(shape)) {
    const has = Object.prototype.hasOwnProperty.call(next, key);
    const had = Object.prototype.hasOwnProperty.call(current, key);
    if (has && had && jsonEqual(current[key], next[key])) {
      out[key] = next[key] as Json;
      continue;
    }
    const v = changedValue(
      field,
      had ? current[key] : undefined,
      has ? next[key] : undefined,
      [...path, key],
      what,
    );
    if (v === NOT_PLAIN) return NOT_PLAIN;
    if (v !== undefined || has) out[key] = v as Json;
  }
  return out;
}

/** One changed value: into plain objects and records where both sides are objects, else its schema whole. */
function changedValue(
  schema: z.ZodType,
  current: Json | undefined,
  next: Json | undefined,
  path: string[],
  what: string,
): Json | undefined | typeof NOT_PLAIN {
  let inner: unknown = schema;
  // Optional and default only matter when the value is missing: present values go to the wrapped schema.
  while (
    next !== undefined &&
    (inner instanceof ZodOptional || inner instanceof ZodDefault) &&
    plainDef(inner)
  )
    inner = (inner._zod.def as { innerType: unknown }).innerType;
  if (isJsonObject(current) && isJsonObject(next)) {
    if (inner instanceof ZodObject) return changedObject(inner, current, next, path, what);
    if (inner instanceof ZodRecord && plainDef(inner)) {
      const def = inner._zod.def as unknown as { keyType: z.ZodType; valueType: z.ZodType };
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(next)) {
        if (Object.prototype.hasOwnProperty.call(current, k) && jsonEqual(current[k], v)) {
          out[k] = v;
          continue;
        }
        const key = def.keyType.safeParse(k);
        if (!key.success) fieldError(what, [...path, k], key.error);
        const value = changedValue(
          def.valueType,
          Object.prototype.hasOwnProperty.call(current, k) ? current[k] : undefined,
          v,
          [...path, k],
          what,
        );
        if (value === NOT_PLAIN) return NOT_PLAIN;
        out[k] = value as Json;
      }
      return out;
    }
  }
  if (Array.isArray(current) && Array.isArray(next) && inner instanceof ZodArray && plainDef(inner)) {
    // Elements `current` already holds (the same object, or equal at the same place) passed the element schema
    // with it: a list that shifted (a log that drops its oldest entry) checks only its new elements.
    const element = (inner._zod.def as unknown as { element: z.ZodType }).element;
    const held = new Set<unknown>(current);
    const out: Json[] = [];
    for (const [i, v] of next.entries()) {
      if (held.has(v) || jsonEqual(current[i], v)) {
        out.push(v);
        continue;
      }
      const value = changedValue(element, current[i], v, [...path, String(i)], what);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      // The caller's own object when the check added nothing, so it is found by identity next time.
      out.push(jsonEqual(value, v) ? v : (value as Json));
    }
    return out;
  }
  const r = schema.safeParse(next);
  if (!r.success) fieldError(what, path, r.error);
  return r.data as Json | undefined;
}

function fieldError(what: string, path: readonly string[], err: z.ZodError): never {
  const issue = err.issues[0];
  const at = `/${[...path, ...(issue?.path ?? []).map(String)].join('/')}`;
  throw new CoreError('invalid-input', `${what} is invalid at ${at}: ${issue?.message ?? 'invalid'}`);
}

/** Write a fresh document at the current version. */
export function initDoc<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
  value: unknown,
  origin: TransactionOrigin,
): T {
  const parsed = parseDocJson(type, value, `new ${type.kind}`, 'invalid-input');
  if (parsed.meta.schemaVersion !== type.currentVersion || parsed.meta.entity !== type.kind) {
    throw new CoreError(
      'doc-invalid',
      `new ${type.kind} document must have meta.schemaVersion ${type.currentVersion}`,
    );
  }
  doc.transact((tr) => {
    applyView(doc, parsed as unknown as JsonObject, type.textPaths, type.richText);
    // The first write of this peer's client id also names its author (first entry wins; see live/authors.ts).
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) recordOwnAuthor(doc, origin);
  }, origin);
  return parsed;
}

/**
 * Bring an older document up to the current version in one `migration`-origin transaction. Returns what
 * happened; a newer document is left untouched and reported read-only.
 */
export function migrateDoc<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
  context?: MigrationContext,
): { from: number; to: number; readOnly: boolean } {
  const from = docVersion(doc);
  if (from > type.currentVersion) return { from, to: from, readOnly: true };
  if (from === type.currentVersion) return { from, to: from, readOnly: false };
  let json = rawJson(doc);
  for (let v = from + 1; v <= type.currentVersion; v++) {
    const step = type.migrations[v - 1] as DocMigration;
    json = step.up(json, context);
    const meta = json['meta'];
    if (!isJsonObject(meta)) throw new CoreError('doc-invalid', `migration ${step.id} left no meta`);
    json = { ...json, meta: { ...meta, schemaVersion: v } };
  }
  const parsed = parseDocJson(type, json, `document after migration to ${type.kind}/${type.currentVersion}`);
  doc.transact(
    () => applyView(doc, parsed as unknown as JsonObject, type.textPaths, type.richText),
    migrationOrigin,
  );
  return { from, to: type.currentVersion, readOnly: false };
}

/** Documents this peer may only read (shared campaigns), with the reason a write is refused. */
const writeGuards = new WeakMap<Y.Doc, string>();

/**
 * Mark a document read-only for `editDoc` (`reason` names the document and the role), or writable (`null`).
 * Remote updates (the sync client's `Y.applyUpdate`) are not edits and still apply.
 */
export function setWriteGuard(doc: Y.Doc, reason: string | null): void {
  if (reason === null) writeGuards.delete(doc);
  else writeGuards.set(doc, reason);
}

/**
 * The one way to change a document: compute the next JSON view, validate it against the schema (the error names
 * the field), then apply only the differences to the Yjs structure in a transaction carrying `origin`.
 */
export function editDoc<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): T {
  assertWritable(type, doc);
  const version = changeCount(doc);
  const current = rawJson(doc);
  const next = change(structuredClone(current));
  const known = validated.get(doc);
  const partial =
    known && known.type === type && known.version === version && isJsonObject(next)
      ? parseChanged(type.schema, current, next, `${type.kind} edit`)
      : undefined;
  const parsed =
    (partial as unknown as T | undefined) ?? parseDocJson(type, next, `${type.kind} edit`, 'invalid-input');
  const meta = (current['meta'] ?? {}) as JsonObject;
  if (parsed.meta.id !== meta['id'] || parsed.meta.entity !== type.kind) {
    throw new CoreError('invalid-input', '/meta: the id and entity kind of a document cannot change');
  }
  // Only the top-level fields that differ are written (the others would be walked and compared for nothing).
  const view = parsed as unknown as JsonObject;
  const changed: JsonObject = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(view)) if (!jsonEqual(current[k], v)) changed[k] = v;
  for (const k of Object.keys(current)) if (!Object.prototype.hasOwnProperty.call(view, k)) removed.push(k);
  doc.transact((tr) => {
    applyFields(doc, changed, removed, type.textPaths, type.richText);
    // The first write of this peer's client id also names its author (first entry wins; see live/authors.ts).
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) recordOwnAuthor(doc, origin);
  }, origin);
  validated.set(doc, { type, version: changeCount(doc) });
  return parsed;
}

function assertWritable<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
): void {
  const guard = writeGuards.get(doc);
  if (guard !== undefined) throw new CoreError('read-only', guard);
  if (isReadOnly(type, doc)) {
    throw new CoreError(
      'read-only',
      `this ${type.kind} was saved by a newer Loreforge (schema ${docVersion(doc)} > ${type.currentVersion}); it opens read-only`,
    );
  }
}

/**
 * `editDoc` for one value deep in the root map, at `path` (map keys): the caller has validated `value` against the
 * schema the document type gives that place, and nothing else of the document is read, copied
 * or compared — an edit of one session's combat state in DM notes that also hold every prepared encounter and
 * other combats. `known`: exactly what that place holds now (the caller's own last write), so unchanged parts
 * are found in plain JSON (`applyJsonAt`). When a map on the way is missing, the edit is an ordinary `editDoc`.
 */
export function editDocAt<K extends EntityKind, T extends { meta: DocMeta }>(
  type: DocType<K, T>,
  doc: Y.Doc,
  path: readonly [string, ...string[]],
  value: Json,
  origin: TransactionOrigin,
  known?: Json,
): void {
  assertWritable(type, doc);
  let map = rootOf(doc);
  const last = path[path.length - 1] as string;
  for (const key of path.slice(0, -1)) {
    const next = map.get(key);
    if (!(next instanceof YMap)) {
      editDoc(type, doc, (json) => setPath(json, path, value), origin);
      return;
    }
    map = next as Y.Map<unknown>;
  }
  if (path[0] === 'meta' || (path.length === 1 && (TEXT_FIELDS as readonly string[]).includes(last)))
    throw new CoreError('invalid-input', `/${path.join('/')}: not a field editDocAt writes`);
  const version = changeCount(doc);
  const checked = validated.get(doc);
  doc.transact((tr) => {
    applyJsonAt(map, last, value, type.textPaths, path, known);
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) recordOwnAuthor(doc, origin);
  }, origin);
  // Valid before and only this (validated) value changed: still valid, and later edits may check only changes.
  if (checked && checked.type === type && checked.version === version)
    validated.set(doc, { type, version: changeCount(doc) });
}

/** `json` with `value` at `path` (objects created on the way). */
function setPath(json: JsonObject, path: readonly string[], value: Json): JsonObject {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...json, [head]: value };
  const inner = json[head];
  return { ...json, [head]: setPath(isJsonObject(inner) ? inner : {}, rest, value) };
}

/**
 * `applyView` for the top-level fields an edit changed: text fields into their `Y.Text` (or rich-text body), the
 * rest into the root map; removed root-map fields deleted; nothing else compared.
 */
function applyFields(
  doc: Y.Doc,
  changed: JsonObject,
  removed: readonly string[],
  texts?: TextPaths,
  richText?: boolean,
): void {
  const root = rootOf(doc);
  const textFields: readonly string[] = TEXT_FIELDS;
  for (const k of removed) if (!textFields.includes(k)) root.delete(k);
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(changed)) {
    if (textFields.includes(k) && typeof v === 'string') {
      if (richText) writeRichText(doc, v);
      else applyStringToText(doc.getText(k), v);
      continue;
    }
    rest[k] = v;
  }
  applyJsonKeys(root, rest, texts);
}
