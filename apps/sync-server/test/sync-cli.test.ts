/**
 * `loreforge sync` (core's CLI) against a real relay on port 0: a DM data dir hosts a campaign, a player data
 * dir joins with a player token, the player's offline edit reaches the DM, and bad input fails clearly.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '@loreforge/core';
import { runCli, type CliIo } from '@loreforge/core/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/index';
import { SECRET, makeRelay, tempDir } from './helpers';
import { createRelayToken, type Role } from '@loreforge/core';

const repoRoot = resolve(import.meta.dirname, '../../..');
const aria = JSON.parse(readFileSync(join(repoRoot, 'resources/examples/aria.build.json'), 'utf8')) as Record<
  string,
  unknown
>;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => '',
    env: { LOREFORGE_AUTHOR: 'test' },
    cwd: repoRoot,
  };
  const code = await runCli(args, io);
  const text = out.join('');
  const events = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, out: text, err: err.join(''), events, summary: events.at(-1) };
}

function tok(campaign: string, role: Role, owns: string[] = [], ttl = 3600) {
  return createRelayToken(
    { campaign, user: `${role}-1`, role, owns, ttlSeconds: ttl, nowMs: Date.now() },
    SECRET,
  );
}

async function withCore<T>(
  dataDir: string,
  fn: (core: Awaited<ReturnType<typeof createCore>>) => Promise<T>,
) {
  const core = await createCore({ dataDir, author: 'test' });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

describe('loreforge sync --once', () => {
  const dirs = { relay: tempDir(), dm: tempDir(), player: tempDir() };
  let relay: Relay;
  let campaign: string;
  let charId: string;

  beforeAll(async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    await withCore(dirs.dm.dir, async (core) => {
      campaign = (await core.campaigns.create({ name: 'Sunless Vale' })).id;
      charId = (await core.characters.import({ build: aria }, { campaign })).id;
    });
  });
  afterAll(async () => {
    await relay.close();
    for (const d of Object.values(dirs)) d.cleanup();
  });

  const sync = (dir: string, token: string, extra: string[] = []) =>
    run([
      'sync',
      '--once',
      '--json',
      '--timeout',
      '10',
      '--relay',
      relay.url,
      '--token',
      token,
      '--data-dir',
      dir,
      ...extra,
    ]);

  it('DM publishes, player receives, player edit reaches the DM', async () => {
    const dmToken = tok(campaign, 'dm');
    const first = await sync(dirs.dm.dir, dmToken);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.summary).toEqual({
      event: 'summary',
      campaign,
      role: 'dm',
      characters: 1,
      pushed: 1,
      pulled: 0,
    });

    const playerToken = tok(campaign, 'player', [charId]);
    const joined = await sync(dirs.player.dir, playerToken);
    expect(joined.err).toBe('');
    expect(joined.code).toBe(0);
    const playerCampaign = joined.summary?.['campaign'] as string;
    expect(playerCampaign).not.toBe(campaign);
    expect(joined.summary).toMatchObject({ role: 'player', characters: 1, pushed: 0, pulled: 1 });
    const playerCharId = await withCore(dirs.player.dir, async (core) => {
      const rows = await core.characters.list({ campaign: playerCampaign });
      expect(rows.map((r) => r.name)).toEqual(['Aria Moonwhisper']);
      const id = (rows[0] as { id: string }).id;
      await core.characters.edit(id, {
        set: [{ path: '/build/name', value: 'Aria the Bold' }],
        message: 'rename',
      });
      return id;
    });

    const pushed = await sync(dirs.player.dir, playerToken);
    expect(pushed.err).toBe('');
    expect(pushed.code).toBe(0);
    // The second run reuses the local campaign made by the first one.
    expect(pushed.summary).toMatchObject({ campaign: playerCampaign, characters: 1, pushed: 1, pulled: 0 });
    await withCore(dirs.player.dir, async (core) => {
      expect((await core.characters.list({ campaign: playerCampaign })).length).toBe(1);
      expect((await core.characters.show(playerCharId)).doc.build?.name).toBe('Aria the Bold');
    });

    const pulled = await sync(dirs.dm.dir, dmToken);
    expect(pulled.err).toBe('');
    expect(pulled.code).toBe(0);
    expect(pulled.summary).toMatchObject({ campaign, role: 'dm', characters: 1, pushed: 0, pulled: 1 });
    await withCore(dirs.dm.dir, async (core) => {
      const view = await core.characters.show(charId);
      expect(view.doc.build?.name).toBe('Aria the Bold');
      const log = await core.history.log(charId);
      expect(log.some((e) => e.message === 'sync from relay')).toBe(true);
    });
  });

  it('a token the relay rejects exits 2 naming --token', async () => {
    const forged = createRelayToken(
      { campaign, user: 'mallory', role: 'dm', owns: [], ttlSeconds: 3600, nowMs: Date.now() },
      'another-secret-0123456789abcdef',
    );
    const r = await sync(dirs.dm.dir, forged);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--token: the relay refused it \(401/);
  });

  it('a malformed token exits 2 naming --token without contacting the relay', async () => {
    const r = await sync(dirs.dm.dir, 'not-a-token');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--token: /);
  });

  it('an unknown --campaign exits 2 naming --campaign', async () => {
    const r = await sync(dirs.player.dir, tok(campaign, 'player'), ['--campaign', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--campaign: no local campaign nope/);
  });

  it('a relay that does not answer fails after the bounded wait naming --relay', async () => {
    const r = await run([
      'sync',
      '--once',
      '--json',
      '--timeout',
      '1',
      '--relay',
      'ws://127.0.0.1:1',
      '--token',
      tok(campaign, 'dm'),
      '--data-dir',
      dirs.dm.dir,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--relay: ws:\/\/127\.0\.0\.1:1 did not sync within 1 s/);
  });
});
