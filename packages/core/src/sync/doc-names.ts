/**
 * Synced document names: `<campaignId>/<kind>/<docId>`. One Y.Doc per name; the relay uses the name as its room.
 */
import { SyncInputError } from './errors';

export const DOC_KINDS = [
  'campaign',
  'character',
  'item',
  'journal',
  'dmnotes',
  'session',
  'intents',
  'lore',
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** Campaign and document ids: 1–128 characters of `A-Z a-z 0-9 _ - .`, not starting with `.` or `-`. */
export const SYNC_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface DocNameParts {
  campaign: string;
  kind: DocKind;
  docId: string;
}

export function isDocKind(value: unknown): value is DocKind {
  return typeof value === 'string' && (DOC_KINDS as readonly string[]).includes(value);
}

function checkId(field: string, value: string): void {
  if (!SYNC_ID_PATTERN.test(value)) {
    throw new SyncInputError(
      field,
      `${JSON.stringify(value.slice(0, 40))} is not an id (1–128 of A-Z a-z 0-9 _ - ., not starting with . or -)`,
    );
  }
}

/** Build a document name; throws `SyncInputError` naming the bad part. */
export function docName(campaign: string, kind: DocKind, docId: string): string {
  checkId('campaign', campaign);
  if (!isDocKind(kind))
    throw new SyncInputError('kind', `${JSON.stringify(kind)} is not one of ${DOC_KINDS.join(', ')}`);
  checkId('docId', docId);
  return `${campaign}/${kind}/${docId}`;
}

/** Split and validate a document name; throws `SyncInputError` naming the bad part. */
export function parseDocName(name: string): DocNameParts {
  const parts = name.split('/');
  if (parts.length !== 3) {
    throw new SyncInputError('docName', `expected <campaignId>/<kind>/<docId>, got ${parts.length} part(s)`);
  }
  const [campaign = '', kind = '', docId = ''] = parts;
  checkId('docName.campaign', campaign);
  if (!isDocKind(kind)) {
    throw new SyncInputError('docName.kind', `${JSON.stringify(kind)} is not one of ${DOC_KINDS.join(', ')}`);
  }
  checkId('docName.docId', docId);
  return { campaign, kind, docId };
}

/** `parseDocName` without throwing. */
export function tryParseDocName(name: string): DocNameParts | undefined {
  try {
    return parseDocName(name);
  } catch {
    return undefined;
  }
}
