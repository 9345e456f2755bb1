import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmError, OllamaProvider, toJsonSchema } from '../src/index';
import { closedPortUrl, startFakeOllama, type FakeOllama } from './fakes/index';
import { GOOD_HERO, HeroSchema, MESSAGES, SYSTEM, progressLog, recordingSleep, rejection } from './helpers';

let fake: FakeOllama;
beforeEach(async () => {
  fake = await startFakeOllama();
});
afterEach(async () => {
  await fake.close();
});

function provider(options: Partial<ConstructorParameters<typeof OllamaProvider>[0]> = {}) {
  const { sleep, delays } = recordingSleep();
  const p = new OllamaProvider({
    host: fake.url,
    model: 'llama3.1:8b',
    retry: { sleep, random: () => 0.5 },
    ...options,
  });
  return { p, delays };
}

type ChatBody = {
  model: string;
  stream: boolean;
  format: unknown;
  options: Record<string, unknown>;
  messages: { role: string; content: string }[];
};
const chatBody = (i: number) => fake.chatRequests()[i]?.body as ChatBody;

describe('OllamaProvider over /api/chat', () => {
  it('returns a valid streamed answer with usage from the wire and sends schema, seed and temperature', async () => {
    fake.chat.push({
      content: JSON.stringify(GOOD_HERO),
      promptTokens: 321,
      outputTokens: 54,
      chunkSize: 10,
    });
    const { events, onProgress } = progressLog();
    const { p } = provider();
    const result = await p.generateObject({
      schema: HeroSchema,
      system: SYSTEM,
      messages: MESSAGES,
      temperature: 0.2,
      seed: 42,
      maxTokens: 800,
      onProgress,
    });

    expect(result.object).toEqual(GOOD_HERO);
    expect(result).toMatchObject({ provider: 'ollama', model: 'llama3.1:8b', attempts: 1 });
    expect(result.usage).toEqual({ inputTokens: 321, outputTokens: 54, costUsd: 0 });
    expect(result.raw).toBe(JSON.stringify(GOOD_HERO));

    const body = chatBody(0);
    expect(body.model).toBe('llama3.1:8b');
    expect(body.stream).toBe(true);
    expect(body.format).toEqual(toJsonSchema(HeroSchema));
    expect(body.format).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'level']),
    });
    expect(body.options).toEqual({ temperature: 0.2, seed: 42, num_predict: 800 });
    expect(body.messages).toEqual([{ role: 'system', content: SYSTEM }, ...MESSAGES]);

    const streaming = events.filter((e) => e.phase === 'streaming').map((e) => e.tokens);
    expect(streaming.length).toBe(Math.ceil(JSON.stringify(GOOD_HERO).length / 10));
    expect(streaming).toEqual([...streaming].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(events[0]).toEqual({ phase: 'request', attempt: 1 });
    expect(events.at(-1)).toEqual({ phase: 'validating', attempt: 1 });
  });

  it('works without streaming (one JSON object on the wire)', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), promptTokens: 10, outputTokens: 20 });
    const { p } = provider({ stream: false });
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 20, costUsd: 0 });
    expect(chatBody(0).stream).toBe(false);
    expect(chatBody(0).options).toEqual({});
  });

  it('extracts JSON wrapped in prose and a code fence', async () => {
    fake.chat.push({
      content: `Here is your character, adventurer!\n\`\`\`json\n${JSON.stringify(GOOD_HERO, null, 2)}\n\`\`\`\nHave fun.`,
    });
    const { p } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
    expect(result.attempts).toBe(1);
  });

  it('re-asks after malformed JSON and the second request carries the error feedback', async () => {
    const broken = '{"name": "Mira Vale", "className": "Wizard", "level": 3,';
    fake.chat.push(
      { content: broken, promptTokens: 100, outputTokens: 10 },
      { content: JSON.stringify(GOOD_HERO), promptTokens: 150, outputTokens: 40 },
    );
    const { events, onProgress } = progressLog();
    const { p } = provider();
    const result = await p.generateObject({
      schema: HeroSchema,
      system: SYSTEM,
      messages: MESSAGES,
      onProgress,
    });

    expect(result.object).toEqual(GOOD_HERO);
    expect(result.attempts).toBe(2);
    expect(result.usage).toEqual({ inputTokens: 250, outputTokens: 50, costUsd: 0 });
    const second = chatBody(1).messages;
    expect(second).toHaveLength(4);
    expect(second[2]).toEqual({ role: 'assistant', content: broken });
    expect(second[3]?.role).toBe('user');
    expect(second[3]?.content).toContain('not valid JSON');
    expect(events).toContainEqual({ phase: 'retry', attempt: 1, reason: 'invalid_output' });
  });

  it('feeds the exact zod errors back when the JSON does not match the schema', async () => {
    fake.chat.push(
      { content: JSON.stringify({ ...GOOD_HERO, level: 25, spells: 'Shield' }) },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { p } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.attempts).toBe(2);
    const feedback = chatBody(1).messages[3]?.content ?? '';
    const expected = HeroSchema.safeParse({ ...GOOD_HERO, level: 25, spells: 'Shield' });
    expect(expected.success).toBe(false);
    for (const issue of expected.error?.issues ?? []) {
      expect(feedback).toContain(`$.${issue.path.join('.')}: ${issue.message}`);
    }
  });

  it('gives up with invalid_output after the bounded number of attempts', async () => {
    fake.chat.push({ content: 'no json here' }, { content: 'still none' });
    const { p } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, maxAttempts: 2 }),
    );
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'invalid_output', provider: 'ollama', attempts: 2 });
    expect((error as LlmError).message).toMatch(/^ollama: invalid_output \(no valid answer after 2 attempt/);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('passes schema-valid nonsense through unchanged (judging it is the rules engine’s job)', async () => {
    const nonsense = {
      name: 'Zed',
      className: 'Jedi Knight',
      level: 20,
      scores: { str: 25, dex: 30 },
      spells: Array.from({ length: 40 }, (_, i) => `Spell ${i}`),
    };
    fake.chat.push({ content: JSON.stringify(nonsense) });
    const { p } = provider();
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(nonsense);
  });

  it('honours Retry-After (seconds) on 429, then succeeds', async () => {
    fake.chat.push(
      { status: 429, error: 'too many requests', headers: { 'retry-after': '2' } },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { events, onProgress } = progressLog();
    const { p, delays } = provider();
    const result = await p.generateObject({
      schema: HeroSchema,
      system: SYSTEM,
      messages: MESSAGES,
      onProgress,
    });
    expect(result.object).toEqual(GOOD_HERO);
    expect(delays).toEqual([2000]);
    expect(fake.chatRequests()).toHaveLength(2);
    expect(events).toContainEqual({ phase: 'retry', attempt: 1, reason: 'rate_limited' });
  });

  it('honours Retry-After as an HTTP date, capped by maxRetryAfterMs', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    fake.chat.push(
      { status: 429, error: 'slow down', headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' } },
      { status: 429, error: 'slow down', headers: { 'retry-after': 'Thu, 01 Jan 2026 01:00:00 GMT' } },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { sleep, delays } = recordingSleep();
    const p = new OllamaProvider({
      host: fake.url,
      model: 'm',
      retry: { sleep, now: () => now, maxRetryAfterMs: 10_000 },
    });
    await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(delays).toEqual([3000, 10_000]);
  });

  it('reports rate_limited when 429 persists past the retries', async () => {
    for (let i = 0; i < 4; i++)
      fake.chat.push({ status: 429, error: 'quota', headers: { 'retry-after': '1' } });
    const { p, delays } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      provider: 'ollama',
      status: 429,
      retryAfterMs: 1000,
    });
    expect(delays).toEqual([1000, 1000, 1000]);
    expect(fake.chatRequests()).toHaveLength(4);
  });

  it('retries a 500 with exponential backoff and jitter from the injected random', async () => {
    fake.chat.push(
      { status: 500, error: 'boom' },
      { status: 500, error: 'boom' },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { sleep, delays } = recordingSleep();
    const p = new OllamaProvider({
      host: fake.url,
      model: 'm',
      retry: { sleep, random: () => 0, baseDelayMs: 100 },
    });
    const result = await p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES });
    expect(result.object).toEqual(GOOD_HERO);
    expect(delays).toEqual([50, 100]); // equal jitter with random()=0: half of 100, half of 200
  });

  it('does not retry a 404 and names the server’s error', async () => {
    fake.chat.push({ status: 404, error: 'model "nope" not found, try pulling it first' });
    const { p, delays } = provider({ model: 'nope' });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({ code: 'http', status: 404 });
    expect((error as Error).message).toContain('model "nope" not found');
    expect(delays).toEqual([]);
  });

  it('times out a hung request with a typed error', async () => {
    fake.chat.push({ hang: true });
    const { p } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, timeoutMs: 150 }),
    );
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'timeout', provider: 'ollama' });
    expect((error as Error).message).toBe('ollama: timeout (no answer within 150 ms)');
  });

  it('times out a stream that stalls after the first chunk', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), hang: 'after-first-chunk' });
    const { p } = provider();
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, timeoutMs: 150 }),
    );
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it('reports unavailable when nothing listens, after backing off', async () => {
    const { sleep, delays } = recordingSleep();
    const p = new OllamaProvider({
      host: await closedPortUrl(),
      model: 'm',
      retry: { sleep, random: () => 1, baseDelayMs: 10 },
    });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES }),
    );
    expect(error).toMatchObject({ code: 'unavailable', provider: 'ollama' });
    expect((error as Error).message).toMatch(/^ollama: unavailable \(.*ECONNREFUSED/);
    expect(delays).toEqual([10, 20, 40]);
  });

  it('retries when the connection drops mid-stream', async () => {
    fake.chat.push(
      { content: JSON.stringify(GOOD_HERO), drop: 'after-first-chunk' },
      { content: JSON.stringify(GOOD_HERO) },
    );
    const { events, onProgress } = progressLog();
    const { p, delays } = provider();
    const result = await p.generateObject({
      schema: HeroSchema,
      system: SYSTEM,
      messages: MESSAGES,
      onProgress,
    });
    expect(result.object).toEqual(GOOD_HERO);
    expect(result.attempts).toBe(1);
    expect(delays).toHaveLength(1);
    expect(events).toContainEqual({ phase: 'retry', attempt: 1, reason: 'unavailable' });
  });

  it('cancels cleanly when the caller aborts mid-stream', async () => {
    fake.chat.push({ content: JSON.stringify(GOOD_HERO), hang: 'after-first-chunk' });
    const controller = new AbortController();
    const { p } = provider();
    const started = Date.now();
    const error = await rejection(
      p.generateObject({
        schema: HeroSchema,
        system: SYSTEM,
        messages: MESSAGES,
        signal: controller.signal,
        timeoutMs: 30_000,
        onProgress: (e) => {
          if (e.phase === 'streaming') controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ code: 'aborted', provider: 'ollama' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cancels a non-streamed request the moment the server has it', async () => {
    const controller = new AbortController();
    fake.chat.push(() => {
      controller.abort();
      return { hang: true };
    });
    const { p } = provider({ stream: false });
    const error = await rejection(
      p.generateObject({ schema: HeroSchema, system: SYSTEM, messages: MESSAGES, signal: controller.signal }),
    );
    expect(error).toMatchObject({ code: 'aborted' });
  });

  it('does not send anything when already aborted', async () => {
    const { p } = provider();
    const error = await rejection(
      p.generateObject({
        schema: HeroSchema,
        system: SYSTEM,
        messages: MESSAGES,
        signal: AbortSignal.abort(),
      }),
    );
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.requests).toHaveLength(0);
  });

  it('embeds through /api/embed', async () => {
    const { p } = provider({ embedModel: 'nomic-embed-text' });
    const vectors = await p.embed(['a wizard', 'a rogue']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(8);
    expect(vectors[0]).not.toEqual(vectors[1]);
    const request = fake.requests.find((r) => r.path === '/api/embed');
    expect(request?.body).toEqual({ model: 'nomic-embed-text', input: ['a wizard', 'a rogue'] });
  });

  it('rejects a bad host as a config error', () => {
    expect(() => new OllamaProvider({ host: 'not a url', model: 'm' })).toThrow(
      /ollama: config \(host is not a valid/,
    );
  });
});
