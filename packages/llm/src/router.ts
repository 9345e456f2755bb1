import { z } from 'zod';
import { CachedProvider, type LlmCache } from './cache';
import { LLM_ERROR_CODES, LlmError, type LlmErrorCode, type LlmFailure } from './errors';
import { OllamaProvider } from './providers/ollama';
import { OpenAiProvider } from './providers/openai';
import {
  ProceduralProvider,
  type ProceduralGenerator,
  type ProceduralProviderOptions,
} from './providers/procedural';
import type { RetryPolicy } from './retry';
import type { EmbedOptions, GenerateObjectRequest, GenerateObjectResult, LlmProvider } from './types';
import { DEFAULT_PRICES, ModelPriceSchema, UsageMeter, type PriceTable } from './usage';

/** Tasks the app routes today. Any other task name falls back to the `default` route. */
export const LLM_TASKS = ['character.create', 'character.refine', 'summary', 'embed'] as const;
export type KnownLlmTask = (typeof LLM_TASKS)[number];

const Id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "_" or "-", starting with a letter');
const TaskName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]*$/,
    'must be lower-case letters, digits, ".", "_" or "-", starting with a letter',
  );
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const Timeout = z.number().int().positive().max(3_600_000);

export const OllamaProviderConfigSchema = z.strictObject({
  kind: z.literal('ollama'),
  host: HttpUrl.optional(),
  model: z.string().min(1),
  embedModel: z.string().min(1).optional(),
  stream: z.boolean().optional(),
  timeoutMs: Timeout.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  keepAlive: z.union([z.string(), z.number()]).optional(),
});

export const OpenAiProviderConfigSchema = z
  .strictObject({
    kind: z.literal('openai'),
    baseURL: HttpUrl.optional(),
    apiKey: z.string().min(1).optional(),
    model: z.string().min(1),
    embedModel: z.string().min(1).optional(),
    strict: z.boolean().optional(),
    stream: z.boolean().optional(),
    maxTokensParam: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    timeoutMs: Timeout.optional(),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .refine((c) => c.apiKey !== undefined || c.baseURL !== undefined, {
    message: 'needs apiKey (for api.openai.com) or baseURL (for a compatible server)',
    path: ['apiKey'],
  });

export const OfflineProviderConfigSchema = z.strictObject({
  kind: z.literal('offline'),
  model: z.string().min(1).optional(),
});

export const ProviderConfigSchema = z.discriminatedUnion('kind', [
  OllamaProviderConfigSchema,
  OpenAiProviderConfigSchema,
  OfflineProviderConfigSchema,
]);

export const RouteTargetSchema = z.strictObject({
  provider: Id,
  /** Overrides the provider's configured model for this task. */
  model: z.string().min(1).optional(),
});

export const RouteSchema = z.strictObject({
  provider: Id,
  model: z.string().min(1).optional(),
  /** Tried in order when the previous provider fails with a `fallbackOn` code. */
  fallback: z.array(RouteTargetSchema).default([]),
});

export const LlmConfigSchema = z
  .strictObject({
    providers: z.record(Id, ProviderConfigSchema),
    /** task → route. `default` is required and serves every task without its own route. */
    routes: z.record(TaskName, RouteSchema),
    retry: z
      .strictObject({
        maxRetries: z.number().int().min(0).max(10),
        baseDelayMs: z.number().int().min(0),
        maxDelayMs: z.number().int().min(0),
        maxRetryAfterMs: z.number().int().min(0),
        retryTimeouts: z.boolean(),
      })
      .partial()
      .optional(),
    /** Extra or overriding prices, USD per million tokens, by model id. */
    prices: z.record(z.string().min(1), ModelPriceSchema).optional(),
    /** Error codes that move on to the next provider in the chain. */
    fallbackOn: z
      .array(z.enum(LLM_ERROR_CODES as [LlmErrorCode, ...LlmErrorCode[]]))
      .default(['unavailable', 'timeout', 'rate_limited']),
  })
  .superRefine((config, ctx) => {
    if (!config.routes.default) {
      ctx.addIssue({ code: 'custom', path: ['routes', 'default'], message: 'a default route is required' });
    }
    for (const [task, route] of Object.entries(config.routes)) {
      const targets = [{ provider: route.provider, path: ['routes', task, 'provider'] }].concat(
        route.fallback.map((f, i) => ({
          provider: f.provider,
          path: ['routes', task, 'fallback', String(i), 'provider'],
        })),
      );
      for (const target of targets) {
        if (!(target.provider in config.providers)) {
          ctx.addIssue({
            code: 'custom',
            path: target.path,
            message: `unknown provider "${target.provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})`,
          });
        }
      }
    }
  });

export type LlmConfigInput = z.input<typeof LlmConfigSchema>;
export type LlmConfig = z.output<typeof LlmConfigSchema>;
export type ProviderConfig = z.output<typeof ProviderConfigSchema>;
export type RouteTarget = z.output<typeof RouteTargetSchema>;

/** Parse a config; every problem is listed as `path: reason` in one `config` LlmError. */
export function parseLlmConfig(input: unknown): LlmConfig {
  const parsed = LlmConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    // A bad record key nests the reason one level down.
    const nested = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join(', ') : '';
    return `${path}: ${nested ? `invalid name (${nested})` : issue.message}`;
  });
  throw new LlmError('config', 'router', `invalid LLM config: ${lines.join('; ')}`, { cause: parsed.error });
}

export interface RoutedResult<T> extends GenerateObjectResult<T> {
  readonly task: string;
  /** Providers that failed before the one that answered, in order. */
  readonly fallbacks: readonly LlmFailure[];
}

export interface RoutedEmbeddings {
  readonly embeddings: number[][];
  readonly provider: string;
  readonly model: string;
  readonly fallbacks: readonly LlmFailure[];
}

export interface LlmRouterOptions {
  readonly config: LlmConfigInput | LlmConfig;
  /** The deterministic generator behind `kind: 'offline'` providers (core supplies the real one). */
  readonly offline?: ProceduralGenerator | ProceduralProviderOptions;
  readonly cache?: LlmCache;
  readonly meter?: UsageMeter;
  /** Injectables for the transport retry (tests pass a `sleep` that does not wait). */
  readonly retry?: Partial<Pick<RetryPolicy, 'sleep' | 'random' | 'now'>>;
  /** Ready-made providers by id, used instead of building one from the config (model overrides aside). */
  readonly providers?: Readonly<Record<string, LlmProvider>>;
}

/**
 * Maps tasks to providers. `generateObject(task, request)` runs the task's chain: the routed
 * provider, then each fallback while failures carry a `fallbackOn` code (never `aborted`).
 * The result names the provider and model that answered; usage goes to the meter per task.
 */
export class LlmRouter {
  readonly config: LlmConfig;
  readonly meter: UsageMeter;
  readonly #options: LlmRouterOptions;
  readonly #instances = new Map<string, LlmProvider>();
  readonly #prices: PriceTable;

  constructor(options: LlmRouterOptions) {
    this.config = parseLlmConfig(options.config);
    this.meter = options.meter ?? new UsageMeter();
    this.#options = options;
    this.#prices = { ...DEFAULT_PRICES, ...(this.config.prices ?? {}) };
    for (const [id, provider] of Object.entries(this.config.providers)) {
      if (provider.kind === 'offline' && !options.offline && !options.providers?.[id]) {
        throw new LlmError(
          'config',
          'router',
          `provider "${id}" is offline but no offline generator was given`,
        );
      }
    }
  }

  /** The ordered chain for a task (its route, else `default`). */
  chain(task: string): readonly RouteTarget[] {
    const route = this.config.routes[task] ?? this.config.routes.default;
    if (!route) throw new LlmError('config', 'router', `no route for task "${task}" and no default route`);
    const head: RouteTarget =
      route.model === undefined
        ? { provider: route.provider }
        : { provider: route.provider, model: route.model };
    return [head, ...route.fallback];
  }

  /** The provider instance for a target (built once per provider id + model). */
  provider(target: RouteTarget): LlmProvider {
    const key = `${target.provider}\u0000${target.model ?? ''}`;
    const existing = this.#instances.get(key);
    if (existing) return existing;
    let provider = this.#build(target);
    if (this.#options.cache) provider = new CachedProvider(provider, this.#options.cache);
    this.#instances.set(key, provider);
    return provider;
  }

  #build(target: RouteTarget): LlmProvider {
    const ready = this.#options.providers?.[target.provider];
    const config = this.config.providers[target.provider];
    if (ready && (target.model === undefined || target.model === ready.model)) return ready;
    if (!config) throw new LlmError('config', 'router', `unknown provider "${target.provider}"`);
    const retry = { ...(this.config.retry ?? {}), ...(this.#options.retry ?? {}) };
    const model =
      target.model ?? ('model' in config && config.model !== undefined ? config.model : undefined);
    switch (config.kind) {
      case 'ollama':
        return new OllamaProvider({
          ...config,
          id: target.provider,
          model: model ?? config.model,
          retry,
          prices: this.config.prices ?? {},
        });
      case 'openai':
        return new OpenAiProvider({
          ...config,
          id: target.provider,
          model: model ?? config.model,
          retry,
          prices: this.#prices,
        });
      case 'offline': {
        const offline = this.#options.offline;
        if (!offline)
          throw new LlmError(
            'config',
            'router',
            `provider "${target.provider}" is offline but no offline generator was given`,
          );
        const base = typeof offline === 'function' ? { generate: offline } : offline;
        return new ProceduralProvider({
          ...base,
          id: target.provider,
          ...(model === undefined ? {} : { model }),
        });
      }
    }
  }

  async #run<R>(
    task: string,
    signal: AbortSignal | undefined,
    call: (provider: LlmProvider) => Promise<R>,
  ): Promise<{ result: R; provider: LlmProvider; fallbacks: LlmFailure[] }> {
    const fallbacks: LlmFailure[] = [];
    let last: LlmError | undefined;
    for (const target of this.chain(task)) {
      const provider = this.provider(target);
      try {
        return { result: await call(provider), provider, fallbacks };
      } catch (error) {
        const llmError =
          error instanceof LlmError
            ? error
            : new LlmError('http', provider.id, String(error), { cause: error });
        if (
          signal?.aborted ||
          llmError.code === 'aborted' ||
          !this.config.fallbackOn.includes(llmError.code)
        ) {
          throw llmError;
        }
        fallbacks.push({
          provider: provider.id,
          model: provider.model,
          code: llmError.code,
          message: llmError.message,
        });
        last = llmError;
      }
    }
    if (last && fallbacks.length === 1) throw last;
    const summary = fallbacks.map((f) => `${f.model} → ${f.message}`).join('; ');
    throw new LlmError(
      last?.code ?? 'unavailable',
      last?.provider ?? 'router',
      `every provider for task "${task}" failed: ${summary}`,
      {
        cause: last,
        failures: fallbacks,
      },
    );
  }

  async generateObject<T>(task: string, request: GenerateObjectRequest<T>): Promise<RoutedResult<T>> {
    const routed = request.task === undefined ? { ...request, task } : request;
    const { result, fallbacks } = await this.#run(task, request.signal, (p) => p.generateObject(routed));
    this.meter.record({
      task,
      provider: result.provider,
      model: result.model,
      usage: result.usage,
      ...(result.cached ? { cached: true } : {}),
    });
    return { ...result, task, fallbacks };
  }

  async embed(
    texts: readonly string[],
    options: EmbedOptions & { task?: string } = {},
  ): Promise<RoutedEmbeddings> {
    const task = options.task ?? 'embed';
    const { result, provider, fallbacks } = await this.#run(task, options.signal, (p) =>
      p.embed(texts, options),
    );
    const embedModel = (provider as { embedModel?: string }).embedModel ?? provider.model;
    return { embeddings: result, provider: provider.id, model: embedModel, fallbacks };
  }
}
