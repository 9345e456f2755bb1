/**
 * The renderer's bridge on real core handlers (the ones the app's main process registers) over a test's own core,
 * for the jsdom screen tests; and a wait that lets React and core work between checks.
 */
import { act } from 'react';
import {
  createEventBus,
  createHandlers,
  disposeHandlers,
  invokeHandler,
  type Core,
  type DesktopBridge,
} from '@loreforge/core';
import { setBridge } from '../src/renderer/src/bridge';

/**
 * Installs the bridge over `core` (offline model, quiet log); `onInvoke` sees every call first. `close` removes
 * the bridge, disposes the handlers and closes the core.
 */
export function installCoreBridge(
  core: Core,
  onInvoke?: (channel: string, input: unknown) => void,
): { handlers: ReturnType<typeof createHandlers>; close(): Promise<void> } {
  const handlers = createHandlers(core, {
    dataDir: null,
    bus: createEventBus(),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    appVersion: 'test',
    host: 'test',
    llmProvider: 'offline',
  });
  setBridge({
    invoke: (channel: string, input: unknown) => {
      onInvoke?.(channel, input);
      return invokeHandler(handlers, channel, input);
    },
    on: () => () => undefined,
    versions: { app: 't', electron: null, chrome: null, node: null },
  } as unknown as DesktopBridge);
  return {
    handlers,
    async close() {
      setBridge(null);
      disposeHandlers(handlers);
      await core.close();
    },
  };
}

/** Waits (20 ms steps inside act) until `ok()` holds; after `ms` it fails naming `what`. */
export async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await act(async () => {
      await new Promise((res) => setTimeout(res, 20));
    });
  }
}
