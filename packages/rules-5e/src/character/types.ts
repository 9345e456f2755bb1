/** Result types of `derive`, `validate` and `repair`. */
import type { Ability, Mastery, Skill } from '../content/types';
import type { Build } from '../build';
import type { Explained } from './explained';

export type ProficiencyLevel = 'none' | 'half' | 'proficient' | 'expertise';

export interface SkillValue extends Explained {
  readonly ability: Ability;
  readonly proficiency: ProficiencyLevel;
}

export interface SaveValue extends Explained {
  readonly proficient: boolean;
}

export interface WeaponAttack {
  /** The equipment entry's item id (a magic weapon keeps its own id). */
  readonly item: string;
  readonly name: string;
  readonly ability: Ability;
  readonly proficient: boolean;
  readonly toHit: Explained;
  /** Dice and flat bonus, e.g. dice `1d8`, bonus 3 → "1d8+3". */
  readonly damage: { readonly dice: string; readonly bonus: Explained; readonly type: string };
  /** Two-handed dice of a versatile weapon. */
  readonly versatileDice: string | null;
  /** The weapon's mastery property, only when a class grants Weapon Mastery. */
  readonly mastery: Mastery | null;
  readonly properties: readonly string[];
  readonly range: { readonly normal: number; readonly long: number } | null;
}

export interface ClassSpellcasting {
  readonly class: string;
  readonly kind: 'full' | 'half' | 'third' | 'pact';
  readonly ability: Ability;
  readonly saveDC: Explained;
  readonly attackBonus: Explained;
  /** Cantrips and prepared spells from the class table (extras from feats or species not included). */
  readonly cantrips: number;
  readonly prepared: number;
  /** Highest spell level this class alone could cast (its own table, or Pact Magic). 0 = cantrips only. */
  readonly maxSpellLevel: number;
  /** Subclass spells always prepared at this class level (not counted against `prepared`). */
  readonly alwaysPrepared: readonly string[];
}

/** Spells from a feat, lineage or feature, cast with their own ability (never counted against class tables). */
export interface GrantedSpellcasting {
  readonly source: { readonly kind: 'feat' | 'lineage' | 'feature'; readonly id: string };
  /** Class list the grant draws from (Magic Initiate), null when the grant names its spells. */
  readonly list: string | null;
  readonly ability: Ability;
  readonly saveDC: Explained;
  readonly attackBonus: Explained;
  readonly cantrips: readonly string[];
  readonly spells: readonly string[];
}

export interface SpellcastingSummary {
  /** Slots of spell levels 1–9 (Pact Magic excluded). */
  readonly slots: readonly number[];
  /** How the slots were found: a single class's own table, the multiclass table, or none. */
  readonly slotTable: 'none' | 'class' | 'multiclass';
  /** Caster level for the multiclass table (parts per class), null unless the multiclass table is used. */
  readonly casterLevel: Explained | null;
  readonly pactSlots: { readonly count: number; readonly level: number } | null;
  readonly classes: readonly ClassSpellcasting[];
  /** One entry per held `grantedSpells` entry of the build, in build order. */
  readonly granted: readonly GrantedSpellcasting[];
}

export type HitDice = Partial<Record<'d6' | 'd8' | 'd10' | 'd12', number>>;

export interface DerivedCharacter {
  readonly level: Explained;
  readonly proficiencyBonus: Explained;
  readonly abilityScores: Readonly<Record<Ability, number>>;
  readonly abilityModifiers: Readonly<Record<Ability, Explained>>;
  readonly savingThrows: Readonly<Record<Ability, SaveValue>>;
  readonly skills: Readonly<Record<Skill, SkillValue>>;
  readonly passive: {
    readonly perception: Explained;
    readonly insight: Explained;
    readonly investigation: Explained;
  };
  readonly initiative: Explained;
  readonly armorClass: Explained;
  readonly hitPoints: { readonly max: Explained };
  readonly hitDice: HitDice;
  readonly speed: Explained;
  readonly attacks: readonly WeaponAttack[];
  readonly spellcasting: SpellcastingSummary;
}

/** The plain-number JSON printed by `loreforge rules derive`. */
export interface DeriveOutput {
  level: number;
  proficiencyBonus: number;
  abilityModifiers: Record<Ability, number>;
  savingThrows: Record<Ability, number>;
  skills: Record<Skill, number>;
  passive: { perception: number; insight: number; investigation: number };
  initiative: number;
  armorClass: number;
  hitPoints: { max: number };
  hitDice: HitDice;
  speed: number;
  spellcasting: {
    slots: number[];
    pactSlots: { count: number; level: number } | null;
    classes: {
      class: string;
      ability: Ability;
      saveDC: number;
      attackBonus: number;
      cantrips: number;
      prepared: number;
    }[];
  };
}

export type Severity = 'error' | 'warning';

export interface ValidationIssue {
  readonly code: string;
  readonly severity: Severity;
  /** JSON pointer into the build, e.g. `/spells/0/prepared/3`. */
  readonly path: string;
  readonly message: string;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly issues: readonly ValidationIssue[];
}

export interface RepairChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly reason: string;
}

export interface RepairResult {
  readonly build: Build;
  readonly changes: readonly RepairChange[];
}
