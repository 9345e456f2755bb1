/** `invokeHandler`: validate untrusted input with the channel's zod schema, call the handler, never throw. */
import type { z } from 'zod';
import { CoreError } from '../errors';
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
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  if (err instanceof Error && typeof code === 'string') return { code, message: err.message };
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}

/** One call across a bridge: `{ ok: true, value }` or `{ ok: false, error: { code, message } }`. */
export async function invokeHandler(
  handlers: CoreHandlers,
  channel: unknown,
  rawInput: unknown,
): Promise<BridgeResult<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'unknown-channel', message: `channel "${String(channel)}": no such handler` },
    };
  }
  const parsed = inputSchemas[channel].safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `${channel}: ${describeIssues(parsed.error.issues)}` },
    };
  }
  try {
    const fn = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = await fn(parsed.data);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    return { ok: false, error: toBridgeError(err) };
  }
}
