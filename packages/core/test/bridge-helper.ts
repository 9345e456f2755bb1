/**
 * The bridge handlers over a fresh in-memory core, built the way a host builds them (offline model, quiet log), for
 * the tests that call `memory.*`, `drafts.*`, … channels. Every bus event is recorded in `events`.
 */
import { createEventBus, type EventBus } from '../src/api/events';
import type { CoreEvents, EventName } from '../src/api/contract';
import { createHandlers, disposeHandlers } from '../src/api/handlers';
import { invokeHandler } from '../src/api/invoke';
import { createCore, type Core } from '../src/index';

export interface TestBridge {
  core: Core;
  handlers: ReturnType<typeof createHandlers>;
  bus: EventBus;
  events: { event: EventName; payload: CoreEvents[EventName] }[];
  /** Invokes a channel as the app does (input validated); a refusal throws `channel: code: message`. */
  call<T>(channel: string, input: unknown): Promise<T>;
  /** Disposes the handlers, then closes the core. */
  close(): Promise<void>;
}

/**
 * Over `existing` when given (the bridge then owns it and closes it), else over a fresh in-memory core. `dataDir`:
 * the data folder the handlers are told about (an on-disk core's), else none.
 */
export async function openTestBridge(
  existing?: Core,
  opts: { dataDir?: string | null } = {},
): Promise<TestBridge> {
  const core = existing ?? (await createCore({ dataDir: null }));
  const bus = createEventBus();
  const events: TestBridge['events'] = [];
  bus.subscribe((event, payload) => events.push({ event, payload }));
  const handlers = createHandlers(core, {
    dataDir: opts.dataDir ?? null,
    bus,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    appVersion: 'test',
    host: 'test',
    llmProvider: 'offline',
  });
  return {
    core,
    handlers,
    bus,
    events,
    async call<T>(channel: string, input: unknown): Promise<T> {
      const r = await invokeHandler(handlers, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
    async close() {
      disposeHandlers(handlers);
      await core.close();
    },
  };
}
