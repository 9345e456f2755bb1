export {
  LLM_CACHE_FILE,
  LLM_CACHE_MIGRATIONS,
  LazySqliteLlmCache,
  SqliteLlmCache,
  type SqliteLlmCacheOptions,
} from './sqlite-llm-cache';
