import type { ZodError } from 'zod';
import { LlmError, describeCause } from './errors';
import { extractJson } from './json-extract';
import { withTransportRetry, type RetryPolicy } from './retry';
import type { JsonSchema } from './schema';
import type { ChatMessage, GenerateObjectRequest, GenerateObjectResult, ProgressEvent } from './types';
import { makeUsage, type ModelPrice } from './usage';

export const DEFAULT_MAX_ATTEMPTS = 3;

/** One request to the wire, already carrying its deadline-aware signal. */
export interface CompletionInput {
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly wireSchema: JsonSchema;
  readonly schemaName: string;
  readonly temperature: number | undefined;
  readonly seed: number | undefined;
  readonly maxTokens: number | undefined;
  readonly signal: AbortSignal;
  /** Called with the running chunk count while streaming. */
  readonly onChunk: (tokens: number) => void;
}

export interface Completion {
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The answer was cut off by the token limit. */
  readonly truncated?: boolean;
  /** The model refused (OpenAI `message.refusal`). */
  readonly refusal?: string;
}

/**
 * Run `fn` with a signal that fires on the caller's abort or after `timeoutMs`, and turn any
 * failure into an LlmError: caller abort → `aborted`, deadline → `timeout`, else `classify`.
 */
export async function withDeadline<R>(
  provider: string,
  timeoutMs: number,
  caller: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<R>,
  classify: (error: unknown) => LlmError,
): Promise<R> {
  if (caller?.aborted) {
    throw new LlmError('aborted', provider, 'cancelled by the caller before the request', {
      cause: caller.reason,
    });
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
  try {
    return await fn(signal);
  } catch (error) {
    if (error instanceof LlmError) throw error;
    if (caller?.aborted) {
      throw new LlmError('aborted', provider, 'cancelled by the caller', { cause: error });
    }
    if (deadline.aborted) {
      throw new LlmError('timeout', provider, `no answer within ${timeoutMs} ms`, { cause: error });
    }
    throw classify(error);
  }
}

/** Zod issues as one line each: `- $.path.to.field: message (code)`. */
export function formatZodIssues(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length === 0 ? '$' : `$.${issue.path.map(String).join('.')}`;
      return `- ${path}: ${issue.message} (${issue.code})`;
    })
    .join('\n');
}

export function repairMessage(problem: string): string {
  return [
    'Your previous answer could not be used.',
    problem,
    'Answer again with only a JSON value that matches the required schema: no prose, no code fences.',
  ].join('\n');
}

export interface StructuredContext {
  readonly provider: string;
  readonly model: string;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly wireSchema: JsonSchema;
  readonly schemaName: string;
  /** Adapter applied to the parsed JSON before zod (e.g. strict-mode nulls → absent). */
  readonly restore?: (value: unknown) => unknown;
  readonly price: ModelPrice | undefined;
  readonly complete: (input: CompletionInput) => Promise<Completion>;
  readonly classify: (error: unknown) => LlmError;
}

/**
 * The shared reliability loop: request → extract JSON → zod. On parse or schema failure the
 * answer and the exact errors go back to the model (bounded by `maxAttempts`); transport
 * failures are retried inside each attempt by `withTransportRetry`.
 */
export async function runStructured<T>(
  request: GenerateObjectRequest<T>,
  context: StructuredContext,
): Promise<GenerateObjectResult<T>> {
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new LlmError(
      'config',
      context.provider,
      `maxAttempts must be a positive integer, got ${maxAttempts}`,
    );
  }
  const timeoutMs = request.timeoutMs ?? context.timeoutMs;
  const progress = (event: ProgressEvent) => request.onProgress?.(event);
  const messages: ChatMessage[] = [...request.messages];
  let inputTokens = 0;
  let outputTokens = 0;
  let lastProblem = '';
  let lastText = '';

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    progress({ phase: 'request', attempt });
    const completion = await withTransportRetry(
      () =>
        withDeadline(
          context.provider,
          timeoutMs,
          request.signal,
          (signal) =>
            context.complete({
              system: request.system,
              messages,
              wireSchema: context.wireSchema,
              schemaName: context.schemaName,
              temperature: request.temperature,
              seed: request.seed,
              maxTokens: request.maxTokens,
              signal,
              onChunk: (tokens) => progress({ phase: 'streaming', attempt, tokens }),
            }),
          context.classify,
        ),
      {
        provider: context.provider,
        policy: context.policy,
        signal: request.signal,
        onRetry: (error) => progress({ phase: 'retry', attempt, reason: error.code }),
      },
    );
    inputTokens += completion.inputTokens;
    outputTokens += completion.outputTokens;
    lastText = completion.text;
    progress({ phase: 'validating', attempt });

    if (completion.refusal !== undefined) {
      throw new LlmError('invalid_output', context.provider, `the model refused: ${completion.refusal}`, {
        usage: { inputTokens, outputTokens },
        attempts: attempt,
      });
    }

    const extracted = extractJson(completion.text);
    if (extracted.ok) {
      const value = context.restore ? context.restore(extracted.value) : extracted.value;
      const parsed = request.schema.safeParse(value);
      if (parsed.success) {
        return {
          object: parsed.data,
          usage: makeUsage(inputTokens, outputTokens, context.price),
          attempts: attempt,
          raw: completion.text,
          provider: context.provider,
          model: context.model,
        };
      }
      lastProblem = `The JSON did not match the schema:\n${formatZodIssues(parsed.error)}`;
    } else {
      lastProblem = completion.truncated
        ? `The answer was cut off by the token limit before the JSON was complete (${extracted.error}). Be more concise.`
        : `The answer was not valid JSON: ${extracted.error}`;
    }
    if (attempt < maxAttempts) {
      progress({ phase: 'retry', attempt, reason: 'invalid_output' });
      messages.push(
        { role: 'assistant', content: completion.text },
        { role: 'user', content: repairMessage(lastProblem) },
      );
    }
  }
  throw new LlmError(
    'invalid_output',
    context.provider,
    `no valid answer after ${maxAttempts} attempt(s); last problem: ${lastProblem.replace(/\n/g, ' ')}`,
    { usage: { inputTokens, outputTokens }, attempts: maxAttempts, cause: lastText },
  );
}

/** Shared fallback classification for errors that carry no HTTP status. */
export function classifyNetworkError(provider: string, error: unknown): LlmError {
  const text = describeCause(error);
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up|fetch failed|other side closed/i.test(
      text,
    )
  ) {
    return new LlmError('unavailable', provider, text, { cause: error });
  }
  return new LlmError('http', provider, text, { cause: error });
}
