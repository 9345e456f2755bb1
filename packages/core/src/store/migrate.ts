/**
 * A tiny SQL migration runner. Migrations are numbered, immutable files (`NNNN_description.ts`). A database whose
 * applied list is not a prefix of the known list (an unknown id, a gap, a different order) is refused: it was
 * written by another or newer version of Loreforge and guessing would corrupt it.
 */
import { sql, type Kysely } from 'kysely';
import { CoreError } from '../errors';

export interface SqlMigration {
  id: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export function checkMigrationList(known: readonly SqlMigration[]): void {
  known.forEach((m, i) => {
    const n = String(i + 1).padStart(4, '0');
    if (!m.id.startsWith(`${n}_`))
      throw new Error(`migration list: expected id ${n}_… at position ${i + 1}, got ${m.id}`);
  });
}

export async function runMigrations(
  db: Kysely<unknown>,
  known: readonly SqlMigration[],
  what: string,
  now: number,
): Promise<{ applied: string[] }> {
  checkMigrationList(known);
  await sql`create table if not exists _migrations (id text primary key, applied_at integer not null)`.execute(
    db,
  );
  const rows = await sql<{ id: string }>`select id from _migrations order by id`.execute(db);
  const applied = rows.rows.map((r) => r.id);
  const knownIds = known.map((m) => m.id);
  const unknown = applied.filter((id) => !knownIds.includes(id));
  if (unknown.length > 0) {
    throw new CoreError(
      'store-migration',
      `${what}: it has migration(s) ${unknown.join(', ')} that this version of Loreforge does not know (written by a newer version?); refusing to open`,
    );
  }
  const prefixOk = applied.every((id, i) => knownIds[i] === id);
  if (!prefixOk) {
    const missing = knownIds.slice(0, applied.length).filter((id) => !applied.includes(id));
    throw new CoreError(
      'store-migration',
      `${what}: applied migrations [${applied.join(', ')}] are not a prefix of the known list (missing ${missing.join(', ')}); refusing to open`,
    );
  }
  const ran: string[] = [];
  for (const m of known.slice(applied.length)) {
    await db.transaction().execute(async (trx) => {
      await m.up(trx);
      await sql`insert into _migrations (id, applied_at) values (${m.id}, ${now})`.execute(trx);
    });
    ran.push(m.id);
  }
  return { applied: ran };
}
