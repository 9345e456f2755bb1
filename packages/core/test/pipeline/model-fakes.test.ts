/**
 * The pipeline against fake Ollama and OpenAI servers on 127.0.0.1 through the real npm clients: each scenario
 * ends in a valid saved character or a clear error with nothing saved.
 */
import { derive, toDeriveOutput, validate } from '@loreforge/rules-5e';
import {
  closedPortUrl,
  startFakeOllama,
  startFakeOpenAi,
  type FakeOllama,
  type FakeOpenAi,
} from '@loreforge/llm/test-fakes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { loadSrdContent } from '../../src/content/load-srd';
import { SqliteLlmCache } from '../../src/llm-cache/index';
import { createPipeline, createPipelineRouter, type PipelineRouterOptions } from '../../src/pipeline/index';
import { openCore, tempDir } from '../helpers';
import { GOOD_DRAFT } from './fixtures';

const content = loadSrdContent();

const good = JSON.stringify(GOOD_DRAFT);

describe('pipeline over real HTTP', () => {
  let ollama: FakeOllama;
  let openai: FakeOpenAi;
  let core: Core;
  let dir: string;
  let cleanup: () => void;
  const sleeps: number[] = [];

  beforeAll(async () => {
    ollama = await startFakeOllama();
    openai = await startFakeOpenAi();
  });
  afterAll(async () => {
    await ollama.close();
    await openai.close();
  });
  beforeEach(async () => {
    const t = tempDir('lf-pipe-http-');
    dir = t.dir;
    cleanup = t.cleanup;
    core = await openCore(dir);
    sleeps.length = 0;
  });
  afterEach(async () => {
    await core.close();
    cleanup();
  });

  async function pipelineFor(options: PipelineRouterOptions) {
    const { router } = await createPipelineRouter(content, {
      retryHooks: { sleep: async (ms: number) => void sleeps.push(ms) },
      ...options,
    });
    return createPipeline(core, { llm: router, content });
  }
  const viaOllama = (extra: Partial<PipelineRouterOptions> = {}) =>
    pipelineFor({ provider: 'ollama', ollamaHost: ollama.url, model: 'llama3.1:8b', ...extra });
  const viaOpenAi = (extra: Partial<PipelineRouterOptions> = {}) =>
    pipelineFor({ provider: 'openai', openaiBaseURL: openai.baseURL, model: 'gpt-4o-mini', ...extra });

  async function expectSavedValid(id: string | null) {
    expect(id).toBeTruthy();
    const stored = await core.characters.show(id as string);
    expect(validate(stored.doc.build, content).valid).toBe(true);
    return stored;
  }
  async function expectNothingSaved() {
    expect(await core.characters.list()).toEqual([]);
  }

  it('a valid answer (Ollama) is saved with provenance', async () => {
    ollama.chat.push({ content: good, promptTokens: 900, outputTokens: 700 });
    const r = await (await viaOllama()).createDraft({ concept: 'a dwarf cleric of the forge', seed: 1 });
    const stored = await expectSavedValid(r.id);
    expect(stored.doc.build.species).toBe('dwarf');
    expect(stored.doc.build.classes[0]?.class).toBe('cleric');
    expect(r.provenance).toMatchObject({ provider: 'ollama', model: 'llama3.1:8b', attempts: 1 });
    expect(r.provenance.usage).toMatchObject({ inputTokens: 900, outputTokens: 700 });
    const body = ollama.chatRequests().at(-1)?.body as { format: unknown; messages: { content: string }[] };
    expect(body.format).toBeTypeOf('object'); // the JSON schema went out as `format`
    expect(JSON.stringify(body.messages)).toContain('<<<BEGIN UNTRUSTED concept>>>');
  });

  it('a valid answer (OpenAI-compatible) is saved', async () => {
    openai.chat.push({ content: good });
    const r = await (await viaOpenAi()).createDraft({ concept: 'a dwarf cleric of the forge' });
    await expectSavedValid(r.id);
    expect(r.provenance).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', attempts: 1 });
    const body = openai.chatRequests().at(-1)?.body as { response_format: { type: string } };
    expect(body.response_format.type).toBe('json_schema');
  });

  it('the model is given the concept reader’s findings as fenced hints and asked to tell the concept', async () => {
    openai.chat.push({ content: good });
    const r = await (
      await viaOpenAi()
    ).createDraft({
      concept: 'a gladiator who won her freedom, with a trident',
    });
    // The model forgot the trident: the same fidelity check the eval runs adds it, wielded, as a repair.
    expect(r.build?.equipment.find((e) => e.item === 'trident')?.equipped).toBe(true);
    expect(r.repairs).toContainEqual(
      expect.objectContaining({ to: 'trident', reason: expect.stringMatching(/concept names Trident/) }),
    );
    const body = openai.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    expect(user).toMatch(
      /BEGIN UNTRUSTED hints[\s\S]*likely classes: Fighter[\s\S]*pronouns: she[\s\S]*gear to carry: Trident/,
    );
    expect(system).toContain('never copy the concept verbatim');
  });

  it('prose around the JSON is tolerated', async () => {
    ollama.chat.push({
      content: `Sure! Here is your character:\n\`\`\`json\n${good}\n\`\`\`\nEnjoy the game.`,
    });
    const r = await (await viaOllama()).createDraft({ concept: 'a dwarf cleric' });
    await expectSavedValid(r.id);
    expect(r.provenance.attempts).toBe(1);
  });

  it('malformed JSON, then a good answer: the errors go back and the second answer is used', async () => {
    openai.chat.push({ content: '{"build": {"name": "Brakka", ' }, { content: good });
    const r = await (await viaOpenAi()).createDraft({ concept: 'a dwarf cleric' });
    await expectSavedValid(r.id);
    expect(r.provenance.attempts).toBe(2);
    const second = openai.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)?.role).toBe('user');
    expect(second.messages.length).toBeGreaterThan(2);
  });

  it('schema-valid nonsense (unknown class, 40 prepared spells, scores of 25, no equipment) is repaired', async () => {
    const spells = [...(content.spellLists.get('wizard') ?? [])].slice(0, 40);
    const nonsense = {
      ...GOOD_DRAFT,
      build: {
        ...GOOD_DRAFT.build,
        classes: [{ class: 'Jedi Knight', level: 3 }],
        abilityScores: { str: 25, dex: 25, con: 25, int: 25, wis: 25, cha: 25 },
        equipment: [],
        spells: [{ class: 'Jedi Knight', cantrips: [], prepared: spells }],
      },
    };
    ollama.chat.push({ content: JSON.stringify(nonsense) });
    const r = await (await viaOllama()).createDraft({ concept: 'a jedi', seed: 2 });
    const stored = await expectSavedValid(r.id);
    expect(r.validation.valid).toBe(true);
    expect(r.repairs.length).toBeGreaterThan(5);
    expect(r.repairs.some((c) => c.path.startsWith('/abilityScores'))).toBe(true);
    for (const v of Object.values(stored.doc.build.abilityScores)) expect(v).toBeLessThanOrEqual(20);
    expect(content.classes.has(stored.doc.build.classes[0]?.class ?? '')).toBe(true);
    const prepared = stored.doc.build.spells?.flatMap((s) => s.prepared) ?? [];
    expect(prepared.length).toBeLessThan(40);
    const log = await core.history.log(r.id as string);
    expect(log[0]?.message).toContain('"repairs":[{');
  });

  it('derived numbers sent by the model are ignored and recomputed', async () => {
    const withNumbers = {
      ...GOOD_DRAFT,
      armorClass: 30,
      hitPoints: { max: 500 },
      build: { ...GOOD_DRAFT.build, armorClass: 30, proficiencyBonus: 9, hitPoints: 500 },
    };
    openai.chat.push({ content: JSON.stringify(withNumbers) });
    const r = await (await viaOpenAi()).createDraft({ concept: 'a dwarf cleric' });
    const stored = await expectSavedValid(r.id);
    expect(stored.doc.build).not.toHaveProperty('armorClass');
    expect(stored.doc.build).not.toHaveProperty('hitPoints');
    const recomputed = toDeriveOutput(derive(stored.doc.build, content));
    expect(r.derived).toEqual(recomputed);
    expect(r.derived?.armorClass).not.toBe(30);
    expect(r.derived?.proficiencyBonus).toBe(2);
  });

  it('a 429 with Retry-After is waited out, then the answer is used', async () => {
    ollama.chat.push({ status: 429, error: 'slow down', headers: { 'retry-after': '2' } }, { content: good });
    const r = await (await viaOllama()).createDraft({ concept: 'a dwarf cleric' });
    await expectSavedValid(r.id);
    expect(sleeps).toContain(2000);
  });

  it('a timeout is a clear error and nothing is saved', async () => {
    openai.chat.push({ hang: true });
    const p = await viaOpenAi({ timeoutMs: 150 });
    await expect(p.createDraft({ concept: 'a dwarf cleric' })).rejects.toThrow(/^openai: timeout/);
    await expectNothingSaved();
  });

  it('a server that is down is a clear error and nothing is saved', async () => {
    const down = await closedPortUrl();
    const p = await pipelineFor({ provider: 'ollama', ollamaHost: down, model: 'llama3.1:8b' });
    await expect(p.createDraft({ concept: 'a dwarf cleric' })).rejects.toThrow(/^ollama: unavailable/);
    await expectNothingSaved();
  });

  it('a refinement changes only the fields it names: junk in other fields does not leak', async () => {
    openai.chat.push({ content: good });
    const p = await viaOpenAi();
    const created = await p.createDraft({ concept: 'a dwarf cleric' });
    const id = created.id as string;
    const before = await core.characters.show(id);
    openai.chat.push({
      content: JSON.stringify({
        changes: [{ field: 'build.equipment', explanation: 'Added a light crossbow for range, as asked.' }],
        build: {
          equipment: [...before.doc.build.equipment, { item: 'Light Crossbow' }],
          abilityScores: { str: 20, dex: 20, con: 20, int: 20, wis: 20, cha: 20 },
          name: 'Junk Name',
        },
        narrative: { backstory: 'JUNK BACKSTORY' },
        lore: [{ element: 'Mace', kind: 'weapon', text: 'junk lore' }],
      }),
    });
    const refined = await p.refine(id, 'give her a light crossbow');
    const after = await core.characters.show(id);
    expect(after.doc.build.equipment.map((e) => e.item)).toContain('light-crossbow');
    expect(after.doc.build.abilityScores).toEqual(before.doc.build.abilityScores);
    expect(after.doc.build.name).toBe(before.doc.build.name);
    expect(after.doc.narrative.backstory).toBe(before.doc.narrative.backstory);
    expect(after.doc.narrative.lore).toEqual(before.doc.narrative.lore);
    expect(refined.explanations).toEqual([
      { field: 'build.equipment', explanation: 'Added a light crossbow for range, as asked.' },
    ]);
    // Besides the named field only the pipeline's own record moves: the new element's tag and the provenance.
    const paths = refined.diff.changes.map((c) => c.path);
    expect(paths.some((path) => path.startsWith('/build/equipment'))).toBe(true);
    expect(
      paths.every((path) => ['/build/equipment', '/elements', '/provenance'].some((x) => path.startsWith(x))),
    ).toBe(true);
    expect(after.doc.elements).toContainEqual({
      kind: 'item',
      name: 'Light Crossbow',
      id: 'light-crossbow',
      tag: 'srd',
    });
    expect(after.doc.elements.filter((e) => e.kind === 'item' && e.id === 'mace')).toHaveLength(1);
    expect(after.doc.provenance).toEqual({
      provider: 'openai',
      model: refined.provenance.model,
      attempts: 1,
      usage: refined.provenance.usage,
    });
    expect(refined.commit).not.toBe(created.commit);
    const prompt = openai.chatRequests().at(-1)?.body as { messages: { content: string }[] };
    expect(JSON.stringify(prompt.messages)).toContain('<<<BEGIN UNTRUSTED feedback>>>');
  });

  it('deterministic requests are cached in SQLite: the second identical create makes no HTTP call', async () => {
    const cache = SqliteLlmCache.inDataDir(dir);
    try {
      ollama.chat.push({ content: good });
      const p = await viaOllama({ cache });
      const calls = ollama.chatRequests().length;
      const first = await p.createDraft({ concept: 'a cached dwarf', seed: 11 });
      const second = await p.createDraft({ concept: 'a cached dwarf', seed: 11 });
      expect(ollama.chatRequests().length).toBe(calls + 1);
      expect(second.provenance).toMatchObject({ cached: true, attempts: 0 });
      expect(second.build).toEqual(first.build);
      expect(cache.size()).toBe(1);
    } finally {
      cache.close();
    }
  });

  it('default routing: Ollama when it answers, else the offline generator; the result says which ran', async () => {
    ollama.chat.push({ content: good });
    const up = await pipelineFor({ provider: 'auto', ollamaHost: ollama.url });
    const viaUp = await up.createDraft({ concept: 'a dwarf cleric' });
    expect(viaUp.provenance).toMatchObject({ provider: 'ollama', model: 'llama3.1:8b' });
    const down = await pipelineFor({ provider: 'auto', ollamaHost: await closedPortUrl() });
    const viaDown = await down.createDraft({ concept: 'a dwarf cleric', seed: 3 });
    expect(viaDown.provenance).toMatchObject({ provider: 'offline', model: 'procedural' });
    await expectSavedValid(viaDown.id);
  });

  it('retheme through a model keeps the mechanics even if the model sends build changes', async () => {
    openai.chat.push({ content: good });
    const p = await viaOpenAi();
    const created = await p.createDraft({ concept: 'a dwarf cleric' });
    const id = created.id as string;
    openai.chat.push({
      content: JSON.stringify({
        name: 'Unit BR-4KKA',
        narrative: {
          backstory: 'Once a shrine keeper, now a starship chaplain who still hums the old rites.',
        },
        lore: [{ element: 'Mace', kind: 'weapon', text: 'A shock baton built from the shrine bell.' }],
        build: {
          abilityScores: { str: 20, dex: 20, con: 20, int: 20, wis: 20, cha: 20 },
          classes: [{ class: 'wizard', level: 9 }],
        },
      }),
    });
    const themed = await p.retheme(id, 'space opera');
    const after = await core.characters.show(id);
    expect(after.branch).toBe(themed.branch);
    expect(after.doc.build.name).toBe('Unit BR-4KKA');
    expect({ ...after.doc.build, name: '' }).toEqual({ ...created.build, name: '' });
    expect(after.doc.narrative.theme).toBe('space opera');
    expect(after.doc.narrative.backstory).toContain('starship chaplain');
    expect(after.doc.narrative.lore['weapon:mace']).toBe('A shock baton built from the shrine bell.');
    expect(after.doc.themeHistory.at(-1)?.theme).toBe('space opera');
    expect(themed.provenance).toMatchObject({
      provider: 'openai',
      task: 'character.retheme',
      prompt: 'character.retheme@1',
    });
  });
});
