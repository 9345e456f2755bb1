/** Issue 9 item 5: history on live documents (origins between commits, no auto-commit, live branch never switches). */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editCharacter } from '../src/docs/character-doc';
import { rawJson } from '../src/docs/doc-type';
import { createCore } from '../src/index';
import { build, deterministic } from './helpers';

type Sheet = { build: { name: string; abilityScores: { str: number } }; narrative: { theme: string } };
const sheet = (doc: Y.Doc) => rawJson(doc) as unknown as Sheet;

/** A peer's copy of a document: receives what the live doc sends, like the sync client would relay it. */
function peerOf(doc: Y.Doc) {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return {
    peer,
    pull: () => Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer))),
  };
}

describe('history on live documents', { timeout: 30_000 }, () => {
  it('keeps remote updates uncommitted, then the next save point says who changed what', async () => {
    const core = await createCore({ dataDir: null, author: 'dm', ...deterministic() });
    try {
      const c = await core.campaigns.create({ name: 'H' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      const { peer } = peerOf(h.doc);
      editCharacter(
        peer,
        (j) => ({ ...j, narrative: { ...(j['narrative'] as object), backstory: 'Sailor' } }),
        {
          kind: 'local-user',
          author: 'bob',
        },
      );
      Y.applyUpdate(h.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(h.doc)), {
        kind: 'remote',
        author: 'bob',
      });
      await core.live.flush();
      expect(await core.history.uncommitted(ch.id)).toEqual([
        { origin: 'remote:bob', author: 'bob', paths: ['/narrative/backstory'] },
      ]);
      expect((await core.history.log(ch.id)).map((e) => e.message)).toEqual(['import Aria']);
      const local = await core.characters.edit(ch.id, {
        set: [{ path: '/build/abilityScores/str', value: 17 }],
        message: 'stronger',
      });
      const [top] = await core.history.log(ch.id);
      expect(top?.commit).toBe(local.commit);
      expect(top?.changes).toEqual([
        { origin: 'remote:bob', author: 'bob', paths: ['/narrative/backstory'] },
        { origin: 'local-user', author: 'dm', paths: ['/build/abilityScores/str'] },
      ]);
      expect(await core.history.uncommitted(ch.id)).toEqual([]);
      h.release();
    } finally {
      await core.close();
    }
  });

  it('theme change, resurrection, revert and merge write into the live document as operations that sync', async () => {
    const core = await createCore({ dataDir: null, author: 'dm', ...deterministic() });
    try {
      const c = await core.campaigns.create({ name: 'Ops' });
      const ch = await core.characters.import(
        { ...build({ name: 'Aria' }), narrative: { theme: 'High fantasy' } },
        { campaign: c.id },
      );
      await core.campaigns.setMembership(c.id, { role: 'dm', user: 'dm', owns: [] });
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      const { peer, pull } = peerOf(h.doc);

      const t = await core.characters.changeTheme(ch.id, 'Noir');
      pull();
      expect(sheet(peer).narrative.theme).toBe('Noir');
      expect((await core.history.branches(ch.id)).find((b) => b.isDefault)?.name).toBe('main');
      expect((await core.history.branches(ch.id)).map((b) => b.name)).toContain(t.themeBranch);

      await core.characters.recordDeath(ch.id);
      await core.characters.resurrect(ch.id);
      pull();
      expect(rawJson(peer)['status']).toBe('alive');

      await core.characters.edit(ch.id, { set: [{ path: '/build/name', value: 'Aria Grey' }] });
      const first = (await core.history.log(ch.id)).at(-1)?.commit as string;
      const rev = await core.history.revert(ch.id, first, { message: 'back to the start' });
      pull();
      expect(sheet(peer).build.name).toBe('Aria');
      expect(sheet(peer).narrative.theme).toBe('High fantasy');
      expect((await core.history.log(ch.id))[0]?.commit).toBe(rev.commit);

      await core.history.branch(ch.id, 'what-if');
      await core.characters.edit(ch.id, {
        branch: 'what-if',
        set: [{ path: '/build/abilityScores/str', value: 20 }],
      });
      await core.history.merge(ch.id, 'what-if');
      pull();
      expect(sheet(peer).build.abilityScores.str).toBe(20);

      // The live branch does not switch under its holders to a branch that lacks what they see.
      await core.characters.edit(ch.id, { set: [{ path: '/build/name', value: 'Aria Live' }] });
      await expect(core.history.setDefaultBranch(ch.id, 'what-if')).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(h.doc.guid).toBe(`${c.id}/character/${ch.id}`);
      h.release();
    } finally {
      await core.close();
    }
  });

  it('a held draft moves to main when finalized (a fast-forward): holders keep one document that syncs', async () => {
    const core = await createCore({ dataDir: null, author: 'dm', ...deterministic() });
    try {
      const c = await core.campaigns.create({ name: 'Draft' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      await core.history.branch(ch.id, 'draft');
      await core.history.setDefaultBranch(ch.id, 'draft');
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: ch.id });
      const { peer, pull } = peerOf(h.doc);
      await core.characters.edit(ch.id, { set: [{ path: '/build/name', value: 'Aria Draft' }] });
      await core.history.merge(ch.id, 'draft', { into: 'main' });
      await core.history.setDefaultBranch(ch.id, 'main');
      await core.characters.edit(ch.id, { set: [{ path: '/build/abilityScores/str', value: 16 }] });
      pull();
      expect(sheet(h.doc).build.name).toBe('Aria Draft');
      expect(sheet(peer).build.abilityScores.str).toBe(16);
      h.release();
      await core.live.flush();
      expect((await core.characters.show(ch.id)).branch).toBe('main');
      expect((await core.characters.show(ch.id, { ref: 'main' })).doc.build.abilityScores.str).toBe(16);
    } finally {
      await core.close();
    }
  });
});
