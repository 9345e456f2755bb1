/**
 * Opening SQLite databases: better-sqlite3 under kysely, WAL journal. `synchronous=NORMAL` in WAL mode keeps
 * every committed transaction across a process crash (SIGKILL); only an OS crash or power loss can lose the
 * last transactions, never corrupt the file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { CoreError } from '../errors';

export interface OpenedDb<DB> {
  db: Kysely<DB>;
  raw: Database.Database;
  file: string;
}

export function openSqlite<DB>(file: string): OpenedDb<DB> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    // Touch the schema so that a file that is not SQLite fails here, with a clear message.
    raw.prepare('select count(*) from sqlite_master').get();
  } catch (err) {
    throw new CoreError(
      'store-migration',
      `${file}: cannot open as a Loreforge database (${(err as Error).message})`,
    );
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, raw, file };
}
