// @vitest-environment node
/**
 * Electron main under a fake `electron` module (the binary cannot run here): it registers exactly one
 * `ipcMain.handle` per contract channel, validates input before core, forwards core events to windows, opens a
 * sandboxed, context-isolated window and closes core on quit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '@loreforge/core';

const userData = mkdtempSync(join(tmpdir(), 'lf-main-'));
const handlers = new Map<string, (e: unknown, input: unknown) => Promise<unknown>>();
const appEvents = new Map<string, ((...a: unknown[]) => void)[]>();
const sent: unknown[] = [];
const windows: { options: Record<string, unknown> }[] = [];
let quitCalled = 0;

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.all;
    }
    static getFocusedWindow() {
      return BrowserWindow.all[0] ?? null;
    }
    webContents = {
      on: () => {},
      setWindowOpenHandler: () => {},
      send: (channel: string, msg: unknown) => sent.push({ channel, msg }),
    };
    constructor(public options: Record<string, unknown>) {
      windows.push({ options });
      BrowserWindow.all.push(this);
    }
    maximize() {}
    once() {}
    on() {}
    loadFile() {
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 820 };
    }
    isMaximized() {
      return false;
    }
  }
  const app = {
    isPackaged: false,
    getPath: () => userData,
    getVersion: () => '0.1.0-test',
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: (event: string, cb: (...a: unknown[]) => void) => {
      appEvents.set(event, [...(appEvents.get(event) ?? []), cb]);
    },
    quit: () => {
      quitCalled++;
    },
    exit: () => {},
  };
  return {
    app,
    BrowserWindow,
    ipcMain: {
      handle: (ch: string, fn: (e: unknown, input: unknown) => Promise<unknown>) => handlers.set(ch, fn),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => {} },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: { webRequest: { onHeadersReceived: () => {} }, setPermissionRequestHandler: () => {} },
    },
    shell: { openExternal: () => Promise.resolve() },
  };
});

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('Electron main', () => {
  it('registers every channel once, validates input, forwards events and closes core on quit', async () => {
    process.env['LOREFORGE_DATA_DIR'] = join(userData, 'data');
    await import('../src/main/index');
    await vi.waitFor(() => expect(windows).toHaveLength(1), { timeout: 20_000 });

    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const prefs = windows[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);

    const bad = await handlers.get('campaigns.create')?.({}, { name: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const good = (await handlers.get('campaigns.create')?.({}, { name: 'From Electron' })) as {
      ok: boolean;
      value: { name: string };
    };
    expect(good).toMatchObject({ ok: true, value: { name: 'From Electron' } });
    expect(sent).toContainEqual({
      channel: 'loreforge:event',
      msg: { event: 'campaigns.changed', payload: expect.objectContaining({ id: expect.any(String) }) },
    });

    const preventDefault = vi.fn();
    for (const cb of appEvents.get('before-quit') ?? []) cb({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(quitCalled).toBe(1), { timeout: 10_000 });
  });
});
