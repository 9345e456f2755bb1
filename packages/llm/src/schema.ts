import { z, type ZodType } from 'zod';

export type JsonSchema = { [key: string]: unknown };

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Conversions are memoised per schema object (zod schemas are immutable). The returned JSON
 * Schemas are shared: treat them as read-only.
 */
const jsonSchemaCache = new WeakMap<ZodType, JsonSchema>();
const boundedSchemaCache = new WeakMap<ZodType, JsonSchema>();
const strictSchemaCache = new WeakMap<ZodType, StrictSchema>();

/**
 * Bounds on every structured answer (drafts, refinements, re-themes): no string longer than `maxStringLength`
 * characters, no array longer than `maxItems`, no nesting deeper than `maxDepth`. The wire schema sent to the
 * model carries the first two where the zod schema sets none (Ollama's grammar enforces them), and every
 * adapter checks the answer against all three before it is parsed (`answerBoundsProblem`).
 */
export const ANSWER_BOUNDS = { maxStringLength: 8_000, maxItems: 200, maxDepth: 32 } as const;

function rawJsonSchema(schema: ZodType): JsonSchema {
  const known = jsonSchemaCache.get(schema);
  if (known) return known;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  jsonSchemaCache.set(schema, json);
  return json;
}

/** A copy of a JSON Schema with `maxLength` on strings and `maxItems` on arrays where none is set. */
function withBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withBounds);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` / `$defs` map names to schemas; `const` / `enum` / `default` hold values, left as they are.
    if (key === 'properties' || key === '$defs' || key === 'definitions' || key === 'patternProperties') {
      out[key] = isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBounds(v)]))
        : value;
    } else if (['const', 'enum', 'default', 'examples'].includes(key)) out[key] = value;
    else out[key] = typeof value === 'object' ? withBounds(value) : value;
  }
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (
    types.includes('string') &&
    out.maxLength === undefined &&
    out.enum === undefined &&
    out.const === undefined
  )
    out.maxLength = ANSWER_BOUNDS.maxStringLength;
  if (types.includes('array') && out.maxItems === undefined) out.maxItems = ANSWER_BOUNDS.maxItems;
  return out;
}

/**
 * JSON Schema for what the model must produce (the schema's *input* side, so `.default()`
 * fields are optional), with `ANSWER_BOUNDS` on strings and arrays. Used as Ollama's `format`.
 * Transforms/refinements cannot be expressed and are left open; zod still enforces them after parsing.
 */
export function toJsonSchema(schema: ZodType): JsonSchema {
  const known = boundedSchemaCache.get(schema);
  if (known) return known;
  const json = withBounds(rawJsonSchema(schema)) as JsonSchema;
  boundedSchemaCache.set(schema, json);
  return json;
}

/**
 * The first place where a parsed answer breaks `ANSWER_BOUNDS` (`$.a[3]: …`), or null. Iterative, so an answer
 * of any depth is checked without recursion.
 */
export function answerBoundsProblem(value: unknown, bounds = ANSWER_BOUNDS): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === 'string') {
      if (v.length > bounds.maxStringLength)
        return `${path}: a string of ${v.length} characters (at most ${bounds.maxStringLength})`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= bounds.maxDepth) return `${path}: nested deeper than ${bounds.maxDepth} levels`;
    if (Array.isArray(v)) {
      if (v.length > bounds.maxItems)
        return `${path}: a list of ${v.length} entries (at most ${bounds.maxItems})`;
      v.forEach((item, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [k, item] of Object.entries(v))
        stack.push({ v: item, path: `${path}.${k}`, depth: depth + 1 });
    }
  }
  return null;
}

export class StrictSchemaError extends Error {
  override readonly name = 'StrictSchemaError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export interface StrictSchema {
  readonly schema: JsonSchema;
  /**
   * Undo the strict-mode adaptation on a parsed answer: `null` in a property that the zod
   * schema declares optional becomes "absent", so `.optional()`/`.default()` work as written.
   */
  readonly restore: (value: unknown) => unknown;
}

/** Keywords OpenAI strict mode rejects that carry no meaning for the model; dropped. */
const DROPPED = ['$schema', 'default', 'title', '$comment', 'examples', 'readOnly', 'writeOnly'];

interface OptionalInfo {
  /** Properties that were optional in the original schema, per object node. */
  readonly optional: ReadonlySet<string>;
}

/**
 * Adapt a zod schema to OpenAI structured outputs with `strict: true`:
 * every object gets `additionalProperties: false` and lists all its properties as required;
 * an optional property becomes `anyOf: [original, null]` (and `restore` turns null back into
 * absent); `oneOf` becomes `anyOf`. Not expressible, so rejected with the JSON path:
 * records/maps (`additionalProperties` with a schema), tuples (`prefixItems`), and a root that
 * is not an object. Use `strict: false` on the provider for such schemas.
 */
export function toStrictJsonSchema(schema: ZodType): StrictSchema {
  const known = strictSchemaCache.get(schema);
  if (known) return known;
  const strict = buildStrictSchema(schema);
  strictSchemaCache.set(schema, strict);
  return strict;
}

function buildStrictSchema(schema: ZodType): StrictSchema {
  // Strict mode rejects keywords it does not know, so it gets the schema without the added bounds (the answer is
  // still checked against ANSWER_BOUNDS by the adapter).
  const source = rawJsonSchema(schema);
  const optionalByNode = new WeakMap<JsonSchema, OptionalInfo>();

  const adapt = (node: unknown, path: string): unknown => {
    if (!isObject(node)) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.includes(key)) continue;
      out[key] = value;
    }
    if ('prefixItems' in out)
      throw new StrictSchemaError(path, 'tuples (prefixItems) are not supported in strict mode');
    if ('oneOf' in out) {
      out.anyOf = out.oneOf;
      delete out.oneOf;
    }
    if (isObject(out.additionalProperties)) {
      throw new StrictSchemaError(
        path,
        'records/maps (additionalProperties with a schema) are not supported in strict mode',
      );
    }
    if (isObject(out.properties)) {
      const props = out.properties;
      const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
      const optional = new Set<string>();
      const adapted: JsonSchema = {};
      for (const [key, value] of Object.entries(props)) {
        const child = adapt(value, `${path}.${key}`);
        if (required.has(key)) adapted[key] = child;
        else {
          optional.add(key);
          adapted[key] = { anyOf: [child, { type: 'null' }] };
        }
      }
      out.properties = adapted;
      out.required = Object.keys(props);
      out.additionalProperties = false;
      delete out.propertyNames;
      optionalByNode.set(out, { optional });
    } else if (out.type === 'object') {
      out.properties = {};
      out.required = [];
      out.additionalProperties = false;
    }
    if (out.items !== undefined) out.items = adapt(out.items, `${path}[]`);
    for (const key of ['anyOf', 'allOf'] as const) {
      const list = out[key];
      if (Array.isArray(list)) out[key] = list.map((item, i) => adapt(item, `${path}<${key}${i}>`));
    }
    for (const key of ['$defs', 'definitions'] as const) {
      const defs = out[key];
      if (isObject(defs)) {
        out[key] = Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, adapt(v, `#/${key}/${k}`)]));
      }
    }
    return out;
  };

  const root = adapt(source, '$') as JsonSchema;
  if (root.type !== 'object')
    throw new StrictSchemaError('$', 'the root of a strict schema must be an object');

  const defs = (isObject(root.$defs) ? root.$defs : {}) as JsonSchema;

  const restoreWith = (value: unknown, node: unknown): unknown => {
    if (!isObject(node)) return value;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace(/^#\/\$defs\//, '');
      return restoreWith(value, defs[name]);
    }
    if (Array.isArray(value)) {
      return node.items === undefined ? value : value.map((item) => restoreWith(item, node.items));
    }
    if (!isObject(value)) return value;
    const info = optionalByNode.get(node);
    if (info && isObject(node.properties)) {
      const props = node.properties;
      const result: JsonSchema = {};
      for (const [key, child] of Object.entries(value)) {
        if (child === null && info.optional.has(key)) continue;
        const childSchema = props[key];
        const unwrapped =
          info.optional.has(key) && isObject(childSchema) && Array.isArray(childSchema.anyOf)
            ? childSchema.anyOf[0]
            : childSchema;
        result[key] = restoreWith(child, unwrapped);
      }
      return result;
    }
    if (Array.isArray(node.anyOf)) {
      // Union of objects: restore with the first branch whose properties cover the value's keys.
      const keys = Object.keys(value);
      const branch = node.anyOf.find(
        (b) => isObject(b) && isObject(b.properties) && keys.every((k) => k in (b.properties as JsonSchema)),
      );
      return branch === undefined ? value : restoreWith(value, branch);
    }
    return value;
  };

  return { schema: root, restore: (value) => restoreWith(value, root) };
}

/** OpenAI requires `^[a-zA-Z0-9_-]{1,64}$` for `json_schema.name`. */
export function wireSchemaName(name: string | undefined): string {
  const cleaned = (name ?? 'result').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'result' : cleaned;
}
