/**
 * Campaign memory (issue 10): lore entities, mentions and backlinks, the relationship graph, search and
 * journal consolidation. `createMemoryService` is what `core.memory` is.
 */
import type { CampaignsService } from '../services/campaigns';
import type { Engine } from '../services/engine';
import { createConsolidationMemory } from './consolidation-service';
import { createEntityMemory } from './entities';
import { createGraphMemory } from './graph';
import { createSearchMemory } from './search';
import { createSemanticMemory } from './semantic';

export type {
  EntityRow,
  EntityView,
  Backlink,
  MentionRef,
  PreparedText,
  NewEntityInput,
  NpcStub,
} from './entities';
export {
  addNpcBuild,
  generateNpcBuild,
  linkNpcBuild,
  listCharacters,
  npcBuildConcept,
  npcBuildTarget,
  npcStubCharacter,
  type CharacterListRow,
  type GeneratedNpcBuild,
  type NpcBuildResult,
  type NpcStubCharacter,
} from './npc-build';
export { parseMentions, mentionRefs, formatMention, plainText } from './mention-syntax';
export {
  buildGraph,
  neighbors,
  shortestPath,
  centrality,
  communities,
  compact,
  pagerankScores,
  louvainCommunities,
  type Relation,
  type Neighbor,
  type CoMentionGroup,
  type GraphViewData,
} from './graph';
export { type SearchHit, type Facets, type SearchFilters } from './search';
export { consolidate, checkSources, supportedBy, type Consolidation, type JournalInput } from './consolidate';
export { createAutocomplete, fold, type NamedEntity, type Suggestion } from './fuzzy';

export function createMemoryService(engine: Engine, campaigns: CampaignsService) {
  const search = createSearchMemory(engine, campaigns);
  const entities = createEntityMemory(engine, campaigns, search);
  const graph = createGraphMemory(engine, campaigns, entities, search);
  const semantic = createSemanticMemory(engine, search);
  const consolidation = createConsolidationMemory(engine, campaigns, entities);
  return {
    consolidation,
    entities,
    graph,
    search,
    semantic,
    /** Stop following the change feed and close the embeddings database. */
    close(): void {
      search.close();
      semantic.close();
      graph.close();
    },
  };
}

export type MemoryService = ReturnType<typeof createMemoryService>;
