import { describe, expect, it } from 'vitest';
import { LlmError, backoffDelay, parseRetryAfter, retryPolicy, withTransportRetry } from '../src/index';
import { recordingSleep, rejection } from './helpers';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds, fractions, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:10 GMT' }), NOW)).toBe(
      10_000,
    );
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }), NOW)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '9', 'retry-after-ms': '120' }), NOW)).toBe(120);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), NOW)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-3' }), NOW)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap with jitter in the upper half', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...p, random: () => 0 }))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...p, random: () => 0.999999 }))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
});

describe('withTransportRetry', () => {
  it('retries transient errors and stops at the limit', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const error = await rejection(
      withTransportRetry(
        async () => {
          calls++;
          throw new LlmError('unavailable', 'p', 'down');
        },
        {
          provider: 'p',
          policy: retryPolicy({ sleep, maxRetries: 2, random: () => 0, baseDelayMs: 10 }),
          signal: undefined,
        },
      ),
    );
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(calls).toBe(3);
    expect(delays).toEqual([5, 10]);
  });

  it('does not retry invalid output, config errors, 4xx or (by default) timeouts', async () => {
    for (const error of [
      new LlmError('invalid_output', 'p', 'x'),
      new LlmError('config', 'p', 'x'),
      new LlmError('http', 'p', 'x', { status: 400 }),
      new LlmError('timeout', 'p', 'x'),
    ]) {
      const { sleep, delays } = recordingSleep();
      let calls = 0;
      await rejection(
        withTransportRetry(
          async () => {
            calls++;
            throw error;
          },
          { provider: 'p', policy: retryPolicy({ sleep }), signal: undefined },
        ),
      );
      expect(calls).toBe(1);
      expect(delays).toEqual([]);
    }
  });

  it('caps Retry-After', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    await withTransportRetry(
      async () => {
        if (calls++ === 0) throw new LlmError('rate_limited', 'p', 'x', { retryAfterMs: 3_600_000 });
        return 'ok';
      },
      { provider: 'p', policy: retryPolicy({ sleep, maxRetryAfterMs: 30_000 }), signal: undefined },
    );
    expect(delays).toEqual([30_000]);
  });

  it('stops waiting when the caller aborts during the backoff', async () => {
    const controller = new AbortController();
    const error = await rejection(
      withTransportRetry(
        async () => {
          throw new LlmError('unavailable', 'p', 'down');
        },
        {
          provider: 'p',
          policy: retryPolicy({ baseDelayMs: 60_000 }), // the real sleep: the abort must cut it short
          signal: controller.signal,
          onRetry: () => controller.abort(),
        },
      ),
    );
    expect(error).toMatchObject({ code: 'aborted', provider: 'p' });
  });
});
