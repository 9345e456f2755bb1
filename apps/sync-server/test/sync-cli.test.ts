/**
 * `loreforge sync` (core's CLI) against a real relay on port 0, on live documents: a DM data folder hosts a
 * campaign with `--campaign`, a player data folder joins without it and adopts the campaign and its documents
 * under the relay's ids, offline edits on both sides (including appends to the same list) merge, joining again
 * duplicates nothing, and bad input fails naming the flag.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '@loreforge/core';
import { runCli, type CliIo } from '@loreforge/core/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Relay } from '../src/index';
import { SECRET, makeRelay, tempDir, waitFor } from './helpers';
import {
  createEventBus,
  createHandlers,
  createRelayToken,
  disposeHandlers,
  silentLogger,
  type DocKind,
  type Role,
} from '@loreforge/core';

const repoRoot = resolve(import.meta.dirname, '../../..');
const readExample = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, `resources/examples/${name}.build.json`), 'utf8')) as Record<
    string,
    unknown
  >;
const aria = readExample('aria');
const brakka = readExample('brakka');

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

async function withCore<T>(dataDir: string, fn: (core: Core) => Promise<T>) {
  const core = await createCore({ dataDir, author: 'test' });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** JSON and Yjs state vector of one live document in a data folder. */
async function liveState(dataDir: string, campaign: string, kind: DocKind, docId: string) {
  return withCore(dataDir, async (core) => {
    const h = await core.live.open({ campaign, kind, docId });
    try {
      return {
        json: h.doc.getMap('entity').toJSON() as Record<string, unknown>,
        sv: Buffer.from(Y.encodeStateVector(h.doc)).toString('base64'),
      };
    } finally {
      h.release();
    }
  });
}

describe('loreforge sync on live documents', () => {
  const dirs = { relay: tempDir(), dm: tempDir(), player: tempDir() };
  let relay: Relay;
  let campaign: string;
  let charId: string;
  let npcId: string;

  beforeAll(async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    await withCore(dirs.dm.dir, async (core) => {
      campaign = (await core.campaigns.create({ name: 'Sunless Vale' })).id;
      charId = (await core.characters.import({ build: aria }, { campaign })).id;
      npcId = (await core.characters.import({ build: brakka, kind: 'npc' }, { campaign })).id;
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
      '15',
      '--relay',
      relay.url,
      '--token',
      token,
      '--data-dir',
      dir,
      ...extra,
    ]);

  it('the host publishes with --campaign; the joiner adopts campaign and character under the same ids', async () => {
    const first = await sync(dirs.dm.dir, tok(campaign, 'dm'), ['--campaign', campaign]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    // The campaign and the player character are attached; the NPC stays with the DM.
    expect(first.summary).toMatchObject({
      event: 'summary',
      campaign,
      role: 'dm',
      host: true,
      characters: 1,
      adopted: 0,
    });
    expect(first.summary?.['pushed']).toBeGreaterThanOrEqual(2);

    const playerToken = tok(campaign, 'player', [charId]);
    const joined = await sync(dirs.player.dir, playerToken);
    expect(joined.err).toBe('');
    expect(joined.code).toBe(0);
    expect(joined.summary).toMatchObject({ campaign, role: 'player', host: false, characters: 1, pushed: 0 });
    expect(joined.summary?.['adopted']).toBeGreaterThanOrEqual(2);
    await withCore(dirs.player.dir, async (core) => {
      expect((await core.campaigns.list()).map((c) => c.id)).toEqual([campaign]);
      const rows = await core.characters.list({ campaign });
      expect(rows.map((r) => [r.id, r.name])).toEqual([[charId, 'Aria Moonwhisper']]);
      await expect(core.characters.show(npcId)).rejects.toThrow(/not found/);
    });
    // Same document, same Yjs history on both peers.
    expect(await liveState(dirs.player.dir, campaign, 'character', charId)).toEqual(
      await liveState(dirs.dm.dir, campaign, 'character', charId),
    );
    expect(await liveState(dirs.player.dir, campaign, 'campaign', campaign)).toEqual(
      await liveState(dirs.dm.dir, campaign, 'campaign', campaign),
    );
  });

  it('joining again adopts nothing and duplicates nothing', async () => {
    const again = await sync(dirs.player.dir, tok(campaign, 'player', [charId]));
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({
      campaign,
      host: false,
      adopted: 0,
      pushed: 0,
      pulled: 0,
      characters: 1,
    });
    await withCore(dirs.player.dir, async (core) => {
      expect((await core.campaigns.list()).map((c) => c.id)).toEqual([campaign]);
      expect((await core.characters.list()).map((r) => r.id)).toEqual([charId]);
    });
  });

  it('offline appends to the same list and edits of different fields on both sides all survive', async () => {
    const dmToken = tok(campaign, 'dm');
    const playerToken = tok(campaign, 'player', [charId]);
    await withCore(dirs.player.dir, (core) =>
      core.characters.edit(charId, {
        set: [
          { path: '/narrative/fears/-', value: 'deep water (player)' },
          { path: '/build/abilityScores/wis', value: 13 },
        ],
        message: 'player offline',
      }),
    );
    await withCore(dirs.dm.dir, (core) =>
      core.characters.edit(charId, {
        set: [
          { path: '/narrative/fears/-', value: 'the dark (dm)' },
          { path: '/build/abilityScores/str', value: 10 },
        ],
        message: 'dm offline',
      }),
    );
    expect((await sync(dirs.player.dir, playerToken)).summary).toMatchObject({ pushed: 1, pulled: 0 });
    expect((await sync(dirs.dm.dir, dmToken, ['--campaign', campaign])).summary).toMatchObject({
      pushed: 1,
      pulled: 1,
    });
    expect((await sync(dirs.player.dir, playerToken)).summary).toMatchObject({ pushed: 0, pulled: 1 });
    for (const dir of [dirs.dm.dir, dirs.player.dir]) {
      const doc = await withCore(dir, async (core) => (await core.characters.show(charId)).doc);
      expect(doc.build?.abilityScores).toMatchObject({ str: 10, wis: 13, int: 18 });
      expect([...(doc.narrative.fears ?? [])].sort()).toEqual(['deep water (player)', 'the dark (dm)']);
    }
    expect(await liveState(dirs.player.dir, campaign, 'character', charId)).toEqual(
      await liveState(dirs.dm.dir, campaign, 'character', charId),
    );
  });

  it('a remote change is stored with its remote origin, not committed', async () => {
    await withCore(dirs.dm.dir, async (core) => {
      const log = await core.history.log(charId);
      expect(log.some((e) => e.message === 'sync from relay')).toBe(false);
    });
  });

  it('a spectator adopts everything read-only: its local edit never reaches the relay', async () => {
    const spectator = tempDir();
    try {
      const specToken = tok(campaign, 'spectator');
      const joined = await sync(spectator.dir, specToken);
      expect(joined.err).toBe('');
      expect(joined.summary).toMatchObject({ campaign, role: 'spectator', characters: 1, pushed: 0 });
      await withCore(spectator.dir, async (core) => {
        await expect(
          core.characters.edit(charId, { set: [{ path: '/build/name', value: 'Spoofed' }] }),
        ).rejects.toThrow(/read/);
      });
      expect((await sync(spectator.dir, specToken)).summary).toMatchObject({ pushed: 0 });
      await withCore(dirs.dm.dir, async (core) =>
        expect((await core.characters.show(charId)).doc.build?.name).toBe('Aria Moonwhisper'),
      );
    } finally {
      spectator.cleanup();
    }
  });

  it('without --once it keeps syncing live, and stops cleanly on SIGTERM', async () => {
    const playerToken = tok(campaign, 'player', [charId]);
    // The node process itself (no tsx/pnpm wrapper), in its own process group, killed by its real pid.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'scripts/loreforge.ts'),
        'sync',
        '--json',
        '--relay',
        relay.url,
        '--token',
        playerToken,
        '--data-dir',
        dirs.player.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot, detached: true },
    );
    const pid = child.pid as number;
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
      await waitFor(() => lines.some((l) => l['event'] === 'ready'), 'the ready event', 30_000);
      await withCore(dirs.dm.dir, (core) =>
        core.characters.edit(charId, { set: [{ path: '/build/abilityScores/cha', value: 15 }] }),
      );
      expect((await sync(dirs.dm.dir, tok(campaign, 'dm'), ['--campaign', campaign])).summary).toMatchObject({
        pushed: 1,
      });
      await waitFor(() => lines.some((l) => l['event'] === 'pulled'), 'the live pull', 15_000);
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000)),
    ]);
    if (code === 'hung') process.kill(-pid, 'SIGKILL');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines.at(-1)).toMatchObject({ event: 'stopped', role: 'player', campaign });
    expect(
      await withCore(
        dirs.player.dir,
        async (core) => (await core.characters.show(charId)).doc.build?.abilityScores.cha,
      ),
    ).toBe(15);
  }, 60_000);

  it('two processes on one data folder joining at once both succeed and duplicate nothing', async () => {
    const shared = tempDir();
    try {
      const token = tok(campaign, 'spectator');
      await withCore(shared.dir, async () => undefined); // an existing (empty) data folder
      // Two cores on one folder, as the app and `loreforge sync` would be.
      const [a, b] = await Promise.all([sync(shared.dir, token), sync(shared.dir, token)]);
      expect([a.err, b.err]).toEqual(['', '']);
      expect([a.code, b.code]).toEqual([0, 0]);
      await withCore(shared.dir, async (core) => {
        expect((await core.campaigns.list()).map((c) => c.id)).toEqual([campaign]);
        expect((await core.characters.list()).map((r) => r.id).sort()).toEqual([charId].sort());
      });
      expect(await liveState(shared.dir, campaign, 'character', charId)).toEqual(
        await liveState(dirs.dm.dir, campaign, 'character', charId),
      );
    } finally {
      shared.cleanup();
    }
  });

  it('a relay that lost its data: a player syncing first keeps its copies, the DM restores the relay', async () => {
    const fresh = tempDir();
    const blank = (await makeRelay(fresh.dir)).relay;
    const args = (dir: string, token: string, extra: string[] = []) => [
      'sync',
      '--once',
      '--json',
      '--timeout',
      '15',
      '--relay',
      blank.url,
      '--token',
      token,
      '--data-dir',
      dir,
      ...extra,
    ];
    try {
      const playerToken = tok(campaign, 'player', [charId]);
      // The player's character is its own to write: it goes up; what it may only read waits for the DM.
      const first = await run(args(dirs.player.dir, playerToken));
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expect(first.summary).toMatchObject({ campaign, docs: 1, characters: 1, pushed: 1, adopted: 0 });
      const dm = await run(args(dirs.dm.dir, tok(campaign, 'dm'), ['--campaign', campaign]));
      expect(dm.code).toBe(0);
      const again = await run(args(dirs.player.dir, playerToken));
      expect(again.code).toBe(0);
      expect((again.summary?.['docs'] as number) > 1).toBe(true);
      expect(await liveState(dirs.player.dir, campaign, 'campaign', campaign)).toEqual(
        await liveState(dirs.dm.dir, campaign, 'campaign', campaign),
      );
    } finally {
      await blank.close();
      fresh.cleanup();
    }
  });

  it('an NPC the DM turns into a player character is shared from then on', async () => {
    await withCore(dirs.dm.dir, (core) =>
      core.characters.edit(npcId, { set: [{ path: '/kind', value: 'pc' }], message: 'reveal' }),
    );
    const hosted = await sync(dirs.dm.dir, tok(campaign, 'dm'), ['--campaign', campaign]);
    expect(hosted.summary).toMatchObject({ characters: 2 });
    const joined = await sync(dirs.player.dir, tok(campaign, 'player', [charId]));
    expect(joined.summary).toMatchObject({ characters: 2, adopted: 1 });
    await withCore(dirs.player.dir, async (core) =>
      expect((await core.characters.show(npcId)).doc.build?.name).toBe('Brakka Stonefist'),
    );
  });

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

  it('joining a campaign the relay does not hold fails naming --token and creates nothing', async () => {
    const fresh = tempDir();
    try {
      const r = await sync(fresh.dir, tok('never-hosted', 'player'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/--token: the relay holds no campaign never-hosted yet/);
      await withCore(fresh.dir, async (core) => expect(await core.campaigns.list()).toEqual([]));
    } finally {
      fresh.cleanup();
    }
  });

  it('a malformed token exits 2 naming --token without contacting the relay', async () => {
    const r = await sync(dirs.dm.dir, 'not-a-token');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--token: /);
  });

  it('--campaign must be the token campaign and exist here', async () => {
    const other = await sync(dirs.dm.dir, tok(campaign, 'dm'), ['--campaign', 'nope']);
    expect(other.code).toBe(2);
    expect(other.err).toContain(`--campaign: nope is not the token's campaign ${campaign}`);
    const fresh = tempDir();
    try {
      const missing = await sync(fresh.dir, tok(campaign, 'dm'), ['--campaign', campaign]);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain(`--campaign: no local campaign ${campaign}`);
    } finally {
      fresh.cleanup();
    }
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

describe('share/join in the app across restarts', () => {
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

  async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
    const start = Date.now();
    while (!(await cond())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("the joiner gets the DM's ids; its offline edit survives its restart and reaches the DM", async () => {
    relay = (await makeRelay(dirs.relay.dir)).relay;
    const dm = await app(dirs.dm.dir);
    try {
      const campaign = (await dm.core.campaigns.create({ name: 'Long Road' })).id;
      const pcId = (await dm.core.characters.import({ build: aria }, { campaign })).id;
      await dm.h['settings.update']({ sync: { relayUrl: relay.url, relaySecret: SECRET, user: 'dm-1' } });
      const { invite } = await dm.h['sync.share']({ campaign, user: 'p1', role: 'player', owns: [pcId] });

      let player = await app(dirs.player.dir);
      const joined = await player.h['sync.join']({ invite });
      expect(joined.campaign).toBe(campaign);
      await until(
        async () => (await player.core.characters.list({ campaign })).length === 1,
        'the character',
      );
      expect((await player.core.characters.list({ campaign }))[0]?.id).toBe(pcId);
      // Joining twice is idempotent.
      expect((await player.h['sync.join']({ invite })).campaign).toBe(campaign);
      await player.close();

      await withCore(dirs.player.dir, (core) =>
        core.characters.edit(pcId, { set: [{ path: '/build/name', value: 'Aria Offline' }] }),
      );
      player = await app(dirs.player.dir);
      try {
        await until(
          async () => (await dm.core.characters.show(pcId)).doc.build?.name === 'Aria Offline',
          'the offline edit at the DM',
        );
        // And live, while both run.
        await dm.core.characters.edit(pcId, { set: [{ path: '/narrative/fears/-', value: 'crowds' }] });
        await until(
          async () =>
            ((await player.core.characters.show(pcId)).doc.narrative.fears ?? []).includes('crowds'),
          'the DM edit at the player',
        );
        expect((await player.core.campaigns.list()).map((c) => c.id)).toEqual([campaign]);
        // A document another process adds to the DM's data folder while the app runs reaches the player too.
        const journal = await withCore(dirs.dm.dir, async (core) =>
          core.journals.create(campaign, { title: 'Recap', text: 'We met at the inn.' }),
        );
        await until(
          async () =>
            (await player.core.journals.show(journal.id).catch(() => null))?.text === 'We met at the inn.',
          'the journal at the player',
        );
      } finally {
        await player.close();
      }
    } finally {
      await dm.close();
    }
  });
});
