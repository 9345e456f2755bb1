import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InMemoryLlmCache,
  LlmError,
  LlmRouter,
  OllamaProbe,
  defaultLlmConfig,
  parseLlmConfig,
  type LlmConfigInput,
  type ProceduralGenerator,
} from '../src/index';
import {
  closedPortUrl,
  startFakeOllama,
  startFakeOpenAi,
  type FakeOllama,
  type FakeOpenAi,
} from './fakes/index';
import { GOOD_HERO, HeroSchema, MESSAGES, SYSTEM, recordingSleep, rejection } from './helpers';

let ollama: FakeOllama;
let openai: FakeOpenAi;
beforeEach(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAi();
});
afterEach(async () => {
  await Promise.all([ollama.close(), openai.close()]);
});

const offlineHero: ProceduralGenerator = (request) => ({
  ...GOOD_HERO,
  name: `Offline ${request.seed ?? 0}`,
  className: request.task ?? 'no task',
});
const request = { schema: HeroSchema, system: SYSTEM, messages: MESSAGES };

function router(config: LlmConfigInput, extra: Partial<ConstructorParameters<typeof LlmRouter>[0]> = {}) {
  const { sleep, delays } = recordingSleep();
  return { r: new LlmRouter({ config, offline: offlineHero, retry: { sleep }, ...extra }), delays };
}

describe('LlmRouter config', () => {
  it('names the field and the reason for each problem', () => {
    const attempt = () =>
      parseLlmConfig({
        providers: {
          local: { kind: 'ollama', host: 'ftp://x', model: 'm' },
          cloud: { kind: 'openai', model: 'gpt-4o' },
        },
        routes: { summary: { provider: 'nowhere' } },
      });
    expect(attempt).toThrow(LlmError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/^router: config \(invalid LLM config: /);
    expect(message).toContain('providers.local.host: must be an http(s) URL');
    expect(message).toContain('providers.cloud.apiKey: needs apiKey');
    expect(message).toContain('routes.default: a default route is required');
    expect(message).toContain('routes.summary.provider: unknown provider "nowhere"');
  });

  it('rejects unknown keys and bad task names', () => {
    expect(() =>
      parseLlmConfig({
        providers: { o: { kind: 'offline', colour: 'red' } },
        routes: { default: { provider: 'o' } },
      }),
    ).toThrow(/providers\.o: Unrecognized key: "colour"/);
    expect(() =>
      parseLlmConfig({
        providers: { o: { kind: 'offline' } },
        routes: { default: { provider: 'o' }, 'Bad Task': { provider: 'o' } },
      }),
    ).toThrow(/routes\.Bad Task: invalid name \(must be lower-case/);
  });

  it('needs an offline generator when the config uses one', () => {
    expect(
      () =>
        new LlmRouter({
          config: { providers: { o: { kind: 'offline' } }, routes: { default: { provider: 'o' } } },
        }),
    ).toThrow(/no offline generator/);
  });
});

describe('LlmRouter routing and fallback', () => {
  it('routes each task to its provider and says which one ran', async () => {
    ollama.chat.push({ content: JSON.stringify({ ...GOOD_HERO, name: 'From Ollama' }) });
    openai.chat.push({ content: JSON.stringify({ ...GOOD_HERO, name: 'From OpenAI' }) });
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: ollama.url, model: 'llama3.1:8b' },
        openai: { kind: 'openai', baseURL: openai.baseURL, model: 'gpt-4o-mini' },
      },
      routes: {
        default: { provider: 'ollama' },
        'character.create': { provider: 'openai', model: 'gpt-4.1' },
      },
    });
    const created = await r.generateObject('character.create', request);
    const summary = await r.generateObject('summary', request);
    expect(created).toMatchObject({
      task: 'character.create',
      provider: 'openai',
      model: 'gpt-4.1',
      fallbacks: [],
    });
    expect(created.object.name).toBe('From OpenAI');
    expect((openai.chatRequests()[0]?.body as { model: string }).model).toBe('gpt-4.1');
    expect(summary).toMatchObject({ task: 'summary', provider: 'ollama', model: 'llama3.1:8b' });
    expect(summary.object.name).toBe('From Ollama');
  });

  it('falls back to the next provider when the first is down', async () => {
    openai.chat.push({ content: JSON.stringify(GOOD_HERO), promptTokens: 40, outputTokens: 60 });
    const { r, delays } = router({
      providers: {
        ollama: { kind: 'ollama', host: await closedPortUrl(), model: 'm' },
        openai: { kind: 'openai', baseURL: openai.baseURL, model: 'gpt-4o-mini' },
      },
      routes: { default: { provider: 'ollama', fallback: [{ provider: 'openai' }] } },
      retry: { maxRetries: 1 },
    });
    const result = await r.generateObject('character.create', request);
    expect(result.provider).toBe('openai');
    expect(result.fallbacks).toHaveLength(1);
    expect(result.fallbacks[0]).toMatchObject({ provider: 'ollama', model: 'm', code: 'unavailable' });
    expect(delays).toHaveLength(1); // ollama was retried once before falling back
    expect(r.meter.forTask('character.create')).toMatchObject({
      calls: 1,
      inputTokens: 40,
      outputTokens: 60,
    });
  });

  it('falls back to the offline generator last', async () => {
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: await closedPortUrl(), model: 'm' },
        offline: { kind: 'offline' },
      },
      routes: { default: { provider: 'ollama', fallback: [{ provider: 'offline' }] } },
      retry: { maxRetries: 0 },
    });
    const result = await r.generateObject('character.create', { ...request, seed: 9 });
    expect(result).toMatchObject({ provider: 'offline', model: 'procedural', attempts: 1 });
    expect(result.object.name).toBe('Offline 9');
    expect(result.object.className).toBe('character.create'); // the generator is told the task
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('falls back on a timeout', async () => {
    ollama.chat.push({ hang: true });
    openai.chat.push({ content: JSON.stringify(GOOD_HERO) });
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: ollama.url, model: 'm', timeoutMs: 100 },
        openai: { kind: 'openai', baseURL: openai.baseURL, model: 'x' },
      },
      routes: { default: { provider: 'ollama', fallback: [{ provider: 'openai' }] } },
    });
    const result = await r.generateObject('summary', request);
    expect(result.provider).toBe('openai');
    expect(result.fallbacks[0]?.code).toBe('timeout');
  });

  it('reports every failure when the whole chain is down', async () => {
    const down = await closedPortUrl();
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: down, model: 'm' },
        openai: { kind: 'openai', baseURL: `${down}/v1`, model: 'x' },
      },
      routes: { default: { provider: 'ollama', fallback: [{ provider: 'openai' }] } },
      retry: { maxRetries: 0 },
    });
    const error = await rejection(r.generateObject('summary', request));
    expect(error).toMatchObject({ code: 'unavailable', provider: 'openai' });
    expect((error as LlmError).failures.map((f) => f.provider)).toEqual(['ollama', 'openai']);
    expect((error as Error).message).toContain('every provider for task "summary" failed');
    expect((error as Error).message).toContain('ollama: unavailable');
    expect((error as Error).message).toContain('openai: unavailable');
  });

  it('does not fall back on invalid output or on abort', async () => {
    ollama.chat.push({ content: 'nope' });
    openai.chat.push({ content: JSON.stringify(GOOD_HERO) });
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: ollama.url, model: 'm' },
        openai: { kind: 'openai', baseURL: openai.baseURL, model: 'x' },
      },
      routes: { default: { provider: 'ollama', fallback: [{ provider: 'openai' }] } },
    });
    const invalid = await rejection(r.generateObject('summary', { ...request, maxAttempts: 1 }));
    expect(invalid).toMatchObject({ code: 'invalid_output', provider: 'ollama' });
    const controller = new AbortController();
    ollama.chat.push(() => {
      controller.abort();
      return { hang: true };
    });
    const aborted = await rejection(r.generateObject('summary', { ...request, signal: controller.signal }));
    expect(aborted).toMatchObject({ code: 'aborted', provider: 'ollama' });
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('serves a repeated deterministic request from the cache without a second HTTP call', async () => {
    ollama.chat.push({ content: JSON.stringify(GOOD_HERO), promptTokens: 5, outputTokens: 6 });
    const cache = new InMemoryLlmCache();
    const { r } = router(
      {
        providers: { ollama: { kind: 'ollama', host: ollama.url, model: 'm' } },
        routes: { default: { provider: 'ollama' } },
      },
      { cache },
    );
    const first = await r.generateObject('summary', { ...request, temperature: 0 });
    const second = await r.generateObject('summary', { ...request, temperature: 0 });
    expect(ollama.chatRequests()).toHaveLength(1);
    expect(first.cached).toBeUndefined();
    expect(second).toMatchObject({
      cached: true,
      attempts: 0,
      provider: 'ollama',
      model: 'm',
      object: GOOD_HERO,
    });
    expect(second.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(cache.entries.size).toBe(1);
    expect(r.meter.forTask('summary')).toMatchObject({
      calls: 2,
      cachedCalls: 1,
      inputTokens: 5,
      outputTokens: 6,
    });
  });

  it('does not cache non-deterministic requests, and a different seed is a different key', async () => {
    ollama.chat.fallback = { content: JSON.stringify(GOOD_HERO) };
    const cache = new InMemoryLlmCache();
    const { r } = router(
      {
        providers: { ollama: { kind: 'ollama', host: ollama.url, model: 'm' } },
        routes: { default: { provider: 'ollama' } },
      },
      { cache },
    );
    await r.generateObject('summary', { ...request, temperature: 0.7 });
    await r.generateObject('summary', { ...request, temperature: 0.7 });
    await r.generateObject('summary', { ...request, seed: 1 });
    await r.generateObject('summary', { ...request, seed: 2 });
    await r.generateObject('summary', { ...request, seed: 2 });
    expect(ollama.chatRequests()).toHaveLength(4);
    expect(cache.entries.size).toBe(2);
  });

  it('accumulates usage per task', async () => {
    openai.chat.push(
      { content: JSON.stringify(GOOD_HERO), promptTokens: 1_000_000, outputTokens: 0 },
      { content: JSON.stringify(GOOD_HERO), promptTokens: 10, outputTokens: 20 },
    );
    const { r } = router({
      providers: { openai: { kind: 'openai', baseURL: openai.baseURL, model: 'house-model' } },
      routes: { default: { provider: 'openai' } },
      prices: { 'house-model': { inputPerMTok: 2, outputPerMTok: 4 } },
    });
    await r.generateObject('character.create', request);
    await r.generateObject('summary', request);
    expect(r.meter.forTask('character.create')).toMatchObject({
      calls: 1,
      inputTokens: 1_000_000,
      costUsd: 2,
    });
    expect(r.meter.forTask('summary').costUsd).toBeCloseTo((10 * 2 + 20 * 4) / 1e6, 12);
    expect(r.meter.total()).toMatchObject({
      calls: 2,
      inputTokens: 1_000_010,
      outputTokens: 20,
      unpricedCalls: 0,
    });
  });

  it('routes embeddings and says which model produced them', async () => {
    const { r } = router({
      providers: {
        ollama: { kind: 'ollama', host: ollama.url, model: 'm', embedModel: 'nomic-embed-text' },
        offline: { kind: 'offline' },
      },
      routes: { default: { provider: 'ollama' }, embed: { provider: 'offline' } },
    });
    const offline = await r.embed(['hello world']);
    expect(offline).toMatchObject({ provider: 'offline', model: 'procedural' });
    expect(offline.embeddings[0]).toHaveLength(256);
    const viaOllama = await r.embed(['hello'], { task: 'summary' });
    expect(viaOllama).toMatchObject({ provider: 'ollama', model: 'nomic-embed-text' });
  });
});

describe('default routing', () => {
  it('uses Ollama when /api/tags answers, with the first chat model, then offline', async () => {
    const probe = new OllamaProbe();
    const routing = await defaultLlmConfig({ ollamaHost: ollama.url, probe });
    expect(routing.ollama).toEqual({ up: true, models: ['llama3.1:8b', 'nomic-embed-text'] });
    const config = parseLlmConfig(routing.config);
    expect(config.providers.ollama).toMatchObject({ kind: 'ollama', host: ollama.url, model: 'llama3.1:8b' });
    expect(config.routes.default).toEqual({ provider: 'ollama', fallback: [{ provider: 'offline' }] });

    ollama.chat.push({ content: JSON.stringify(GOOD_HERO) });
    const r = new LlmRouter({ config, offline: offlineHero });
    expect((await r.generateObject('summary', request)).provider).toBe('ollama');
  });

  it('uses the offline generator when Ollama does not answer', async () => {
    const routing = await defaultLlmConfig({ ollamaHost: await closedPortUrl() });
    const config = parseLlmConfig(routing.config);
    expect(Object.keys(config.providers)).toEqual(['offline']);
    expect(config.routes.default).toEqual({ provider: 'offline', fallback: [] });
    expect(routing.notes[0]).toContain('does not answer');
    const r = new LlmRouter({ config, offline: offlineHero });
    expect((await r.generateObject('character.create', request)).provider).toBe('offline');
  });

  it('gives the configured OpenAI endpoint its tasks, with local fallbacks', async () => {
    const all = await defaultLlmConfig({ ollamaHost: ollama.url, openaiBaseURL: openai.baseURL });
    expect(parseLlmConfig(all.config).routes.default).toEqual({
      provider: 'openai',
      fallback: [{ provider: 'ollama' }, { provider: 'offline' }],
    });
    const some = await defaultLlmConfig({
      ollamaHost: ollama.url,
      openaiApiKey: 'sk-x',
      openaiTasks: ['character.create'],
    });
    const config = parseLlmConfig(some.config);
    expect(config.routes.default?.provider).toBe('ollama');
    expect(config.routes['character.create']?.provider).toBe('openai');
    expect(config.providers.openai).toMatchObject({ kind: 'openai', apiKey: 'sk-x', model: 'gpt-4o-mini' });
  });

  it('caches the probe per host until the TTL passes', async () => {
    let now = 1_000;
    const probe = new OllamaProbe({ ttlMs: 5_000, now: () => now });
    await probe.check(ollama.url);
    await probe.check(ollama.url);
    expect(probe.probes).toBe(1);
    expect(ollama.requests.filter((r) => r.path === '/api/tags')).toHaveLength(1);
    now += 5_000;
    await probe.check(ollama.url);
    expect(probe.probes).toBe(2);
  });

  it('skips an Ollama that lists no chat model', async () => {
    const empty = await startFakeOllama({ models: ['nomic-embed-text'] });
    try {
      const routing = await defaultLlmConfig({ ollamaHost: empty.url });
      expect(parseLlmConfig(routing.config).routes.default?.provider).toBe('offline');
      expect(routing.notes[0]).toContain('no chat model');
    } finally {
      await empty.close();
    }
  });
});
