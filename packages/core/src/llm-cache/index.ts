export {
  LLM_CACHE_FILE,
  LLM_CACHE_MIGRATIONS,
  SqliteLlmCache,
  type SqliteLlmCacheOptions,
} from './sqlite-llm-cache';
