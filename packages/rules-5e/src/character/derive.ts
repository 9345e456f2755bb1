/** `derive(build, content)`: every derived number of a character, each with its explanation. Never throws. */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { ABILITIES, SKILL_IDS, type Ability, type Skill } from '../content/types';
import { buildContext } from './context';
import {
  deriveAbilityModifiers,
  deriveLevel,
  deriveProficiencyBonus,
  deriveSavingThrows,
} from './derive-abilities';
import { deriveArmorClass } from './derive-ac';
import { deriveAttacks } from './derive-attacks';
import { deriveHitDice, deriveMaxHitPoints } from './derive-hp';
import { deriveInitiative, derivePassive, deriveSkills } from './derive-skills';
import { deriveSpeed } from './derive-speed';
import { deriveSpellcasting } from './derive-spellcasting';
import type { DerivedCharacter, DeriveOutput } from './types';

export function derive(build: Build, content: Content): DerivedCharacter {
  const ctx = buildContext(build, content);
  const skills = deriveSkills(ctx);
  return {
    level: deriveLevel(ctx),
    proficiencyBonus: deriveProficiencyBonus(ctx),
    abilityScores: { ...build.abilityScores },
    abilityModifiers: deriveAbilityModifiers(ctx),
    savingThrows: deriveSavingThrows(ctx),
    skills,
    passive: {
      perception: derivePassive(skills.perception),
      insight: derivePassive(skills.insight),
      investigation: derivePassive(skills.investigation),
    },
    initiative: deriveInitiative(ctx),
    armorClass: deriveArmorClass(ctx),
    hitPoints: { max: deriveMaxHitPoints(ctx) },
    hitDice: deriveHitDice(ctx),
    speed: deriveSpeed(ctx),
    attacks: deriveAttacks(ctx),
    spellcasting: deriveSpellcasting(ctx),
  };
}

function values<K extends string>(keys: readonly K[], get: (k: K) => number): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, get(k)])) as Record<K, number>;
}

/** The plain-number JSON shape printed by `loreforge rules derive` (issue 2 §4). */
export function toDeriveOutput(d: DerivedCharacter): DeriveOutput {
  return {
    level: d.level.value,
    proficiencyBonus: d.proficiencyBonus.value,
    abilityModifiers: values<Ability>(ABILITIES, (a) => d.abilityModifiers[a].value),
    savingThrows: values<Ability>(ABILITIES, (a) => d.savingThrows[a].value),
    skills: values<Skill>(SKILL_IDS, (s) => d.skills[s].value),
    passive: {
      perception: d.passive.perception.value,
      insight: d.passive.insight.value,
      investigation: d.passive.investigation.value,
    },
    initiative: d.initiative.value,
    armorClass: d.armorClass.value,
    hitPoints: { max: d.hitPoints.max.value },
    hitDice: { ...d.hitDice },
    speed: d.speed.value,
    spellcasting: {
      slots: [...d.spellcasting.slots],
      pactSlots: d.spellcasting.pactSlots ? { ...d.spellcasting.pactSlots } : null,
      classes: d.spellcasting.classes.map((c) => ({
        class: c.class,
        ability: c.ability,
        saveDC: c.saveDC.value,
        attackBonus: c.attackBonus.value,
        cantrips: c.cantrips,
        prepared: c.prepared,
      })),
    },
  };
}
