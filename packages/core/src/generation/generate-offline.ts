/**
 * The offline procedural generator: a deterministic draft from (concept, seed) using keyword/theme affinity
 * tables over the loaded SRD content. Rules-valid by construction: every id comes from the content, counts come
 * from the class table, scores stay within 1–20, equipment is something the class is proficient with.
 */
import {
  ABILITIES,
  INVOCATIONS,
  SKILLS,
  arcanumLevels,
  invocationProblem,
  invocationSlots,
  warlockLevel,
  type Ability,
  type Armor,
  type Background,
  type Build,
  type CharacterClass,
  type Content,
  type Effect,
  type EquipmentEntry,
  type Feat,
  type Lineage,
  type Size,
  type Skill,
  type Species,
  type Spell,
  type SpellChoice,
  type Subclass,
  type Weapon,
} from '@loreforge/rules-5e';
import type { Archetype } from './affinity';
import {
  CLASS_PRIORITY,
  STANDARD_ARRAY,
  classFeatureEffects,
  classSpells,
  featAllowed,
  featSlots,
  featureCounts,
  isSlotFeature,
  isWeapon,
  maxSpellLevel,
  meetsMulticlass,
  multiclassAbilities,
  weaponProficient,
} from './class-rules';
import { affinity, analyzeConcept, keywordHits, prefers, type ConceptProfile } from './concept';
import { generateMonster } from './creature';
import {
  GenerateRequestSchema,
  type DraftChoices,
  type DraftElement,
  type GenerateRequest,
  type LoreEntry,
  type LoreKind,
} from './draft-schema';
import { loreFor, type NarrativeSlots } from './narrative';
import { composeCharacterStory, familyOf, makeName } from './story';
import { createRng, pick, weightedPick, weightedSample, type Rng } from './prng';
import { leaders } from './reader';
import { contentTokens, normalizeName, titleCase } from './text';

type Scores = Record<Ability, number>;

/** Generate a draft offline. Throws an Error naming the field when the request is malformed. */
export function generateOffline(request: GenerateRequest, content: Content): DraftChoices {
  const parsed = GenerateRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `generateOffline: invalid request at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
    );
  }
  const req = parsed.data;
  const profile = analyzeConcept(req.concept, req.theme);
  if (req.kind === 'monster') {
    return generateMonster(
      {
        concept: req.concept,
        seed: req.seed,
        cr: req.cr ?? (req.level !== undefined ? Math.min(30, req.level) : 1),
      },
      profile,
      content,
    );
  }
  return generateCharacter(
    { concept: req.concept, kind: req.kind, level: req.level ?? 1, seed: req.seed },
    profile,
    content,
  );
}

function requireSome<T>(map: ReadonlyMap<string, T>, what: string): T[] {
  const values = [...map.values()];
  if (values.length === 0) throw new Error(`generateOffline: the content has no ${what}`);
  return values;
}

/** Weighted choice that sharpens preferences (weight²) so strong affinities usually win. */
function choose<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
  return weightedPick(
    rng,
    items.map((value) => ({ value, weight: Math.max(0.0001, weight(value)) ** 2 })),
  );
}

function archetypeFor(profile: ConceptProfile, classId: string): Archetype | undefined {
  let top: Archetype | undefined;
  let topScore = 0;
  for (const m of profile.matches) {
    const s = m.score * (m.archetype.classes[classId] ?? 0);
    if (s > topScore && m.archetype.tradition) {
      top = m.archetype;
      topScore = s;
    }
  }
  return top;
}

export function abilityPriority(cls: CharacterClass, profile: ConceptProfile): Ability[] {
  const base = CLASS_PRIORITY[cls.id] ?? [...cls.primaryAbilities, 'con', 'dex', 'wis', 'cha', 'int', 'str'];
  const order: Ability[] = [];
  for (const a of base) if (!order.includes(a)) order.push(a);
  for (const a of ABILITIES) if (!order.includes(a)) order.push(a);
  // The concept's favourite ability may lead when it is one of the class's primaries (a Dex fighter, say).
  const read = Object.entries(profile.reading.abilities)
    .filter(([, w]) => (w ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([a]) => a as Ability);
  const wanted = [...read, ...profile.matches.flatMap((m) => m.archetype.abilities ?? [])];
  const lead = wanted.find((a) => cls.primaryAbilities.includes(a));
  if (lead && order[0] !== lead) {
    order.splice(order.indexOf(lead), 1);
    order.unshift(lead);
  }
  const second = wanted.find((a) => a !== order[0] && a !== 'str');
  if (second && order.indexOf(second) > 2) {
    order.splice(order.indexOf(second), 1);
    order.splice(2, 0, second);
  }
  return order;
}

const SUBCLASS_HINTS: Readonly<Record<string, readonly string[]>> = {
  'life-domain': ['heal', 'life', 'medic', 'doctor', 'nurse', 'priest'],
  evoker: ['fire', 'blast', 'storm', 'battle', 'war', 'lightning', 'force'],
  thief: ['thief', 'burglar', 'pickpocket', 'heist', 'smuggler', 'hacker', 'netrunner'],
  champion: ['champion', 'gladiator', 'soldier', 'warrior'],
  hunter: ['hunter', 'bounty', 'tracker', 'monster'],
  'draconic-sorcery': ['dragon', 'draconic', 'scale'],
  'fiend-patron': ['demon', 'devil', 'fiend', 'infernal', 'hell', 'sith', 'dark'],
  'path-of-the-berserker': ['berserk', 'rage', 'fury', 'viking'],
  'warrior-of-the-open-hand': ['fist', 'open hand', 'kung', 'shaolin', 'yoda'],
  'oath-of-devotion': ['holy', 'devot', 'knight', 'templar', 'jedi', 'guardian'],
  'college-of-lore': ['lore', 'scholar', 'story', 'poet'],
  'circle-of-the-land': ['land', 'forest', 'desert', 'mountain', 'swamp', 'wild'],
};

function chooseSubclass(
  rng: Rng,
  cls: CharacterClass,
  level: number,
  profile: ConceptProfile,
  content: Content,
): Subclass | undefined {
  if (level < cls.subclassLevel) return undefined;
  const subs = cls.subclasses.flatMap((id) => {
    const s = content.subclasses.get(id);
    return s && s.class === cls.id ? [s] : [];
  });
  if (subs.length === 0) return undefined;
  const norm = normalizeName(profile.concept);
  return choose(rng, subs, (s) => {
    const words = contentTokens(s.name).filter(
      (w) =>
        w.length >= 4 &&
        !['path', 'oath', 'college', 'circle', 'domain', 'patron', 'sorcery', 'warrior'].includes(w),
    );
    return 1 + 2 * keywordHits(norm, profile.tokens, [...words, ...(SUBCLASS_HINTS[s.id] ?? [])]);
  });
}

function chooseSpecies(
  rng: Rng,
  profile: ConceptProfile,
  content: Content,
): { species: Species; lineage?: Lineage; size?: Size } {
  const reading = profile.reading;
  const wantsSmall =
    reading.size === 'small' ||
    (reading.size !== 'large' && profile.matches.some((m) => m.archetype.size === 'small'));
  const all = requireSome(content.species, 'species');
  const evidence: Record<string, number> = {};
  for (const s of all) {
    evidence[s.id] =
      (reading.species[s.id] ?? 0) +
      0.4 * affinity(profile, (a) => a.species, s.id) +
      (reading.size === 'small' && s.sizes.includes('small') ? 2 : 0) +
      (reading.size === 'large' && !s.sizes.includes('medium') ? -3 : 0);
  }
  const lead = leaders(evidence, (id) => content.species.has(id));
  const species =
    lead.length > 0
      ? (content.species.get(
          weightedPick(
            rng,
            lead.map(([value, weight]) => ({ value, weight })),
          ),
        ) as Species)
      : choose(rng, all, (s) => {
          const named = keywordHits(normalizeName(profile.concept), profile.tokens, [s.name, s.id]) * 6;
          return (
            0.6 +
            affinity(profile, (a) => a.species, s.id) +
            named +
            (wantsSmall && s.sizes.includes('small') ? 3 : 0) -
            (reading.size === 'large' && !s.sizes.includes('medium') ? 0.5 : 0)
          );
        });
  let lineage: Lineage | undefined;
  if (species.lineages.length > 0) {
    const types = profile.matches.flatMap((m) => m.archetype.damageTypes ?? []);
    lineage = choose(
      rng,
      species.lineages,
      (l) =>
        1 +
        (l.damageType && types.includes(l.damageType) ? 2 : 0) +
        keywordHits(
          normalizeName(profile.concept),
          profile.tokens,
          contentTokens(l.name).filter((w) => w.length >= 4),
        ) *
          3,
    );
  }
  let size: Size | undefined;
  if (species.sizes.length > 1) {
    size =
      wantsSmall && species.sizes.includes('small')
        ? 'small'
        : species.sizes.includes('medium')
          ? 'medium'
          : species.sizes[0];
  }
  return { species, ...(lineage ? { lineage } : {}), ...(size ? { size } : {}) };
}

function assignScores(priority: readonly Ability[], background: Background): Scores {
  const scores = {} as Scores;
  priority.forEach((a, i) => {
    scores[a] = STANDARD_ARRAY[i] ?? 8;
  });
  const inBg = priority.filter((a) => background.abilities.includes(a));
  const plus2 = inBg[0];
  const plus1 = inBg[1];
  if (plus2) scores[plus2] = Math.min(20, scores[plus2] + 2);
  if (plus1) scores[plus1] = Math.min(20, scores[plus1] + 1);
  return scores;
}

/** Ability Score Improvement: +2 to the first priority below 20, or +1/+1 to even out odd scores. */
function applyAsi(scores: Scores, priority: readonly Ability[]): void {
  const open = priority.filter((a) => scores[a] < 20);
  const first = open[0];
  if (!first) return;
  const oddPartner = open.slice(1, 3).find((a) => scores[a] % 2 === 1);
  if (scores[first] >= 19 || (scores[first] % 2 === 1 && oddPartner)) {
    scores[first] += 1;
    const partner = oddPartner ?? open[1];
    if (partner) scores[partner] += 1;
  } else {
    scores[first] += 2;
  }
}

/** Apply a feat's ability-increase effects to the best-priority allowed abilities, never above 20. */
function applyFeatIncreases(feat: Feat, scores: Scores, priority: readonly Ability[]): void {
  for (const effect of feat.effects) {
    if (effect.type !== 'ability-increase') continue;
    const cap = Math.min(20, effect.max);
    const target = priority.find((a) => effect.from.includes(a) && scores[a] < cap);
    if (target) scores[target] = Math.min(cap, scores[target] + effect.amount);
  }
}

interface Gear {
  entries: EquipmentEntry[];
  weapons: Weapon[];
  armor?: Armor;
  shield: boolean;
}

function firstExisting(content: Content, ids: readonly string[]): string | undefined {
  return ids.find((id) => content.items.has(id));
}

const FOCUS: Readonly<Record<string, readonly string[]>> = {
  wizard: ['wand', 'orb', 'crystal', 'rod', 'arcane-focus', 'component-pouch'],
  sorcerer: ['crystal', 'orb', 'wand', 'rod', 'arcane-focus', 'component-pouch'],
  warlock: ['rod', 'orb', 'wand', 'arcane-focus', 'component-pouch'],
  cleric: ['amulet', 'emblem', 'reliquary', 'holy-symbol', 'component-pouch'],
  paladin: ['emblem', 'amulet', 'reliquary', 'holy-symbol'],
  druid: ['sprig-of-mistletoe', 'yew-wand', 'druidic-focus', 'component-pouch'],
  ranger: ['sprig-of-mistletoe', 'yew-wand', 'druidic-focus'],
  bard: ['component-pouch'],
};
const PACKS: Readonly<Record<string, readonly string[]>> = {
  barbarian: ['explorers-pack'],
  bard: ['entertainers-pack', 'diplomat-pack', 'explorers-pack'],
  cleric: ['priests-pack', 'explorers-pack'],
  druid: ['explorers-pack'],
  fighter: ['dungeoneer-pack', 'explorers-pack'],
  monk: ['explorers-pack'],
  paladin: ['priests-pack', 'explorers-pack'],
  ranger: ['explorers-pack', 'dungeoneer-pack'],
  rogue: ['burglars-pack', 'dungeoneer-pack'],
  sorcerer: ['dungeoneer-pack', 'explorers-pack'],
  warlock: ['scholars-pack', 'dungeoneer-pack'],
  wizard: ['scholars-pack', 'explorers-pack'],
};
const AMMO: readonly { match: RegExp; ids: readonly string[] }[] = [
  { match: /crossbow/, ids: ['bolts', 'crossbow-bolts', 'bolt'] },
  { match: /bow/, ids: ['arrows', 'arrow'] },
  { match: /sling/, ids: ['bullets-sling', 'sling-bullets'] },
  { match: /blowgun/, ids: ['needles', 'blowgun-needles'] },
  { match: /pistol|musket/, ids: ['bullets-firearm', 'firearm-bullets'] },
];

function chooseGear(
  rng: Rng,
  cls: CharacterClass,
  level: number,
  subclass: Subclass | undefined,
  priority: readonly Ability[],
  scores: Scores,
  size: Size,
  profile: ConceptProfile,
  content: Content,
): Gear {
  const dexBased = priority.indexOf('dex') < priority.indexOf('str');
  const items = [...content.items.values()];
  const proficient = items
    .filter(isWeapon)
    .filter(
      (w) =>
        weaponProficient(cls.weaponProficiencies, w) && !(size === 'small' && w.properties.includes('heavy')),
    );
  const effects = classFeatureEffects(content, cls.id, level, subclass?.id);
  const unarmored = effects.find(
    (e): e is Extract<Effect, { type: 'unarmored-defense' }> => e.type === 'unarmored-defense',
  );
  const martial = cls.weaponProficiencies.some((p) => p.startsWith('martial'));

  const weaponWeight = (w: Weapon): number => {
    let s = 0.4 + affinity(profile, (a) => a.weapons, w.id) * 1.5;
    if (dexBased) s += w.properties.includes('finesse') || w.ranged ? 1.5 : 0;
    else if (!w.ranged && (w.properties.includes('versatile') || w.properties.includes('heavy')))
      s += martial ? 1.5 : 0;
    if (w.ranged && !dexBased) s -= 0.3;
    if (w.properties.includes('loading')) s -= 0.2;
    return s;
  };
  const weapons: Weapon[] = [];
  // Props the concept names are carried; its weapons are wielded first (a trident-bearer holds the trident).
  const named = profile.reading.items.flatMap((id) => {
    const item = content.items.get(id);
    return item ? [item] : [];
  });
  for (const w of named.filter(isWeapon)) if (weapons.length < 2) weapons.push(w);
  if (weapons.length === 1 && proficient.length > 0) {
    const first = weapons[0] as Weapon;
    const rest = proficient.filter(
      (w) => w.id !== first.id && w.ranged !== first.ranged && !w.properties.includes('two-handed'),
    );
    if (rest.length > 0 && (first.ranged || martial || dexBased))
      weapons.push(choose(rng, rest, weaponWeight));
  }
  if (weapons.length === 0 && proficient.length > 0) {
    const main = choose(rng, proficient, weaponWeight);
    weapons.push(main);
    const rest = proficient.filter(
      (w) => w.id !== main.id && w.ranged !== main.ranged && !w.properties.includes('two-handed'),
    );
    const backup =
      rest.length > 0 && (main.ranged || martial || dexBased || rng() < 0.5)
        ? choose(rng, rest, weaponWeight)
        : undefined;
    if (backup) weapons.push(backup);
  }
  const main = weapons[0];
  const twoHanded = main?.properties.includes('two-handed') ?? false;

  const namedArmor = named.find((i): i is Armor => i.kind === 'armor' && i.armorType !== 'shield');
  const namedShield = named.some((i) => i.kind === 'armor' && i.armorType === 'shield');
  let armor: Armor | undefined;
  const armorPref = profile.matches.find((m) => m.archetype.armor)?.archetype.armor;
  const profs = cls.armorProficiencies;
  if (!unarmored) {
    const type =
      profs.includes('heavy') && !dexBased && armorPref !== 'light'
        ? 'heavy'
        : profs.includes('medium') && !dexBased
          ? 'medium'
          : profs.includes('light')
            ? 'light'
            : undefined;
    if (type) {
      const options = items
        .filter((i): i is Armor => i.kind === 'armor' && i.armorType === type)
        .filter((a) => type === 'heavy' || !a.stealthDisadvantage)
        .filter((a) => a.strength === null || scores.str >= a.strength)
        .sort((a, b) => a.ac - b.ac || a.cost - b.cost);
      if (options.length > 0) {
        const tier = level < 5 ? 0.4 : level < 11 ? 0.7 : 1;
        armor = options[Math.round(tier * (options.length - 1))];
      }
    }
  }
  // Named armour is worn when the class can wear it (and its Strength need is met), else carried.
  let carriedArmor: Armor | undefined;
  if (namedArmor) {
    const type = namedArmor.armorType;
    if (
      profs.includes(type) &&
      !unarmored &&
      (namedArmor.strength === null || scores.str >= namedArmor.strength)
    )
      armor = namedArmor;
    else carriedArmor = namedArmor;
  }
  const shieldItem = items.find((i): i is Armor => i.kind === 'armor' && i.armorType === 'shield');
  const canShield = profs.includes('shield') && (!unarmored || unarmored.allowShield);
  const shield =
    Boolean(shieldItem) &&
    canShield &&
    main !== undefined &&
    !twoHanded &&
    (namedShield || (!main.ranged && !dexBased));

  const entries: EquipmentEntry[] = [];
  if (armor) entries.push({ item: armor.id, equipped: true });
  if (carriedArmor) entries.push({ item: carriedArmor.id });
  if (shield && shieldItem) entries.push({ item: shieldItem.id, equipped: true });
  else if (namedShield && shieldItem) entries.push({ item: shieldItem.id });
  weapons.forEach((w, i) =>
    entries.push(i === 0 || named.includes(w) ? { item: w.id, equipped: true } : { item: w.id }),
  );
  for (const w of weapons) {
    if (!w.properties.includes('ammunition')) continue;
    const ammo = AMMO.find((a) => a.match.test(w.id));
    const id = ammo && firstExisting(content, ammo.ids);
    if (id && !entries.some((e) => e.item === id)) entries.push({ item: id, quantity: 20 });
  }
  if (cls.spellcasting && cls.spellcasting.kind !== 'none') {
    if (cls.id === 'wizard' && content.items.has('spellbook')) entries.push({ item: 'spellbook' });
    const focus = firstExisting(content, FOCUS[cls.id] ?? ['component-pouch']);
    if (focus && !entries.some((e) => e.item === focus)) entries.push({ item: focus });
  }
  for (const item of named)
    if (item.kind !== 'weapon' && item.kind !== 'armor' && !entries.some((e) => e.item === item.id))
      entries.push({ item: item.id });
  const packs = PACKS[cls.id] ?? ['explorers-pack'];
  const pack = firstExisting(content, [pick(rng, packs), ...packs]);
  if (pack) entries.push({ item: pack });
  return { entries, weapons, ...(armor ? { armor } : {}), shield };
}

function chooseFightingStyle(gear: Gear, taken: readonly string[], content: Content): Feat | undefined {
  const styles = [...content.feats.values()].filter(
    (f) => f.category === 'fighting-style' && !taken.includes(f.id),
  );
  if (styles.length === 0) return undefined;
  const main = gear.weapons[0];
  const wanted = main?.ranged
    ? ['archery']
    : main?.properties.includes('two-handed')
      ? ['great-weapon-fighting']
      : main?.properties.includes('light') &&
          gear.weapons.some((w, i) => i > 0 && w.properties.includes('light'))
        ? ['two-weapon-fighting']
        : ['defense', 'dueling'];
  return styles.find((f) => wanted.includes(f.id)) ?? styles.find((f) => f.id === 'defense') ?? styles[0];
}

function chooseFeats(
  rng: Rng,
  build: { classes: readonly { cls: CharacterClass; level: number }[] },
  background: Background,
  species: Species,
  gear: Gear,
  scores: Scores,
  priority: readonly Ability[],
  level: number,
  profile: ConceptProfile,
  content: Content,
): string[] {
  const feats: string[] = [background.feat];
  const origin = content.feats.get(background.feat);
  if (origin) applyFeatIncreases(origin, scores, priority);
  // The Human's Versatile trait: a second Origin feat (one that needs no spell list of its own).
  if (species.traits.some((t) => t.id === 'versatile')) {
    const martial = build.classes.some((c) => c.cls.weaponProficiencies.some((w) => w.startsWith('martial')));
    const options = [...content.feats.values()].filter(
      (f) =>
        f.category === 'origin' &&
        (f.repeatable || !feats.includes(f.id)) &&
        !f.effects.some((e) => e.type === 'grant-spells') &&
        featAllowed(f, scores, level),
    );
    if (options.length > 0) {
      const pickFeat = choose(
        rng,
        options,
        (f) => 1 + (f.id === 'savage-attacker' && martial ? 2 : 0) + (f.id === 'alert' ? 1 : 0),
      );
      feats.push(pickFeat.id);
      applyFeatIncreases(pickFeat, scores, priority);
    }
  }
  const slots = build.classes
    .flatMap((c) => featSlots(c.cls, c.level))
    .sort((a, b) => a.classLevel - b.classLevel);
  const asi = content.feats.get('ability-score-improvement');
  for (const slot of slots) {
    if (slot.kind === 'fighting-style') {
      const style = chooseFightingStyle(gear, feats, content);
      if (style) feats.push(style.id);
      continue;
    }
    const category = slot.kind === 'epic-boon' ? 'epic-boon' : 'general';
    const options = [...content.feats.values()].filter(
      (f) =>
        f.category === category &&
        f.id !== asi?.id &&
        (f.repeatable || !feats.includes(f.id)) &&
        featAllowed(f, scores, level),
    );
    if (category === 'general') {
      const liked = options.filter((f) => affinity(profile, (a) => a.feats, f.id) > 0);
      if (liked.length > 0 && rng() < 0.35) {
        const feat = pick(rng, liked);
        feats.push(feat.id);
        applyFeatIncreases(feat, scores, priority);
      } else if (asi && featAllowed(asi, scores, level)) {
        feats.push(asi.id);
        applyAsi(scores, priority);
      } else if (options.length > 0) {
        const feat = pick(rng, options);
        feats.push(feat.id);
        applyFeatIncreases(feat, scores, priority);
      }
    } else if (options.length > 0) {
      const caster = build.classes.some((c) => c.cls.spellcasting !== null);
      const feat = choose(
        rng,
        options,
        (f) =>
          1 +
          keywordHits(
            normalizeName(profile.concept),
            profile.tokens,
            contentTokens(f.name).filter((w) => w.length >= 4 && w !== 'boon'),
          ) *
            2 +
          (caster === /spell/.test(f.id) ? 1 : 0),
      );
      feats.push(feat.id);
      applyFeatIncreases(feat, scores, priority);
    }
  }
  return feats;
}

function skillWeight(profile: ConceptProfile, priority: readonly Ability[]) {
  return (s: Skill): number =>
    1 + prefers(profile, (a) => a.skills, s) * 3 + (6 - priority.indexOf(SKILLS[s])) * 0.4;
}

function chooseSkills(
  rng: Rng,
  cls: CharacterClass,
  extraClasses: readonly CharacterClass[],
  background: Background,
  species: Species,
  lineage: Lineage | undefined,
  featIds: readonly string[],
  classEffects: readonly Effect[],
  priority: readonly Ability[],
  profile: ConceptProfile,
  content: Content,
): { skills: Skill[]; expertise: Skill[] } {
  const taken = new Set<Skill>(background.skills);
  const weight = skillWeight(profile, priority);
  const effects: Effect[] = [
    ...species.traits.flatMap((t) => t.effects),
    ...(lineage?.effects ?? []),
    ...featIds.flatMap((id) => content.feats.get(id)?.effects ?? []),
    ...classEffects,
  ];
  for (const e of effects) if (e.type === 'skill-proficiency') for (const s of e.skills) taken.add(s);
  const chooseFrom = (count: number, from: readonly Skill[]): void => {
    const pool = from.filter((s) => !taken.has(s));
    for (const s of weightedSample(
      rng,
      pool.map((value) => ({ value, weight: weight(value) ** 2 })),
      count,
    ))
      taken.add(s);
  };
  chooseFrom(cls.skillChoices.count, cls.skillChoices.from);
  for (const extra of extraClasses) chooseFrom(extra.multiclass.skills, extra.skillChoices.from);
  for (const e of effects) if (e.type === 'skill-choice') chooseFrom(e.count, e.from);
  const skills = [...taken];
  const expertiseCount = classEffects.reduce((n, e) => n + (e.type === 'expertise' ? e.count : 0), 0);
  const expertise = weightedSample(
    rng,
    skills.map((value) => ({ value, weight: weight(value) ** 2 })),
    expertiseCount,
  );
  return { skills, expertise };
}

function spellWeight(profile: ConceptProfile) {
  const types = profile.matches.flatMap((m) => m.archetype.damageTypes ?? []);
  const schools = profile.matches.flatMap((m) => m.archetype.schools ?? []);
  const words = profile.matches.flatMap((m) => m.archetype.spellWords ?? []);
  return (s: Spell): number => {
    let w = 1;
    if (s.damage && s.damage.types.some((t) => types.includes(t))) w += 3;
    if (schools.includes(s.school)) w += 1.5;
    const name = normalizeName(s.name);
    if (words.some((word) => name.includes(normalizeName(word)))) w += 3;
    return w;
  };
}

function chooseSpells(
  rng: Rng,
  cls: CharacterClass,
  level: number,
  profile: ConceptProfile,
  content: Content,
): SpellChoice | undefined {
  const max = maxSpellLevel(cls, level);
  if (max < 0) return undefined;
  const row = cls.levels.find((r) => r.level === level);
  if (!row) return undefined;
  const weight = spellWeight(profile);
  const sample = (pool: readonly Spell[], n: number): string[] =>
    weightedSample(
      rng,
      pool.map((value) => ({ value, weight: weight(value) ** 2 })),
      n,
    ).map((s) => s.id);
  const cantrips = sample(classSpells(content, cls.id, 'cantrip', 0), row.cantrips);
  const leveled = classSpells(content, cls.id, 'leveled', max);
  const byLevel = new Map<number, Spell[]>();
  for (const s of leveled) byLevel.set(s.level, [...(byLevel.get(s.level) ?? []), s]);
  const prepared: string[] = [];
  const target = Math.min(row.prepared, leveled.length);
  for (let i = 0; prepared.length < target; i++) {
    // Cycle through castable levels so prepared spells spread across them; skip exhausted levels.
    const want = (i % Math.max(1, max)) + 1;
    const levels = [...byLevel.keys()].sort((a, b) => Math.abs(a - want) - Math.abs(b - want) || a - b);
    const lvl = levels.find((l) => (byLevel.get(l)?.length ?? 0) > 0);
    if (lvl === undefined) break;
    const pool = byLevel.get(lvl) ?? [];
    const [id] = sample(pool, 1);
    if (id === undefined) break;
    prepared.push(id);
    byLevel.set(
      lvl,
      pool.filter((s) => s.id !== id),
    );
  }
  return { class: cls.id, cantrips, prepared };
}

type GrantedSpells = NonNullable<Build['grantedSpells']>[number];
type GrantEffect = Extract<Effect, { type: 'grant-spells' }>;

/**
 * Spells from grants: the origin feat's spells when the background names its list (Sage, Acolyte: Magic
 * Initiate), and the spells species traits and lineages name (High Elf, Tiefling…): their cantrips, and their
 * leveled spells once the character level unlocks them (`unlocks`: Detect Magic at 3, Misty Step at 5); cantrips
 * avoid the class's own.
 */
function chooseGrantedSpells(
  rng: Rng,
  background: Background,
  feats: readonly string[],
  species: Species,
  lineage: Lineage | undefined,
  classSpellIds: ReadonlySet<string>,
  level: number,
  profile: ConceptProfile,
  content: Content,
): GrantedSpells[] {
  const out: GrantedSpells[] = [];
  const weight = spellWeight(profile);
  const sample = (pool: readonly Spell[], n: number): string[] =>
    weightedSample(
      rng,
      pool.filter((sp) => !classSpellIds.has(sp.id)).map((value) => ({ value, weight: weight(value) ** 2 })),
      n,
    ).map((sp) => sp.id);
  const grantOf = (effects: readonly Effect[]): GrantEffect | undefined =>
    effects.find((e): e is GrantEffect => e.type === 'grant-spells');
  const originFeat = background.feat === undefined ? undefined : content.feats.get(background.feat);
  const originGrant = originFeat && grantOf(originFeat.effects);
  const list = background.featOption;
  if (originFeat && originGrant && !originGrant.spellIds && list && feats.includes(originFeat.id)) {
    const leveled = classSpells(content, list, 'leveled', 1);
    out.push({
      source: { kind: 'feat', id: originFeat.id },
      cantrips: sample(classSpells(content, list, 'cantrip', 0), originGrant.cantrips),
      spells: sample(leveled, originGrant.spells),
    });
  }
  const named: [GrantedSpells['source'], readonly Effect[]][] = [
    ...species.traits.map((t): [GrantedSpells['source'], readonly Effect[]] => [
      { kind: 'feature', id: t.id },
      t.effects,
    ]),
    ...(lineage
      ? [
          [{ kind: 'lineage', id: lineage.id }, lineage.effects] as [
            GrantedSpells['source'],
            readonly Effect[],
          ],
        ]
      : []),
  ];
  for (const [source, effects] of named) {
    const grant = grantOf(effects);
    if (!grant?.spellIds?.length) continue;
    const cantrips = grant.spellIds
      .filter((id) => content.spells.get(id)?.level === 0)
      .slice(0, grant.cantrips);
    const unlockedAt = (id: string) => grant.unlocks?.find((u) => u.spell === id)?.level ?? 1;
    const spells = grant.spellIds
      .filter((id) => (content.spells.get(id)?.level ?? 0) > 0 && unlockedAt(id) <= level)
      .slice(0, grant.spells);
    if (cantrips.length || spells.length) out.push({ source, cantrips, spells });
  }
  return out;
}

/**
 * Warlock Eldritch Invocations (as many as the Warlock table allows, prerequisites met; Agonizing Blast first
 * when Eldritch Blast is known) and one Mystic Arcanum spell per spell level reached, affinity-weighted.
 */
function chooseInvocations(
  rng: Rng,
  build: Build,
  profile: ConceptProfile,
  content: Content,
): { invocations?: string[]; mysticArcanum?: string[] } {
  const level = warlockLevel(build);
  if (level === 0) return {};
  const slots = invocationSlots(content, level);
  const invocations: string[] = [];
  while (invocations.length < slots) {
    const open = INVOCATIONS.filter(
      (inv) => !invocations.includes(inv.id) && !invocationProblem(inv, level, invocations, build, content),
    );
    if (open.length === 0) break;
    const pick = choose(rng, open, (inv) =>
      inv.id === 'agonizing-blast'
        ? 6
        : inv.id.startsWith('pact-of-')
          ? invocations.some((x) => x.startsWith('pact-of-'))
            ? 0.2
            : 2
          : inv.requires
            ? 1.5
            : 1,
    );
    invocations.push(pick.id);
  }
  const weight = spellWeight(profile);
  const mysticArcanum = arcanumLevels(level).flatMap((spellLevel) => {
    const pool = classSpells(content, 'warlock', 'leveled', 9).filter((sp) => sp.level === spellLevel);
    return pool.length === 0 ? [] : [choose(rng, pool, weight).id];
  });
  return { invocations, ...(mysticArcanum.length > 0 ? { mysticArcanum } : {}) };
}

function traditionName(tradition: string): string {
  const bare = tradition.replace(/^(an?|the) /i, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

interface CharacterRequest {
  concept: string;
  kind: 'pc' | 'npc';
  level: number;
  seed: number;
}

/**
 * A second class when the concept clearly blends two archetypes (or names two classes) and the level allows:
 * never below level 3, and only half the time for blended archetypes so single-class builds stay common.
 */
function chooseSecondary(
  rng: Rng,
  cls: CharacterClass,
  level: number,
  profile: ConceptProfile,
  classes: readonly CharacterClass[],
): CharacterClass | undefined {
  const roll = rng();
  if (level < 3) return undefined;
  const norm = normalizeName(profile.concept);
  const named = classes.filter((c) => c.id !== cls.id && keywordHits(norm, profile.tokens, [c.name]) > 0);
  if (named.length > 0) return choose(rng, named, (c) => 1 + affinity(profile, (a) => a.classes, c.id));
  const others = profile.matches.filter((m) => (m.archetype.classes[cls.id] ?? 0) === 0);
  let best: CharacterClass | undefined;
  let bestWeight = 0;
  for (const c of classes) {
    if (c.id === cls.id) continue;
    const w = others.reduce((sum, m) => sum + m.score * (m.archetype.classes[c.id] ?? 0), 0);
    if (w > bestWeight) {
      best = c;
      bestWeight = w;
    }
  }
  return best && bestWeight >= 3 && roll < 0.5 ? best : undefined;
}

/** Raise the abilities multiclassing needs into the top three slots of the priority (keeping the lead). */
function withPrerequisites(priority: readonly Ability[], needed: readonly Ability[]): Ability[] {
  const order = [...priority];
  for (const a of needed) {
    const i = order.indexOf(a);
    if (i > 2) {
      order.splice(i, 1);
      order.splice(2, 0, a);
    }
  }
  return order;
}

interface ClassPick {
  cls: CharacterClass;
  level: number;
  subclass: Subclass | undefined;
}

function generateCharacter(req: CharacterRequest, profile: ConceptProfile, content: Content): DraftChoices {
  const rng = createRng(req.concept, req.seed, req.kind);
  const norm = normalizeName(req.concept);
  const classes = requireSome(content.classes, 'classes');
  // Unmatched classes keep a small chance when the concept names an archetype, an even one when it names none.
  // Weighted evidence from the concept reader (plus the archetype tables as weaker evidence) decides; classes
  // within 80% of the best compete and the seed breaks the tie. With no real evidence, a broad weighted draw.
  const evidence: Record<string, number> = {};
  for (const c of classes)
    evidence[c.id] = (profile.reading.classes[c.id] ?? 0) + 0.4 * affinity(profile, (a) => a.classes, c.id);
  const lead = leaders(evidence, (id) => content.classes.has(id));
  const floor = profile.matches.length > 0 ? 0.12 : 0.3;
  const cls =
    lead.length > 0
      ? (content.classes.get(
          weightedPick(
            rng,
            lead.map(([value, weight]) => ({ value, weight })),
          ),
        ) as CharacterClass)
      : choose(
          rng,
          classes,
          (c) =>
            floor +
            affinity(profile, (a) => a.classes, c.id) +
            keywordHits(norm, profile.tokens, [c.name]) * 4,
        );
  let second = chooseSecondary(rng, cls, req.level, profile, classes);
  const { species, lineage, size } = chooseSpecies(rng, profile, content);
  let priority = abilityPriority(cls, profile);
  if (second)
    priority = withPrerequisites(priority, [...multiclassAbilities(cls), ...multiclassAbilities(second)]);
  const background = choose(rng, requireSome(content.backgrounds, 'backgrounds'), (b) => {
    const fit =
      (b.abilities.includes(priority[0] as Ability) ? 1.5 : 0) +
      (b.abilities.includes(priority[1] as Ability) ? 0.7 : 0);
    return (
      0.5 +
      affinity(profile, (a) => a.backgrounds, b.id) +
      fit +
      keywordHits(norm, profile.tokens, [b.name]) * 3
    );
  });
  const scores = assignScores(priority, background);
  if (second && !(meetsMulticlass(cls, scores) && meetsMulticlass(second, scores))) second = undefined;
  const level = req.level;
  const secondLevel = second ? Math.max(1, Math.min(level - 1, Math.round(level * 0.35))) : 0;
  const picks: ClassPick[] = [{ cls, level: level - secondLevel, subclass: undefined }];
  if (second) picks.push({ cls: second, level: secondLevel, subclass: undefined });
  for (const p of picks) p.subclass = chooseSubclass(rng, p.cls, p.level, profile, content);
  const main = picks[0] as ClassPick;
  const effectiveSize: Size = size ?? species.sizes[0] ?? 'medium';
  const gear = chooseGear(
    rng,
    cls,
    main.level,
    main.subclass,
    priority,
    scores,
    effectiveSize,
    profile,
    content,
  );
  const feats = chooseFeats(
    rng,
    { classes: picks },
    background,
    species,
    gear,
    scores,
    priority,
    level,
    profile,
    content,
  );
  const classEffects = picks.flatMap((p) => classFeatureEffects(content, p.cls.id, p.level, p.subclass?.id));
  const { skills, expertise } = chooseSkills(
    rng,
    cls,
    second ? [second] : [],
    background,
    species,
    lineage,
    feats,
    classEffects,
    priority,
    profile,
    content,
  );
  const spells = picks.flatMap((p) => chooseSpells(rng, p.cls, p.level, profile, content) ?? []);
  const grantedSpells = chooseGrantedSpells(
    rng,
    background,
    feats,
    species,
    lineage,
    new Set(spells.flatMap((s) => [...s.cantrips, ...s.prepared])),
    level,
    profile,
    content,
  );
  const reading = profile.reading;
  const name =
    reading.figure?.name ??
    makeName(rng, { species: species.id, pronoun: reading.pronoun, theme: profile.theme });

  const build: Build = {
    ruleset: '2024',
    name,
    species: species.id,
    ...(lineage ? { lineage: lineage.id } : {}),
    ...(size ? { size } : {}),
    background: background.id,
    classes: picks.map((p) => ({
      class: p.cls.id,
      level: p.level,
      ...(p.subclass ? { subclass: p.subclass.id } : {}),
    })),
    abilityScores: {
      str: scores.str,
      dex: scores.dex,
      con: scores.con,
      int: scores.int,
      wis: scores.wis,
      cha: scores.cha,
    },
    skills,
    expertise,
    feats,
    equipment: gear.entries,
    ...(spells.length > 0 ? { spells } : {}),
    ...(grantedSpells.length > 0 ? { grantedSpells } : {}),
  };
  Object.assign(build, chooseInvocations(rng, build, profile, content));

  const archetype = archetypeFor(profile, cls.id);
  const tradition = archetype?.tradition ?? `the ${cls.name.toLowerCase()}'s old tradition`;
  const mentor = makeName(rng, {
    species: species.id,
    pronoun: rng() < 0.5 ? 'he' : 'she',
    theme: profile.theme,
    avoidFamily: [familyOf(name)],
  });
  const rival = makeName(rng, {
    species: pick(rng, [species.id, ...[...content.species.keys()].slice(0, 3)]),
    pronoun: rng() < 0.5 ? 'he' : 'she',
    theme: profile.theme,
    avoidFamily: [familyOf(name), familyOf(mentor)],
  });
  const slots: NarrativeSlots = {
    name,
    place: reading.elements.places[0] ?? pick(rng, profile.theme.places),
    flavour: profile.flavour[0] ?? 'wandering',
    tradition,
    class: picks.map((p) => p.cls.name.toLowerCase()).join(' and '),
    species: species.name,
    magic: profile.theme.magicWord,
    mentor,
    rival,
    size: effectiveSize,
  };
  const narrative = composeCharacterStory(rng, {
    kind: req.kind,
    name,
    reading,
    theme: profile.theme,
    classIds: picks.map((p) => p.cls.id),
    className: slots.class,
    speciesId: species.id,
    speciesName: species.name,
    ...(lineage ? { lineageName: lineage.name } : {}),
    size: effectiveSize,
    caster: spells.length > 0,
    place: slots.place,
    tradition,
    mentor,
    rival,
    flavour: slots.flavour,
  });
  const { elements, lore } = describeElements(
    rng,
    { build, picks, species, lineage, background, gear, tradition },
    profile,
    slots,
    content,
  );
  return { kind: req.kind, build, narrative, lore, elements };
}

interface Described {
  build: Build;
  picks: readonly ClassPick[];
  species: Species;
  lineage: Lineage | undefined;
  background: Background;
  gear: Gear;
  tradition: string;
}

const SKINNED_THEMES = new Set(['sci-fi', 'cyberpunk']);

function describeElements(
  rng: Rng,
  d: Described,
  profile: ConceptProfile,
  slots: NarrativeSlots,
  content: Content,
): { elements: DraftElement[]; lore: LoreEntry[] } {
  const elements: DraftElement[] = [];
  const lore: LoreEntry[] = [];
  const flavour = (): string => pick(rng, profile.flavour.length > 0 ? profile.flavour : ['weathered']);
  const add = (kind: LoreKind, name: string): void => {
    lore.push(loreFor(rng, kind, name, slots, flavour()));
  };
  elements.push({ kind: 'species', name: d.species.name, id: d.species.id, tag: 'srd' });
  add('species', d.species.name);
  if (d.lineage) add('lineage', d.lineage.name);
  for (const [i, p] of d.picks.entries()) {
    elements.push({ kind: 'class', name: p.cls.name, id: p.cls.id, tag: 'srd' });
    add('class', p.cls.name);
    if (i === 0) add('tradition', traditionName(d.tradition));
    if (p.subclass) {
      elements.push({ kind: 'subclass', name: p.subclass.name, id: p.subclass.id, tag: 'srd' });
      add('subclass', p.subclass.name);
    }
  }
  elements.push({ kind: 'background', name: d.background.name, id: d.background.id, tag: 'srd' });
  add('background', d.background.name);
  for (const id of new Set(d.build.feats)) {
    const feat = content.feats.get(id);
    if (!feat) continue;
    elements.push({ kind: 'feat', name: feat.name, id, tag: 'srd' });
    add('feat', feat.name);
  }
  const skinned = SKINNED_THEMES.has(profile.theme.id);
  for (const entry of d.build.equipment) {
    const item = content.items.get(entry.item);
    if (!item) continue;
    const isWeaponItem = item.kind === 'weapon';
    const isArmor = item.kind === 'armor' && item.armorType !== 'shield';
    if (skinned && (isWeaponItem || isArmor)) {
      const skin = isWeaponItem
        ? item.ranged
          ? profile.theme.rangedSkin
          : profile.theme.meleeSkin
        : profile.theme.armorSkin;
      const name = `${titleCase(skin)} (${item.name})`;
      elements.push({ kind: 'item', name, id: item.id, tag: 'adapted', basedOn: item.id });
      add(isWeaponItem ? 'weapon' : 'armor', name);
    } else {
      elements.push({ kind: 'item', name: item.name, id: item.id, tag: 'srd' });
      // Lore for weapons and armour; packs, foci and ammunition are listed without it (token budget).
      if (isWeaponItem || item.kind === 'armor' || item.kind === 'magic-item')
        add(isWeaponItem ? 'weapon' : item.kind === 'armor' ? 'armor' : 'item', item.name);
    }
  }
  const seenSpells = new Set<string>();
  // Granted spells (feat, lineage) stay in the build only: listing them with lore would break the token budget.
  for (const choice of d.build.spells ?? []) {
    for (const id of [...choice.cantrips, ...choice.prepared]) {
      const spell = content.spells.get(id);
      if (!spell || seenSpells.has(id)) continue;
      seenSpells.add(id);
      elements.push({ kind: 'spell', name: spell.name, id, tag: 'srd' });
      add('spell', spell.name);
    }
  }
  const seenFeatures = new Set<string>();
  for (const p of d.picks) {
    for (const id of featureCounts(p.cls, p.level).keys()) {
      if (isSlotFeature(id)) continue;
      const feature = p.cls.features.find((f) => f.id === id);
      if (feature && !seenFeatures.has(feature.name)) {
        seenFeatures.add(feature.name);
        add('feature', feature.name);
      }
    }
    for (const f of p.subclass?.features ?? []) if (f.level <= p.level) add('feature', f.name);
  }
  return { elements, lore };
}
