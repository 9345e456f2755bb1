import type { SqlMigration } from '../../migrate';

/**
 * Live documents: a commit also records the state vector of its state and who changed what since the previous
 * save point (`changes`: JSON `[{ origin, author, paths }]`, from the update rows' origins). Both nullable: commits
 * made before this migration have neither.
 */
export const migration: SqlMigration = {
  id: '0002_live_history',
  async up(db) {
    await db.schema.alterTable('commits').addColumn('state_vector', 'blob').execute();
    await db.schema.alterTable('commits').addColumn('changes', 'text').execute();
  },
};
