/**
 * Classes and subclasses: Open5e CharacterClass + ClassFeature + ClassFeatureItem (features, level tables, core
 * traits), 5e-bits Classes (multiclassing). Known errors in the feature levels are corrected here and logged.
 */
import type {
  Ability,
  CharacterClass,
  ClassLevel,
  Effect,
  Feature,
  Skill,
  Subclass,
} from '@loreforge/rules-5e';
import { SKILL_IDS } from '@loreforge/rules-5e';
import { featureSummary, CLASS_SUMMARY, SUBCLASS_SUMMARY } from './class-text';
import type { FixLog, Sources } from './util';
import { ability, key, pbForLevel, readBits, readOpen5e, skill, slug } from './util';

interface ClassFields {
  name: string;
  subclass_of: string | null;
  hit_dice: string | null;
  saving_throws: string[];
  caster_type: string | null;
  desc?: string;
}
interface FeatureFields {
  parent: string;
  name: string;
  desc: string;
  feature_type?: string | null;
}
interface ItemFields {
  parent: string;
  level: number;
  column_value: string | null;
  detail: string | null;
}
interface BitsRef {
  index: string;
}
interface BitsClass {
  index: string;
  multi_classing: {
    prerequisites?: { ability_score: BitsRef; minimum_score: number }[];
    prerequisite_options?: {
      choose: number;
      from: { options: { ability_score: BitsRef; minimum_score: number }[] };
    };
    proficiencies: BitsRef[];
    proficiency_choices?: { choose: number; from: { options: { item?: BitsRef }[] } }[];
  };
}

type ArmorKind = 'light' | 'medium' | 'heavy' | 'shield';

const SPELLCASTING: Record<string, { kind: 'full' | 'half' | 'pact'; ability: Ability }> = {
  bard: { kind: 'full', ability: 'cha' },
  cleric: { kind: 'full', ability: 'wis' },
  druid: { kind: 'full', ability: 'wis' },
  sorcerer: { kind: 'full', ability: 'cha' },
  wizard: { kind: 'full', ability: 'int' },
  paladin: { kind: 'half', ability: 'cha' },
  ranger: { kind: 'half', ability: 'wis' },
  warlock: { kind: 'pact', ability: 'cha' },
};

/** Column record name → our kebab-case column key. */
const COLUMN_KEYS: Record<string, string> = {
  Rages: 'rages',
  'Rage Damage': 'rage-damage',
  'Weapon Mastery': 'weapon-mastery',
  'Bardic Die': 'bardic-die',
  'Channel Divinity': 'channel-divinity',
  'Second Wind': 'second-wind',
  'Martial Arts': 'martial-arts',
  'Focus Points': 'focus-points',
  'Favored Enemy': 'favored-enemy',
  'Sneak Attack': 'sneak-attack',
  'Sorcery Points': 'sorcery-points',
  'Eldritch Invocations': 'invocations',
};

/**
 * Corrections to the level at which a feature is gained (feature slug → levels), per class. Each was checked
 * against the SRD 5.2.1 class tables and the 5e-bits level records.
 */
const LEVEL_FIXES: Record<string, Record<string, { levels: number[]; why: string }>> = {
  bard: {
    expertise: { levels: [2, 9], why: 'Expertise is gained at levels 2 and 9 (Open5e lists only 2)' },
    'bard-subclass': { levels: [3], why: 'Bard Subclass has no level record in Open5e; it is level 3' },
  },
  rogue: {
    'ability-score-improvement': {
      levels: [4, 8, 10, 12, 16],
      why: 'Rogue gains an extra Ability Score Improvement at level 10 (missing in Open5e)',
    },
  },
  sorcerer: {
    metamagic: {
      levels: [2, 10, 17],
      why: 'Metamagic options are also gained at level 17 (missing in Open5e)',
    },
  },
  'draconic-sorcery': {
    'dragon-companion': { levels: [18], why: 'Dragon Companion is a level 18 feature (Open5e lists 19)' },
  },
  monk: {
    'deflect-attacks': {
      levels: [3],
      why: 'Deflect Attacks had no level; its level-3 item was parented to Stunning Strike',
    },
    'stunning-strike': {
      levels: [5],
      why: 'Stunning Strike is level 5 only (the level-3 item belongs to Deflect Attacks)',
    },
  },
};

/** Names repaired (typos or mislabels in Open5e). */
const NAME_FIXES: Record<string, string> = {
  'Studdied Attacks': 'Studied Attacks',
  'Magic Cunning': 'Magical Cunning',
  'Unarmoed Movement': 'Unarmored Movement',
  'Lay On Hands': 'Lay on Hands',
  'Cleric Subclasses': 'Cleric Subclass',
};

/** Mechanical effects of class and subclass features (keyed "<class-or-subclass>/<feature>"). */
const FEATURE_EFFECTS: Record<string, Effect[]> = {
  'barbarian/unarmored-defense': [{ type: 'unarmored-defense', abilities: ['con'], allowShield: true }],
  'barbarian/fast-movement': [{ type: 'speed-bonus', value: 10, condition: 'no-heavy-armor' }],
  'monk/unarmored-defense': [{ type: 'unarmored-defense', abilities: ['wis'], allowShield: false }],
  'monk/unarmored-movement': [
    { type: 'speed-bonus', value: 10, condition: 'unarmored', column: 'unarmored-movement' },
  ],
  'bard/jack-of-all-trades': [{ type: 'jack-of-all-trades' }],
  'monk/disciplined-survivor': [
    { type: 'save-proficiency', abilities: ['str', 'dex', 'con', 'int', 'wis', 'cha'] },
  ],
  'rogue/slippery-mind': [{ type: 'save-proficiency', abilities: ['wis', 'cha'] }],
  'ranger/roving': [{ type: 'speed-bonus', value: 10, condition: 'no-heavy-armor' }],
  'bard/expertise': [{ type: 'expertise', count: 2 }],
  'rogue/expertise': [{ type: 'expertise', count: 2 }],
  'ranger/deft-explorer': [{ type: 'expertise', count: 1 }],
  'ranger/expertise': [{ type: 'expertise', count: 2 }],
  'wizard/scholar': [{ type: 'expertise', count: 1 }],
  'college-of-lore/bonus-proficiencies': [{ type: 'skill-choice', count: 3, from: [...SKILL_IDS] }],
  'draconic-sorcery/draconic-resilience': [
    { type: 'unarmored-defense', abilities: ['cha'], allowShield: false },
    { type: 'hp-per-level', value: 1, class: 'sorcerer' },
  ],
  'life-domain/disciple-of-life': [],
  // Subclass spell tables (SRD 5.2.1): always prepared from the class level given.
  'life-domain/life-domain-spells': [
    {
      type: 'always-prepared',
      spells: [
        { level: 3, ids: ['aid', 'bless', 'cure-wounds', 'lesser-restoration'] },
        { level: 5, ids: ['mass-healing-word', 'revivify'] },
        { level: 7, ids: ['aura-of-life', 'death-ward'] },
        { level: 9, ids: ['greater-restoration', 'mass-cure-wounds'] },
      ],
    },
  ],
  'fiend-patron/fiend-spells': [
    {
      type: 'always-prepared',
      spells: [
        { level: 3, ids: ['burning-hands', 'command', 'scorching-ray', 'suggestion'] },
        { level: 5, ids: ['fireball', 'stinking-cloud'] },
        { level: 7, ids: ['fire-shield', 'wall-of-fire'] },
        { level: 9, ids: ['geas', 'insect-plague'] },
      ],
    },
  ],
  'draconic-sorcery/draconic-spells': [
    {
      type: 'always-prepared',
      spells: [
        { level: 3, ids: ['alter-self', 'chromatic-orb', 'command', 'dragons-breath'] },
        { level: 5, ids: ['fear', 'fly'] },
        { level: 7, ids: ['arcane-eye', 'charm-monster'] },
        { level: 9, ids: ['legend-lore', 'summon-dragon'] },
      ],
    },
  ],
  'oath-of-devotion/oath-of-devotion-spells': [
    {
      type: 'always-prepared',
      spells: [
        { level: 3, ids: ['protection-from-evil-and-good', 'shield-of-faith'] },
        { level: 5, ids: ['aid', 'zone-of-truth'] },
        { level: 9, ids: ['beacon-of-hope', 'dispel-magic'] },
        { level: 13, ids: ['freedom-of-movement', 'guardian-of-faith'] },
        { level: 17, ids: ['commune', 'flame-strike'] },
      ],
    },
  ],
};

function parseCoreTraits(desc: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of desc.split('\n')) {
    const m = /^\|([^|]+)\|([^|]*)\|$/.exec(line.trim());
    if (m && m[1] && m[2] !== undefined && !/^-+$/.test(m[1])) rows.set(m[1].trim(), m[2].trim());
  }
  return rows;
}

/** Skill name from core-trait text, tolerating PDF-extraction splits like "Na ture". */
function skillLoose(name: string): Skill {
  try {
    return skill(name);
  } catch {
    return skill(name.replace(/\s+/g, ''));
  }
}

function parseSkillChoices(text: string): { count: number; from: Skill[] } {
  if (/any (\d+) skills/i.test(text)) {
    return { count: Number(/any (\d+) skills/i.exec(text)?.[1]), from: [...SKILL_IDS] };
  }
  const m = /Choose (\d+):\s*(.+)$/.exec(text);
  if (!m?.[1] || !m[2]) throw new Error(`import-srd: cannot read skill choices "${text}"`);
  const list = m[2]
    .replace(/\bor\s+/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(skillLoose);
  return { count: Number(m[1]), from: list };
}

function parseArmor(text: string): ArmorKind[] {
  const out: ArmorKind[] = [];
  if (/light/i.test(text)) out.push('light');
  if (/medium/i.test(text)) out.push('medium');
  if (/heavy/i.test(text)) out.push('heavy');
  if (/shield/i.test(text)) out.push('shield');
  return out;
}

function parseWeapons(text: string): string[] {
  if (/Simple and Martial weapons/i.test(text)) return ['simple', 'martial'];
  if (/Martial weapons that have the Finesse or Light property/i.test(text))
    return ['simple', 'martial-finesse-or-light'];
  if (/Martial weapons that have the Light property/i.test(text)) return ['simple', 'martial-light'];
  if (/^Simple weapons$/i.test(text)) return ['simple'];
  throw new Error(`import-srd: cannot read weapon proficiencies "${text}"`);
}

function parseTools(text: string | undefined): string[] {
  if (!text) return [];
  if (/Musical Instrument/i.test(text) && /Choose 3/i.test(text)) return ['choice:3:musical-instrument'];
  if (/Artisan's Tools or Musical Instrument/i.test(text))
    return ['choice:1:artisans-tools-or-musical-instrument'];
  return [slug(text)];
}

function columnValue(name: string, raw: string): number | string {
  const v = raw.trim();
  if (/^\d+d\d+$/i.test(v)) return v.toLowerCase();
  if (/^d\d+$/i.test(v)) return `1${v.toLowerCase()}`;
  const n = /^\+?(\d+)(?: ft\.?)?$/.exec(v);
  if (n) return Number(n[1]);
  throw new Error(`import-srd: unreadable value "${raw}" in column ${name}`);
}

function ordinal(text: string): number {
  const m = /^(\d)(st|nd|rd|th)$/.exec(text.trim());
  if (!m) throw new Error(`import-srd: bad slot level "${text}"`);
  return Number(m[1]);
}

export interface ClassImport {
  classes: CharacterClass[];
  subclasses: Subclass[];
}

export function importClasses(src: Sources, fixes: FixLog): ClassImport {
  const classRows = readOpen5e<ClassFields>(src, 'CharacterClass');
  const featureRows = readOpen5e<FeatureFields>(src, 'ClassFeature');
  const itemRows = readOpen5e<ItemFields>(src, 'ClassFeatureItem');
  const bits = new Map(readBits<BitsClass>(src, 'Classes').map((c) => [c.index, c]));

  const itemsOf = new Map<string, ItemFields[]>();
  for (const it of itemRows) {
    const list = itemsOf.get(it.fields.parent) ?? [];
    list.push(it.fields);
    itemsOf.set(it.fields.parent, list);
  }

  const base = classRows.filter((c) => c.fields.subclass_of === null);
  const subs = classRows.filter((c) => c.fields.subclass_of !== null);

  // --- Subclasses first: their feature levels mark the "<Class> Subclass" rows of the class table.
  const subclasses: Subclass[] = subs.map((s) => {
    const id = key(s.pk);
    const classId = key(s.fields.subclass_of ?? '');
    const features: Feature[] = [];
    for (const f of featureRows.filter(
      (r) => r.fields.parent === s.pk || r.pk.startsWith(`srd-2024_${classId}_${id}_`),
    )) {
      if (f.fields.feature_type) continue;
      const lv = (itemsOf.get(f.pk) ?? []).map((i) => i.level).sort((a, b) => a - b);
      const name = NAME_FIXES[f.fields.name] ?? f.fields.name;
      const fid = slug(name);
      let level = lv[0];
      const fix = LEVEL_FIXES[id]?.[fid];
      if (fix) {
        fixes.add('subclasses', `${id}: ${fix.why}.`);
        level = fix.levels[0];
      }
      if (level === undefined) throw new Error(`import-srd: subclass feature ${f.pk} has no level`);
      features.push({
        id: fid,
        name,
        level,
        summary: featureSummary(id, fid, name, level),
        effects: FEATURE_EFFECTS[`${id}/${fid}`] ?? [],
      });
    }
    features.sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
    const summary = SUBCLASS_SUMMARY[id];
    if (!summary) throw new Error(`import-srd: no summary written for subclass ${id}`);
    return { id, name: s.fields.name, class: classId, spellcasting: null, features, summary };
  });

  const classes: CharacterClass[] = base.map((c) => {
    const id = key(c.pk);
    const mine = featureRows.filter((f) => f.fields.parent === c.pk);
    const core = mine.find((f) => f.fields.feature_type === 'CORE_TRAITS_TABLE');
    if (!core) throw new Error(`import-srd: class ${id} has no core traits table`);
    const traits = parseCoreTraits(core.fields.desc);
    const trait = (name: string): string => {
      const v = traits.get(name);
      if (v === undefined) throw new Error(`import-srd: class ${id} core traits lack "${name}"`);
      return v;
    };

    // Features and the levels they are gained at.
    const features: Feature[] = [];
    const atLevel = new Map<number, string[]>();
    const addAt = (level: number, fid: string): void => {
      const list = atLevel.get(level) ?? [];
      if (!list.includes(fid)) list.push(fid);
      atLevel.set(level, list);
    };
    const columns = new Map<number, Record<string, number | string>>();
    const setColumn = (level: number, col: string, value: number | string): void => {
      const row = columns.get(level) ?? {};
      row[col] = value;
      columns.set(level, row);
    };
    const cantrips = new Map<number, number>();
    const prepared = new Map<number, number>();
    const slots = new Map<number, number[]>();
    const pact = new Map<number, { count?: number; level?: number }>();

    for (const f of mine) {
      const type = f.fields.feature_type ?? null;
      const items = (itemsOf.get(f.pk) ?? []).slice().sort((a, b) => a.level - b.level);
      const colItems = items.filter((i) => i.column_value !== null);
      if (
        type === 'CORE_TRAITS_TABLE' ||
        type === 'CLASS_FEATURE_OPTION_LIST' ||
        type === 'PROFICIENCY_BONUS'
      )
        continue;
      if (type === 'SPELL_SLOTS') {
        const lvl = ordinal(f.fields.name);
        for (const i of colItems) {
          const row = slots.get(i.level) ?? [0, 0, 0, 0, 0, 0, 0, 0, 0];
          row[lvl - 1] = Number(i.column_value);
          slots.set(i.level, row);
        }
        continue;
      }
      const isColumn = type === 'CLASS_TABLE_DATA' || f.fields.desc.trim() === '[Column data]';
      if (isColumn) {
        const seen = new Set<number>();
        for (const i of colItems) {
          if (seen.has(i.level)) {
            fixes.add('classes', `${id} ${f.fields.name} column: dropped a duplicate level-${i.level} row`);
            continue;
          }
          seen.add(i.level);
          const v = i.column_value ?? '';
          if (f.fields.name === 'Cantrips') cantrips.set(i.level, Number(v));
          else if (f.fields.name === 'Prepared Spells') prepared.set(i.level, Number(v));
          else if (id === 'warlock' && f.fields.name === 'Spell Slots')
            pact.set(i.level, { ...pact.get(i.level), count: Number(v) });
          else if (id === 'warlock' && f.fields.name === 'Slot Level')
            pact.set(i.level, { ...pact.get(i.level), level: ordinal(v) });
          else if (f.pk === 'srd-2024_druid_wild-shape-uses')
            setColumn(i.level, 'wild-shape', columnValue('wild-shape', v));
          else {
            const col = COLUMN_KEYS[f.fields.name];
            if (!col) throw new Error(`import-srd: unknown class column "${f.fields.name}" (${f.pk})`);
            setColumn(i.level, col, columnValue(col, v));
          }
        }
        continue;
      }
      // An ordinary feature (the Monk's Unarmored Movement record is both a feature and a column).
      const name = NAME_FIXES[f.fields.name] ?? f.fields.name;
      if (name !== f.fields.name) fixes.add('classes', `${id}: feature "${f.fields.name}" renamed "${name}"`);
      const fid = slug(name);
      if (/Spell List$/.test(name)) continue; // reference lists, not features gained at a level
      if (f.pk === 'srd-2024_monk_unarmored-movement') {
        for (const i of colItems)
          setColumn(i.level, 'unarmored-movement', columnValue('unarmored-movement', i.column_value ?? ''));
      }
      let levels = [...new Set(items.filter((i) => i.column_value === null).map((i) => i.level))].sort(
        (a, b) => a - b,
      );
      const fix = LEVEL_FIXES[id]?.[fid];
      if (fix) {
        fixes.add('classes', `${id}: ${fix.why}.`);
        levels = fix.levels;
      }
      if (fid === 'improved-brutal-strike-enhanced') {
        // Merge: the SRD table lists "Improved Brutal Strike" at 13 and again at 17.
        for (const l of levels) addAt(l, 'improved-brutal-strike');
        fixes.add(
          'classes',
          'barbarian: "Improved Brutal Strike (Enhanced)" merged into Improved Brutal Strike (levels 13 and 17).',
        );
        continue;
      }
      const level = levels[0];
      if (level === undefined) throw new Error(`import-srd: class feature ${f.pk} has no level`);
      for (const l of levels) addAt(l, fid);
      const isSubclassMarker = /Subclass$/.test(name);
      if (isSubclassMarker) {
        const subLevels = new Set<number>();
        for (const s of subclasses.filter((x) => x.class === id))
          for (const sf of s.features) subLevels.add(sf.level);
        for (const l of subLevels) addAt(l, fid);
      }
      features.push({
        id: fid,
        name,
        level,
        summary: featureSummary(id, fid, name, level),
        effects: FEATURE_EFFECTS[`${id}/${fid}`] ?? [],
      });
    }
    features.sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));

    const sc = SPELLCASTING[id] ?? null;
    const levels: ClassLevel[] = [];
    for (let level = 1; level <= 20; level++) {
      const p = pact.get(level);
      levels.push({
        level,
        proficiencyBonus: pbForLevel(level),
        features: features.flatMap((f) => ((atLevel.get(level) ?? []).includes(f.id) ? [f.id] : [])),
        columns: columns.get(level) ?? {},
        cantrips: cantrips.get(level) ?? 0,
        prepared: prepared.get(level) ?? 0,
        slots: slots.get(level) ?? [0, 0, 0, 0, 0, 0, 0, 0, 0],
        pactSlots: p ? { count: p.count ?? 0, level: p.level ?? 0 } : null,
      });
    }

    // Multiclassing from 5e-bits.
    const b = bits.get(id);
    if (!b) throw new Error(`import-srd: class ${id} missing from 5e-bits`);
    const mc = b.multi_classing;
    const prereqSrc = mc.prerequisite_options?.from.options ?? mc.prerequisites ?? [];
    const mcArmor: ArmorKind[] = [];
    const mcWeapons: string[] = [];
    for (const p of mc.proficiencies) {
      if (p.index === 'light-armor') mcArmor.push('light');
      else if (p.index === 'medium-armor') mcArmor.push('medium');
      else if (p.index === 'heavy-armor') mcArmor.push('heavy');
      else if (p.index === 'shields') mcArmor.push('shield');
      else if (p.index === 'martial-weapons') mcWeapons.push('martial');
      else if (p.index === 'simple-weapons') mcWeapons.push('simple');
    }
    const mcSkills = (mc.proficiency_choices ?? [])
      .filter((x) => x.from.options.some((o) => o.item?.index.startsWith('skill-')))
      .reduce((n, x) => n + x.choose, 0);

    const primary = trait('Primary Ability')
      .split(/\s+(?:and|or)\s+/)
      .map((s) => ability(s));
    const hitDie = Number(/D(\d+)/.exec(trait('Hit Point Die'))?.[1]) as CharacterClass['hitDie'];
    const summary = CLASS_SUMMARY[id];
    if (!summary) throw new Error(`import-srd: no summary written for class ${id}`);
    // Saving throws: the Core Traits table is authoritative (the saving_throws field is wrong for Fighter and Monk).
    const saves = trait('Saving Throw Proficiencies')
      .split(/\s+and\s+/)
      .map((x) => ability(x))
      .sort(byAbility);
    const fieldSaves = c.fields.saving_throws.map((x) => ability(x)).sort(byAbility);
    if (fieldSaves.join() !== saves.join()) {
      fixes.add(
        'classes',
        `${id}: saving throws ${fieldSaves.join('+')} → ${saves.join('+')} (from the Core Traits table).`,
      );
    }

    return {
      id,
      name: c.fields.name,
      hitDie,
      primaryAbilities: primary,
      savingThrows: saves,
      armorProficiencies: parseArmor(trait('Armor Training')),
      weaponProficiencies: parseWeapons(trait('Weapon Proficiencies')),
      tools: parseTools(traits.get('Tool Proficiencies')),
      skillChoices: parseSkillChoices(trait('Skill Proficiencies')),
      multiclass: {
        prerequisites: prereqSrc.map((p) => ({
          ability: ability(p.ability_score.index),
          min: p.minimum_score,
        })),
        anyOf: Boolean(mc.prerequisite_options && mc.prerequisite_options.choose === 1),
        armorProficiencies: mcArmor,
        weaponProficiencies: mcWeapons,
        skills: mcSkills,
      },
      spellcasting: sc ? { kind: sc.kind, ability: sc.ability, startsAt: 1 } : null,
      subclassLevel: 3,
      subclasses: subclasses.filter((s) => s.class === id).map((s) => s.id),
      levels,
      features,
      summary,
    };
  });
  return { classes, subclasses };
}

const ORDER: Ability[] = ['str', 'dex', 'con', 'int', 'wis', 'cha'];
function byAbility(a: Ability, b: Ability): number {
  return ORDER.indexOf(a) - ORDER.indexOf(b);
}
