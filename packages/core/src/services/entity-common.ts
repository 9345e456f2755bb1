/** Pieces the entity services (characters, items) share: imports, name slugs and the cross-file listing. */
import type { z } from 'zod';
import { CoreError } from '../errors';
import type { CampaignDb } from '../store/schema';
import type { CampaignsService } from './campaigns';
import type { Engine } from './engine';

/**
 * A failed import parse → an `invalid-input` error naming the file kind, the path and zod's message. For a
 * union schema the first issue is reported against union member `form` (the form the file is trying to be).
 */
export function importError(what: string, error: z.ZodError, form: number): CoreError {
  const issue = error.issues[0];
  const detail = issue && 'errors' in issue ? (issue.errors as z.core.$ZodIssue[][])[form]?.[0] : issue;
  return new CoreError(
    'invalid-input',
    `${what} file: ${detail ? `${detail.path.join('.') || '(root)'}: ${detail.message}` : 'invalid'}`,
  );
}

/** Where an import goes: the named campaign (which must exist) or else the library; and who authors it. */
export async function importTarget(
  engine: Engine,
  campaigns: CampaignsService,
  opts: { campaign?: string; author?: string },
): Promise<{ campaignId: string; author: string }> {
  const campaignId = opts.campaign ?? (await campaigns.libraryId());
  if (opts.campaign) await campaigns.get(opts.campaign);
  return { campaignId, author: opts.author ?? engine.author };
}

/** One row of a campaign file's `entities` projection. */
export type EntityIndexRow = CampaignDb['entities'];

/**
 * Free text → a branch or tag name part: lower-case letters and digits, other runs become `-`, at most
 * 40 characters; `theme` when nothing is left.
 */
export function nameSlug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'theme'
  );
}

/**
 * The index rows of one entity type across every campaign file (a campaign's members may live in another
 * file, e.g. the library), by name within each file, each with its campaign (`null` for the library).
 * With `campaign`, only that campaign's members.
 */
export async function listEntityRows(
  engine: Engine,
  campaigns: CampaignsService,
  entity: 'character' | 'item',
  campaign: string | undefined,
): Promise<{ row: EntityIndexRow; campaign: string | null }[]> {
  const library = (await engine.library.libraryCampaign())?.id;
  const wanted = campaign ? new Set(await campaigns.memberIds(campaign)) : null;
  const out: { row: EntityIndexRow; campaign: string | null }[] = [];
  for (const c of await campaigns.list()) {
    const store = await engine.campaignStore(c.id);
    const rows = await store.db
      .selectFrom('entities')
      .selectAll()
      .where('entity', '=', entity)
      .orderBy('name')
      .execute();
    for (const row of rows) {
      if (wanted && !wanted.has(row.id)) continue;
      out.push({ row, campaign: c.id === library ? null : c.id });
    }
  }
  return out;
}
