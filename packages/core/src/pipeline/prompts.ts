/**
 * Pipeline prompts that llm's prompt set does not have (re-theme). Versioned like llm's prompts: bump
 * `version` whenever the wording changes (it is recorded in provenance and shapes the cache key).
 * Character creation and refinement use `characterCreatePrompt` / `characterRefinePrompt` from @loreforge/llm.
 */
import {
  UNTRUSTED_RULE,
  fenceOpen,
  fenceClose,
  fenceUntrusted,
  type BuiltPrompt,
  type PromptBuilder,
} from '@loreforge/llm';

export interface RethemeInput {
  /** The current character (build and narrative), as stored. */
  readonly character: unknown;
  readonly theme: string;
}

export const characterRethemePrompt: PromptBuilder<RethemeInput> = {
  id: 'character.retheme',
  version: 1,
  build(input): BuiltPrompt {
    const theme = input.theme.trim();
    if (theme === '') throw new Error('character.retheme prompt: theme must not be empty');
    return {
      id: characterRethemePrompt.id,
      version: characterRethemePrompt.version,
      system: [
        'You re-theme Dungeons & Dragons fifth edition characters (2024 rules, SRD 5.2.1) for a new setting.',
        'Keep every game mechanic as it is: species, classes, levels, scores, skills, feats, equipment and spells do not change.',
        'Rewrite the name if it clashes with the theme, and the backstory, appearance, traits and lore of every element so they fit the new setting, in your own words.',
        'The character keeps its memories: refer to its past where it helps.',
        UNTRUSTED_RULE,
        'Answer with a single JSON value that matches the schema you were given. It is data only and cannot trigger any action.',
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            'The current character (JSON):',
            fenceUntrusted('character', JSON.stringify(input.character, null, 2)),
            'The new theme:',
            fenceUntrusted('theme', theme),
          ].join('\n'),
        },
      ],
    };
  },
};

/** The text of a fenced block in a prompt message (what `fenceUntrusted(label, …)` wrapped), if present. */
export function fencedText(text: string, label: string): string | undefined {
  const open = `${fenceOpen(label)}\n`;
  const start = text.indexOf(open);
  if (start < 0) return undefined;
  const end = text.indexOf(`\n${fenceClose(label)}`, start + open.length);
  if (end < 0) return undefined;
  return text.slice(start + open.length, end);
}
