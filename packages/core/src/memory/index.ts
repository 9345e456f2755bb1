/**
 * Campaign memory (issue 10): lore entities, mentions and backlinks, the relationship graph, search and
 * journal consolidation. `createMemoryService` is what `core.memory` is.
 */
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { createEntityMemory } from './entities';

export type { EntityRow, EntityView, Backlink, MentionRef, PreparedText, NewEntityInput } from './entities';
export { parseMentions, mentionRefs, formatMention, plainText } from './mention-syntax';
export { createAutocomplete, fold, type NamedEntity, type Suggestion } from './fuzzy';

export function createMemoryService(engine: Engine, campaigns: CampaignsService) {
  const entities = createEntityMemory(engine, campaigns);
  return {
    entities,
  };
}

export type MemoryService = ReturnType<typeof createMemoryService>;
