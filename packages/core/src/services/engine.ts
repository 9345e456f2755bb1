/**
 * The engine behind the domain services: opens databases, finds where an entity lives, runs save points
 * (commits), resolves refs, and keeps projections current. One engine per `createCore`; no module state.
 */
import * as Y from 'yjs';
import { campaignDmOnlyParts } from '../docs/campaign-doc';
import {
  docVersion,
  isReadOnly,
  migrateDoc,
  rawJson,
  setWriteGuard,
  type DocMeta,
  type DocType,
  type EntityKind,
  type MigrationContext,
} from '../docs/doc-type';
import { createDmNotesDoc, editDmNotes } from '../docs/dmnotes-doc';
import type { TransactionOrigin } from '../docs/origin';
import { DOC_TYPES, type AnyDocType } from '../docs/registry';
import type { Json, JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { diffJson } from '../history/diff';
import { LiveRegistry } from '../live/registry';
import { dmNotesStorageId, docIdOf, liveGuid } from '../live/types';
import type { StorageBackend } from '../store/backend';
import {
  CampaignStore,
  type CampaignTx,
  type CommitChange,
  type CommitRow,
  type UpdateRow,
} from '../store/campaign-store';
import { DocSession } from '../store/doc-session';
import type { LibraryStore } from '../store/library-store';
import { accessFor, ROLES, type Role } from '../sync/permissions';

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const TAG_KINDS = [
  'label',
  'base',
  'level-up',
  'session-checkpoint',
  'theme-change',
  'death',
  'resurrection',
] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export const DEFAULT_BRANCH = 'main';
const BRANCH_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

export function checkName(what: 'branch' | 'tag', name: string): string {
  if (!BRANCH_RE.test(name) || name.includes('..') || name.endsWith('/')) {
    throw new CoreError(
      'invalid-input',
      `${what} "${name}": use letters, digits, ".", "_", "-" and "/" (up to 100 characters, starting with a letter or digit)`,
    );
  }
  return name;
}

export interface Located {
  store: CampaignStore;
  id: string;
  entity: EntityKind;
  type: AnyDocType;
  defaultBranch: string;
}

export interface CommitOptions {
  message: string;
  author?: string;
  extraParents?: string[];
  tags?: { name: string; kind: TagKind }[];
  /** Extra writes that must land in the same transaction as the commit. */
  inTransaction?: (tx: CampaignTx) => Promise<void>;
}

/** This data folder's membership of a shared campaign (no membership: the local owner, who writes all). */
export interface Membership {
  role: Role;
  user: string;
  owns: string[];
  relay?: string;
  token?: string;
}

export class Engine {
  private readonly stores = new Map<string, Promise<CampaignStore>>();
  /** The live documents (one open Y.Doc per entity live branch). */
  readonly live: LiveRegistry;

  constructor(
    readonly backend: StorageBackend,
    readonly library: LibraryStore,
    readonly clock: () => number,
    readonly ids: () => string,
    readonly log: Logger,
    readonly author: string,
    readonly compactEvery: number,
  ) {
    this.live = new LiveRegistry(this);
  }

  now(): number {
    return Math.floor(this.clock());
  }

  origin(kind: TransactionOrigin['kind'], author?: string): TransactionOrigin {
    return { kind, author: author ?? this.author } as TransactionOrigin;
  }

  async close(): Promise<void> {
    await this.live.close();
    const stores = await Promise.allSettled([...this.stores.values()]);
    this.stores.clear();
    for (const s of stores) if (s.status === 'fulfilled') await s.value.close();
    await this.library.close();
  }

  /** Open (once) the database of a campaign known to the library index. */
  campaignStore(campaignId: string): Promise<CampaignStore> {
    let p = this.stores.get(campaignId);
    if (!p) {
      p = (async () => {
        const row = await this.library.campaign(campaignId);
        if (!row)
          throw new CoreError('not-found', `campaign ${campaignId}: no such campaign in this data folder`);
        return CampaignStore.open(campaignId, this.backend.campaignFile(campaignId), this.now());
      })();
      this.stores.set(campaignId, p);
      p.catch(() => this.stores.delete(campaignId));
    }
    return p;
  }

  /** Register a store opened elsewhere (archive import). */
  adoptStore(store: CampaignStore): void {
    this.stores.set(store.campaignId, Promise.resolve(store));
  }

  async forgetStore(campaignId: string): Promise<void> {
    const p = this.stores.get(campaignId);
    this.stores.delete(campaignId);
    if (p) await (await p).close();
  }

  async locate(entityId: string, expect?: EntityKind): Promise<Located> {
    const home = await this.library.home(entityId);
    const what = expect ?? 'entity';
    if (!home) throw new CoreError('not-found', `${what} ${entityId}: not found in this data folder`);
    const store = await this.campaignStore(home.campaign_id);
    const row = await store.docRow(entityId);
    if (!row)
      throw new CoreError(
        'not-found',
        `${what} ${entityId}: indexed but missing from its campaign file (run rebuildProjections)`,
      );
    const entity = row.entity as EntityKind;
    if (expect && entity !== expect)
      throw new CoreError('not-found', `${expect} ${entityId}: that id is a ${entity}`);
    return { store, id: entityId, entity, type: DOC_TYPES[entity], defaultBranch: row.default_branch };
  }

  /**
   * Open a branch's working document. The default branch is the entity's live document, shared through the
   * live registry (`close()` releases it); other branches are private sessions.
   */
  async openBranch(loc: Located, branch: string): Promise<DocSession> {
    const session =
      branch === loc.defaultBranch ? await this.live.acquire(loc) : await this.loadBranch(loc, branch);
    try {
      // Every edit (`editDoc`) of a document this peer may only read is refused before anything changes.
      setWriteGuard(session.doc, await this.readOnlyReason(loc, session));
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  /** Open a branch to write it: refused (`read-only`) before anything changes when this peer may only read. */
  async openForWrite(loc: Located, branch?: string): Promise<DocSession> {
    const session = await this.openBranch(loc, branch ?? loc.defaultBranch);
    const reason = await this.readOnlyReason(loc, session);
    if (reason !== null) {
      session.close();
      throw new CoreError('read-only', reason);
    }
    return session;
  }

  /** Why this peer may not write the document (null: it may). */
  async readOnlyReason(loc: Located, session: DocSession): Promise<string | null> {
    if ((await this.access(loc)) === 'read') {
      const m = (await this.membership(loc.store.campaignId)) as Membership;
      const campaign = loc.store.campaignId;
      const docId = docIdOf(campaign, loc.entity, loc.id);
      return `${loc.entity} ${docId} (document ${liveGuid({ campaign, kind: loc.entity, docId })}): this data folder is a ${m.role} of campaign ${campaign} (user ${m.user}) and a ${m.role} may only read it; nothing was changed`;
    }
    const v = docVersion(session.doc);
    if (v > 0 && v < loc.type.currentVersion)
      return `${loc.entity} ${loc.id}: the document is at ${loc.entity}/${v} and only the campaign's DM migrates documents; it stays read-only here until the DM's peer updates it`;
    return null;
  }

  /**
   * Load a branch from its stored updates, migrating it first if it is older than the app. Doc migrations run on
   * the DM's peer only (or a local campaign): any other peer opens an old document as it is.
   */
  async loadBranch(loc: Located, branch: string, guid?: string): Promise<DocSession> {
    const b = await loc.store.branch(loc.id, branch);
    if (!b) throw new CoreError('not-found', `branch "${branch}": no such branch of ${loc.entity} ${loc.id}`);
    const session = await DocSession.open(loc.store, loc.id, branch, undefined, guid);
    try {
      const from = docVersion(session.doc);
      if (from > 0 && from < loc.type.currentVersion && (await this.migratesHere(loc))) {
        const context = await this.migrationContext(loc, session);
        const m = migrateDoc(loc.type, session.doc, context);
        if (m.from !== m.to) {
          this.log.info('migrated document', { id: loc.id, branch, from: m.from, to: m.to });
          await this.save(loc, session);
        }
      }
    } catch (err) {
      session.dispose();
      throw err;
    }
    return session;
  }

  private async migratesHere(loc: Located): Promise<boolean> {
    const m = await this.membership(loc.store.campaignId);
    return !m || m.role === 'dm';
  }

  /**
   * campaign/2 moves the DM-only parts of the campaign document into the campaign's `dmnotes` document: written
   * here first (created or merged), so a crash before the campaign step only repeats an idempotent merge.
   */
  private async migrationContext(loc: Located, session: DocSession): Promise<MigrationContext | undefined> {
    if (loc.entity !== 'campaign' || docVersion(session.doc) >= 2) return undefined;
    const json = rawJson(session.doc);
    const roster = (json['roster'] ?? {}) as Record<string, { entity?: string }>;
    const dmOnlyIds = new Set<string>();
    for (const [id, entry] of Object.entries(roster)) {
      if (entry?.entity !== 'character') continue;
      const home = await this.library.home(id);
      if (!home) continue;
      const store = await this.campaignStore(home.campaign_id);
      const row = await store.db
        .selectFrom('entities')
        .select('kind')
        .where('id', '=', id)
        .executeTakeFirst();
      if (row?.kind === 'npc' || row?.kind === 'monster') dmOnlyIds.add(id);
    }
    const parts = campaignDmOnlyParts(json, dmOnlyIds);
    const empty =
      Object.keys(parts.encounters).length === 0 &&
      Object.keys(parts.roster).length === 0 &&
      parts.secrets.length === 0;
    if (!empty)
      await this.mergeDmNotes(loc.store.campaignId, parts, 'campaign/2: DM-only parts of the campaign');
    return { dmOnlyIds };
  }

  /** Create the campaign's dmnotes document, or merge `parts` into it. */
  async mergeDmNotes(
    campaignId: string,
    parts: { encounters?: JsonObject; roster?: JsonObject; secrets?: Json[] },
    message: string,
  ): Promise<void> {
    const id = dmNotesStorageId(campaignId);
    if (!(await this.library.home(id))) {
      await this.createEntity(
        campaignId,
        'dmnotes',
        (doc, _id, createdAt) =>
          createDmNotesDoc(
            doc,
            {
              id: campaignId,
              createdAt,
              campaign: campaignId,
              content: {
                encounters: parts.encounters ?? {},
                roster: parts.roster ?? {},
                secrets: parts.secrets ?? [],
              },
            },
            this.origin('migration', 'loreforge'),
          ),
        { id, message },
      );
      return;
    }
    const loc = await this.locate(id, 'dmnotes');
    const session = await this.openBranch(loc, loc.defaultBranch);
    try {
      editDmNotes(
        session.doc,
        (json) => ({
          ...json,
          encounters: { ...((json['encounters'] ?? {}) as JsonObject), ...(parts.encounters ?? {}) },
          roster: { ...((json['roster'] ?? {}) as JsonObject), ...(parts.roster ?? {}) },
          secrets: [
            ...((json['secrets'] ?? []) as Json[]),
            ...(parts.secrets ?? []).filter((s) => !((json['secrets'] ?? []) as Json[]).includes(s)),
          ],
        }),
        this.origin('migration', 'loreforge'),
      );
      await this.save(loc, session);
    } finally {
      session.close();
    }
  }

  // ---- memberships and access --------------------------------------------------------------------------------

  async membership(campaignId: string): Promise<Membership | null> {
    const row = await this.library.db
      .selectFrom('memberships')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      role: row.role as Role,
      user: row.user,
      owns: JSON.parse(row.owns) as string[],
      ...(row.relay !== null ? { relay: row.relay } : {}),
      ...(row.token !== null ? { token: row.token } : {}),
    };
  }

  async setMembership(campaignId: string, m: Membership): Promise<void> {
    if (!(ROLES as readonly string[]).includes(m.role))
      throw new CoreError('invalid-input', `role: "${String(m.role)}" is not one of ${ROLES.join(', ')}`);
    if (typeof m.user !== 'string' || !m.user.trim())
      throw new CoreError('invalid-input', 'user: must not be empty');
    if (!Array.isArray(m.owns) || m.owns.some((o) => typeof o !== 'string'))
      throw new CoreError('invalid-input', 'owns: must be a list of document ids');
    const values = {
      campaign_id: campaignId,
      role: m.role,
      user: m.user,
      owns: JSON.stringify([...new Set(m.owns)]),
      relay: m.relay ?? null,
      token: m.token ?? null,
      updated_at: this.now(),
    };
    await this.library.db
      .insertInto('memberships')
      .values(values)
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
      .execute();
  }

  /** What this peer may do with a document: from the campaign membership (role, owns); none = local owner. */
  async access(loc: Located): Promise<'read' | 'write'> {
    const m = await this.membership(loc.store.campaignId);
    if (!m) return 'write';
    const docId = docIdOf(loc.store.campaignId, loc.entity, loc.id);
    return accessFor(m.role, loc.entity, docId, m.owns) === 'write' ? 'write' : 'read';
  }

  /**
   * Before creating a document in a shared campaign: a player may create what it then owns (its character,
   * journal or intents), which joins its membership's `owns`; anything else it may only read is refused.
   */
  async assertCanCreate(campaignId: string, entity: EntityKind, id: string): Promise<void> {
    const m = await this.membership(campaignId);
    if (!m) return;
    if (accessFor(m.role, entity, id, [...m.owns, id]) !== 'write') {
      throw new CoreError(
        'read-only',
        `new ${entity} in campaign ${campaignId}: this data folder is a ${m.role} (user ${m.user}) and a ${m.role} may not create one; nothing was changed`,
      );
    }
    if (!m.owns.includes(id) && m.role !== 'dm')
      await this.setMembership(campaignId, { ...m, owns: [...m.owns, id] });
  }

  /** Keep the library's campaign name in step with the campaign document (adopted and renamed campaigns). */
  async syncCampaignName(loc: Located, session: DocSession): Promise<void> {
    const name = rawJson(session.doc)['name'];
    if (typeof name !== 'string' || !name) return;
    await this.library.db
      .updateTable('campaigns')
      .set({ name })
      .where('id', '=', loc.store.campaignId)
      .where('name', '!=', name)
      .execute();
  }

  /** Persist a session's pending updates (no commit); compacts (by origin) when a branch has too many rows. */
  async save(loc: Located, session: DocSession): Promise<void> {
    if (!session.dirty) return;
    await loc.store.transaction(async (tx) => {
      await session.flush(this.now(), tx);
      if ((await loc.store.countUpdates(loc.id, session.branch, tx)) > this.compactEvery)
        await loc.store.compactUpdates(loc.id, session.branch, this.now(), tx);
      if (session.branch === loc.defaultBranch)
        await this.refreshProjection(loc.store, loc.id, tx, session.doc);
    });
  }

  /** Who changed what since the last save point, from the stored update rows' origins. */
  changesOf(rows: readonly UpdateRow[]): CommitChange[] {
    const base = rows.filter((r) => r.origin === 'compaction');
    const groups = new Map<string, { origin: string; author: string; parts: Uint8Array[] }>();
    for (const r of rows) {
      if (r.origin === 'compaction') continue;
      const key = `${r.origin}\u0000${r.author}`;
      const g = groups.get(key) ?? { origin: r.origin, author: r.author, parts: [] };
      g.parts.push(r.data);
      groups.set(key, g);
    }
    if (groups.size === 0) return [];
    const doc = new Y.Doc({ guid: 'changes' });
    try {
      if (base.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(base.map((r) => r.data)));
      let before = rawJson(doc);
      const out: CommitChange[] = [];
      for (const g of groups.values()) {
        Y.applyUpdate(doc, Y.mergeUpdates(g.parts));
        const after = rawJson(doc);
        const paths = diffJson(before, after).map((c) => c.path);
        out.push({ origin: g.origin, author: g.author, paths: paths.slice(0, 50) });
        before = after;
      }
      return out;
    } finally {
      doc.destroy();
    }
  }

  /** A save point: flush, store the full state as a commit, move the branch head, compact, refresh projections. */
  async commit(loc: Located, session: DocSession, opts: CommitOptions): Promise<string> {
    const id = this.ids();
    const ts = this.now();
    const author = opts.author ?? this.author;
    await loc.store.transaction(async (tx) => {
      if (opts.inTransaction) await opts.inTransaction(tx);
      await session.flush(ts, tx);
      // Another session of this branch may have saved since this one loaded: take its updates in first, so
      // the commit (and the compacted working state) loses nothing.
      const rows = await loc.store.loadUpdateRows(loc.id, session.branch, 0, tx);
      session.absorb(rows.map((r) => r.data));
      const changes = this.changesOf(rows);
      const state = session.state();
      const head = await loc.store.branch(loc.id, session.branch, tx);
      const parents = [...(head ? [head.head] : []), ...(opts.extraParents ?? [])];
      await loc.store.insertCommit(
        {
          id,
          doc_id: loc.id,
          branch: session.branch,
          parents,
          author,
          message: opts.message,
          ts,
          state,
          changes,
        },
        tx,
      );
      if (head) {
        await tx
          .updateTable('branches')
          .set({ head: id })
          .where('doc_id', '=', loc.id)
          .where('name', '=', session.branch)
          .execute();
      } else {
        await tx
          .insertInto('branches')
          .values({ doc_id: loc.id, name: session.branch, head: id, forked_from: null, created_at: ts })
          .execute();
      }
      await loc.store.replaceUpdates(loc.id, session.branch, state, ts, tx);
      for (const t of opts.tags ?? []) await this.insertTag(loc, t.name, id, t.kind, author, tx);
      if (session.branch === loc.defaultBranch)
        await this.refreshProjection(loc.store, loc.id, tx, session.doc);
    });
    return id;
  }

  async insertTag(
    loc: Located,
    name: string,
    commitId: string,
    kind: TagKind,
    author: string,
    tx: CampaignTx,
  ) {
    checkName('tag', name);
    const existing = await tx
      .selectFrom('tags')
      .select('commit_id')
      .where('doc_id', '=', loc.id)
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) throw new CoreError('conflict', `tag "${name}" already exists on ${loc.entity} ${loc.id}`);
    await tx
      .insertInto('tags')
      .values({ doc_id: loc.id, name, commit_id: commitId, kind, author, created_at: this.now() })
      .execute();
  }

  /** A tag name not used yet: `base`, else `base-2`, `base-3`… */
  async freeTagName(loc: Located, base: string): Promise<string> {
    const taken = new Set((await loc.store.tags(loc.id)).map((t) => t.name));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  async freeBranchName(loc: Located, base: string): Promise<string> {
    const taken = new Set((await loc.store.branches(loc.id)).map((b) => b.name));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  /** Create a new document and its first commit on `main`, in one transaction. */
  async createEntity(
    campaignId: string,
    entity: EntityKind,
    init: (doc: Y.Doc, id: string, createdAt: number) => void,
    opts: CommitOptions & { id?: string; adopted?: boolean },
  ): Promise<{ id: string; branch: string; commit: string }> {
    const store = await this.campaignStore(campaignId);
    const id = opts.id ?? this.ids();
    // A document adopted from the relay is created whatever this peer may write; anything else is checked.
    if (!opts.adopted) await this.assertCanCreate(campaignId, entity, id);
    const createdAt = this.now();
    const session = await DocSession.open(store, id, DEFAULT_BRANCH);
    try {
      init(session.doc, id, createdAt);
      const loc: Located = { store, id, entity, type: DOC_TYPES[entity], defaultBranch: DEFAULT_BRANCH };
      const { adopted: _a, ...commitOpts } = opts;
      const commit = await this.commit(loc, session, {
        ...commitOpts,
        inTransaction: async (tx) => {
          await tx
            .insertInto('docs')
            .values({ id, entity, default_branch: DEFAULT_BRANCH, created_at: createdAt })
            .execute();
        },
      });
      await this.library.setHome(id, campaignId, entity);
      return { id, branch: DEFAULT_BRANCH, commit };
    } finally {
      session.close();
    }
  }

  /** Resolve a branch name, tag name, full commit id or unique commit id prefix (≥ 4 characters). */
  async resolveRef(loc: Located, ref: string): Promise<{ commit: string; branch: string | null }> {
    const b = await loc.store.branch(loc.id, ref);
    if (b) return { commit: b.head, branch: b.name };
    const tag = await loc.store.db
      .selectFrom('tags')
      .select('commit_id')
      .where('doc_id', '=', loc.id)
      .where('name', '=', ref)
      .executeTakeFirst();
    if (tag) return { commit: tag.commit_id, branch: null };
    if (ref.length >= 4) {
      const rows = await loc.store.db
        .selectFrom('commits')
        .select('id')
        .where('doc_id', '=', loc.id)
        .where('id', 'like', `${ref.replace(/[%_]/g, '')}%`)
        .limit(2)
        .execute();
      if (rows.length === 1) return { commit: (rows[0] as { id: string }).id, branch: null };
      if (rows.length > 1)
        throw new CoreError('invalid-input', `ref "${ref}": ambiguous commit prefix; give more characters`);
    }
    throw new CoreError(
      'not-found',
      `ref "${ref}": no branch, tag or commit of ${loc.entity} ${loc.id} has that name`,
    );
  }

  async commitJson(loc: Located, commitId: string): Promise<JsonObject> {
    const state = await loc.store.commitState(loc.id, commitId);
    if (!state) throw new CoreError('not-found', `commit ${commitId}: not found in ${loc.entity} ${loc.id}`);
    const doc = DocSession.fromState(state);
    try {
      return rawJson(doc);
    } finally {
      doc.destroy();
    }
  }

  async commitRow(loc: Located, commitId: string): Promise<CommitRow> {
    const row = (await loc.store.commits(loc.id)).find((c) => c.id === commitId);
    if (!row) throw new CoreError('not-found', `commit ${commitId}: not found in ${loc.entity} ${loc.id}`);
    return row;
  }

  /** Commits reachable from `head`, newest first. */
  ancestry(commits: readonly CommitRow[], head: string): CommitRow[] {
    const byId = new Map(commits.map((c) => [c.id, c]));
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const p of byId.get(id)?.parents ?? []) stack.push(p);
    }
    return commits.filter((c) => seen.has(c.id)).sort((a, b) => b.ts - a.ts || b.seq - a.seq);
  }

  /**
   * A best common ancestor of two commits (null if the histories are unrelated): the common ancestor written
   * last. A parent is always stored before its children (larger `seq` for descendants), so that commit is not
   * an ancestor of any other common ancestor. Linear in the number of commits.
   */
  mergeBase(commits: readonly CommitRow[], a: string, b: string): string | null {
    const fromA = new Set(this.ancestry(commits, a).map((c) => c.id));
    let best: CommitRow | null = null;
    for (const c of this.ancestry(commits, b)) if (fromA.has(c.id) && (!best || c.seq > best.seq)) best = c;
    return best?.id ?? null;
  }

  /** Rewrite a document's index row and cross-references from its default branch. */
  async refreshProjection(
    store: CampaignStore,
    docId: string,
    tx: CampaignTx,
    doc?: Y.Doc,
    known?: { entity: EntityKind; defaultBranch: string; head: string },
  ): Promise<void> {
    const row = known
      ? { entity: known.entity, default_branch: known.defaultBranch }
      : await store.docRow(docId, tx);
    if (!row) return;
    const type = DOC_TYPES[row.entity as EntityKind];
    let own: DocSession | undefined;
    if (!doc) {
      own = await DocSession.open(store, docId, row.default_branch, tx);
      doc = own.doc;
    }
    try {
      const json = rawJson(doc);
      const branch = known ? { head: known.head } : await store.branch(docId, row.default_branch, tx);
      let name = docId;
      let kind: string | null = null;
      let refs: ReturnType<AnyDocType['references']> = [];
      const meta = json['meta'] as Partial<DocMeta> | undefined;
      if (!isReadOnly(type, doc)) {
        const parsed = (type as DocType<EntityKind, { meta: DocMeta }>).schema.safeParse(json);
        if (parsed.success) {
          ({ name, subkind: kind } = type.summarize(parsed.data));
          refs = type.references(parsed.data);
        } else {
          this.log.warn('projection: document does not match its schema', { docId });
        }
      }
      const values = {
        id: docId,
        entity: row.entity,
        kind,
        name,
        default_branch: row.default_branch,
        head: branch?.head ?? null,
        schema_version: typeof meta?.schemaVersion === 'number' ? meta.schemaVersion : 0,
        updated_at: this.now(),
      };
      await tx
        .insertInto('entities')
        .values(values)
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
      await tx.deleteFrom('xrefs').where('from_id', '=', docId).execute();
      const unique = new Map(refs.map((r) => [`${r.to}|${r.relation}|${r.via ?? ''}`, r]));
      if (unique.size > 0) {
        await tx
          .insertInto('xrefs')
          .values(
            [...unique.values()].map((r) => ({
              from_id: docId,
              to_id: r.to,
              relation: r.relation,
              via: r.via ?? '',
            })),
          )
          .execute();
      }
    } finally {
      own?.close();
    }
  }

  /** Drop and rebuild every projection (entity rows, cross-references, entity homes) from the documents. */
  async rebuildProjections(): Promise<{ campaigns: number; entities: number; xrefs: number }> {
    // Projections are rebuilt from what is stored: store the open live documents' pending updates first.
    await this.live.flush();
    let entities = 0;
    let xrefs = 0;
    const campaigns = await this.library.campaigns();
    // Homes are replaced campaign by campaign, each in one library transaction, so a failure part-way leaves
    // every campaign either fully rebuilt or as it was (never unfindable).
    for (const c of campaigns) {
      const store = await this.campaignStore(c.id);
      const docs = await store.listDocs();
      await store.transaction(async (tx) => {
        await tx.deleteFrom('entities').execute();
        await tx.deleteFrom('xrefs').execute();
        for (const d of docs) await this.refreshProjection(store, d.id, tx);
      });
      await this.library.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('entity_homes').where('campaign_id', '=', c.id).execute();
        if (docs.length === 0) return;
        await trx
          .insertInto('entity_homes')
          .values(docs.map((d) => ({ entity_id: d.id, campaign_id: c.id, entity: d.entity })))
          .onConflict((oc) =>
            oc.column('entity_id').doUpdateSet((eb) => ({
              campaign_id: eb.ref('excluded.campaign_id'),
              entity: eb.ref('excluded.entity'),
            })),
          )
          .execute();
      });
      entities += docs.length;
      xrefs += Number(
        (
          await store.db
            .selectFrom('xrefs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    }
    // Homes pointing at campaigns that no longer exist.
    const known = campaigns.map((c) => c.id);
    let orphans = this.library.db.deleteFrom('entity_homes');
    if (known.length > 0) orphans = orphans.where('campaign_id', 'not in', known);
    await orphans.execute();
    return { campaigns: campaigns.length, entities, xrefs };
  }
}
