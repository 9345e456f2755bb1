import type { SqlMigration } from '../../migrate';

export const migration: SqlMigration = {
  id: '0001_init',
  async up(db) {
    await db.schema
      .createTable('docs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('default_branch', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('doc_updates')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('doc_id', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('data', 'blob', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('ts', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('doc_updates_doc_branch')
      .on('doc_updates')
      .columns(['doc_id', 'branch', 'seq'])
      .execute();
    await db.schema
      .createTable('commits')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('doc_id', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('parents', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('ts', 'integer', (c) => c.notNull())
      .addColumn('state', 'blob', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('commits_doc').on('commits').columns(['doc_id', 'seq']).execute();
    await db.schema
      .createTable('branches')
      .addColumn('doc_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('head', 'text', (c) => c.notNull())
      .addColumn('forked_from', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('branches_pk', ['doc_id', 'name'])
      .execute();
    await db.schema
      .createTable('tags')
      .addColumn('doc_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('commit_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('tags_pk', ['doc_id', 'name'])
      .execute();
    await db.schema.createIndex('tags_commit').on('tags').column('commit_id').execute();
    await db.schema
      .createTable('entities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('kind', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('default_branch', 'text', (c) => c.notNull())
      .addColumn('head', 'text')
      .addColumn('schema_version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('xrefs')
      .addColumn('from_id', 'text', (c) => c.notNull())
      .addColumn('to_id', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('xrefs_pk', ['from_id', 'to_id', 'relation', 'via'])
      .execute();
    await db.schema.createIndex('xrefs_to').on('xrefs').column('to_id').execute();
  },
};
