/**
 * Syncs a set of (docName → Y.Doc) pairs with one relay under one token. Documents the token cannot read are
 * refused up front; documents it can only read get a read-only provider.
 */
import type * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { parseDocName } from './doc-names';
import { SyncInputError } from './errors';
import { accessFor, type Access } from './permissions';
import { SyncProvider, type SyncProviderOptions, type SyncStatus, type SyncStatusEvent } from './provider';
import { readRelayTokenClaims, type RelayTokenClaims } from './token';

export type SyncManagerOptions = Omit<
  SyncProviderOptions,
  'docName' | 'doc' | 'readOnly' | 'awareness' | 'remoteOrigin'
>;

export class SyncManager {
  readonly claims: RelayTokenClaims;
  private readonly opts: SyncManagerOptions;
  private readonly providers = new Map<string, SyncProvider>();
  private readonly listeners = new Set<(e: SyncStatusEvent) => void>();

  constructor(opts: SyncManagerOptions) {
    this.opts = opts;
    this.claims = readRelayTokenClaims(opts.token);
  }

  /** What this manager's token allows on `docName` (`none` for another campaign). */
  accessOf(docName: string): Access {
    const { campaign, kind, docId } = parseDocName(docName);
    if (campaign !== this.claims.campaign) return 'none';
    return accessFor(this.claims.role, kind, docId, this.claims.owns);
  }

  /** Start syncing `doc` as `docName`. Throws `SyncInputError` if the token may not read it or it is added twice. */
  add(docName: string, doc: Y.Doc, extra: { awareness?: awarenessProtocol.Awareness } = {}): SyncProvider {
    const access = this.accessOf(docName);
    if (access === 'none') {
      throw new SyncInputError(
        'docName',
        `${docName} is not readable with role ${this.claims.role} in campaign ${this.claims.campaign}`,
      );
    }
    if (this.providers.has(docName)) throw new SyncInputError('docName', `${docName} is already synced`);
    const provider = new SyncProvider({
      ...this.opts,
      docName,
      doc,
      readOnly: access === 'read',
      ...(extra.awareness ? { awareness: extra.awareness } : {}),
    });
    provider.onStatus((e) => {
      for (const cb of [...this.listeners]) cb(e);
    });
    this.providers.set(docName, provider);
    return provider;
  }

  remove(docName: string): void {
    this.providers.get(docName)?.destroy();
    this.providers.delete(docName);
  }

  get(docName: string): SyncProvider | undefined {
    return this.providers.get(docName);
  }

  docNames(): string[] {
    return [...this.providers.keys()];
  }

  statuses(): Record<string, SyncStatus> {
    return Object.fromEntries([...this.providers].map(([name, p]) => [name, p.status]));
  }

  onStatus(cb: (e: SyncStatusEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Resolves when every added document has synced once (since its last connect). */
  async whenSynced(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.whenSynced()));
  }

  connectAll(): void {
    for (const p of this.providers.values()) p.connect();
  }

  disconnectAll(): void {
    for (const p of this.providers.values()) p.disconnect();
  }

  destroy(): void {
    for (const p of this.providers.values()) p.destroy();
    this.providers.clear();
    this.listeners.clear();
  }
}
