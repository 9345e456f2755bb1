/**
 * Campaign memory across a real relay: a player's data folder receives the public lore (and can search it by a
 * misspelt name, see its backlinks and its co-mention graph), but no byte of the DM-only parts: an entity's DM
 * text, typed relations, a private journal and what the DM's search index and embeddings hold.
 */
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

describe('memory privacy through the relay', { timeout: 120_000 }, () => {
  it('players get the public lore and search it; DM-only parts never reach their folder', async () => {
    const dm = tempDir('lf-mempriv-dm-');
    const player = tempDir('lf-mempriv-player-');
    try {
      const secret = {
        dmText: 'SECRET-LORE-the-keep-hides-the-cult-4c1d',
        relation: 'secretly-funds-9e2b',
        journal: 'SECRET-PRIVATE-duke-is-the-traitor-77aa',
      };
      const open = { page: 'PUBLIC-LORE-an-old-keep-b3f0', recap: 'PUBLIC-RECAP-we-found-the-keep-1a2b' };
      const core = await createCore({ dataDir: dm.dir, author: 'dm' });
      let campaign: string;
      let pc: string;
      try {
        campaign = (await core.campaigns.create({ name: 'Veiled Keep' })).id;
        pc = (await core.characters.import({ build: build({ name: 'Tamsin' }) }, { campaign })).id;
      } finally {
        await core.close();
      }
      const ok = async (args: string[], dir = dm.dir) => {
        const r = await cli(args, dir);
        expect(r.err, r.err).toBe('');
        expect(r.code).toBe(0);
        return r.json as Record<string, unknown> & { id: string };
      };
      const keep = await ok([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'location',
        '--name',
        'Blackwater Keep',
        '--text',
        open.page,
        '--dm-text',
        secret.dmText,
      ]);
      const duke = await ok([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'npc',
        '--name',
        'Duke Varo',
      ]);
      await ok(['relate', duke.id, keep.id, '--type', secret.relation]);
      await ok([
        'journal',
        'add',
        '--campaign',
        campaign,
        '--title',
        'Plans',
        '--private',
        '--text',
        `@"Duke Varo": ${secret.journal}`,
      ]);
      await ok([
        'journal',
        'add',
        '--campaign',
        campaign,
        '--title',
        'Recap',
        '--session',
        '1',
        '--text',
        `${open.recap} at @"Blackwater Keep" with @Varo.`,
      ]);
      // The DM's own search index and graph now hold the secrets (in the DM's folder).
      await ok(['search', 'traitor', '--campaign', campaign]);
      expect(filesHolding(dm.dir, secret.journal).some((f) => f.includes('memory'))).toBe(true);

      const tok = (role: 'dm' | 'player', owns: string[]) =>
        createRelayToken(
          { campaign, user: role, role, owns, ttlSeconds: 3600, nowMs: Date.now() },
          relay.secret,
        );
      await ok(['sync', '--relay', relay.url, '--token', tok('dm', []), '--once', '--campaign', campaign]);
      await ok(['sync', '--relay', relay.url, '--token', tok('player', [pc]), '--once'], player.dir);

      // The player works with the public memory: misspelt search, backlinks, the co-mention graph.
      const hits = (await cli(['search', 'Blakwater', '--campaign', campaign], player.dir)).json as {
        id: string;
      }[];
      expect(hits.map((h) => h.id)).toContain(keep.id);
      const page = await ok(['entity', 'show', keep.id], player.dir);
      expect(page['text']).toBe(open.page);
      expect(page['dm']).toBeUndefined();
      expect(page['relations']).toBeUndefined();
      expect((page['backlinks'] as { title: string }[]).map((b) => b.title)).toEqual(['Recap']);
      const path = (await cli(['graph', 'path', duke.id, keep.id], player.dir)).json as {
        relation?: string;
      }[];
      expect(path.map((p) => p.relation)).toEqual([undefined, 'co-mention']);
      expect((await cli(['search', 'traitor', '--campaign', campaign], player.dir)).json).toEqual([]);

      for (const m of Object.values(open)) expect(filesHolding(player.dir, m), m).not.toEqual([]);
      for (const m of Object.values(secret)) expect(filesHolding(dm.dir, m), m).not.toEqual([]);
      for (const m of Object.values(secret)) expect(filesHolding(player.dir, m), m).toEqual([]);
    } finally {
      dm.cleanup();
      player.cleanup();
    }
  });
});
