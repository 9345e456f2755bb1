/**
 * Small helpers that read the rules content the way the generator needs it: feature slots per class level,
 * weapon/armor proficiency tests, spell availability. Pure functions over `Content`.
 */
import type {
  Ability,
  CharacterClass,
  Content,
  Effect,
  Feat,
  Item,
  Spell,
  Weapon,
} from '@loreforge/rules-5e';

export type FeatSlotKind = 'general' | 'epic-boon' | 'fighting-style';

export interface FeatSlot {
  readonly kind: FeatSlotKind;
  readonly classId: string;
  readonly classLevel: number;
}

/** Feature ids held at `level`, with how many times each is listed (e.g. Expertise twice). */
export function featureCounts(cls: CharacterClass, level: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of cls.levels) {
    if (row.level > level) continue;
    for (const id of row.features) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  for (const f of cls.features) if (f.level <= level && !counts.has(f.id)) counts.set(f.id, 1);
  return counts;
}

function endsWithName(id: string, name: string): boolean {
  return id === name || id.endsWith(`-${name}`);
}

/** Feat slots a class grants up to `level`: ASI (general feat), Epic Boon, Fighting Style. */
export function featSlots(cls: CharacterClass, level: number): FeatSlot[] {
  const slots: FeatSlot[] = [];
  for (const row of cls.levels) {
    if (row.level > level) continue;
    for (const id of row.features) {
      if (endsWithName(id, 'ability-score-improvement'))
        slots.push({ kind: 'general', classId: cls.id, classLevel: row.level });
      else if (endsWithName(id, 'epic-boon'))
        slots.push({ kind: 'epic-boon', classId: cls.id, classLevel: row.level });
      else if (endsWithName(id, 'fighting-style'))
        slots.push({ kind: 'fighting-style', classId: cls.id, classLevel: row.level });
    }
  }
  return slots;
}

/** Whether a feature id is a placeholder or a feat slot (its lore comes from the subclass or the feat). */
export function isSlotFeature(id: string): boolean {
  return ['ability-score-improvement', 'epic-boon', 'fighting-style', 'subclass', 'subclass-feature'].some(
    (n) => endsWithName(id, n),
  );
}

/** Mechanical effects of the class and subclass features held at `level`, each repeated per listing. */
export function classFeatureEffects(
  content: Content,
  classId: string,
  level: number,
  subclassId?: string,
): Effect[] {
  const cls = content.classes.get(classId);
  if (!cls) return [];
  const out: Effect[] = [];
  for (const [id, times] of featureCounts(cls, level)) {
    const feature = cls.features.find((f) => f.id === id);
    for (let i = 0; i < times; i++) out.push(...(feature?.effects ?? []));
  }
  const sub = subclassId === undefined ? undefined : content.subclasses.get(subclassId);
  for (const f of sub?.features ?? []) if (f.level <= level) out.push(...f.effects);
  return out;
}

function singular(word: string): string {
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/**
 * Does a proficiency list cover this weapon? Understands 'simple'/'martial' (optionally '-weapons'), weapon ids
 * (singular or plural) and descriptors such as 'martial-finesse-or-light' / 'martial-light'.
 */
export function weaponProficient(proficiencies: readonly string[], weapon: Weapon): boolean {
  for (const raw of proficiencies) {
    const p = raw.toLowerCase().replace(/-weapons?$/, '');
    if (p === weapon.category) return true;
    if (p === weapon.id || singular(p) === weapon.id || p === `${weapon.id}s`) return true;
    const m = /^(simple|martial)-(.+)$/.exec(p);
    if (m && m[1] === weapon.category) {
      const props = (m[2] ?? '').split('-or-');
      if (props.some((prop) => (weapon.properties as readonly string[]).includes(prop))) return true;
    }
  }
  return false;
}

export function isWeapon(item: Item | undefined): item is Weapon {
  return item?.kind === 'weapon';
}

/** Highest spell level the class alone can cast at `level` (0 = cantrips only, -1 = no spellcasting yet). */
export function maxSpellLevel(cls: CharacterClass, level: number): number {
  if (!cls.spellcasting || cls.spellcasting.kind === 'none' || level < cls.spellcasting.startsAt) return -1;
  const row = cls.levels.find((r) => r.level === level);
  if (!row) return -1;
  if (row.pactSlots && row.pactSlots.count > 0) return row.pactSlots.level;
  let max = 0;
  row.slots.forEach((n, i) => {
    if (n > 0) max = i + 1;
  });
  return max;
}

/** Spells on the class list castable at `maxLevel` (level ≥ 1) or cantrips (level 0). */
export function classSpells(
  content: Content,
  classId: string,
  kind: 'cantrip' | 'leveled',
  maxLevel: number,
): Spell[] {
  const ids = content.spellLists.get(classId);
  if (!ids) return [];
  const out: Spell[] = [];
  for (const id of ids) {
    const spell = content.spells.get(id);
    if (!spell) continue;
    if (kind === 'cantrip' ? spell.level === 0 : spell.level >= 1 && spell.level <= maxLevel) out.push(spell);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Does a feat's prerequisite hold for these scores and character level? Feature prerequisites fail closed. */
export function featAllowed(feat: Feat, scores: Readonly<Record<Ability, number>>, level: number): boolean {
  const pre = feat.prerequisite;
  if (!pre) return true;
  if (pre.level !== undefined && level < pre.level) return false;
  if (pre.feature !== undefined) return false;
  const checks = (pre.abilities ?? []).map((a) => scores[a.ability] >= a.min);
  if (checks.length === 0) return true;
  return pre.anyAbility ? checks.some(Boolean) : checks.every(Boolean);
}

export const STANDARD_ARRAY = [15, 14, 13, 12, 10, 8] as const;

/** Default ability priorities per class (first = primary); unknown classes fall back to their primaries. */
export const CLASS_PRIORITY: Readonly<Record<string, readonly Ability[]>> = {
  barbarian: ['str', 'con', 'dex', 'wis', 'cha', 'int'],
  bard: ['cha', 'dex', 'con', 'wis', 'int', 'str'],
  cleric: ['wis', 'con', 'str', 'dex', 'cha', 'int'],
  druid: ['wis', 'con', 'dex', 'int', 'cha', 'str'],
  fighter: ['str', 'con', 'dex', 'wis', 'cha', 'int'],
  monk: ['dex', 'wis', 'con', 'str', 'int', 'cha'],
  paladin: ['str', 'cha', 'con', 'wis', 'dex', 'int'],
  ranger: ['dex', 'wis', 'con', 'str', 'int', 'cha'],
  rogue: ['dex', 'con', 'int', 'wis', 'cha', 'str'],
  sorcerer: ['cha', 'con', 'dex', 'wis', 'int', 'str'],
  warlock: ['cha', 'con', 'dex', 'wis', 'int', 'str'],
  wizard: ['int', 'con', 'dex', 'wis', 'cha', 'str'],
};

/** Multiclass prerequisite (2024: 13 in the class's primary ability; any one of several when `anyOf`). */
export function meetsMulticlass(cls: CharacterClass, scores: Readonly<Record<Ability, number>>): boolean {
  const reqs = cls.multiclass.prerequisites.length
    ? cls.multiclass.prerequisites
    : cls.primaryAbilities.map((ability) => ({ ability, min: 13 }));
  const anyOf = cls.multiclass.prerequisites.length ? cls.multiclass.anyOf : cls.primaryAbilities.length > 1;
  const ok = reqs.map((r) => scores[r.ability] >= r.min);
  return anyOf ? ok.some(Boolean) : ok.every(Boolean);
}

/** The abilities a class needs at 13+ to multiclass (the first one when any one suffices). */
export function multiclassAbilities(cls: CharacterClass): Ability[] {
  const reqs = cls.multiclass.prerequisites.length
    ? cls.multiclass.prerequisites.map((r) => r.ability)
    : [...cls.primaryAbilities];
  const anyOf = cls.multiclass.prerequisites.length ? cls.multiclass.anyOf : cls.primaryAbilities.length > 1;
  return anyOf ? reqs.slice(0, 1) : reqs;
}
