import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-types/**',
      '**/out/**',
      'resources/**',
      '**/*.config.*',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip|todo)$/]',
          message: 'No focused, skipped or todo tests.',
        },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['packages/rules-5e/src/**/*.ts'],
    ignores: ['packages/rules-5e/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@loreforge/*', 'node:*', 'fs', 'path'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'rules-5e reads no clock: pass time in.' },
        { object: 'Math', property: 'random', message: 'rules-5e reads no randomness: inject an RNG.' },
      ],
    },
  },
  {
    files: ['packages/llm/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@loreforge/*'] }] },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@loreforge/desktop', '@loreforge/sync-server', 'electron', 'react', '**/src/**'] },
      ],
    },
  },
);
