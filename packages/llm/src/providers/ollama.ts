import { Ollama, type ChatResponse, type Message, type Options } from 'ollama';
import { LlmError } from '../errors';
import { retryPolicy, type RetryPolicy } from '../retry';
import { toJsonSchema, wireSchemaName } from '../schema';
import { classifyNetworkError, runStructured, type Completion, type CompletionInput } from '../structured';
import type { EmbedOptions, GenerateObjectRequest, GenerateObjectResult, LlmProvider } from '../types';
import { findPrice, type ModelPrice } from '../usage';
import {
  AnswerMeter,
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  capResponseBody,
  chatMessages,
  checkAnswerBounds,
  checkUrl,
  embedRequest,
  errorForStatus,
  type HttpProviderOptions,
} from './http-common';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/**
 * Defaults: id `ollama`, embedModel `nomic-embed-text`, timeoutMs 120 s (local models can be slow
 * to load). Local models are free; a price in `prices` (e.g. for a hosted Ollama) overrides that.
 */
export interface OllamaProviderOptions extends HttpProviderOptions {
  readonly host?: string | undefined;
  /** Stream the answer (NDJSON) to emit `streaming` progress events. Default true. */
  readonly stream?: boolean | undefined;
  readonly keepAlive?: string | number | undefined;
}

interface ResponseErrorLike {
  readonly name: string;
  readonly error: string;
  readonly status_code: number;
}

function isResponseError(error: unknown): error is ResponseErrorLike {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as Partial<ResponseErrorLike>).status_code === 'number'
  );
}

/** Ollama through the official `ollama` client: `/api/chat` with `format` = JSON schema, `/api/embed`. */
export class OllamaProvider implements LlmProvider {
  readonly id: string;
  readonly model: string;
  readonly host: string;
  readonly embedModel: string;
  readonly #options: OllamaProviderOptions;
  readonly #policy: RetryPolicy;
  readonly #price: ModelPrice;

  constructor(options: OllamaProviderOptions) {
    this.id = options.id ?? 'ollama';
    if (!options.model) throw new LlmError('config', this.id, 'model is required');
    this.model = options.model;
    this.host = checkUrl(this.id, 'host', options.host ?? DEFAULT_OLLAMA_HOST);
    this.embedModel = options.embedModel ?? 'nomic-embed-text';
    this.#options = options;
    this.#policy = retryPolicy(options.retry);
    this.#price = findPrice(this.model, options.prices ?? {}) ?? { inputPerMTok: 0, outputPerMTok: 0 };
  }

  /**
   * A client whose fetch carries our deadline/abort signal (the ollama client takes no signal
   * for non-streamed calls) and remembers the last response headers (for Retry-After).
   */
  #client(signal: AbortSignal, seen: { headers?: Headers }): Ollama {
    const fetchWithSignal: typeof fetch = async (input, init) => {
      const signals = init?.signal ? [signal, init.signal] : [signal];
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      seen.headers = response.headers;
      return capResponseBody(
        this.id,
        await jsonErrorBody(response),
        this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      );
    };
    return new Ollama({
      host: this.host,
      fetch: fetchWithSignal,
      ...(this.#options.headers ? { headers: { ...this.#options.headers } } : {}),
    });
  }

  #classify(seen: { headers?: Headers }) {
    return (error: unknown): LlmError => {
      if (isResponseError(error)) {
        return errorForStatus(
          this.id,
          error.status_code,
          error.error,
          seen.headers,
          this.#policy.now(),
          error,
        );
      }
      return classifyNetworkError(this.id, error);
    };
  }

  async #complete(input: CompletionInput, seen: { headers?: Headers }): Promise<Completion> {
    const client = this.#client(input.signal, seen);
    const messages: Message[] = chatMessages(input);
    const options: Partial<Options> = {};
    if (input.temperature !== undefined) options.temperature = input.temperature;
    if (input.seed !== undefined) options.seed = input.seed;
    if (input.maxTokens !== undefined) options.num_predict = input.maxTokens;
    const base = {
      model: this.model,
      messages,
      format: input.wireSchema,
      options,
      ...(this.#options.keepAlive === undefined ? {} : { keep_alive: this.#options.keepAlive }),
    };

    let final: ChatResponse;
    let text = '';
    const meter = new AnswerMeter(this.id, this.#options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
    if (this.#options.stream ?? true) {
      const stream = await client.chat({ ...base, stream: true });
      let chunks = 0;
      let last: ChatResponse | undefined;
      for await (const part of stream) {
        if (part.message?.content) {
          try {
            meter.add(part.message.content);
          } catch (error) {
            stream.abort();
            throw error;
          }
          text += part.message.content;
          chunks++;
          input.onChunk(chunks);
        }
        last = part;
      }
      if (!last) throw new LlmError('http', this.id, 'the response stream ended without a final message');
      final = last;
    } else {
      final = await client.chat({ ...base, stream: false });
      text = final.message?.content ?? '';
      meter.add(text);
    }
    checkAnswerBounds(this.id, text);
    return {
      text,
      inputTokens: final.prompt_eval_count ?? 0,
      outputTokens: final.eval_count ?? 0,
      truncated: final.done_reason === 'length',
    };
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    const seen: { headers?: Headers } = {};
    return runStructured(request, {
      provider: this.id,
      model: this.model,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      policy: this.#policy,
      wireSchema: toJsonSchema(request.schema),
      schemaName: wireSchemaName(request.schemaName),
      price: this.#price,
      complete: (input) => this.#complete(input, seen),
      classify: this.#classify(seen),
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (texts.length === 0) return [];
    const seen: { headers?: Headers } = {};
    const response = await embedRequest(
      this.id,
      this.#policy,
      this.#options.timeoutMs,
      options,
      (signal) => this.#client(signal, seen).embed({ model: this.embedModel, input: [...texts] }),
      this.#classify(seen),
    );
    if (!Array.isArray(response.embeddings) || response.embeddings.length !== texts.length) {
      throw new LlmError(
        'http',
        this.id,
        `expected ${texts.length} embeddings from ${this.embedModel}, got ${Array.isArray(response.embeddings) ? response.embeddings.length : 'none'}`,
      );
    }
    return response.embeddings;
  }

  /** GET /api/tags within `timeoutMs`: true when the server answers 2xx. Never throws. */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    return probeOllama(this.host, { timeoutMs });
  }
}

/**
 * The ollama client logs to the console when an error body is not JSON (e.g. a proxy's HTML
 * 502 page). Re-wrap such bodies as `{ "error": text }` so the client stays quiet and the
 * text still reaches our error message.
 */
async function jsonErrorBody(response: Response): Promise<Response> {
  if (response.ok || response.headers.get('content-type')?.includes('application/json')) return response;
  const text = (await response.text()).slice(0, 500);
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ error: text || response.statusText }), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

export async function probeOllama(
  host: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 1_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const client = new Ollama({ host, fetch: (input, init) => fetch(input, { ...init, signal }) });
    await client.list();
    return true;
  } catch {
    return false;
  }
}
