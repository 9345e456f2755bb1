/**
 * The shape of rules content (SRD 5.2.1 and, later, custom content). Names, numbers and mechanics only;
 * `summary` fields hold short text written by us, never SRD prose.
 *
 * Content is plain JSON-serialisable data validated by these zod schemas. `core` loads it from
 * `resources/srd/` and hands it to the engine as a `Content` (see `content/index.ts`). The engine itself
 * does no I/O.
 */
import { z } from 'zod';

export const ABILITIES = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;
export const AbilitySchema = z.enum(ABILITIES);
export type Ability = z.infer<typeof AbilitySchema>;

export const SKILLS = {
  acrobatics: 'dex',
  'animal-handling': 'wis',
  arcana: 'int',
  athletics: 'str',
  deception: 'cha',
  history: 'int',
  insight: 'wis',
  intimidation: 'cha',
  investigation: 'int',
  medicine: 'wis',
  nature: 'int',
  perception: 'wis',
  performance: 'cha',
  persuasion: 'cha',
  religion: 'int',
  'sleight-of-hand': 'dex',
  stealth: 'dex',
  survival: 'wis',
} as const satisfies Record<string, Ability>;
export type Skill = keyof typeof SKILLS;
export const SKILL_IDS = Object.keys(SKILLS) as Skill[];
export const SkillSchema = z.enum(SKILL_IDS as [Skill, ...Skill[]]);

export const SIZES = ['tiny', 'small', 'medium', 'large', 'huge', 'gargantuan'] as const;
export const SizeSchema = z.enum(SIZES);
export type Size = z.infer<typeof SizeSchema>;

export const DAMAGE_TYPES = [
  'acid',
  'bludgeoning',
  'cold',
  'fire',
  'force',
  'lightning',
  'necrotic',
  'piercing',
  'poison',
  'psychic',
  'radiant',
  'slashing',
  'thunder',
] as const;
export const DamageTypeSchema = z.enum(DAMAGE_TYPES);
export type DamageType = z.infer<typeof DamageTypeSchema>;

export const CONDITIONS = [
  'blinded',
  'charmed',
  'deafened',
  'exhaustion',
  'frightened',
  'grappled',
  'incapacitated',
  'invisible',
  'paralyzed',
  'petrified',
  'poisoned',
  'prone',
  'restrained',
  'stunned',
  'unconscious',
] as const;
export const ConditionSchema = z.enum(CONDITIONS);
export type Condition = z.infer<typeof ConditionSchema>;

export const RulesetSchema = z.enum(['2024', '2014']);
export type Ruleset = z.infer<typeof RulesetSchema>;

/** Lowercase hyphenated id, e.g. `chain-mail`, `high-elf`, `fire-bolt`. */
export const IdSchema = z
  .string()
  .min(1)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase hyphenated id such as "chain-mail"');

/** A dice expression such as `2d6+5`, `1d8`, `12`. */
export const DiceSchema = z
  .string()
  .regex(/^\d+(d\d+)?([+-]\d+)?$/, 'must be a dice expression such as "2d6+3"');

/**
 * Declarative mechanical effects (avrae/dnd5e style: effects are data; the engine has one handler per type).
 * Anything that is not modelled mechanically is described by the feature's summary only.
 */
export const EffectSchema = z.discriminatedUnion('type', [
  /**
   * +value max HP per character level (Dwarven Toughness, Tough feat uses perLevel 2); with `class`, per level of
   * that class only (Draconic Resilience: +1 per Sorcerer level).
   */
  z.object({ type: z.literal('hp-per-level'), value: z.number().int(), class: z.string().min(1).optional() }),
  /** Set base walking speed (species). */
  z.object({ type: z.literal('speed-base'), value: z.number().int() }),
  /** Add to walking speed; `unarmored` = only without armor (Monk), `noHeavyArmor` = not in heavy armor (Barbarian). */
  z.object({
    type: z.literal('speed-bonus'),
    value: z.number().int(),
    condition: z.enum(['always', 'unarmored', 'no-heavy-armor']).default('always'),
    /** When set, the bonus is read from this column of the class level table (Monk `unarmored-movement`); `value` is the first value. */
    column: z.string().optional(),
  }),
  z.object({ type: z.literal('darkvision'), range: z.number().int() }),
  z.object({ type: z.literal('resistance'), damageType: DamageTypeSchema }),
  /** Add proficiency bonus to initiative (Alert). */
  z.object({ type: z.literal('initiative-proficiency') }),
  /** Unarmored Defense: AC = 10 + Dex + listed abilities (+ shield if allowed) while wearing no armor. */
  z.object({
    type: z.literal('unarmored-defense'),
    abilities: z.array(AbilitySchema),
    allowShield: z.boolean(),
  }),
  /** Natural armor: AC = base + Dex mod (monsters, some species). */
  z.object({ type: z.literal('natural-armor'), base: z.number().int() }),
  /** Fixed skill proficiencies granted (species, background). */
  z.object({ type: z.literal('skill-proficiency'), skills: z.array(SkillSchema) }),
  /** A choice of skill proficiencies granted (e.g. Elf Keen Senses: one of insight/perception/survival). */
  z.object({ type: z.literal('skill-choice'), count: z.number().int(), from: z.array(SkillSchema) }),
  /** Half proficiency on ability checks without proficiency (Bard Jack of All Trades, 2024 wording). */
  z.object({ type: z.literal('jack-of-all-trades') }),
  /**
   * Subclass spells that are always prepared once the class reaches `level` (Life Domain, Fiend Patron…):
   * they do not count against the class's prepared number and need not be on its spell list.
   */
  z.object({
    type: z.literal('always-prepared'),
    spells: z.array(z.object({ level: z.number().int().min(1).max(20), ids: z.array(z.string().min(1)) })),
  }),
  /** Expertise choices granted (count skills that must already be proficient). */
  z.object({ type: z.literal('expertise'), count: z.number().int() }),
  /** Saving throw proficiency. */
  z.object({ type: z.literal('save-proficiency'), abilities: z.array(AbilitySchema) }),
  /** Ability score increase granted by a feat or feature (choice among `from`). */
  z.object({
    type: z.literal('ability-increase'),
    amount: z.number().int(),
    from: z.array(AbilitySchema),
    max: z.number().int().default(20),
  }),
  /** Extra cantrips or spells known from a feature/feat/species (not counted against class limits). */
  z.object({
    type: z.literal('grant-spells'),
    cantrips: z.number().int().default(0),
    spells: z.number().int().default(0),
    list: z.array(IdSchema).optional(),
    spellIds: z.array(IdSchema).optional(),
    /** Named leveled spells that only come at a character level (lineages: one at 3, one at 5). */
    unlocks: z.array(z.object({ spell: IdSchema, level: z.number().int().min(1).max(20) })).optional(),
  }),
  /** Fighting-style style numeric bonuses. */
  z.object({
    type: z.literal('attack-bonus'),
    value: z.number().int(),
    appliesTo: z.enum(['ranged', 'melee', 'all']),
  }),
  z.object({
    type: z.literal('ac-bonus'),
    value: z.number().int(),
    condition: z.enum(['armored', 'always']),
  }),
  /** Armor/weapon proficiency granted. */
  z.object({
    type: z.literal('armor-proficiency'),
    armor: z.array(z.enum(['light', 'medium', 'heavy', 'shield'])),
  }),
  z.object({ type: z.literal('weapon-proficiency'), weapons: z.array(z.string()) }),
]);
export type Effect = z.infer<typeof EffectSchema>;

export const FeatureSchema = z.object({
  id: IdSchema,
  name: z.string(),
  level: z.number().int().min(1).max(20),
  summary: z.string(),
  effects: z.array(EffectSchema).default([]),
});
export type Feature = z.infer<typeof FeatureSchema>;

export const TraitSchema = z.object({
  id: IdSchema,
  name: z.string(),
  summary: z.string(),
  effects: z.array(EffectSchema).default([]),
});
export type Trait = z.infer<typeof TraitSchema>;

export const LineageSchema = z.object({
  id: IdSchema,
  name: z.string(),
  summary: z.string(),
  /** e.g. dragonborn ancestry damage type */
  damageType: DamageTypeSchema.optional(),
  effects: z.array(EffectSchema).default([]),
});
export type Lineage = z.infer<typeof LineageSchema>;

export const SpeciesSchema = z.object({
  id: IdSchema,
  name: z.string(),
  creatureType: z.string(),
  sizes: z.array(SizeSchema).min(1),
  speed: z.number().int(),
  traits: z.array(TraitSchema),
  /** Lineages, legacies or ancestries the player picks among (may be empty). */
  lineages: z.array(LineageSchema).default([]),
  summary: z.string(),
});
export type Species = z.infer<typeof SpeciesSchema>;

export const BackgroundSchema = z.object({
  id: IdSchema,
  name: z.string(),
  /** The three abilities the background may raise (+2/+1 or +1/+1/+1). */
  abilities: z.array(AbilitySchema).length(3),
  /** Origin feat id (with an optional parameter, e.g. Magic Initiate's spell list). */
  feat: IdSchema,
  featOption: z.string().optional(),
  skills: z.array(SkillSchema).length(2),
  tool: z.string(),
  /** Item ids of equipment option A (quantities allowed), and the gold left over. */
  equipment: z.array(z.object({ item: IdSchema, quantity: z.number().int().positive().default(1) })),
  gold: z.number(),
  summary: z.string(),
});
export type Background = z.infer<typeof BackgroundSchema>;

export const CasterKindSchema = z.enum(['full', 'half', 'third', 'pact', 'none']);
export type CasterKind = z.infer<typeof CasterKindSchema>;

export const ClassLevelSchema = z.object({
  level: z.number().int().min(1).max(20),
  proficiencyBonus: z.number().int(),
  /** Feature ids gained at this level (features are listed in `features`). */
  features: z.array(IdSchema),
  /** Class-specific table columns, e.g. { rages: 2, 'rage-damage': 2 } or { 'sneak-attack': '1d6' }. */
  columns: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  cantrips: z.number().int().default(0),
  prepared: z.number().int().default(0),
  /** Spell slots per spell level 1–9 from the class's own table (pact: see pactSlots). */
  slots: z.array(z.number().int()).length(9),
  pactSlots: z.object({ count: z.number().int(), level: z.number().int() }).nullable().default(null),
});
export type ClassLevel = z.infer<typeof ClassLevelSchema>;

export const ClassSchema = z.object({
  id: IdSchema,
  name: z.string(),
  hitDie: z.union([z.literal(6), z.literal(8), z.literal(10), z.literal(12)]),
  primaryAbilities: z.array(AbilitySchema).min(1),
  savingThrows: z.array(AbilitySchema).length(2),
  armorProficiencies: z.array(z.enum(['light', 'medium', 'heavy', 'shield'])),
  /** 'simple', 'martial', or weapon ids / property descriptors such as 'martial-finesse-or-light'. */
  weaponProficiencies: z.array(z.string()),
  tools: z.array(z.string()).default([]),
  skillChoices: z.object({ count: z.number().int(), from: z.array(SkillSchema) }),
  multiclass: z.object({
    /** Minimum scores needed to multiclass into or out of the class (all must hold). */
    prerequisites: z.array(z.object({ ability: AbilitySchema, min: z.number().int() })),
    /** true when any one of `prerequisites` suffices (Fighter: Str or Dex 13). */
    anyOf: z.boolean().default(false),
    armorProficiencies: z.array(z.enum(['light', 'medium', 'heavy', 'shield'])),
    weaponProficiencies: z.array(z.string()),
    skills: z.number().int().default(0),
  }),
  spellcasting: z
    .object({
      kind: CasterKindSchema,
      ability: AbilitySchema,
      /** Class level at which Spellcasting (or Pact Magic) starts. */
      startsAt: z.number().int().default(1),
    })
    .nullable(),
  subclassLevel: z.number().int(),
  subclasses: z.array(IdSchema),
  levels: z.array(ClassLevelSchema).length(20),
  features: z.array(FeatureSchema),
  summary: z.string(),
});
export type CharacterClass = z.infer<typeof ClassSchema>;

export const SubclassSchema = z.object({
  id: IdSchema,
  name: z.string(),
  class: IdSchema,
  /** Third-caster subclasses (Eldritch Knight-like) would set this; none in SRD 5.2.1. */
  spellcasting: z.object({ kind: CasterKindSchema, ability: AbilitySchema }).nullable().default(null),
  features: z.array(FeatureSchema),
  summary: z.string(),
});
export type Subclass = z.infer<typeof SubclassSchema>;

export const FeatSchema = z.object({
  id: IdSchema,
  name: z.string(),
  category: z.enum(['origin', 'general', 'fighting-style', 'epic-boon']),
  prerequisite: z
    .object({
      level: z.number().int().optional(),
      abilities: z.array(z.object({ ability: AbilitySchema, min: z.number().int() })).optional(),
      /** true: any one of `abilities` suffices. */
      anyAbility: z.boolean().optional(),
      feature: z.string().optional(),
      text: z.string(),
    })
    .nullable(),
  repeatable: z.boolean(),
  summary: z.string(),
  effects: z.array(EffectSchema).default([]),
});
export type Feat = z.infer<typeof FeatSchema>;

export const CostSchema = z.object({ gp: z.number() });

const ItemBase = {
  id: IdSchema,
  name: z.string(),
  cost: z.number().nonnegative(), // in gp
  weight: z.number().nonnegative(), // in lb
  summary: z.string(),
};

export const WEAPON_PROPERTIES = [
  'ammunition',
  'finesse',
  'heavy',
  'light',
  'loading',
  'range',
  'reach',
  'thrown',
  'two-handed',
  'versatile',
] as const;
export const WeaponPropertySchema = z.enum(WEAPON_PROPERTIES);
export const MASTERIES = ['cleave', 'graze', 'nick', 'push', 'sap', 'slow', 'topple', 'vex'] as const;
export const MasterySchema = z.enum(MASTERIES);
export type Mastery = z.infer<typeof MasterySchema>;

export const WeaponSchema = z.object({
  ...ItemBase,
  kind: z.literal('weapon'),
  category: z.enum(['simple', 'martial']),
  ranged: z.boolean(),
  damage: z.object({ dice: DiceSchema, type: DamageTypeSchema }),
  versatileDice: DiceSchema.optional(),
  properties: z.array(WeaponPropertySchema),
  mastery: MasterySchema,
  /** Normal/long range in feet for ranged or thrown weapons. */
  range: z.object({ normal: z.number().int(), long: z.number().int() }).optional(),
});
export type Weapon = z.infer<typeof WeaponSchema>;

export const ArmorSchema = z.object({
  ...ItemBase,
  kind: z.literal('armor'),
  armorType: z.enum(['light', 'medium', 'heavy', 'shield']),
  /** Base AC (shield: the bonus, 2). */
  ac: z.number().int(),
  /** Max Dex bonus: null = unlimited (light), 2 (medium), 0 (heavy, shield). */
  dexCap: z.number().int().nullable(),
  strength: z.number().int().nullable(),
  stealthDisadvantage: z.boolean(),
});
export type Armor = z.infer<typeof ArmorSchema>;

export const GearSchema = z.object({
  ...ItemBase,
  kind: z.literal('gear'),
  category: z.string(),
});
export type Gear = z.infer<typeof GearSchema>;

export const RaritySchema = z.enum(['common', 'uncommon', 'rare', 'very-rare', 'legendary', 'artifact']);
export type Rarity = z.infer<typeof RaritySchema>;

export const MagicItemSchema = z.object({
  ...ItemBase,
  kind: z.literal('magic-item'),
  category: z.string(),
  rarity: RaritySchema,
  attunement: z.boolean(),
  attunementDetail: z.string().optional(),
  /** The mundane weapon or armor this is a variant of (e.g. `longsword` for `longsword-1`). */
  baseItem: IdSchema.optional(),
  bonuses: z
    .object({
      attack: z.number().int().optional(),
      damage: z.number().int().optional(),
      ac: z.number().int().optional(),
      saves: z.number().int().optional(),
      spellAttack: z.number().int().optional(),
      spellDc: z.number().int().optional(),
    })
    .default({}),
});
export type MagicItem = z.infer<typeof MagicItemSchema>;

export const ItemSchema = z.discriminatedUnion('kind', [
  WeaponSchema,
  ArmorSchema,
  GearSchema,
  MagicItemSchema,
]);
export type Item = z.infer<typeof ItemSchema>;

export const SpellSchema = z.object({
  id: IdSchema,
  name: z.string(),
  level: z.number().int().min(0).max(9),
  school: z.enum([
    'abjuration',
    'conjuration',
    'divination',
    'enchantment',
    'evocation',
    'illusion',
    'necromancy',
    'transmutation',
  ]),
  castingTime: z.string(),
  range: z.string(),
  components: z.object({
    verbal: z.boolean(),
    somatic: z.boolean(),
    material: z.string().nullable(),
    materialCost: z.number().nullable().default(null),
    materialConsumed: z.boolean().default(false),
  }),
  duration: z.string(),
  concentration: z.boolean(),
  ritual: z.boolean(),
  classes: z.array(IdSchema),
  damage: z
    .object({ dice: DiceSchema, types: z.array(DamageTypeSchema) })
    .nullable()
    .default(null),
  /** Hit points restored (Cure Wounds, Healing Word …), before the spellcasting modifier. */
  healing: z.object({ dice: DiceSchema }).nullable().default(null),
  save: AbilitySchema.nullable().default(null),
  attack: z.enum(['melee', 'ranged']).nullable().default(null),
  /** Damage at higher slot levels (or cantrip scaling by character level): key = level, value = dice. */
  scaling: z.record(z.string(), DiceSchema).default({}),
  summary: z.string(),
});
export type Spell = z.infer<typeof SpellSchema>;

// ---------------------------------------------------------------------------------------------
// Creatures: one stat-block model for monsters, NPCs and (derived) characters.

export const DamageRollSchema = z.object({
  dice: DiceSchema,
  /** Average damage (as printed; integer). */
  average: z.number(),
  type: DamageTypeSchema,
});
export type DamageRoll = z.infer<typeof DamageRollSchema>;

export const UsageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('recharge'), min: z.number().int().min(2).max(6) }),
  z.object({ type: z.literal('per-day'), times: z.number().int().positive() }),
  z.object({ type: z.literal('rest'), rest: z.enum(['short', 'long']) }),
]);
export type Usage = z.infer<typeof UsageSchema>;

export const CreatureActionSchema = z.object({
  name: z.string(),
  summary: z.string(),
  /** An attack roll action. */
  attack: z
    .object({
      kind: z.enum(['melee', 'ranged', 'melee-or-ranged']),
      bonus: z.number().int(),
      reach: z.number().int().optional(),
      range: z.object({ normal: z.number().int(), long: z.number().int().optional() }).optional(),
      damage: z.array(DamageRollSchema),
    })
    .optional(),
  /** A saving-throw effect. `targets` is the number of creatures assumed hit for CR (areas: 2). */
  save: z
    .object({
      ability: AbilitySchema,
      dc: z.number().int(),
      damage: z.array(DamageRollSchema),
      onSuccess: z.enum(['half', 'none']),
      area: z.boolean().default(false),
    })
    .optional(),
  /** Multiattack routine: the actions it makes, by name, with counts. */
  multiattack: z.array(z.object({ action: z.string(), count: z.number().int().positive() })).optional(),
  usage: UsageSchema.optional(),
  /** Legendary action cost (legendary actions only). */
  cost: z.number().int().optional(),
});
export type CreatureAction = z.infer<typeof CreatureActionSchema>;

export const CreatureSchema = z.object({
  id: IdSchema,
  name: z.string(),
  size: SizeSchema,
  type: z.string(),
  alignment: z.string(),
  ac: z.number().int(),
  hp: z.object({ average: z.number().int(), formula: z.string() }),
  speed: z.object({
    walk: z.number().int(),
    fly: z.number().int().optional(),
    swim: z.number().int().optional(),
    climb: z.number().int().optional(),
    burrow: z.number().int().optional(),
    hover: z.boolean().optional(),
  }),
  abilities: z.object({
    str: z.number().int(),
    dex: z.number().int(),
    con: z.number().int(),
    int: z.number().int(),
    wis: z.number().int(),
    cha: z.number().int(),
  }),
  initiative: z.number().int(),
  /** Proficient saving throws only: total bonus. */
  saves: z.partialRecord(AbilitySchema, z.number().int()).default({}),
  skills: z.partialRecord(SkillSchema, z.number().int()).default({}),
  senses: z.object({
    darkvision: z.number().int().optional(),
    blindsight: z.number().int().optional(),
    tremorsense: z.number().int().optional(),
    truesight: z.number().int().optional(),
    passivePerception: z.number().int(),
  }),
  languages: z.array(z.string()),
  telepathy: z.number().int().optional(),
  resistances: z.array(DamageTypeSchema),
  immunities: z.array(DamageTypeSchema),
  vulnerabilities: z.array(DamageTypeSchema),
  conditionImmunities: z.array(ConditionSchema),
  cr: z.number().min(0).max(30),
  xp: z.number().int(),
  proficiencyBonus: z.number().int(),
  traits: z.array(z.object({ name: z.string(), summary: z.string() })),
  /** Legendary Resistance uses per day (0 when none). */
  legendaryResistance: z.number().int().default(0),
  actions: z.array(CreatureActionSchema),
  bonusActions: z.array(CreatureActionSchema).default([]),
  reactions: z.array(CreatureActionSchema).default([]),
  legendaryActions: z
    .object({ uses: z.number().int(), actions: z.array(CreatureActionSchema) })
    .nullable()
    .default(null),
  /**
   * Damage a feature deals outside the actions, read from its text by a converter: per round (Sneak Attack,
   * Martial Advantage, a damaging aura) or once in a fight (Charge, Surprise Attack, two rounds of a swallowed
   * creature's digestion). Counted by `estimateCr`.
   */
  featureDamage: z
    .array(
      z.object({
        feature: z.string(),
        average: z.number().nonnegative(),
        per: z.enum(['round', 'once']),
      }),
    )
    .optional(),
  /** Spellcasting action: ability, DC, attack bonus and spells by usage. */
  spellcasting: z
    .object({
      ability: AbilitySchema,
      dc: z.number().int().nullable(),
      attackBonus: z.number().int().nullable(),
      spells: z.array(z.object({ spell: z.string(), usage: z.string() })),
      /** Caster level of a 2014 slot caster ("an 18th-level spellcaster"): scales its cantrips. */
      level: z.number().int().min(1).max(20).optional(),
      /** Spell slots of a slot caster: `slots[i]` slots of level i + 1. */
      slots: z.array(z.number().int().nonnegative()).max(9).optional(),
    })
    .nullable()
    .default(null),
  summary: z.string(),
});
export type Creature = z.infer<typeof CreatureSchema>;
export type CreatureInput = z.input<typeof CreatureSchema>;
