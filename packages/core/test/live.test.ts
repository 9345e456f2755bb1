/** The live document registry (issue 9 item 1): shared ref-counted docs, persistence with origins, feed, adopt. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editCharacter } from '../src/docs/character-doc';
import { rawJson } from '../src/docs/doc-type';
import { createCore, type LiveChange } from '../src/index';
import { build, deterministic, openCore, tempDir } from './helpers';

const remote = { kind: 'remote', author: 'bob' } as const;

describe('live documents', { timeout: 30_000 }, () => {
  it('shares one ref-counted Y.Doc per entity live branch, named <campaign>/<kind>/<docId>', async () => {
    const core = await openCore(null);
    try {
      const c = await core.campaigns.create({ name: 'Live' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const ref = { campaign: c.id, kind: 'character' as const, docId: ch.id };
      const a = await core.live.open(ref);
      const b = await core.live.open(ref);
      expect(a.doc).toBe(b.doc);
      expect(a.doc.guid).toBe(`${c.id}/character/${ch.id}`);
      expect(a.access).toBe('write');
      // A service edit goes through the same open document.
      await core.characters.edit(ch.id, { set: [{ path: '/build/name', value: 'Aria Vale' }] });
      expect((rawJson(a.doc)['build'] as { name: string }).name).toBe('Aria Vale');
      a.release();
      a.release(); // twice is harmless: b still holds it
      expect((rawJson(b.doc)['build'] as { name: string }).name).toBe('Aria Vale');
      b.release();
      await expect(core.live.open({ ...ref, docId: '00000000-0000-4000-8000-00000000ffff' })).rejects.toThrow(
        /not found/,
      );
      await expect(core.live.open({ ...ref, kind: 'item' })).rejects.toThrow(/is a character/);
      const kinds = (await core.live.list(c.id)).map((r) => `${r.kind}/${r.docId}`).sort();
      expect(kinds).toEqual([`campaign/${c.id}`, `character/${ch.id}`].sort());
    } finally {
      await core.close();
    }
  });

  it('keeps every edit when services, holders and releases interleave on one document', async () => {
    const t = tempDir();
    try {
      const core = await createCore({ dataDir: t.dir, ...deterministic() });
      const c = await core.campaigns.create({ name: 'Busy' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const ref = { campaign: c.id, kind: 'character' as const, docId: ch.id };
      const fears = Array.from({ length: 12 }, (_, i) => `fear-${i}`);
      await Promise.all(
        fears.map(async (f, i) => {
          const h = i % 3 === 0 ? await core.live.open(ref) : null;
          await core.characters.edit(ch.id, { set: [{ path: '/narrative/fears/-', value: f }] });
          h?.release();
        }),
      );
      await core.close();
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      const stored = (await again.characters.show(ch.id)).doc.narrative.fears;
      await again.close();
      expect([...stored].sort()).toEqual([...fears].sort());
    } finally {
      t.cleanup();
    }
  });

  it('stores remote updates as remote:<user>, never commits them, refreshes projections and feeds the change', async () => {
    const t = tempDir();
    try {
      const core = await createCore({ dataDir: t.dir, ...deterministic(), author: 'dm' });
      const c = await core.campaigns.create({ name: 'Feed' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const commitsBefore = (await core.history.log(ch.id)).length;
      const events: LiveChange[] = [];
      core.live.onChange((e) => events.push(e));
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      // What a peer sends: an update made on a copy of the document.
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(h.doc));
      editCharacter(peer, (j) => ({ ...j, build: { ...(j['build'] as object), name: 'Aria the Bold' } }), {
        kind: 'local-user',
        author: 'bob',
      });
      Y.applyUpdate(h.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(h.doc)), remote);
      await core.live.flush();
      expect(events).toContainEqual({ campaign: c.id, id: ch.id, kind: 'character', origin: 'remote:bob' });
      expect((await core.characters.list({ campaign: c.id })).map((r) => r.name)).toEqual(['Aria the Bold']);
      expect((await core.history.log(ch.id)).length).toBe(commitsBefore);
      h.release();
      await core.close();
      const db = new Database(join(t.dir, 'campaigns', `${c.id}.sqlite`), { readonly: true });
      const rows = db
        .prepare('select origin, author from doc_updates where doc_id = ? order by seq')
        .all(ch.id) as { origin: string; author: string }[];
      db.close();
      expect(rows).toContainEqual({ origin: 'remote:bob', author: 'bob' });
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      expect((await again.characters.show(ch.id)).doc.build.name).toBe('Aria the Bold');
      await again.close();
    } finally {
      t.cleanup();
    }
  });

  it('adopts a document from the relay under its own id, idempotently, with its campaign id', async () => {
    const host = await openCore(null, 1);
    const joiner = await openCore(null, 2);
    try {
      const c = await host.campaigns.create({ name: 'Shared' });
      const ch = await host.characters.import(build({ name: 'Brakka' }), { campaign: c.id });
      const hc = await host.live.open({ campaign: c.id, kind: 'campaign', docId: c.id });
      const hch = await host.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      const origin = { kind: 'remote', author: 'dm' } as const;
      const j1 = await joiner.live.adopt(hc.ref, Y.encodeStateAsUpdate(hc.doc), origin);
      // Stored before adopt returns: the campaign is listed under its own id and name at once.
      expect((await joiner.campaigns.get(c.id)).name).toBe('Shared');
      const j2 = await joiner.live.adopt(hch.ref, Y.encodeStateAsUpdate(hch.doc), origin);
      // Twice, concurrently: nothing is duplicated.
      const [j3, j4] = await Promise.all([
        joiner.live.adopt(hch.ref, Y.encodeStateAsUpdate(hch.doc), origin),
        joiner.live.adopt(hch.ref),
      ]);
      expect(j3.doc).toBe(j2.doc);
      expect(j4.doc).toBe(j2.doc);
      await joiner.live.flush();
      expect((await joiner.campaigns.list()).map((x) => [x.id, x.name])).toEqual([[c.id, 'Shared']]);
      expect((await joiner.characters.show(ch.id)).doc.build.name).toBe('Brakka');
      expect((await joiner.live.list(c.id)).length).toBe(2);
      expect((await joiner.characters.list()).map((r) => r.id)).toEqual([ch.id]);
      for (const h of [hc, hch, j1, j2, j3, j4]) h.release();
    } finally {
      await host.close();
      await joiner.close();
    }
  });
});
