export * from './fence';
export * from './types';
export * from './character';
import { characterCreatePrompt, characterRefinePrompt, summaryPrompt } from './character';

/** Every prompt by id, for provenance lookups (`id@version`). */
export const PROMPTS = {
  [characterCreatePrompt.id]: characterCreatePrompt,
  [characterRefinePrompt.id]: characterRefinePrompt,
  [summaryPrompt.id]: summaryPrompt,
} as const;
