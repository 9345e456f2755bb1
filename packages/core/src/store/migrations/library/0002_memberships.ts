import type { SqlMigration } from '../../migrate';

/**
 * This data folder's membership of shared campaigns: its role (dm, player, spectator), user name, the
 * documents it owns (JSON array of doc ids), and the relay it syncs through. No row = local owner (writes all).
 */
export const migration: SqlMigration = {
  id: '0002_memberships',
  async up(db) {
    await db.schema
      .createTable('memberships')
      .addColumn('campaign_id', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('user', 'text', (c) => c.notNull())
      .addColumn('owns', 'text', (c) => c.notNull())
      .addColumn('relay', 'text')
      .addColumn('token', 'text')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
  },
};
