/**
 * One campaign database: documents, their Yjs updates, commits, branches, tags and the projections. All
 * multi-row changes happen in one SQLite transaction, so a crash leaves either all of a save point or none.
 */
import type { Statement } from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import * as Y from 'yjs';
import { CAMPAIGN_MIGRATIONS } from './migrations';
import { runMigrations } from './migrate';
import type { CampaignDb } from './schema';
import { openSqlite, type OpenedDb } from './sqlite';

export type CampaignTx = Kysely<CampaignDb> | Transaction<CampaignDb>;

export interface UpdateRow {
  data: Uint8Array;
  origin: string;
  author: string;
}

/** One contributor to the changes between two save points: the update origin, its author and the paths touched. */
export interface CommitChange {
  origin: string;
  author: string;
  paths: string[];
}

export interface CommitRow {
  seq: number;
  id: string;
  doc_id: string;
  branch: string;
  parents: string[];
  author: string;
  message: string;
  ts: number;
}

export interface BranchRow {
  doc_id: string;
  name: string;
  head: string;
  forked_from: string | null;
  created_at: number;
}

export interface TagRow {
  doc_id: string;
  name: string;
  commit_id: string;
  kind: string;
  author: string;
  created_at: number;
}

/**
 * Statements of the per-tick persistence path (append an update row, count a branch's rows, touch an index row),
 * prepared once per open file instead of building, compiling and preparing a kysely query on every call. They run
 * on the same connection as kysely, so they are used only inside a kysely transaction that holds it, or in their
 * own transaction while no kysely transaction is open (`appendNow`) — never where they would join whatever
 * transaction another caller has open.
 */
interface FastStatements {
  append: Statement<[string, string, Uint8Array, string, string, number]>;
  count: Statement<[string, string], { n: number }>;
  touch: Statement<[number, string]>;
}

export class CampaignStore {
  private fast: FastStatements | undefined;
  /** Depth of `batchNow` calls: inside one, `appendNow` joins the batch's transaction. */
  private batching = 0;

  private constructor(
    readonly campaignId: string,
    readonly opened: OpenedDb<CampaignDb>,
  ) {}

  /** The prepared statements, or undefined when `tx` is not a transaction (kysely then builds the query). */
  private fastIn(tx: CampaignTx): FastStatements | undefined {
    return tx.isTransaction ? this.statements() : undefined;
  }

  private statements(): FastStatements {
    const raw = this.opened.raw;
    this.fast ??= {
      append: raw.prepare(
        'INSERT INTO doc_updates (doc_id, branch, data, origin, author, ts) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      count: raw.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ? AND branch = ?'),
      touch: raw.prepare('UPDATE entities SET updated_at = ? WHERE id = ?'),
    };
    return this.fast;
  }

  static async open(campaignId: string, file: string, now: number): Promise<CampaignStore> {
    const opened = openSqlite<CampaignDb>(file);
    try {
      await runMigrations(
        opened.db as unknown as Kysely<unknown>,
        CAMPAIGN_MIGRATIONS,
        `campaign database ${file}`,
        now,
      );
    } catch (err) {
      await opened.db.destroy();
      throw err;
    }
    return new CampaignStore(campaignId, opened);
  }

  get db(): Kysely<CampaignDb> {
    return this.opened.db;
  }

  async close(): Promise<void> {
    await this.opened.db.destroy();
  }

  /**
   * One write transaction. It takes the write lock first (a no-op delete), so that when another process writes
   * the same file the busy timeout waits for it; a deferred transaction that read first would instead fail at
   * its first write once the other process had committed (SQLITE_BUSY on a stale snapshot).
   */
  transaction<T>(fn: (tx: Transaction<CampaignDb>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`delete from docs where 0`.execute(tx);
      return fn(tx);
    });
  }

  async docRow(docId: string, tx: CampaignTx = this.db) {
    return tx.selectFrom('docs').selectAll().where('id', '=', docId).executeTakeFirst();
  }

  async listDocs(tx: CampaignTx = this.db) {
    return tx.selectFrom('docs').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  async loadUpdates(docId: string, branch: string, tx: CampaignTx = this.db): Promise<Uint8Array[]> {
    const rows = await tx
      .selectFrom('doc_updates')
      .select('data')
      .where('doc_id', '=', docId)
      .where('branch', '=', branch)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.data);
  }

  /** Update rows of a branch after `afterSeq`, oldest first, with their origin. */
  async loadUpdateRows(
    docId: string,
    branch: string,
    afterSeq: number,
    tx: CampaignTx = this.db,
  ): Promise<(UpdateRow & { seq: number; ts: number })[]> {
    return tx
      .selectFrom('doc_updates')
      .select(['seq', 'data', 'origin', 'author', 'ts'])
      .where('doc_id', '=', docId)
      .where('branch', '=', branch)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
  }

  /** `PRAGMA data_version`: changes when another connection (process) commits to this file. */
  dataVersion(): number {
    return Number(this.opened.raw.pragma('data_version', { simple: true }));
  }

  async countUpdates(docId: string, branch: string, tx: CampaignTx = this.db): Promise<number> {
    const fast = this.fastIn(tx);
    if (fast) return Number(fast.count.get(docId, branch)?.n ?? 0);
    const row = await tx
      .selectFrom('doc_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('doc_id', '=', docId)
      .where('branch', '=', branch)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async appendUpdates(
    docId: string,
    branch: string,
    rows: UpdateRow[],
    ts: number,
    tx: CampaignTx = this.db,
  ) {
    if (rows.length === 0) return;
    const fast = this.fastIn(tx);
    if (fast) {
      for (const r of rows) fast.append.run(docId, branch, r.data, r.origin, r.author, ts);
      return;
    }
    await tx
      .insertInto('doc_updates')
      .values(
        rows.map((r) => ({ doc_id: docId, branch, data: r.data, origin: r.origin, author: r.author, ts })),
      )
      .execute();
  }

  /**
   * The per-tick persistence without kysely: append a branch's update rows and (with `touch`) move its index
   * row's `updated_at`, in one synchronous `BEGIN IMMEDIATE` transaction (the write lock first, as `transaction`
   * takes it) with prepared statements. Only when the connection is idle — no kysely transaction open on it, whose
   * statements this would join — and the branch stays within `compactEvery` rows; false (nothing written) when
   * not, and the caller takes the ordinary path.
   */
  appendNow(
    docId: string,
    branch: string,
    rows: readonly UpdateRow[],
    ts: number,
    compactEvery: number,
    touch: boolean,
  ): boolean {
    const raw = this.opened.raw;
    if ((raw.inTransaction && this.batching === 0) || !raw.open) return false;
    const fast = this.statements();
    return raw
      .transaction(() => {
        if (Number(fast.count.get(docId, branch)?.n ?? 0) + rows.length > compactEvery) return false;
        for (const r of rows) fast.append.run(docId, branch, r.data, r.origin, r.author, ts);
        if (touch) fast.touch.run(ts, docId);
        return true;
      })
      .immediate();
  }

  /**
   * Run `fn` in one synchronous `BEGIN IMMEDIATE` transaction in which every `appendNow` joins it (as a savepoint):
   * several documents' updates stored with one commit. Undefined (`fn` not run) when the connection is not idle.
   */
  batchNow<T>(fn: () => T): T | undefined {
    const raw = this.opened.raw;
    if (raw.inTransaction || !raw.open) return undefined;
    this.batching++;
    try {
      return raw.transaction(fn).immediate();
    } finally {
      this.batching--;
    }
  }

  /**
   * Only the `updated_at` of a document's index row, in a transaction: what a projection refresh writes when the
   * change touched nothing the row shows (name, kind, references, schema version), e.g. a combatant's HP.
   */
  async touchEntity(docId: string, ts: number, tx: Transaction<CampaignDb>): Promise<void> {
    const fast = this.fastIn(tx);
    if (fast) fast.touch.run(ts, docId);
    else await tx.updateTable('entities').set({ updated_at: ts }).where('id', '=', docId).execute();
  }

  /** Replace every stored update of a branch by one row holding the merged state. */
  async replaceUpdates(
    docId: string,
    branch: string,
    state: Uint8Array,
    ts: number,
    tx: CampaignTx = this.db,
  ) {
    await tx.deleteFrom('doc_updates').where('doc_id', '=', docId).where('branch', '=', branch).execute();
    await tx
      .insertInto('doc_updates')
      .values({ doc_id: docId, branch, data: state, origin: 'compaction', author: 'loreforge', ts })
      .execute();
  }

  /**
   * Compact a branch's update rows without losing who wrote them: one merged row per (origin, author), in the
   * order each first appeared. With `newest`, only the newest that many rows are merged (the live path: a document
   * edited all session long is not re-merged whole every `compactEvery` updates; the rows stay bounded all the same).
   */
  async compactUpdates(
    docId: string,
    branch: string,
    ts: number,
    tx: CampaignTx = this.db,
    newest?: number,
  ): Promise<number> {
    const all = await this.loadUpdateRows(docId, branch, 0, tx);
    // Only the newest rows: what earlier compactions merged (the document's whole history) is not merged again.
    const rows = newest !== undefined && all.length > newest ? all.slice(-newest) : all;
    const groups = new Map<string, UpdateRow & { parts: Uint8Array[] }>();
    for (const r of rows) {
      const key = `${r.origin}\u0000${r.author}`;
      const g = groups.get(key) ?? { data: r.data, origin: r.origin, author: r.author, parts: [] };
      g.parts.push(r.data);
      groups.set(key, g);
    }
    await tx
      .deleteFrom('doc_updates')
      .where('doc_id', '=', docId)
      .where('branch', '=', branch)
      .where('seq', '>=', rows[0]?.seq ?? 0)
      .execute();
    const values = [...groups.values()].map((g) => ({
      doc_id: docId,
      branch,
      data: g.parts.length === 1 ? (g.parts[0] as Uint8Array) : Y.mergeUpdates(g.parts),
      origin: g.origin,
      author: g.author,
      ts,
    }));
    if (values.length > 0) await tx.insertInto('doc_updates').values(values).execute();
    return values.length;
  }

  async commits(docId: string, tx: CampaignTx = this.db): Promise<CommitRow[]> {
    const rows = await tx
      .selectFrom('commits')
      .select(['seq', 'id', 'doc_id', 'branch', 'parents', 'author', 'message', 'ts'])
      .where('doc_id', '=', docId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ ...r, parents: JSON.parse(r.parents) as string[] }));
  }

  async commitState(
    docId: string,
    commitId: string,
    tx: CampaignTx = this.db,
  ): Promise<Uint8Array | undefined> {
    const row = await tx
      .selectFrom('commits')
      .select('state')
      .where('doc_id', '=', docId)
      .where('id', '=', commitId)
      .executeTakeFirst();
    return row?.state;
  }

  async insertCommit(
    c: Omit<CommitRow, 'seq'> & { state: Uint8Array; changes?: CommitChange[] },
    tx: CampaignTx = this.db,
  ): Promise<void> {
    const { changes, ...rest } = c;
    await tx
      .insertInto('commits')
      .values({
        ...rest,
        parents: JSON.stringify(c.parents),
        state_vector: Y.encodeStateVectorFromUpdate(c.state),
        changes: changes ? JSON.stringify(changes) : null,
      })
      .execute();
  }

  /** Who changed what in each commit (from its `changes` column), by commit id. */
  async commitChanges(docId: string, tx: CampaignTx = this.db): Promise<Map<string, CommitChange[]>> {
    const rows = await tx
      .selectFrom('commits')
      .select(['id', 'changes'])
      .where('doc_id', '=', docId)
      .where('changes', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.changes as string) as CommitChange[]]));
  }

  async branches(docId: string, tx: CampaignTx = this.db): Promise<BranchRow[]> {
    return tx
      .selectFrom('branches')
      .selectAll()
      .where('doc_id', '=', docId)
      .orderBy('created_at')
      .orderBy('name')
      .execute();
  }

  async branch(docId: string, name: string, tx: CampaignTx = this.db): Promise<BranchRow | undefined> {
    return tx
      .selectFrom('branches')
      .selectAll()
      .where('doc_id', '=', docId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async tags(docId: string, tx: CampaignTx = this.db): Promise<TagRow[]> {
    return tx
      .selectFrom('tags')
      .selectAll()
      .where('doc_id', '=', docId)
      .orderBy('created_at')
      .orderBy('name')
      .execute();
  }
}
