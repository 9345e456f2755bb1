/**
 * An NPC stub's build never reaches a player. The stub (public lore, named in a public journal) is shared first;
 * the DM then adds a build (`entity build`), a DM-only npc character linked from the DM notes, and both sides
 * sync again through the real relay. Every file of the player's data folder is searched for the build's markers
 * and the character's id: none is there, while the stub (its name, the journal naming it) is, and the player's
 * `character show`/`entity show`/`character list` answer the public stub alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/index';
import { createRelayToken } from '../../src/sync/token';
import { startRelayProcess, type RelayProcess } from '../fixtures/relay-process';
import { build, filesHolding, lastJson, runCliCaptured, tempDir } from '../helpers';

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess();
});
afterAll(async () => {
  await relay?.stop();
});

async function cli(args: string[], dataDir: string) {
  const r = await runCliCaptured([...args, '--data-dir', dataDir, '--json'], {
    cwd: process.cwd(),
    author: 'dm',
  });
  return { code: r.code, err: r.err, json: r.out ? lastJson(r.out) : null };
}

describe('NPC stub builds through the relay', { timeout: 120_000 }, () => {
  it("a build added to a shared stub leaves no byte in the player's folder; the player still sees the stub", async () => {
    const dm = tempDir('lf-npcpriv-dm-');
    const player = tempDir('lf-npcpriv-player-');
    // The build's file lives outside both data folders (the byte search covers every file in them).
    const files = tempDir('lf-npcpriv-files-');
    try {
      const secret = {
        backstory: 'SECRET-NPC-BUILD-gregor-runs-the-smugglers-5b7c',
        secret: 'SECRET-NPC-SECRET-never-forgives-e21d',
      };
      const open = { recap: 'PUBLIC-RECAP-met-a-dockhand-9f0a', stubName: 'Gregor Dockhand' };
      const core = await createCore({ dataDir: dm.dir, author: 'dm' });
      let campaign: string;
      let pc: string;
      try {
        campaign = (await core.campaigns.create({ name: 'Saltmarsh' })).id;
        pc = (await core.characters.import({ build: build({ name: 'Tamsin' }) }, { campaign })).id;
      } finally {
        await core.close();
      }
      const ok = async (args: string[], dir = dm.dir) => {
        const r = await cli(args, dir);
        expect(r.err, r.err).toBe('');
        expect(r.code).toBe(0);
        return r.json as Record<string, unknown>;
      };
      const added = (await ok([
        'journal',
        'add',
        '--campaign',
        campaign,
        '--title',
        'Session 1',
        '--session',
        '1',
        '--text',
        `${open.recap}: we met @[${open.stubName}](new:npc) at the docks.`,
      ])) as { mentions: { id: string }[] };
      const stub = added.mentions[0]!.id;

      const tok = (role: 'dm' | 'player', owns: string[]) =>
        createRelayToken(
          { campaign, user: role, role, owns, ttlSeconds: 3600, nowMs: Date.now() },
          relay.secret,
        );
      const syncDm = () =>
        ok(['sync', '--relay', relay.url, '--token', tok('dm', []), '--campaign', campaign, '--once']);
      const syncPlayer = () =>
        ok(['sync', '--relay', relay.url, '--token', tok('player', [pc]), '--once'], player.dir);
      // The stub is shared before it has a build.
      await syncDm();
      await syncPlayer();
      expect(filesHolding(player.dir, open.stubName)).not.toEqual([]);

      // The DM adds the build later, then both sync again.
      const file = join(files.dir, 'gregor.json');
      writeFileSync(
        file,
        JSON.stringify({
          build: build({ name: open.stubName }),
          narrative: { backstory: secret.backstory, secrets: [secret.secret] },
        }),
      );
      const made = (await ok(['entity', 'build', stub, '--build', file])) as { characterId: string };
      await syncDm();
      await syncPlayer();

      const hidden = { ...secret, characterId: made.characterId };
      // The DM's folder holds them (the search sees real bytes)…
      for (const m of Object.values(hidden)) expect(filesHolding(dm.dir, m), m).not.toEqual([]);
      // …the player's holds none, but the public stub and the journal naming it.
      for (const m of Object.values(hidden)) expect(filesHolding(player.dir, m), m).toEqual([]);
      for (const m of Object.values(open)) expect(filesHolding(player.dir, m), m).not.toEqual([]);

      // The player sees the public stub only.
      expect(await ok(['character', 'show', stub], player.dir)).toMatchObject({
        id: stub,
        kind: 'npc',
        stub: true,
        build: null,
        name: open.stubName,
      });
      const page = await ok(['entity', 'show', stub], player.dir);
      expect(page['name']).toBe(open.stubName);
      expect('build' in page).toBe(false);
      expect('dm' in page).toBe(false);
      expect(await ok(['character', 'list', '--campaign', campaign, '--kind', 'npc'], player.dir)).toEqual([
        expect.objectContaining({ id: stub, stub: true, build: null }),
      ]);
      // And finds it by a misspelt name.
      const hits = (await ok(['search', 'Gregr', '--campaign', campaign], player.dir)) as unknown as {
        id: string;
      }[];
      expect(hits.map((h) => h.id)).toContain(stub);
      // A player's folder cannot add a build (named reason), nor does the DM's side lose its view.
      const refused = await cli(['entity', 'build', stub, '--build', file], player.dir);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toMatch(
        /player's copy of campaign .*an NPC's build lives only in the DM's data folder \(it is never sent to players\)/,
      );
      expect(await ok(['character', 'show', stub])).toMatchObject({
        id: stub,
        characterId: made.characterId,
        build: { name: open.stubName },
      });
    } finally {
      dm.cleanup();
      player.cleanup();
      files.cleanup();
    }
  });
});
