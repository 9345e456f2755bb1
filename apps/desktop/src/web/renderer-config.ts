/** The renderer's Vite config, shared by electron-vite (desktop) and the web-mode build. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

export const desktopRoot = resolve(import.meta.dirname, '../..');
export const rendererRoot = resolve(desktopRoot, 'src/renderer');
export const rendererOutDir = resolve(desktopRoot, 'out/renderer');

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
