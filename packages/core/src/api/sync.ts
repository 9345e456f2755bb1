/**
 * Campaign sync over the relay, on the store's live documents. Every document of a shared campaign that the
 * token may read is attached to the relay as itself (the live `Y.Doc` of `core.live`), so the y-protocols sync
 * steps send each side what it lacks: offline edits on either side merge, there is no mirror document, no
 * merge base, no id map. A joiner adopts the relay's documents under their ids (`core.live.adopt`), so the
 * campaign id, entity ids and Yjs history are the same on every peer.
 *
 * Updates from the relay are applied with one `{ kind: 'remote', author }` origin object per connection (object
 * identity), so the provider never echoes them and the store records them as `remote:<author>` without
 * committing. See `packages/core/CONTEXT.md` (## Sync).
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Core } from '../core';
import type { LiveDocRef, LiveHandle } from '../live/types';
import { rawJson } from '../docs/doc-type';
import type { TransactionOrigin } from '../docs/origin';
import { CoreError } from '../errors';
import type { Logger } from '../services/engine';
import { docName, isDocKind, tryParseDocName } from '../sync/doc-names';
import { SyncInputError } from '../sync/errors';
import { createInvite, decodeInvite, encodeInvite } from '../sync/invite';
import { accessFor } from '../sync/permissions';
import { MuxSyncProvider } from '../sync/mux-provider';
import type { SyncStatus, SyncStatusEvent } from '../sync/provider';
import { createRelayToken, readRelayTokenClaims, type RelayTokenClaims } from '../sync/token';
import type { EventBus } from './events';
import type { SettingsStore } from './settings';

const INVITE_TTL_SECONDS = 30 * 24 * 3600;
/** How often a session looks for documents another process added to the data folder. */
const LOCAL_LIST_MS = 2000;
/** Relay reads run this many at a time when a session starts. */
const PARALLEL = 16;

// ---------------------------------------------------------------------------------------------------------
// Transport: one multiplexed WebSocket per campaign (`MuxSyncProvider`).

interface Transport {
  /** The origin of every update applied from the relay (one object for the whole connection). */
  readonly origin: TransactionOrigin;
  attach(
    name: string,
    doc: Y.Doc,
    opts: { readOnly: boolean; awareness?: awarenessProtocol.Awareness },
  ): void;
  names(): string[];
  /** Resolves once `name` has synced since its last connect; rejects when refused or on a fatal error. */
  whenSynced(name: string): Promise<void>;
  /** The relay's current state of a document (empty when it holds none), read without writing. */
  fetch(name: string): Promise<Uint8Array>;
  /** Resolves once the relay's copies cover all of each document (fresh reads on a second connection). */
  confirm(docs: readonly (readonly [string, Y.Doc])[], deadline: number): Promise<void>;
  /** Documents the relay says it holds for this token (the whole list on connect, then each new one). */
  listed(): string[];
  onDocs(cb: (names: string[]) => void): () => void;
  status(): SyncStatus;
  onStatus(cb: (e: SyncStatusEvent) => void): () => void;
  disconnect(): void;
  destroy(): void;
}

function muxTransport(relayUrl: string, token: string, origin: TransactionOrigin): Transport {
  const mux = new MuxSyncProvider({ relayUrl, token, remoteOrigin: origin });
  const refusal = (name: string, err: unknown) => {
    const doc = mux.docStatus(name);
    if (doc?.status === 'refused')
      return new CoreError(
        'invalid-input',
        `token: the relay refused ${name} (${doc.code} ${doc.reason ?? ''})`.trim(),
      );
    return err instanceof Error ? err : new Error(String(err));
  };
  return {
    origin,
    attach(name, doc, { readOnly, awareness }) {
      if (mux.docStatus(name)) return;
      mux.attach(name, doc, { readOnly, create: !readOnly, ...(awareness ? { awareness } : {}) });
    },
    names: () => mux.attachedDocs(),
    whenSynced: (name) => mux.whenDocSynced(name).catch((err: unknown) => Promise.reject(refusal(name, err))),
    async fetch(name) {
      const scratch = new Y.Doc();
      mux.attach(name, scratch, { readOnly: true, create: false });
      try {
        await mux.whenDocSynced(name).catch((err: unknown) => {
          // The relay holds no such document (a reader gets no room for one nobody wrote): it reads as empty.
          if (mux.docStatus(name)?.code === 404) return;
          throw refusal(name, err);
        });
        return Y.encodeStateAsUpdate(scratch);
      } finally {
        mux.detach(name);
        scratch.destroy();
      }
    },
    async confirm(docs, deadline) {
      const wanted = docs.filter(([, doc]) => svOf(doc).size > 0);
      if (wanted.length === 0) return;
      const probe = new MuxSyncProvider({ relayUrl, token, remoteOrigin: {} });
      const copies = wanted.map(([name, doc]) => {
        const copy = new Y.Doc();
        probe.attach(name, copy, { readOnly: true, create: false });
        return { name, ours: svOf(doc), copy };
      });
      try {
        for (;;) {
          const missing = copies.filter((c) => ahead(c.ours, svOf(c.copy)));
          if (missing.length === 0) return;
          if (Date.now() > deadline)
            throw new CoreError(
              'conflict',
              `relayUrl: ${relayUrl} did not confirm ${missing[0]?.name} (and ${missing.length - 1} more) before the timeout`,
            );
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        probe.destroy();
        for (const c of copies) c.copy.destroy();
      }
    },
    listed: () => mux.docs(),
    onDocs: (cb) => mux.onDocs(cb),
    status: () => mux.status,
    onStatus: (cb) => mux.onStatus(cb),
    disconnect: () => mux.disconnect(),
    destroy: () => mux.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Whether an update holds anything a state vector lacks. */
function lacks(update: Uint8Array, sv: Map<number, number>): boolean {
  return ahead(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)), sv);
}
/** Whether state vector `a` has anything `b` lacks. */
function ahead(a: Map<number, number>, b: Map<number, number>): boolean {
  for (const [client, clock] of a) if ((b.get(client) ?? 0) < clock) return true;
  return false;
}
const svOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
const emptyUpdate = (u: Uint8Array) => Y.decodeStateVector(Y.encodeStateVectorFromUpdate(u)).size === 0;

/** Run `fn` over `items`, `limit` at a time; every item runs, the first error is rethrown at the end. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  let first: unknown;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        first ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (first !== undefined) throw first;
}

function withTimeout<T>(p: Promise<T>, ms: number | undefined, onTimeout: () => Error): Promise<T> {
  if (ms === undefined) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface SyncConnectSummary {
  /** The campaign id (the same on the relay and on every peer). */
  campaign: string;
  role: string;
  /** Whether this data folder hosts the campaign (had it before, as its own or as its DM); false for joiners. */
  host: boolean;
  /** Documents attached to the relay. */
  docs: number;
  /** Of those, characters. */
  characters: number;
  /** Documents holding changes the relay did not have when attached (or changed here since). */
  pushed: number;
  /** Documents that received changes from the relay (adopted ones included). */
  pulled: number;
  /** Documents adopted from the relay into this data folder. */
  adopted: number;
}

/** A live link made by `SyncHub.connect`. */
export interface SyncConnection {
  readonly campaign: string;
  readonly role: string;
  readonly host: boolean;
  /**
   * Resolves once the campaign is in this data folder and every document the token may read is attached and
   * synced once. Rejects with a `CoreError` naming `token` when the relay refuses the token or holds no such
   * campaign, or `relayUrl` after `timeoutMs` without a sync (omit it to wait as long as it takes).
   */
  ready(opts?: { timeoutMs?: number }): Promise<void>;
  /** Attach documents made since (locally, or announced by the relay). */
  refresh(): Promise<void>;
  /**
   * Wait until the relay holds everything this side wrote (a fresh read of each writable document), then
   * close the connections. Rejects naming `relayUrl` after `timeoutMs`.
   */
  flush(opts?: { timeoutMs?: number }): Promise<SyncConnectSummary>;
  summary(): SyncConnectSummary;
  close(): void;
}

export interface SyncStatusView {
  relayUrl: string;
  campaigns: {
    campaign: string;
    name: string;
    host: boolean;
    role: string;
    status: string;
    docs: number;
    characters: number;
  }[];
}

export interface SyncHub {
  share(input: {
    campaign: string;
    user: string;
    role: 'dm' | 'player' | 'spectator';
    owns: string[];
  }): Promise<{ invite: string }>;
  /** Join from an invite: the relay's campaign is adopted under its own id. */
  join(input: { invite: string }): Promise<{ campaign: string }>;
  /**
   * Link a campaign headlessly from a relay token alone. `campaign`, when given, must be the token's campaign
   * and exist here (the host); without it the token's campaign is used, adopted from the relay when absent.
   */
  connect(input: { relayUrl: string; token: string; campaign?: string }): Promise<SyncConnection>;
  status(): SyncStatusView;
  /** Call after a local change to an entity: attaches it if it became shareable (e.g. an NPC made a pc). */
  localChanged(entityId: string): Promise<void>;
  /**
   * Who is online at each live-play session of `campaign` (Yjs awareness on its `session` document, through the
   * relay). Others are named by the relay's stamp (`relay: { user, role }`), never by what a client claims.
   */
  presence(campaign: string): PresenceView;
  close(): void;
}

export interface PresenceEntry {
  user: string;
  role: string;
  /** Characters this user plays (from their token's `owns`), to tell whose turn it is. */
  characters: string[];
  self: boolean;
}

export interface PresenceView {
  campaign: string;
  sessions: { session: string; online: PresenceEntry[] }[];
}

/** The users present on one session document: this peer first, then the others the relay stamped, by user. */
export function presenceOf(
  awareness: awarenessProtocol.Awareness,
  self: { user: string; role: string; owns: readonly string[] },
): PresenceEntry[] {
  const byUser = new Map<string, PresenceEntry>();
  byUser.set(self.user, { user: self.user, role: self.role, characters: [...self.owns], self: true });
  for (const [id, state] of awareness.getStates()) {
    if (id === awareness.clientID) continue;
    const relay = (state as { relay?: unknown }).relay;
    if (!relay || typeof relay !== 'object') continue;
    const { user, role } = relay as { user?: unknown; role?: unknown };
    if (typeof user !== 'string' || typeof role !== 'string' || byUser.has(user)) continue;
    const owns = (state as { characters?: unknown }).characters;
    const characters = Array.isArray(owns) ? owns.filter((c): c is string => typeof c === 'string') : [];
    byUser.set(user, { user, role, characters, self: false });
  }
  return [...byUser.values()];
}

interface Attached {
  ref: LiveDocRef;
  handle: LiveHandle;
  readOnly: boolean;
  off: () => void;
  /** Presence on a `session` document. */
  awareness?: awarenessProtocol.Awareness;
}

interface Session {
  campaign: string;
  relayUrl: string;
  token: string;
  claims: RelayTokenClaims;
  host: boolean;
  name: string;
  transport: Transport;
  attached: Map<string, Attached>;
  /** Names whose relay copy was empty when last looked at (nothing to adopt yet). */
  absent: Set<string>;
  /** Names being read or adopted right now. */
  inflight: Set<string>;
  /** Attached documents the relay refused, with its reason. */
  refused: Map<string, string>;
  pushed: Set<string>;
  pulled: Set<string>;
  adopted: Set<string>;
  status: SyncStatus;
  lastProblem: SyncStatusEvent | undefined;
  closed: boolean;
  /** Serialises attach passes. */
  chain: Promise<unknown>;
  offs: (() => void)[];
}

export function createSyncHub(deps: {
  core: Core;
  dataDir: string | null;
  settings: SettingsStore;
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** Reopen campaigns whose membership names a relay and token (default true; the headless CLI passes false). */
  reopen?: boolean;
}): SyncHub {
  const sessions = new Map<string, Session>();

  /** Whether this peer shares `ref` through the relay at all, and how. */
  function plan(
    s: Session,
    ref: LiveDocRef,
    handle: LiveHandle | undefined,
  ): { sync: false } | { sync: true; readOnly: boolean } {
    const token = accessFor(s.claims.role, ref.kind, ref.docId, s.claims.owns);
    // A player may create a journal or intents document; the relay records the creator as its owner.
    const creator =
      s.claims.role === 'player' &&
      (ref.kind === 'journal' || ref.kind === 'intents') &&
      handle?.access === 'write';
    if (token === 'none' && !creator) return { sync: false };
    // NPCs and monsters stay with the DM; one the DM turns into a player character (`kind: pc`) is shared.
    if (ref.kind === 'character' && handle) {
      const kind = rawJson(handle.doc)['kind'];
      if (kind !== undefined && kind !== 'pc') return { sync: false };
    }
    const readOnly = creator ? false : token === 'read' || handle?.access === 'read';
    return { sync: true, readOnly };
  }

  function emitStatus(s: Session, detail: string) {
    const next = s.transport.status();
    if (next === s.status) return;
    s.status = next;
    deps.bus.emit('sync.status', { campaign: s.campaign, status: next, detail });
  }

  function attachHandle(s: Session, handle: LiveHandle, readOnly: boolean, name: string) {
    const origin = s.transport.origin;
    const onUpdate = (_u: Uint8Array, o: unknown) => {
      // The app hears of remote changes through the live change feed (handlers turn it into events).
      if (o === origin) s.pulled.add(name);
      else if (!readOnly) s.pushed.add(name);
    };
    handle.doc.on('update', onUpdate);
    // Presence rides on the session document: who is at this table (the relay stamps user and role).
    let awareness: awarenessProtocol.Awareness | undefined;
    let offPresence = () => {};
    if (handle.ref.kind === 'session') {
      const aw = new awarenessProtocol.Awareness(handle.doc);
      aw.setLocalState({ characters: [...s.claims.owns] });
      const onChange = () =>
        deps.bus.emit('sync.presence', { campaign: s.campaign, session: handle.ref.docId });
      aw.on('change', onChange);
      awareness = aw;
      offPresence = () => {
        aw.off('change', onChange);
        awarenessProtocol.removeAwarenessStates(aw, [aw.clientID], 'close');
        aw.destroy();
      };
    }
    s.attached.set(name, {
      ref: handle.ref,
      handle,
      readOnly,
      off: () => {
        handle.doc.off('update', onUpdate);
        offPresence();
      },
      ...(awareness ? { awareness } : {}),
    });
    s.transport.attach(name, handle.doc, { readOnly, ...(awareness ? { awareness } : {}) });
  }

  /**
   * Bring one document in: read the relay's copy, adopt it when this data folder lacks the document, merge it
   * into the live document otherwise, and attach the live document.
   */
  async function bringIn(s: Session, ref: LiveDocRef, local: boolean): Promise<void> {
    const live = deps.core.live;
    const name = docName(ref.campaign, ref.kind, ref.docId);
    // One bring-in per document at a time (the relay's list and the roster may both name it).
    if (s.attached.has(name) || s.closed || s.inflight.has(name)) return;
    s.inflight.add(name);
    let handle: LiveHandle | undefined;
    try {
      if (local) {
        handle = await live.open(ref);
        const p = plan(s, ref, handle);
        if (!p.sync) {
          handle.release();
          return;
        }
        // A document this player created and the relay does not know yet cannot be read before it is written.
        const tokenReads = accessFor(s.claims.role, ref.kind, ref.docId, s.claims.owns) !== 'none';
        if (tokenReads) {
          const remote = await s.transport.fetch(name);
          if (lacks(remote, svOf(handle.doc))) {
            Y.applyUpdate(handle.doc, remote, s.transport.origin);
            s.pulled.add(name);
          }
          const theirs = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(remote));
          if (p.readOnly && theirs.size === 0) {
            // Only readable here and the relay holds none: nothing to sync until someone who may write sends it.
            s.absent.add(name);
            return;
          }
          if (!p.readOnly && ahead(svOf(handle.doc), theirs)) s.pushed.add(name);
        } else if (!p.readOnly) s.pushed.add(name);
        if (s.closed || s.attached.has(name)) return handle.release();
        attachHandle(s, handle, p.readOnly, name);
        handle = undefined;
        return;
      }
      if (plan(s, ref, undefined).sync === false) return;
      const remote = await s.transport.fetch(name);
      if (emptyUpdate(remote)) {
        s.absent.add(name);
        return;
      }
      s.absent.delete(name);
      handle = await deps.core.live.adopt(ref, remote, s.transport.origin);
      s.adopted.add(name);
      s.pulled.add(name);
      const p = plan(s, ref, handle);
      if (!p.sync || s.closed || s.attached.has(name)) return;
      attachHandle(s, handle, p.readOnly, name);
      handle = undefined;
    } finally {
      s.inflight.delete(name);
      handle?.release();
    }
  }

  /** Documents the relay holds for this campaign: its list for this token, plus the campaign roster's. */
  function announced(s: Session): LiveDocRef[] {
    const refs: LiveDocRef[] = [];
    for (const name of s.transport.listed()) {
      const parts = tryParseDocName(name);
      if (parts && parts.campaign === s.campaign && parts.kind !== 'campaign') refs.push(parts);
    }
    const a = s.attached.get(docName(s.campaign, 'campaign', s.campaign));
    if (!a) return refs;
    const roster = rawJson(a.handle.doc)['roster'];
    if (roster && typeof roster === 'object' && !Array.isArray(roster)) {
      for (const [id, entry] of Object.entries(roster)) {
        const kind = (entry as { entity?: unknown } | null)?.entity;
        if (isDocKind(kind) && kind !== 'campaign') refs.push({ campaign: s.campaign, kind, docId: id });
      }
    }
    return refs;
  }

  /** One attach pass: every local document of the campaign, then every document the relay announces. */
  function pass(s: Session, opts: { retryAbsent?: boolean } = {}): Promise<void> {
    const run = async () => {
      if (s.closed) return;
      const live = deps.core.live;
      const locals = await live.list(s.campaign);
      const known = new Set(locals.map((r) => docName(r.campaign, r.kind, r.docId)));
      const listed = new Set(s.transport.listed());
      // A local document the relay lacked and this peer may only read waits until the relay lists it.
      const todo = locals.filter((r) => {
        const n = docName(r.campaign, r.kind, r.docId);
        return !s.attached.has(n) && (!s.absent.has(n) || listed.has(n) || opts.retryAbsent === true);
      });
      // The campaign document first: the roster names the rest.
      todo.sort((a, b) => Number(b.kind === 'campaign') - Number(a.kind === 'campaign'));
      await eachLimited(todo, PARALLEL, (r) => bringIn(s, r, true));
      for (let round = 0; round < 3; round++) {
        const byName = new Map(announced(s).map((r) => [docName(r.campaign, r.kind, r.docId), r]));
        const remote = [...byName]
          .filter(([n]) => !known.has(n) && !s.attached.has(n) && (opts.retryAbsent || !s.absent.has(n)))
          .map(([, r]) => r);
        if (remote.length === 0) break;
        await eachLimited(remote, PARALLEL, (r) => bringIn(s, r, false));
      }
      emitStatus(s, '');
    };
    const next = s.chain.then(run, run);
    s.chain = next.catch(() => undefined);
    return next;
  }

  /** The error to report: a refused token names `token`, anything else about the relay `relayUrl`. */
  function relayProblem(s: Session, err: unknown): Error {
    const last = s.lastProblem;
    if (last?.httpStatus === 401 || last?.httpStatus === 403)
      return new CoreError(
        'invalid-input',
        `token: the relay refused it (${last.httpStatus} ${last.reason ?? ''})`.trim(),
      );
    if (err instanceof CoreError) return err;
    return new CoreError('conflict', `relayUrl: ${(err as Error).message}`);
  }

  async function ensureCampaign(s: Session): Promise<void> {
    const ref: LiveDocRef = { campaign: s.campaign, kind: 'campaign', docId: s.campaign };
    const name = docName(s.campaign, 'campaign', s.campaign);
    const locals = new Set((await deps.core.campaigns.list()).map((c) => c.id));
    if (!locals.has(s.campaign)) {
      const remote = await s.transport.fetch(name);
      if (emptyUpdate(remote))
        throw new CoreError(
          'not-found',
          `token: the relay holds no campaign ${s.campaign} yet (the DM must sync it first)`,
        );
      const h = await deps.core.live.adopt(ref, remote, s.transport.origin);
      h.release();
      s.adopted.add(name);
      s.pulled.add(name);
      deps.bus.emit('campaigns.changed', { id: s.campaign });
    }
    s.name = (await deps.core.campaigns.get(s.campaign)).name;
    // Documents this peer created since (a player's journals) joined its membership's `owns`: keep them.
    const before = await deps.core.campaigns.membership(s.campaign);
    await deps.core.campaigns.setMembership(s.campaign, {
      role: s.claims.role,
      user: s.claims.user,
      owns: [...new Set([...(before?.owns ?? []), ...s.claims.owns])],
      relay: s.relayUrl,
      token: s.token,
    });
  }

  function open(input: {
    relayUrl: string;
    token: string;
    claims: RelayTokenClaims;
    host: boolean;
  }): Session {
    let transport: Transport;
    try {
      // One origin object per connection: the provider never echoes what it applied; stored as `remote:<who>`.
      transport = muxTransport(input.relayUrl, input.token, {
        kind: 'remote',
        author: `relay:${input.claims.campaign}`,
      });
    } catch (err) {
      throw new CoreError('invalid-input', err instanceof SyncInputError ? err.message : String(err));
    }
    const s: Session = {
      campaign: input.claims.campaign,
      relayUrl: input.relayUrl,
      token: input.token,
      claims: input.claims,
      host: input.host,
      name: '',
      transport,
      attached: new Map(),
      absent: new Set(),
      inflight: new Set(),
      refused: new Map(),
      pushed: new Set(),
      pulled: new Set(),
      adopted: new Set(),
      status: 'connecting',
      lastProblem: undefined,
      closed: false,
      chain: Promise.resolve(),
      offs: [],
    };
    sessions.set(s.campaign, s);
    s.offs.push(
      transport.onStatus((e) => {
        if (e.reason !== undefined || e.status === 'error') s.lastProblem = e;
        emitStatus(s, e.docName);
      }),
    );
    return s;
  }

  /** Start following changes once the campaign is here: new local documents, roster changes. */
  function follow(s: Session) {
    const live = deps.core.live;
    let scheduled = false;
    const again = () => {
      if (scheduled || s.closed) return;
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        pass(s).catch((err: unknown) => deps.log.warn('sync: attach failed', { err: String(err) }));
      }, 0);
    };
    // The relay announces documents it holds that this token may read (new ones as they appear).
    s.offs.push(s.transport.onDocs(() => again()));
    // Documents another process creates in this data folder (`loreforge journal add` while the app runs) are
    // not open here, so no change event names them: look at the campaign's list now and then (local SQLite).
    const timer = setInterval(again, LOCAL_LIST_MS);
    timer.unref();
    s.offs.push(() => clearInterval(timer));
    s.offs.push(
      live.onChange((e) => {
        if (e.campaign !== s.campaign) return;
        // An attached document's change (nearly every change during play) needs no checking of its name.
        const n = `${e.campaign}/${e.kind}/${e.id}`;
        if (s.attached.has(n) && e.kind !== 'campaign') return;
        // A new local document (or an NPC made a player character), or a roster change on the campaign
        // document (it names documents the relay holds).
        if (tryParseDocName(n)) again();
      }),
    );
  }

  async function close(s: Session) {
    if (s.closed) return;
    s.closed = true;
    sessions.delete(s.campaign);
    for (const off of s.offs) off();
    s.transport.destroy();
    for (const a of s.attached.values()) {
      a.off();
      a.handle.release();
    }
    s.attached.clear();
  }

  /**
   * Wait until every attached document has synced. A document the relay refuses is logged and left out (the
   * others still sync); a refused connection (token) or a dead relay fails the wait.
   */
  async function allSynced(s: Session): Promise<void> {
    const results = await Promise.allSettled(s.transport.names().map((n) => s.transport.whenSynced(n)));
    if (s.transport.status() === 'error') {
      const failed = results.find((r) => r.status === 'rejected');
      throw failed ? failed.reason : new Error('the relay closed the connection for good');
    }
    for (const [i, r] of results.entries()) {
      if (r.status !== 'rejected') continue;
      const name = s.transport.names()[i] ?? '';
      s.refused.set(name, String((r.reason as Error)?.message ?? r.reason));
      deps.log.warn('sync: the relay refused a document', { doc: name, err: String(r.reason) });
    }
  }

  function startSession(s: Session, timeoutMs: number | undefined): Promise<void> {
    const timeoutError = () => {
      const why = s.lastProblem?.reason ?? s.lastProblem?.status ?? 'no answer';
      return new CoreError(
        'conflict',
        `relayUrl: ${s.relayUrl} did not sync within ${(timeoutMs ?? 0) / 1000} s (last: ${why})`,
      );
    };
    const work = (async () => {
      try {
        await ensureCampaign(s);
        await pass(s);
        follow(s);
        await allSynced(s);
        // Documents the roster named once the campaign document synced.
        await pass(s);
        await allSynced(s);
        emitStatus(s, '');
      } catch (err) {
        throw relayProblem(s, err);
      }
    })();
    return withTimeout(work, timeoutMs, timeoutError);
  }

  /** Keep retrying a session that has a data folder behind it (share/join/reopen) until it is closed. */
  /**
   * Keep retrying a session that has a data folder behind it (share/join/reopen) until it is ready or closed.
   * Resolves at the first success (or a refused token); never rejects.
   */
  function startInBackground(s: Session): Promise<void> {
    return (async () => {
      while (!s.closed) {
        try {
          await startSession(s, 30_000);
          return;
        } catch (err) {
          deps.log.warn('sync: session not ready yet', { campaign: s.campaign, err: String(err) });
          if (err instanceof CoreError && err.message.startsWith('token: the relay refused')) return;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  function summaryOf(s: Session): SyncConnectSummary {
    const names = [...s.attached.keys()];
    return {
      campaign: s.campaign,
      role: s.claims.role,
      host: s.host,
      docs: names.length,
      characters: [...s.attached.values()].filter((a) => a.ref.kind === 'character').length,
      pushed: s.pushed.size,
      pulled: s.pulled.size,
      adopted: s.adopted.size,
    };
  }

  function checkToken(token: string): RelayTokenClaims {
    let claims: RelayTokenClaims;
    try {
      claims = readRelayTokenClaims(token);
    } catch (err) {
      throw new CoreError('invalid-input', err instanceof SyncInputError ? err.message : String(err));
    }
    if (claims.exp * 1000 <= deps.now())
      throw new CoreError(
        'invalid-input',
        `token: expired at ${new Date(claims.exp * 1000).toISOString()} (ask the DM for a new one)`,
      );
    return claims;
  }

  async function reopenSaved() {
    for (const c of await deps.core.campaigns.list()) {
      try {
        const mem = await deps.core.campaigns.membership(c.id);
        if (!mem?.relay || !mem.token || sessions.has(c.id)) continue;
        const claims = readRelayTokenClaims(mem.token);
        if (claims.campaign !== c.id || claims.exp * 1000 <= deps.now()) continue;
        void startInBackground(
          open({ relayUrl: mem.relay, token: mem.token, claims, host: mem.role === 'dm' }),
        );
      } catch (err) {
        deps.log.warn('sync: cannot reopen shared campaign', { campaign: c.id, err: String(err) });
      }
    }
  }
  if (deps.reopen !== false)
    void reopenSaved().catch((err: unknown) => deps.log.warn('sync: reopen failed', { err: String(err) }));

  /** Whether this data folder hosts the campaign: it has it, as its own (no membership) or as its DM. */
  async function hosts(campaign: string): Promise<boolean> {
    if (!(await deps.core.campaigns.list()).some((c) => c.id === campaign)) return false;
    const m = await deps.core.campaigns.membership(campaign);
    return m === null || m.role === 'dm';
  }

  function relayUrlSetting(): string {
    const url = deps.settings.get().sync.relayUrl;
    if (!url) throw new CoreError('invalid-input', 'relayUrl: set the relay URL in Settings first');
    return url;
  }

  return {
    async share({ campaign, user, role, owns }) {
      await deps.core.campaigns.get(campaign);
      const secret = deps.settings.secrets().relaySecret;
      if (!secret)
        throw new CoreError(
          'invalid-input',
          'relaySecret: set the relay secret in Settings to invite players',
        );
      const url = relayUrlSetting();
      const nowMs = deps.now();
      let s = sessions.get(campaign);
      if (!s) {
        const token = createRelayToken(
          {
            campaign,
            user: deps.settings.get().sync.user,
            role: 'dm',
            ttlSeconds: INVITE_TTL_SECONDS,
            nowMs,
          },
          secret,
        );
        s = open({ relayUrl: url, token, claims: readRelayTokenClaims(token), host: true });
        // The invite is only useful once the relay holds the campaign: wait for the first sync (bounded; an
        // unreachable relay still gets an invite, and the session keeps retrying).
        const started = startInBackground(s);
        await Promise.race([started, new Promise((r) => setTimeout(r, 15_000))]);
      } else await pass(s);
      const invite = createInvite({
        relayUrl: url,
        secret,
        campaign,
        user,
        role,
        owns,
        ttlSeconds: INVITE_TTL_SECONDS,
        nowMs,
      });
      return { invite: encodeInvite(invite, 'url') };
    },

    async join({ invite }) {
      let decoded;
      try {
        decoded = decodeInvite(invite);
      } catch (err) {
        throw new CoreError('invalid-input', `invite: ${(err as Error).message}`);
      }
      if (sessions.has(decoded.campaign)) return { campaign: decoded.campaign };
      const claims = checkToken(decoded.token);
      const host = await hosts(claims.campaign);
      const s = open({ relayUrl: decoded.relayUrl, token: decoded.token, claims, host });
      try {
        // The campaign must be here when join returns (the app lists it next); documents keep arriving after.
        await withTimeout(
          ensureCampaign(s),
          15_000,
          () => new CoreError('conflict', `relayUrl: ${decoded.relayUrl} did not answer within 15 s`),
        );
      } catch (err) {
        await close(s);
        throw relayProblem(s, err);
      }
      void startInBackground(s);
      return { campaign: claims.campaign };
    },

    async connect({ relayUrl: url, token, campaign }) {
      const claims = checkToken(token);
      if (!/^wss?:\/\/[^/]/.test(url))
        throw new CoreError('invalid-input', `relayUrl: ${url} is not a ws:// or wss:// URL`);
      const locals = new Set((await deps.core.campaigns.list()).map((c) => c.id));
      if (campaign !== undefined) {
        if (campaign !== claims.campaign)
          throw new CoreError(
            'invalid-input',
            `localCampaign: ${campaign} is not the token's campaign ${claims.campaign}`,
          );
        if (!locals.has(campaign))
          throw new CoreError('invalid-input', `localCampaign: no local campaign ${campaign}`);
      }
      if (sessions.has(claims.campaign))
        throw new CoreError(
          'conflict',
          `token: campaign ${claims.campaign} is already linked in this process`,
        );
      const s = open({ relayUrl: url, token, claims, host: await hosts(claims.campaign) });
      let readying: Promise<void> | undefined;
      const ready = (opts: { timeoutMs?: number } = {}) => {
        readying ??= startSession(s, opts.timeoutMs);
        const p = readying;
        p.catch(() => {
          if (readying === p) readying = undefined;
        });
        return p;
      };
      return {
        campaign: claims.campaign,
        role: claims.role,
        host: s.host,
        ready,
        async refresh() {
          await pass(s, { retryAbsent: true });
        },
        async flush(opts = {}) {
          const timeoutMs = opts.timeoutMs ?? 15_000;
          await ready({ timeoutMs });
          await s.chain;
          await deps.core.live.flush();
          const deadline = Date.now() + timeoutMs;
          const writable = [...s.attached]
            .filter(([name, a]) => !a.readOnly && !s.refused.has(name))
            .map(([name, a]) => [name, a.handle.doc] as const);
          await s.transport.confirm(writable, deadline);
          // Reported after the rest was confirmed on the relay: one refused document does not hold back the others.
          const [first] = s.refused;
          if (first) {
            s.transport.disconnect();
            const more = s.refused.size > 1 ? ` (and ${s.refused.size - 1} more)` : '';
            throw new CoreError('conflict', `${first[1]}${more}`);
          }
          s.transport.disconnect();
          return summaryOf(s);
        },
        summary: () => summaryOf(s),
        close() {
          void close(s);
        },
      };
    },

    status() {
      return {
        relayUrl: deps.settings.get().sync.relayUrl,
        campaigns: [...sessions.values()].map((s) => ({
          campaign: s.campaign,
          name: s.name,
          host: s.host,
          role: s.claims.role,
          status: s.status,
          docs: s.attached.size,
          characters: [...s.attached.values()].filter((a) => a.ref.kind === 'character').length,
        })),
      };
    },

    presence(campaign) {
      const s = sessions.get(campaign);
      if (!s) return { campaign, sessions: [] };
      const self = { user: s.claims.user, role: s.claims.role, owns: s.claims.owns };
      return {
        campaign,
        sessions: [...s.attached.values()]
          .filter((a) => a.awareness)
          .map((a) => ({ session: a.ref.docId, online: presenceOf(a.awareness!, self) })),
      };
    },

    async localChanged(_entityId) {
      await Promise.all([...sessions.values()].map((s) => pass(s)));
    },

    close() {
      for (const s of [...sessions.values()]) void close(s);
    },
  };
}
