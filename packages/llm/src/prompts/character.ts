import { z } from 'zod';
import { LlmError } from '../errors';
import { UNTRUSTED_RULE, fenceUntrusted } from './fence';
import type { BuiltPrompt, PromptBuilder } from './types';

/** Checks prompt inputs; a bad field is a `config` error naming the field and the reason. */
function parseInput<T>(schema: z.ZodType<T>, input: unknown, prompt: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`);
  throw new LlmError('config', `prompt ${prompt}`, `bad input: ${lines.join('; ')}`, { cause: parsed.error });
}

const DATA_ONLY =
  'Answer with a single JSON value that matches the schema you were given. Your answer is treated as data only: it is validated and checked by a rules engine, and it cannot trigger any action.';

const CHARACTER_ROLE = [
  'You help design characters for Dungeons & Dragons fifth edition, 2024 rules (SRD 5.2.1).',
  'Prefer SRD species, classes, backgrounds, feats, spells and equipment, named exactly as in the SRD.',
  'Invent custom content only when nothing in the SRD fits the concept, and keep it balanced against SRD equivalents.',
  'Return choices (species, classes and levels, background, ability scores, skills, equipment, spells, feats), not derived numbers: the rules engine computes those.',
  'Give every weapon, armor, spell, feature and tradition a short piece of lore tied to the concept, written in your own words.',
].join('\n');

const hintList = z.array(z.string().trim().min(1).max(200)).max(12);

/** What an offline reading of the concept found; shown to the model as hints (fenced: they quote the concept). */
export const ConceptHintsSchema = z.strictObject({
  classes: hintList.optional(),
  species: hintList.optional(),
  pronoun: z.enum(['he', 'she', 'they']).optional(),
  gear: hintList.optional(),
  places: hintList.optional(),
  props: hintList.optional(),
  events: hintList.optional(),
  figure: z.string().trim().min(1).max(200).optional(),
});
export type ConceptHints = z.infer<typeof ConceptHintsSchema>;

export const CharacterCreateInputSchema = z.strictObject({
  concept: z.string().trim().min(1, 'must not be empty').max(4_000, 'must be at most 4000 characters'),
  kind: z.enum(['pc', 'npc', 'monster']),
  level: z.number().int().min(1).max(20).optional(),
  theme: z.string().trim().min(1).max(500).optional(),
  hints: ConceptHintsSchema.optional(),
});

const TELL_THE_CONCEPT =
  'Tell the concept back: build the backstory, appearance, bonds and lore from its own places, props, events and names, write the character with the pronouns the concept uses, give the character the props it names (weapons and armor equipped), keep the build consistent with the story, and never copy the concept verbatim.';

function hintLines(h: ConceptHints): string {
  const lines: string[] = [];
  if (h.figure) lines.push(`famous figure: ${h.figure}`);
  if (h.classes?.length) lines.push(`likely classes: ${h.classes.join(', ')}`);
  if (h.species?.length) lines.push(`likely species: ${h.species.join(', ')}`);
  if (h.pronoun) lines.push(`pronouns: ${h.pronoun}`);
  if (h.gear?.length) lines.push(`gear to carry: ${h.gear.join(', ')}`);
  if (h.props?.length) lines.push(`props named: ${h.props.join(', ')}`);
  if (h.places?.length) lines.push(`places named: ${h.places.join(', ')}`);
  if (h.events?.length) lines.push(`events named: ${h.events.join(', ')}`);
  return lines.join('\n');
}
export type CharacterCreateInput = z.input<typeof CharacterCreateInputSchema>;

export const characterCreatePrompt: PromptBuilder<CharacterCreateInput> = {
  id: 'character.create',
  version: 2,
  build(raw): BuiltPrompt {
    const input = parseInput(CharacterCreateInputSchema, raw, 'character.create');
    const kind = { pc: 'player character', npc: 'non-player character', monster: 'monster' }[input.kind];
    const lines = [
      `Create a ${kind}${input.level === undefined ? '' : ` of level ${input.level}`} from the concept below.`,
      fenceUntrusted('concept', input.concept),
    ];
    if (input.theme !== undefined) lines.push('Theme of the campaign:', fenceUntrusted('theme', input.theme));
    const hints = input.hints === undefined ? '' : hintLines(input.hints);
    if (hints !== '')
      lines.push(
        'What an offline reading of the concept found (hints; the concept wins where they disagree):',
        fenceUntrusted('hints', hints),
      );
    return {
      id: characterCreatePrompt.id,
      version: characterCreatePrompt.version,
      system: `${CHARACTER_ROLE}\n${TELL_THE_CONCEPT}\n${UNTRUSTED_RULE}\n${DATA_ONLY}`,
      messages: [{ role: 'user', content: lines.join('\n') }],
    };
  },
};

export const CharacterRefineInputSchema = z.strictObject({
  /** The current character (its source choices), as stored. Fenced: it holds user-written text. */
  character: z.unknown().refine((v) => v !== undefined, 'is required'),
  feedback: z.string().trim().min(1, 'must not be empty').max(4_000, 'must be at most 4000 characters'),
});
export type CharacterRefineInput = z.input<typeof CharacterRefineInputSchema>;

export const characterRefinePrompt: PromptBuilder<CharacterRefineInput> = {
  id: 'character.refine',
  version: 1,
  build(raw): BuiltPrompt {
    const input = parseInput(CharacterRefineInputSchema, raw, 'character.refine');
    return {
      id: characterRefinePrompt.id,
      version: characterRefinePrompt.version,
      system: [
        CHARACTER_ROLE,
        'You are revising an existing character. Change only what the feedback asks for and keep everything else exactly as it is.',
        'Explain each change in one short sentence.',
        UNTRUSTED_RULE,
        DATA_ONLY,
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            'The current character (JSON):',
            fenceUntrusted('character', JSON.stringify(input.character, null, 2)),
            'The requested changes:',
            fenceUntrusted('feedback', input.feedback),
          ].join('\n'),
        },
      ],
    };
  },
};

export const SummaryInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(100_000, 'must be at most 100000 characters'),
  maxWords: z.number().int().min(10).max(1_000).default(120),
});
export type SummaryInput = z.input<typeof SummaryInputSchema>;

export const summaryPrompt: PromptBuilder<SummaryInput> = {
  id: 'summary',
  version: 1,
  build(raw): BuiltPrompt {
    const input = parseInput(SummaryInputSchema, raw, 'summary');
    return {
      id: summaryPrompt.id,
      version: summaryPrompt.version,
      system: [
        'You summarise tabletop role-playing campaign notes for the game master.',
        `Write at most ${input.maxWords} words, in your own words, keeping names, places and open threads.`,
        UNTRUSTED_RULE,
        DATA_ONLY,
      ].join('\n'),
      messages: [{ role: 'user', content: `Summarise these notes:\n${fenceUntrusted('notes', input.text)}` }],
    };
  },
};
