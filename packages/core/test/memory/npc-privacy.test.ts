/**
 * An NPC stub's build never reaches a player. The stub (public lore, named in a public journal) is shared first;
 * the DM then adds a build (`entity build`), a DM-only npc character linked from the DM notes, and both sides
 * sync again through the real relay. Every file of the player's data folder is searched for the build's markers
 * and the character's id: none is there, while the stub (its name, the journal naming it) is, and the player's
 * `character show`/`entity show`/`character list` answer the public stub alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, filesHolding, tempDir } from '../helpers';
import { cli, dmAndPlayer, useRelay } from './relay-privacy';

const fixture = useRelay();

describe('NPC stub builds through the relay', { timeout: 120_000 }, () => {
  it("a build added to a shared stub leaves no byte in the player's folder; the player still sees the stub", async () => {
    const { dm, player, campaign, ok, syncDm, syncPlayer, cleanup } = await dmAndPlayer(
      fixture.relay,
      'lf-npcpriv-',
      'Saltmarsh',
    );
    // The build's file lives outside both data folders (the byte search covers every file in them).
    const files = tempDir('lf-npcpriv-files-');
    try {
      const secret = {
        backstory: 'SECRET-NPC-BUILD-gregor-runs-the-smugglers-5b7c',
        secret: 'SECRET-NPC-SECRET-never-forgives-e21d',
      };
      const open = { recap: 'PUBLIC-RECAP-met-a-dockhand-9f0a', stubName: 'Gregor Dockhand' };
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
      cleanup();
      files.cleanup();
    }
  });
});
