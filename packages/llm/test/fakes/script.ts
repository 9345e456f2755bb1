/** Scripted replies shared by the fake Ollama and OpenAI servers. */
export interface FakeReply {
  /** The assistant's text (for an answer). */
  readonly content?: string;
  /** Reply with this HTTP status and an error body instead of an answer. */
  readonly status?: number;
  /** Error message for a status reply. */
  readonly error?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Token counts reported on the wire; estimated from the text when absent. */
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  /** `length` marks a reply cut off by the token limit. Default `stop`. */
  readonly finishReason?: 'stop' | 'length';
  /** OpenAI only: a refusal instead of content. */
  readonly refusal?: string;
  /**
   * Never finish: `true` sends nothing at all; `'after-first-chunk'` (streaming only) sends the
   * headers and the first chunk, then stalls. Used for timeouts and aborts.
   */
  readonly hang?: boolean | 'after-first-chunk';
  /** Streaming only: send the first chunk, then cut the connection (a crashed server or proxy). */
  readonly drop?: 'after-first-chunk';
  /** Streaming chunk size in characters. Default 8. */
  readonly chunkSize?: number;
}

/** A reply, or a function computing it from the request body when the request arrives. */
export type ScriptedReply = FakeReply | ((body: unknown) => FakeReply);

export class ReplyQueue {
  readonly #queue: ScriptedReply[] = [];
  /** Used when the queue is empty; undefined means "answer 500: nothing scripted". */
  fallback: ScriptedReply | undefined;

  push(...replies: ScriptedReply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  next(body: unknown): FakeReply {
    const reply = this.#queue.shift();
    if (reply) return typeof reply === 'function' ? reply(body) : reply;
    if (typeof this.fallback === 'function') return this.fallback(body);
    return this.fallback ?? { status: 500, error: 'fake server: no scripted reply left' };
  }

  get pending(): number {
    return this.#queue.length;
  }
}
