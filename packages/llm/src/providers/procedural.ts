import { LlmError, describeCause } from '../errors';
import { toJsonSchema, wireSchemaName, type JsonSchema } from '../schema';
import { formatZodIssues } from '../structured';
import type {
  ChatMessage,
  EmbedOptions,
  GenerateObjectRequest,
  GenerateObjectResult,
  LlmProvider,
} from '../types';

/** What a procedural generator sees: the same request a model would, minus transport details. */
export interface ProceduralRequest {
  /** The routed task, when the request came through the router. */
  readonly task: string | undefined;
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly seed: number | undefined;
  readonly temperature: number | undefined;
  readonly schemaName: string;
  readonly jsonSchema: JsonSchema;
}

/** A deterministic function from request to object. It must not do I/O it cannot finish. */
export type ProceduralGenerator = (request: ProceduralRequest) => unknown;

export interface ProceduralProviderOptions {
  readonly generate: ProceduralGenerator;
  /** Default `offline`. */
  readonly id?: string;
  /** Default `procedural`. */
  readonly model?: string;
  /** Replace the default hashed bag-of-words embedding. */
  readonly embed?: (texts: readonly string[]) => number[][];
  /** Dimensions of the default embedding. Default 256. */
  readonly dimensions?: number;
}

/** FNV-1a, 32 bit: a tiny stable string hash (no crypto needed for feature hashing). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Deterministic offline embedding: lower-cased word tokens hashed into `dimensions` signed
 * buckets, L2-normalised. Crude, but similar wordings land close, which is enough for offline
 * search and for tests. Vectors from different embedders are not comparable.
 */
export function hashedEmbedding(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const token of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = fnv1a(token);
    const index = hash % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash >>> 31) & 1 ? -1 : 1);
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/**
 * Puts a deterministic generator behind the LlmProvider port, so the offline path runs through
 * the same code as the models: same request, same zod validation, same result shape (zero
 * tokens, cost 0, one attempt). A generator result that fails the schema is an `invalid_output`
 * error at once: re-asking a deterministic function would give the same answer.
 */
export class ProceduralProvider implements LlmProvider {
  readonly id: string;
  readonly model: string;
  readonly #options: ProceduralProviderOptions;

  constructor(options: ProceduralProviderOptions) {
    this.id = options.id ?? 'offline';
    this.model = options.model ?? 'procedural';
    if (typeof options.generate !== 'function')
      throw new LlmError('config', this.id, 'generate must be a function');
    this.#options = options;
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    if (request.signal?.aborted) {
      throw new LlmError('aborted', this.id, 'cancelled by the caller before the request', {
        cause: request.signal.reason,
      });
    }
    request.onProgress?.({ phase: 'request', attempt: 1 });
    let output: unknown;
    try {
      output = await this.#options.generate({
        task: request.task,
        system: request.system,
        messages: request.messages,
        seed: request.seed,
        temperature: request.temperature,
        schemaName: wireSchemaName(request.schemaName),
        jsonSchema: toJsonSchema(request.schema),
      });
    } catch (error) {
      if (error instanceof LlmError) throw error;
      throw new LlmError('invalid_output', this.id, `the generator failed: ${describeCause(error)}`, {
        cause: error,
      });
    }
    if (request.signal?.aborted) {
      throw new LlmError('aborted', this.id, 'cancelled by the caller', { cause: request.signal.reason });
    }
    request.onProgress?.({ phase: 'validating', attempt: 1 });
    const parsed = request.schema.safeParse(output);
    if (!parsed.success) {
      throw new LlmError(
        'invalid_output',
        this.id,
        `the generator's output does not match the schema:\n${formatZodIssues(parsed.error)}`,
        { cause: parsed.error, attempts: 1, usage: { inputTokens: 0, outputTokens: 0 } },
      );
    }
    return {
      object: parsed.data,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      attempts: 1,
      raw: JSON.stringify(output),
      provider: this.id,
      model: this.model,
    };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (options.signal?.aborted) {
      throw new LlmError('aborted', this.id, 'cancelled by the caller', { cause: options.signal.reason });
    }
    if (this.#options.embed) return this.#options.embed(texts);
    return texts.map((text) => hashedEmbedding(text, this.#options.dimensions ?? 256));
  }
}
