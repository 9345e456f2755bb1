/**
 * Electron main: windows, menu, lifecycle, and one loop that registers every channel of core's handler map with
 * `ipcMain.handle`. No domain logic: inputs go through `invokeHandler` (zod-validated, never throws).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  screen,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import {
  CHANNELS,
  createCore,
  createEventBus,
  createHandlers,
  disposeHandlers,
  invokeHandler,
  type Core,
  type CoreHandlers,
  type Logger,
} from '@loreforge/core';
import { IPC_EVENT_CHANNEL } from '../shared/protocol';
import { resolveDataDir } from './paths';
import { contentSecurityPolicy, isAllowedNavigation, isExternalLink } from './security';
import { clampBounds, parseBounds, type Bounds } from './window-state';

const devServer = process.env['ELECTRON_RENDERER_URL'];
const rendererDir = join(import.meta.dirname, '../renderer');
const preload = join(import.meta.dirname, '../preload/index.cjs');

const log: Logger = {
  debug: () => {},
  info: (m, d) => console.info(m, d ?? ''),
  warn: (m, d) => console.warn(m, d ?? ''),
  error: (m, d) => console.error(m, d ?? ''),
};

let core: Core | null = null;
let handlers: CoreHandlers | null = null;
const bus = createEventBus();

function boundsFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function loadBounds(): Bounds {
  const file = boundsFile();
  const stored = parseBounds(existsSync(file) ? readFileSync(file, 'utf8') : null);
  return clampBounds(
    stored,
    screen.getAllDisplays().map((d) => d.workArea),
  );
}

function saveBounds(win: BrowserWindow): void {
  const b = win.getNormalBounds();
  mkdirSync(app.getPath('userData'), { recursive: true });
  writeFileSync(boundsFile(), JSON.stringify({ ...b, maximized: win.isMaximized() }));
}

function createWindow(): BrowserWindow {
  const bounds = loadBounds();
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Loreforge',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveBounds(win));

  const allowed = { rendererDir, ...(devServer ? { devServer } : {}) };
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, allowed)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(join(rendererDir, 'index.html'));
  return win;
}

function buildMenu(): void {
  const send = (path: string) => () =>
    BrowserWindow.getFocusedWindow()?.webContents.send(IPC_EVENT_CHANNEL, {
      event: 'app.navigate',
      payload: { screen: path },
    });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Campaigns', accelerator: 'CmdOrCtrl+1', click: send('campaigns') },
        { label: 'New character', accelerator: 'CmdOrCtrl+N', click: send('create') },
        { label: 'SRD browser', accelerator: 'CmdOrCtrl+2', click: send('srd') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: send('settings') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  // SRD content ships beside the app when packaged; in the repo it is `resources/` at the root.
  process.env['LOREFORGE_RESOURCES_DIR'] ??= app.isPackaged
    ? join(process.resourcesPath, 'resources')
    : join(import.meta.dirname, '../../../../resources');
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  mkdirSync(dataDir, { recursive: true });
  core = await createCore({ dataDir, log });
  const map = createHandlers(core, { dataDir, bus, log, appVersion: app.getVersion(), host: 'electron' });
  handlers = map;

  // The one registration loop: every channel of the contract, validated by invokeHandler.
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (_event, input: unknown) => invokeHandler(map, channel, input));
  }
  bus.subscribe((event, payload) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
  });

  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy({ devServer })],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));

  buildMenu();
  createWindow();
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && core) createWindow();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !core) return;
  e.preventDefault();
  quitting = true;
  if (handlers) disposeHandlers(handlers);
  void core.close().finally(() => app.quit());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const w = BrowserWindow.getAllWindows()[0];
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });
  void app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log.error('startup failed', { err: String(err) });
      app.exit(1);
    });
}
