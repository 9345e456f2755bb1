import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmError, OpenAiProvider } from '../src/index';
import { closedPortUrl, startFakeOpenAi, type FakeOpenAi } from './fakes/index';
import { GOOD_HERO, HeroSchema, MESSAGES, SYSTEM, progressLog, recordingSleep, rejection } from './helpers';

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-test' });
});
afterEach(async () => {
  await fake.close();
});

function provider(options: Partial<ConstructorParameters<typeof OpenAiProvider>[0]> = {}) {
  const { sleep, delays } = recordingSleep();
  const p = new OpenAiProvider({
    baseURL: fake.baseURL,
    apiKey: 'sk-test',
    model: 'gpt-4o-mini',
    retry: { sleep, random: () => 0.5 },
    ...options,
  });
  return { p, delays };
}

type ChatBody = {
  model: string;
  stream?: boolean;
  seed?: number;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format: {
    type: string;
    json_schema: { name: string; strict: boolean; schema: Record<string, unknown> };
  };
  messages: { role: string; content: string }[];
};
const chatBody = (i: number) => fake.chatRequests()[i]?.body as ChatBody;

describe('OpenAiProvider over /v1/chat/completions', () => {
  it('returns a valid answer, sends a strict json_schema with seed and temperature, and prices the wire usage', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), promptTokens: 1000, outputTokens: 500 });
    const { p } = provider();
    const result = await p.generateObject({
      schema: HeroSchema,
      schemaName: 'hero sheet',
      system: SYSTEM,
      messages: MESSAGES,
      temperature: 0,
      seed: 7,
      maxTokens: 1500,
    });

    expect(result.object).toEqual(GOOD_HERO);
    expect(result).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', attempts: 1 });
    expect(result.usage.inputTokens).toBe(1000);
    expect(result.usage.outputTokens).toBe(500);
    expect(result.usage.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);

    const body = chatBody(0);
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.seed).toBe(7);
    expect(body.temperature).toBe(0);
    expect(body.max_tokens).toBe(1500); // custom base URL → the widely supported field
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.messages).toEqual([{ role: 'system', content: SYSTEM }, ...MESSAGES]);
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('hero_sheet');
    expect(body.response_format.json_schema.strict).toBe(true);
    const schema = body.response_format.json_schema.schema;
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.required).toEqual(['name', 'className', 'level', 'scores', 'spells', 'epithet']);
    expect((schema.properties as Record<string, unknown>).epithet).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(fake.chatRequests()[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('turns strict-mode nulls for optional fields back into absent fields', async () => {
    const Schema = z.object({
      name: z.string(),
      title: z.string().optional(),
      rank: z.enum(['a', 'b']).default('a'),
    });
    fake.chat.push({ content: JSON.stringify({ name: 'Ko', title: null, rank: null }) });
    const { p } = provider();
    const result = await p.generateObject({ schema: Schema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual({ name: 'Ko', rank: 'a' });
    expect('title' in result.object).toBe(false);
  });

  it('sends the non-strict schema when strict is off', async () => {
    fake.chat.push({ content: JSON.stringify({ stats: { str: 10 } }) });
    const Schema = z.object({ stats: z.record(z.string(), z.number()) });
    const { p } = provider({ strict: false });
    const result = await p.generateObject({ schema: Schema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual({ stats: { str: 10 } });
    expect(chatBody(0).response_format.json_schema.strict).toBe(false);
  });

  it('refuses a schema strict mode cannot express, naming the path, before any request', async () => {
    const Schema = z.object({ stats: z.record(z.string(), z.number()) });
    const { p } = provider();
    const error = await rejection(p.generateObject({ schema: Schema, system: SYSTEM, messages: MESSAGES }));
    expect(error).toMatchObject({ code: 'config', provider: 'openai' });
    expect((error as Error).message).toContain('$.stats');
    expect(fake.requests).toHaveLength(0);
  });

  it('uses max_completion_tokens against api.openai.com by default', async () => {
    // Same fake, but tell the provider to behave as for the official API.
    fake.chat.push({ content: JSON.stringify(GOOD_HERO) });
    const { p } = provider({ maxTokensParam: 'max_completion_tokens' });
    await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, maxTokens: 99 });
    expect(chatBody(0).max_completion_tokens).toBe(99);
    expect(chatBody(0).max_tokens).toBeUndefined();
  });

  it('extracts JSON surrounded by prose', async () => {
    fake.chat.push({
      content: `Sure. ${JSON.stringify(GOOD_HERO)} Let me know if you want changes {or not}.`,
    });
    const { p } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
  });

  it('re-asks after malformed JSON with the error in the second request', async () => {
    fake.chat.push(
      { content: '{"name": "Mira", level: three}', promptTokens: 10, outputTokens: 5 },
      { content: JSON.stringify(GOOD_HERO), promptTokens: 20, outputTokens: 30 },
    );
    const { p } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.attempts).toBe(2);
    expect(result.usage.inputTokens).toBe(30);
    expect(result.usage.outputTokens).toBe(35);
    const second = chatBody(1).messages;
    expect(second[2]).toEqual({ role: 'assistant', content: '{"name": "Mira", level: three}' });
    expect(second[3]?.content).toMatch(/not valid JSON: .*JSON/);
  });

  it('tells the model when its answer was cut off by the token limit', async () => {
    fake.chat.push(
      { content: '{"name": "Mi', finishReason: 'length' },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { p } = provider();
    await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(chatBody(1).messages[3]?.content).toContain('cut off by the token limit');
  });

  it('passes schema-valid nonsense through', async () => {
    const nonsense = {
      ...GOOD_HERO,
      className: 'Toaster',
      level: 1,
      scores: { str: 99, dex: -5 },
      spells: [],
    };
    fake.chat.push({ content: JSON.stringify(nonsense) });
    const { p } = provider();
    expect(
      (await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES })).object,
    ).toEqual(nonsense);
  });

  it('honours Retry-After on 429 then succeeds', async () => {
    fake.chat.push(
      { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '3' } },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { p, delays } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
    expect(delays).toEqual([3000]);
  });

  it('prefers retry-after-ms when the server sends it', async () => {
    fake.chat.push(
      { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '3', 'retry-after-ms': '250' } },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { p, delays } = provider();
    await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(delays).toEqual([250]);
  });

  it('reports a refusal as invalid_output without re-asking', async () => {
    fake.chat.push({ refusal: 'I cannot help with that.' });
    const { p } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({ code: 'invalid_output' });
    expect((error as Error).message).toContain('I cannot help with that.');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('maps a rejected key to a config error', async () => {
    const { p, delays } = provider({ apiKey: 'sk-wrong' });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({ code: 'config', status: 401, provider: 'openai' });
    expect((error as Error).message).toContain('Incorrect API key provided.');
    expect(delays).toEqual([]);
  });

  it('times out a hung request', async () => {
    fake.chat.push({ hang: true });
    const { p } = provider({ timeoutMs: 150 });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'timeout', provider: 'openai' });
  });

  it('reports unavailable when the server is down', async () => {
    const { sleep, delays } = recordingSleep();
    const p = new OpenAiProvider({
      baseURL: `${await closedPortUrl()}/v1`,
      model: 'local',
      retry: { sleep, maxRetries: 2 },
    });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({ code: 'unavailable', provider: 'openai' });
    expect((error as Error).message).toMatch(/^openai: unavailable \(/);
    expect(delays).toHaveLength(2);
  });

  it('cancels when the caller aborts while the server holds the request', async () => {
    const controller = new AbortController();
    fake.chat.push(() => {
      controller.abort();
      return { hang: true };
    });
    const { p } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, signal: controller.signal }),
    );
    expect(error).toMatchObject({ code: 'aborted', provider: 'openai' });
  });

  it('streams over SSE with progress events and usage from the final chunk', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), promptTokens: 77, outputTokens: 33, chunkSize: 16 });
    const { events, onProgress } = progressLog();
    const { p } = provider({ stream: true });
    const result = await p.generateObject({
      schema: HeroSchema,
      system: SYSTEM,
      messages: MESSAGES,
      onProgress,
    });
    expect(result.object).toEqual(GOOD_HERO);
    expect(result.usage.inputTokens).toBe(77);
    expect(result.usage.outputTokens).toBe(33);
    expect(chatBody(0).stream).toBe(true);
    expect((chatBody(0) as unknown as { stream_options: unknown }).stream_options).toEqual({
      include_usage: true,
    });
    expect(events.filter((e) => e.phase === 'streaming').length).toBe(
      Math.ceil(JSON.stringify(GOOD_HERO).length / 16),
    );
  });

  it('retries when the connection drops mid-stream', async () => {
    fake.chat.push(
      { content: JSON.stringify(GOOD_HERO), drop: 'after-first-chunk' },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { p, delays } = provider({ stream: true });
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
    expect(delays).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('aborts mid-stream', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), hang: 'after-first-chunk' });
    const controller = new AbortController();
    const { p } = provider({ stream: true });
    const error = await rejection(
      p.generateObject({
        schema: HeroSchema,
        system: SYSTEM,
        messages: MESSAGES,
        signal: controller.signal,
        onProgress: (e) => e.phase === 'streaming' && controller.abort(),
      }),
    );
    expect(error).toMatchObject({ code: 'aborted' });
  });

  it('embeds through /v1/embeddings in request order', async () => {
    const { p } = provider({ embedModel: 'text-embedding-3-small' });
    const vectors = await p.embed(['alpha', 'beta', 'gamma']);
    expect(vectors).toHaveLength(3);
    const request = fake.requests.find((r) => r.path === '/v1/embeddings');
    expect(request?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta', 'gamma'],
      encoding_format: 'float',
    });
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('requires a key for the official endpoint', () => {
    expect(() => new OpenAiProvider({ model: 'gpt-4o' })).toThrow(/openai: config \(apiKey is required/);
  });
});
