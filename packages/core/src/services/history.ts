/**
 * Git-like history for every entity: commits are explicit save points holding the full Yjs state; branches are
 * named heads whose documents fork from a commit's state and keep the shared Yjs history, so a merge is the CRDT
 * merge of the other branch's state. Diffs and conflict reports work on the documents' JSON views.
 */
import * as Y from 'yjs';
import { editDoc, rawJson } from '../docs/doc-type';
import type { Json, JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { diffJson, findConflicts, summarizeChanges, type Change, type MergeConflict } from '../history/diff';
import type { CommitChange } from '../store/campaign-store';
import { DocSession } from '../store/doc-session';
import { checkName, TAG_KINDS, type Engine, type Located, type TagKind } from './engine';

export interface LogEntry {
  commit: string;
  parents: string[];
  branch: string;
  message: string;
  author: string;
  timestamp: number;
  tags: string[];
  /**
   * Who changed what since the previous save point (from the stored updates' origins: `local-user`, `llm`,
   * `import`, `remote:<user>`…), with the JSON paths each touched; empty for commits made before live history.
   */
  changes: CommitChange[];
}

export interface BranchInfo {
  name: string;
  head: string;
  forkedFrom: string | null;
  isDefault: boolean;
}

export interface HistoryService {
  /** Commit the working state of a branch (default: the entity's default branch). */
  commit(
    id: string,
    opts: { branch?: string; message: string; author?: string },
  ): Promise<{ commit: string }>;
  log(id: string, opts?: { branch?: string }): Promise<LogEntry[]>;
  branches(id: string): Promise<BranchInfo[]>;
  /** Fork a new branch from a ref (default: the default branch's head). */
  branch(id: string, name: string, opts?: { from?: string }): Promise<{ branch: string; commit: string }>;
  setDefaultBranch(id: string, name: string): Promise<void>;
  diff(id: string, refA: string, refB: string): Promise<{ changes: Change[]; summary: string }>;
  merge(
    id: string,
    from: string,
    opts?: { into?: string; author?: string; message?: string },
  ): Promise<{ commit: string; conflicts: MergeConflict[] }>;
  tag(
    id: string,
    name: string,
    opts?: { ref?: string; kind?: TagKind; author?: string },
  ): Promise<{ tag: string; commit: string; kind: TagKind }>;
  /** Changes stored on a branch since its last save point (not committed yet), by origin and author. */
  uncommitted(id: string, opts?: { branch?: string }): Promise<CommitChange[]>;
  /**
   * Write the state of `ref` into the live branch as ordinary operations (so they sync) and commit it; the
   * history is kept (nothing is rewound).
   */
  revert(id: string, ref: string, opts?: { author?: string; message?: string }): Promise<{ commit: string }>;
  /** The JSON view of the document at a ref (a branch's working state, or a commit). */
  checkout(id: string, ref: string): Promise<{ commit: string; branch: string | null; json: JsonObject }>;
}

export async function refJson(engine: Engine, loc: Located, ref: string) {
  const r = await engine.resolveRef(loc, ref);
  if (r.branch !== null) {
    const s = await engine.openBranch(loc, r.branch);
    try {
      return { ...r, json: rawJson(s.doc) };
    } finally {
      s.close();
    }
  }
  return { ...r, json: await engine.commitJson(loc, r.commit) };
}

export function createHistoryService(engine: Engine): HistoryService {
  const branchOf = (loc: Located, b?: string) => b ?? loc.defaultBranch;

  return {
    async commit(id, opts) {
      const loc = await engine.locate(id);
      const session = await engine.openBranch(loc, branchOf(loc, opts.branch));
      try {
        const commit = await engine.commit(loc, session, {
          message: opts.message,
          ...(opts.author !== undefined ? { author: opts.author } : {}),
        });
        return { commit };
      } finally {
        session.close();
      }
    },

    async log(id, opts = {}) {
      const loc = await engine.locate(id);
      const name = branchOf(loc, opts.branch);
      const b = await loc.store.branch(id, name);
      if (!b) throw new CoreError('not-found', `branch "${name}": no such branch of ${loc.entity} ${id}`);
      const commits = await loc.store.commits(id);
      const tags = await loc.store.tags(id);
      const changes = await loc.store.commitChanges(id);
      return engine.ancestry(commits, b.head).map((c) => ({
        commit: c.id,
        parents: c.parents,
        branch: c.branch,
        message: c.message,
        author: c.author,
        timestamp: c.ts,
        tags: tags.filter((t) => t.commit_id === c.id).map((t) => t.name),
        changes: changes.get(c.id) ?? [],
      }));
    },

    async uncommitted(id, opts = {}) {
      const loc = await engine.locate(id);
      const name = branchOf(loc, opts.branch);
      if (!(await loc.store.branch(id, name)))
        throw new CoreError('not-found', `branch "${name}": no such branch of ${loc.entity} ${id}`);
      // Pending updates of an open live document are stored first.
      if (name === loc.defaultBranch) await engine.live.flush();
      return engine.changesOf(await loc.store.loadUpdateRows(id, name, 0));
    },

    async revert(id, ref, opts = {}) {
      const loc = await engine.locate(id);
      const target = await refJson(engine, loc, ref);
      const session = await engine.openForWrite(loc);
      try {
        const author = opts.author ?? engine.author;
        editDoc(loc.type, session.doc, () => target.json, { kind: 'local-user', author });
        const commit = await engine.commit(loc, session, {
          message: opts.message ?? `revert to ${ref}`,
          author,
        });
        return { commit };
      } finally {
        session.close();
      }
    },

    async branches(id) {
      const loc = await engine.locate(id);
      return (await loc.store.branches(id)).map((b) => ({
        name: b.name,
        head: b.head,
        forkedFrom: b.forked_from,
        isDefault: b.name === loc.defaultBranch,
      }));
    },

    async branch(id, name, opts = {}) {
      checkName('branch', name);
      const loc = await engine.locate(id);
      if (await loc.store.branch(id, name)) {
        throw new CoreError('conflict', `branch "${name}" already exists on ${loc.entity} ${id}`);
      }
      const { commit } = await engine.resolveRef(loc, opts.from ?? loc.defaultBranch);
      const state = await loc.store.commitState(id, commit);
      if (!state) throw new CoreError('not-found', `commit ${commit}: not found`);
      const ts = engine.now();
      await loc.store.transaction(async (tx) => {
        await tx
          .insertInto('branches')
          .values({ doc_id: id, name, head: commit, forked_from: commit, created_at: ts })
          .execute();
        await loc.store.replaceUpdates(id, name, state, ts, tx);
      });
      return { branch: name, commit };
    },

    async setDefaultBranch(id, name) {
      const loc = await engine.locate(id);
      if (!(await loc.store.branch(id, name)))
        throw new CoreError('not-found', `branch "${name}": no such branch of ${loc.entity} ${id}`);
      // While someone holds the live document (the UI, sync), it only moves to a branch that already has all it
      // shows (e.g. main after a draft was merged into it): the extra operations reach the holders as updates.
      // Anything else is refused: merge the branch or revert to it (operations that sync) instead.
      if (name !== loc.defaultBranch) await engine.live.switchBranch(loc, name);
      await loc.store.transaction(async (tx) => {
        await tx.updateTable('docs').set({ default_branch: name }).where('id', '=', id).execute();
        await engine.refreshProjection(loc.store, id, tx);
      });
    },

    async diff(id, refA, refB) {
      const loc = await engine.locate(id);
      const a = await refJson(engine, loc, refA);
      const b = await refJson(engine, loc, refB);
      const changes = diffJson(a.json, b.json);
      return { changes, summary: summarizeChanges(changes) };
    },

    async merge(id, from, opts = {}) {
      const loc = await engine.locate(id);
      const into = branchOf(loc, opts.into);
      if (from === into)
        throw new CoreError('invalid-input', `merge: cannot merge branch "${from}" into itself`);
      const theirsBranch = await loc.store.branch(id, from);
      if (!theirsBranch)
        throw new CoreError('not-found', `branch "${from}": no such branch of ${loc.entity} ${id}`);
      const session = await engine.openForWrite(loc, into);
      try {
        const oursHead = (await loc.store.branch(id, into))?.head as string;
        const commits = await loc.store.commits(id);
        const baseId = engine.mergeBase(commits, oursHead, theirsBranch.head);
        const base: Json = baseId ? await engine.commitJson(loc, baseId) : {};
        const ours = rawJson(session.doc);
        const theirsState = await loc.store.commitState(id, theirsBranch.head);
        if (!theirsState) throw new CoreError('not-found', `commit ${theirsBranch.head}: not found`);
        const theirsDoc = DocSession.fromState(theirsState);
        const theirs = rawJson(theirsDoc);
        theirsDoc.destroy();
        const author = opts.author ?? engine.author;
        session.applyUpdate(Y.diffUpdate(theirsState, Y.encodeStateVector(session.doc)), {
          kind: 'local-user',
          author,
        });
        const merged = rawJson(session.doc);
        const parsed = loc.type.schema.safeParse(merged);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new CoreError(
            'doc-invalid',
            `merge of "${from}" into "${into}" gives an invalid ${loc.entity} at /${issue?.path.join('/') ?? ''}: ${issue?.message ?? ''}; nothing was saved`,
          );
        }
        const conflicts = findConflicts(base, ours, theirs, merged);
        const commit = await engine.commit(loc, session, {
          message: opts.message ?? `merge ${from} into ${into}`,
          author,
          extraParents: [theirsBranch.head],
        });
        return { commit, conflicts };
      } finally {
        session.close();
      }
    },

    async tag(id, name, opts = {}) {
      const kind = opts.kind ?? 'label';
      if (!(TAG_KINDS as readonly string[]).includes(kind)) {
        throw new CoreError(
          'invalid-input',
          `tag kind "${String(kind)}": expected one of ${TAG_KINDS.join(', ')}`,
        );
      }
      const loc = await engine.locate(id);
      const { commit } = await engine.resolveRef(loc, opts.ref ?? loc.defaultBranch);
      await loc.store.transaction((tx) =>
        engine.insertTag(loc, name, commit, kind, opts.author ?? engine.author, tx),
      );
      return { tag: name, commit, kind };
    },

    async checkout(id, ref) {
      const loc = await engine.locate(id);
      return refJson(engine, loc, ref);
    },
  };
}
