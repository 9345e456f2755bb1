/** Why a call to a model failed. Stable strings: core maps them to user-facing messages. */
export type LlmErrorCode =
  /** The provider could not be reached (connection refused, DNS, 503), after retries. */
  | 'unavailable'
  /** The per-request deadline passed before the provider answered. */
  | 'timeout'
  /** The caller's AbortSignal fired. Never retried, never falls back. */
  | 'aborted'
  /** HTTP 429 that persisted after the allowed retries. */
  | 'rate_limited'
  /** The model answered, but no attempt produced JSON that passes the schema. */
  | 'invalid_output'
  /** Any other HTTP failure (4xx, 5xx other than 503) or a broken response stream. */
  | 'http'
  /** Bad configuration: unknown provider, missing key, schema the provider cannot express. */
  | 'config';

export const LLM_ERROR_CODES: readonly LlmErrorCode[] = [
  'unavailable',
  'timeout',
  'aborted',
  'rate_limited',
  'invalid_output',
  'http',
  'config',
];

export interface LlmFailure {
  readonly provider: string;
  readonly model: string;
  readonly code: LlmErrorCode;
  readonly message: string;
}

export interface LlmErrorOptions {
  readonly cause?: unknown;
  readonly status?: number;
  /** Milliseconds the server asked us to wait (Retry-After), when known. */
  readonly retryAfterMs?: number;
  /** Tokens spent before failing (e.g. all the invalid answers). */
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
  readonly attempts?: number;
  /** For router failures: every provider that was tried, in order. */
  readonly failures?: readonly LlmFailure[];
}

/**
 * The only error type this package throws. `message` always starts with the provider id
 * and says what went wrong, e.g. `ollama: unavailable (connect ECONNREFUSED 127.0.0.1:11434)`.
 */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly code: LlmErrorCode;
  readonly provider: string;
  override readonly cause: unknown;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number } | undefined;
  readonly attempts: number | undefined;
  readonly failures: readonly LlmFailure[];

  constructor(code: LlmErrorCode, provider: string, detail: string, options: LlmErrorOptions = {}) {
    super(`${provider}: ${code} (${detail})`);
    this.code = code;
    this.provider = provider;
    this.cause = options.cause;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.usage = options.usage;
    this.attempts = options.attempts;
    this.failures = options.failures ?? [];
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return value instanceof LlmError;
}

/** A short human description of any thrown value, following `cause` chains (fetch hides the errno there). */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const text = current.message || current.name;
      const piece = typeof code === 'string' && !text.includes(code) ? `${text} [${code}]` : text;
      if (piece && !parts.includes(piece)) parts.push(piece);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}
