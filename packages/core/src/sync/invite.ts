/**
 * Invites: what a DM hands a player to join a campaign through a relay. Two encodings of the same fields:
 * `loreforge://join?relay=<url>&campaign=<id>&role=<role>&token=<token>` or base64url(JSON).
 */
import { z } from 'zod';
import { SYNC_ID_PATTERN } from './doc-names';
import { SyncInputError } from './errors';
import { ROLES } from './permissions';
import { createRelayToken, RELAY_TOKEN_PATTERN, readRelayTokenClaims } from './token';

export const InviteSchema = z.strictObject({
  relayUrl: z
    .string()
    .max(2048)
    .refine((u) => /^wss?:\/\/[^\s/?#]+/.test(u) && URL.canParse(u), 'must be a ws:// or wss:// URL'),
  token: z.string().regex(RELAY_TOKEN_PATTERN, 'not a relay token (<base64url>.<base64url signature>)'),
  campaign: z.string().regex(SYNC_ID_PATTERN, 'not an id (1–128 of A-Z a-z 0-9 _ - .)'),
  role: z.enum(ROLES),
});
export type Invite = z.infer<typeof InviteSchema>;

export const INVITE_URL_PREFIX = 'loreforge://join?';

function validate(raw: unknown): Invite {
  const parsed = InviteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncInputError(
      `invite.${issue?.path.map(String).join('.') ?? ''}`,
      issue?.message ?? 'invalid',
    );
  }
  const invite = parsed.data;
  const claims = readRelayTokenClaims(invite.token);
  if (claims.campaign !== invite.campaign) {
    throw new SyncInputError('invite.token', `is for campaign ${claims.campaign}, not ${invite.campaign}`);
  }
  if (claims.role !== invite.role) {
    throw new SyncInputError('invite.token', `grants role ${claims.role}, not ${invite.role}`);
  }
  return invite;
}

export function encodeInvite(invite: Invite, form: 'url' | 'base64url' = 'url'): string {
  const v = validate(invite);
  if (form === 'base64url') return Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
  const q = new URLSearchParams({ relay: v.relayUrl, campaign: v.campaign, role: v.role, token: v.token });
  return `${INVITE_URL_PREFIX}${q.toString()}`;
}

/** Accepts either encoding (surrounding whitespace ignored); throws `SyncInputError` naming the bad field. */
export function decodeInvite(text: string): Invite {
  const s = text.trim();
  if (s.startsWith('loreforge:')) {
    if (!s.startsWith(INVITE_URL_PREFIX)) {
      throw new SyncInputError('invite', `a loreforge link must start with ${INVITE_URL_PREFIX}`);
    }
    const q = new URLSearchParams(s.slice(INVITE_URL_PREFIX.length));
    return validate({
      relayUrl: q.get('relay') ?? undefined,
      campaign: q.get('campaign') ?? undefined,
      role: q.get('role') ?? undefined,
      token: q.get('token') ?? undefined,
    });
  }
  if (!/^[A-Za-z0-9_-]+$/.test(s)) {
    throw new SyncInputError('invite', `neither a ${INVITE_URL_PREFIX} link nor base64url text`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new SyncInputError('invite', 'base64url text does not decode to JSON');
  }
  return validate(json);
}

export interface CreateInviteInput {
  relayUrl: string;
  /** The campaign's relay secret (the relay has the same one). */
  secret: string | Uint8Array;
  campaign: string;
  user: string;
  role: Invite['role'];
  owns?: readonly string[];
  ttlSeconds: number;
  nowMs: number;
}

/** The DM's side: sign a token for `user` and wrap it with the relay URL. */
export function createInvite(input: CreateInviteInput): Invite {
  const token = createRelayToken(
    {
      campaign: input.campaign,
      user: input.user,
      role: input.role,
      ttlSeconds: input.ttlSeconds,
      nowMs: input.nowMs,
      ...(input.owns ? { owns: input.owns } : {}),
    },
    input.secret,
  );
  return validate({ relayUrl: input.relayUrl, token, campaign: input.campaign, role: input.role });
}
