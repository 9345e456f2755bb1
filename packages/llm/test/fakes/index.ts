/**
 * Fake model servers for tests (this package's and, by relative path, core's).
 * Node built-ins only; no imports from the package source.
 */
export * from './http';
export * from './script';
export * from './fake-ollama';
export * from './fake-openai';
