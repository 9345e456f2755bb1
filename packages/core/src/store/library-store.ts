/** The small library index: which campaigns exist (and their files), and where each entity's document lives. */
import type { Kysely } from 'kysely';
import { LIBRARY_MIGRATIONS } from './migrations';
import { runMigrations } from './migrate';
import type { LibraryDb } from './schema';
import { openSqlite, type OpenedDb } from './sqlite';

export class LibraryStore {
  private constructor(readonly opened: OpenedDb<LibraryDb>) {}

  static async open(file: string, now: number): Promise<LibraryStore> {
    const opened = openSqlite<LibraryDb>(file);
    try {
      await runMigrations(
        opened.db as unknown as Kysely<unknown>,
        LIBRARY_MIGRATIONS,
        `library database ${file}`,
        now,
      );
    } catch (err) {
      await opened.db.destroy();
      throw err;
    }
    return new LibraryStore(opened);
  }

  get db(): Kysely<LibraryDb> {
    return this.opened.db;
  }

  async close(): Promise<void> {
    await this.opened.db.destroy();
  }

  async campaigns() {
    return this.db.selectFrom('campaigns').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  async campaign(id: string) {
    return this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async libraryCampaign() {
    return this.db.selectFrom('campaigns').selectAll().where('is_library', '=', 1).executeTakeFirst();
  }

  async home(entityId: string) {
    return this.db
      .selectFrom('entity_homes')
      .selectAll()
      .where('entity_id', '=', entityId)
      .executeTakeFirst();
  }

  async setHome(entityId: string, campaignId: string, entity: string): Promise<void> {
    await this.db
      .insertInto('entity_homes')
      .values({ entity_id: entityId, campaign_id: campaignId, entity })
      .onConflict((oc) => oc.column('entity_id').doUpdateSet({ campaign_id: campaignId, entity }))
      .execute();
  }
}
