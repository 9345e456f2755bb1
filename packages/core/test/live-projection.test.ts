/**
 * The live persistence refreshes a document's index row only when a change touched what the row is computed from
 * (`PROJECTION_KEYS`); any other change (a narrative, a play sheet, a combatant's HP) only moves the row's `updated_at`.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editCharacter } from '../src/docs/character-doc';
import type { JsonObject } from '../src/docs/y-json';
import { createCore } from '../src/index';
import { build, deterministic, tempDir } from './helpers';

const origin = { kind: 'local-user', author: 'ana' } as const;

describe('live projections', { timeout: 30_000 }, () => {
  it('rewrites the index row when the name or kind changes, only its time when the narrative does', async () => {
    const t = tempDir();
    const core = await createCore({ dataDir: t.dir, ...deterministic() });
    try {
      const c = await core.campaigns.create({ name: 'Rows' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const ref = { campaign: c.id, kind: 'character' as const, docId: ch.id };
      const h = await core.live.open(ref);
      const raw = new (await import('better-sqlite3')).default(`${t.dir}/campaigns/${c.id}.sqlite`);
      const row = () =>
        raw.prepare('SELECT name, kind, updated_at FROM entities WHERE id = ?').get(ch.id) as {
          name: string;
          kind: string;
          updated_at: number;
        };
      const edit = async (change: (j: JsonObject) => JsonObject) => {
        editCharacter(h.doc, change, origin);
        await core.live.flush();
      };
      // First store after opening: a full refresh.
      await edit((j) => ({ ...j, build: { ...(j['build'] as JsonObject), name: 'Aria Vale' } }));
      expect(row().name).toBe('Aria Vale');
      // The row is marked so that a full refresh would show: a change under `narrative` must leave it alone.
      raw.prepare("UPDATE entities SET name = 'marker' WHERE id = ?").run(ch.id);
      const before = row().updated_at;
      const rows = () =>
        (raw.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?').get(ch.id) as { n: number }).n;
      const stored = rows();
      await edit((j) => ({ ...j, narrative: { ...(j['narrative'] as JsonObject), fears: ['heights'] } }));
      expect(row().name).toBe('marker');
      expect(row().updated_at).toBeGreaterThan(before);
      expect(rows()).toBe(stored + 1); // the update itself is stored all the same
      // A remote update is no different.
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(h.doc));
      const sv = Y.encodeStateVector(h.doc);
      editCharacter(
        other,
        (j) => ({ ...j, narrative: { ...(j['narrative'] as JsonObject), fears: ['the sea'] } }),
        {
          kind: 'local-user',
          author: 'bo',
        },
      );
      Y.applyUpdate(h.doc, Y.encodeStateAsUpdate(other, sv), { kind: 'remote', author: 'bo' });
      await core.live.flush();
      expect(row().name).toBe('marker');
      // A change under `build` (the name) refreshes it, and so does the kind.
      await edit((j) => ({ ...j, build: { ...(j['build'] as JsonObject), name: 'Aria the Bold' } }));
      expect(row().name).toBe('Aria the Bold');
      raw.prepare("UPDATE entities SET name = 'marker' WHERE id = ?").run(ch.id);
      await edit((j) => ({ ...j, kind: 'npc' }));
      expect(row()).toMatchObject({ name: 'Aria the Bold', kind: 'npc' });
      raw.close();
      h.release();
      await core.close();
      // Everything stored on the short path reads back in a fresh process.
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      expect((await again.characters.show(ch.id)).doc.narrative.fears).toEqual(['the sea']);
      await again.close();
    } finally {
      await core.close();
      t.cleanup();
    }
  });
});
