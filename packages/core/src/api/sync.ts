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
import { SyncManager } from '../sync/manager';
import type { SyncStatus } from '../sync/provider';
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

interface Session {
  link: Link;
  manager: SyncManager;
  campaignDoc: Y.Doc;
  /** remote character id → mirror document */
  mirrors: Map<string, Y.Doc>;
  status: SyncStatus;
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

  async function applyRemote(session: Session, remoteId: string, mirror: Y.Doc) {
    const fields = mirror.getMap<Json>('fields');
    if (fields.size === 0) return;
    const remote = unflattenJson(Object.fromEntries(fields.entries()));
    let localId = state.ids[remoteId];
    if (!localId) {
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
      localId = res.id;
      state.ids[remoteId] = localId;
      save();
      deps.bus.emit('characters.changed', { id: localId, source: 'sync' });
      return;
    }
    const local = await characterJson(localId);
    const set = SYNCED_KEYS.filter((k) => remote[k] !== undefined && !same(local[k], remote[k])).map((k) => ({
      path: `/${k}`,
      value: remote[k] as Json,
    }));
    if (set.length === 0) return;
    await deps.core.characters.edit(localId, { set, message: 'sync from relay', author: 'relay' });
    deps.bus.emit('characters.changed', { id: localId, source: 'sync' });
  }

  function mirrorFor(session: Session, remoteId: string): Y.Doc {
    const existing = session.mirrors.get(remoteId);
    if (existing) return existing;
    const mirror = new Y.Doc();
    session.mirrors.set(remoteId, mirror);
    mirror.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === LOCAL || tr.changed.size === 0) return;
      void queue(() => applyRemote(session, remoteId, mirror));
    });
    session.manager.add(docName(session.link.remoteCampaign, 'character', remoteId), mirror);
    return mirror;
  }

  function open(link: Link): Session {
    const manager = new SyncManager({ relayUrl: link.relayUrl, token: link.token });
    const campaignDoc = new Y.Doc();
    const session: Session = { link, manager, campaignDoc, mirrors: new Map(), status: 'connecting' };
    sessions.set(link.remoteCampaign, session);
    manager.onStatus((e) => {
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

  async function publishCampaign(session: Session) {
    if (!session.link.host) return;
    const rows = await deps.core.characters.list({ campaign: session.link.localCampaign });
    const roster = session.campaignDoc.getMap<{ name: string }>('roster');
    const map = localToRemote();
    for (const row of rows) {
      const remoteId = map.get(row.id) ?? row.id;
      if (!state.ids[remoteId]) {
        state.ids[remoteId] = row.id;
        save();
      }
      if (!same(roster.get(remoteId) as Json | undefined, { name: row.name }))
        session.campaignDoc.transact(() => roster.set(remoteId, { name: row.name }), LOCAL);
      pushInto(mirrorFor(session, remoteId), await characterJson(row.id));
    }
  }

  for (const link of state.links) {
    try {
      const s = open(link);
      void queue(() => publishCampaign(s));
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
        session = open(link);
      }
      const s = session;
      await queue(() => publishCampaign(s));
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
      open(link);
      deps.bus.emit('campaigns.changed', { id: local.id });
      return { campaign: local.id };
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
          if (remoteId && s.mirrors.has(remoteId)) {
            const access = s.manager.accessOf(docName(s.link.remoteCampaign, 'character', remoteId));
            if (access === 'write')
              pushInto(s.mirrors.get(remoteId) as Y.Doc, await characterJson(characterId));
          } else if (s.link.host) {
            await publishCampaign(s);
          }
        }
      });
    },

    close() {
      for (const s of sessions.values()) s.manager.destroy();
      sessions.clear();
    },
  };
}
