/**
 * Presence at the table through the real relay: Yjs awareness on the campaign's `session` document over the
 * multiplexed connection. Two peers (DM and a player, two data folders) see each other online, named by the
 * relay's stamp of their token, and a peer that leaves drops out for the other.
 */
import { seededRng } from '@loreforge/rules-5e/dice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/api/events';
import { createSettingsStore } from '../../src/api/settings';
import { createSyncHub, type PresenceView, type SyncHub } from '../../src/api/sync';
import { createCore, type Core } from '../../src/index';
import { createPlay } from '../../src/play/service';
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

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function hubFor(core: Core, dataDir: string) {
  const bus = createEventBus();
  const events: { campaign: string; session: string }[] = [];
  bus.subscribe((event, payload) => {
    if (event === 'sync.presence') events.push(payload as { campaign: string; session: string });
  });
  const hub: SyncHub = createSyncHub({
    core,
    dataDir,
    settings: createSettingsStore(dataDir),
    bus,
    log: quiet,
    now: () => Date.now(),
    reopen: false,
  });
  return { hub, events };
}

async function until(what: string, fn: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const online = (v: PresenceView, session: string) =>
  (v.sessions.find((s) => s.session === session)?.online ?? []).map((e) => `${e.user}:${e.role}`).sort();

describe('presence at the table through the relay', { timeout: 120_000 }, () => {
  it('two peers see each other online; one that disconnects drops out', async () => {
    const dmDir = tempDir('lf-presence-dm-');
    const plDir = tempDir('lf-presence-pl-');
    const dmCore = await createCore({ dataDir: dmDir.dir, author: 'dm' });
    const plCore = await createCore({ dataDir: plDir.dir, author: 'pia' });
    const dm = hubFor(dmCore, dmDir.dir);
    const pl = hubFor(plCore, plDir.dir);
    try {
      const campaign = (await dmCore.campaigns.create({ name: 'Presence' })).id;
      const tamsin = (await dmCore.characters.import(build({ name: 'Tamsin' }), { campaign })).id;
      const play = createPlay(dmCore, { author: 'dm', rng: seededRng(5), now: () => Date.now() });
      const started = await play.combat.start({
        campaign,
        party: [tamsin],
        creatures: [{ id: 'goblin-warrior', count: 1 }],
        seats: { [tamsin]: 'pia' },
      });
      const session = started.session;
      const tok = (role: 'dm' | 'player', user: string, owns: string[]) =>
        createRelayToken({ campaign, user, role, owns, ttlSeconds: 3600, nowMs: Date.now() }, relay.secret);

      const dmConn = await dm.hub.connect({ relayUrl: relay.url, token: tok('dm', 'dm', []), campaign });
      await dmConn.ready({ timeoutMs: 30_000 });
      // Alone at the table: only this peer.
      expect(online(dm.hub.presence(campaign), session)).toEqual(['dm:dm']);

      const plConn = await pl.hub.connect({ relayUrl: relay.url, token: tok('player', 'pia', [tamsin]) });
      await plConn.ready({ timeoutMs: 30_000 });
      await until('both online on both peers', () =>
        [dm, pl].every((p) => online(p.hub.presence(campaign), session).join() === 'dm:dm,pia:player'),
      );
      // The player's entry carries the characters it plays (whose turn it is follows from them).
      const pia = dm.hub.presence(campaign).sessions[0]!.online.find((e) => e.user === 'pia')!;
      expect(pia).toMatchObject({ role: 'player', characters: [tamsin], self: false });
      expect(dm.events.some((e) => e.campaign === campaign && e.session === session)).toBe(true);

      // The player leaves: the DM sees only itself again.
      plConn.close();
      await until(
        'the player drops out',
        () => online(dm.hub.presence(campaign), session).join() === 'dm:dm',
      );
      expect(pl.hub.presence(campaign).sessions).toEqual([]);
    } finally {
      dm.hub.close();
      pl.hub.close();
      await dmCore.close();
      await plCore.close();
      dmDir.cleanup();
      plDir.cleanup();
    }
  });
});
