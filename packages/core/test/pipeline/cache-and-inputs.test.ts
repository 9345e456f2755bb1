import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFakeOllama, type FakeOllama } from '@loreforge/llm/test-fakes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { loadSrdContent } from '../../src/content/load-srd';
import { LazySqliteLlmCache, LLM_CACHE_MIGRATIONS, SqliteLlmCache } from '../../src/llm-cache/index';
import { createPipeline, createPipelineRouter, type CharacterPipeline } from '../../src/pipeline/index';
import { openCore, tempDir } from '../helpers';
import { GOOD_DRAFT } from './fixtures';

const content = loadSrdContent();

describe('SqliteLlmCache', () => {
  const t = tempDir('lf-llm-cache-');
  afterAll(() => t.cleanup());

  it('keeps entries across reopen and replaces a key on set', async () => {
    const file = join(t.dir, 'a', 'llm-cache.sqlite');
    const a = new SqliteLlmCache(file, { clock: () => 1000 });
    expect(await a.get('k')).toBeUndefined();
    await a.set('k', 'v1');
    await a.set('k', 'v2');
    a.close();
    const b = new SqliteLlmCache(file);
    expect(await b.get('k')).toBe('v2');
    expect(b.size()).toBe(1);
    b.close();
  });

  it('refuses a file written by a newer schema, naming the versions', () => {
    const file = join(t.dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${LLM_CACHE_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteLlmCache(file)).toThrow(/schema version 2 is newer than this app knows \(1\)/);
  });

  it('the lazy cache creates its file only on the first write', async () => {
    const file = join(t.dir, 'lazy', 'llm-cache.sqlite');
    const lazy = new LazySqliteLlmCache(file);
    expect(await lazy.get('k')).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    await lazy.set('k', 'v');
    expect(existsSync(file)).toBe(true);
    expect(await lazy.get('k')).toBe('v');
    lazy.close();
  });
});

describe('pipeline inputs, campaigns and cancellation', () => {
  let core: Core;
  let pipeline: CharacterPipeline;
  let ollama: FakeOllama;
  let cleanup: () => void;
  beforeAll(async () => {
    ollama = await startFakeOllama();
  });
  afterAll(async () => {
    await ollama.close();
  });
  beforeEach(async () => {
    const t = tempDir('lf-pipe-in-');
    cleanup = t.cleanup;
    core = await openCore(t.dir);
    const { router } = await createPipelineRouter(content, {
      provider: 'ollama',
      ollamaHost: ollama.url,
      model: 'llama3.1:8b',
    });
    pipeline = createPipeline(core, { llm: router, content });
  });
  afterEach(async () => {
    await core.close();
    cleanup();
  });

  it('bad input names the field and the reason, before any model call', async () => {
    const before = ollama.chatRequests().length;
    await expect(pipeline.createDraft({ concept: '   ' })).rejects.toThrow(
      /createDraft: concept: must not be empty/,
    );
    await expect(pipeline.createDraft({ concept: 'x', level: 21 })).rejects.toThrow(/createDraft: level: /);
    await expect(pipeline.createDraft({ concept: 'x', kind: 'dragon' as 'pc' })).rejects.toThrow(
      /createDraft: kind: /,
    );
    await expect(pipeline.bulkCreate({ role: 'guard', count: 2, partyLevels: [] })).rejects.toThrow(
      /bulkCreate: partyLevels: give at least one party level/,
    );
    expect(ollama.chatRequests().length).toBe(before);
  });

  it('a draft created for a campaign is saved in it and joins its roster', async () => {
    const campaign = await core.campaigns.create({ name: 'Curse of the Pipeline' });
    ollama.chat.push({ content: JSON.stringify(GOOD_DRAFT) });
    const r = await pipeline.createDraft({ concept: 'a dwarf cleric', campaignId: campaign.id });
    const listed = await core.characters.list({ campaign: campaign.id });
    expect(listed.map((c) => c.id)).toEqual([r.id]);
    expect(listed[0]?.campaign).toBe(campaign.id);
  });

  it('cancelling mid-request aborts cleanly and saves nothing', async () => {
    ollama.chat.push({ hang: 'after-first-chunk' });
    const controller = new AbortController();
    const pending = pipeline.createDraft({ concept: 'a dwarf cleric' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow(/^ollama: aborted/);
    expect(await core.characters.list()).toEqual([]);
  });
});
