/**
 * A fake OpenAI-compatible server speaking the real wire protocol on 127.0.0.1 (port 0):
 * POST /v1/chat/completions (JSON or SSE stream with usage), POST /v1/embeddings (float or
 * base64), GET /v1/models. Errors use OpenAI's `{ error: { message, type, code } }` body.
 */
import type { ServerResponse } from 'node:http';
import { chunk, estimateTokens, fakeEmbedding, sendJson, startServer, type RecordedRequest } from './http';
import { ReplyQueue, type FakeReply } from './script';

export interface FakeOpenAiOptions {
  readonly embeddingDimensions?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  readonly apiKey?: string;
}

export interface FakeOpenAi {
  /** Base URL including `/v1`, ready for the client's `baseURL`. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  readonly chat: ReplyQueue;
  readonly embed: ReplyQueue;
  close(): Promise<void>;
}

const CREATED = 1_767_225_600;

function sendError(res: ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 500;
  const type =
    status === 429 ? 'rate_limit_error' : status === 401 ? 'invalid_request_error' : 'server_error';
  sendJson(
    res,
    status,
    { error: { message: reply.error ?? `status ${status}`, type, param: null, code: null } },
    {
      ...reply.headers,
    },
  );
}

function writeChat(res: ServerResponse, body: Record<string, unknown>, reply: FakeReply, n: number): void {
  if (reply.status !== undefined) {
    sendError(res, reply);
    return;
  }
  if (reply.hang === true) return;
  const model = typeof body.model === 'string' ? body.model : 'unknown';
  const id = `chatcmpl-fake-${n}`;
  const content = reply.refusal !== undefined ? null : (reply.content ?? '');
  const usage = {
    prompt_tokens: reply.promptTokens ?? estimateTokens(body.messages),
    completion_tokens: reply.outputTokens ?? estimateTokens(content ?? reply.refusal ?? ''),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const finish = reply.finishReason ?? 'stop';

  if (body.stream === true) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...reply.headers,
    });
    const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const base = {
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      system_fingerprint: 'fp_fake',
    };
    event({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const parts = content === null ? [] : chunk(content, reply.chunkSize ?? 8);
    for (const [i, part] of parts.entries()) {
      event({ ...base, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
      if (reply.hang === 'after-first-chunk' && i === 0) return;
      if (reply.drop === 'after-first-chunk' && i === 0) {
        res.destroy();
        return;
      }
    }
    if (reply.refusal !== undefined) {
      event({ ...base, choices: [{ index: 0, delta: { refusal: reply.refusal }, finish_reason: null }] });
    }
    event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) event({ ...base, choices: [], usage });
    res.end('data: [DONE]\n\n');
    return;
  }
  sendJson(
    res,
    200,
    {
      id,
      object: 'chat.completion',
      created: CREATED,
      model,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: reply.refusal ?? null },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage,
    },
    { ...reply.headers },
  );
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const chat = new ReplyQueue();
  const embed = new ReplyQueue();
  embed.fallback = {};
  const dims = options.embeddingDimensions ?? 8;
  let served = 0;

  const server = await startServer((req, res, rawBody) => {
    const body = (rawBody ?? {}) as Record<string, unknown>;
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(res, { status: 401, error: 'Incorrect API key provided.' });
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: CREATED, owned_by: 'fake' }],
      });
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      served++;
      writeChat(res, body, chat.next(body), served);
      return;
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const reply = embed.next(body);
      if (reply.status !== undefined) {
        sendError(res, reply);
        return;
      }
      if (reply.hang === true) return;
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? '')];
      const data = input.map((text, index) => {
        const vector = fakeEmbedding(text, dims);
        const embedding =
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      });
      const tokens = reply.promptTokens ?? estimateTokens(input);
      sendJson(res, 200, {
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
      return;
    }
    sendError(res, { status: 404, error: `Unknown route ${req.method} ${path}` });
  });

  return {
    baseURL: `${server.url}/v1`,
    requests: server.requests,
    chatRequests: () => server.requests.filter((r) => r.path === '/v1/chat/completions'),
    chat,
    embed,
    close: server.close,
  };
}
