/**
 * `invokeHandler`: bound untrusted input (depth, lengths, forbidden keys — iteratively, before zod, whose
 * recursion a deep value would overflow), validate it with the channel's zod schema, call the handler, and never
 * throw or reject, whatever the channel and input are.
 */
import type { z } from 'zod';
import { CoreError } from '../errors';
import { BRIDGE_INPUT_LIMITS, jsonLimitProblem } from '../input/limits';
import {
  inputSchemas,
  type BridgeError,
  type BridgeResult,
  type Channel,
  type CoreHandlers,
} from './contract';

export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(inputSchemas, channel);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}

export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof CoreError) return { code: err.code, message: err.message };
  if (err instanceof RangeError && /call stack/i.test(err.message))
    return { code: 'invalid-input', message: 'input: too deeply nested to process' };
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  if (err instanceof Error && typeof code === 'string') return { code, message: err.message };
  if (err instanceof Error) return { code: 'internal', message: err.message };
  try {
    return { code: 'internal', message: String(err) };
  } catch {
    return { code: 'internal', message: 'an error that cannot be described' };
  }
}

/** A channel as text for an error message, whatever was sent (an object's `toString` is never called). */
function describeChannel(channel: unknown): string {
  if (typeof channel === 'string') return `channel "${channel.slice(0, 80)}"`;
  return `channel (a ${channel === null ? 'null' : Array.isArray(channel) ? 'array' : typeof channel}, not a string)`;
}

/** One call across a bridge: `{ ok: true, value }` or `{ ok: false, error: { code, message } }`. Never rejects. */
export async function invokeHandler(
  handlers: CoreHandlers,
  channel: unknown,
  rawInput: unknown,
): Promise<BridgeResult<unknown>> {
  try {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: { code: 'unknown-channel', message: `${describeChannel(channel)}: no such handler` },
      };
    }
    const problem = jsonLimitProblem(rawInput ?? {}, `${channel} input`, BRIDGE_INPUT_LIMITS);
    if (problem) return { ok: false, error: { code: 'invalid-input', message: problem } };
    const parsed = inputSchemas[channel].safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid-input', message: `${channel}: ${describeIssues(parsed.error.issues)}` },
      };
    }
    const fn = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = await fn(parsed.data);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    return { ok: false, error: toBridgeError(err) };
  }
}
