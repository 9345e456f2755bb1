/** The concept-to-character pipeline (issue 5): see CONTEXT.md in this folder. */
export {
  BASELINE_TAG,
  BulkCreateInputSchema,
  CreateDraftInputSchema,
  DRAFT_BRANCH,
  applyPatch,
  commitMessage,
  createPipeline,
  defaultSquadCr,
  docProvenance,
  leaderCrFor,
  levelForCr,
  mergeElements,
  squadConcept,
  squadRoles,
  tuneToCr,
  type BulkCreateInput,
  type CallOptions,
  type CharacterPipeline,
  type CreateDraftInput,
  type PipelineDeps,
  type PipelineResult,
  type Provenance,
  type RefineResult,
  type SquadRole,
} from './service';
export { levelUpOptions, type LevelUpOption } from './level-up';
export {
  characterToCreature,
  loreMissing,
  processBuild,
  processCharacter,
  processMonster,
  type BalanceAdjustment,
  type Challenge,
  type MappingStats,
  type ProcessedBuild,
  type ProcessedCharacter,
  type ProcessedMonster,
} from './process';
export {
  CharacterDraftSchema,
  CustomContentSchema,
  MonsterDraftSchema,
  PATCH_FIELDS,
  RefinePatchSchema,
  RethemeSchema,
  type CharacterDraft,
  type CustomContent,
  type MonsterDraft,
  type PatchField,
  type RefinePatch,
  type Retheme,
} from './schemas';
export { OFFLINE_PROVIDER_ID, draftToAnswer, matchTheme, proceduralGenerator } from './offline';
export { characterRethemePrompt, fencedText, monsterCreatePrompt, type MonsterCreateInput } from './prompts';
/** Re-exported for scripts (eval, bench) that run the pipeline outside the CLI. */
export { loadSrdContent } from '../content/load-srd';
export {
  PROVIDER_CHOICES,
  createPipelineRouter,
  type PipelineRouter,
  type PipelineRouterOptions,
  type ProviderChoice,
} from './providers';
