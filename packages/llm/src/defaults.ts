import { Ollama } from 'ollama';
import { DEFAULT_OLLAMA_HOST } from './providers/ollama';
import type { LlmConfigInput } from './router';

export interface OllamaProbeResult {
  readonly up: boolean;
  /** Model names from `/api/tags` (empty when down). */
  readonly models: readonly string[];
}

export interface OllamaProbeOptions {
  /** Deadline for `/api/tags`. Default 750 ms: a local server answers in a few ms. */
  readonly timeoutMs?: number;
  /** How long a result is reused. Default 30 s. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** Asks `/api/tags` whether Ollama answers; remembers the answer per host for `ttlMs`. */
export class OllamaProbe {
  readonly #cache = new Map<string, { at: number; result: Promise<OllamaProbeResult> }>();
  readonly #timeoutMs: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Number of HTTP probes actually sent (for tests and diagnostics). */
  probes = 0;

  constructor(options: OllamaProbeOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 750;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  check(host: string = DEFAULT_OLLAMA_HOST): Promise<OllamaProbeResult> {
    const cached = this.#cache.get(host);
    const now = this.#now();
    if (cached && now - cached.at < this.#ttlMs) return cached.result;
    const result = this.#probe(host);
    this.#cache.set(host, { at: now, result });
    return result;
  }

  forget(host?: string): void {
    if (host === undefined) this.#cache.clear();
    else this.#cache.delete(host);
  }

  async #probe(host: string): Promise<OllamaProbeResult> {
    this.probes++;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const client = new Ollama({ host, fetch: (input, init) => fetch(input, { ...init, signal }) });
      const list = await client.list();
      return { up: true, models: (list.models ?? []).map((m) => m.name) };
    } catch {
      return { up: false, models: [] };
    }
  }
}

export interface DefaultRoutingOptions {
  readonly ollamaHost?: string | undefined;
  /** Chat model for Ollama. Default: the first non-embedding model `/api/tags` lists. */
  readonly ollamaModel?: string | undefined;
  readonly ollamaEmbedModel?: string | undefined;
  readonly openaiApiKey?: string | undefined;
  readonly openaiBaseURL?: string | undefined;
  /** Default `gpt-4o-mini`. */
  readonly openaiModel?: string | undefined;
  readonly openaiEmbedModel?: string | undefined;
  /** Tasks OpenAI takes when configured. Default: all of them (the default route). */
  readonly openaiTasks?: readonly string[] | undefined;
  readonly probe?: OllamaProbe | undefined;
}

export interface DefaultRouting {
  readonly config: LlmConfigInput;
  readonly ollama: OllamaProbeResult;
  /** Why the config looks the way it does, for logs and the settings screen. */
  readonly notes: readonly string[];
}

const EMBEDDING_NAME = /embed|bge|minilm|e5-/i;

/**
 * The routing of the design card: Ollama (when `/api/tags` answers and lists a chat model)
 * before the offline generator; a configured OpenAI key or base URL takes its tasks first,
 * with Ollama and offline as fallbacks. Offline is always last, so a task always has an answer.
 */
export async function defaultLlmConfig(options: DefaultRoutingOptions = {}): Promise<DefaultRouting> {
  const host = options.ollamaHost ?? DEFAULT_OLLAMA_HOST;
  const probe = options.probe ?? new OllamaProbe();
  const ollama = await probe.check(host);
  const notes: string[] = [];
  const providers: NonNullable<LlmConfigInput['providers']> = { offline: { kind: 'offline' } };

  let ollamaModel = options.ollamaModel;
  if (ollama.up && ollamaModel === undefined)
    ollamaModel = ollama.models.find((m) => !EMBEDDING_NAME.test(m));
  const useOllama = ollama.up && ollamaModel !== undefined;
  if (useOllama && ollamaModel !== undefined) {
    providers.ollama = {
      kind: 'ollama',
      host,
      model: ollamaModel,
      ...(options.ollamaEmbedModel ? { embedModel: options.ollamaEmbedModel } : {}),
    };
    notes.push(`ollama answers at ${host}; using ${ollamaModel}`);
  } else if (ollama.up) {
    notes.push(`ollama answers at ${host} but lists no chat model; using the offline generator`);
  } else {
    notes.push(`ollama does not answer at ${host}; using the offline generator`);
  }

  const useOpenAi = options.openaiApiKey !== undefined || options.openaiBaseURL !== undefined;
  if (useOpenAi) {
    providers.openai = {
      kind: 'openai',
      model: options.openaiModel ?? 'gpt-4o-mini',
      ...(options.openaiApiKey ? { apiKey: options.openaiApiKey } : {}),
      ...(options.openaiBaseURL ? { baseURL: options.openaiBaseURL } : {}),
      ...(options.openaiEmbedModel ? { embedModel: options.openaiEmbedModel } : {}),
    };
    notes.push(
      `openai configured (${options.openaiBaseURL ?? 'api.openai.com'}) for ${options.openaiTasks?.join(', ') ?? 'all tasks'}`,
    );
  }

  const local = useOllama ? ['ollama', 'offline'] : ['offline'];
  const chainFor = (ids: readonly string[]) => {
    const [head, ...rest] = ids;
    return { provider: head ?? 'offline', fallback: rest.map((provider) => ({ provider })) };
  };
  const routes: NonNullable<LlmConfigInput['routes']> = {};
  if (useOpenAi && options.openaiTasks === undefined) {
    routes.default = chainFor(['openai', ...local]);
  } else {
    routes.default = chainFor(local);
    if (useOpenAi)
      for (const task of options.openaiTasks ?? []) routes[task] = chainFor(['openai', ...local]);
  }
  return { config: { providers, routes }, ollama, notes };
}
