/**
 * What the model is asked for: *choices*, never derived numbers. A character draft is a rules-5e build in
 * source form (names are fine, ids are resolved later), the narrative, lore per element and optional custom
 * content with the numbers the balance check needs. Objects are not strict: keys the model adds (AC, HP, DCs…)
 * are dropped by zod, so derived numbers sent by a model never reach the pipeline.
 */
import { AbilitySchema, BuildSchema, CreatureSchema, RaritySchema, SkillSchema } from '@loreforge/rules-5e';
import { z } from 'zod';
import { ElementKindSchema, LoreEntrySchema, NarrativeSchema } from '../generation/index';

export const DraftElementNameSchema = z.object({
  kind: ElementKindSchema,
  /** The name shown to the player, e.g. "Plasma Blade". */
  name: z.string().min(1),
});

export const CustomContentSchema = z.object({
  kind: z.enum(['spell', 'weapon', 'magic-item']),
  name: z.string().min(1),
  /** Short description in the model's words. */
  description: z.string().min(1),
  /** The SRD element whose mechanics it re-skins, if any. */
  basedOn: z.string().min(1).optional(),
  /** Spells: level 0–9 (0 = cantrip), damage dice and how many targets. */
  level: z.number().int().min(0).max(9).optional(),
  damage: z.string().min(1).optional(),
  targets: z.enum(['single', 'multiple']).optional(),
  noEffectOnSave: z.boolean().optional(),
  /** Weapons. */
  category: z.enum(['simple', 'martial']).optional(),
  ranged: z.boolean().optional(),
  properties: z.array(z.string()).optional(),
  /** Magic items: rarity and static bonus (+N to attack, AC…). */
  rarity: RaritySchema.optional(),
  bonus: z.number().int().optional(),
  armor: z.boolean().optional(),
});
export type CustomContent = z.infer<typeof CustomContentSchema>;

/** The compact character draft (pc and npc). */
export const CharacterDraftSchema = z.object({
  build: BuildSchema,
  narrative: NarrativeSchema,
  lore: z.array(LoreEntrySchema).default([]),
  elements: z
    .array(DraftElementNameSchema)
    .default([])
    .describe(
      'Only elements shown under a name other than their SRD name (re-skins such as "Plasma Blade" for a longsword); SRD names need no entry.',
    ),
  custom: z
    .array(CustomContentSchema)
    .default([])
    .describe('Only when nothing in the SRD fits: custom spells, weapons or magic items with their numbers.'),
});
export type CharacterDraft = z.infer<typeof CharacterDraftSchema>;

/**
 * The stat block as the model writes it: rules-5e's `CreatureSchema` with saves and skills as lists instead of
 * maps (OpenAI strict mode cannot express maps). `toCreature` turns it back.
 */
export const CreatureChoicesSchema = CreatureSchema.omit({ saves: true, skills: true }).extend({
  saves: z.array(z.object({ ability: AbilitySchema, bonus: z.number().int() })).default([]),
  skills: z.array(z.object({ skill: SkillSchema, bonus: z.number().int() })).default([]),
});
export type CreatureChoices = z.infer<typeof CreatureChoicesSchema>;

export function toCreature(c: CreatureChoices): z.infer<typeof CreatureSchema> {
  return CreatureSchema.parse({
    ...c,
    saves: Object.fromEntries(c.saves.map((s) => [s.ability, s.bonus])),
    skills: Object.fromEntries(c.skills.map((s) => [s.skill, s.bonus])),
  });
}

export function toCreatureChoices(c: z.infer<typeof CreatureSchema>): CreatureChoices {
  return {
    ...c,
    saves: Object.entries(c.saves).map(([ability, bonus]) => ({
      ability: ability as CreatureChoices['saves'][number]['ability'],
      bonus: bonus as number,
    })),
    skills: Object.entries(c.skills).map(([skill, bonus]) => ({
      skill: skill as CreatureChoices['skills'][number]['skill'],
      bonus: bonus as number,
    })),
  };
}

/** A monster draft: a stat block (its numbers are choices; CR is recomputed), narrative and lore. */
export const MonsterDraftSchema = z.object({
  creature: CreatureChoicesSchema,
  /** The SRD creature it is adapted from, if any. */
  basedOn: z.string().min(1).optional(),
  narrative: NarrativeSchema,
  lore: z.array(LoreEntrySchema).default([]),
});
export type MonsterDraft = z.infer<typeof MonsterDraftSchema>;

/** Fields a refinement may change; the patch must name each one it touches in `changes`. */
export const BUILD_PATCH_FIELDS = [
  'name',
  'species',
  'lineage',
  'size',
  'background',
  'classes',
  'abilityScores',
  'skills',
  'expertise',
  'feats',
  'equipment',
  'spells',
] as const;
export const NARRATIVE_PATCH_FIELDS = [
  'backstory',
  'personality',
  'ideals',
  'bonds',
  'flaws',
  'fears',
  'secrets',
  'motivations',
  'relationships',
  'appearance',
] as const;
export const PATCH_FIELDS = [
  ...BUILD_PATCH_FIELDS.map((f) => `build.${f}` as const),
  ...NARRATIVE_PATCH_FIELDS.map((f) => `narrative.${f}` as const),
  'lore',
] as const;
export type PatchField = (typeof PATCH_FIELDS)[number];

export const RefinePatchSchema = z.object({
  /** One entry per changed field, with the model's one-sentence explanation. */
  changes: z
    .array(z.object({ field: z.enum(PATCH_FIELDS), explanation: z.string().min(1) }))
    .min(1, 'name at least one changed field'),
  build: BuildSchema.partial().optional(),
  narrative: NarrativeSchema.partial().optional(),
  /** Lore entries to add or replace (matched by element and kind). */
  lore: z.array(LoreEntrySchema).optional(),
});
export type RefinePatch = z.infer<typeof RefinePatchSchema>;

/** A re-theme keeps the mechanics: only the name, the narrative and the lore change. */
export const RethemeSchema = z.object({
  name: z.string().min(1).optional(),
  narrative: NarrativeSchema.partial(),
  lore: z.array(LoreEntrySchema).default([]),
});
export type Retheme = z.infer<typeof RethemeSchema>;
