import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestBridge, type TestBridge } from '../../test/bridge-helper';
import { inputSchemas, CHANNELS } from './contract';
import { invokeHandler } from './invoke';

let bridge: TestBridge;
let handlers: TestBridge['handlers'];
let events: TestBridge['events'];

beforeEach(async () => {
  ({ handlers, events } = bridge = await openTestBridge());
});

afterEach(() => bridge.close());

describe('contract', () => {
  it('has one handler per input schema and nothing else', () => {
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(inputSchemas).length).toBeGreaterThan(20);
  });
});

describe('invokeHandler', () => {
  it('rejects unknown channels without throwing', async () => {
    const r = await invokeHandler(handlers, 'fs.readFile', { path: '/etc/passwd' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: expect.stringContaining('fs.readFile') },
    });
    const proto = await invokeHandler(handlers, 'toString', {});
    expect(proto.ok).toBe(false);
  });

  it('names the field and reason for bad input', async () => {
    const r = await invokeHandler(handlers, 'campaigns.create', { name: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message).toContain('name');
      expect(r.error.message).toContain('must not be empty');
    }
    const extra = await invokeHandler(handlers, 'campaigns.list', { sneaky: 1 });
    expect(extra.ok).toBe(false);
  });

  it('turns core errors into { ok: false, error } with the core code', async () => {
    const r = await invokeHandler(handlers, 'campaigns.get', { id: 'nope' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('creates and lists campaigns and emits campaigns.changed', async () => {
    const created = await invokeHandler(handlers, 'campaigns.create', { name: 'Stormreach' });
    expect(created.ok).toBe(true);
    const list = await invokeHandler(handlers, 'campaigns.list', {});
    expect(list.ok && (list.value as { name: string }[]).map((c) => c.name)).toContain('Stormreach');
    expect(events.some((e) => e.event === 'campaigns.changed')).toBe(true);
  });
});

describe('drafts', () => {
  it('generates, refines (with a diff) and finalizes a character with progress events', async () => {
    const draft = await handlers['drafts.generate']({
      concept: 'a grumpy dwarf blacksmith who hits things',
      kind: 'pc',
    });
    expect(draft.build?.name.length).toBeGreaterThan(0);
    expect(draft.name).toBe(draft.build?.name);
    expect(draft.monster).toBeNull();
    expect(draft.validation.valid).toBe(true);
    expect(draft.derived?.armorClass.parts.length).toBeGreaterThan(0);
    const progress = events.filter((e) => e.event === 'llm.progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)?.payload).toMatchObject({ done: true, mode: 'offline' });

    expect(draft.mode).toBe('offline');
    expect(draft.note).toContain('offline generator');

    const refined = await handlers['drafts.refine']({
      draftId: draft.draftId,
      feedback: 'rename to Brakka Stonefist',
    });
    expect(refined.revision).toBe(2);
    expect(refined.build?.name).toBe('Brakka Stonefist');
    expect(refined.turns).toHaveLength(2);
    expect(refined.turns[1]?.changes).toContainEqual(
      expect.objectContaining({ path: '/build/name', from: draft.build?.name, to: 'Brakka Stonefist' }),
    );
    await expect(
      handlers['drafts.refine']({ draftId: draft.draftId, feedback: 'make her braver' }),
    ).rejects.toThrow(/understands only/);

    const fin = await handlers['drafts.finalize']({ draftId: draft.draftId });
    expect(fin.id).toBe(draft.draftId);
    const sheet = await handlers['characters.sheet']({ id: fin.id });
    expect(sheet.branch).toBe('main');
    expect(sheet.doc.build).toEqual(refined.build);
    expect(sheet.doc.narrative.backstory).toBe(refined.backstory);
    expect(sheet.derived.hitPoints.max.value).toBeGreaterThan(0);
    await expect(handlers['drafts.finalize']({ draftId: draft.draftId })).rejects.toThrow(
      /already finalized/,
    );
  });
});

describe('monster drafts', () => {
  it('generates a monster with a target CR, shows its stat block, refuses refine, finalizes and reads it back', async () => {
    const draft = await handlers['drafts.generate']({
      concept: 'a swamp troll that guards a rotten bridge',
      kind: 'monster',
      cr: 5,
    });
    expect(draft.kind).toBe('monster');
    expect(draft.build).toBeNull();
    expect(draft.derived).toBeNull();
    expect(draft.refinable).toBe(false);
    const m = draft.monster;
    expect(m).not.toBeNull();
    if (!m) return;
    expect(draft.name).toBe(m.statBlock.name);
    expect(m.statBlock.hp.average).toBeGreaterThan(0);
    expect(m.challenge.method).toMatch(/calibrated|dmg2014/);
    // The estimate is within a couple of steps of the target the generator tuned for.
    expect(Math.abs(m.challenge.cr - 5)).toBeLessThanOrEqual(2);
    expect(m.challenge.cr).toBe(m.statBlock.cr);

    await expect(
      handlers['drafts.refine']({ draftId: draft.draftId, feedback: 'rename to Grubb' }),
    ).rejects.toThrow(/draftId: .*stat block; refining stat blocks is not supported/);

    const fin = await handlers['drafts.finalize']({ draftId: draft.draftId });
    expect(fin.id).toBe(draft.draftId);
    const shown = await handlers['characters.showAny']({ id: fin.id });
    expect(shown).toMatchObject({ id: fin.id, branch: 'main', kind: 'monster', name: draft.name });
    expect(shown.statBlock?.statBlock).toEqual(m.statBlock);
    expect(shown.statBlock?.challenge).toEqual(m.challenge);
    await expect(handlers['characters.sheet']({ id: fin.id })).rejects.toThrow(/stat block and no build/);

    const pc = await handlers['drafts.generate']({ concept: 'a halfling bard', kind: 'pc' });
    expect((await handlers['characters.showAny']({ id: pc.draftId })).statBlock).toBeNull();
  });
});

describe('history handlers', () => {
  it('branches, edits, merges and diffs', async () => {
    const draft = await handlers['drafts.generate']({
      concept: 'an elf ranger of the deep woods',
      kind: 'pc',
    });
    const { id } = await handlers['drafts.finalize']({ draftId: draft.draftId });
    const g0 = await handlers['history.graph']({ id });
    expect(g0.branches.map((b) => b.name).sort()).toEqual(['draft', 'main']);
    const root = g0.commits[0]?.commit as string;
    await handlers['history.branch']({ id, name: 'what-if', from: root });
    await handlers['characters.edit']({
      id,
      branch: 'what-if',
      set: [{ path: '/narrative/appearance', value: 'tall' }],
    });
    const diff = await handlers['history.diff']({ id, from: 'main', to: 'what-if' });
    expect(diff.changes.map((c) => c.path)).toContain('/narrative/appearance');
    const merged = await handlers['history.merge']({ id, from: 'what-if' });
    expect(merged.conflicts).toEqual([]);
    const g1 = await handlers['history.graph']({ id });
    expect(g1.branches.map((b) => b.name).sort()).toEqual(['draft', 'main', 'what-if']);
    expect(g1.commits.find((c) => c.commit === merged.commit)?.parents).toHaveLength(2);
    const sheet = await handlers['characters.sheet']({ id });
    expect(sheet.doc.narrative.appearance).toBe('tall');
  });
});

describe('srd.search', () => {
  it('finds spells fuzzily and filters by type, level and class', async () => {
    const r = await handlers['srd.search']({ query: 'firebal', limit: 5 });
    expect(r.hits[0]?.id).toBe('fireball');
    const wiz1 = await handlers['srd.search']({
      query: '',
      type: 'spell',
      level: 1,
      class: 'wizard',
      limit: 200,
    });
    expect(wiz1.hits.length).toBeGreaterThan(5);
    expect(wiz1.hits.every((h) => h.type === 'spell' && h.level === 1 && h.classes.includes('wizard'))).toBe(
      true,
    );
  });
});

describe('settings', () => {
  it('never returns secrets', async () => {
    const s = await handlers['settings.update']({
      llm: { openaiApiKey: 'sk-secret' },
      sync: { relaySecret: 'x'.repeat(40) },
    });
    expect(JSON.stringify(s)).not.toContain('sk-secret');
    expect(s.llm.openaiKeySet).toBe(true);
    expect(s.sync.relaySecretSet).toBe(true);
  });
});
