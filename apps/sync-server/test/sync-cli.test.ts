/**
 * `loreforge sync` (core's CLI) against a real relay on port 0: a DM data dir hosts a campaign, a player data
 * dir joins with a player token, the player's offline edit reaches the DM, and bad input fails clearly.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '@loreforge/core';
import { runCli, type CliIo } from '@loreforge/core/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/index';
import * as Y from 'yjs';
import { SECRET, makeRelay, provider, tempDir, waitFor } from './helpers';
import {
  createEventBus,
  createHandlers,
  createRelayToken,
  disposeHandlers,
  docName,
  silentLogger,
  type Role,
} from '@loreforge/core';

const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
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

describe('loreforge sync', () => {
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

  it('offline edits to different fields on both sides merge; a spectator edit is not sent and is reverted', async () => {
    const dmToken = tok(campaign, 'dm');
    const playerToken = tok(campaign, 'player', [charId]);
    const playerCampaign = (await sync(dirs.player.dir, playerToken)).summary?.['campaign'] as string;
    const playerCharId = await withCore(dirs.player.dir, async (core) => {
      const id = ((await core.characters.list({ campaign: playerCampaign }))[0] as { id: string }).id;
      await core.characters.edit(id, { set: [{ path: '/build/abilityScores/wis', value: 13 }] });
      return id;
    });
    await withCore(dirs.dm.dir, (core) =>
      core.characters.edit(charId, { set: [{ path: '/build/abilityScores/str', value: 10 }] }),
    );
    expect((await sync(dirs.player.dir, playerToken)).summary).toMatchObject({ pushed: 1, pulled: 0 });
    expect((await sync(dirs.dm.dir, dmToken)).summary).toMatchObject({ pushed: 1, pulled: 1 });
    expect((await sync(dirs.player.dir, playerToken)).summary).toMatchObject({ pushed: 0, pulled: 1 });
    for (const [dir, id] of [
      [dirs.dm.dir, charId],
      [dirs.player.dir, playerCharId],
    ] as const) {
      const scores = await withCore(
        dir,
        async (core) => (await core.characters.show(id)).doc.build?.abilityScores,
      );
      expect(scores).toMatchObject({ str: 10, wis: 13, int: 18 });
    }

    // A spectator's local edit is not sent (read-only) and the relay's value is restored locally.
    const spectator = tempDir();
    try {
      const specToken = tok(campaign, 'spectator');
      const joined = await sync(spectator.dir, specToken);
      const specCampaign = joined.summary?.['campaign'] as string;
      const specChar = await withCore(spectator.dir, async (core) => {
        const id = ((await core.characters.list({ campaign: specCampaign }))[0] as { id: string }).id;
        await core.characters.edit(id, { set: [{ path: '/build/name', value: 'Spoofed' }] });
        return id;
      });
      expect((await sync(spectator.dir, specToken)).summary).toMatchObject({ pushed: 0, pulled: 1 });
      await withCore(spectator.dir, async (core) =>
        expect((await core.characters.show(specChar)).doc.build?.name).toBe('Aria the Bold'),
      );
      await withCore(dirs.dm.dir, async (core) =>
        expect((await core.characters.show(charId)).doc.build?.name).toBe('Aria the Bold'),
      );
    } finally {
      spectator.cleanup();
    }
  });

  it('without --once it keeps syncing, applies live changes, and stops cleanly on SIGTERM', async () => {
    const playerToken = tok(campaign, 'player', [charId]);
    const child = spawn(
      tsx,
      [
        join(repoRoot, 'scripts/loreforge.ts'),
        'sync',
        '--json',
        '--interval',
        '0.2',
        '--relay',
        relay.url,
        '--token',
        playerToken,
        '--data-dir',
        dirs.player.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot },
    );
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
        buf = buf.slice(i + 1);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(() => lines.some((l) => l['event'] === 'ready'), 'the ready event', 20_000);
      await withCore(dirs.dm.dir, (core) =>
        core.characters.edit(charId, { set: [{ path: '/build/abilityScores/cha', value: 15 }] }),
      );
      expect((await sync(dirs.dm.dir, tok(campaign, 'dm'))).summary).toMatchObject({ pushed: 1 });
      await waitFor(() => lines.some((l) => l['event'] === 'pulled'), 'the live pull', 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(lines.at(-1)).toMatchObject({ event: 'stopped', role: 'player', pulled: 1, pushed: 0 });
    await withCore(dirs.player.dir, async (core) => {
      const rows = await core.characters.list();
      const mine = rows.find((r) => r.name === 'Aria the Bold') as { id: string };
      expect((await core.characters.show(mine.id)).doc.build?.abilityScores.cha).toBe(15);
    });
  }, 40_000);

  it('a token the relay rejects exits 2 naming --token and creates nothing', async () => {
    const fresh = tempDir();
    try {
      const forged = createRelayToken(
        { campaign, user: 'mallory', role: 'player', owns: [], ttlSeconds: 3600, nowMs: Date.now() },
        'another-secret-0123456789abcdef',
      );
      const r = await sync(fresh.dir, forged);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--token: the relay refused it \(401/);
      await withCore(fresh.dir, async (core) => expect(await core.campaigns.list()).toEqual([]));
    } finally {
      fresh.cleanup();
    }
  });

  it('a shared character that cannot be applied locally fails --once, naming the character', async () => {
    const bad = 'camp-bad';
    const campaignDoc = new Y.Doc();
    campaignDoc.getMap('roster').set('bogus', { name: 'Bogus' });
    const charDoc = new Y.Doc();
    charDoc.getMap('fields').set('/build/name', 'Bogus');
    const dm = tok(bad, 'dm');
    const providers = [
      provider(relay, docName(bad, 'campaign', bad), campaignDoc, dm),
      provider(relay, docName(bad, 'character', 'bogus'), charDoc, dm),
    ];
    const fresh = tempDir();
    try {
      await Promise.all(providers.map((p) => p.whenSynced()));
      const r = await sync(fresh.dir, tok(bad, 'player'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/character bogus: could not be synced \(/);
    } finally {
      for (const p of providers) p.destroy();
      fresh.cleanup();
    }
  });

  it('a dm token the relay rejects exits 2 naming --token', async () => {
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

describe('loreforge sync: DM secrets', () => {
  const dirs = { relay: tempDir(), dm: tempDir(), player: tempDir() };
  let relay: Relay;
  afterAll(async () => {
    await relay.close();
    for (const d of Object.values(dirs)) d.cleanup();
  });
  const brakka = JSON.parse(
    readFileSync(join(repoRoot, 'resources/examples/brakka.build.json'), 'utf8'),
  ) as Record<string, unknown>;

  it('publishes only player characters: an npc with a build stays with the DM', async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    const { campaign, pcId } = await withCore(dirs.dm.dir, async (core) => {
      const campaign = (await core.campaigns.create({ name: 'Hidden Halls' })).id;
      const pcId = (await core.characters.import({ build: aria }, { campaign })).id;
      await core.characters.import({ build: brakka, kind: 'npc' }, { campaign });
      return { campaign, pcId };
    });
    const args = (dir: string, token: string) => [
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
    ];
    const hosted = await run(args(dirs.dm.dir, tok(campaign, 'dm')));
    expect(hosted.err).toBe('');
    expect(hosted.summary).toMatchObject({ campaign, characters: 1, pushed: 1 });
    const joined = await run(args(dirs.player.dir, tok(campaign, 'player', [pcId])));
    expect(joined.err).toBe('');
    expect(joined.code).toBe(0);
    const playerCampaign = joined.summary?.['campaign'] as string;
    await withCore(dirs.player.dir, async (core) => {
      const rows = await core.characters.list({ campaign: playerCampaign });
      expect(rows.map((r) => [r.name, r.kind])).toEqual([['Aria Moonwhisper', 'pc']]);
    });
  });
});

describe('loreforge sync: one bad character', () => {
  const dirs = { relay: tempDir(), dm: tempDir() };
  let relay: Relay;
  afterAll(async () => {
    await relay.close();
    for (const d of Object.values(dirs)) d.cleanup();
  });

  it('fails --once naming it, but the other characters still reach the relay', async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    const brakka = JSON.parse(
      readFileSync(join(repoRoot, 'resources/examples/brakka.build.json'), 'utf8'),
    ) as Record<string, unknown>;
    const { campaign, ariaId, brakkaId } = await withCore(dirs.dm.dir, async (core) => {
      const campaign = (await core.campaigns.create({ name: 'Broken Keep' })).id;
      const ariaId = (await core.characters.import({ build: aria }, { campaign })).id;
      const brakkaId = (await core.characters.import({ build: brakka }, { campaign })).id;
      return { campaign, ariaId, brakkaId };
    });
    const dm = tok(campaign, 'dm');
    const sync = () =>
      run([
        'sync',
        '--once',
        '--json',
        '--timeout',
        '10',
        '--relay',
        relay.url,
        '--token',
        dm,
        '--data-dir',
        dirs.dm.dir,
      ]);
    const first = await sync();
    expect(first.err).toBe('');
    expect(first.summary).toMatchObject({ characters: 2, pushed: 2 });

    // Someone with write access puts an invalid value into Aria's shared document.
    const ariaDoc = new Y.Doc();
    const writer = provider(relay, docName(campaign, 'character', ariaId), ariaDoc, dm);
    const brakkaDoc = new Y.Doc();
    const reader = provider(relay, docName(campaign, 'character', brakkaId), brakkaDoc, dm, true);
    try {
      await Promise.all([writer.whenSynced(), reader.whenSynced()]);
      ariaDoc.getMap('fields').set('/build/abilityScores/str', 'very high');
      const probeDoc = new Y.Doc();
      const probe = provider(relay, docName(campaign, 'character', ariaId), probeDoc, dm, true);
      await waitFor(
        () => probeDoc.getMap('fields').get('/build/abilityScores/str') === 'very high',
        'bad value',
      );
      probe.destroy();
      // Meanwhile the DM renames Brakka offline.
      await withCore(dirs.dm.dir, (core) =>
        core.characters.edit(brakkaId, { set: [{ path: '/build/name', value: 'Brakka the Red' }] }),
      );
      const second = await sync();
      expect(second.code).toBe(1);
      expect(second.err).toMatch(new RegExp(`character ${ariaId}: could not be synced \\(`));
      await waitFor(
        () => brakkaDoc.getMap('fields').get('/build/name') === 'Brakka the Red',
        'Brakka rename',
      );
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });
});

describe('share/join across restarts', () => {
  const dirs = { relay: tempDir(), dm: tempDir(), player: tempDir() };
  let relay: Relay;
  afterAll(async () => {
    await relay.close();
    for (const d of Object.values(dirs)) d.cleanup();
  });

  async function app(dataDir: string) {
    const core = await createCore({ dataDir, author: 'test' });
    const h = createHandlers(core, {
      dataDir,
      bus: createEventBus(),
      log: silentLogger,
      appVersion: 'test',
      host: 'test',
    });
    return {
      core,
      h,
      async close() {
        disposeHandlers(h);
        await core.close();
      },
    };
  }

  async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 6000) {
    const start = Date.now();
    while (!(await cond())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("a joiner's offline edit survives its restart and reaches the DM", async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    const dm = await app(dirs.dm.dir);
    try {
      const campaign = (await dm.core.campaigns.create({ name: 'Long Road' })).id;
      const pcId = (await dm.core.characters.import({ build: aria }, { campaign })).id;
      await dm.h['settings.update']({ sync: { relayUrl: relay.url, relaySecret: SECRET, user: 'dm-1' } });
      const { invite } = await dm.h['sync.share']({ campaign, user: 'p1', role: 'player', owns: [pcId] });

      let player = await app(dirs.player.dir);
      const { campaign: playerCampaign } = await player.h['sync.join']({ invite });
      const rows = async () => player.core.characters.list({ campaign: playerCampaign });
      await until(async () => (await rows()).length === 1, 'the shared character');
      const id = ((await rows())[0] as { id: string }).id;
      await player.close();

      await withCore(dirs.player.dir, (core) =>
        core.characters.edit(id, { set: [{ path: '/build/name', value: 'Aria Offline' }] }),
      );
      player = await app(dirs.player.dir);
      try {
        await until(
          async () => (await dm.core.characters.show(pcId)).doc.build?.name === 'Aria Offline',
          'the offline edit at the DM',
        );
        expect((await player.core.characters.show(id)).doc.build?.name).toBe('Aria Offline');
      } finally {
        await player.close();
      }
    } finally {
      await dm.close();
    }
  });
});
