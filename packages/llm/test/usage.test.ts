import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, UsageMeter, costUsd, findPrice, makeUsage } from '../src/index';

describe('prices', () => {
  it('finds exact ids, then the longest matching prefix', () => {
    expect(findPrice('gpt-4o-mini', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(findPrice('gpt-4o-mini-2024-07-18', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(findPrice('gpt-4o-2024-08-06', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(findPrice('llama3.1:8b', DEFAULT_PRICES)).toBeUndefined();
  });

  it('computes cost per million tokens and omits it without a price', () => {
    expect(costUsd(2_000_000, 1_000_000, { inputPerMTok: 1, outputPerMTok: 3 })).toBe(5);
    expect(makeUsage(10, 20, undefined)).toEqual({ inputTokens: 10, outputTokens: 20 });
  });
});

describe('UsageMeter', () => {
  it('sums per task and overall, counting unpriced and cached calls', () => {
    const meter = new UsageMeter();
    meter.record({
      task: 'a',
      provider: 'p',
      model: 'm',
      usage: { inputTokens: 1, outputTokens: 2, costUsd: 0.5 },
    });
    meter.record({ task: 'a', provider: 'p', model: 'm', usage: { inputTokens: 3, outputTokens: 4 } });
    meter.record({
      task: 'b',
      provider: 'p',
      model: 'm',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      cached: true,
    });
    expect(meter.forTask('a')).toEqual({
      calls: 2,
      cachedCalls: 0,
      inputTokens: 4,
      outputTokens: 6,
      costUsd: 0.5,
      unpricedCalls: 1,
    });
    expect(meter.forTask('missing').calls).toBe(0);
    expect(Object.keys(meter.byTask())).toEqual(['a', 'b']);
    expect(meter.total()).toEqual({
      calls: 3,
      cachedCalls: 1,
      inputTokens: 4,
      outputTokens: 6,
      costUsd: 0.5,
      unpricedCalls: 1,
    });
  });
});
