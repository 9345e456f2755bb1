import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CachedProvider,
  InMemoryLlmCache,
  ProceduralProvider,
  cacheKey,
  isCacheable,
  stableStringify,
  type GenerateObjectRequest,
  type LlmCache,
} from '../src/index';
import { GOOD_HERO, HeroSchema, MESSAGES, SYSTEM } from './helpers';

const base: GenerateObjectRequest<unknown> = {
  schema: HeroSchema,
  system: SYSTEM,
  messages: MESSAGES,
  temperature: 0,
};

describe('cache keys', () => {
  it('are stable regardless of key order', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(cacheKey('p', 'm', base)).toBe(cacheKey('p', 'm', { ...base }));
    expect(cacheKey('p', 'm', base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with provider, model, schema, prompt, temperature and seed', () => {
    const keys = new Set([
      cacheKey('p', 'm', base),
      cacheKey('q', 'm', base),
      cacheKey('p', 'n', base),
      cacheKey('p', 'm', { ...base, schema: z.object({ other: z.string() }) }),
      cacheKey('p', 'm', { ...base, system: 'different' }),
      cacheKey('p', 'm', { ...base, messages: [{ role: 'user', content: 'x' }] }),
      cacheKey('p', 'm', { ...base, temperature: 0.1 }),
      cacheKey('p', 'm', { ...base, seed: 3 }),
    ]);
    expect(keys.size).toBe(8);
  });

  it('are only used for deterministic requests', () => {
    expect(isCacheable({ temperature: 0 })).toBe(true);
    expect(isCacheable({ seed: 1, temperature: 0.9 })).toBe(true);
    expect(isCacheable({ temperature: 0.9 })).toBe(false);
    expect(isCacheable({})).toBe(false);
  });
});

describe('CachedProvider', () => {
  function counting() {
    let calls = 0;
    const inner = new ProceduralProvider({
      generate: () => {
        calls++;
        return GOOD_HERO;
      },
    });
    return { inner, calls: () => calls };
  }

  it('serves a hit without calling the provider and reports it as cached', async () => {
    const { inner, calls } = counting();
    const cached = new CachedProvider(inner, new InMemoryLlmCache());
    const first = await cached.generateObject({ ...base, schema: HeroSchema });
    const second = await cached.generateObject({ ...base, schema: HeroSchema });
    expect(calls()).toBe(1);
    expect(first.cached).toBeUndefined();
    expect(second).toMatchObject({ cached: true, attempts: 0, object: GOOD_HERO, provider: 'offline' });
  });

  it('treats a corrupt or no-longer-valid entry as a miss', async () => {
    const { inner, calls } = counting();
    const cache = new InMemoryLlmCache();
    const cached = new CachedProvider(inner, cache);
    const request = { ...base, schema: HeroSchema };
    const key = cacheKey('offline', 'procedural', request as GenerateObjectRequest<unknown>);
    await cache.set(key, 'not json');
    await cached.generateObject(request);
    await cache.set(
      key,
      JSON.stringify({ v: 1, object: { name: 5 }, raw: '', provider: 'offline', model: 'procedural' }),
    );
    const result = await cached.generateObject(request);
    expect(calls()).toBe(2);
    expect(result.object).toEqual(GOOD_HERO);
  });

  it('keeps working when the cache fails', async () => {
    const { inner, calls } = counting();
    const errors: string[] = [];
    const broken: LlmCache = {
      get: () => Promise.reject(new Error('disk gone')),
      set: () => Promise.reject(new Error('disk gone')),
    };
    const cached = new CachedProvider(inner, broken, { onCacheError: (_e, op) => errors.push(op) });
    const result = await cached.generateObject({ ...base, schema: HeroSchema });
    expect(result.object).toEqual(GOOD_HERO);
    expect(calls()).toBe(1);
    expect(errors).toEqual(['get', 'set']);
  });
});
