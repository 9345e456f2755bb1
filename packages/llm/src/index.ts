export * from './errors';
export * from './types';
export * from './json-extract';
export * from './schema';
export * from './retry';
export * from './structured';
export * from './usage';
export * from './cache';
export * from './providers/ollama';
export * from './providers/openai';
export * from './providers/procedural';
export {
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  errorForStatus,
} from './providers/http-common';
export * from './router';
export * from './defaults';
export * from './prompts/index';
