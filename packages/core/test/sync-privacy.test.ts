/**
 * Privacy by document boundary: after a full sync through the real relay, a player's data folder holds no byte
 * of DM-only content. The DM plants unique markers in an NPC, a monster, an encounter, the campaign's secrets
 * and a private journal; every file of the player's folder (SQLite databases, WAL, settings) is searched for
 * them. Public markers (the player's character, a public journal) must be found, so the search is shown to see
 * what a sync writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/index';
import { createRelayToken } from '../src/sync/token';
import { startRelayProcess, type RelayProcess } from './fixtures/relay-process';
import { build, filesHolding, lastJson, runCliCaptured, tempDir } from './helpers';

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess();
});
afterAll(async () => {
  await relay?.stop();
});

async function cli(args: string[]) {
  const r = await runCliCaptured(args, { cwd: process.cwd(), author: 'dm' });
  // `sync --json` prints one JSON object per line (the summary last); other commands one pretty object.
  const last = (r.out ? lastJson(r.out) : {}) as Record<string, unknown>;
  return { code: r.code, err: r.err, last };
}

describe('sync privacy', () => {
  it("after a full sync the player's data folder holds no byte of DM-only content", async () => {
    const dm = tempDir('lf-priv-dm-');
    const player = tempDir('lf-priv-player-');
    try {
      const secret = {
        npcName: 'Zorvath Hiddenhand',
        npcStory: 'SECRET-NPC-is-the-kings-poisoner-7f3a',
        monster: 'SECRET-MONSTER-Gloomwyrm-91c2',
        encounter: 'SECRET-ENCOUNTER-ambush-at-the-ford-5d10',
        journal: 'SECRET-PRIVATE-JOURNAL-the-twist-is-3e44',
        journalTitle: 'SECRET-TITLE-dm-plans-0b7e',
      };
      const open = { pcStory: 'PUBLIC-PC-backstory-aa61', journal: 'PUBLIC-JOURNAL-recap-c0de' };

      const core = await createCore({ dataDir: dm.dir, author: 'dm' });
      let campaign: string;
      let pc: string;
      try {
        campaign = (await core.campaigns.create({ name: 'Veiled Court' })).id;
        pc = (
          await core.characters.import(
            { build: build({ name: 'Tamsin' }), narrative: { backstory: open.pcStory } },
            { campaign },
          )
        ).id;
        const npc = (
          await core.characters.import(
            {
              build: build({ name: secret.npcName }),
              kind: 'npc',
              narrative: { backstory: secret.npcStory },
            },
            { campaign },
          )
        ).id;
        const monster = (
          await core.characters.import(
            { build: build({ name: secret.monster }), kind: 'monster' },
            { campaign },
          )
        ).id;
        await core.campaigns.addEncounter(campaign, { name: secret.encounter, participants: [npc, monster] });
      } finally {
        await core.close();
      }
      const journal = (args: string[]) =>
        cli(['journal', 'add', '--campaign', campaign, '--data-dir', dm.dir, '--json', ...args]);
      expect(
        (await journal(['--title', secret.journalTitle, '--text', secret.journal, '--private'])).code,
      ).toBe(0);
      expect((await journal(['--title', 'Session 1 recap', '--text', open.journal])).code).toBe(0);

      const tok = (role: 'dm' | 'player', owns: string[]) =>
        createRelayToken(
          { campaign, user: role, role, owns, ttlSeconds: 3600, nowMs: Date.now() },
          relay.secret,
        );
      const sync = (dir: string, token: string, extra: string[] = []) =>
        cli([
          'sync',
          '--relay',
          relay.url,
          '--token',
          token,
          '--once',
          '--json',
          '--data-dir',
          dir,
          ...extra,
        ]);
      const hosted = await sync(dm.dir, tok('dm', []), ['--campaign', campaign]);
      expect(hosted.err).toBe('');
      expect(hosted.code).toBe(0);
      const joined = await sync(player.dir, tok('player', [pc]));
      expect(joined.err).toBe('');
      expect(joined.code).toBe(0);
      expect(joined.last).toMatchObject({ campaign, characters: 1 });

      // The search sees synced content: the public markers are in the player's folder.
      for (const m of Object.values(open)) expect(filesHolding(player.dir, m), m).not.toEqual([]);
      // The DM's folder holds the secrets (the markers are real bytes the search would find).
      for (const m of Object.values(secret)) expect(filesHolding(dm.dir, m), m).not.toEqual([]);
      // No DM-only byte reached the player.
      for (const m of Object.values(secret)) expect(filesHolding(player.dir, m), m).toEqual([]);
    } finally {
      dm.cleanup();
      player.cleanup();
    }
  });
});
