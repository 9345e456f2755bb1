/**
 * The character build: the persisted *source* of every character (what the player chose). Everything derived
 * (modifiers, AC, HP, DCs…) comes from `derive(build, content)` and is never stored.
 */
import { z } from 'zod';
import { AbilitySchema, IdSchema, RulesetSchema, SizeSchema, SkillSchema } from './content/types';

export const AbilityScoresSchema = z.object({
  str: z.number().int(),
  dex: z.number().int(),
  con: z.number().int(),
  int: z.number().int(),
  wis: z.number().int(),
  cha: z.number().int(),
});
export type AbilityScores = z.infer<typeof AbilityScoresSchema>;

export const BuildClassSchema = z.object({
  class: z.string().min(1),
  level: z.number().int().min(1),
  subclass: z.string().min(1).optional(),
});
export type BuildClass = z.infer<typeof BuildClassSchema>;

export const EquipmentEntrySchema = z.object({
  item: z.string().min(1),
  equipped: z.boolean().optional(),
  quantity: z.number().int().positive().optional(),
});
export type EquipmentEntry = z.infer<typeof EquipmentEntrySchema>;

export const SpellChoiceSchema = z.object({
  class: z.string().min(1),
  cantrips: z.array(z.string().min(1)).default([]),
  prepared: z.array(z.string().min(1)).default([]),
});
export type SpellChoice = z.infer<typeof SpellChoiceSchema>;

/** Where granted spells come from: a feat, the species lineage, or a feature (species trait or class feature). */
export const GrantSourceSchema = z.object({
  kind: z.enum(['feat', 'lineage', 'feature']),
  id: z.string().min(1),
});
export type GrantSource = z.infer<typeof GrantSourceSchema>;

/**
 * Spells granted by a feat, lineage or feature (a `grant-spells` effect), kept apart from `spells` so they are
 * never counted against a class table. `list` is the class spell list the grant draws from (Magic Initiate:
 * cleric, druid or wizard; defaults to the background's `featOption` when the feat is its origin feat).
 * `ability` is the chosen spellcasting ability (default: the list class's ability, else the best of Int/Wis/Cha).
 */
export const GrantedSpellsSchema = z.object({
  source: GrantSourceSchema,
  list: z.string().min(1).optional(),
  ability: AbilitySchema.optional(),
  cantrips: z.array(z.string().min(1)).default([]),
  spells: z.array(z.string().min(1)).default([]),
});
export type GrantedSpells = z.infer<typeof GrantedSpellsSchema>;

/**
 * Ids are checked against content by `validate`, not here: the schema admits unknown ids so that `repair` can
 * map them to the closest SRD entry. Scores are integers; their range is a `validate` rule (1–20 for characters).
 */
export const BuildSchema = z.object({
  ruleset: RulesetSchema.default('2024'),
  name: z.string().min(1),
  species: z.string().min(1),
  lineage: z.string().min(1).optional(),
  /** For species that offer a size choice (Human, Tiefling). */
  size: SizeSchema.optional(),
  background: z.string().min(1),
  classes: z.array(BuildClassSchema).min(1),
  abilityScores: AbilityScoresSchema,
  skills: z.array(SkillSchema).default([]),
  expertise: z.array(SkillSchema).default([]),
  feats: z.array(z.string().min(1)).default([]),
  equipment: z.array(EquipmentEntrySchema).default([]),
  spells: z.array(SpellChoiceSchema).optional(),
  /** Spells from feats, lineages and features (optional; builds without it stay valid). */
  grantedSpells: z.array(GrantedSpellsSchema).optional(),
  /** Warlock Eldritch Invocation ids (`INVOCATIONS`); optional, validated and repaired when present. */
  invocations: z.array(z.string().min(1)).optional(),
  /** Warlock Mystic Arcanum spell ids, one per spell level 6–9 the Warlock level has reached. */
  mysticArcanum: z.array(z.string().min(1)).optional(),
});
export type Build = z.infer<typeof BuildSchema>;
export type BuildInput = z.input<typeof BuildSchema>;

/** An example build (documented in CONTEXT.md): a level-5 High Elf Wizard. */
export const EXAMPLE_BUILD: BuildInput = {
  ruleset: '2024',
  name: 'Aria Moonwhisper',
  species: 'elf',
  lineage: 'high-elf',
  background: 'sage',
  classes: [{ class: 'wizard', level: 5, subclass: 'evoker' }],
  abilityScores: { str: 8, dex: 14, con: 14, int: 18, wis: 12, cha: 10 },
  skills: ['arcana', 'history', 'investigation', 'perception'],
  expertise: [],
  feats: ['magic-initiate'],
  equipment: [{ item: 'quarterstaff', equipped: true }, { item: 'spellbook' }],
  spells: [
    {
      class: 'wizard',
      cantrips: ['fire-bolt', 'mage-hand', 'prestidigitation', 'light'],
      prepared: [
        'magic-missile',
        'shield',
        'mage-armor',
        'detect-magic',
        'misty-step',
        'fireball',
        'counterspell',
        'sleep',
        'web',
      ],
    },
  ],
  // Magic Initiate from the Sage background: its list is the background's featOption (wizard).
  grantedSpells: [
    {
      source: { kind: 'feat', id: 'magic-initiate' },
      cantrips: ['ray-of-frost', 'minor-illusion'],
      spells: ['find-familiar'],
    },
  ],
};

export { AbilitySchema, IdSchema };
