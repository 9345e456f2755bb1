import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'rules-5e',
          root: 'packages/rules-5e',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'llm',
          root: 'packages/llm',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'core',
          // Real SQLite, child processes and sockets on a 2-core CI machine: generous per-test time.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          root: 'packages/core',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'sync-server',
          // Real SQLite, child processes and sockets on a 2-core CI machine: generous per-test time.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          root: 'apps/sync-server',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      { test: { name: 'scripts', root: 'scripts', environment: 'node', include: ['**/*.test.ts'] } },
      {
        test: {
          name: 'desktop',
          root: 'apps/desktop',
          environment: 'jsdom',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
        },
        esbuild: { jsx: 'automatic' },
      },
      {
        test: {
          name: 'desktop-e2e',
          root: 'apps/desktop',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
