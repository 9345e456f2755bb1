import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // CI also writes a JSON summary, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env['CI']
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
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
