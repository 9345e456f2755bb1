/**
 * The live document interface (issue 9): one reference-counted `Y.Doc` per entity's live branch, named
 * `<campaignId>/<kind>/<docId>` like the synced documents. The sync client, the UI and the services share it.
 */
import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import type { TransactionOrigin } from '../docs/origin';
import type { DocKind } from '../sync/doc-names';

export interface LiveDocRef {
  campaign: string;
  kind: DocKind;
  docId: string;
}

export interface LiveHandle {
  /** guid = `${campaign}/${kind}/${docId}`; the entity's live (default) branch. */
  readonly doc: Y.Doc;
  readonly ref: LiveDocRef;
  /** From this data folder's membership of the campaign (role, owns); no membership = local owner (write). */
  readonly access: 'read' | 'write';
  /** Ref-counted: the doc stays open while any holder has it. Calling it twice is harmless. */
  release(): void;
}

export interface LiveChange {
  campaign: string;
  /** The entity id (for the campaign's dmnotes: the campaign id). */
  id: string;
  kind: DocKind;
  /** `local-user`, `llm`, `import`, `migration`, `remote:<user>`, or the stored origin of another process's write. */
  origin: string;
}

export interface LiveDocs {
  /** Existing documents only (`not-found` otherwise). */
  open(ref: LiveDocRef): Promise<LiveHandle>;
  /** Every document stored in the campaign's file, all kinds. */
  list(campaign: string): Promise<LiveDocRef[]>;
  /**
   * Create-or-open a document that arrived from the relay, under its id (idempotent; registers the entity in
   * this data folder so `character show ID` etc. work). `update` (optional) is applied with `origin`.
   */
  adopt(ref: LiveDocRef, update?: Uint8Array, origin?: TransactionOrigin): Promise<LiveHandle>;
  /** Every change to an open live document, after it is stored and projections are refreshed. */
  onChange(cb: (e: LiveChange) => void): () => void;
  /** All pending updates written to SQLite. */
  flush(): Promise<void>;
}

/** Where a document is stored: the campaign's own dmnotes has docId = campaign id, stored under its own key. */
export function storageIdOf(ref: Pick<LiveDocRef, 'campaign' | 'kind' | 'docId'>): string {
  return ref.kind === 'dmnotes' && ref.docId === ref.campaign ? dmNotesStorageId(ref.campaign) : ref.docId;
}

/**
 * The stored id of a campaign's own dmnotes document: a UUID (name-based, SHA-1, version 5 layout) derived from
 * the campaign id, so it is the same on every peer and never collides with an entity id.
 */
export function dmNotesStorageId(campaign: string): string {
  const h = createHash('sha1').update(`loreforge-dmnotes:${campaign}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** The public doc id of a stored document (inverse of `storageIdOf`). */
export function docIdOf(campaign: string, kind: DocKind, storageId: string): string {
  return kind === 'dmnotes' && storageId === dmNotesStorageId(campaign) ? campaign : storageId;
}

export function liveGuid(ref: LiveDocRef): string {
  return `${ref.campaign}/${ref.kind}/${ref.docId}`;
}
