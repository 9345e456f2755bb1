import { LlmError } from './errors';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Transport retries after the first try (so `maxRetries: 3` means up to 4 HTTP requests). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound on any wait asked for by Retry-After. */
  readonly maxRetryAfterMs: number;
  /** Whether a per-request timeout is retried (default false: a hung model rarely recovers). */
  readonly retryTimeouts: boolean;
  readonly sleep: Sleep;
  /** Uniform in [0, 1): jitter source. */
  readonly random: () => number;
  /** Clock for HTTP-date Retry-After values. */
  readonly now: () => number;
}

/** Real, abortable wait. Tests inject their own `sleep`. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  retryTimeouts: false,
  sleep: realSleep,
  random: Math.random,
  now: Date.now,
};

/** Defaults overlaid with the given fields (fields set to undefined keep the default). */
export function retryPolicy(
  overrides: { readonly [K in keyof RetryPolicy]?: RetryPolicy[K] | undefined } = {},
): RetryPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_RETRY_POLICY, ...defined };
}

export type RetryOverrides = { readonly [K in keyof RetryPolicy]?: RetryPolicy[K] | undefined };

/**
 * Parse a Retry-After header: delta-seconds (`"3"`, `"1.5"`) or an HTTP date. Returns
 * milliseconds from `now`, never negative, or undefined when absent or unreadable.
 * `retry-after-ms` (sent by OpenAI) wins when present.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed) * 1000);
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined; // IMF-fixdate starts with the day name
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: half fixed, half random. `retry` is 1-based. */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

export function isRetryable(error: LlmError, policy: Pick<RetryPolicy, 'retryTimeouts'>): boolean {
  switch (error.code) {
    case 'unavailable':
    case 'rate_limited':
      return true;
    case 'timeout':
      return policy.retryTimeouts;
    case 'http':
      return error.status !== undefined && (error.status >= 500 || error.status === 408);
    default:
      return false;
  }
}

export interface RetryContext {
  readonly provider: string;
  readonly policy: RetryPolicy;
  readonly signal: AbortSignal | undefined;
  readonly onRetry?: (error: LlmError, delayMs: number, retry: number) => void;
}

/** Run one transport operation, retrying transient LlmErrors with backoff / Retry-After. */
export async function withTransportRetry<R>(operation: () => Promise<R>, context: RetryContext): Promise<R> {
  const { policy, signal, provider } = context;
  for (let retry = 0; ; retry++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof LlmError) || !isRetryable(error, policy) || retry >= policy.maxRetries)
        throw error;
      const delay =
        error.retryAfterMs !== undefined
          ? Math.min(error.retryAfterMs, policy.maxRetryAfterMs)
          : backoffDelay(retry + 1, policy);
      context.onRetry?.(error, delay, retry + 1);
      try {
        await policy.sleep(delay, signal);
      } catch (sleepError) {
        throw new LlmError('aborted', provider, 'cancelled by the caller while waiting to retry', {
          cause: sleepError,
        });
      }
      if (signal?.aborted) {
        throw new LlmError('aborted', provider, 'cancelled by the caller while waiting to retry', {
          cause: signal.reason,
        });
      }
    }
  }
}
