/**
 * Bounds on untrusted JSON (bridge messages, CLI files, `--set` values, archives): nesting depth, array length,
 * string length, keys per object, and the key names that could reach `Object.prototype`. Every check walks
 * iteratively (never recursively), so a hostile value cannot overflow the stack while being checked. The values
 * are documented in docs/security.md (`## Input`); change both together.
 */
import { CoreError } from '../errors';

export const INPUT_LIMITS = {
  /** Containers nested inside each other (a build is ~5 deep; a campaign document ~8). */
  maxDepth: 64,
  /** Elements of one array (an equipment list, a spell list, a roster). */
  maxArrayLength: 10_000,
  /** Characters of one string (a backstory, a journal entry). */
  maxStringLength: 200_000,
  /** Keys of one object. */
  maxKeys: 10_000,
  /** Segments of one JSON pointer. */
  maxPointerSegments: 32,
} as const;

/**
 * One bridge message (web-mode WebSocket): at most this many bytes (a larger one closes the socket with 1009).
 * Campaign archives travel as base64 inside one message, so this bounds an imported archive over the bridge.
 */
export const BRIDGE_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Limits on a handler's input over a bridge: strings are bounded by the message size and each channel's schema. */
export const BRIDGE_INPUT_LIMITS: JsonLimits = {
  ...INPUT_LIMITS,
  maxStringLength: BRIDGE_MAX_MESSAGE_BYTES,
};

/** Key names never applied as object keys or pointer segments: they reach `Object.prototype`. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/**
 * Entity ids (campaigns, characters, items, journals, commits): a UUID in lower- or upper-case hex. One pattern
 * for every id that names a stored thing, so an id can never be a path (`../../etc/passwd`) or a key trick.
 */
export const ENTITY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEntityId(id: unknown): id is string {
  return typeof id === 'string' && ENTITY_ID_PATTERN.test(id);
}

/** Throw `invalid-input` naming `field` unless `id` matches {@link ENTITY_ID_PATTERN}. */
export function assertEntityId(id: unknown, field: string): asserts id is string {
  if (!isEntityId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new CoreError('invalid-input', `${field}: ${shown} is not an entity id (expected a UUID)`);
  }
}

export interface JsonLimits {
  maxDepth: number;
  maxArrayLength: number;
  maxStringLength: number;
  maxKeys: number;
}

/** Where a problem is: `what` plus a JSON pointer (`build/classes/0`). */
function at(what: string, path: readonly (string | number)[]): string {
  return path.length ? `${what}/${path.map(String).join('/')}` : what;
}

/**
 * The first problem with `value` as untrusted JSON (too deep, too long, a forbidden key, a non-JSON value), as
 * `"<what>/<path>: <reason>"`, or null when it is within the limits. Iterative, so any depth is safe to check.
 */
export function jsonLimitProblem(
  value: unknown,
  what: string,
  limits: JsonLimits = INPUT_LIMITS,
): string | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: (string | number)[] };
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength)
        return `${at(what, path)}: string of ${v.length} characters is longer than ${limits.maxStringLength}`;
      continue;
    }
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${at(what, path)}: ${v} is not a finite number`;
      continue;
    }
    if (typeof v !== 'object') return `${at(what, path)}: a ${typeof v} is not JSON`;
    if (path.length >= limits.maxDepth)
      return `${at(what, path.slice(0, 8))}/…: nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayLength)
        return `${at(what, path)}: array of ${v.length} entries is longer than ${limits.maxArrayLength}`;
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i] as unknown, path: [...path, i] });
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > limits.maxKeys)
      return `${at(what, path)}: object with ${keys.length} keys has more than ${limits.maxKeys}`;
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      if (isForbiddenKey(k)) return `${at(what, [...path, k])}: the key "${k}" is not allowed`;
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  return null;
}

/** Throw `invalid-input` with {@link jsonLimitProblem}'s message when `value` breaks a limit. */
export function assertJsonWithinLimits(
  value: unknown,
  what: string,
  limits: JsonLimits = INPUT_LIMITS,
): void {
  const problem = jsonLimitProblem(value, what, limits);
  if (problem) throw new CoreError('invalid-input', problem);
}

/**
 * Whether JSON text nests more than `max` containers, measured before parsing (brackets outside strings): one
 * linear scan, no allocation, so a hostile message costs nothing more.
 */
export function jsonTextDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse that refuses text nested deeper than `maxDepth` before parsing, then checks the limits. */
export function parseBoundedJson(text: string, what: string, limits: JsonLimits = INPUT_LIMITS): unknown {
  if (jsonTextDepthExceeds(text, limits.maxDepth))
    throw new CoreError('invalid-input', `${what}: nested deeper than ${limits.maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new CoreError('invalid-input', `${what}: not valid JSON (${(err as Error).message})`);
  }
  assertJsonWithinLimits(value, what, limits);
  return value;
}
