/** Issue 9 items 4 and 6 (privacy split): read-only documents, campaign/2, migrations on the DM's peer only. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { rootOf } from '../src/docs/doc-type';
import { applyJsonToMap, type JsonObject } from '../src/docs/y-json';
import { createCore, type Core } from '../src/index';
import { dmNotesStorageId } from '../src/live/types';
import { build, deterministic, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(): string {
  const t = tempDir('lf-access-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function updateRows(dir: string, campaign: string, docId: string): number {
  const db = new Database(join(dir, 'campaigns', `${campaign}.sqlite`), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from doc_updates where doc_id = ?').get(docId) as { n: number })
      .n;
  } finally {
    db.close();
  }
}

describe('read-only documents', { timeout: 30_000 }, () => {
  it('refuses writes this peer may only read, before anything changes, naming the document and the role', async () => {
    const dir = folder();
    const core = await createCore({ dataDir: dir, ...deterministic(), author: 'ana' });
    try {
      const c = await core.campaigns.create({ name: 'Shared' });
      const mine = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const theirs = await core.characters.import(build({ name: 'Brakka' }), { campaign: c.id });
      await core.campaigns.setMembership(c.id, { role: 'player', user: 'ana', owns: [mine.id] });

      // Own character: writable.
      await core.characters.edit(mine.id, { set: [{ path: '/build/name', value: 'Aria Vale' }] });
      // Another player's character: refused, nothing stored.
      const before = await core.characters.show(theirs.id);
      const rows = updateRows(dir, c.id, theirs.id);
      const commits = (await core.history.log(theirs.id)).length;
      const err = await core.characters
        .edit(theirs.id, { set: [{ path: '/build/name', value: 'Hijacked' }] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'read-only' });
      expect(String((err as Error).message)).toContain(`${c.id}/character/${theirs.id}`);
      expect(String((err as Error).message)).toContain('player');
      expect((await core.characters.show(theirs.id)).doc).toEqual(before.doc);
      expect(updateRows(dir, c.id, theirs.id)).toBe(rows);
      expect((await core.history.log(theirs.id)).length).toBe(commits);
      // The campaign document: read only for a player.
      await expect(
        core.campaigns.addToRoster(c.id, '00000000-0000-4000-8000-0000000000aa', { entity: 'item' }),
      ).rejects.toMatchObject({
        code: 'read-only',
        message: expect.stringContaining(`${c.id}/campaign/${c.id}`),
      });
      // A live handle says so too.
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: theirs.id });
      const m = await core.live.open({ campaign: c.id, kind: 'character', docId: mine.id });
      expect([h.access, m.access]).toEqual(['read', 'write']);
      h.release();
      m.release();
      // A player may create a journal (it then owns it) but not a DM-only document.
      const j = await core.journals.create(c.id, { title: 'My notes', text: 'Hello' });
      expect((await core.campaigns.membership(c.id))?.owns).toContain(j.id);
      await core.journals.edit(j.id, { text: 'Hello again' });
      await expect(core.journals.create(c.id, { title: 'Secret', private: true })).rejects.toMatchObject({
        code: 'read-only',
      });
      // Live play documents: a player may open its own intents (then owns it), never the public session.
      const intents = await core.campaigns.createIntents(c.id);
      expect((await core.campaigns.membership(c.id))?.owns).toContain(intents.id);
      await expect(core.campaigns.createSession(c.id, { number: 3 })).rejects.toMatchObject({
        code: 'read-only',
      });
      expect((await core.live.list(c.id)).filter((r) => r.kind === 'session')).toEqual([]);
      // A spectator writes nothing, not even its "own" character.
      await core.campaigns.setMembership(c.id, { role: 'spectator', user: 'ana', owns: [mine.id] });
      await expect(
        core.characters.edit(mine.id, { set: [{ path: '/build/name', value: 'X' }] }),
      ).rejects.toMatchObject({ code: 'read-only', message: expect.stringContaining('spectator') });
      // The DM writes everything.
      await core.campaigns.setMembership(c.id, { role: 'dm', user: 'ana', owns: [] });
      const session = await core.campaigns.createSession(c.id, { number: 3 });
      const sh = await core.live.open({ campaign: c.id, kind: 'session', docId: session.id });
      expect(sh.doc.getMap('entity').toJSON()).toMatchObject({ number: 3, status: 'planned', round: 0 });
      sh.release();
      await expect(core.campaigns.createSession(c.id, { number: -1 })).rejects.toThrow(/number: -1/);
      await core.characters.edit(theirs.id, {
        set: [{ path: '/build/name', value: 'Brakka the DM-edited' }],
      });
      await expect(
        core.campaigns.setMembership(c.id, { role: 'boss' as 'dm', user: 'ana', owns: [] }),
      ).rejects.toThrow(/role: "boss" is not one of dm, player, spectator/);
    } finally {
      await core.close();
    }
  });
});

/** Rewrite a campaign document to its campaign/1 shape (DM-only parts inside), as an older Loreforge wrote it. */
async function downgradeToV1(dir: string, campaign: string, extra: (json: JsonObject) => JsonObject) {
  const db = new Database(join(dir, 'campaigns', `${campaign}.sqlite`));
  try {
    const rows = db
      .prepare("select data from doc_updates where doc_id = ? and branch = 'main' order by seq")
      .all(campaign) as { data: Uint8Array }[];
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, r.data);
    const sv = Y.encodeStateVector(doc);
    const json = rootOf(doc).toJSON() as JsonObject;
    const next = extra({ ...json, meta: { ...(json['meta'] as JsonObject), schemaVersion: 1 } });
    doc.transact(() => applyJsonToMap(rootOf(doc), next));
    db.prepare(
      "insert into doc_updates (doc_id, branch, data, origin, author, ts) values (?, 'main', ?, 'local-user', 'old', 0)",
    ).run(campaign, Buffer.from(Y.encodeStateAsUpdate(doc, sv)));
  } finally {
    db.close();
  }
}

describe('campaign/2: DM-only parts move to the dmnotes document', { timeout: 30_000 }, () => {
  async function oldCampaign(dir: string): Promise<{ campaign: string; pc: string; npc: string }> {
    const core = await createCore({ dataDir: dir, ...deterministic(), author: 'dm' });
    const c = await core.campaigns.create({ name: 'Old' });
    const pc = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
    const npc = await core.characters.import({ ...build({ name: 'Captain' }), kind: 'npc' });
    await core.close();
    await downgradeToV1(dir, c.id, (json) => ({
      ...json,
      roster: {
        ...(json['roster'] as JsonObject),
        [npc.id]: { entity: 'character', role: 'villain' },
      },
      encounters: { e1: { name: 'Ambush', participants: [npc.id, pc.id] } },
      secrets: ['The captain is a doppelganger'],
    }));
    return { campaign: c.id, pc: pc.id, npc: npc.id };
  }

  it('on the DM peer (or a local campaign): splits encounters, NPC roster entries and secrets out', async () => {
    const dir = folder();
    const { campaign, pc, npc } = await oldCampaign(dir);
    const core: Core = await createCore({ dataDir: dir, ...deterministic(2) });
    try {
      const doc = await core.campaigns.doc(campaign);
      expect(doc.meta.schemaVersion).toBe(2);
      expect(Object.keys(doc.roster)).toEqual([pc]);
      expect(doc).not.toHaveProperty('encounters');
      const notes = await core.campaigns.dmNotes(campaign);
      expect(notes.roster).toEqual({ [npc]: { entity: 'character', role: 'villain' } });
      expect(notes.encounters).toEqual({ e1: { name: 'Ambush', participants: [npc, pc] } });
      expect(notes.secrets).toEqual(['The captain is a doppelganger']);
      // Nothing DM-only is left in the bytes of the campaign's live document.
      const h = await core.live.open({ campaign, kind: 'campaign', docId: campaign });
      const json = JSON.stringify(h.doc.getMap('entity').toJSON());
      h.release();
      expect(json).not.toContain('doppelganger');
      expect(json).not.toContain('Ambush');
      // The NPC is still a member of the campaign (through the DM notes).
      expect(await core.campaigns.memberIds(campaign)).toEqual(expect.arrayContaining([pc, npc]));
      expect((await core.live.list(campaign)).map((r) => `${r.kind}/${r.docId}`)).toContain(
        `dmnotes/${campaign}`,
      );
      // New encounters go to the notes as well.
      await core.campaigns.addEncounter(campaign, { name: 'Storm', participants: [] });
      expect(
        Object.values((await core.campaigns.dmNotes(campaign)).encounters)
          .map((e) => e.name)
          .sort(),
      ).toEqual(['Ambush', 'Storm']);
    } finally {
      await core.close();
    }
  });

  it('a player peer opens the old document without migrating it, read-only', async () => {
    const dir = folder();
    const { campaign, pc } = await oldCampaign(dir);
    const setup = await createCore({ dataDir: dir, ...deterministic(3) });
    // (membership is library data: setting it does not open the campaign document)
    await setup.campaigns.setMembership(campaign, { role: 'player', user: 'ana', owns: [pc] });
    await setup.close();
    const core = await createCore({ dataDir: dir, ...deterministic(4) });
    try {
      const h = await core.live.open({ campaign, kind: 'campaign', docId: campaign });
      const meta = h.doc.getMap('entity').get('meta') as Y.Map<unknown>;
      expect(meta.get('schemaVersion')).toBe(1);
      expect(h.access).toBe('read');
      h.release();
      expect(await core.campaigns.dmNotes(campaign)).toMatchObject({ encounters: {}, secrets: [] });
      expect(await setupHome(core, campaign)).toBe(false);
    } finally {
      await core.close();
    }
  });
});

async function setupHome(core: Core, campaign: string): Promise<boolean> {
  return (await core.live.list(campaign)).some(
    (r) => r.kind === 'dmnotes' || r.docId === dmNotesStorageId(campaign),
  );
}
