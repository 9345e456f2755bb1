/**
 * SQLite persistence for the relay (better-sqlite3, synchronous): per document an append-only update log plus
 * a compacted state; an audit log of connections and refused writes. Schema versioned with `user_version`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE doc_states (doc TEXT PRIMARY KEY, state BLOB NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE doc_updates (id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL,
     created_at INTEGER NOT NULL);
   CREATE INDEX doc_updates_doc ON doc_updates (doc, id);
   CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, event TEXT NOT NULL,
     doc TEXT, campaign TEXT, user TEXT, role TEXT, remote TEXT, detail TEXT);
   CREATE INDEX audit_log_at ON audit_log (at);`,
  // Who created a player-creatable document (journal, intents): that user owns it.
  `CREATE TABLE doc_owners (doc TEXT PRIMARY KEY, campaign TEXT NOT NULL, user TEXT NOT NULL,
     created_at INTEGER NOT NULL);
   CREATE INDEX doc_owners_user ON doc_owners (campaign, user);`,
];

export interface AuditEntry {
  event: string;
  doc?: string | undefined;
  campaign?: string | undefined;
  user?: string | undefined;
  role?: string | undefined;
  remote?: string | undefined;
  detail?: string | undefined;
}

export interface AuditRow extends AuditEntry {
  id: number;
  at: number;
}

export class RelayStore {
  readonly db: Database.Database;
  private readonly now: () => number;
  /** Appends made in this event-loop turn, written in one transaction at `setImmediate` (or before any read). */
  private queue: { doc: string; data: Uint8Array; at: number }[] = [];
  private flushScheduled = false;
  private readonly stmts;

  constructor(dataDir: string, now: () => number = Date.now) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'relay.sqlite'));
    this.now = now;
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.stmts = {
      state: this.db.prepare<[string], { state: Buffer }>('SELECT state FROM doc_states WHERE doc = ?'),
      updates: this.db.prepare<[string], { id: number; data: Buffer }>(
        'SELECT id, data FROM doc_updates WHERE doc = ? ORDER BY id',
      ),
      append: this.db.prepare<[string, Uint8Array, number]>(
        'INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)',
      ),
      putState: this.db.prepare<[string, Uint8Array, number]>(
        'INSERT INTO doc_states (doc, state, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (doc) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      ),
      dropUpdates: this.db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND id <= ?'),
      maxId: this.db.prepare<[string], { m: number | null }>(
        'SELECT MAX(id) AS m FROM doc_updates WHERE doc = ?',
      ),
      count: this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?'),
      owner: this.db.prepare<[string], { user: string }>('SELECT user FROM doc_owners WHERE doc = ?'),
      setOwner: this.db.prepare<[string, string, string, number]>(
        'INSERT OR IGNORE INTO doc_owners (doc, campaign, user, created_at) VALUES (?, ?, ?, ?)',
      ),
      hasState: this.db.prepare<[string, string], { n: number }>(
        'SELECT (EXISTS (SELECT 1 FROM doc_states WHERE doc = ?) OR ' +
          'EXISTS (SELECT 1 FROM doc_updates WHERE doc = ?)) AS n',
      ),
      // '/' is 0x2F and '0' 0x30: every `<campaign>/…` name sorts in [campaign + '/', campaign + '0').
      // better-sqlite3 binds positional `?` only (numbered `?1` counts as too many values): bounds twice.
      list: this.db.prepare<[string, string, string, string], { doc: string }>(
        'SELECT doc FROM doc_states WHERE doc >= ? AND doc < ? ' +
          'UNION SELECT DISTINCT doc FROM doc_updates WHERE doc >= ? AND doc < ?',
      ),
      audit: this.db.prepare(
        'INSERT INTO audit_log (at, event, doc, campaign, user, role, remote, detail) ' +
          'VALUES (@at, @event, @doc, @campaign, @user, @role, @remote, @detail)',
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `relay database schema ${version} is newer than this relay knows (${MIGRATIONS.length})`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /**
   * The document's whole stored state as one update (compacted state merged with the log, Y.mergeUpdates), or
   * undefined if nothing is stored. A non-empty log is folded into the compacted state on the way.
   */
  load(doc: string): Uint8Array | undefined {
    this.flush();
    const state = this.stmts.state.get(doc)?.state;
    const rows = this.stmts.updates.all(doc);
    if (rows.length === 0) return state ? new Uint8Array(state) : undefined;
    const parts = [...(state ? [new Uint8Array(state)] : []), ...rows.map((r) => new Uint8Array(r.data))];
    const merged = Y.mergeUpdates(parts);
    this.compact(doc, merged, rows[rows.length - 1]!.id);
    return merged;
  }

  /** Queue an update for the log; it is written (one transaction per event-loop turn) before any read. */
  append(doc: string, update: Uint8Array): void {
    this.queue.push({ doc, data: update, at: this.now() });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || !this.db.open) return;
    const q = this.queue;
    this.queue = [];
    this.db.transaction(() => {
      for (const u of q) this.stmts.append.run(u.doc, u.data, u.at);
    })();
  }

  /** Replace the compacted state by `state` and drop log entries up to `upToId` (default: all). */
  compact(doc: string, state: Uint8Array, upToId?: number): void {
    this.flush();
    this.db.transaction(() => {
      const last = upToId ?? this.stmts.maxId.get(doc)?.m ?? 0;
      this.stmts.putState.run(doc, state, this.now());
      this.stmts.dropUpdates.run(doc, last);
    })();
  }

  pendingUpdates(doc: string): number {
    this.flush();
    return this.stmts.count.get(doc)?.n ?? 0;
  }

  /** Whether anything is stored for `doc`. */
  hasDoc(doc: string): boolean {
    this.flush();
    return this.stmts.hasState.get(doc, doc)?.n === 1;
  }

  /** Every document name stored for `campaign`. */
  listDocs(campaign: string): string[] {
    this.flush();
    const [lo, hi] = [`${campaign}/`, `${campaign}0`];
    return this.stmts.list.all(lo, hi, lo, hi).map((r) => r.doc);
  }

  /** The user who created `doc` (player-created journals and intents), if recorded. */
  owner(doc: string): string | undefined {
    return this.stmts.owner.get(doc)?.user;
  }

  /** Record `user` as the creator of `doc`; false if someone already is. */
  setOwner(doc: string, campaign: string, user: string): boolean {
    return this.stmts.setOwner.run(doc, campaign, user, this.now()).changes === 1;
  }

  audit(entry: AuditEntry): void {
    this.stmts.audit.run({
      at: this.now(),
      event: entry.event,
      doc: entry.doc ?? null,
      campaign: entry.campaign ?? null,
      user: entry.user ?? null,
      role: entry.role ?? null,
      remote: entry.remote ?? null,
      detail: entry.detail ?? null,
    });
  }

  auditLog(filter: { event?: string; doc?: string } = {}): AuditRow[] {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id').all() as (AuditRow &
      Record<string, string | number | null>)[];
    return rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as unknown as AuditRow)
      .filter(
        (r) =>
          (filter.event === undefined || r.event === filter.event) &&
          (filter.doc === undefined || r.doc === filter.doc),
      );
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
