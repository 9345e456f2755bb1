/**
 * Relay tokens: `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * HMAC with the campaign's relay secret (shared by the DM and the relay); `exp` is in seconds since the epoch.
 * Only the relay verifies; clients may read the claims unverified to know their own role.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SYNC_ID_PATTERN } from './doc-names';
import { SyncInputError } from './errors';
import { ROLES } from './permissions';

const idSchema = z.string().regex(SYNC_ID_PATTERN, 'not an id (1–128 of A-Z a-z 0-9 _ - .)');

export const RelayTokenClaimsSchema = z.strictObject({
  campaign: idSchema,
  user: z.string().min(1).max(128),
  role: z.enum(ROLES),
  owns: z.array(idSchema).max(10_000),
  /** Expiry, whole seconds since the Unix epoch. */
  exp: z.int().positive(),
});
export type RelayTokenClaims = z.infer<typeof RelayTokenClaimsSchema>;

/** Shape of a token on the wire (two base64url parts). */
export const RELAY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{43}$/;

export const MIN_SECRET_BYTES = 16;

export type TokenFailure = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'invalid-claims';
export type TokenCheck =
  { ok: true; claims: RelayTokenClaims } | { ok: false; failure: TokenFailure; message: string };

function secretBytes(secret: string | Uint8Array): Buffer {
  const buf = typeof secret === 'string' ? Buffer.from(secret.trim(), 'utf8') : Buffer.from(secret);
  if (buf.length < MIN_SECRET_BYTES) {
    throw new SyncInputError('secret', `too short (${buf.length} bytes, need at least ${MIN_SECRET_BYTES})`);
  }
  return buf;
}

function sign(payload: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** A fresh random secret (32 bytes, base64url) for `relay secret` or a new campaign. */
export function generateRelaySecret(): string {
  return randomBytes(32).toString('base64url');
}

export function signRelayToken(claims: RelayTokenClaims, secret: string | Uint8Array): string {
  const parsed = RelayTokenClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncInputError(
      `claims.${issue?.path.map(String).join('.') ?? ''}`,
      issue?.message ?? 'invalid',
    );
  }
  const payload = Buffer.from(JSON.stringify(parsed.data), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secretBytes(secret)).toString('base64url')}`;
}

export interface CreateTokenInput {
  campaign: string;
  user: string;
  role: RelayTokenClaims['role'];
  owns?: readonly string[];
  ttlSeconds: number;
  /** Current time in milliseconds since the epoch. */
  nowMs: number;
}

export function createRelayToken(input: CreateTokenInput, secret: string | Uint8Array): string {
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0) {
    throw new SyncInputError('ttl', `must be a positive whole number of seconds, got ${input.ttlSeconds}`);
  }
  return signRelayToken(
    {
      campaign: input.campaign,
      user: input.user,
      role: input.role,
      owns: [...(input.owns ?? [])],
      exp: Math.floor(input.nowMs / 1000) + input.ttlSeconds,
    },
    secret,
  );
}

function parsePayload(payload: string): TokenCheck {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, failure: 'malformed', message: 'token payload is not base64url JSON' };
  }
  const parsed = RelayTokenClaimsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      failure: 'invalid-claims',
      message: `token claims.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, claims: parsed.data };
}

/** Verify signature, claims and expiry. Never throws for bad tokens (a bad secret still throws). */
export function verifyRelayToken(
  token: string | undefined,
  secret: string | Uint8Array,
  nowMs: number,
): TokenCheck {
  const key = secretBytes(secret);
  if (token === undefined || token === '') return { ok: false, failure: 'missing', message: 'no token' };
  if (!RELAY_TOKEN_PATTERN.test(token)) {
    return { ok: false, failure: 'malformed', message: 'token is not <base64url>.<base64url signature>' };
  }
  const dot = token.indexOf('.');
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = sign(payload, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      failure: 'bad-signature',
      message: 'token signature does not match the relay secret',
    };
  }
  const check = parsePayload(payload);
  if (!check.ok) return check;
  if (check.claims.exp * 1000 <= nowMs) {
    return {
      ok: false,
      failure: 'expired',
      message: `token expired at ${new Date(check.claims.exp * 1000).toISOString()}`,
    };
  }
  return check;
}

/** Read a token's claims WITHOUT checking the signature (clients: "what role does my invite give me?"). */
export function readRelayTokenClaims(token: string): RelayTokenClaims {
  if (!RELAY_TOKEN_PATTERN.test(token)) {
    throw new SyncInputError('token', 'not <base64url>.<base64url signature>');
  }
  const check = parsePayload(token.slice(0, token.indexOf('.')));
  if (!check.ok) throw new SyncInputError('token', check.message);
  return check.claims;
}
