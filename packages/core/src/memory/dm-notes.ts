/** Writing one entry of a campaign's DM notes (lore parts, relations), shared by the memory services. */
import { editDmNotes } from '../docs/dmnotes-doc';
import type { Json, JsonObject } from '../docs/y-json';
import { dmNotesStorageId } from '../live/types';
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';

/**
 * Set `notes[section][id] = value` in the campaign's dmnotes document (created on first use), in one local-user
 * transaction, and save it. The campaign is brought to its current format first.
 */
export async function writeDmNotesEntry(
  engine: Engine,
  campaigns: CampaignsService,
  campaignId: string,
  section: 'lore' | 'relations',
  id: string,
  value: Json,
): Promise<void> {
  await campaigns.doc(campaignId);
  const notesId = dmNotesStorageId(campaignId);
  if (!(await engine.library.home(notesId))) await engine.mergeDmNotes(campaignId, {}, 'DM notes');
  const loc = await engine.locate(notesId, 'dmnotes');
  const session = await engine.openForWrite(loc);
  try {
    editDmNotes(
      session.doc,
      (json) => ({ ...json, [section]: { ...((json[section] ?? {}) as JsonObject), [id]: value } }),
      engine.origin('local-user'),
    );
    await engine.save(loc, session);
  } finally {
    session.close();
  }
}
