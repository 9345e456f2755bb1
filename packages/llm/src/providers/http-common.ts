import { LlmError, describeCause } from '../errors';
import { parseRetryAfter, withTransportRetry, type RetryOverrides, type RetryPolicy } from '../retry';
import { classifyNetworkError, withDeadline, type CompletionInput } from '../structured';
import type { EmbedOptions } from '../types';
import type { PriceTable } from '../usage';

/** Per-HTTP-request deadline when neither the provider nor the call sets one (local models can be slow to load). */
export const DEFAULT_HTTP_TIMEOUT_MS = 120_000;

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
