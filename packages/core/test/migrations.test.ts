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
import { applyJsonToMap, type JsonObject } from '../src/docs/y-json';
import { loadSrdContent } from '../src/content/load-srd';
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
    expect(db.prepare('select id from _migrations').all()).toEqual([
      { id: '0001_init' },
      { id: '0002_live_history' },
    ]);
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
    expect(m).toEqual({ from: 1, to: 4, readOnly: false });
    expect(origins).toEqual([{ kind: 'migration', author: 'loreforge' }]);
    const c = readCharacter(doc);
    expect(c.meta.schemaVersion).toBe(4);
    expect(c.status).toBe('alive');
    expect(c.narrative.fears).toEqual([]);
    expect(c.themeHistory).toEqual([]);
    expect(c.narrative.backstory).toBe('old');
    expect(c.elements).toEqual([]);
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 4, to: 4, readOnly: false });
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
    expect(readCharacter(doc).build?.name).toBe('Aria Moonwhisper');
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
      expect(shown.doc.meta.schemaVersion).toBe(4);
      expect(shown.doc.build.name).toBe('Old Aria');
      await core2.close();
    } finally {
      t.cleanup();
    }
  });
});

describe('character/3: stat blocks, element tags, provenance', { timeout: 30_000 }, () => {
  const goblin = () => structuredClone(loadSrdContent().creatures.get('goblin-warrior') ?? null);
  const ID = '00000000-0000-4000-8000-000000000003';

  function v2Doc(kind: 'pc' | 'npc' | 'monster'): Y.Doc {
    const doc = new Y.Doc();
    doc.transact(() =>
      applyJsonToMap(rootOf(doc), {
        meta: { schemaVersion: 2, entity: 'character', id: ID, createdAt: 1 },
        kind,
        status: 'alive',
        build: { ...(build({ name: 'Grik' }) as unknown as Record<string, never>) },
        narrative: { backstory: 'from version 2', fears: ['fire'] },
        themeHistory: [],
      }),
    );
    return doc;
  }

  it('character/4 is the last step and the steps stay contiguous', () => {
    expect(characterDocType.currentVersion).toBe(4);
    expect(characterDocType.migrations.map((m) => m.id)).toEqual([
      'character/1',
      'character/2',
      'character/3',
      'character/4',
    ]);
  });

  it('migrates a version-2 monster (build only) to the current version in one migration-origin transaction', () => {
    const doc = v2Doc('monster');
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 2, to: 4, readOnly: false });
    expect(origins).toEqual([{ kind: 'migration', author: 'loreforge' }]);
    const c = readCharacter(doc);
    expect(c.meta.schemaVersion).toBe(4);
    expect(c.kind).toBe('monster');
    expect(c.build?.name).toBe('Grik');
    expect(c.creature).toBeUndefined();
    expect(c.provenance).toBeUndefined();
    expect(c.elements).toEqual([]);
    expect(c.narrative.backstory).toBe('from version 2');
    expect(c.narrative.fears).toEqual(['fire']);
  });

  it('a version-3 monster may hold only a stat block; tags and provenance round-trip', () => {
    const creature = goblin();
    expect(creature).not.toBeNull();
    const doc = new Y.Doc();
    createCharacterDoc(
      doc,
      {
        id: ID,
        createdAt: 1,
        kind: 'monster',
        creature: creature!,
        elements: [
          {
            kind: 'species',
            name: 'Bog Goblin',
            id: 'goblin-warrior',
            tag: 'adapted',
            basedOn: 'goblin-warrior',
          },
        ],
        provenance: {
          provider: 'offline',
          model: 'procedural',
          attempts: 1,
          usage: { inputTokens: 0, outputTokens: 0 },
        },
      },
      { kind: 'llm', author: 't' },
    );
    const c = readCharacter(doc);
    expect(c.build).toBeUndefined();
    expect(c.creature?.name).toBe(creature!.name);
    expect(c.creature?.cr).toBe(creature!.cr);
    expect(c.elements[0]).toEqual({
      kind: 'species',
      name: 'Bog Goblin',
      id: 'goblin-warrior',
      tag: 'adapted',
      basedOn: 'goblin-warrior',
    });
    expect(c.provenance?.provider).toBe('offline');
    expect(characterDocType.summarize(c)).toEqual({ name: creature!.name, subkind: 'monster' });
  });

  it('refuses shapes the union does not allow, naming the field', () => {
    const doc = new Y.Doc();
    const base = { id: ID, createdAt: 1 };
    const origin = { kind: 'import', author: 't' } as const;
    // A pc must have a build, even with a stat block beside it.
    expect(() =>
      createCharacterDoc(doc, { ...base, kind: 'pc', creature: goblin()! } as never, origin),
    ).toThrow(/new character is invalid at \/build:/);
    // An npc or monster needs at least one of build and stat block.
    expect(() => createCharacterDoc(doc, { ...base, kind: 'monster' } as never, origin)).toThrow(
      /at \/creature: an npc or monster needs a build or a creature stat block/,
    );
    expect(() =>
      createCharacterDoc(
        doc,
        {
          ...base,
          kind: 'npc',
          build: build(),
          elements: [{ kind: 'item', name: 'Mace', tag: 'homebrew' }],
        } as never,
        origin,
      ),
    ).toThrow(/at \/elements\/0\/tag:/);
    expect(() =>
      createCharacterDoc(
        doc,
        {
          ...base,
          kind: 'npc',
          build: build(),
          provenance: { provider: 'x', model: 'y', attempts: -1, usage: { inputTokens: 0, outputTokens: 0 } },
        } as never,
        origin,
      ),
    ).toThrow(/at \/provenance\/attempts:/);
    expect(() =>
      createCharacterDoc(doc, { ...base, kind: 'dragon', build: build() } as never, origin),
    ).toThrow(/at \/kind:/);
    expect(rootOf(doc).size).toBe(0);
  });

  it('an edit that removes the last of build and stat block is refused', () => {
    const doc = v2Doc('monster');
    migrateDoc(characterDocType, doc);
    expect(() =>
      editCharacter(doc, ({ build: _b, ...rest }) => rest, { kind: 'local-user', author: 't' }),
    ).toThrow(/\/creature: an npc or monster needs/);
    // With a stat block in place the build may go.
    editCharacter(
      doc,
      ({ build: _b, ...rest }) => ({ ...rest, creature: goblin() as unknown as JsonObject }),
      {
        kind: 'local-user',
        author: 't',
      },
    );
    expect(readCharacter(doc).build).toBeUndefined();
  });

  it('a document from a newer app (character/5) still opens read-only, stat block and all', () => {
    const doc = new Y.Doc();
    doc.transact(() =>
      applyJsonToMap(rootOf(doc), {
        meta: { schemaVersion: 5, entity: 'character', id: ID, createdAt: 1 },
        kind: 'monster',
        creature: goblin() as unknown as JsonObject,
        lairActions: ['something a future version knows'],
        narrative: {},
      }),
    );
    expect(migrateDoc(characterDocType, doc)).toEqual({ from: 5, to: 5, readOnly: true });
    expect(readCharacter(doc).creature?.id).toBe('goblin-warrior');
    expect(() => editCharacter(doc, (j) => j, { kind: 'local-user', author: 't' })).toThrow(
      /schema 5 > 4.*read-only/,
    );
  });

  it('the store migrates a stored version-2 character and keeps build-based show working', async () => {
    const t = tempDir();
    try {
      const core = await openCore(t.dir);
      const ch = await core.characters.import({ kind: 'npc', build: build({ name: 'V2 Grik' }) });
      await core.close();
      const lib = new Database(join(t.dir, 'library.sqlite'));
      const { campaign_id } = lib
        .prepare('select campaign_id from entity_homes where entity_id = ?')
        .get(ch.id) as { campaign_id: string };
      lib.close();
      const db = new Database(join(t.dir, 'campaigns', `${campaign_id}.sqlite`));
      const old = new Y.Doc();
      old.transact(() =>
        applyJsonToMap(rootOf(old), {
          meta: { schemaVersion: 2, entity: 'character', id: ch.id, createdAt: 1 },
          kind: 'npc',
          status: 'alive',
          build: { ...(build({ name: 'V2 Grik' }) as unknown as Record<string, never>) },
          narrative: {},
          themeHistory: [],
        }),
      );
      db.prepare('delete from doc_updates where doc_id = ?').run(ch.id);
      db.prepare(
        "insert into doc_updates (doc_id, branch, data, origin, author, ts) values (?, 'main', ?, 'import', 't', 1)",
      ).run(ch.id, Buffer.from(Y.encodeStateAsUpdate(old)));
      db.close();
      const core2 = await openCore(t.dir, 2);
      await core2.history.commit(ch.id, { message: 'after migration' });
      const shown = await core2.characters.show(ch.id);
      expect(shown.doc.meta.schemaVersion).toBe(4);
      expect(shown.doc.elements).toEqual([]);
      expect(shown.doc.build.name).toBe('V2 Grik');
      await core2.close();
    } finally {
      t.cleanup();
    }
  });
});
