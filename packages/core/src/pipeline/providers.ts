/**
 * Building the LLM router the pipeline talks to. The offline generator sits behind llm's `ProceduralProvider`
 * (router provider kind `offline`), so every provider runs through the same request, validation and provenance.
 * `provider: 'auto'` follows the design card (Ollama when it answers, else offline; an OpenAI key or base URL
 * goes first); naming a provider uses only that one, so its failure is reported, not hidden by a fallback.
 */
import {
  DEFAULT_OLLAMA_HOST,
  LlmError,
  LlmRouter,
  OllamaProbe,
  defaultLlmConfig,
  type LlmCache,
  type LlmConfigInput,
  type RetryPolicy,
} from '@loreforge/llm';
import type { Content } from '@loreforge/rules-5e';
import { proceduralGenerator } from './offline';

export const PROVIDER_CHOICES = ['auto', 'offline', 'ollama', 'openai'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];

export interface PipelineRouterOptions {
  readonly provider?: ProviderChoice;
  readonly model?: string | undefined;
  readonly ollamaHost?: string | undefined;
  readonly openaiBaseURL?: string | undefined;
  readonly openaiApiKey?: string | undefined;
  /** Per-HTTP-request deadline for model providers. */
  readonly timeoutMs?: number | undefined;
  readonly cache?: LlmCache | undefined;
  /** Transport retry settings (`maxRetries`, `baseDelayMs`, …) and injectables (`sleep`) for tests. */
  readonly retry?: NonNullable<LlmConfigInput['retry']> | undefined;
  readonly retryHooks?: Partial<Pick<RetryPolicy, 'sleep' | 'random' | 'now'>> | undefined;
  readonly probe?: OllamaProbe | undefined;
}

export interface PipelineRouter {
  readonly router: LlmRouter;
  /** Why the routing looks the way it does (for logs and `--json` output). */
  readonly notes: readonly string[];
}

const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
const EMBEDDING_NAME = /embed|bge|minilm|e5-/i;

export async function createPipelineRouter(
  content: Content,
  options: PipelineRouterOptions = {},
): Promise<PipelineRouter> {
  const provider = options.provider ?? 'auto';
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  let config: LlmConfigInput;
  let notes: readonly string[];
  switch (provider) {
    case 'offline':
      config = {
        providers: { offline: { kind: 'offline', ...(options.model ? { model: options.model } : {}) } },
        routes: { default: { provider: 'offline' } },
      };
      notes = ['offline generator (asked for)'];
      break;
    case 'ollama': {
      const host = options.ollamaHost ?? DEFAULT_OLLAMA_HOST;
      let model = options.model;
      if (model === undefined) {
        const probe = await (options.probe ?? new OllamaProbe()).check(host);
        if (!probe.up) throw new LlmError('unavailable', 'ollama', `no answer from ${host}/api/tags`);
        model = probe.models.find((m) => !EMBEDDING_NAME.test(m));
        if (model === undefined)
          throw new LlmError('config', 'ollama', `${host} lists no chat model; pass --model or pull one`);
      }
      config = {
        providers: { ollama: { kind: 'ollama', host, model, ...timeout } },
        routes: { default: { provider: 'ollama' } },
      };
      notes = [`ollama at ${host}, model ${model} (asked for)`];
      break;
    }
    case 'openai':
      config = {
        providers: {
          openai: {
            kind: 'openai',
            model: options.model ?? DEFAULT_OPENAI_MODEL,
            ...(options.openaiBaseURL ? { baseURL: options.openaiBaseURL } : {}),
            ...(options.openaiApiKey ? { apiKey: options.openaiApiKey } : {}),
            ...timeout,
          },
        },
        routes: { default: { provider: 'openai' } },
      };
      notes = [
        `openai at ${options.openaiBaseURL ?? 'api.openai.com'}, model ${options.model ?? DEFAULT_OPENAI_MODEL} (asked for)`,
      ];
      break;
    case 'auto': {
      const routing = await defaultLlmConfig({
        ollamaHost: options.ollamaHost,
        ollamaModel: options.model,
        openaiApiKey: options.openaiApiKey,
        openaiBaseURL: options.openaiBaseURL,
        openaiModel: options.model,
        probe: options.probe,
      });
      config = routing.config;
      notes = routing.notes;
      break;
    }
    default:
      throw new LlmError(
        'config',
        'router',
        `provider "${String(provider)}": expected one of ${PROVIDER_CHOICES.join(', ')}`,
      );
  }
  if (options.retry) config = { ...config, retry: options.retry };
  const router = new LlmRouter({
    config,
    offline: { generate: proceduralGenerator(content), id: 'offline' },
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.retryHooks ? { retry: options.retryHooks } : {}),
  });
  return { router, notes };
}
