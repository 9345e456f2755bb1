/**
 * Model output is bounded (issue 15 item 5): a streamed answer past `maxAnswerBytes`, or a response body past
 * `maxResponseBytes` (even one long line with no newline), fails with a clear `invalid_output` error and the
 * connection is cut, for Ollama and OpenAI-compatible servers alike.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ANSWER_BOUNDS,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  LlmError,
  OllamaProvider,
  OpenAiProvider,
  answerBoundsProblem,
  toJsonSchema,
  toStrictJsonSchema,
} from '../src/index';

const Schema = z.object({ name: z.string() });
const request = { schema: Schema, system: 'json', messages: [{ role: 'user' as const, content: 'go' }] };

interface Flood {
  url: string;
  /** Bytes the server managed to write before the client went away (or it finished). */
  written: () => number;
  /** Whether the client closed the connection before the server finished. */
  cut: () => boolean;
  close: () => Promise<void>;
}

/** An HTTP server that answers every POST with `total` bytes made of `piece(i)`, as fast as the socket takes. */
async function flood(total: number, piece: (i: number) => string, contentType: string): Promise<Flood> {
  let written = 0;
  let cut = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': contentType });
      let i = 0;
      res.on('close', () => {
        if (written < total) cut = true;
      });
      const pump = () => {
        while (written < total && !res.destroyed) {
          const chunk = piece(i++);
          written += Buffer.byteLength(chunk);
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    written: () => written,
    cut: () => cut,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const open: Flood[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});
async function serve(total: number, piece: (i: number) => string, type: string) {
  const f = await flood(total, piece, type);
  open.push(f);
  return f;
}

const noRetry = { sleep: async () => {}, maxRetries: 0 };
const KB = 'a'.repeat(1000);
const ollamaLine = () =>
  `${JSON.stringify({ model: 'm', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: KB }, done: false })}\n`;
const sseChunk = () =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: KB }, finish_reason: null }] })}\n\n`;

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

describe('answer and response caps', () => {
  it('exports the default caps (1 MiB answer, 32 MiB response)', () => {
    expect(DEFAULT_MAX_ANSWER_BYTES).toBe(1024 * 1024);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
  });

  it('Ollama: a streamed answer past the default 1 MiB cap fails and the stream is cut', async () => {
    const f = await serve(64 * 1024 * 1024, ollamaLine, 'application/x-ndjson');
    const p = new OllamaProvider({ host: f.url, model: 'm', retry: noRetry });
    const err = await failure(p.generateObject(request));
    expect(err.code).toBe('invalid_output');
    expect(err.message).toMatch(
      /^ollama: invalid_output \(the answer is larger than 1048576 bytes; stopped reading/,
    );
    await expect.poll(() => f.cut(), { timeout: 5000 }).toBe(true);
    expect(f.written()).toBeLessThan(16 * 1024 * 1024);
  });

  it('Ollama: one endless line with no newline is cut at maxResponseBytes', async () => {
    const f = await serve(
      64 * 1024 * 1024,
      (i) => (i === 0 ? '{"message":{"content":"' : 'a'.repeat(65536)),
      'application/x-ndjson',
    );
    const p = new OllamaProvider({
      host: f.url,
      model: 'm',
      retry: noRetry,
      maxResponseBytes: 2 * 1024 * 1024,
    });
    const err = await failure(p.generateObject(request));
    expect(err.code).toBe('invalid_output');
    expect(err.message).toMatch(/the response is larger than 2097152 bytes/);
    await expect.poll(() => f.cut(), { timeout: 5000 }).toBe(true);
  });

  it('OpenAI (streaming): an answer past maxAnswerBytes fails and the stream is cut', async () => {
    const f = await serve(64 * 1024 * 1024, sseChunk, 'text/event-stream');
    const p = new OpenAiProvider({
      baseURL: `${f.url}/v1`,
      model: 'm',
      stream: true,
      strict: false,
      retry: noRetry,
      maxAnswerBytes: 100_000,
    });
    const err = await failure(p.generateObject(request));
    expect(err.code).toBe('invalid_output');
    expect(err.message).toMatch(/^openai: invalid_output \(the answer is larger than 100000 bytes/);
    await expect.poll(() => f.cut(), { timeout: 5000 }).toBe(true);
  });

  it('OpenAI (one JSON body): a body past maxResponseBytes fails', async () => {
    const f = await serve(
      64 * 1024 * 1024,
      (i) => (i === 0 ? '{"choices":[{"message":{"content":"' : 'a'.repeat(65536)),
      'application/json',
    );
    const p = new OpenAiProvider({
      baseURL: `${f.url}/v1`,
      model: 'm',
      strict: false,
      retry: noRetry,
      maxResponseBytes: 1024 * 1024,
    });
    const err = await failure(p.generateObject(request));
    expect(err.message).toMatch(/the response is larger than 1048576 bytes/);
    await expect.poll(() => f.cut(), { timeout: 5000 }).toBe(true);
  });
});

describe('string and list bounds of structured answers', () => {
  const Draft = z.object({ name: z.string(), tags: z.array(z.string()), kind: z.enum(['a', 'b']) });

  it('the wire schema carries maxLength / maxItems where the zod schema sets none (strict mode: not sent)', () => {
    const json = toJsonSchema(Draft) as { properties: Record<string, Record<string, unknown>> };
    expect(json.properties['name']).toMatchObject({
      type: 'string',
      maxLength: ANSWER_BOUNDS.maxStringLength,
    });
    expect(json.properties['tags']).toMatchObject({
      type: 'array',
      maxItems: ANSWER_BOUNDS.maxItems,
      items: { type: 'string', maxLength: ANSWER_BOUNDS.maxStringLength },
    });
    expect(json.properties['kind']?.['maxLength']).toBeUndefined();
    const explicit = toJsonSchema(z.object({ s: z.string().max(10) })) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(explicit.properties['s']?.['maxLength']).toBe(10);
    expect(JSON.stringify(toStrictJsonSchema(Draft).schema)).not.toMatch(/maxLength|maxItems/);
  });

  it('answerBoundsProblem names the place: long strings, long lists (1.2M entries), deep nesting', () => {
    expect(answerBoundsProblem({ name: 'x'.repeat(9000) })).toBe(
      '$.name: a string of 9000 characters (at most 8000)',
    );
    expect(answerBoundsProblem({ tags: new Array(1_200_000).fill('t') })).toBe(
      '$.tags: a list of 1200000 entries (at most 200)',
    );
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(answerBoundsProblem(deep)).toMatch(/nested deeper than 32 levels/);
    expect(answerBoundsProblem({ name: 'ok', tags: ['a'] })).toBeNull();
  });

  it('Ollama and OpenAI refuse an answer with a 9,000-character string (invalid_output, never retried)', async () => {
    const answer = JSON.stringify({ name: 'x'.repeat(9000), tags: [], kind: 'a' });
    const ollama = await serve(
      1,
      () =>
        `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: answer }, done: false })}\n${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' })}\n`,
      'application/x-ndjson',
    );
    const o = await failure(
      new OllamaProvider({ host: ollama.url, model: 'm', retry: noRetry }).generateObject({
        ...request,
        schema: Draft,
      }),
    );
    expect(o.code).toBe('invalid_output');
    expect(o.message).toMatch(/out of bounds at \$\.name: a string of 9000 characters/);
    const openai = await serve(
      1,
      () =>
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
        }),
      'application/json',
    );
    const e = await failure(
      new OpenAiProvider({
        baseURL: `${openai.url}/v1`,
        model: 'm',
        strict: false,
        retry: noRetry,
      }).generateObject({
        ...request,
        schema: Draft,
      }),
    );
    expect(e.code).toBe('invalid_output');
    expect(e.message).toMatch(/out of bounds at \$\.name/);
  });
});
