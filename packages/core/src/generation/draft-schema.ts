/**
 * The draft a generator returns: *choices* (a rules-5e `Build` in source form), narrative, lore for every
 * element, and the list of elements with their SRD tag. The offline generator fills ids; an LLM returns the same
 * shape with names in the build (ids omitted) and `resolveDraft` maps the names to ids.
 */
import { z } from 'zod';
import {
  BuildSchema,
  CreatureSchema,
  DamageTypeSchema,
  DiceSchema,
  RaritySchema,
  WeaponPropertySchema,
} from '@loreforge/rules-5e';

export const DraftKindSchema = z.enum(['pc', 'npc', 'monster']);
export type DraftKind = z.infer<typeof DraftKindSchema>;

export const ELEMENT_KINDS = ['species', 'class', 'subclass', 'background', 'feat', 'item', 'spell'] as const;
export const ElementKindSchema = z.enum(ELEMENT_KINDS);
export type ElementKind = z.infer<typeof ElementKindSchema>;

export const ElementTagSchema = z.enum(['srd', 'adapted', 'custom']);
export type ElementTag = z.infer<typeof ElementTagSchema>;

export const DraftElementSchema = z.object({
  kind: ElementKindSchema,
  /** The name shown to the player (may be a re-skin such as "Plasma Blade"). */
  name: z.string().min(1),
  /** Content id the element maps to (absent in LLM output until resolved). */
  id: z.string().min(1).optional(),
  tag: ElementTagSchema,
  /** For `adapted`: the SRD id the element's mechanics come from. */
  basedOn: z.string().min(1).optional(),
});
export type DraftElement = z.infer<typeof DraftElementSchema>;

export const LORE_KINDS = [
  'species',
  'lineage',
  'class',
  'tradition',
  'subclass',
  'background',
  'feat',
  'feature',
  'weapon',
  'armor',
  'item',
  'spell',
  'creature',
  'trait',
] as const;
export const LoreKindSchema = z.enum(LORE_KINDS);
export type LoreKind = z.infer<typeof LoreKindSchema>;

export const LoreEntrySchema = z.object({
  /** The element's name (as in `elements`, a feature name, or the tradition's name). */
  element: z.string().min(1),
  kind: LoreKindSchema,
  text: z.string().min(1),
});
export type LoreEntry = z.infer<typeof LoreEntrySchema>;

export const RelationshipSchema = z.object({
  name: z.string().min(1),
  relation: z.string().min(1),
  note: z.string().min(1),
});
export type Relationship = z.infer<typeof RelationshipSchema>;

const lines = z.array(z.string().min(1));

export const NarrativeSchema = z.object({
  backstory: z.string().min(1),
  personality: lines.min(1),
  ideals: lines.min(1),
  bonds: lines.min(1),
  flaws: lines.min(1),
  fears: lines.min(1),
  secrets: lines.min(1),
  motivations: lines.min(1),
  relationships: z.array(RelationshipSchema),
  appearance: z.string().min(1),
});
export type Narrative = z.infer<typeof NarrativeSchema>;

export const DraftCreatureSchema = z.object({
  tag: ElementTagSchema,
  basedOn: z.string().min(1).optional(),
  statBlock: CreatureSchema,
});
export type DraftCreature = z.infer<typeof DraftCreatureSchema>;

/** Custom content a model invents where nothing in the SRD fits; checked by `balanceDraft`. */
export const CustomSpellSchema = z.object({
  name: z.string().min(1),
  level: z.number().int().min(0).max(9),
  dice: DiceSchema,
  damageType: DamageTypeSchema,
  targets: z.enum(['single', 'multiple']),
  /** True when a successful save negates the spell entirely (allows ~25% more damage). */
  noEffectOnSave: z.boolean().optional(),
  summary: z.string().min(1),
});
export type CustomSpell = z.infer<typeof CustomSpellSchema>;

export const CustomWeaponSchema = z.object({
  name: z.string().min(1),
  category: z.enum(['simple', 'martial']),
  ranged: z.boolean(),
  properties: z.array(WeaponPropertySchema),
  dice: DiceSchema,
  versatileDice: DiceSchema.optional(),
  damageType: DamageTypeSchema,
  summary: z.string().min(1),
});
export type CustomWeaponDraft = z.infer<typeof CustomWeaponSchema>;

export const CustomMagicItemSchema = z.object({
  name: z.string().min(1),
  rarity: RaritySchema,
  /** The static bonus (+N) the item grants. */
  bonus: z.number().int().min(0),
  /** What the bonus applies to; armor AC bonuses run one rarity step behind the others. */
  appliesTo: z.enum(['attack-and-damage', 'armor-ac', 'shield-ac', 'saves', 'spell-attack-and-dc']),
  summary: z.string().min(1),
});
export type CustomMagicItem = z.infer<typeof CustomMagicItemSchema>;

export const CustomContentSchema = z.object({
  spells: z.array(CustomSpellSchema).default([]),
  weapons: z.array(CustomWeaponSchema).default([]),
  magicItems: z.array(CustomMagicItemSchema).default([]),
});
export type CustomContent = z.infer<typeof CustomContentSchema>;

export const DraftChoicesSchema = z
  .object({
    kind: DraftKindSchema,
    /** Character choices (pc/npc). Names or ids; `resolveDraft` turns names into ids. */
    build: BuildSchema.optional(),
    /** Monster stat block (kind `monster`). */
    creature: DraftCreatureSchema.optional(),
    narrative: NarrativeSchema,
    lore: z.array(LoreEntrySchema),
    elements: z.array(DraftElementSchema),
    /** Custom spells, weapons and magic items (tag `custom` in `elements`), balance-checked before use. */
    custom: CustomContentSchema.optional(),
  })
  .superRefine((draft, ctx) => {
    if (draft.kind === 'monster' && !draft.creature) {
      ctx.addIssue({
        code: 'custom',
        path: ['creature'],
        message: 'a monster draft needs a creature stat block',
      });
    }
    if (draft.kind !== 'monster' && !draft.build) {
      ctx.addIssue({ code: 'custom', path: ['build'], message: `a ${draft.kind} draft needs a build` });
    }
  });
export type DraftChoices = z.infer<typeof DraftChoicesSchema>;
export type DraftChoicesInput = z.input<typeof DraftChoicesSchema>;

/** Input of the offline generator (and, later, of `characters.createDraft`). */
export const GenerateRequestSchema = z.object({
  concept: z.string().trim().min(1, 'concept must not be empty').max(2000),
  kind: DraftKindSchema.default('pc'),
  level: z.number().int().min(1).max(20).optional(),
  /** Target challenge rating for monsters (defaults from `level`, else 1). */
  cr: z.number().min(0).max(30).optional(),
  theme: z.string().trim().max(200).optional(),
  seed: z.number().int(),
});
export type GenerateRequest = z.input<typeof GenerateRequestSchema>;

/** Rough output-token estimate used for the ≤ 1,500-token budget: JSON characters / 4. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}

/** The LLM-facing form of a draft: element ids dropped (the model returns names only). */
export function withoutIds(draft: DraftChoices): DraftChoices {
  return { ...draft, elements: draft.elements.map(({ id: _id, ...rest }) => rest) };
}
