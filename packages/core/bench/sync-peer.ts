/** A bench peer: a core on its own data folder with a sync hub connected to a relay and synced once. */
import { createEventBus } from '../src/api/events';
import { createSettingsStore } from '../src/api/settings';
import { createSyncHub, type SyncConnection, type SyncHub } from '../src/api/sync';
import { createCore, silentLogger, type Core } from '../src/core';

export interface BenchPeer {
  core: Core;
  hub: SyncHub;
  conn: SyncConnection;
  cleanup: () => void;
}

/** Connect `dir` to the relay with `token` (the host passes its `campaign`) and wait until it has synced. */
export async function connectPeer(
  relayUrl: string,
  dir: { dir: string; cleanup: () => void },
  author: string,
  token: string,
  campaign?: string,
): Promise<BenchPeer> {
  const core = await createCore({ dataDir: dir.dir, author });
  const hub = createSyncHub({
    core,
    dataDir: dir.dir,
    settings: createSettingsStore(dir.dir),
    bus: createEventBus(),
    log: silentLogger,
    now: () => Date.now(),
    reopen: false,
  });
  const conn = await hub.connect({ relayUrl, token, ...(campaign !== undefined ? { campaign } : {}) });
  await conn.ready({ timeoutMs: 120_000 });
  return { core, hub, conn, cleanup: dir.cleanup };
}
