/**
 * An open document branch: a Y.Doc loaded from its stored updates, recording every later update (with its
 * transaction origin and author) until `flush()` writes them. Remote/merged updates go through `applyUpdate`.
 */
import * as Y from 'yjs';
import { isTransactionOrigin, originLabel, type TransactionOrigin } from '../docs/origin';
import type { CampaignStore, CampaignTx, UpdateRow } from './campaign-store';

/** Origin of updates read back from the store (never recorded again). */
export const LOAD = Symbol('load');
/** Origin of updates another process stored (read back by the live registry; never recorded again). */
export const EXTERNAL = Symbol('external');

type UpdateLabel = { origin: string; author: string };

/**
 * A relay update's row: its label (the authors of its client ids, read from the update) is worked out when the row
 * is written, not while the update is being applied — a player's peer shows the change first, then labels it.
 */
class RemoteRow implements UpdateRow {
  private label: UpdateLabel | undefined;
  constructor(
    readonly data: Uint8Array,
    private readonly compute: () => UpdateLabel,
  ) {}
  get origin(): string {
    return (this.label ??= this.compute()).origin;
  }
  get author(): string {
    return (this.label ??= this.compute()).author;
  }
}

export class DocSession {
  private pending: UpdateRow[] = [];
  /** Called after an update was recorded (the live registry schedules its per-tick flush). */
  onPending: (() => void) | undefined;
  /** Set on a shared live session: `close()` releases one holder instead of destroying the doc. */
  closer: (() => void) | undefined;
  /** Highest `doc_updates.seq` of this branch read into the doc (for reloading other processes' writes). */
  seenSeq = 0;
  /** Set on a live session: how a remote update is labelled (its authors, `live/authors.ts`). */
  labelRemote:
    ((update: Uint8Array, origin: TransactionOrigin & { kind: 'remote' }) => UpdateLabel) | undefined;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === LOAD || origin === EXTERNAL) return;
    const label = this.labelRemote;
    this.pending.push(
      label && isTransactionOrigin(origin) && origin.kind === 'remote'
        ? new RemoteRow(update, () => label(update, origin))
        : { data: update, ...originLabel(origin) },
    );
    this.onPending?.();
  };

  private constructor(
    readonly store: CampaignStore,
    readonly docId: string,
    /** Mutable only for the live registry's fast-forward switch (`LiveRegistry.switchBranch`). */
    public branch: string,
    readonly doc: Y.Doc,
  ) {
    doc.on('update', this.onUpdate);
  }

  static async open(
    store: CampaignStore,
    docId: string,
    branch: string,
    tx?: CampaignTx,
    guid?: string,
  ): Promise<DocSession> {
    // A fixed guid skips generating a random one (measurably slow in bulk); the guid is not persisted.
    const doc = new Y.Doc({ guid: guid ?? `${docId}/${branch}` });
    const rows = await store.loadUpdateRows(docId, branch, 0, tx);
    const updates = rows.map((r) => r.data);
    if (updates.length === 1) Y.applyUpdate(doc, updates[0] as Uint8Array, LOAD);
    else if (updates.length > 1) Y.applyUpdate(doc, Y.mergeUpdates(updates), LOAD);
    const session = new DocSession(store, docId, branch, doc);
    session.seenSeq = rows.reduce((m, r) => Math.max(m, r.seq), 0);
    return session;
  }

  /** A detached doc from an encoded state (a commit): not persisted anywhere. */
  static fromState(state: Uint8Array): Y.Doc {
    const doc = new Y.Doc({ guid: 'detached' });
    Y.applyUpdate(doc, state, LOAD);
    return doc;
  }

  /**
   * Merge stored updates (possibly written by another session of the same branch since this one loaded) into
   * this doc without recording them again. The CRDT makes this safe and idempotent.
   */
  absorb(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return;
    Y.applyUpdate(
      this.doc,
      updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates as Uint8Array[]),
      LOAD,
    );
  }

  applyUpdate(update: Uint8Array, origin: TransactionOrigin): void {
    Y.applyUpdate(this.doc, update, origin);
  }

  get dirty(): boolean {
    return this.pending.length > 0;
  }

  /** Write the recorded updates (in the caller's transaction if given); returns how many. */
  async flush(ts: number, tx?: CampaignTx): Promise<number> {
    const rows = this.pending;
    this.pending = [];
    await this.store.appendUpdates(this.docId, this.branch, rows, ts, tx);
    return rows.length;
  }

  /**
   * Write the recorded updates synchronously when the store can (`CampaignStore.appendNow`: idle connection, no
   * compaction due); `touch` also moves the index row's `updated_at`. False: nothing written, `flush` it instead.
   */
  flushNow(ts: number, compactEvery: number, touch: boolean): boolean {
    const staged = this.stageNow(ts, compactEvery, touch);
    if (!staged) return false;
    staged.done();
    return true;
  }

  /**
   * `flushNow` inside `CampaignStore.batchNow`: writes the recorded updates but keeps them recorded until `done()`
   * (called once the batch committed), so a batch that rolls back loses nothing. False: nothing written.
   */
  stageNow(ts: number, compactEvery: number, touch: boolean): { done(): void } | false {
    const rows = this.pending;
    if (rows.length === 0) return { done() {} };
    if (!this.store.appendNow(this.docId, this.branch, rows, ts, compactEvery, touch)) return false;
    return {
      done: () => {
        if (this.pending === rows) this.pending = [];
        else this.pending = this.pending.filter((r) => !rows.includes(r));
      },
    };
  }

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /** Release this holder: a shared live session stays open while others hold it; an own session is destroyed. */
  close(): void {
    if (this.closer) {
      this.closer();
      return;
    }
    this.dispose();
  }

  dispose(): void {
    this.doc.off('update', this.onUpdate);
    this.doc.destroy();
  }
}
