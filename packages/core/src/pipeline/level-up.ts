/**
 * Level-up proposals from the class table: the next level's hit points (fixed average), features, spells up to
 * the table's counts, and, at ASI levels, an Ability Score Improvement or a feat; at the subclass level, a
 * subclass. Each option is a complete build; only options the rules engine accepts are offered.
 */
import { derive, validate, type Ability, type Build, type Content } from '@loreforge/rules-5e';
import { CoreError } from '../errors';

export interface LevelUpOption {
  readonly index: number;
  readonly label: string;
  readonly class: string;
  readonly newLevel: number;
  readonly hitPoints: {
    readonly die: number;
    readonly average: number;
    readonly conModifier: number;
    readonly gain: number;
  };
  /** Names of the class (and subclass) features gained at the new level. */
  readonly features: readonly string[];
  /** Spells added to reach the table's counts. */
  readonly spells: { readonly cantrips: readonly string[]; readonly prepared: readonly string[] };
  readonly build: Build;
}

const endsWith = (id: string, name: string) => id === name || id.endsWith(`-${name}`);

function fillSpells(
  build: Build,
  classId: string,
  content: Content,
): { build: Build; cantrips: string[]; prepared: string[] } {
  const derived = derive(build, content);
  const info = derived.spellcasting.classes.find((c) => c.class === classId);
  if (!info) return { build, cantrips: [], prepared: [] };
  const lists = build.spells ? build.spells.map((s) => ({ ...s })) : [];
  let list = lists.find((s) => s.class === classId);
  if (!list) {
    list = { class: classId, cantrips: [], prepared: [] };
    lists.push(list);
  }
  const taken = new Set(lists.flatMap((s) => [...s.cantrips, ...s.prepared]));
  const pool = [...(content.spellLists.get(classId) ?? [])]
    .map((id) => content.spells.get(id))
    .filter((s): s is NonNullable<typeof s> => s !== undefined && !taken.has(s.id));
  const cantrips = pool
    .filter((s) => s.level === 0)
    .sort((a, b) => a.id.localeCompare(b.id))
    .slice(0, Math.max(0, info.cantrips - list.cantrips.length))
    .map((s) => s.id);
  const prepared = pool
    .filter((s) => s.level >= 1 && s.level <= info.maxSpellLevel)
    .sort((a, b) => b.level - a.level || a.id.localeCompare(b.id))
    .slice(0, Math.max(0, info.prepared - list.prepared.length))
    .map((s) => s.id);
  list.cantrips = [...list.cantrips, ...cantrips];
  list.prepared = [...list.prepared, ...prepared];
  return { build: { ...build, spells: lists }, cantrips, prepared };
}

/** Options for the next level of `classId` (default: the first class; a new class multiclasses at level 1). */
export function levelUpOptions(build: Build, content: Content, classId?: string): LevelUpOption[] {
  const total = build.classes.reduce((n, c) => n + c.level, 0);
  if (total >= 20) throw new CoreError('invalid-input', `levelup: ${build.name} is already level 20`);
  const target = classId ?? build.classes[0]?.class;
  const cls = target === undefined ? undefined : content.classes.get(target);
  if (!cls) throw new CoreError('invalid-input', `levelup --class ${String(target)}: not a known class id`);
  const existing = build.classes.find((c) => c.class === cls.id);
  const newLevel = (existing?.level ?? 0) + 1;
  const classes = existing
    ? build.classes.map((c) => (c.class === cls.id ? { ...c, level: newLevel } : c))
    : [...build.classes, { class: cls.id, level: 1 }];
  const base: Build = { ...build, classes };
  const row = cls.levels[newLevel - 1];
  const featureIds = row?.features ?? [];
  const subclassId = classes.find((c) => c.class === cls.id)?.subclass;
  const sub = subclassId === undefined ? undefined : content.subclasses.get(subclassId);
  const features = [
    ...featureIds.map((id) => cls.features.find((f) => f.id === id)?.name ?? id),
    ...(sub?.features.filter((f) => f.level === newLevel).map((f) => f.name) ?? []),
  ];

  const variants: { label: string; build: Build }[] = [];
  const primary: Ability = cls.primaryAbilities[0] ?? 'str';
  const scores = base.abilityScores;
  const featsOf = (category: string) =>
    [...content.feats.values()]
      .filter((f) => f.category === category && (f.repeatable || !base.feats.includes(f.id)))
      .sort((a, b) => a.id.localeCompare(b.id));
  if (cls.subclassLevel === newLevel && subclassId === undefined) {
    for (const id of cls.subclasses) {
      if (!content.subclasses.has(id)) continue;
      variants.push({
        label: `subclass ${content.subclasses.get(id)?.name ?? id}`,
        build: {
          ...base,
          classes: base.classes.map((c) => (c.class === cls.id ? { ...c, subclass: id } : c)),
        },
      });
    }
  }
  if (featureIds.some((id) => endsWith(id, 'ability-score-improvement'))) {
    const asi = 'ability-score-improvement';
    if (scores[primary] <= 18)
      variants.push({
        label: `Ability Score Improvement: ${primary} +2`,
        build: {
          ...base,
          feats: [...base.feats, asi],
          abilityScores: { ...scores, [primary]: scores[primary] + 2 },
        },
      });
    if (scores[primary] <= 19 && scores.con <= 19 && primary !== 'con')
      variants.push({
        label: `Ability Score Improvement: ${primary} +1, con +1`,
        build: {
          ...base,
          feats: [...base.feats, asi],
          abilityScores: { ...scores, [primary]: scores[primary] + 1, con: scores.con + 1 },
        },
      });
    for (const feat of featsOf('general').filter((f) => f.id !== asi))
      variants.push({ label: `feat ${feat.name}`, build: { ...base, feats: [...base.feats, feat.id] } });
  }
  for (const [slot, category] of [
    ['epic-boon', 'epic-boon'],
    ['fighting-style', 'fighting-style'],
  ] as const) {
    if (!featureIds.some((id) => endsWith(id, slot))) continue;
    for (const feat of featsOf(category))
      variants.push({
        label: `${category} ${feat.name}`,
        build: { ...base, feats: [...base.feats, feat.id] },
      });
  }
  if (variants.length === 0) variants.push({ label: `${cls.name} ${newLevel}`, build: base });

  const options: LevelUpOption[] = [];
  for (const v of variants) {
    const filled = fillSpells(v.build, cls.id, content);
    if (!validate(filled.build, content).valid) continue;
    const average = cls.hitDie / 2 + 1;
    const conModifier = Math.floor((filled.build.abilityScores.con - 10) / 2);
    options.push({
      index: options.length,
      label: v.label,
      class: cls.id,
      newLevel,
      hitPoints: { die: cls.hitDie, average, conModifier, gain: Math.max(1, average + conModifier) },
      features,
      spells: { cantrips: filled.cantrips, prepared: filled.prepared },
      build: filled.build,
    });
  }
  if (options.length === 0)
    throw new CoreError(
      'conflict',
      `levelup: no legal option for ${cls.name} ${newLevel} (the rules engine rejects every candidate, e.g. multiclass prerequisites)`,
    );
  return options;
}
