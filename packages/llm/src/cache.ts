import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toJsonSchema } from './schema';
import type { EmbedOptions, GenerateObjectRequest, GenerateObjectResult, LlmProvider } from './types';

/** Response cache port. Core implements it on SQLite; InMemoryLlmCache serves tests. */
export interface LlmCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export class InMemoryLlmCache implements LlmCache {
  readonly entries = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
  }
}

/** Only deterministic requests are cached: temperature 0, or a fixed seed. */
export function isCacheable(request: { readonly temperature?: number; readonly seed?: number }): boolean {
  return request.temperature === 0 || request.seed !== undefined;
}

/** JSON with object keys sorted at every level, so equal values always hash alike. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const CACHE_KEY_VERSION = 1;

/** sha256 over everything that shapes the answer: provider, model, schema, prompt, sampling. */
export function cacheKey(provider: string, model: string, request: GenerateObjectRequest<unknown>): string {
  const material = stableStringify({
    v: CACHE_KEY_VERSION,
    provider,
    model,
    schema: toJsonSchema(request.schema),
    schemaName: request.schemaName,
    system: request.system,
    messages: request.messages,
    temperature: request.temperature,
    seed: request.seed,
    maxTokens: request.maxTokens,
  });
  return createHash('sha256').update(material).digest('hex');
}

const StoredSchema = z.object({
  v: z.literal(CACHE_KEY_VERSION),
  object: z.unknown(),
  raw: z.string(),
  provider: z.string(),
  model: z.string(),
});

export interface CachedProviderOptions {
  /** Called when the cache itself fails; the request then proceeds uncached. */
  readonly onCacheError?: (error: unknown, operation: 'get' | 'set') => void;
}

/**
 * Decorator: serves deterministic requests from an LlmCache. A hit makes no model call and
 * reports zero usage, `attempts: 0`, `cached: true`. Stored objects are re-validated with the
 * schema; a stored value that no longer parses counts as a miss. Cache failures never fail a request.
 */
export class CachedProvider implements LlmProvider {
  readonly id: string;
  readonly model: string;

  constructor(
    readonly inner: LlmProvider,
    readonly cache: LlmCache,
    readonly options: CachedProviderOptions = {},
  ) {
    this.id = inner.id;
    this.model = inner.model;
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    if (!isCacheable(request)) return this.inner.generateObject(request);
    const key = cacheKey(this.id, this.model, request as GenerateObjectRequest<unknown>);
    let stored: string | undefined;
    try {
      stored = await this.cache.get(key);
    } catch (error) {
      this.options.onCacheError?.(error, 'get');
    }
    if (stored !== undefined) {
      const hit = this.#decode(stored, request);
      if (hit) return hit;
    }
    const result = await this.inner.generateObject(request);
    try {
      await this.cache.set(
        key,
        JSON.stringify({
          v: CACHE_KEY_VERSION,
          object: result.object,
          raw: result.raw,
          provider: result.provider,
          model: result.model,
        }),
      );
    } catch (error) {
      this.options.onCacheError?.(error, 'set');
    }
    return result;
  }

  #decode<T>(stored: string, request: GenerateObjectRequest<T>): GenerateObjectResult<T> | undefined {
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch {
      return undefined;
    }
    const envelope = StoredSchema.safeParse(json);
    if (!envelope.success) return undefined;
    const parsed = request.schema.safeParse(envelope.data.object);
    if (!parsed.success) return undefined;
    return {
      object: parsed.data,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      attempts: 0,
      raw: envelope.data.raw,
      provider: envelope.data.provider,
      model: envelope.data.model,
      cached: true,
    };
  }

  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]> {
    return this.inner.embed(texts, options);
  }
}
