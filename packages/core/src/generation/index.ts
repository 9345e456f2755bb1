/**
 * Model-free parts of the concept-to-character pipeline: the offline generator, SRD name resolution and the
 * custom-content balance check. See CONTEXT.md.
 */
export {
  CustomContentSchema,
  CustomMagicItemSchema,
  CustomSpellSchema,
  CustomWeaponSchema,
  DraftChoicesSchema,
  DraftCreatureSchema,
  DraftElementSchema,
  DraftKindSchema,
  ElementKindSchema,
  ElementTagSchema,
  GenerateRequestSchema,
  LoreEntrySchema,
  NarrativeSchema,
  RelationshipSchema,
  estimateTokens,
  withoutIds,
  type CustomContent,
  type CustomMagicItem,
  type CustomSpell,
  type CustomWeaponDraft,
  type DraftChoices,
  type DraftChoicesInput,
  type DraftCreature,
  type DraftElement,
  type DraftKind,
  type ElementKind,
  type ElementTag,
  type GenerateRequest,
  type LoreEntry,
  type Narrative,
} from './draft-schema';
export { generateOffline, abilityPriority } from './generate-offline';
export { adaptCreature, creatureFit, snapCr } from './creature';
export {
  ADAPT_THRESHOLD,
  ALIASES,
  TYPO_THRESHOLD,
  resolveDraft,
  resolveToSrd,
  type DraftResolution,
  type Resolution,
  type ResolveKind,
  type ResolvedDraft,
} from './resolve';
export {
  FALLBACK_WEAPON_DICE,
  MAX_ARMOR_BONUS_BY_RARITY,
  MAX_BONUS_BY_RARITY,
  NO_EFFECT_ON_SAVE_FACTOR,
  SPELL_DAMAGE,
  balanceDraft,
  checkMagicItemBonus,
  checkSpellDamage,
  checkWeaponDamage,
  comparableWeapons,
  diceAverage,
  type BalanceAdjustment,
  type BalanceResult,
  type CustomWeapon,
  type ItemBonusInput,
  type SpellDamageInput,
} from './balance';
export { ARCHETYPES, THEMES, type Archetype, type Theme } from './affinity';
export { createRng, mulberry32, hashString, type Rng } from './prng';
