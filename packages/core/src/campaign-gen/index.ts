/** Campaign generation (issue 13): pitch → checked outline, nemesis, prep, adaptation, retheme. */
export * from './schema';
export { planCampaign, layerSizes, difficultyFor, type Plan, type PlanInput, type PartyMember } from './plan';
export { checkCampaign, reachable, type CheckResult, type Problem } from './check';
export { mirror, evolveChanges, tierCrs, crStepUp, type EvolveChange } from './nemesis';
export {
  buildPrep,
  prepMarkdown,
  adaptProposals,
  currentChapter,
  type PrepSheet,
  type PrepItem,
} from './prep';
export {
  createCampaignGen,
  type CampaignGenService,
  type GenerateInput,
  type GenerateResult,
} from './service';
export {
  narrate,
  narrationSchema,
  narrationRequest,
  applyNarration,
  type ObjectModel,
  type Narration,
  type Provenance,
} from './llm';
export { refineOutline, type SetOp, type RefineChange } from './refine';
export {
  mergeStructure,
  structureChanges,
  structureRefineRequest,
  structureSchema,
  structureView,
  StructureAnswerSchema,
  type StructureAnswer,
  type StructureChange,
} from './structure';
