/**
 * Changes that came from the relay and touch nothing a projection shows (a play sheet, a combatant's HP) are
 * announced at once but stored in batches: every open document's such changes of one campaign file in one
 * transaction, a few tens of milliseconds later. Local changes, and relay changes to what the index row shows, are
 * stored at the next tick, the local ones of one tick that no projection shows in one transaction too (a DM
 * action's session, sheet and notes); nothing pending is lost on flush or close.
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editCharacter } from '../src/docs/character-doc';
import type { JsonObject } from '../src/docs/y-json';
import { createCore, type LiveChange } from '../src/index';
import { build, deterministic, tempDir } from './helpers';

const local = { kind: 'local-user', author: 'dm' } as const;
const remote = { kind: 'remote', author: 'bo' } as const;
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Apply to `doc`, as if from the relay, a change made on a copy of it. */
function fromRelay(doc: Y.Doc, change: (j: JsonObject) => JsonObject): void {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const sv = Y.encodeStateVector(doc);
  editCharacter(other, change, { kind: 'local-user', author: 'bo' });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, sv), remote);
  other.destroy();
}

const fears = (what: string) => (j: JsonObject) => ({
  ...j,
  narrative: { ...(j['narrative'] as JsonObject), fears: [what] },
});

/**
 * A campaign with two characters, both open live and stored once (the first store after opening refreshes
 * everything; after it, the short paths apply), and a second connection to its file that counts rows and commits.
 */
async function twoOpen(title: string) {
  const t = tempDir();
  const core = await createCore({ dataDir: t.dir, ...deterministic() });
  const c = await core.campaigns.create({ name: title });
  const a = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
  const b = await core.characters.import(build({ name: 'Bram' }), { campaign: c.id });
  const ha = await core.live.open({ campaign: c.id, kind: 'character', docId: a.id });
  const hb = await core.live.open({ campaign: c.id, kind: 'character', docId: b.id });
  editCharacter(ha.doc, fears('spiders'), local);
  editCharacter(hb.doc, fears('spiders'), local);
  await core.live.flush();
  const other = new Database(`${t.dir}/campaigns/${c.id}.sqlite`);
  return {
    t,
    core,
    a,
    b,
    ha,
    hb,
    other,
    version: () => Number(other.pragma('data_version', { simple: true })),
    rows: (id: string) =>
      (other.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?').get(id) as { n: number }).n,
    name: (id: string) =>
      (other.prepare('SELECT name FROM entities WHERE id = ?').get(id) as { name: string }).name,
    async done() {
      if (other.open) other.close();
      await core.close();
      t.cleanup();
    },
  };
}

describe('relay changes stored in batches', { timeout: 30_000 }, () => {
  it('announces at once, stores two documents in one commit, and loses nothing on close', async () => {
    const { t, core, a, b, ha, hb, other, version, rows, name, done } = await twoOpen('Batch');
    try {
      const heard: LiveChange[] = [];
      const off = core.live.onChange((e) => heard.push(e));

      const v0 = version();
      const ra = rows(a.id);
      const rb = rows(b.id);
      fromRelay(ha.doc, fears('the sea'));
      fromRelay(hb.doc, fears('fire'));
      await tick();
      await tick();
      // Announced at once (the app redraws from the live document), not stored yet.
      expect(heard.map((e) => [e.id, e.origin]).sort()).toEqual(
        [
          [a.id, 'remote:bo'],
          [b.id, 'remote:bo'],
        ].sort(),
      );
      expect([rows(a.id), rows(b.id)]).toEqual([ra, rb]);
      await sleep(150);
      // Both documents' updates in one commit by the core's connection.
      expect([rows(a.id), rows(b.id)]).toEqual([ra + 1, rb + 1]);
      expect(version()).toBe(v0 + 1);

      // A relay change to what the index row shows is stored (and projected) at the next tick.
      fromRelay(ha.doc, (j) => ({ ...j, build: { ...(j['build'] as JsonObject), name: 'Aria Vale' } }));
      await tick();
      await tick();
      await tick();
      expect(name(a.id)).toBe('Aria Vale');

      // A local change stores what the relay sent before it too, at once.
      fromRelay(hb.doc, fears('heights'));
      editCharacter(hb.doc, (j) => ({ ...j, kind: 'npc' }), local);
      await tick();
      await tick();
      await tick();
      expect(rows(b.id)).toBe(rb + 3);

      // Pending relay changes are stored by close.
      fromRelay(ha.doc, fears('the dark'));
      off();
      ha.release();
      hb.release();
      other.close();
      await core.close();
      const again = await createCore({ dataDir: t.dir, ...deterministic(2) });
      expect((await again.characters.show(a.id)).doc.narrative.fears).toEqual(['the dark']);
      expect((await again.characters.show(b.id)).doc.narrative.fears).toEqual(['heights']);
      await again.close();
    } finally {
      await done();
    }
  });

  it('stores the local edits of one tick to several documents with one commit, then announces them', async () => {
    const { core, a, b, ha, hb, version, rows, name, done } = await twoOpen('One commit');
    try {
      const heard: [string, number][] = [];
      const off = core.live.onChange((e) => heard.push([e.id, rows(e.id)]));
      const v0 = version();
      const ra = rows(a.id);
      const rb = rows(b.id);
      editCharacter(ha.doc, fears('the sea'), local);
      editCharacter(hb.doc, fears('fire'), local);
      await tick();
      await tick();
      expect([rows(a.id), rows(b.id)]).toEqual([ra + 1, rb + 1]);
      expect(version()).toBe(v0 + 1);
      // Each document is announced once its update is stored.
      expect(heard.sort()).toEqual(
        [
          [a.id, ra + 1],
          [b.id, rb + 1],
        ].sort(),
      );

      // An edit that changes what the index row shows still refreshes it (its own path), the other joins no batch.
      editCharacter(
        ha.doc,
        (j) => ({ ...j, build: { ...(j['build'] as JsonObject), name: 'Aria Vale' } }),
        local,
      );
      editCharacter(hb.doc, fears('heights'), local);
      await tick();
      await tick();
      await tick();
      expect(name(a.id)).toBe('Aria Vale');
      expect(rows(b.id)).toBe(rb + 2);
      off();
      ha.release();
      hb.release();
    } finally {
      await done();
    }
  });

  it('stores an edit a listener makes while changes are announced', async () => {
    const { core, a, ha, hb, rows: rowsOf, done } = await twoOpen('Echo');
    const rows = () => rowsOf(a.id);
    try {
      const before = rows();
      // Hearing the relay's change, the app answers at once with an edit of the same document.
      let answered = false;
      const off = core.live.onChange((e) => {
        if (e.origin !== 'remote:bo' || answered) return;
        answered = true;
        editCharacter(ha.doc, fears('echoes'), local);
      });
      fromRelay(ha.doc, fears('the sea'));
      await sleep(150);
      expect(answered).toBe(true);
      // Both stored without a flush: the relay's change and the listener's edit.
      expect(rows()).toBe(before + 2);
      // And the document still stores its next edit at the next tick.
      editCharacter(ha.doc, fears('the deep'), local);
      await tick();
      await tick();
      expect(rows()).toBe(before + 3);
      off();
      ha.release();
      hb.release();
    } finally {
      await done();
    }
  });
});
