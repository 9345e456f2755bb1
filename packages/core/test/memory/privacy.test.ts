/**
 * Campaign memory across a real relay: a player's data folder receives the public lore (and can search it by a
 * misspelt name, see its backlinks and its co-mention graph), but no byte of the DM-only parts: an entity's DM
 * text, typed relations, a private journal and what the DM's search index and embeddings hold.
 */
import { describe, expect, it } from 'vitest';
import { filesHolding } from '../helpers';
import { cli, dmAndPlayer, useRelay } from './relay-privacy';

const fixture = useRelay();

describe('memory privacy through the relay', { timeout: 120_000 }, () => {
  it('players get the public lore and search it; DM-only parts never reach their folder', async () => {
    const { dm, player, campaign, ok, syncDm, syncPlayer, cleanup } = await dmAndPlayer(
      fixture.relay,
      'lf-mempriv-',
      'Veiled Keep',
    );
    try {
      const secret = {
        dmText: 'SECRET-LORE-the-keep-hides-the-cult-4c1d',
        relation: 'secretly-funds-9e2b',
        journal: 'SECRET-PRIVATE-duke-is-the-traitor-77aa',
      };
      const open = { page: 'PUBLIC-LORE-an-old-keep-b3f0', recap: 'PUBLIC-RECAP-we-found-the-keep-1a2b' };
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

      await syncDm();
      await syncPlayer();

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
      cleanup();
    }
  });
});
