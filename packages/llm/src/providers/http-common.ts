import { LlmError, describeCause } from '../errors';
import { extractJson } from '../json-extract';
import { answerBoundsProblem } from '../schema';
import { parseRetryAfter, withTransportRetry, type RetryOverrides, type RetryPolicy } from '../retry';
import { classifyNetworkError, withDeadline, type CompletionInput } from '../structured';
import type { EmbedOptions } from '../types';
import type { PriceTable } from '../usage';

/** Per-HTTP-request deadline when neither the provider nor the call sets one (local models can be slow to load). */
export const DEFAULT_HTTP_TIMEOUT_MS = 120_000;

/**
 * Largest answer text (UTF-8 bytes) one request may produce. A character or monster draft is a few KB; past the
 * cap the stream is cancelled and the call fails with `invalid_output` (never retried).
 */
export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Largest HTTP response body (bytes on the wire) one request may read. Streams frame every token in JSON
 * (Ollama NDJSON, OpenAI SSE: ~100 bytes per token), so this is well above the answer cap; it also bounds a
 * server that never sends a newline. Past it the connection is cancelled and the call fails with `invalid_output`.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function tooLarge(provider: string, what: string, limit: number, option: string): LlmError {
  return new LlmError(
    'invalid_output',
    provider,
    `the ${what} is larger than ${limit} bytes; stopped reading (raise ${option} if this is expected)`,
  );
}

/**
 * The same response with its body cut at `maxBytes`: past it the body errors with a clear `LlmError` and the
 * source is cancelled (the connection closes), so a runaway server costs at most `maxBytes` of memory.
 */
export function capResponseBody(provider: string, response: Response, maxBytes: number): Response {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw tooLarge(provider, 'response', maxBytes, 'maxResponseBytes');
  }
  if (!response.body) return response;
  let seen = 0;
  const capped = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(tooLarge(provider, 'response', maxBytes, 'maxResponseBytes'));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(capped, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Fail with `invalid_output` when the answer's JSON breaks `ANSWER_BOUNDS` (a string, list or nesting past the
 * bounds). Text that holds no JSON is left to the structured loop, which reports it to the model.
 */
export function checkAnswerBounds(provider: string, text: string): void {
  const extracted = extractJson(text);
  if (!extracted.ok) return;
  const problem = answerBoundsProblem(extracted.value);
  if (problem) throw new LlmError('invalid_output', provider, `the answer is out of bounds at ${problem}`);
}

/** Counts the answer text of one request and fails past the cap. */
export class AnswerMeter {
  #bytes = 0;
  constructor(
    private readonly provider: string,
    private readonly maxBytes: number,
  ) {}

  /** Add a piece of the answer; throws `invalid_output` once the total passes the cap. */
  add(text: string): void {
    this.#bytes += Buffer.byteLength(text, 'utf8');
    if (this.#bytes > this.maxBytes) throw tooLarge(this.provider, 'answer', this.maxBytes, 'maxAnswerBytes');
  }
}

/** Options every HTTP adapter (Ollama, OpenAI) takes; each adds its own on top. */
export interface HttpProviderOptions {
  readonly model: string;
  /** Provider id reported in results and errors. Default: the adapter's name (`ollama`, `openai`). */
  readonly id?: string | undefined;
  /** Model for `embed`. Default: the adapter's own embedding model. */
  readonly embedModel?: string | undefined;
  /** Per-HTTP-request deadline. Default 120 s. */
  readonly timeoutMs?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly retry?: RetryOverrides | undefined;
  /** Price table (USD per million tokens); see each adapter for its default. */
  readonly prices?: PriceTable | undefined;
  /** Cap on the answer text of one request, in UTF-8 bytes. Default `DEFAULT_MAX_ANSWER_BYTES` (1 MiB). */
  readonly maxAnswerBytes?: number | undefined;
  /** Cap on one HTTP response body, in bytes. Default `DEFAULT_MAX_RESPONSE_BYTES` (32 MiB). */
  readonly maxResponseBytes?: number | undefined;
}

/** The chat turns sent to a model: the system prompt first, then the conversation. */
export function chatMessages(input: CompletionInput) {
  return [
    { role: 'system' as const, content: input.system },
    ...input.messages.map((m) => ({ role: m.role, content: m.content })),
  ];
}

/** One embedding request under the adapter's deadline (or the call's), retried on transport errors. */
export function embedRequest<R>(
  provider: string,
  policy: RetryPolicy,
  providerTimeoutMs: number | undefined,
  options: EmbedOptions,
  request: (signal: AbortSignal) => Promise<R>,
  classify: (error: unknown) => LlmError,
): Promise<R> {
  return withTransportRetry(
    () =>
      withDeadline(
        provider,
        options.timeoutMs ?? providerTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
        options.signal,
        request,
        classify,
      ),
    { provider, policy, signal: options.signal },
  );
}

/** Map an HTTP status (+ headers) to an LlmError. Shared by the Ollama and OpenAI adapters. */
export function errorForStatus(
  provider: string,
  status: number,
  detail: string,
  headers: Headers | undefined,
  now: number,
  cause: unknown,
): LlmError {
  const text = `HTTP ${status}: ${detail}`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers, now);
    return new LlmError('rate_limited', provider, text, {
      cause,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 503 || status === 502 || status === 504) {
    const retryAfterMs = parseRetryAfter(headers, now);
    return new LlmError('unavailable', provider, text, {
      cause,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    return new LlmError('config', provider, `${text} (check the API key)`, { cause, status });
  }
  return new LlmError('http', provider, text, { cause, status });
}

export { classifyNetworkError, describeCause };

/** Validate a host/base URL early, so a typo is a `config` error naming the field. */
export function checkUrl(provider: string, field: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`unsupported protocol ${url.protocol}`);
    return value;
  } catch (error) {
    throw new LlmError('config', provider, `${field} is not a valid http(s) URL: ${JSON.stringify(value)}`, {
      cause: error,
    });
  }
}
