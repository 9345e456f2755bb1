import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core';
import { createEventBus } from '../../src/api/events';
import { createHandlers, disposeHandlers } from '../../src/api/handlers';
import { invokeHandler } from '../../src/api/invoke';
import { loadSrdContent } from '../../src/content/load-srd';

const log = { debug() {}, info() {}, warn() {}, error() {} };
let dir: string;
let core: Core;
const open: ReturnType<typeof createHandlers>[] = [];

function handlersFor(now?: () => number) {
  const h = createHandlers(core, {
    dataDir: dir,
    bus: createEventBus(),
    log,
    appVersion: 'test',
    host: 'test',
    llmProvider: 'offline',
    ...(now ? { now } : {}),
  });
  open.push(h);
  return h;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lf-drafts-'));
  core = await createCore({ dataDir: dir });
});
afterEach(async () => {
  for (const h of open.splice(0)) disposeHandlers(h);
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A draft whose first weapon was swapped for a warhammer through the offline refiner. */
async function draftWithSwap(h: ReturnType<typeof createHandlers>) {
  const d = await h['drafts.generate']({
    concept: 'a grim dwarven soldier with a blade',
    kind: 'pc',
    level: 3,
  });
  const content = loadSrdContent();
  const weapon = d.build?.equipment.find(
    (e) => content.items.get(e.item)?.kind === 'weapon' && e.item !== 'warhammer',
  );
  expect(weapon).toBeDefined();
  const from = content.items.get(weapon?.item ?? '')?.name ?? '';
  const r = await h['drafts.refine']({ draftId: d.draftId, feedback: `replace ${from} with warhammer` });
  return { d, r, from };
}

describe('drafts: refine shows changes by meaning', () => {
  it('a weapon swap is one row, named, and the turn says it in one line', async () => {
    const h = handlersFor();
    const { r, from } = await draftWithSwap(h);
    const turn = r.turns[1];
    const equipment = turn?.semantic.filter((c) => c.section === 'Equipment') ?? [];
    expect(equipment).toEqual([
      expect.objectContaining({ kind: 'changed', before: from, after: 'Warhammer', entry: true }),
    ]);
    expect(turn?.description).toContain(`swap ${from.toLowerCase()} for warhammer`);
    // The commit says what changed (the pipeline's bookkeeping stays in the trailer).
    const graph = await h['history.graph']({ id: r.draftId });
    const refine = graph.commits.find((c) => c.message.startsWith('refine:'));
    expect(refine?.message.split('\n')[0]).toMatch(
      new RegExp(`^refine: swap ${from.toLowerCase()} for warhammer via offline/`),
    );
  });

  it('history.diff carries the same rows; merge conflicts carry rows too', async () => {
    const h = handlersFor();
    const { d, r, from } = await draftWithSwap(h);
    const graph = await h['history.graph']({ id: d.draftId });
    const heads = graph.commits.filter((c) => c.branch === 'draft').map((c) => c.commit);
    const diff = await h['history.diff']({
      id: d.draftId,
      from: heads[heads.length - 2] as string,
      to: 'draft',
    });
    expect(diff.semantic.filter((c) => c.section === 'Equipment').map((c) => c.summary)).toEqual([
      `${from} → Warhammer`,
    ]);
    expect(r.turns[1]?.semantic).toEqual(diff.semantic);
    // Two branches both rename: the conflict is rendered by meaning.
    await h['history.branch']({ id: d.draftId, name: 'other', from: 'draft' });
    await h['characters.edit']({
      id: d.draftId,
      branch: 'draft',
      set: [{ path: '/build/name', value: 'Ours' }],
    });
    await h['characters.edit']({
      id: d.draftId,
      branch: 'other',
      set: [{ path: '/build/name', value: 'Theirs' }],
    });
    const m = await h['history.merge']({ id: d.draftId, from: 'other', into: 'draft' });
    const c = m.conflicts.find((x) => x.path === '/build/name');
    expect(c?.semantic).toEqual([
      expect.objectContaining({ section: 'Name', before: 'Ours', after: 'Theirs' }),
    ]);
  });
});

describe('drafts: life cycle', () => {
  it('listed, resumable after a restart (conversation and revisions come back), discarded', async () => {
    const first = handlersFor();
    const { d, r } = await draftWithSwap(first);
    const other = await first['drafts.generate']({ concept: 'a cheerful halfling bard', kind: 'pc' });
    const done = await first['drafts.generate']({ concept: 'a stern elf wizard', kind: 'pc' });
    await first['drafts.finalize']({ draftId: done.draftId });

    // A new handler map on the same folder: nothing in memory.
    const h = handlersFor();
    const list = await h['drafts.list']({});
    expect(list.map((x) => x.draftId).sort()).toEqual([d.draftId, other.draftId].sort());
    const mine = list.find((x) => x.draftId === d.draftId);
    expect(mine).toMatchObject({
      concept: 'a grim dwarven soldier with a blade',
      revisions: 2,
      stale: false,
    });

    const back = await h['drafts.resume']({ draftId: d.draftId });
    expect(back.turns.map((t) => [t.role, t.text])).toEqual(r.turns.map((t) => [t.role, t.text]));
    expect(back.turns[1]?.semantic).toEqual(r.turns[1]?.semantic);
    expect(back.revision).toBe(2);
    expect(back.build?.equipment).toEqual(r.build?.equipment);
    // Resumed drafts can be refined and finalized in this session.
    const again = await h['drafts.refine']({ draftId: d.draftId, feedback: 'rename to Borin Ashfall' });
    expect(again.turns).toHaveLength(3);
    expect(again.turns[2]?.description).toMatch(new RegExp(`^rename ${r.name} to Borin Ashfall`));

    await h['drafts.discard']({ draftId: other.draftId });
    expect((await h['drafts.list']({})).map((x) => x.draftId)).toEqual([d.draftId]);
    const lib = await h['campaigns.list']({});
    // Counts: finished characters and drafts apart; the discarded one in neither.
    expect(lib.find((c) => c.isLibrary)).toMatchObject({ characters: 1, drafts: 1 });
    const libId = lib.find((c) => c.isLibrary)?.id as string;
    const inLib = (await h['campaigns.get']({ id: libId })).characters.map((c) => c.id);
    expect(inLib).not.toContain(other.draftId);
    expect(inLib).toContain(done.draftId);
    const bad = await invokeHandler(h, 'drafts.discard', { draftId: done.draftId });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/^draftId: .*finalized/) },
    });
    const gone = await invokeHandler(h, 'drafts.resume', { draftId: other.draftId });
    expect(gone).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('discarded') },
    });
  });

  it('drafts older than the clean-up setting are marked stale', async () => {
    const h = handlersFor();
    const d = await h['drafts.generate']({ concept: 'an old forgotten draft', kind: 'pc' });
    const later = handlersFor(() => Date.now() + 20 * 24 * 3600 * 1000);
    expect((await later['drafts.list']({})).find((x) => x.draftId === d.draftId)?.stale).toBe(true);
    await later['settings.update']({ drafts: { cleanupAfterDays: 30 } });
    const again = handlersFor(() => Date.now() + 20 * 24 * 3600 * 1000);
    expect((await again['drafts.list']({})).find((x) => x.draftId === d.draftId)?.stale).toBe(false);
    expect(
      (await again['drafts.list']({ staleAfterDays: 7 })).find((x) => x.draftId === d.draftId)?.stale,
    ).toBe(true);
  });
});
