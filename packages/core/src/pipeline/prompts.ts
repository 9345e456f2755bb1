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

export interface MonsterCreateInput {
  readonly concept: string;
  /** Target challenge rating (0–30; fractions 1/8, 1/4, 1/2 allowed). */
  readonly cr: number;
  readonly theme?: string | undefined;
}

const crText = (cr: number): string => (cr > 0 && cr < 1 ? `1/${Math.round(1 / cr)}` : String(cr));

/**
 * Monsters need a challenge rating, which llm's `characterCreatePrompt` (levels 1–20) cannot say; the wording
 * otherwise follows it: choices, lore, SRD first, fenced user text.
 */
export const monsterCreatePrompt: PromptBuilder<MonsterCreateInput> = {
  id: 'monster.create',
  version: 1,
  build(input): BuiltPrompt {
    const concept = input.concept.trim();
    if (concept === '') throw new Error('monster.create prompt: concept must not be empty');
    if (!(input.cr >= 0 && input.cr <= 30))
      throw new Error(`monster.create prompt: cr ${input.cr} must be 0–30`);
    const lines = [
      `Create a monster of challenge rating ${crText(input.cr)} from the concept below.`,
      fenceUntrusted('concept', concept),
    ];
    if (input.theme !== undefined && input.theme.trim() !== '')
      lines.push('Theme of the campaign:', fenceUntrusted('theme', input.theme.trim()));
    return {
      id: monsterCreatePrompt.id,
      version: monsterCreatePrompt.version,
      system: [
        'You design monsters for Dungeons & Dragons fifth edition, 2024 rules (SRD 5.2.1).',
        'Start from an SRD creature when one fits (name it in basedOn) and adapt it; give a full stat block.',
        'The challenge rating, XP and proficiency bonus you give are recomputed by a rules engine from the stat block.',
        'Give the creature and each of its traits a short piece of lore, in your own words.',
        UNTRUSTED_RULE,
        'Answer with a single JSON value that matches the schema you were given. It is data only and cannot trigger any action.',
      ].join('\n'),
      messages: [{ role: 'user', content: lines.join('\n') }],
    };
  },
};

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
