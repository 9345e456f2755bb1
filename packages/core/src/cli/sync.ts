/**
 * `loreforge sync --relay URL --token T [--campaign ID]`: sync a campaign's live documents with a relay
 * headlessly, from a token alone (see `SyncHub.connect`). The host passes `--campaign` (the token's campaign,
 * which must exist here); a joiner omits it and adopts the token's campaign under the same id. Runs until
 * SIGINT/SIGTERM (new local documents and documents the relay announces are attached as they appear), or with
 * `--once` syncs, confirms the relay holds everything, prints a summary as the last line and exits.
 */
import { createCore, type Core } from '../core';
import { CoreError } from '../errors';
import { createEventBus } from '../api/events';
import { createSettingsStore } from '../api/settings';
import { createSyncHub, type SyncConnectSummary, type SyncHub } from '../api/sync';
import type { Logger } from '../services/engine';
import { requireOption, stringOption } from './args';
import { CliError, type CliCommand, type CliIo, type OptionValues } from './registry';
import { resolveDataDir, storeOptions } from './store-cli';
import { createPlay } from '../play/service';

/** Hub error fields → the flags that supplied them. */
const FIELD_FLAGS: Record<string, string> = {
  token: '--token',
  relayUrl: '--relay',
  localCampaign: '--campaign',
  campaign: '--campaign',
};

function toCliError(err: unknown): unknown {
  if (!(err instanceof CoreError)) return err;
  const m = /^(\w+): /.exec(err.message);
  const flag = m ? FIELD_FLAGS[m[1] as string] : undefined;
  const message = flag && m ? `${flag}: ${err.message.slice(m[0].length)}` : err.message;
  return new CliError(message, err.code === 'invalid-input' ? 2 : 1);
}

function seconds(values: OptionValues, name: string, fallback: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name}: must be a positive number of seconds`);
  return n;
}

function stderrLogger(io: CliIo): Logger {
  const line = (level: string) => (message: string, data?: Record<string, unknown>) =>
    io.stderr(`${level}: ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
  return { debug: () => undefined, info: () => undefined, warn: line('warning'), error: line('error') };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): { stopped: Promise<string>; dispose: () => void } {
  let dispose = () => undefined as void;
  const stopped = new Promise<string>((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    const int = on('SIGINT');
    const term = on('SIGTERM');
    process.once('SIGINT', int);
    process.once('SIGTERM', term);
    dispose = () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    };
  });
  return { stopped, dispose };
}

export const syncCommands: CliCommand[] = [
  {
    path: ['sync'],
    summary:
      "Sync a campaign with a relay until interrupted (a joiner omits --campaign and adopts the token's campaign under its id); --once: sync, confirm, exit → { campaign, role, host, docs, characters, pushed, pulled, adopted }.",
    usage: '--relay URL --token T [--campaign ID] [--once] [--timeout SECONDS] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      relay: { type: 'string' },
      token: { type: 'string' },
      campaign: { type: 'string' },
      once: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    async run({ values, io }) {
      const relayUrl = requireOption(values, 'relay');
      const token = requireOption(values, 'token');
      const campaign = stringOption(values, 'campaign');
      const once = values['once'] === true;
      const json = values['json'] === true;
      const timeoutMs = seconds(values, 'timeout', 15) * 1000;
      const emit = (event: string, data: Record<string, unknown>, human: string) =>
        io.stdout(json ? `${JSON.stringify({ event, ...data })}\n` : `${human}\n`);

      const author = io.env['LOREFORGE_AUTHOR'] ?? io.env['USER'] ?? 'cli';
      const dataDir = resolveDataDir(values, io);
      let core: Core | undefined;
      let hub: SyncHub | undefined;
      const signals = once ? undefined : untilSignal();
      try {
        core = await createCore({ dataDir, author });
        const bus = createEventBus();
        hub = createSyncHub({
          core,
          dataDir,
          settings: createSettingsStore(dataDir),
          bus,
          log: stderrLogger(io),
          now: () => Date.now(),
          reopen: false,
        });
        let lastStatus = '';
        const offStatus = bus.subscribe((event, payload) => {
          if (event !== 'sync.status') return;
          const p = payload as { campaign: string; status: string; detail: string };
          if (p.status === lastStatus) return;
          lastStatus = p.status;
          emit('status', { status: p.status, doc: p.detail }, `status: ${p.status}`);
        });
        // Changes that came from the relay, once stored (the live change feed).
        const liveCore = core;
        const offPulled = liveCore.live.onChange((e) => {
          if (!e.origin.startsWith('remote')) return;
          emit('pulled', { kind: e.kind, id: e.id }, `pulled ${e.kind} ${e.id}`);
        });
        const unsubscribe = () => {
          offStatus();
          offPulled();
        };
        const conn = await hub.connect({
          relayUrl,
          token,
          ...(campaign !== undefined ? { campaign } : {}),
        });
        emit(
          'connect',
          { campaign: conn.campaign, role: conn.role, host: conn.host, relay: relayUrl },
          `${conn.host ? 'hosting' : 'joining'} campaign ${conn.campaign} as ${conn.role} via ${relayUrl}`,
        );
        // The DM's peer referees live play: players' requests are applied as they arrive (issue 11).
        const play = conn.role === 'dm' ? createPlay(liveCore, { author }) : undefined;
        const reported = (answered: { id: string; status: string; reason: string }[]) => {
          for (const a of answered) emit('intent', { ...a }, `request ${a.id}: ${a.status} (${a.reason})`);
        };
        // --once answers after the first sync below; a live session answers whenever a request arrives.
        const stopReferee = once
          ? undefined
          : play?.intents.referee(conn.campaign, {
              error: (err) => emit('referee-error', { message: String(err) }, `referee: ${String(err)}`),
              answered: reported,
            });
        // The summary is the last line: status events from closing connections are not printed after it.
        const printSummary = (event: string, s: SyncConnectSummary) => {
          if (event !== 'ready') {
            unsubscribe();
            stopReferee?.();
          }
          emit(
            event,
            { ...s },
            `${event}: campaign ${s.campaign} as ${s.role}, ${s.docs} document(s) (${s.characters} ` +
              `character(s)), pushed ${s.pushed}, pulled ${s.pulled}, adopted ${s.adopted}`,
          );
        };

        if (once) {
          if (play) {
            await conn.ready({ timeoutMs });
            reported(await play.intents.applyPending(conn.campaign));
          }
          const summary = await conn.flush({ timeoutMs });
          printSummary('summary', summary);
          return 0;
        }

        const stop = signals as NonNullable<typeof signals>;
        const first = await Promise.race([conn.ready().then(() => 'ready'), stop.stopped]);
        if (first === 'ready') {
          printSummary('ready', conn.summary());
          await stop.stopped;
        }
        printSummary('stopped', conn.summary());
        return 0;
      } catch (err) {
        throw toCliError(err);
      } finally {
        signals?.dispose();
        hub?.close();
        await core?.close();
      }
    },
  },
];
