import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  characterDocType,
  createCharacterDoc,
  readCharacter,
  editCharacter,
} from '../src/docs/character-doc';
import { defineDocType, migrateDoc, rootOf } from '../src/docs/doc-type';
import { applyJsonToMap } from '../src/docs/y-json';
import { build, openCore, tempDir } from './helpers';
import { z } from 'zod';

describe('SQL migrations', { timeout: 30_000 }, () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  async function freshStore() {
    const t = tempDir();
    dirs.push(t.cleanup);
    const core = await openCore(t.dir);
    const c = await core.campaigns.create({ name: 'M' });
    await core.close();
    return { dir: t.dir, campaignFile: join(t.dir, 'campaigns', `${c.id}.sqlite`), campaign: c.id };
  }

  it('records applied migrations on a fresh database and reopens it', async () => {
    const { dir, campaignFile, campaign } = await freshStore();
    const db = new Database(campaignFile);
    expect(db.prepare('select id from _migrations').all()).toEqual([{ id: '0001_init' }]);
    db.close();
    const core = await openCore(dir);
    expect((await core.campaigns.doc(campaign)).name).toBe('M');
    await core.close();
  });

  it('refuses a library database with a migration this version does not know', async () => {
    const { dir } = await freshStore();
    const db = new Database(join(dir, 'library.sqlite'));
    db.prepare('insert into _migrations (id, applied_at) values (?, ?)').run('0002_from_the_future', 1);
    db.close();
    await expect(openCore(dir)).rejects.toThrow(/library database .*0002_from_the_future.*does not know/);
  });

  it('refuses a campaign database whose applied list is not a prefix of the known list', async () => {
    const { dir, campaignFile, campaign } = await freshStore();
    const db = new Database(campaignFile);
    db.prepare('delete from _migrations').run();
    db.prepare('insert into _migrations (id, applied_at) values (?, ?)').run('0001_other', 1);
    db.close();
    const core = await openCore(dir);
    await expect(core.campaigns.doc(campaign)).rejects.toThrow(/campaign database .*0001_other/);
    await core.close();
  });

  it('refuses a file that is not a SQLite database', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.dir, 'library.sqlite'), 'this is not a database, just text '.repeat(200));
    await expect(openCore(t.dir)).rejects.toThrow(/cannot open as a Loreforge database/);
  });
});

describe('document migrations', { timeout: 30_000 }, () => {
  function v1Doc(): Y.Doc {
    const doc = new Y.Doc();
    doc.transact(() =>
      applyJsonToMap(rootOf(doc), {
        meta: {
          schemaVersion: 1,
          entity: 'character',
          id: '00000000-0000-4000-8000-000000000001',
          createdAt: 1,
        },
        kind: 'npc',
        build: { ...(build() as unknown as Record<string, never>) },
        narrative: { backstory: 'old' },
      }),
    );
    return doc;
  }

  it('rejects migration lists that are not contiguous', () => {
    expect(() =>
      defineDocType({
        kind: 'item',
        schema: z.any(),
        migrations: [
          { id: 'item/1', description: '', up: (j) => j },
          { id: 'item/3', description: '', up: (j) => j },
        ],
        summarize: () => ({ name: '', subkind: null }),
        references: () => [],
      }),
    ).toThrow(/expected id "item\/2"/);
  });

  it('brings an old document to the current version in one migration-origin transaction', () => {
    const doc = v1Doc();
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const m = migrateDoc(characterDocType, doc);
    expect(m).toEqual({ from: 1, to: 2, readOnly: false });
    expect(origins).toEqual([{ kind: 'migration', author: 'loreforge' }]);
    const c = readCharacter(doc);
    expect(c.meta.schemaVersion).toBe(2);
    expect(c.status).toBe('alive');
    expect(c.narrative.fears).toEqual([]);
    expect(c.themeHistory).toEqual([]);
    expect(c.narrative.backstory).toBe('old');
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 2, to: 2, readOnly: false });
  });

  it('opens a document from a newer app read-only', () => {
    const doc = new Y.Doc();
    createCharacterDoc(
      doc,
      { id: '00000000-0000-4000-8000-000000000002', createdAt: 1, kind: 'pc', build: build() },
      { kind: 'import', author: 't' },
    );
    doc.transact(() => (rootOf(doc).get('meta') as Y.Map<unknown>).set('schemaVersion', 99));
    expect(migrateDoc(characterDocType, doc).readOnly).toBe(true);
    expect(readCharacter(doc).build.name).toBe('Aria Moonwhisper');
    expect(() => editCharacter(doc, (j) => j, { kind: 'local-user', author: 't' })).toThrow(
      /newer Loreforge.*read-only/,
    );
  });

  it('the store migrates a stored old document when it is opened and persists it with the migration origin', async () => {
    const t = tempDir();
    try {
      const core = await openCore(t.dir);
      const ch = await core.characters.import(build());
      await core.close();
      // Rewrite the stored branch state as a version-1 document with the same id.
      const lib = new Database(join(t.dir, 'library.sqlite'));
      const { campaign_id } = lib
        .prepare('select campaign_id from entity_homes where entity_id = ?')
        .get(ch.id) as { campaign_id: string };
      lib.close();
      const db = new Database(join(t.dir, 'campaigns', `${campaign_id}.sqlite`));
      const old = new Y.Doc();
      old.transact(() =>
        applyJsonToMap(rootOf(old), {
          meta: { schemaVersion: 1, entity: 'character', id: ch.id, createdAt: 1 },
          kind: 'pc',
          build: { ...(build({ name: 'Old Aria' }) as unknown as Record<string, never>) },
          narrative: {},
        }),
      );
      db.prepare('delete from doc_updates where doc_id = ?').run(ch.id);
      db.prepare(
        "insert into doc_updates (doc_id, branch, data, origin, author, ts) values (?, 'main', ?, 'import', 't', 1)",
      ).run(ch.id, Buffer.from(Y.encodeStateAsUpdate(old)));
      db.close();
      const core2 = await openCore(t.dir, 2);
      const r = await core2.history.commit(ch.id, { message: 'after migration' });
      const shown = await core2.characters.show(ch.id);
      expect(shown.commit).toBe(r.commit);
      expect(shown.doc.meta.schemaVersion).toBe(2);
      expect(shown.doc.build.name).toBe('Old Aria');
      await core2.close();
    } finally {
      t.cleanup();
    }
  });
});
