/** Issue 10: the `memory.*` bridge channels the app calls (same services as the CLI), with input errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/api/invoke';
import { openTestBridge, type TestBridge } from '../bridge-helper';
import type { Core } from '../../src/index';

let bridge: TestBridge;
let core: Core;
let handlers: TestBridge['handlers'];
let call: TestBridge['call'];
beforeEach(async () => {
  ({ core, handlers, call } = bridge = await openTestBridge());
});
afterEach(() => bridge.close());

describe('memory bridge channels', () => {
  it('create, suggest, resolve mentions, search, relate, path, consolidate', async () => {
    const campaign = (await core.campaigns.create({ name: 'Bridge' })).id;
    const duke = await call<{ id: string }>('memory.createEntity', {
      campaign,
      kind: 'npc',
      name: 'Duke Varo',
      aliases: ['Iron Duke'],
    });
    const keep = await call<{ id: string }>('memory.createEntity', {
      campaign,
      kind: 'location',
      name: 'Black Keep',
      dmText: 'cellar cult',
    });
    const sug = await call<{ id: string }[]>('memory.suggest', { campaign, query: 'iron' });
    expect(sug.map((s) => s.id)).toEqual([duke.id]);
    const prepared = await call<{ text: string; mentions: { id: string }[] }>('memory.prepareText', {
      campaign,
      text: '@Varo rode to the @"Black Keep".',
    });
    expect(prepared.mentions.map((m) => m.id)).toEqual([duke.id, keep.id]);
    await core.journals.create(campaign, { title: 'S1', text: prepared.text, session: 1 });
    const found = await call<{ hits: { id: string }[] }>('memory.search', { campaign, query: 'Blak Keep' });
    expect(found.hits.map((h) => h.id)).toContain(keep.id);
    expect((await call<{ title: string }[]>('memory.mentions', { id: keep.id })).map((b) => b.title)).toEqual(
      ['S1'],
    );
    await call('memory.relate', { from: duke.id, to: keep.id, type: 'rules' });
    const path = await call<{ relation?: string }[]>('memory.path', { from: duke.id, to: keep.id });
    expect(path.map((p) => p.relation)).toEqual([undefined, 'rules']);
    const page = await call<{ dm?: { text: string }; relations?: unknown[] }>('memory.entity', {
      id: keep.id,
    });
    expect(page.dm?.text).toBe('cellar cult');
    expect(page.relations).toHaveLength(1);
    const c = await call<{ keyEvents: unknown[] }>('memory.consolidate', { campaign, session: 1 });
    expect(c.keyEvents.length).toBeGreaterThan(0);
  });

  it('names the field and the reason for bad input', async () => {
    const r = await invokeHandler(handlers, 'memory.createEntity', {
      campaign: 'c',
      kind: 'castle',
      name: 'X',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/kind/);
    const rel = await invokeHandler(handlers, 'memory.relate', { from: 'a', to: 'b', type: 'Best Friend' });
    expect(rel.ok).toBe(false);
    if (!rel.ok) expect(rel.error.message).toMatch(/type.*lower-case slug/);
    const q = await invokeHandler(handlers, 'memory.search', { campaign: 'c', query: ' ' });
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.error.message).toMatch(/query.*must not be empty/);
  });
});
