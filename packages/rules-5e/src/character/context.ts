/**
 * Resolve a build against content once: known classes with their table rows, active features, feats, items and
 * every active mechanical effect with its source. Unknown ids are skipped here (validate reports them), so
 * derive never throws on an invalid build.
 */
import type { Build, BuildClass, EquipmentEntry } from '../build';
import type { Content } from '../content/index';
import type {
  Ability,
  Armor,
  Background,
  CharacterClass,
  ClassLevel,
  Effect,
  Feat,
  Feature,
  Item,
  Lineage,
  MagicItem,
  Species,
  Subclass,
  Weapon,
} from '../content/types';
import {
  abilityModifier,
  levelIndex,
  MAX_CHARACTER_LEVEL,
  proficiencyBonusForLevel,
} from '../tables/advancement';

export interface SourcedEffect {
  /** Feature, trait, lineage or feat id the effect comes from. */
  readonly source: string;
  readonly effect: Effect;
  /** How many times the source is held (a class feature listed at several levels, a repeatable feat). */
  readonly times: number;
}

export interface ResolvedClass {
  readonly index: number;
  readonly entry: BuildClass;
  readonly cls: CharacterClass;
  /** Class level clamped to 1–20 for table lookups. */
  readonly level: number;
  readonly row: ClassLevel | undefined;
  readonly subclass: Subclass | undefined;
  /** Ids of class and subclass features held at this level. */
  readonly featureIds: ReadonlySet<string>;
}

export interface ResolvedItem {
  readonly index: number;
  readonly entry: EquipmentEntry;
  readonly item: Item;
  /** The mundane weapon or armor (the item itself, or a magic item's base item). */
  readonly weapon: Weapon | undefined;
  readonly armor: Armor | undefined;
  readonly magic: MagicItem | undefined;
}

export interface CharacterContext {
  readonly build: Build;
  readonly content: Content;
  /** Total character level, clamped to 1–20. */
  readonly level: number;
  readonly proficiencyBonus: number;
  readonly mods: Readonly<Record<Ability, number>>;
  readonly species: Species | undefined;
  readonly lineage: Lineage | undefined;
  readonly background: Background | undefined;
  readonly classes: readonly ResolvedClass[];
  readonly feats: readonly Feat[];
  readonly items: readonly ResolvedItem[];
  readonly effects: readonly SourcedEffect[];
}

export function totalLevel(classes: readonly BuildClass[]): number {
  return classes.reduce((sum, c) => sum + c.level, 0);
}

interface ClassFeatureIndex {
  /** Per class level 1–20: feature id → how many times it is listed up to that level. */
  readonly countsAt: readonly ReadonlyMap<string, number>[];
  readonly byId: ReadonlyMap<string, Feature>;
}

/** Content is immutable, so per-class feature indexes are computed once per class object. */
const featureIndexCache = new WeakMap<CharacterClass, ClassFeatureIndex>();

function featureIndex(cls: CharacterClass): ClassFeatureIndex {
  let index = featureIndexCache.get(cls);
  if (index) return index;
  const countsAt: Map<string, number>[] = [];
  for (let level = 1; level <= MAX_CHARACTER_LEVEL; level++) {
    const counts = new Map<string, number>();
    for (const row of cls.levels) {
      if (row.level > level) continue;
      for (const id of row.features) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const f of cls.features) if (f.level <= level && !counts.has(f.id)) counts.set(f.id, 1);
    countsAt.push(counts);
  }
  index = { countsAt, byId: new Map(cls.features.map((f) => [f.id, f])) };
  featureIndexCache.set(cls, index);
  return index;
}

/** Feature id → how many times the class table lists it up to `level`. */
export function classFeatureCounts(cls: CharacterClass, level: number): ReadonlyMap<string, number> {
  return featureIndex(cls).countsAt[level - 1] ?? new Map();
}

function resolveClass(entry: BuildClass, index: number, content: Content): ResolvedClass | undefined {
  const cls = content.classes.get(entry.class);
  if (!cls) return undefined;
  const level = levelIndex(entry.level) + 1;
  const sub = entry.subclass === undefined ? undefined : content.subclasses.get(entry.subclass);
  const subclass = sub && sub.class === cls.id && level >= cls.subclassLevel ? sub : undefined;
  const featureIds = new Set(classFeatureCounts(cls, level).keys());
  for (const f of subclass?.features ?? []) if (f.level <= level) featureIds.add(f.id);
  const direct = cls.levels[level - 1];
  const row = direct?.level === level ? direct : cls.levels.find((r) => r.level === level);
  return { index, entry, cls, level, row, subclass, featureIds };
}

function classEffects(rc: ResolvedClass): SourcedEffect[] {
  const out: SourcedEffect[] = [];
  const { byId } = featureIndex(rc.cls);
  for (const [id, times] of classFeatureCounts(rc.cls, rc.level)) {
    for (const effect of byId.get(id)?.effects ?? []) out.push({ source: id, effect, times });
  }
  for (const f of rc.subclass?.features ?? []) {
    if (f.level <= rc.level) for (const effect of f.effects) out.push({ source: f.id, effect, times: 1 });
  }
  return out;
}

function resolveItem(entry: EquipmentEntry, index: number, content: Content): ResolvedItem | undefined {
  const item = content.items.get(entry.item);
  if (!item) return undefined;
  const magic = item.kind === 'magic-item' ? item : undefined;
  const base = magic?.baseItem === undefined ? item : content.items.get(magic.baseItem);
  return {
    index,
    entry,
    item,
    weapon: base?.kind === 'weapon' ? base : undefined,
    armor: base?.kind === 'armor' ? base : undefined,
    magic,
  };
}

function countFeats(build: Build, content: Content): { feats: Feat[]; times: Map<string, number> } {
  const times = new Map<string, number>();
  const feats: Feat[] = [];
  for (const id of build.feats) {
    const feat = content.feats.get(id);
    if (!feat) continue;
    if (!times.has(id)) feats.push(feat);
    times.set(id, (times.get(id) ?? 0) + 1);
  }
  return { feats, times };
}

export function buildContext(build: Build, content: Content): CharacterContext {
  const level = Math.min(MAX_CHARACTER_LEVEL, Math.max(1, totalLevel(build.classes)));
  const species = content.species.get(build.species);
  const lineage = species?.lineages.find((l) => l.id === build.lineage);
  const classes = build.classes.flatMap((c, i) => resolveClass(c, i, content) ?? []);
  const { feats, times } = countFeats(build, content);
  const effects: SourcedEffect[] = [];
  for (const trait of species?.traits ?? [])
    for (const effect of trait.effects) effects.push({ source: trait.id, effect, times: 1 });
  for (const effect of lineage?.effects ?? []) effects.push({ source: lineage?.id ?? '', effect, times: 1 });
  for (const rc of classes) effects.push(...classEffects(rc));
  for (const feat of feats) {
    for (const effect of feat.effects)
      effects.push({ source: feat.id, effect, times: times.get(feat.id) ?? 1 });
  }
  const scores = build.abilityScores;
  const mods: Record<Ability, number> = {
    str: abilityModifier(scores.str),
    dex: abilityModifier(scores.dex),
    con: abilityModifier(scores.con),
    int: abilityModifier(scores.int),
    wis: abilityModifier(scores.wis),
    cha: abilityModifier(scores.cha),
  };
  return {
    build,
    content,
    level,
    proficiencyBonus: proficiencyBonusForLevel(level),
    mods,
    species,
    lineage,
    background: content.backgrounds.get(build.background),
    classes,
    feats,
    items: build.equipment.flatMap((e, i) => resolveItem(e, i, content) ?? []),
    effects,
  };
}

/** Active effects of one type, typed. */
export function effectsOf<T extends Effect['type']>(
  ctx: CharacterContext,
  type: T,
): { source: string; effect: Extract<Effect, { type: T }>; times: number }[] {
  return ctx.effects.filter(
    (e): e is SourcedEffect & { effect: Extract<Effect, { type: T }> } => e.effect.type === type,
  );
}

/** True when the resolved class holds a feature whose id is `name` or ends in `-name` (e.g. `weapon-mastery`). */
export function hasFeature(rc: ResolvedClass, name: string): boolean {
  for (const id of rc.featureIds) if (id === name || id.endsWith(`-${name}`)) return true;
  return false;
}
