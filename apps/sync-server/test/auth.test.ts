import { createHmac } from 'node:crypto';
import {
  CLOSE_CODES,
  SYNC_SUBPROTOCOL,
  SYNC_UPDATE,
  SyncProvider,
  TOKEN_SUBPROTOCOL_PREFIX,
  docName,
  relayDocUrl,
  signRelayToken,
} from '@loreforge/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Relay, memoryLogger } from '../src/index';
import {
  CAMPAIGN,
  RawClient,
  makeRelay,
  mapOf,
  syncFrame,
  tempDir,
  token,
  updateSetting,
  waitFor,
} from './helpers';

const DOC = docName(CAMPAIGN, 'character', 'hero');

describe('upgrade auth', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: Relay;
  let logs: ReturnType<typeof memoryLogger>;
  beforeEach(async () => {
    tmp = tempDir();
    ({ relay, logs } = await makeRelay(tmp.dir));
  });
  afterEach(async () => {
    await relay.close();
    tmp.cleanup();
  });

  const status = (p: Promise<RawClient>): Promise<unknown> =>
    p.then(
      () => 'connected',
      (err: { status?: number }) => err.status,
    );

  const forged = (): string => {
    const payload = Buffer.from(
      JSON.stringify({ campaign: CAMPAIGN, user: 'mallory', role: 'dm', owns: [], exp: 4_102_444_800 }),
    ).toString('base64url');
    return `${payload}.${createHmac('sha256', 'not-the-relay-secret!!').update(payload).digest('base64url')}`;
  };

  it.each([
    ['no token', () => relayDocUrl(relay.url, DOC), 401],
    ['a malformed token', () => relayDocUrl(relay.url, DOC, 'garbage'), 401],
    ['a token signed with another secret', () => relayDocUrl(relay.url, DOC, forged()), 401],
    [
      'an expired token',
      () => relayDocUrl(relay.url, DOC, token('dm', { nowMs: Date.now() - 7200_000 })),
      401,
    ],
    ['another campaign’s token', () => relayDocUrl(relay.url, DOC, token('dm', { campaign: 'other' })), 403],
    ['an invalid document name', () => `${relay.url}/camp1/secrets/x?token=${token('dm')}`, 400],
  ] as const)('refuses the upgrade with %s, logs and audits it', async (_what, url, code) => {
    expect(await status(RawClient.connect(url()))).toBe(code);
    expect(relay.stats().connections).toBe(0);
    const refused = relay.store.auditLog({ event: 'upgrade.refused' });
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail).toMatch(new RegExp(`^${code} `));
    expect(logs.entries.some((e) => e.event === 'upgrade.refused' && e.fields['status'] === code)).toBe(true);
  });

  it('a tampered payload with the original signature is refused', async () => {
    const good = token('player', { owns: [] });
    const [, sig] = good.split('.');
    const payload = Buffer.from(
      JSON.stringify({ campaign: CAMPAIGN, user: 'player-user', role: 'dm', owns: [], exp: 4_102_444_800 }),
    ).toString('base64url');
    expect(await status(RawClient.connect(relayDocUrl(relay.url, DOC, `${payload}.${sig}`)))).toBe(401);
  });

  it('accepts the token in Sec-WebSocket-Protocol and echoes the sync subprotocol', async () => {
    const client = await RawClient.connect(relayDocUrl(relay.url, DOC), [
      SYNC_SUBPROTOCOL,
      TOKEN_SUBPROTOCOL_PREFIX + token('dm'),
    ]);
    expect(client.ws.protocol).toBe(SYNC_SUBPROTOCOL);
    client.send(syncFrame(SYNC_UPDATE, updateSetting('via', 'header')));
    expect(mapOf(await client.roundTrip())).toEqual({ via: 'header' });
    client.close();
  });

  it('echoes the token protocol when it is the only one offered', async () => {
    const proto = TOKEN_SUBPROTOCOL_PREFIX + token('spectator');
    const client = await RawClient.connect(relayDocUrl(relay.url, DOC), [proto]);
    expect(client.ws.protocol).toBe(proto);
    client.close();
  });

  it('the provider can pass its token in the protocol header', async () => {
    const doc = new Y.Doc();
    const p = new SyncProvider({
      relayUrl: relay.url,
      docName: DOC,
      doc,
      token: token('dm'),
      tokenTransport: 'protocol',
    });
    await p.whenSynced();
    p.destroy();
  });

  it('a refused provider reports error with the HTTP status and does not retry', async () => {
    const p = new SyncProvider({
      relayUrl: relay.url,
      docName: DOC,
      doc: new Y.Doc(),
      token: token('dm', { campaign: 'other' }),
      backoff: { initialMs: 5 },
    });
    const events: { status: string; httpStatus?: number }[] = [];
    p.onStatus((e) => events.push(e));
    await expect(p.whenSynced()).rejects.toThrow(/403/);
    await new Promise((r) => setTimeout(r, 60));
    expect(events.at(-1)).toMatchObject({ status: 'error', httpStatus: 403 });
    expect(relay.store.auditLog({ event: 'upgrade.refused' })).toHaveLength(1);
    p.destroy();
  });

  it('closes a connection with 4001 when its token expires', async () => {
    // exp has whole-second resolution: a token that expires within ~1 s.
    const nowS = Math.floor(Date.now() / 1000);
    const tok = signRelayToken(
      { campaign: CAMPAIGN, user: 'u', role: 'dm', owns: [], exp: nowS + 1 },
      'test-secret-0123456789abcdef',
    );
    const client = await RawClient.forDoc(relay, DOC, tok);
    expect(await client.closed()).toBe(CLOSE_CODES.tokenExpired);
    await waitFor(() => relay.stats().connections === 0, 'connection gone');
  });

  it('a stream of refused upgrades is counted, but logged and audited only at a bounded rate', async () => {
    for (let i = 0; i < 40; i++) {
      expect(await status(RawClient.connect(relayDocUrl(relay.url, DOC, 'garbage')))).toBe(401);
    }
    expect(relay.stats().refusedUpgrades).toBe(40);
    const audited = relay.store.auditLog({ event: 'upgrade.refused' }).length;
    expect(audited).toBeGreaterThanOrEqual(20);
    expect(audited).toBeLessThan(40);
    const ok = await RawClient.forDoc(relay, DOC, token('dm'));
    expect(mapOf(await ok.roundTrip())).toEqual({});
    ok.close();
  });

  it('serves /healthz and 404 elsewhere', async () => {
    const base = relay.url.replace('ws://', 'http://');
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, connections: 0, rooms: 0 });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
