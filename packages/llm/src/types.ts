import type { ZodType } from 'zod';

/** A turn of the conversation. The system prompt travels separately. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export type ProgressPhase = 'request' | 'streaming' | 'validating' | 'retry';

export interface ProgressEvent {
  readonly phase: ProgressPhase;
  /** 1-based answer attempt (a re-ask after invalid output increments it). */
  readonly attempt: number;
  /** Streamed chunks received so far in this attempt (roughly tokens). Only for `streaming`. */
  readonly tokens?: number;
  /** For `retry`: why we are asking again (`invalid_output`, `rate_limited`, `unavailable`, ...). */
  readonly reason?: string;
}

export interface GenerateObjectRequest<T> {
  readonly schema: ZodType<T>;
  /** Name for the schema on the wire (OpenAI `json_schema.name`). Default `result`. */
  readonly schemaName?: string;
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly seed?: number;
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Per-HTTP-request deadline, overriding the provider's default. */
  readonly timeoutMs?: number;
  /** Answers to ask for before giving up on invalid output. Default 3. */
  readonly maxAttempts?: number;
  /** The routed task (`character.create`...). Set by the router; not part of the cache key. */
  readonly task?: string;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Present when the model has a price (local models cost 0). */
  readonly costUsd?: number;
}

export interface GenerateObjectResult<T> {
  readonly object: T;
  /** Summed over every answer requested for this result (including the invalid ones). */
  readonly usage: Usage;
  /** Answers requested from the model: 1 when the first answer was valid; 0 for a cache hit. */
  readonly attempts: number;
  /** The text of the answer that validated (or the stored text for a cache hit). */
  readonly raw: string;
  readonly provider: string;
  readonly model: string;
  readonly cached?: boolean;
}

export interface EmbedOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** The port every model backend implements: structured output plus embeddings. */
export interface LlmProvider {
  readonly id: string;
  readonly model: string;
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
}
