import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOC_KINDS, docName, parseDocName, tryParseDocName } from './doc-names';
import { SyncInputError } from './errors';
import { createInvite, decodeInvite, encodeInvite } from './invite';
import { accessFor, ROLES } from './permissions';
import { createRelayToken, readRelayTokenClaims, signRelayToken, verifyRelayToken } from './token';

const SECRET = 'unit-test-secret-0123456789';
const NOW = 1_800_000_000_000;

describe('doc names', () => {
  it.each(DOC_KINDS)('round-trips a %s name', (kind) => {
    const name = docName('camp-1', kind, 'doc_9.a');
    expect(name).toBe(`camp-1/${kind}/doc_9.a`);
    expect(parseDocName(name)).toEqual({ campaign: 'camp-1', kind, docId: 'doc_9.a' });
  });

  it.each([
    ['camp1/character', 'docName: expected <campaignId>/<kind>/<docId>, got 2 part(s)'],
    ['camp1/character/a/b', 'docName: expected <campaignId>/<kind>/<docId>, got 4 part(s)'],
    ['camp1/secrets/a', 'docName.kind: "secrets" is not one of campaign, character'],
    ['../character/a', 'docName.campaign:'],
    ['camp1/character/', 'docName.docId:'],
    [`camp1/character/${'x'.repeat(129)}`, 'docName.docId:'],
  ])('rejects %j naming the part', (name, message) => {
    expect(() => parseDocName(name)).toThrow(SyncInputError);
    expect(() => parseDocName(name)).toThrow(message);
    expect(tryParseDocName(name)).toBeUndefined();
  });

  it('docName names the bad argument', () => {
    expect(() => docName('a b', 'campaign', 'x')).toThrow(/^campaign:/);
    expect(() => docName('c', 'nope' as never, 'x')).toThrow(/^kind:/);
    expect(() => docName('c', 'campaign', '')).toThrow(/^docId:/);
  });
});

describe('permissions', () => {
  // [dm, player owning, player not owning, spectator] — issue 4's table (journals readable by all: issue 9).
  const table = {
    campaign: ['write', 'read', 'read', 'read'],
    item: ['write', 'read', 'read', 'read'],
    character: ['write', 'write', 'read', 'read'],
    journal: ['write', 'write', 'read', 'read'],
    dmnotes: ['write', 'none', 'none', 'none'],
    session: ['write', 'read', 'read', 'read'],
    intents: ['write', 'write', 'none', 'none'],
    lore: ['write', 'read', 'read', 'read'],
  } as const;
  for (const kind of DOC_KINDS) {
    it(`${kind}: ${table[kind].join(' / ')}`, () => {
      const [dm, own, other, spec] = table[kind];
      expect(accessFor('dm', kind, 'd', [])).toBe(dm);
      expect(accessFor('dm', kind, 'd', ['d'])).toBe(dm);
      expect(accessFor('player', kind, 'd', ['x', 'd'])).toBe(own);
      expect(accessFor('player', kind, 'd', ['x'])).toBe(other);
      expect(accessFor('spectator', kind, 'd', ['d'])).toBe(spec);
      expect(accessFor('spectator', kind, 'd', [])).toBe(spec);
    });
  }
});

describe('relay tokens', () => {
  const claims = {
    campaign: 'c1',
    user: 'ana',
    role: 'player' as const,
    owns: ['pc1'],
    exp: NOW / 1000 + 60,
  };

  it('verifies what it signed', () => {
    expect(verifyRelayToken(signRelayToken(claims, SECRET), SECRET, NOW)).toEqual({ ok: true, claims });
  });

  it('has the documented shape: base64url(JSON).base64url(HMAC-SHA256)', () => {
    const t = signRelayToken(claims, SECRET);
    const [payload, sig] = t.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual(claims);
    expect(sig).toBe(createHmac('sha256', SECRET).update(payload!).digest('base64url'));
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'abc'],
    ['bad-signature', () => signRelayToken(claims, 'another-secret-0123456789')],
    ['expired', () => signRelayToken({ ...claims, exp: NOW / 1000 }, SECRET)],
    [
      'invalid-claims',
      () => {
        const p = Buffer.from(JSON.stringify({ ...claims, role: 'god' })).toString('base64url');
        return `${p}.${createHmac('sha256', SECRET).update(p).digest('base64url')}`;
      },
    ],
  ] as const)('reports %s', (failure, make) => {
    const t = typeof make === 'function' ? make() : make;
    expect(verifyRelayToken(t, SECRET, NOW)).toMatchObject({ ok: false, failure });
  });

  it('rejects short secrets and bad claims when signing, naming the field', () => {
    expect(() => signRelayToken(claims, 'short')).toThrow(/^secret: too short/);
    expect(() => signRelayToken({ ...claims, campaign: 'a/b' }, SECRET)).toThrow(/^claims\.campaign:/);
    expect(() => createRelayToken({ ...claims, ttlSeconds: 0, nowMs: NOW }, SECRET)).toThrow(/^ttl:/);
  });

  it('lets a client read its claims without the secret', () => {
    expect(readRelayTokenClaims(signRelayToken(claims, SECRET))).toEqual(claims);
    expect(() => readRelayTokenClaims('nope')).toThrow(/^token:/);
  });
});

describe('invites', () => {
  const invite = createInvite({
    relayUrl: 'wss://relay.example:8443',
    secret: SECRET,
    campaign: 'c1',
    user: 'ana',
    role: 'player',
    owns: ['pc1'],
    ttlSeconds: 3600,
    nowMs: NOW,
  });

  it.each(['url', 'base64url'] as const)('round-trips the %s form', (form) => {
    const text = encodeInvite(invite, form);
    if (form === 'url') expect(text.startsWith('loreforge://join?')).toBe(true);
    expect(decodeInvite(`  ${text}\n`)).toEqual(invite);
  });

  it('carries a token the relay secret verifies', () => {
    expect(verifyRelayToken(invite.token, SECRET, NOW)).toMatchObject({
      ok: true,
      claims: { user: 'ana', owns: ['pc1'] },
    });
  });

  it.each([
    ['garbage!!', 'invite: neither'],
    ['loreforge://open?x=1', 'invite: a loreforge link must start with'],
    [Buffer.from('not json').toString('base64url'), 'invite: base64url text does not decode to JSON'],
  ])('rejects %j', (text, message) => {
    expect(() => decodeInvite(text)).toThrow(message);
  });

  it.each([
    [{ relayUrl: 'http://x' }, 'invite.relayUrl: must be a ws:// or wss:// URL'],
    [{ role: 'dm' }, 'invite.token: grants role player, not dm'],
    [{ campaign: 'c2' }, 'invite.token: is for campaign c1, not c2'],
    [{ token: 'x.y' }, 'invite.token: not a relay token'],
    [{ role: 'king' }, 'invite.role:'],
  ])('validates %j', (patch, message) => {
    const bad = Buffer.from(JSON.stringify({ ...invite, ...patch })).toString('base64url');
    expect(() => decodeInvite(bad)).toThrow(message);
    const q = new URLSearchParams({
      relay: (patch as { relayUrl?: string }).relayUrl ?? invite.relayUrl,
      campaign: (patch as { campaign?: string }).campaign ?? invite.campaign,
      role: (patch as { role?: string }).role ?? invite.role,
      token: (patch as { token?: string }).token ?? invite.token,
    });
    expect(() => decodeInvite(`loreforge://join?${q.toString()}`)).toThrow(message);
  });

  it('every role can be invited', () => {
    for (const role of ROLES) {
      const i = createInvite({
        relayUrl: 'ws://h:1',
        secret: SECRET,
        campaign: 'c',
        user: 'u',
        role,
        ttlSeconds: 5,
        nowMs: NOW,
      });
      expect(decodeInvite(encodeInvite(i)).role).toBe(role);
    }
  });
});
