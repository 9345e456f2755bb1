import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { loadSrdContent } from '../../src/content/load-srd';
import { createPipeline, createPipelineRouter, type CharacterPipeline } from '../../src/pipeline/index';
import { openCore, tempDir } from '../helpers';

const content = loadSrdContent();

describe('offline refine understands common free-form requests', () => {
  let core: Core;
  let pipeline: CharacterPipeline;
  let cleanup: () => void;
  beforeEach(async () => {
    const t = tempDir('lf-refine-');
    cleanup = t.cleanup;
    core = await openCore(t.dir);
    const { router } = await createPipelineRouter(content, { provider: 'offline' });
    pipeline = createPipeline(core, { llm: router, content });
  });
  afterEach(async () => {
    await core.close();
    cleanup();
  });

  it('"more stealthy, less tanky" moves points from Constitution to Dexterity', async () => {
    const r = await pipeline.createDraft({ concept: 'a grizzled mercenary soldier', level: 4, seed: 2 });
    const before = r.build?.abilityScores;
    const refined = await pipeline.refine(r.id as string, 'more stealthy, less tanky');
    expect(refined.build?.abilityScores.dex).toBe((before?.dex ?? 0) + 2);
    expect(refined.build?.abilityScores.con).toBe((before?.con ?? 0) - 2);
    expect(refined.explanations.map((e) => e.field)).toEqual(['build.abilityScores']);
    expect(refined.validation.valid).toBe(true);
  });

  it('a swapped weapon is equipped, and a rename reaches every text', async () => {
    const r = await pipeline.createDraft({ concept: 'a fisher who fights with a spear', level: 3, seed: 5 });
    const oldName = r.build?.name ?? '';
    const refined = await pipeline.refine(
      r.id as string,
      'swap the spear for a trident. rename to Maris Deepwater',
    );
    expect(refined.build?.equipment.find((e) => e.item === 'trident')?.equipped).toBe(true);
    expect(refined.build?.equipment.some((e) => e.item === 'spear')).toBe(false);
    expect(refined.build?.name).toBe('Maris Deepwater');
    const stored = await core.characters.show(r.id as string);
    const texts = JSON.stringify(stored.doc.narrative);
    expect(texts).toContain('Maris');
    expect(texts).not.toContain(oldName);
    expect(texts).not.toContain(oldName.split(' ')[0] ?? '');
  });

  it('"make her a healer" rebuilds the class (name and story kept); "older" ages the appearance', async () => {
    const r = await pipeline.createDraft({ concept: 'a gladiator who won her freedom', level: 5, seed: 1 });
    expect(r.build?.classes[0]?.class).toBe('fighter');
    const healer = await pipeline.refine(r.id as string, 'make her a healer');
    expect(healer.build?.classes[0]?.class).toBe('cleric');
    expect(healer.build?.classes.reduce((n, c) => n + c.level, 0)).toBe(5);
    expect(healer.build?.name).toBe(r.build?.name);
    expect(healer.validation.valid).toBe(true);
    const older = await pipeline.refine(r.id as string, 'older');
    const stored = await core.characters.show(r.id as string);
    expect(stored.doc.narrative.appearance).toMatch(/^Grey-haired/);
    expect(older.explanations.map((e) => e.field)).toContain('narrative.appearance');
  });

  it('says what it did not understand, naming what it did', async () => {
    const r = await pipeline.createDraft({ concept: 'a wandering minstrel with a lute', level: 2, seed: 3 });
    await expect(pipeline.refine(r.id as string, 'give her a tragic secret about the moon')).rejects.toThrow(
      /did not understand "give her a tragic secret about the moon".*"older"\/"younger"/,
    );
    const partly = await pipeline.refine(r.id as string, 'add a dagger. write a sonnet about her');
    expect(partly.build?.equipment.some((e) => e.item === 'dagger')).toBe(true);
    expect(partly.explanations[0]?.explanation).toMatch(
      /Understood: add dagger\. Not understood offline: "write a sonnet about her"/,
    );
  });

  it('retheme rewrites every text with the new name; a theme with no table is composed from its words', async () => {
    const r = await pipeline.createDraft({ concept: 'a gladiator who won her freedom', level: 3, seed: 2 });
    const id = r.id as string;
    const oldName = r.build?.name ?? '';
    const themed = await pipeline.retheme(id, 'space opera sci-fi');
    const newName = themed.build?.name ?? '';
    expect(newName).not.toBe(oldName);
    const stored = await core.characters.show(id);
    const n = stored.doc.narrative;
    expect(n.backstory).toContain(newName);
    const texts = JSON.stringify({ ...n, lore: undefined, theme: undefined });
    expect(texts).not.toContain(oldName);
    expect(texts).not.toContain(oldName.split(' ')[0] ?? '');
    // Her pronouns survive the retheme; the mechanics do not change.
    expect(n.backstory).toMatch(/\b(she|her)\b/i);
    expect(n.backstory).not.toMatch(/\b(he|him|his|they|their)\b/i);
    expect({ ...themed.build, name: '' }).toEqual({ ...r.build, name: '' });
    const steam = await pipeline.retheme(id, 'steampunk');
    const after = (await core.characters.show(id)).doc.narrative;
    expect(after.backstory).toMatch(/steampunk (city|frontier|outpost|world)/);
    expect(after.backstory).toContain(steam.build?.name ?? '?');
    expect(after.backstory).not.toContain(newName);
  });
});
