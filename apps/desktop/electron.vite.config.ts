import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './src/web/renderer-config';

// Workspace packages ship TypeScript source, so main bundles them; native and heavy runtime deps stay external.
const workspace = ['@loreforge/core', '@loreforge/rules-5e', '@loreforge/llm'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: workspace },
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads must be CommonJS.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig('electron'),
});
