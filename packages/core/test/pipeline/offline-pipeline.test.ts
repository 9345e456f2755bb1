import { BuildSchema, derive, repair, validate, type Build } from '@loreforge/rules-5e';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { loadSrdContent } from '../../src/content/load-srd';
import {
  createPipeline,
  createPipelineRouter,
  mergeElements,
  type CharacterPipeline,
} from '../../src/pipeline/index';
import { build, openCore, tempDir } from '../helpers';

const content = loadSrdContent();

describe('pipeline with the offline generator', () => {
  let core: Core;
  let pipeline: CharacterPipeline;
  let cleanup: () => void;
  beforeEach(async () => {
    const t = tempDir('lf-pipe-');
    cleanup = t.cleanup;
    core = await openCore(t.dir);
    const { router } = await createPipelineRouter(content, { provider: 'offline' });
    pipeline = createPipeline(core, { llm: router, content });
  });
  afterEach(async () => {
    await core.close();
    cleanup();
  });

  it('creates a valid draft on the draft branch with provenance in the commit', async () => {
    const r = await pipeline.createDraft({ concept: 'a grumpy dwarf blacksmith priest', level: 3, seed: 7 });
    expect(r.id).toBeTruthy();
    expect(r.branch).toBe('draft');
    expect(r.validation.valid).toBe(true);
    expect(r.provenance).toMatchObject({
      provider: 'offline',
      model: 'procedural',
      attempts: 1,
      prompt: 'character.create@2',
    });
    expect(r.derived?.level).toBe(3);
    const id = r.id as string;
    const stored = await core.characters.show(id);
    expect(stored.branch).toBe('draft');
    expect(stored.commit).toBe(r.commit);
    expect(validate(stored.doc.build, content).valid).toBe(true);
    // The element tags and the provenance live in the document, not only in the commit message.
    expect(stored.doc.elements).toEqual(r.elements);
    expect(stored.doc.elements.length).toBeGreaterThan(0);
    expect(stored.doc.provenance).toEqual({
      provider: 'offline',
      model: 'procedural',
      attempts: 1,
      usage: r.provenance.usage,
    });
    const log = await core.history.log(id);
    expect(log[0]?.message).toMatch(/^create: .* via offline\/procedural/);
    expect(log[0]?.message).toContain('"provenance":{"provider":"offline"');
  });

  it('NPCs get a challenge rating from the estimator; monsters a recomputed CR', async () => {
    const npc = await pipeline.createDraft({
      concept: 'a veteran city guard captain',
      kind: 'npc',
      level: 5,
      seed: 1,
    });
    expect(npc.challenge?.from).toBe('character');
    expect(npc.challenge?.cr).toBeGreaterThan(0);
    const monster = await pipeline.createDraft({
      concept: 'a swamp troll',
      kind: 'monster',
      level: 5,
      seed: 1,
    });
    expect(monster.creature?.cr).toBe(monster.challenge?.cr);
    expect(monster.validation.valid).toBe(true);
    // Monsters are saved like characters: a stat-block document on the draft branch, no build.
    expect(monster.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(monster.branch).toBe('draft');
    expect(monster.commit).not.toBeNull();
    const stored = await core.characters.showAny(monster.id as string);
    expect(stored.commit).toBe(monster.commit);
    expect(stored.doc.kind).toBe('monster');
    expect(stored.doc.build).toBeUndefined();
    expect(stored.doc.creature).toEqual(monster.creature);
    expect(stored.doc.elements).toEqual(monster.elements);
    expect(stored.doc.provenance).toEqual({
      provider: 'offline',
      model: 'procedural',
      attempts: 1,
      usage: monster.provenance.usage,
    });
    expect(stored.doc.narrative.backstory).toBe(monster.narrative.backstory);
    await expect(core.characters.show(monster.id as string)).rejects.toThrow(/stat block and no build/);
    const rows = await core.characters.list();
    expect(rows.find((r) => r.id === monster.id)).toMatchObject({
      kind: 'monster',
      name: monster.creature?.name,
      branch: 'draft',
      commit: monster.commit,
    });
    const log = await core.history.log(monster.id as string);
    expect(log.map((e) => e.message.split('\n')[0])).toEqual([
      expect.stringMatching(/^create: .* via offline\/procedural/),
      `start ${monster.creature?.name}`,
    ]);
    // The pipeline's build tools refuse a stat block with a clear reason, and nothing is written.
    await expect(pipeline.refine(monster.id as string, 'rename to Grok')).rejects.toThrow(
      /is a monster; the pipeline edits pc and npc builds/,
    );
    expect((await core.history.log(monster.id as string)).length).toBe(2);
  });

  it('refine applies a plain offline command and returns the diff; finalize tags the baseline on main', async () => {
    const r = await pipeline.createDraft({ concept: 'an elven archer scout', level: 2, seed: 3 });
    const id = r.id as string;
    const refined = await pipeline.refine(id, 'add a longbow. rename to Sylra Windrunner');
    expect(refined.build?.name).toBe('Sylra Windrunner');
    expect(refined.build?.equipment.some((e) => e.item === 'longbow')).toBe(true);
    expect(refined.diff.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['/build/name']));
    // The rename also reaches the story (offline refine carries the new name into every narrative text).
    const fields = refined.explanations.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['build.equipment', 'build.name', 'narrative.backstory']));
    expect(fields.filter((f) => f.startsWith('build.')).sort()).toEqual(['build.equipment', 'build.name']);
    // The document's element tags follow the build: the new longbow is tagged, earlier elements stay.
    const stored = await core.characters.show(id);
    expect(stored.doc.elements).toContainEqual({ kind: 'item', name: 'longbow', id: 'longbow', tag: 'srd' });
    for (const e of r.elements) expect(stored.doc.elements).toContainEqual(e);
    const fin = await pipeline.finalize(id);
    expect(fin.tag).toBe('baseline');
    expect(fin.merged).toBe('draft');
    const main = await core.characters.show(id, { ref: 'baseline' });
    expect(main.doc.build.name).toBe('Sylra Windrunner');
    const branches = await core.history.branches(id);
    expect(branches.find((b) => b.isDefault)?.name).toBe('main');
    // Nothing new on the draft: a second finalize returns the same baseline and adds no tag.
    const again = await pipeline.finalize(id);
    expect(again).toMatchObject({ tag: 'baseline', merged: null, commit: fin.commit });
    const tags = (await core.history.log(id, { branch: 'main' })).flatMap((e) => e.tags);
    expect(tags.filter((t) => t.startsWith('baseline'))).toEqual(['baseline']);
  });

  it('level up proposes table options and applies the chosen one with a level-up tag', async () => {
    // A known level-3 wizard (the generator's choices may change; the level-up table does not).
    const wizard = repair(
      BuildSchema.parse(build({ classes: [{ class: 'wizard', level: 3, subclass: 'evoker' }] })),
      content,
    ).build;
    const { id } = await core.characters.import({ build: wizard });
    const proposal = await pipeline.levelUp(id);
    expect(proposal.applied).toBeNull();
    const labels = proposal.options.map((o) => o.label);
    expect(labels).toContain('Ability Score Improvement: int +2');
    expect(labels.some((l) => l.startsWith('feat '))).toBe(true);
    for (const o of proposal.options) {
      expect(o.newLevel).toBe(4);
      expect(o.hitPoints).toMatchObject({ die: 6, average: 4 });
      expect(validate(o.build, content).valid).toBe(true);
    }
    const asi = labels.indexOf('Ability Score Improvement: int +2');
    const applied = await pipeline.levelUp(id, { choice: asi });
    expect(applied.applied?.derived?.level).toBe(4);
    expect(applied.applied?.build?.abilityScores.int).toBe(wizard.abilityScores.int + 2);
    expect(applied.applied?.build?.feats).toContain('ability-score-improvement');
    expect(applied.applied?.validation.valid).toBe(true);
    expect(applied.applied?.tags).toContain('level-4');
    const log = await core.history.log(id);
    expect(log[0]?.message).toMatch(/^level up \(Ability Score Improvement: int \+2\)/);
  });

  it('level up at the subclass level offers each subclass and fills spells to the table counts', async () => {
    const wizard = repair(
      BuildSchema.parse(build({ classes: [{ class: 'wizard', level: 2 }] })),
      content,
    ).build;
    const { id } = await core.characters.import({ build: wizard });
    const { options } = await pipeline.levelUp(id);
    expect(options.map((o) => o.label)).toEqual(
      content.classes
        .get('wizard')
        ?.subclasses.map((s) => `subclass ${content.subclasses.get(s)?.name ?? s}`),
    );
    const derived = derive(options[0]?.build as Build, content);
    const info = derived.spellcasting.classes.find((c) => c.class === 'wizard');
    const list = options[0]?.build.spells?.find((s) => s.class === 'wizard');
    expect(list?.prepared.length).toBe(info?.prepared);
    expect(list?.cantrips.length).toBe(info?.cantrips);
  });

  it('retheme keeps mechanics, writes the live branch and records a theme branch', async () => {
    const r = await pipeline.createDraft({ concept: 'a human fighter sellsword', level: 2, seed: 9 });
    const id = r.id as string;
    const themed = await pipeline.retheme(id, 'space opera sci-fi');
    expect(themed.branch).toBe('draft');
    expect((await core.history.branches(id)).some((b) => /^theme\//.test(b.name))).toBe(true);
    expect(themed.validation.valid).toBe(true);
    const before = { ...r.build, name: '' };
    const after = { ...themed.build, name: '' };
    expect(after).toEqual(before);
    expect(themed.narrative.theme).toBe('space opera sci-fi');
  });

  it('bulk creates a squad a DM would field: a leader and minions in roles, near their CRs', async () => {
    const squad = await pipeline.bulkCreate({
      role: 'cult fanatic',
      count: 4,
      partyLevels: [3, 3, 3, 3],
      targetCr: 1,
      seed: 4,
    });
    expect(squad.members).toHaveLength(4);
    expect(squad.members.map((m) => m.squadRole)).toEqual(['leader', 'brute', 'skirmisher', 'caster']);
    expect(squad.leaderCr).toBeGreaterThan(squad.targetCr);
    for (const m of squad.members) {
      expect(m.validation.valid).toBe(true);
      const target = m.squadRole === 'leader' ? squad.leaderCr : 1;
      expect(Math.abs((m.challenge?.cr ?? 99) - target)).toBeLessThanOrEqual(2);
    }
    const leader = squad.members[0];
    const minions = squad.members.slice(1);
    expect(Math.max(...minions.map((m) => m.challenge?.cr ?? 0))).toBeLessThanOrEqual(
      leader?.challenge?.cr ?? 0,
    );
    // Variety: own names and stories, and different stat lines for different roles.
    expect(new Set(squad.members.map((m) => m.build?.name)).size).toBe(4);
    expect(new Set(squad.members.map((m) => m.narrative.backstory)).size).toBe(4);
    const mechanics = squad.members.map((m) => JSON.stringify({ ...m.build, name: '' }));
    expect(new Set(mechanics).size).toBe(4);
    // Each member is its own saved document, with its tags and provenance.
    for (const m of squad.members) {
      const stored = await core.characters.show(m.id as string);
      expect(stored.commit).toBe(m.commit);
      expect(stored.doc.kind).toBe('npc');
      expect(stored.doc.build.name).toBe(m.build?.name);
      expect(stored.doc.elements).toEqual(m.elements);
      expect(stored.doc.provenance?.provider).toBe('offline');
    }
    const listed = (await core.characters.list()).filter((r) => squad.members.some((m) => m.id === r.id));
    expect(listed.map((r) => r.kind)).toEqual(['npc', 'npc', 'npc', 'npc']);
  });

  it('each member’s build and story agree; adjacent seeds give different squads; difficulty scales the CR', async () => {
    const a = await pipeline.bulkCreate({
      role: 'bandit',
      count: 5,
      partyLevels: [4, 4, 4, 4],
      seed: 1,
      save: false,
    });
    expect(a.members.map((m) => m.squadRole)).toEqual(['leader', 'brute', 'skirmisher', 'caster', 'brute']);
    for (const m of a.members) {
      const species = content.species.get(m.build?.species ?? '')?.name.toLowerCase() ?? '?';
      expect((m.narrative.appearance ?? '').toLowerCase()).toContain(species);
    }
    for (const brute of a.members.filter((m) => m.squadRole === 'brute'))
      expect(['barbarian', 'fighter']).toContain(brute.build?.classes[0]?.class);
    expect(a.members.find((m) => m.squadRole === 'caster')?.build?.spells?.length ?? 0).toBeGreaterThan(0);
    expect(new Set(a.members.map((m) => m.build?.species)).size).toBeGreaterThanOrEqual(2);
    const b = await pipeline.bulkCreate({
      role: 'bandit',
      count: 5,
      partyLevels: [4, 4, 4, 4],
      seed: 2,
      save: false,
    });
    expect(b.members.map((m) => m.build?.name)).not.toEqual(a.members.map((m) => m.build?.name));
    const hard = await pipeline.bulkCreate({
      role: 'bandit',
      count: 5,
      partyLevels: [4, 4, 4, 4],
      seed: 1,
      difficulty: 'deadly',
      save: false,
    });
    expect(hard.targetCr).toBeGreaterThan(a.targetCr);
  });

  it('bulk with save: false previews the squad and writes nothing', async () => {
    const before = await core.characters.list();
    const squad = await pipeline.bulkCreate({
      role: 'town guard',
      count: 2,
      partyLevels: [2, 2, 2],
      seed: 9,
      save: false,
    });
    expect(squad.members).toHaveLength(2);
    for (const m of squad.members) {
      expect(m.validation.valid).toBe(true);
      expect([m.id, m.branch, m.commit]).toEqual([null, null, null]);
    }
    expect(await core.characters.list()).toEqual(before);
  });
});

describe('mergeElements (element tags after refine, level-up, retheme)', () => {
  it('keeps the tag of a re-skin for the same element, tags new ones, keeps lore-only custom content', () => {
    const before = [
      {
        kind: 'item' as const,
        name: 'Plasma Blade',
        id: 'longsword',
        tag: 'adapted' as const,
        basedOn: 'longsword',
      },
      {
        kind: 'spell' as const,
        name: 'Void Lance',
        id: 'void-lance',
        tag: 'custom' as const,
        basedOn: 'fire-bolt',
      },
      { kind: 'item' as const, name: 'Rope', id: 'rope', tag: 'srd' as const },
    ];
    const after = [
      { kind: 'item' as const, name: 'Longsword', id: 'longsword', tag: 'srd' as const },
      { kind: 'item' as const, name: 'Shield', id: 'shield', tag: 'srd' as const },
    ];
    expect(mergeElements(before, after)).toEqual([
      before[0],
      after[1],
      // The custom spell is lore-only (not in the build) and survives; the removed rope does not.
      before[1],
    ]);
  });
});
