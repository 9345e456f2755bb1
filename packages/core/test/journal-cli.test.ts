/** Issue 9 CLI: `campaign list`, `journal add|list|show`, and `character edit --set /list/-=…` appending. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import type { CliIo } from '../src/cli/registry';
import * as Y from 'yjs';
import { editCharacter } from '../src/docs/character-doc';
import { createCore } from '../src/index';
import { build, runCliCaptured, tempDir } from './helpers';

describe('journal and campaign CLI', { timeout: 60_000 }, () => {
  const t = tempDir('lf-journal-cli-');
  const dataDir = join(t.dir, 'data');
  afterAll(() => t.cleanup());

  async function run(args: string[]) {
    return runCliCaptured([...args, '--data-dir', dataDir, '--json'], { cwd: t.dir, author: 'dm-ana' });
  }
  async function j(args: string[]): Promise<unknown> {
    const r = await run(args);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out);
  }

  it('lists campaigns with role and relay when shared', async () => {
    expect(await j(['campaign', 'list'])).toEqual([]);
    const a = (await j(['campaign', 'create', '--name', 'Saltmarsh'])) as { id: string };
    const b = (await j(['campaign', 'create', '--name', 'Phandalin'])) as { id: string };
    const core = await createCore({ dataDir });
    await core.campaigns.setMembership(b.id, {
      role: 'player',
      user: 'ana',
      owns: [],
      relay: 'ws://127.0.0.1:1234',
    });
    await core.close();
    const rows = (await j(['campaign', 'list'])) as { id: string }[];
    expect(rows).toEqual([
      { id: a.id, name: 'Saltmarsh' },
      { id: b.id, name: 'Phandalin', role: 'player', relay: 'ws://127.0.0.1:1234' },
    ]);
  });

  it('adds, lists and shows journals; private ones are dmnotes documents', async () => {
    const c = (await j(['campaign', 'create', '--name', 'Journals'])) as { id: string };
    const pub = (await j([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Session 1',
      '--text',
      'We set sail.',
      '--session',
      '1',
    ])) as { id: string };
    const priv = (await j([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Twist',
      '--text',
      'The captain is a doppelganger.',
      '--private',
    ])) as { id: string };
    expect(Object.keys(pub)).toEqual(['id', 'mentions']); // mentions: issue 10
    expect(await j(['journal', 'list', '--campaign', c.id])).toEqual([
      { id: pub.id, title: 'Session 1', private: false, author: 'dm-ana', session: 1 },
      { id: priv.id, title: 'Twist', private: true, author: 'dm-ana' },
    ]);
    expect(await j(['journal', 'show', pub.id])).toEqual({
      id: pub.id,
      campaign: c.id,
      title: 'Session 1',
      text: 'We set sail.',
      private: false,
      author: 'dm-ana',
      session: 1,
    });
    expect(await j(['journal', 'show', priv.id])).toMatchObject({
      private: true,
      text: 'The captain is a doppelganger.',
    });
    // The private journal is a dmnotes document: never a `journal` a player receives.
    const core = await createCore({ dataDir });
    const kinds = (await core.live.list(c.id)).map((r) => [r.kind, r.docId]);
    await core.close();
    expect(kinds).toContainEqual(['dmnotes', priv.id]);
    expect(kinds).toContainEqual(['journal', pub.id]);
    expect(kinds).not.toContainEqual(['journal', priv.id]);
  });

  it("journal show gives mentions the entity's current name after a rename", async () => {
    const c = (await j(['campaign', 'create', '--name', 'Renames'])) as { id: string };
    const npc = (await j(['entity', 'create', '--campaign', c.id, '--kind', 'npc', '--name', 'Gregor'])) as {
      id: string;
    };
    const added = (await j([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Night 1',
      '--text',
      'We met @Gregor.',
    ])) as {
      id: string;
    };
    expect(((await j(['journal', 'show', added.id])) as { text: string }).text).toBe(
      `We met @[Gregor](${npc.id}).`,
    );
    await j(['entity', 'edit', npc.id, '--name', 'Gregor the Grey']);
    expect(((await j(['journal', 'show', added.id])) as { text: string }).text).toBe(
      `We met @[Gregor the Grey](${npc.id}).`,
    );
    // A label that is one of the entity's aliases is how the writer named it: kept.
    await j(['entity', 'edit', npc.id, '--alias', 'Gregor']);
    expect(((await j(['journal', 'show', added.id])) as { text: string }).text).toBe(
      `We met @[Gregor](${npc.id}).`,
    );
  });

  it('refuses bad journal input naming the field, and an unknown journal id', async () => {
    const c = (await j(['campaign', 'create', '--name', 'Bad'])) as { id: string };
    let r = await run(['journal', 'add', '--campaign', c.id, '--title', '  ', '--text', 'x']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/title: must not be empty/);
    r = await run(['journal', 'add', '--campaign', c.id, '--title', 'T', '--session', 'two']);
    expect(r.err).toMatch(/--session: "two" is not a session number/);
    r = await run(['journal', 'add', '--campaign', '00000000-0000-4000-8000-00000000dead', '--title', 'T']);
    expect(r.err).toMatch(/campaign 00000000-0000-4000-8000-00000000dead: no such campaign/);
    r = await run(['journal', 'show', '00000000-0000-4000-8000-00000000beef']);
    expect(r.err).toMatch(/not found/);
    expect(await j(['journal', 'list', '--campaign', c.id])).toEqual([]);
  });

  it('history log says who changed what between commits, remote changes included', async () => {
    const core = await createCore({ dataDir, author: 'dm-ana' });
    const { id } = await core.characters.import(build({ name: 'Brakka' }));
    const h = await core.live.open({
      campaign: await core.campaigns.libraryId(),
      kind: 'character',
      docId: id,
    });
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(h.doc));
    editCharacter(peer, (x) => ({ ...x, status: 'dead' }), { kind: 'local-user', author: 'bob' });
    Y.applyUpdate(h.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(h.doc)), {
      kind: 'remote',
      author: 'bob',
    });
    h.release();
    await core.close();
    const again = await createCore({ dataDir, author: 'dm-ana' });
    await again.history.commit(id, { message: 'after the fight' });
    await again.close();
    const r = await run(['history', 'log', id]);
    const human = await (async () => {
      const out: string[] = [];
      const io: CliIo = {
        stdout: (x) => out.push(x),
        stderr: () => undefined,
        readStdin: async () => '',
        env: {},
        cwd: t.dir,
      };
      await runCli(['history', 'log', id, '--data-dir', dataDir], io);
      return out.join('');
    })();
    expect((JSON.parse(r.out) as { changes: unknown[] }[])[0]?.changes).toEqual([
      { origin: 'remote:bob', author: 'bob', paths: ['/status'] },
    ]);
    expect(human).toContain('after the fight');
    expect(human).toContain('remote:bob bob: /status');
  });

  it('character edit --set /build/equipment/-=… appends (RFC 6901 "-")', async () => {
    const core = await createCore({ dataDir });
    const { id } = await core.characters.import(build({ name: 'Aria' }));
    const before = (await core.characters.show(id)).doc.build.equipment;
    await core.close();
    await j(['character', 'edit', id, '--set', '/build/equipment/-={"item":"rope"}']);
    const again = await createCore({ dataDir });
    const after = (await again.characters.show(id)).doc.build.equipment;
    await again.close();
    expect(after.length).toBe(before.length + 1);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[after.length - 1]).toMatchObject({ item: 'rope' });
  });
});
