/**
 * SQLite implementation of llm's `LlmCache` port: one table in its own small file, `<dataDir>/llm-cache.sqlite`
 * (kept apart from the library database so the store's migration list stays the store owner's). The schema has
 * a tiny numbered migration list tracked in `PRAGMA user_version`; a file from a newer app is refused.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LlmCache } from '@loreforge/llm';

export const LLM_CACHE_FILE = 'llm-cache.sqlite';

/** Append only; never edit a released step. Index i brings the schema to version i + 1. */
export const LLM_CACHE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE llm_cache_entries (
     key TEXT PRIMARY KEY NOT NULL,
     value TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     hits INTEGER NOT NULL DEFAULT 0
   ) STRICT`,
];

export interface SqliteLlmCacheOptions {
  /** Milliseconds since the epoch, for `created_at`. Default `Date.now`. */
  readonly clock?: () => number;
}

export class SqliteLlmCache implements LlmCache {
  readonly #db: Database.Database;
  readonly #clock: () => number;
  readonly #get: Database.Statement<[string], { value: string }>;
  readonly #hit: Database.Statement<[string]>;
  readonly #set: Database.Statement<[string, string, number]>;

  /** `file` is a path or `:memory:`. */
  constructor(file: string, options: SqliteLlmCacheOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 2000');
    migrate(this.#db, file);
    this.#clock = options.clock ?? Date.now;
    this.#get = this.#db.prepare('SELECT value FROM llm_cache_entries WHERE key = ?');
    this.#hit = this.#db.prepare('UPDATE llm_cache_entries SET hits = hits + 1 WHERE key = ?');
    this.#set = this.#db.prepare(
      'INSERT INTO llm_cache_entries (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at',
    );
  }

  /** The cache file inside a data folder. */
  static inDataDir(dataDir: string, options: SqliteLlmCacheOptions = {}): SqliteLlmCache {
    return new SqliteLlmCache(join(dataDir, LLM_CACHE_FILE), options);
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.#get.get(key);
    if (row) this.#hit.run(key);
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.#set.run(key, value, Math.floor(this.#clock()));
  }

  /** Entries stored (for diagnostics and tests). */
  size(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM llm_cache_entries').get() as { n: number }).n;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Opens the SQLite file only when the first entry is written; reads before that find nothing. So a run whose
 * model call fails leaves no file behind.
 */
export class LazySqliteLlmCache implements LlmCache {
  #cache: SqliteLlmCache | undefined;

  constructor(
    readonly file: string,
    readonly options: SqliteLlmCacheOptions = {},
  ) {}

  #open(create: boolean): SqliteLlmCache | undefined {
    if (!this.#cache && (create || existsSync(this.file)))
      this.#cache = new SqliteLlmCache(this.file, this.options);
    return this.#cache;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#open(false)?.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.#open(true)?.set(key, value);
  }

  close(): void {
    this.#cache?.close();
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LLM_CACHE_MIGRATIONS.length) {
    db.close();
    throw new Error(
      `llm cache ${file}: schema version ${version} is newer than this app knows (${LLM_CACHE_MIGRATIONS.length}); refusing to open it`,
    );
  }
  const run = db.transaction(() => {
    for (let v = version; v < LLM_CACHE_MIGRATIONS.length; v++) {
      db.exec(LLM_CACHE_MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }
  });
  run();
}
