/** The whole preload: `invoke(channel, input)`, `on(event, cb) → unsubscribe` and version info. Nothing else. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopBridge } from '@loreforge/core';
import { IPC_EVENT_CHANNEL } from '../shared/protocol';

const bridge = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  on: (event, cb) => {
    const listener = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) (cb as (p: unknown) => void)(msg.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  },
  versions: {
    app: process.env['npm_package_version'] ?? '0.1.0',
    electron: process.versions.electron ?? null,
    chrome: process.versions.chrome ?? null,
    node: process.versions.node,
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('loreforge', bridge);
