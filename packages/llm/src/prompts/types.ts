import type { ChatMessage } from '../types';

export interface BuiltPrompt {
  readonly id: string;
  readonly version: number;
  readonly system: string;
  readonly messages: readonly ChatMessage[];
}

/**
 * A versioned prompt. Bump `version` whenever the wording changes: the version is part of
 * provenance and, through the prompt text, of the cache key.
 */
export interface PromptBuilder<Input> {
  readonly id: string;
  readonly version: number;
  build(input: Input): BuiltPrompt;
}
