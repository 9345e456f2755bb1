/**
 * Campaign sharing over the relay. Each shared character is mirrored into a relay document whose Y.Map `fields`
 * holds the character's JSON flattened to leaf paths (`/build/name` → value, arrays whole), so concurrent edits
 * to different fields merge and edits to one field are last-writer-wins. A campaign document's Y.Map `roster`
 * lists the shared characters. Local edits are pushed into the mirror; remote changes are committed locally as
 * ordinary edits (message "sync from relay"), so they appear in the history like any other change.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Core } from '../core';
import { CoreError } from '../errors';
import type { Json, JsonObject } from '../docs/y-json';
import type { Logger } from '../services/engine';
import { docName } from '../sync/doc-names';
import { createInvite, decodeInvite, encodeInvite } from '../sync/invite';
import { SyncInputError } from '../sync/errors';
import { SyncManager } from '../sync/manager';
import { SyncProvider, type SyncStatus, type SyncStatusEvent } from '../sync/provider';
import { createRelayToken, readRelayTokenClaims } from '../sync/token';
import type { EventBus } from './events';
import type { SettingsStore } from './settings';

const SYNCED_KEYS = ['kind', 'status', 'build', 'narrative'] as const;
const LOCAL = Symbol('local-mirror-write');
const INVITE_TTL_SECONDS = 30 * 24 * 3600;

const LinkSchema = z.object({
  remoteCampaign: z.string(),
  localCampaign: z.string(),
  name: z.string(),
  relayUrl: z.string(),
  token: z.string(),
  host: z.boolean(),
});
type Link = z.infer<typeof LinkSchema>;
const StateSchema = z.object({
  links: z.array(LinkSchema).default([]),
  /** remote character id → local character id (identity on the host). */
  ids: z.record(z.string(), z.string()).default({}),
  /** `connect` links (not reopened on start): remote campaign → local campaign and whether we host it. */
  connected: z.record(z.string(), z.object({ localCampaign: z.string(), host: z.boolean() })).default({}),
  /** remote character id → the flattened fields both sides last agreed on (three-way merge base of `connect`). */
  bases: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
type State = z.infer<typeof StateSchema>;

/** Flatten objects to JSON-pointer leaves; arrays and scalars are leaves. */
export function flattenJson(value: Json, prefix = '', out: Record<string, Json> = {}): Record<string, Json> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out[prefix] = {};
    for (const k of keys) {
      const v = (value as JsonObject)[k];
      if (v !== undefined) flattenJson(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
    return out;
  }
  out[prefix] = value;
  return out;
}

export function unflattenJson(flat: Record<string, Json>): JsonObject {
  const root: JsonObject = {};
  for (const path of Object.keys(flat).sort()) {
    const parts = path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = flat[path] as Json;
      else {
        const next = node[p];
        if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next))
          node[p] = {};
        node = node[p] as JsonObject;
      }
    });
  }
  return root;
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Reconcile state of a session (`share`, `join` and `connect` all reconcile three-way). */
interface ConnectState {
  /** Every document synced once; before that, remote changes wait for the first full reconcile. */
  ready: boolean;
  pushed: Set<string>;
  pulled: Set<string>;
  /** Last status event that carried a reason (for error messages). */
  lastProblem: SyncStatusEvent | undefined;
  /** remote character id → why its last reconcile failed (cleared when one succeeds). */
  failures: Map<string, string>;
}

interface Session {
  link: Link;
  manager: SyncManager;
  campaignDoc: Y.Doc;
  /** remote character id → mirror document */
  mirrors: Map<string, Y.Doc>;
  status: SyncStatus;
  conn: ConnectState;
}

export interface SyncConnectSummary {
  /** Local campaign id. */
  campaign: string;
  remoteCampaign: string;
  role: string;
  host: boolean;
  /** Characters shared in this campaign (mirror documents). */
  characters: number;
  /** Characters whose local changes were sent to the relay since `connect`. */
  pushed: number;
  /** Characters created or changed locally from the relay since `connect`. */
  pulled: number;
}

/** A live link made by `SyncHub.connect`. */
export interface SyncConnection {
  /** `null` while joining into a new local campaign that is created once the relay has answered. */
  readonly localCampaign: string | null;
  readonly remoteCampaign: string;
  readonly role: string;
  readonly host: boolean;
  /**
   * Resolves once every document has synced with the relay and local and remote states were reconciled.
   * Rejects with a `CoreError` naming `token` when the relay refuses the token, or `relayUrl` after
   * `timeoutMs` without a sync (omit it to wait as long as it takes).
   */
  ready(opts?: { timeoutMs?: number }): Promise<void>;
  /** Re-read local characters and push/pull what changed (call when local edits happen elsewhere). */
  refresh(): Promise<void>;
  /**
   * Wait until the relay holds everything this side wrote (checked with a fresh read of each writable
   * document), then close the connections gracefully. Rejects naming `relayUrl` after `timeoutMs`.
   */
  flush(opts?: { timeoutMs?: number }): Promise<SyncConnectSummary>;
  summary(): SyncConnectSummary;
  close(): void;
}

export interface SyncStatusView {
  relayUrl: string;
  campaigns: {
    remoteCampaign: string;
    localCampaign: string;
    name: string;
    host: boolean;
    role: string;
    status: string;
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
  join(input: { invite: string }): Promise<{ campaign: string }>;
  /**
   * Link a local campaign headlessly from a relay token alone. A `dm` token whose campaign is a local
   * campaign id (or with `localCampaign` given) hosts that local campaign; any other token joins: into
   * `localCampaign` if given, else the campaign a previous `connect` used, else a new local campaign.
   * Unlike `share`/`join`, the link is not reopened on start, and local and remote changes are reconciled
   * three-way against the last agreed state, so offline edits on either side survive.
   */
  connect(input: { relayUrl: string; token: string; localCampaign?: string }): Promise<SyncConnection>;
  status(): SyncStatusView;
  /** Call after any local change to a character. */
  localChanged(characterId: string): Promise<void>;
  close(): void;
}

export function createSyncHub(deps: {
  core: Core;
  dataDir: string | null;
  settings: SettingsStore;
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** Reopen the saved `share`/`join` links now (default true; the headless CLI passes false). */
  reopen?: boolean;
}): SyncHub {
  const file = deps.dataDir === null ? null : join(deps.dataDir, 'sync-state.json');
  let state: State = StateSchema.parse({});
  if (file && existsSync(file)) {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) state = parsed.data;
  }
  const save = () => {
    if (!file || !deps.dataDir) return;
    mkdirSync(deps.dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const sessions = new Map<string, Session>();
  const localToRemote = () => new Map(Object.entries(state.ids).map(([r, l]) => [l, r]));
  /** Serialise all store writes coming from sync, so remote bursts apply in order. */
  let chain: Promise<unknown> = Promise.resolve();
  const queue = (fn: () => Promise<void>) => {
    const next = chain
      .then(fn)
      .catch((err: unknown) => deps.log.warn('sync: apply failed', { err: String(err) }));
    chain = next;
    return next;
  };

  async function characterJson(localId: string): Promise<JsonObject> {
    const view = await deps.core.characters.show(localId);
    const doc = view.doc as unknown as JsonObject;
    const out: JsonObject = {};
    for (const k of SYNCED_KEYS) if (doc[k] !== undefined) out[k] = doc[k] as Json;
    return out;
  }

  function pushInto(mirror: Y.Doc, json: JsonObject) {
    const fields = mirror.getMap<Json>('fields');
    const flat = flattenJson(json);
    mirror.transact(() => {
      for (const [k, v] of Object.entries(flat)) if (!same(fields.get(k), v)) fields.set(k, v);
      for (const k of [...fields.keys()]) if (!(k in flat)) fields.delete(k);
    }, LOCAL);
  }

  /** Import a character the relay shares that has no local copy yet (into the session's local campaign). */
  async function importRemote(session: Session, remoteId: string, mirror: Y.Doc) {
    const fields = mirror.getMap<Json>('fields');
    if (fields.size === 0 || state.ids[remoteId]) return;
    const remote = unflattenJson(Object.fromEntries(fields.entries()));
    const build = remote['build'];
    if (!build) return;
    const res = await deps.core.characters.import(
      {
        build,
        ...(remote['narrative'] ? { narrative: remote['narrative'] } : {}),
        ...(remote['kind'] ? { kind: remote['kind'] } : {}),
      },
      { campaign: session.link.localCampaign, message: 'shared character from relay' },
    );
    state.ids[remoteId] = res.id;
    save();
    deps.bus.emit('characters.changed', { id: res.id, source: 'sync' });
  }

  function mirrorFor(session: Session, remoteId: string): Y.Doc {
    const existing = session.mirrors.get(remoteId);
    if (existing) return existing;
    const mirror = new Y.Doc();
    session.mirrors.set(remoteId, mirror);
    mirror.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === LOCAL || tr.changed.size === 0) return;
      if (session.conn.ready) void queue(() => reconcile(session, remoteId));
    });
    session.manager.add(docName(session.link.remoteCampaign, 'character', remoteId), mirror);
    return mirror;
  }

  function open(link: Link, conn: ConnectState): Session {
    const manager = new SyncManager({ relayUrl: link.relayUrl, token: link.token });
    const campaignDoc = new Y.Doc();
    const session: Session = {
      link,
      manager,
      campaignDoc,
      mirrors: new Map(),
      status: 'connecting',
      conn,
    };
    sessions.set(link.remoteCampaign, session);
    manager.onStatus((e) => {
      if (e.reason !== undefined || e.status === 'error') session.conn.lastProblem = e;
      const worst = Object.values(manager.statuses());
      session.status = worst.includes('error')
        ? 'error'
        : worst.every((s) => s === 'synced')
          ? 'synced'
          : e.status;
      deps.bus.emit('sync.status', {
        campaign: link.localCampaign,
        status: session.status,
        detail: e.docName,
      });
    });
    const roster = campaignDoc.getMap<{ name: string }>('roster');
    const follow = () => {
      for (const remoteId of roster.keys()) {
        try {
          mirrorFor(session, remoteId);
        } catch (err) {
          deps.log.warn('sync: cannot follow character', { remoteId, err: String(err) });
        }
      }
    };
    roster.observe(() => follow());
    manager.add(docName(link.remoteCampaign, 'campaign', link.remoteCampaign), campaignDoc);
    follow();
    return session;
  }

  /**
   * Host: put every local player character (kind `pc`) of the campaign on the roster (recording its remote id)
   * and open its mirror (`reconcile` then writes it). NPCs and monsters are the DM's secrets: they are never
   * published, and taken off the roster if an older version put them there.
   */
  async function rosterLocalCharacters(session: Session): Promise<void> {
    const rows = await deps.core.characters.list({ campaign: session.link.localCampaign });
    const roster = session.campaignDoc.getMap<{ name: string }>('roster');
    const map = localToRemote();
    for (const row of rows) {
      const remoteId = map.get(row.id) ?? row.id;
      if (row.kind !== 'pc') {
        if (roster.has(remoteId)) session.campaignDoc.transact(() => roster.delete(remoteId), LOCAL);
        const mirror = session.mirrors.get(remoteId);
        if (mirror) {
          session.manager.remove(docName(session.link.remoteCampaign, 'character', remoteId));
          session.mirrors.delete(remoteId);
          mirror.destroy();
        }
        continue;
      }
      if (!state.ids[remoteId]) {
        state.ids[remoteId] = row.id;
        save();
      }
      if (!same(roster.get(remoteId) as Json | undefined, { name: row.name }))
        session.campaignDoc.transact(() => roster.set(remoteId, { name: row.name }), LOCAL);
      mirrorFor(session, remoteId);
    }
  }

  /**
   * Three-way reconcile of one character between the local store and its mirror, against the last agreed
   * state (`state.bases`): a field changed on one side only takes that side's value; changed on both, the
   * relay's value wins (others already see it); with no base yet, the host's local copy wins and a joiner
   * takes the relay's. Read-only documents always take the relay's values.
   */
  async function reconcile(session: Session, remoteId: string): Promise<void> {
    const conn = session.conn;
    try {
      await reconcileOne(session, conn, remoteId);
      conn.failures.delete(remoteId);
    } catch (err) {
      conn.failures.set(remoteId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  async function reconcileOne(session: Session, conn: ConnectState, remoteId: string): Promise<void> {
    const mirror = mirrorFor(session, remoteId);
    const fields = mirror.getMap<Json>('fields');
    const remote: Record<string, Json> = Object.fromEntries(fields.entries());
    const writable =
      session.manager.accessOf(docName(session.link.remoteCampaign, 'character', remoteId)) === 'write';
    const localId = state.ids[remoteId];
    if (!localId) {
      if (fields.size === 0) return;
      const before = state.ids[remoteId];
      await importRemote(session, remoteId, mirror);
      if (state.ids[remoteId] !== before) {
        conn.pulled.add(remoteId);
        state.bases[remoteId] = remote;
        save();
      }
      return;
    }
    const local = flattenJson(await characterJson(localId));
    const base = state.bases[remoteId] as Record<string, Json> | undefined;
    const merged: Record<string, Json> = {};
    if (fields.size === 0) Object.assign(merged, local);
    else {
      for (const path of new Set([
        ...Object.keys(local),
        ...Object.keys(remote),
        ...Object.keys(base ?? {}),
      ])) {
        const lv = local[path];
        const rv = remote[path];
        let v: Json | undefined;
        if (same(lv, rv)) v = lv;
        else if (!writable) v = rv;
        else if (!base) v = session.link.host ? lv : rv;
        else if (!same(rv, base[path])) v = rv;
        else v = lv;
        if (v !== undefined) merged[path] = v;
      }
    }
    const next = unflattenJson(merged);
    const current = unflattenJson(local);
    const set = SYNCED_KEYS.filter((k) => next[k] !== undefined && !same(current[k], next[k])).map((k) => ({
      path: `/${k}`,
      value: next[k] as Json,
    }));
    if (set.length > 0) {
      await deps.core.characters.edit(localId, { set, message: 'sync from relay', author: 'relay' });
      conn.pulled.add(remoteId);
      deps.bus.emit('characters.changed', { id: localId, source: 'sync' });
    }
    if (writable && !same(unflattenJson(remote), next)) {
      pushInto(mirror, next);
      conn.pushed.add(remoteId);
    }
    if (!same(base as Json | undefined, merged)) {
      state.bases[remoteId] = merged;
      save();
    }
  }

  /** Host: list local characters on the roster; everyone: reconcile every shared character. */
  async function reconcileAll(session: Session): Promise<void> {
    if (session.link.host) await rosterLocalCharacters(session);
    for (const remoteId of [...session.mirrors.keys()]) {
      // A failure is recorded in `conn.failures` (reported by `flush`); the other characters still sync.
      try {
        await reconcile(session, remoteId);
      } catch (err) {
        deps.log.warn('sync: cannot sync character', { remoteId, err: String(err) });
      }
    }
  }

  /** Wait until every document of the session (including ones the roster adds meanwhile) has synced. */
  async function settle(session: Session, timeoutMs: number | undefined): Promise<void> {
    const url = session.link.relayUrl;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout =
      timeoutMs === undefined
        ? new Promise<never>(() => undefined)
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const last = session.conn.lastProblem;
              const why = last?.reason ?? last?.status ?? 'no answer';
              reject(
                new CoreError(
                  'conflict',
                  `relayUrl: ${url} did not sync within ${timeoutMs / 1000} s (last: ${why})`,
                ),
              );
            }, timeoutMs);
          });
    try {
      for (;;) {
        const names = session.manager.docNames();
        await Promise.race([session.manager.whenSynced(), timeout]).catch((err: unknown) => {
          if (err instanceof CoreError) throw err;
          const last = session.conn.lastProblem;
          const http = last?.httpStatus;
          if (http === 401 || http === 403)
            throw new CoreError(
              'invalid-input',
              `token: the relay refused it (${http} ${last?.reason ?? ''})`.trim(),
            );
          throw new CoreError('conflict', `relayUrl: ${(err as Error).message}`);
        });
        const now = session.manager.docNames();
        if (
          now.length === names.length &&
          Object.values(session.manager.statuses()).every((s) => s === 'synced')
        )
          return;
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Resolve once the relay's copy of `doc` covers everything `doc` has (a fresh read of the relay's state). */
  async function confirmOnRelay(session: Session, name: string, doc: Y.Doc, deadline: number) {
    const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
    if (ours.size === 0) return;
    const probe = new Y.Doc();
    const reader = new SyncProvider({
      relayUrl: session.link.relayUrl,
      token: session.link.token,
      docName: name,
      doc: probe,
      readOnly: true,
    });
    try {
      for (;;) {
        const theirs = Y.decodeStateVector(Y.encodeStateVector(probe));
        if ([...ours].every(([client, clock]) => (theirs.get(client) ?? 0) >= clock)) return;
        if (Date.now() > deadline)
          throw new CoreError(
            'conflict',
            `relayUrl: ${session.link.relayUrl} did not confirm ${name} before the timeout`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      reader.destroy();
      probe.destroy();
    }
  }

  const newConn = (): ConnectState => ({
    ready: false,
    pushed: new Set(),
    pulled: new Set(),
    lastProblem: undefined,
    failures: new Map(),
  });

  /**
   * `share`/`join` sessions reconcile three-way like `connect`: nothing is pushed or applied until the relay
   * has synced (so an empty mirror never overwrites the relay, nor the relay's old state an offline edit);
   * then everything is reconciled against the persisted merge bases. Retries while the relay is unreachable.
   */
  function startReconciling(session: Session): void {
    const conn = session.conn;
    void (async () => {
      while (sessions.get(session.link.remoteCampaign) === session) {
        try {
          await settle(session, undefined);
          conn.ready = true;
          await queue(() => reconcileAll(session));
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  for (const link of deps.reopen === false ? [] : state.links) {
    try {
      startReconciling(open(link, newConn()));
    } catch (err) {
      deps.log.warn('sync: cannot reopen shared campaign', {
        campaign: link.remoteCampaign,
        err: String(err),
      });
    }
  }

  function relayUrl(): string {
    const url = deps.settings.get().sync.relayUrl;
    if (!url) throw new CoreError('invalid-input', 'relayUrl: set the relay URL in Settings first');
    return url;
  }

  return {
    async share({ campaign, user, role, owns }) {
      const info = await deps.core.campaigns.get(campaign);
      const secret = deps.settings.secrets().relaySecret;
      if (!secret)
        throw new CoreError(
          'invalid-input',
          'relaySecret: set the relay secret in Settings to invite players',
        );
      const url = relayUrl();
      const nowMs = deps.now();
      let session = sessions.get(campaign);
      if (!session) {
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
        const link: Link = {
          remoteCampaign: campaign,
          localCampaign: campaign,
          name: info.name,
          relayUrl: url,
          token,
          host: true,
        };
        state.links.push(link);
        save();
        session = open(link, newConn());
        startReconciling(session);
      }
      const s = session;
      if (s.conn.ready) await queue(() => reconcileAll(s));
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
      const existing = sessions.get(decoded.campaign);
      if (existing) return { campaign: existing.link.localCampaign };
      const claims = readRelayTokenClaims(decoded.token);
      const local = await deps.core.campaigns.create({ name: `Shared campaign (${claims.user})` });
      const link: Link = {
        remoteCampaign: decoded.campaign,
        localCampaign: local.id,
        name: local.name,
        relayUrl: decoded.relayUrl,
        token: decoded.token,
        host: false,
      };
      state.links.push(link);
      save();
      startReconciling(open(link, newConn()));
      deps.bus.emit('campaigns.changed', { id: local.id });
      return { campaign: local.id };
    },

    async connect({ relayUrl: url, token, localCampaign }) {
      let claims;
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
      if (!/^wss?:\/\/[^/]/.test(url))
        throw new CoreError('invalid-input', `relayUrl: ${url} is not a ws:// or wss:// URL`);
      if (sessions.has(claims.campaign))
        throw new CoreError(
          'conflict',
          `token: campaign ${claims.campaign} is already linked in this process`,
        );
      const locals = new Set((await deps.core.campaigns.list()).map((c) => c.id));
      if (localCampaign !== undefined && !locals.has(localCampaign))
        throw new CoreError('invalid-input', `localCampaign: no local campaign ${localCampaign}`);
      const host = claims.role === 'dm' && (localCampaign !== undefined || locals.has(claims.campaign));
      let local = localCampaign ?? (host ? claims.campaign : undefined);
      if (local === undefined) {
        const known =
          state.connected[claims.campaign] ??
          state.links.find((l) => l.remoteCampaign === claims.campaign && !l.host);
        if (known && !known.host && locals.has(known.localCampaign)) local = known.localCampaign;
      }
      // A new local campaign for a join is created only once the relay has answered (no junk on failure).
      const link: Link = {
        remoteCampaign: claims.campaign,
        localCampaign: local ?? '',
        name: local === undefined ? '' : (await deps.core.campaigns.get(local)).name,
        relayUrl: url,
        token,
        host,
      };
      const remember = () => {
        state.connected[claims.campaign] = { localCampaign: link.localCampaign, host };
        save();
      };
      if (local !== undefined) remember();
      const conn = newConn();
      let session: Session;
      try {
        session = open(link, conn);
      } catch (err) {
        throw new CoreError('invalid-input', err instanceof SyncInputError ? err.message : String(err));
      }
      let readying: Promise<void> | undefined;
      const summary = (): SyncConnectSummary => ({
        campaign: link.localCampaign,
        remoteCampaign: claims.campaign,
        role: claims.role,
        host,
        characters: session.mirrors.size,
        pushed: conn.pushed.size,
        pulled: conn.pulled.size,
      });
      const ready = (opts: { timeoutMs?: number } = {}) => {
        readying ??= (async () => {
          await settle(session, opts.timeoutMs);
          if (link.localCampaign === '') {
            const created = await deps.core.campaigns.create({ name: `Shared campaign ${claims.campaign}` });
            link.localCampaign = created.id;
            link.name = created.name;
            remember();
            deps.bus.emit('campaigns.changed', { id: created.id });
          }
          // From here on remote changes reconcile as they arrive (serialised behind this first pass).
          conn.ready = true;
          await queue(() => reconcileAll(session));
          // Characters the roster listed meanwhile, or that the host just published.
          await settle(session, opts.timeoutMs);
          await queue(() => reconcileAll(session));
        })();
        const p = readying;
        p.catch(() => {
          if (readying === p) readying = undefined;
        });
        return p;
      };
      return {
        get localCampaign() {
          return link.localCampaign === '' ? null : link.localCampaign;
        },
        remoteCampaign: claims.campaign,
        role: claims.role,
        host,
        ready,
        async refresh() {
          if (conn.ready) await queue(() => reconcileAll(session));
        },
        async flush(opts = {}) {
          const timeoutMs = opts.timeoutMs ?? 15_000;
          await ready({ timeoutMs });
          await chain;
          const deadline = Date.now() + timeoutMs;
          const docs: [string, Y.Doc][] = [
            [docName(claims.campaign, 'campaign', claims.campaign), session.campaignDoc],
            ...[...session.mirrors].map(
              ([id, d]) => [docName(claims.campaign, 'character', id), d] as [string, Y.Doc],
            ),
          ];
          for (const [name, doc] of docs)
            if (session.manager.accessOf(name) === 'write')
              await confirmOnRelay(session, name, doc, deadline);
          session.manager.disconnectAll();
          // Reported after the rest was confirmed on the relay: one bad character does not hold back the others.
          const [failed] = conn.failures;
          if (failed)
            throw new CoreError(
              'doc-invalid',
              `character ${failed[0]}: could not be synced (${failed[1]})` +
                (conn.failures.size > 1 ? ` and ${conn.failures.size - 1} more` : ''),
            );
          return summary();
        },
        summary,
        close() {
          session.manager.destroy();
          sessions.delete(claims.campaign);
        },
      };
    },

    status() {
      return {
        relayUrl: deps.settings.get().sync.relayUrl,
        campaigns: [...sessions.values()].map((s) => ({
          remoteCampaign: s.link.remoteCampaign,
          localCampaign: s.link.localCampaign,
          name: s.link.name,
          host: s.link.host,
          role: s.manager.claims.role,
          status: s.status,
          characters: s.mirrors.size,
        })),
      };
    },

    async localChanged(characterId) {
      if (sessions.size === 0) return;
      await queue(async () => {
        const remoteId = localToRemote().get(characterId);
        for (const s of sessions.values()) {
          const concerned = s.link.host || (remoteId !== undefined && s.mirrors.has(remoteId));
          if (s.conn.ready && concerned) await reconcileAll(s);
        }
      });
    },

    close() {
      for (const s of sessions.values()) s.manager.destroy();
      sessions.clear();
    },
  };
}
