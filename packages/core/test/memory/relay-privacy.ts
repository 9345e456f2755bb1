/**
 * The fixture the memory privacy tests share: a real relay process for the file, a DM data folder holding one
 * campaign with a player character, an empty player folder, the CLI run against either folder, and one-shot syncs
 * of both sides through the relay (the DM with no owned characters, the player owning the PC).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { createCore } from '../../src/index';
import { createRelayToken } from '../../src/sync/token';
import { startRelayProcess, type RelayProcess } from '../fixtures/relay-process';
import { build, lastJson, runCliCaptured, tempDir } from '../helpers';

/** Starts the relay before the file's tests and stops it (by its process) after them. */
export function useRelay(): { readonly relay: RelayProcess } {
  let relay: RelayProcess | undefined;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });
  return {
    get relay() {
      if (!relay) throw new Error('useRelay: the relay is not started yet (use it inside a test)');
      return relay;
    },
  };
}

/** Runs the CLI (`--json`, author `dm`) against `dataDir`; `json` is the last JSON value printed, if any. */
export async function cli(args: string[], dataDir: string) {
  const r = await runCliCaptured([...args, '--data-dir', dataDir, '--json'], {
    cwd: process.cwd(),
    author: 'dm',
  });
  return { code: r.code, err: r.err, json: r.out ? lastJson(r.out) : null };
}

export type Answer = Record<string, unknown> & { id: string };

/**
 * A DM folder with campaign `campaignName` and a PC "Tamsin", and an empty player folder (`prefix` names both temp
 * folders). `ok` runs a CLI command that must succeed (the DM's folder unless `dir` says otherwise).
 */
export async function dmAndPlayer(relay: RelayProcess, prefix: string, campaignName: string) {
  const dm = tempDir(`${prefix}dm-`);
  const player = tempDir(`${prefix}player-`);
  let campaign: string;
  let pc: string;
  try {
    const core = await createCore({ dataDir: dm.dir, author: 'dm' });
    try {
      campaign = (await core.campaigns.create({ name: campaignName })).id;
      pc = (await core.characters.import({ build: build({ name: 'Tamsin' }) }, { campaign })).id;
    } finally {
      await core.close();
    }
  } catch (err) {
    dm.cleanup();
    player.cleanup();
    throw err;
  }
  const ok = async <T = Answer>(args: string[], dir = dm.dir): Promise<T> => {
    const r = await cli(args, dir);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return r.json as T;
  };
  const tok = (role: 'dm' | 'player', owns: string[]) =>
    createRelayToken({ campaign, user: role, role, owns, ttlSeconds: 3600, nowMs: Date.now() }, relay.secret);
  const syncDm = () =>
    ok(['sync', '--relay', relay.url, '--token', tok('dm', []), '--campaign', campaign, '--once']);
  const syncPlayer = () =>
    ok(['sync', '--relay', relay.url, '--token', tok('player', [pc]), '--once'], player.dir);
  return {
    dm,
    player,
    campaign,
    pc,
    ok,
    syncDm,
    syncPlayer,
    cleanup() {
      dm.cleanup();
      player.cleanup();
    },
  };
}
