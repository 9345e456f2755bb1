/** The renderer's Vite config, shared by electron-vite (desktop) and the web-mode build. */
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';
import { rendererOutDir, rendererRoot } from './renderer-paths';

export { desktopRoot, rendererOutDir, rendererRoot } from './renderer-paths';

/** electron-vite finds `src/renderer/index.html` and writes `out/renderer` by itself; web mode says so explicitly. */
export function rendererConfig(host: 'electron' | 'web' = 'web'): UserConfig {
  if (host === 'electron') return { plugins: [react()] };
  return {
    root: rendererRoot,
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir: rendererOutDir,
      emptyOutDir: true,
    },
  };
}
