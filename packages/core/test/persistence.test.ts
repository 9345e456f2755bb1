/** Update rows carry origin and author; compaction merges them per origin; commits compact the branch to one row. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCore } from '../src/index';
import { editCharacter } from '../src/docs/character-doc';
import type { JsonObject } from '../src/docs/y-json';
import { build, deterministic, tempDir } from './helpers';

describe('update persistence and compaction', { timeout: 30_000 }, () => {
  it('records origin and author per update and compacts past compactEvery', async () => {
    const t = tempDir();
    try {
      const core = await createCore({
        dataDir: t.dir,
        compactEvery: 3,
        author: 'dm-alice',
        ...deterministic(),
      });
      const c = await core.campaigns.create({ name: 'Rows' });
      const file = join(t.dir, 'campaigns', `${c.id}.sqlite`);
      const rows = () => {
        const db = new Database(file, { readonly: true });
        try {
          return db
            .prepare('select origin, author from doc_updates where doc_id = ? order by seq')
            .all(c.id) as {
            origin: string;
            author: string;
          }[];
        } finally {
          db.close();
        }
      };
      // The create commit compacted the branch to one row.
      expect(rows()).toEqual([{ origin: 'compaction', author: 'loreforge' }]);
      const uuid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
      await core.campaigns.addToRoster(c.id, uuid(1), { entity: 'item' });
      expect(rows()).toEqual([
        { origin: 'compaction', author: 'loreforge' },
        { origin: 'local-user', author: 'dm-alice' },
      ]);
      await core.campaigns.addToRoster(c.id, uuid(2), { entity: 'item' });
      await core.campaigns.addToRoster(c.id, uuid(3), { entity: 'item' });
      // Four rows > compactEvery (3): merged into one row per origin and author (who wrote what survives).
      expect(rows()).toEqual([
        { origin: 'compaction', author: 'loreforge' },
        { origin: 'local-user', author: 'dm-alice' },
      ]);
      await core.campaigns.addToRoster(c.id, uuid(4), { entity: 'item' });
      await core.close();
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      const ids = Object.keys((await again.campaigns.doc(c.id)).roster);
      expect(ids.sort()).toEqual([uuid(1), uuid(2), uuid(3), uuid(4)]);
      await again.history.commit(c.id, { message: 'save point' });
      expect(rows()).toHaveLength(1);
      await again.close();
    } finally {
      t.cleanup();
    }
  });

  it('live edits compact when the document is quiet, merging only the newest rows', async () => {
    const t = tempDir();
    try {
      const core = await createCore({ dataDir: t.dir, compactEvery: 5, author: 'dm', ...deterministic() });
      const c = await core.campaigns.create({ name: 'Tiers' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const file = join(t.dir, 'campaigns', `${c.id}.sqlite`);
      const rows = () => {
        const db = new Database(file, { readonly: true });
        try {
          return db
            .prepare('select seq, origin from doc_updates where doc_id = ? order by seq')
            .all(ch.id) as {
            seq: number;
            origin: string;
          }[];
        } finally {
          db.close();
        }
      };
      const base = rows()[0]!;
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      for (let i = 0; i < 30; i++) {
        editCharacter(
          h.doc,
          (j) => ({ ...j, narrative: { ...(j['narrative'] as JsonObject), fears: [`fear ${i}`] } }),
          { kind: 'local-user', author: 'dm' },
        );
        await core.live.flush();
        // Never quiet for a second here: compacted at once only past 4 × compactEvery rows.
        expect(rows().length).toBeLessThanOrEqual(21);
      }
      expect(rows().length).toBeGreaterThan(6);
      // Compacting at once merged only the newest rows: the oldest (the import's state) was never rewritten.
      expect(rows()[0]).toEqual(base);
      // Quiet for a second: merged whole, one row per origin.
      await new Promise((r) => setTimeout(r, 1300));
      expect(rows().map((r) => r.origin)).toEqual(['compaction', 'local-user']);
      h.release();
      await core.close();
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      expect((await again.characters.show(ch.id)).doc.narrative.fears).toEqual(['fear 29']);
      await again.close();
    } finally {
      t.cleanup();
    }
  });
});
