/**
 * The live document registry: one open `Y.Doc` per entity live branch, shared by every holder (services, UI,
 * sync) and reference-counted. Its persistence provider records each update with its origin (`DocSession`),
 * writes them to SQLite once per tick (compacting by origin), refreshes the projections, then emits the change
 * feed. Changes that only came from the relay and touch nothing a projection shows (a combatant's HP, a play sheet
 * during live play) are announced at once but stored in batches, every `REMOTE_STORE_MS`, all documents of a
 * campaign file in one transaction: the relay holds them too, and a player's peer no longer commits to SQLite twice
 * per DM action. Open campaign files are polled with `PRAGMA data_version` so another process's writes are read into
 * the open documents within a second.
 */
import * as Y from 'yjs';
import { ROOT_MAP, setWriteGuard } from '../docs/doc-type';
import { PROJECTION_KEYS } from '../docs/registry';
import { originLabel, type TransactionOrigin } from '../docs/origin';
import { CoreError } from '../errors';
import type { Engine, Located } from '../services/engine';
import type { CampaignStore } from '../store/campaign-store';
import { EXTERNAL, LOAD, type DocSession } from '../store/doc-session';
import { isDocKind } from '../sync/doc-names';
import { AUTHORS_MAP, remoteUpdateLabel, setAuthorName } from './authors';
import {
  docIdOf,
  liveGuid,
  storageIdOf,
  type LiveChange,
  type LiveDocRef,
  type LiveDocs,
  type LiveHandle,
} from './types';

interface Entry {
  readonly key: string;
  readonly ref: LiveDocRef;
  loc: Located;
  session: DocSession;
  refs: number;
  flushing: Promise<void> | null;
  scheduled: boolean;
  /** Origins of changes not yet announced (announced after they are stored). */
  changed: Set<string>;
  closed: boolean;
  /** Set when reading another process's rows changed the doc. */
  external: boolean;
  /** Top-level keys of the root map changed since the last store (`all`: something the keys do not cover). */
  touched: Set<string> | 'all';
  /** A change since the last store came from this peer (not the relay): stored at the next tick. */
  local: boolean;
}

/** How often open campaign files are checked for other processes' writes. */
const POLL_MS = 200;
/** How long changes from the relay that no projection shows wait to be stored with others (one transaction). */
const REMOTE_STORE_MS = 40;
/** How long a document goes without stores before its rows are compacted (once past `compactEvery`). */
const COMPACT_IDLE_MS = 1000;
/** Past this many times `compactEvery` rows a store compacts at once (a document never quiet for a second). */
const COMPACT_HARD = 4;

export class LiveRegistry implements LiveDocs {
  private readonly entries = new Map<string, Promise<Entry>>();
  /** The settled entry behind each key of `entries`. */
  private readonly opened = new Map<string, Entry>();
  private readonly listeners = new Set<(e: LiveChange) => void>();
  private readonly versions = new Map<CampaignStore, number>();
  private readonly adopting = new Map<string, Promise<unknown>>();
  private poller: ReturnType<typeof setInterval> | null = null;
  /** Entries with relay changes announced but not stored yet (`storeRemote`). */
  private readonly remoteDirty = new Set<Entry>();
  private remoteTimer: ReturnType<typeof setTimeout> | null = null;
  /** Entries changed in this tick, stored together at its end (`storeDue`). */
  private readonly due = new Set<Entry>();
  private dueScheduled = false;
  /** Per open document, the pending compaction once it has been quiet for `COMPACT_IDLE_MS`. */
  private readonly compactTimers = new Map<Entry, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(private readonly engine: Engine) {}

  // ---- the public interface -------------------------------------------------------------------------------

  async open(ref: LiveDocRef): Promise<LiveHandle> {
    checkRef(ref);
    const loc = await this.locateRef(ref);
    const entry = await this.acquireEntry(loc);
    try {
      return this.handle(entry, ref, await this.engine.access(entry.loc));
    } catch (err) {
      this.release(entry);
      throw err;
    }
  }

  async list(campaign: string): Promise<LiveDocRef[]> {
    const store = await this.engine.campaignStore(campaign);
    return (await store.listDocs())
      .filter((d) => isDocKind(d.entity))
      .map((d) => {
        const kind = d.entity as LiveDocRef['kind'];
        return { campaign, kind, docId: docIdOf(campaign, kind, d.id) };
      });
  }

  async adopt(ref: LiveDocRef, update?: Uint8Array, origin?: TransactionOrigin): Promise<LiveHandle> {
    checkRef(ref);
    const key = `${ref.campaign}|${storageIdOf(ref)}`;
    // Serialize adoptions of one document: two at once must not both create it.
    const prev = this.adopting.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.adoptNow(ref));
    this.adopting.set(key, run);
    try {
      const handle = await run;
      if (update && update.length > 0) {
        try {
          Y.applyUpdate(handle.doc, update, origin ?? { kind: 'remote', author: 'unknown' });
          // Stored (and the projections, e.g. the campaign's name, refreshed) before adopt returns.
          const entry = await this.entries.get(`${ref.campaign}|${storageIdOf(ref)}`);
          if (entry) await this.flushEntry(entry);
        } catch (err) {
          handle.release();
          throw err;
        }
      }
      return handle;
    } finally {
      if (this.adopting.get(key) === run) this.adopting.delete(key);
    }
  }

  onChange(cb: (e: LiveChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async flush(): Promise<void> {
    const entries = await Promise.allSettled([...this.entries.values()]);
    for (const e of entries) if (e.status === 'fulfilled') await this.flushEntry(e.value);
  }

  // ---- used by the engine ---------------------------------------------------------------------------------

  /** The shared session of an entity's live branch (its default branch); `close()` on it releases. */
  async acquire(loc: Located): Promise<DocSession> {
    return (await this.acquireEntry(loc)).session;
  }

  /**
   * Move a held live document to another branch that already contains everything it shows (a fast-forward, e.g.
   * a finalized draft merged into `main`): the branch's extra operations are applied to the same `Y.Doc` (so
   * holders and the sync client see them as ordinary updates) and later updates are stored on the new branch.
   * Anything else would drop what holders see, so it is refused (`conflict`). No-op when nobody holds the doc.
   */
  async switchBranch(loc: Located, branch: string): Promise<void> {
    const p = this.entries.get(`${loc.store.campaignId}|${loc.id}`);
    const entry = p ? await p.catch(() => null) : null;
    if (!entry || entry.closed || entry.refs === 0) return;
    await this.flushEntry(entry);
    const rows = await loc.store.loadUpdateRows(loc.id, branch, 0);
    const target = new Y.Doc({ guid: 'switch' });
    try {
      if (rows.length > 0) Y.applyUpdate(target, Y.mergeUpdates(rows.map((r) => r.data)), LOAD);
      const live = Y.decodeStateVector(Y.encodeStateVector(entry.session.doc));
      const theirs = Y.decodeStateVector(Y.encodeStateVector(target));
      for (const [client, clock] of live) {
        if ((theirs.get(client) ?? 0) < clock)
          throw new CoreError(
            'conflict',
            `${loc.entity} ${loc.id}: its live document is open (shared or on screen) and branch "${branch}" lacks some of what it shows; merge into "${entry.session.branch}" instead`,
          );
      }
      entry.session.branch = branch;
      entry.session.seenSeq = rows.reduce((m, r) => Math.max(m, r.seq), 0);
      entry.loc = { ...entry.loc, defaultBranch: branch };
      // Already stored on the new branch: applied without being recorded again, but announced and synced.
      Y.applyUpdate(
        entry.session.doc,
        Y.diffUpdate(Y.encodeStateAsUpdate(target), Y.encodeStateVector(entry.session.doc)),
        EXTERNAL,
      );
      if (entry.external) {
        entry.external = false;
        this.emit({
          campaign: entry.ref.campaign,
          id: entry.ref.docId,
          kind: entry.ref.kind,
          origin: 'local-user',
        });
      }
    } finally {
      target.destroy();
    }
  }

  /** How many holders have the entity's live doc open right now (0 when closed or closing). */
  async holders(campaign: string, storageId: string): Promise<number> {
    const p = this.entries.get(`${campaign}|${storageId}`);
    const entry = p ? await p.catch(() => null) : null;
    return entry && !entry.closed ? entry.refs : 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    if (this.remoteTimer) clearTimeout(this.remoteTimer);
    this.remoteTimer = null;
    this.remoteDirty.clear();
    for (const t of this.compactTimers.values()) clearTimeout(t);
    this.compactTimers.clear();
    const entries = await Promise.allSettled([...this.entries.values()]);
    for (const e of entries) {
      if (e.status !== 'fulfilled') continue;
      await this.flushEntry(e.value).catch((err: unknown) =>
        this.engine.log.error('live: flush on close failed', { id: e.value.key, error: String(err) }),
      );
      e.value.closed = true;
      e.value.session.dispose();
    }
    this.entries.clear();
    this.opened.clear();
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private async locateRef(ref: LiveDocRef): Promise<Located> {
    const id = storageIdOf(ref);
    const home = await this.engine.library.home(id);
    if (!home || home.campaign_id !== ref.campaign)
      throw new CoreError('not-found', `document ${liveGuid(ref)}: not found in this data folder`);
    const loc = await this.engine.locate(id);
    if (loc.entity !== ref.kind)
      throw new CoreError('not-found', `document ${liveGuid(ref)}: that id is a ${loc.entity}`);
    return loc;
  }

  private async adoptNow(ref: LiveDocRef): Promise<LiveHandle> {
    const id = storageIdOf(ref);
    const home = await this.engine.library.home(id);
    if (home) {
      if (home.campaign_id !== ref.campaign || home.entity !== ref.kind)
        throw new CoreError(
          'conflict',
          `document ${liveGuid(ref)}: id ${id} is already a ${home.entity} of campaign ${home.campaign_id}`,
        );
      return this.open(ref);
    }
    if (!(await this.engine.library.campaign(ref.campaign))) {
      await this.engine.library.db
        .insertInto('campaigns')
        .values({
          id: ref.campaign,
          name: `campaign ${ref.campaign}`,
          file: this.engine.backend.campaignFileName(ref.campaign),
          is_library: 0,
          created_at: this.engine.now(),
        })
        .execute();
    }
    // The document starts empty: its content arrives as remote updates, stored and never committed.
    await this.engine.createEntity(ref.campaign, ref.kind, () => undefined, {
      id,
      message: `adopted ${liveGuid(ref)}`,
      adopted: true,
    });
    return this.open(ref);
  }

  private handle(entry: Entry, ref: LiveDocRef, access: 'read' | 'write'): LiveHandle {
    let released = false;
    return {
      doc: entry.session.doc,
      ref,
      access,
      release: () => {
        if (released) return;
        released = true;
        this.release(entry);
      },
    };
  }

  private async acquireEntry(loc: Located): Promise<Entry> {
    if (this.closed) throw new CoreError('conflict', 'live documents: the core is closed');
    const key = `${loc.store.campaignId}|${loc.id}`;
    for (;;) {
      const p = this.entries.get(key);
      if (!p) break;
      const entry = await p;
      if (entry.closed) continue;
      if (entry.loc.defaultBranch === loc.defaultBranch) {
        entry.refs++;
        entry.loc = loc;
        this.catchUp(entry.loc.store);
        await this.nameAuthor(entry);
        // The membership may have changed while the document stayed open (held by sync or a service): what
        // this peer may write is decided again at every open, as when the document is first opened.
        try {
          setWriteGuard(entry.session.doc, await this.engine.readOnlyReason(entry.loc, entry.session));
        } catch (err) {
          this.release(entry);
          throw err;
        }
        return entry;
      }
      // The default branch moved (a local history operation) while nobody held the doc: reopen on it.
      if (entry.refs > 0)
        throw new CoreError(
          'conflict',
          `${loc.entity} ${loc.id}: its live document is open on branch "${entry.loc.defaultBranch}"`,
        );
      await this.closeEntry(entry);
    }
    const p = this.openEntry(loc, key);
    this.entries.set(key, p);
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    const entry = await p;
    if (this.entries.get(key) === p) this.opened.set(key, entry);
    entry.refs++;
    await this.nameAuthor(entry);
    return entry;
  }

  /** This peer writes the document as its membership's user (the relay token's), else as the edit's author. */
  private async nameAuthor(entry: Entry): Promise<void> {
    try {
      setAuthorName(entry.session.doc, (await this.engine.membership(entry.ref.campaign))?.user ?? null);
    } catch (err) {
      this.engine.log.warn('live: could not read the membership', { error: String(err) });
    }
  }

  private async openEntry(loc: Located, key: string): Promise<Entry> {
    const campaign = loc.store.campaignId;
    const kind = loc.entity;
    const ref: LiveDocRef = { campaign, kind, docId: docIdOf(campaign, kind, loc.id) };
    this.rememberVersion(loc.store);
    const session = await this.engine.loadBranch(loc, loc.defaultBranch, liveGuid(ref));
    try {
      // Edits (`editDoc`) of a document this peer may only read are refused; remote updates still apply.
      setWriteGuard(session.doc, await this.engine.readOnlyReason(loc, session));
    } catch (err) {
      session.dispose();
      throw err;
    }
    const entry: Entry = {
      key,
      ref,
      loc,
      session,
      refs: 0,
      flushing: null,
      scheduled: false,
      changed: new Set(),
      closed: false,
      external: false,
      // The first store of an open document always refreshes its projection.
      touched: 'all',
      local: false,
    };
    session.closer = () => this.release(entry);
    // Remote updates are stored as `remote:<user>` from the authors of their client ids (live/authors.ts).
    session.labelRemote = (update, origin) => remoteUpdateLabel(session.doc, update, origin);
    session.onPending = () => this.schedule(entry);
    session.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === LOAD) return;
      if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
      if (tr.origin === EXTERNAL) {
        entry.external = true;
        return;
      }
      const label = originLabel(tr.origin).origin;
      entry.changed.add(label);
      if (!label.startsWith('remote:')) entry.local = true;
      if (entry.touched !== 'all' && !touchedKeys(session.doc, tr, entry.touched)) entry.touched = 'all';
      this.schedule(entry);
    });
    this.startPolling();
    return entry;
  }

  private schedule(entry: Entry): void {
    if (entry.scheduled || entry.closed) return;
    entry.scheduled = true;
    this.due.add(entry);
    if (this.dueScheduled) return;
    this.dueScheduled = true;
    setImmediate(() => this.storeDue());
  }

  /**
   * The tick's changed documents: the relay's changes that no projection shows are announced now and stored with
   * the next batch; the rest are stored now, those that need no projection refresh in one transaction per campaign
   * file (a DM action's session, sheet and notes: one commit, not three).
   */
  private storeDue(): void {
    this.dueScheduled = false;
    // A snapshot: announcing runs listeners, whose edits schedule again (into the next tick's set).
    const due = [...this.due];
    this.due.clear();
    const now: Entry[] = [];
    for (const entry of due) {
      entry.scheduled = false;
      if (this.deferrable(entry)) {
        this.announce(entry);
        this.deferStore(entry);
      } else now.push(entry);
    }
    this.storeTogether(
      now,
      (e) => !e.closed && e.loc.entity !== 'campaign' && !projects(e.loc.entity, e.touched),
    );
  }

  /** Whether what is pending came only from the relay and leaves the projection as it is. */
  private deferrable(entry: Entry): boolean {
    return !entry.local && !entry.closed && !projects(entry.loc.entity, entry.touched);
  }

  private announce(entry: Entry): void {
    const origins = [...entry.changed];
    entry.changed.clear();
    for (const origin of origins)
      this.emit({ campaign: entry.ref.campaign, id: entry.ref.docId, kind: entry.ref.kind, origin });
  }

  private deferStore(entry: Entry): void {
    this.remoteDirty.add(entry);
    this.remoteTimer ??= setTimeout(() => this.storeRemote(), REMOTE_STORE_MS);
  }

  /** Store the deferred relay changes: per campaign file one transaction; the rest takes the ordinary path. */
  private storeRemote(): void {
    this.remoteTimer = null;
    const due: Entry[] = [];
    for (const e of this.remoteDirty) {
      if (e.closed || !e.session.dirty) continue;
      // A store in progress took what was pending when it began: what came since waits for the next batch.
      if (e.flushing) {
        this.remoteTimer ??= setTimeout(() => this.storeRemote(), REMOTE_STORE_MS);
        continue;
      }
      due.push(e);
    }
    for (const e of due) this.remoteDirty.delete(e);
    if (this.remoteTimer === null) this.remoteDirty.clear();
    this.storeTogether(due, (e) => this.deferrable(e));
  }

  /**
   * Store entries' pending updates with one commit per campaign file: those `fits` accepts are staged in one
   * `batchNow` transaction (forgotten only once it commits), then announced; the others — and all of them when the
   * batch cannot run or rolls back — take the ordinary path (`flushEntry`).
   */
  private storeTogether(entries: readonly Entry[], fits: (e: Entry) => boolean): void {
    const byStore = new Map<CampaignStore, Entry[]>();
    for (const e of entries) {
      const list = byStore.get(e.loc.store) ?? [];
      list.push(e);
      byStore.set(e.loc.store, list);
    }
    for (const [store, list] of byStore) {
      const candidates = list.filter((e) => !e.flushing && e.session.dirty && fits(e));
      let stored: Entry[] = [];
      // No write transaction when nothing fits (another process may hold the write lock).
      if (candidates.length > 0) {
        const now = this.engine.now();
        const staged: { done(): void }[] = [];
        try {
          stored =
            store.batchNow(() =>
              candidates.filter((e) => {
                const s = e.session.stageNow(
                  now,
                  COMPACT_HARD * this.engine.compactEvery,
                  e.session.branch === e.loc.defaultBranch,
                );
                if (!s) return false;
                staged.push(s);
                return true;
              }),
            ) ?? [];
          for (const s of staged) s.done();
        } catch (err) {
          // Rolled back: everything stays pending and takes the ordinary path.
          this.engine.log.warn('live: batched store failed', { error: String(err) });
          stored = [];
        }
      }
      for (const e of stored) {
        this.compactWhenIdle(e);
        e.touched = new Set();
        e.local = false;
        this.announce(e);
      }
      for (const e of list)
        if (!stored.includes(e))
          this.flushEntry(e).catch((err: unknown) =>
            this.engine.log.error('live: could not store updates', { id: e.key, error: String(err) }),
          );
    }
  }

  /** Store pending updates (one transaction, projections refreshed), then announce the changes. */
  private async flushEntry(entry: Entry): Promise<void> {
    while (entry.flushing) await entry.flushing;
    if (entry.closed) return;
    if (!entry.session.dirty && entry.changed.size === 0) return;
    entry.local = false;
    const run = (async () => {
      if (entry.session.dirty) {
        await this.store(entry);
        if (entry.loc.entity === 'campaign') await this.engine.syncCampaignName(entry.loc, entry.session);
      }
      const origins = [...entry.changed];
      entry.changed.clear();
      for (const origin of origins)
        this.emit({ campaign: entry.ref.campaign, id: entry.ref.docId, kind: entry.ref.kind, origin });
    })();
    entry.flushing = run;
    try {
      await run;
    } finally {
      entry.flushing = null;
    }
  }

  /**
   * `engine.save` for the live path: the pending updates in one transaction (compacted by origin when a branch
   * has too many rows), and the projection refreshed only when the change touched what it is computed from
   * (`PROJECTION_KEYS`); otherwise only the index row's `updated_at` moves, as a full refresh would leave it.
   */
  private async store(entry: Entry): Promise<void> {
    const { loc, session } = entry;
    const touched = entry.touched;
    entry.touched = new Set();
    const project = projects(loc.entity, touched);
    try {
      // Nothing to project (the usual update during play): one synchronous prepared-statement transaction.
      // Compaction waits until the document is quiet (`compactWhenIdle`), up to COMPACT_HARD × compactEvery rows.
      this.compactWhenIdle(entry);
      if (
        !project &&
        session.flushNow(
          this.engine.now(),
          COMPACT_HARD * this.engine.compactEvery,
          session.branch === loc.defaultBranch,
        )
      )
        return;
      await loc.store.transaction(async (tx) => {
        const now = this.engine.now();
        await session.flush(now, tx);
        if (
          (await loc.store.countUpdates(loc.id, session.branch, tx)) >
          COMPACT_HARD * this.engine.compactEvery
        )
          // Only the newest rows: the merged history below them is merged again when the document is quiet.
          await loc.store.compactUpdates(
            loc.id,
            session.branch,
            now,
            tx,
            (COMPACT_HARD - 1) * this.engine.compactEvery,
          );
        if (session.branch !== loc.defaultBranch) return;
        if (project) await this.engine.refreshProjection(loc.store, loc.id, tx, session.doc);
        else await loc.store.touchEntity(loc.id, now, tx);
      });
    } catch (err) {
      entry.touched = 'all'; // the next store refreshes everything
      throw err;
    }
  }

  /**
   * Compact the document's rows (past `compactEvery`: all of them, one row per origin and author) once it has had
   * no store for `COMPACT_IDLE_MS`: during live play that is between actions, never in the middle of one.
   */
  private compactWhenIdle(entry: Entry): void {
    const known = this.compactTimers.get(entry);
    if (known) {
      known.refresh();
      return;
    }
    const timer = setTimeout(() => {
      this.compactTimers.delete(entry);
      this.compactIdle(entry).catch((err: unknown) =>
        this.engine.log.warn('live: compaction failed', { id: entry.key, error: String(err) }),
      );
    }, COMPACT_IDLE_MS);
    timer.unref();
    this.compactTimers.set(entry, timer);
  }

  private async compactIdle(entry: Entry): Promise<void> {
    if (entry.closed || this.closed) return;
    if (entry.flushing) {
      this.compactWhenIdle(entry);
      return;
    }
    const { loc, session } = entry;
    const every = this.engine.compactEvery;
    await loc.store.transaction(async (tx) => {
      if ((await loc.store.countUpdates(loc.id, session.branch, tx)) > every)
        await loc.store.compactUpdates(loc.id, session.branch, this.engine.now(), tx);
    });
  }

  private emit(e: LiveChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.engine.log.warn('live: a change listener failed', { error: String(err) });
      }
    }
  }

  private release(entry: Entry): void {
    if (entry.refs <= 0) return;
    entry.refs--;
    if (entry.refs > 0) return;
    // Keep nothing open nobody holds: store what is pending, then close unless someone took it meanwhile.
    void this.flushEntry(entry)
      .catch((err: unknown) =>
        this.engine.log.error('live: could not store updates', { id: entry.key, error: String(err) }),
      )
      .then(async () => {
        if (entry.refs === 0 && !entry.closed && !entry.session.dirty) await this.closeEntry(entry);
      });
  }

  private async closeEntry(entry: Entry): Promise<void> {
    if (entry.closed) return;
    entry.closed = true;
    const compaction = this.compactTimers.get(entry);
    if (compaction) clearTimeout(compaction);
    this.compactTimers.delete(entry);
    // Removed at once (no await), so a concurrent acquire opens a fresh entry instead of waiting on this one.
    if (this.opened.get(entry.key) === entry) {
      this.opened.delete(entry.key);
      this.entries.delete(entry.key);
    }
    entry.session.dispose();
    if (this.entries.size === 0 && this.poller) {
      clearInterval(this.poller);
      this.poller = null;
    }
  }

  // ---- other processes ------------------------------------------------------------------------------------

  private rememberVersion(store: CampaignStore): void {
    if (!this.versions.has(store)) this.versions.set(store, store.dataVersion());
  }

  private startPolling(): void {
    if (this.poller || this.engine.backend.kind === 'memory') return;
    this.poller = setInterval(() => this.poll(), POLL_MS);
    this.poller.unref();
  }

  private poll(): void {
    const stores = new Set<CampaignStore>();
    for (const p of this.entries.values()) void p.then((e) => stores.add(e.loc.store)).catch(() => undefined);
    // Entries are settled promises almost always; read them on the next microtask turn.
    queueMicrotask(() => {
      for (const s of stores) this.catchUp(s);
    });
  }

  /** If another connection wrote to the file since last time, read new update rows into its open documents. */
  private catchUp(store: CampaignStore): void {
    let version: number;
    try {
      version = store.dataVersion();
    } catch {
      return; // closed meanwhile
    }
    if (this.versions.get(store) === version) return;
    this.versions.set(store, version);
    void (async () => {
      for (const p of [...this.entries.values()]) {
        const entry = await p.catch(() => null);
        if (!entry || entry.closed || entry.loc.store !== store) continue;
        const rows = await store.loadUpdateRows(entry.loc.id, entry.session.branch, entry.session.seenSeq);
        if (rows.length === 0 || entry.closed) continue;
        entry.session.seenSeq = rows.reduce((m, r) => Math.max(m, r.seq), entry.session.seenSeq);
        entry.external = false;
        Y.applyUpdate(entry.session.doc, Y.mergeUpdates(rows.map((r) => r.data)), EXTERNAL);
        // Rows this process wrote itself change nothing when read back: only real news is announced.
        if (!entry.external) continue;
        // A save point in the other process leaves one `compaction` row: its origin is then just `external`.
        const origins = new Set(rows.map((r) => r.origin).filter((o) => o !== 'compaction'));
        if (origins.size === 0) origins.add('external');
        for (const origin of origins)
          this.emit({ campaign: entry.ref.campaign, id: entry.ref.docId, kind: entry.ref.kind, origin });
      }
    })().catch((err: unknown) =>
      this.engine.log.warn('live: reading other processes’ writes failed', { error: String(err) }),
    );
  }
}

/** Whether a change to these top-level keys (`all`: something they do not cover) changes the index row. */
function projects(entity: Located['entity'], touched: Set<string> | 'all'): boolean {
  const keys = PROJECTION_KEYS[entity];
  return touched === 'all' || !keys || [...touched].some((k) => keys.has(k));
}

/**
 * Add the root map's top-level keys that transaction `tr` changed (directly or anywhere below them) to `into`.
 * False when it changed something outside the root map other than the authors map (e.g. a journal's text).
 */
function touchedKeys(doc: Y.Doc, tr: Y.Transaction, into: Set<string>): boolean {
  const root = doc.share.get(ROOT_MAP);
  const authors = doc.share.get(AUTHORS_MAP);
  for (const [type, keys] of tr.changed) {
    if (type === root) {
      for (const k of keys) if (k !== null) into.add(k);
      continue;
    }
    let t = type;
    while (t._item !== null && t._item.parent !== root) t = t._item.parent as typeof type;
    if (t._item === null) {
      if (t === authors) continue;
      return false;
    }
    const key = t._item.parentSub;
    if (key === null) return false;
    into.add(key);
  }
  return true;
}

function checkRef(ref: LiveDocRef): void {
  if (!ref || typeof ref.campaign !== 'string' || !ref.campaign)
    throw new CoreError('invalid-input', 'ref.campaign: must be a campaign id');
  if (!isDocKind(ref.kind))
    throw new CoreError('invalid-input', `ref.kind: ${JSON.stringify(ref.kind)} is not a document kind`);
  if (typeof ref.docId !== 'string' || !ref.docId)
    throw new CoreError('invalid-input', 'ref.docId: must be a document id');
}
