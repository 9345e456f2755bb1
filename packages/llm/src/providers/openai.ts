import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { LlmError } from '../errors';
import { retryPolicy, type RetryPolicy } from '../retry';
import {
  StrictSchemaError,
  toJsonSchema,
  toStrictJsonSchema,
  wireSchemaName,
  type JsonSchema,
} from '../schema';
import { classifyNetworkError, runStructured, type Completion, type CompletionInput } from '../structured';
import type { EmbedOptions, GenerateObjectRequest, GenerateObjectResult, LlmProvider } from '../types';
import { DEFAULT_PRICES, findPrice, type PriceTable } from '../usage';
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

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Defaults: id `openai`, embedModel `text-embedding-3-small`, timeoutMs 120 s, prices DEFAULT_PRICES. */
export interface OpenAiProviderOptions extends HttpProviderOptions {
  /** Any OpenAI-compatible server (LM Studio, vLLM, llama.cpp server, OpenRouter...). */
  readonly baseURL?: string | undefined;
  /** Required for api.openai.com; optional for a custom base URL (a placeholder is sent). */
  readonly apiKey?: string | undefined;
  /** `json_schema` strict mode (default true). Turn off for schemas strict mode cannot express. */
  readonly strict?: boolean | undefined;
  /** Stream (SSE) to emit `streaming` progress events. Default false (not every server supports usage in streams). */
  readonly stream?: boolean | undefined;
  /** Name of the output-limit field. Default `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
  readonly maxTokensParam?: 'max_tokens' | 'max_completion_tokens' | undefined;
}

/** OpenAI (or any compatible server) through the official `openai` client, structured outputs via `json_schema`. */
export class OpenAiProvider implements LlmProvider {
  readonly id: string;
  readonly model: string;
  readonly baseURL: string;
  readonly embedModel: string;
  readonly #client: OpenAI;
  readonly #options: OpenAiProviderOptions;
  readonly #policy: RetryPolicy;
  readonly #prices: PriceTable;

  constructor(options: OpenAiProviderOptions) {
    this.id = options.id ?? 'openai';
    if (!options.model) throw new LlmError('config', this.id, 'model is required');
    this.model = options.model;
    this.baseURL = checkUrl(this.id, 'baseURL', options.baseURL ?? DEFAULT_OPENAI_BASE_URL);
    if (!options.apiKey && options.baseURL === undefined) {
      throw new LlmError(
        'config',
        this.id,
        'apiKey is required for api.openai.com (or set baseURL for a local server)',
      );
    }
    this.embedModel = options.embedModel ?? 'text-embedding-3-small';
    this.#options = options;
    this.#policy = retryPolicy(options.retry);
    this.#prices = options.prices ?? DEFAULT_PRICES;
    this.#client = new OpenAI({
      apiKey: options.apiKey || 'no-key',
      baseURL: this.baseURL,
      organization: null,
      project: null,
      maxRetries: 0, // retries are ours: injectable sleep, Retry-After cap, one policy for all providers
      timeout: 24 * 60 * 60 * 1000, // deadlines are ours too (AbortSignal), so the client never times out first
      // Every response body is cut at maxResponseBytes (a runaway server cannot exhaust memory).
      fetch: async (input, init) =>
        capResponseBody(
          this.id,
          await fetch(input, init),
          options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        ),
      ...(options.headers ? { defaultHeaders: { ...options.headers } } : {}),
    });
  }

  #classify = (error: unknown): LlmError => {
    if (error instanceof APIConnectionTimeoutError) {
      return new LlmError('timeout', this.id, error.message, { cause: error });
    }
    if (error instanceof APIUserAbortError) {
      return new LlmError('aborted', this.id, 'request aborted', { cause: error });
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const detail = (error.error as { message?: unknown } | undefined)?.message;
      return errorForStatus(
        this.id,
        error.status,
        typeof detail === 'string' ? detail : error.message,
        error.headers,
        this.#policy.now(),
        error,
      );
    }
    return classifyNetworkError(this.id, error);
  };

  #wireSchema(request: GenerateObjectRequest<unknown>): {
    schema: JsonSchema;
    restore?: (value: unknown) => unknown;
  } {
    if (this.#options.strict === false) return { schema: toJsonSchema(request.schema) };
    try {
      return toStrictJsonSchema(request.schema);
    } catch (error) {
      if (error instanceof StrictSchemaError) {
        throw new LlmError('config', this.id, `schema cannot be used in strict mode at ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async #complete(input: CompletionInput): Promise<Completion> {
    const body: ChatCompletionCreateParamsBase = {
      model: this.model,
      messages: chatMessages(input),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: input.schemaName,
          strict: this.#options.strict ?? true,
          schema: input.wireSchema,
        },
      },
    };
    if (input.temperature !== undefined) body.temperature = input.temperature;
    if (input.seed !== undefined) body.seed = input.seed;
    if (input.maxTokens !== undefined) {
      const param =
        this.#options.maxTokensParam ??
        (this.#options.baseURL === undefined ? 'max_completion_tokens' : 'max_tokens');
      body[param] = input.maxTokens;
    }
    const requestOptions = { signal: input.signal, maxRetries: 0 };

    if (this.#options.stream) {
      const stream = await this.#client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        requestOptions,
      );
      let text = '';
      let refusal = '';
      let chunks = 0;
      const meter = new AnswerMeter(this.id, this.#options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
      let finish: string | null | undefined;
      let inputTokens = 0;
      let outputTokens = 0;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice?.delta?.content) {
          try {
            meter.add(choice.delta.content);
          } catch (error) {
            stream.controller.abort();
            throw error;
          }
          text += choice.delta.content;
          chunks++;
          input.onChunk(chunks);
        }
        if (choice?.delta?.refusal) refusal += choice.delta.refusal;
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) {
          inputTokens = chunk.usage.prompt_tokens;
          outputTokens = chunk.usage.completion_tokens;
        }
      }
      checkAnswerBounds(this.id, text);
      return {
        text,
        inputTokens,
        outputTokens,
        truncated: finish === 'length',
        ...(refusal ? { refusal } : {}),
      };
    }

    const completion = await this.#client.chat.completions.create({ ...body, stream: false }, requestOptions);
    const choice = completion.choices[0];
    if (!choice) throw new LlmError('http', this.id, 'the response had no choices');
    new AnswerMeter(this.id, this.#options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES).add(
      choice.message.content ?? '',
    );
    checkAnswerBounds(this.id, choice.message.content ?? '');
    return {
      text: choice.message.content ?? '',
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      truncated: choice.finish_reason === 'length',
      ...(choice.message.refusal ? { refusal: choice.message.refusal } : {}),
    };
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    const wire = this.#wireSchema(request as GenerateObjectRequest<unknown>);
    return runStructured(request, {
      provider: this.id,
      model: this.model,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      policy: this.#policy,
      wireSchema: wire.schema,
      schemaName: wireSchemaName(request.schemaName),
      ...(wire.restore ? { restore: wire.restore } : {}),
      price: findPrice(this.model, this.#prices),
      complete: (input) => this.#complete(input),
      classify: this.#classify,
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (texts.length === 0) return [];
    const response = await embedRequest(
      this.id,
      this.#policy,
      this.#options.timeoutMs,
      options,
      (signal) =>
        this.#client.embeddings.create(
          { model: this.embedModel, input: [...texts], encoding_format: 'float' },
          { signal, maxRetries: 0 },
        ),
      this.#classify,
    );
    const vectors: number[][] = new Array<number[]>(texts.length);
    for (const item of response.data) vectors[item.index] = item.embedding;
    for (let i = 0; i < texts.length; i++) {
      if (!Array.isArray(vectors[i])) {
        throw new LlmError(
          'http',
          this.id,
          `embedding ${i} of ${texts.length} missing from the response of ${this.embedModel}`,
        );
      }
    }
    return vectors;
  }
}
