/** The renderer's Vite config, shared by electron-vite (desktop) and the web-mode build. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';
import { rendererOutDir, rendererRoot } from './renderer-paths';

export { desktopRoot, rendererOutDir, rendererRoot } from './renderer-paths';

export function rendererConfig(): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir: rendererOutDir,
      emptyOutDir: true,
      rollupOptions: { input: resolve(rendererRoot, 'index.html') },
    },
  };
}
