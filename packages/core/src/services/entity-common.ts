/** Pieces the entity services (characters, items) share: name slugs and the cross-file entity listing. */
import type { CampaignDb } from '../store/schema';
import type { CampaignsService } from './campaigns';
import type { Engine } from './engine';

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
