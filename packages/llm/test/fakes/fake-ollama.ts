/**
 * A fake Ollama server speaking the real wire protocol on 127.0.0.1 (port 0):
 * POST /api/chat (NDJSON stream or one JSON object), GET /api/tags, POST /api/embed.
 */
import type { ServerResponse } from 'node:http';
import { chunk, estimateTokens, fakeEmbedding, sendJson, startServer, type RecordedRequest } from './http';
import { ReplyQueue, type FakeReply } from './script';

export interface FakeOllamaOptions {
  /** Names listed by /api/tags. Default ['llama3.1:8b', 'nomic-embed-text']. */
  readonly models?: readonly string[];
  readonly embeddingDimensions?: number;
}

export interface FakeOllama {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests to /api/chat only, in order. */
  chatRequests(): RecordedRequest[];
  readonly chat: ReplyQueue;
  readonly embed: ReplyQueue;
  close(): Promise<void>;
}

const CREATED_AT = '2026-01-01T00:00:00.000Z';

function writeChat(res: ServerResponse, body: Record<string, unknown>, reply: FakeReply): void {
  const model = typeof body.model === 'string' ? body.model : 'unknown';
  if (reply.status !== undefined) {
    sendJson(res, reply.status, { error: reply.error ?? `status ${reply.status}` }, { ...reply.headers });
    return;
  }
  if (reply.hang === true) return; // never answer
  const content = reply.content ?? '';
  const final = {
    model,
    created_at: CREATED_AT,
    message: { role: 'assistant', content: body.stream === false ? content : '' },
    done: true,
    done_reason: reply.finishReason ?? 'stop',
    total_duration: 1_000_000,
    load_duration: 1000,
    prompt_eval_count: reply.promptTokens ?? estimateTokens(body.messages),
    prompt_eval_duration: 1000,
    eval_count: reply.outputTokens ?? estimateTokens(content),
    eval_duration: 1000,
  };
  if (body.stream === false) {
    sendJson(res, 200, final, { ...reply.headers });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson', ...reply.headers });
  const parts = chunk(content, reply.chunkSize ?? 8);
  for (const [i, part] of parts.entries()) {
    res.write(
      `${JSON.stringify({ model, created_at: CREATED_AT, message: { role: 'assistant', content: part }, done: false })}\n`,
    );
    if (reply.hang === 'after-first-chunk' && i === 0) return; // stall mid-stream
    if (reply.drop === 'after-first-chunk' && i === 0) {
      res.destroy(); // cut the connection mid-stream
      return;
    }
  }
  res.end(`${JSON.stringify(final)}\n`);
}

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const chat = new ReplyQueue();
  const embed = new ReplyQueue();
  const dims = options.embeddingDimensions ?? 8;
  embed.fallback = {};
  const models = options.models ?? ['llama3.1:8b', 'nomic-embed-text'];

  const server = await startServer((req, res, rawBody) => {
    const body = (rawBody ?? {}) as Record<string, unknown>;
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && path === '/api/tags') {
      sendJson(res, 200, {
        models: models.map((name) => ({
          name,
          model: name,
          modified_at: CREATED_AT,
          size: 1,
          digest: 'sha256:fake',
          details: { format: 'gguf', family: 'fake', parameter_size: '1B', quantization_level: 'Q4_0' },
        })),
      });
      return;
    }
    if (req.method === 'POST' && path === '/api/chat') {
      if (typeof body.model !== 'string') {
        sendJson(res, 400, { error: 'model is required' });
        return;
      }
      writeChat(res, body, chat.next(body));
      return;
    }
    if (req.method === 'POST' && path === '/api/embed') {
      const reply = embed.next(body);
      if (reply.status !== undefined) {
        sendJson(res, reply.status, { error: reply.error ?? `status ${reply.status}` }, { ...reply.headers });
        return;
      }
      if (reply.hang === true) return;
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? '')];
      sendJson(res, 200, {
        model: body.model,
        embeddings: input.map((text) => fakeEmbedding(text, dims)),
        total_duration: 1000,
        load_duration: 10,
        prompt_eval_count: reply.promptTokens ?? estimateTokens(input),
      });
      return;
    }
    sendJson(res, 404, { error: `404 page not found: ${req.method} ${path}` });
  });

  return {
    url: server.url,
    requests: server.requests,
    chatRequests: () => server.requests.filter((r) => r.path === '/api/chat'),
    chat,
    embed,
    close: server.close,
  };
}
