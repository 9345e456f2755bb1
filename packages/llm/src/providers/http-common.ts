import { LlmError, describeCause } from '../errors';
import { parseRetryAfter } from '../retry';
import { classifyNetworkError } from '../structured';

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
