/**
 * Live play through the real relay with two data folders (DM and player), all from the command line: the player
 * gets the public session without hidden foes or foes' HP (not in its view, not in any file of its data folder),
 * its requests travel in its intents document, the DM's peer applies the ones the auto-apply setting allows during
 * `sync` and waits for the DM on the others, and the answers travel back.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/registry';
import { createCore } from '../../src/index';
import { createRelayToken } from '../../src/sync/token';
import { startRelayProcess, type RelayProcess } from '../fixtures/relay-process';
import { build, tempDir } from '../helpers';

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess();
});
afterAll(async () => {
  await relay?.stop();
});

async function cli(dir: string, author: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => '',
    env: { LOREFORGE_AUTHOR: author },
    cwd: process.cwd(),
  };
  const code = await runCli([...args, '--data-dir', dir, '--json'], io);
  const text = out.join('');
  const lines = text.split('\n').filter(Boolean);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = lines.map((l) => JSON.parse(l) as unknown);
  }
  return { code, err: err.join(''), json };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
const holders = (dir: string, marker: string): string[] =>
  filesUnder(dir).filter((f) => {
    const bytes = readFileSync(f);
    return bytes.includes(Buffer.from(marker, 'utf8')) || bytes.includes(Buffer.from(marker, 'utf16le'));
  });

interface Row {
  id: string;
  name: string;
  side: string;
  hidden: boolean;
  hp?: number;
  health?: string;
  status: string;
}

describe('live play through the relay', { timeout: 180_000 }, () => {
  it('DM referees, the player requests; hidden foes and foes’ HP never reach the player', async () => {
    const dmDir = tempDir('lf-play-dm-');
    const plDir = tempDir('lf-play-pl-');
    try {
      const core = await createCore({ dataDir: dmDir.dir, author: 'dm' });
      let campaign: string;
      let tamsin: string;
      let bo: string;
      try {
        campaign = (await core.campaigns.create({ name: 'Ambush' })).id;
        tamsin = (await core.characters.import(build({ name: 'Tamsin' }), { campaign })).id;
        bo = (await core.characters.import(build({ name: 'Bo' }), { campaign })).id;
      } finally {
        await core.close();
      }
      const dm = (args: string[]) => cli(dmDir.dir, 'dm', args);
      const pl = (args: string[]) => cli(plDir.dir, 'pia', args);
      const ok = async (p: Promise<{ code: number; err: string; json: unknown }>) => {
        const r = await p;
        expect(r.err, r.err).toBe('');
        expect(r.code).toBe(0);
        return r.json;
      };

      const start = (await ok(
        dm([
          'combat',
          'start',
          '--campaign',
          campaign,
          '--party',
          `${tamsin},${bo}`,
          '--creatures',
          'goblin-warrior x 2,bugbear-stalker',
          '--hidden',
          'bugbear-stalker',
          '--seats',
          `${tamsin}=pia`,
          '--seed',
          '5',
        ]),
      )) as { session: string; order: Row[] };
      const session = start.session;
      expect(start.order.find((o) => o.id === 'bugbear-stalker')).toMatchObject({
        hidden: true,
        side: 'foe',
      });
      // A goblin is hurt (its true HP stays with the DM).
      await ok(dm(['combat', 'damage', session, 'goblin-warrior-1', '4']));

      const tok = (role: 'dm' | 'player', user: string, owns: string[]) =>
        createRelayToken({ campaign, user, role, owns, ttlSeconds: 3600, nowMs: Date.now() }, relay.secret);
      const dmToken = tok('dm', 'dm', []);
      const plToken = tok('player', 'pia', [tamsin]);
      const syncDm = () =>
        ok(dm(['sync', '--relay', relay.url, '--token', dmToken, '--once', '--campaign', campaign]));
      const syncPl = () => ok(pl(['sync', '--relay', relay.url, '--token', plToken, '--once']));
      await syncDm();
      await syncPl();

      // The player's view: no hidden foe, foes with labels, own party exact.
      const view = (await ok(pl(['combat', 'view', session]))) as { order: Row[]; turn: string | null };
      expect(view.order.map((o) => o.id)).not.toContain('bugbear-stalker');
      const gob = view.order.find((o) => o.id === 'goblin-warrior-1')!;
      expect(gob).not.toHaveProperty('hp');
      expect(gob.health).toMatch(/^(healthy|bloodied)$/);
      const mine = view.order.find((o) => o.id === tamsin)!;
      expect(mine.hp).toBeGreaterThan(0);
      // Not in the player's data folder either (the DM's has it).
      expect(holders(dmDir.dir, 'Bugbear Stalker')).not.toEqual([]);
      expect(holders(plDir.dir, 'Bugbear Stalker')).toEqual([]);
      expect(holders(plDir.dir, 'bugbear-stalker')).toEqual([]);
      // The player cannot referee.
      const refused = await pl(['combat', 'damage', session, 'goblin-warrior-1', '99']);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toMatch(/player of campaign .* only the campaign's DM referees combat/);

      // Requests: damage to own character (auto-applied), an attack (waits for the DM), damage to another's (waits).
      const hurt = (await ok(
        pl(['combat', 'intent', session, '--character', tamsin, '--action', 'damage', '--amount', '6']),
      )) as { id: string; status: string };
      expect(hurt.status).toBe('pending');
      const attack = (await ok(
        pl([
          'combat',
          'intent',
          session,
          '--character',
          tamsin,
          '--action',
          'attack',
          '--target',
          'goblin-warrior-2',
          '--amount',
          '100',
        ]),
      )) as { id: string };
      const other = (await ok(
        pl(['combat', 'intent', session, '--character', bo, '--action', 'damage', '--amount', '3']),
      )) as { id: string };
      const bad = await pl(['combat', 'intent', session, '--character', tamsin, '--action', 'dance']);
      expect(bad.err).toMatch(/--action: "dance" is not one of/);
      await syncPl();
      const dmSync = (await syncDm()) as Array<{ event: string; id?: string; status?: string }>;
      expect(dmSync.filter((e) => e.event === 'intent').map((e) => [e.id, e.status])).toEqual([
        [hurt.id, 'applied'],
      ]);

      const dmView = (await ok(dm(['combat', 'view', session]))) as { order: Row[] };
      const before = start.order.find((o) => o.id === tamsin)!;
      void before;
      const pending = (await ok(dm(['combat', 'intents', session]))) as Array<{ id: string; status: string }>;
      expect(pending.map((r) => [r.id, r.status])).toEqual([
        [hurt.id, 'applied'],
        [attack.id, 'pending'],
        [other.id, 'pending'],
      ]);
      // Attacks happen on one's own turn: the DM brings Tamsin's turn round, then applies.
      let turn = (await ok(dm(['combat', 'view', session]))) as { turn: string };
      for (let i = 0; i < 6 && turn.turn !== tamsin; i++)
        turn = (await ok(dm(['combat', 'next', session]))) as { turn: string };
      expect(turn.turn).toBe(tamsin);
      expect(await ok(dm(['combat', 'resolve', session, attack.id, 'apply']))).toMatchObject({
        id: attack.id,
        status: 'applied',
      });
      expect(
        await ok(dm(['combat', 'resolve', session, other.id, 'refuse', '--reason', 'not your character'])),
      ).toMatchObject({ status: 'refused', reason: 'not your character' });
      const after = (await ok(dm(['combat', 'view', session]))) as { order: Row[] };
      expect(after.order.find((o) => o.id === 'goblin-warrior-2')!.status).toBe('dead');
      expect(after.order.find((o) => o.id === tamsin)!.hp).toBe(
        dmView.order.find((o) => o.id === tamsin)!.hp,
      );
      expect(after.order.find((o) => o.id === bo)!.hp).toBe(dmView.order.find((o) => o.id === bo)!.hp);

      // The answers and the new public state travel back to the player.
      await syncDm();
      await syncPl();
      const mineNow = (await ok(pl(['combat', 'intents', session]))) as Array<{
        id: string;
        status: string;
        reason?: string;
      }>;
      expect(mineNow.map((r) => [r.id, r.status])).toEqual([
        [hurt.id, 'applied'],
        [attack.id, 'applied'],
        [other.id, 'refused'],
      ]);
      const view2 = (await ok(pl(['combat', 'view', session]))) as { order: Row[]; turn: string | null };
      expect(view2.turn).toBe(tamsin);
      expect(view2.order.find((o) => o.id === 'goblin-warrior-2')).toMatchObject({
        health: 'down',
        status: 'dead',
      });
      expect(view2.order.find((o) => o.id === tamsin)!.hp).toBe(mine.hp! - 6);
      expect(holders(plDir.dir, 'Bugbear Stalker')).toEqual([]);
    } finally {
      dmDir.cleanup();
      plDir.cleanup();
    }
  });
});
