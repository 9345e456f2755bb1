/**
 * Integrity of the generated SRD 5.2.1 content (resources/srd): it parses, has the SRD counts, every reference
 * resolves, class tables equal the SRD tables (rules-facts.md §5d/§5e, written out below as data), creature
 * CR/XP/PB agree, and spot checks of weapons, armor, species, feats and creatures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Armor, CharacterClass, MagicItem, Weapon } from '../src/index';
import { parseContent } from '../src/index';
import { SRD_DIR, loadSrd, loadSrdData } from './srd';

const srd = loadSrd();
const data = loadSrdData();

function cls(id: string): CharacterClass {
  const c = srd.classes.get(id);
  if (!c) throw new Error(`class ${id} missing`);
  return c;
}

// ---- Expected tables (SRD 5.2.1 class tables as restated in rules-facts.md §5d/§5e) ---------------------

/** Full-caster slots by caster level 1–20 (levels 1–9). */
const FULL: number[][] = [
  [2, 0, 0, 0, 0, 0, 0, 0, 0],
  [3, 0, 0, 0, 0, 0, 0, 0, 0],
  [4, 2, 0, 0, 0, 0, 0, 0, 0],
  [4, 3, 0, 0, 0, 0, 0, 0, 0],
  [4, 3, 2, 0, 0, 0, 0, 0, 0],
  [4, 3, 3, 0, 0, 0, 0, 0, 0],
  [4, 3, 3, 1, 0, 0, 0, 0, 0],
  [4, 3, 3, 2, 0, 0, 0, 0, 0],
  [4, 3, 3, 3, 1, 0, 0, 0, 0],
  [4, 3, 3, 3, 2, 0, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 0, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 0, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 0],
  [4, 3, 3, 3, 2, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 2, 1, 1],
];
/** Paladin/Ranger slots by class level (2024: from level 1). */
const HALF_BY_PAIR: number[][] = [
  [2, 0, 0, 0, 0],
  [3, 0, 0, 0, 0],
  [4, 2, 0, 0, 0],
  [4, 3, 0, 0, 0],
  [4, 3, 2, 0, 0],
  [4, 3, 3, 0, 0],
  [4, 3, 3, 1, 0],
  [4, 3, 3, 2, 0],
  [4, 3, 3, 3, 1],
  [4, 3, 3, 3, 2],
];
const HALF: number[][] = Array.from({ length: 20 }, (_, i) => [
  ...(HALF_BY_PAIR[Math.floor(i / 2)] ?? []),
  0,
  0,
  0,
  0,
]);
const NONE = [0, 0, 0, 0, 0, 0, 0, 0, 0];
const PACT_COUNT = [1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4];
const PACT_LEVEL = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5];

const FULL_PREPARED = [4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 17, 18, 18, 19, 20, 21, 22];
const HALF_PREPARED = [2, 3, 4, 5, 6, 6, 7, 7, 9, 9, 10, 10, 11, 11, 12, 12, 14, 14, 15, 15];
const TABLES: Record<string, { cantrips: number[]; prepared: number[]; slots: number[][] }> = {
  bard: {
    cantrips: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
    prepared: FULL_PREPARED,
    slots: FULL,
  },
  cleric: {
    cantrips: [3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
    prepared: FULL_PREPARED,
    slots: FULL,
  },
  druid: {
    cantrips: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
    prepared: FULL_PREPARED,
    slots: FULL,
  },
  paladin: { cantrips: Array<number>(20).fill(0), prepared: HALF_PREPARED, slots: HALF },
  ranger: { cantrips: Array<number>(20).fill(0), prepared: HALF_PREPARED, slots: HALF },
  sorcerer: {
    cantrips: [4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
    prepared: [2, 4, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 17, 18, 18, 19, 20, 21, 22],
    slots: FULL,
  },
  warlock: {
    cantrips: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
    prepared: [2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15],
    slots: Array.from({ length: 20 }, () => NONE),
  },
  wizard: {
    cantrips: [3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
    prepared: [4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 18, 19, 21, 22, 23, 24, 25],
    slots: FULL,
  },
  barbarian: {
    cantrips: Array<number>(20).fill(0),
    prepared: Array<number>(20).fill(0),
    slots: Array.from({ length: 20 }, () => NONE),
  },
  fighter: {
    cantrips: Array<number>(20).fill(0),
    prepared: Array<number>(20).fill(0),
    slots: Array.from({ length: 20 }, () => NONE),
  },
  monk: {
    cantrips: Array<number>(20).fill(0),
    prepared: Array<number>(20).fill(0),
    slots: Array.from({ length: 20 }, () => NONE),
  },
  rogue: {
    cantrips: Array<number>(20).fill(0),
    prepared: Array<number>(20).fill(0),
    slots: Array.from({ length: 20 }, () => NONE),
  },
};

/** CR → XP (rules-facts.md §3); CR 0 allows 0 or 10. */
const XP: Record<string, number> = {
  '0.125': 25, '0.25': 50, '0.5': 100, '1': 200, '2': 450, '3': 700, '4': 1100, '5': 1800, '6': 2300, '7': 2900,
  '8': 3900, '9': 5000, '10': 5900, '11': 7200, '12': 8400, '13': 10000, '14': 11500, '15': 13000, '16': 15000,
  '17': 18000, '18': 20000, '19': 22000, '20': 25000, '21': 33000, '22': 41000, '23': 50000, '24': 62000,
  '25': 75000, '26': 90000, '27': 105000, '28': 120000, '29': 135000, '30': 155000,
}; // prettier-ignore
function pbForCr(cr: number): number {
  const bands: [number, number][] = [[4, 2], [8, 3], [12, 4], [16, 5], [20, 6], [24, 7], [28, 8], [30, 9]]; // prettier-ignore
  for (const [max, pb] of bands) if (cr <= max) return pb;
  throw new Error(`CR ${cr} out of range`);
}

// ---- Tests -------------------------------------------------------------------------------------------

describe('SRD content files', () => {
  it('parse as a whole with parseContent (schema + unique ids)', () => {
    const raw: Record<string, unknown> = {};
    for (const f of [
      'species',
      'backgrounds',
      'classes',
      'subclasses',
      'feats',
      'items',
      'spells',
      'creatures',
    ]) {
      raw[f] = JSON.parse(readFileSync(join(SRD_DIR, `${f}.json`), 'utf8')) as unknown;
    }
    const content = parseContent(raw);
    expect(content.creatures.size).toBe(331);
  });

  it('have the SRD 5.2.1 counts', () => {
    expect(data.species).toHaveLength(9);
    expect(data.backgrounds).toHaveLength(4);
    expect(data.classes).toHaveLength(12);
    expect(data.subclasses).toHaveLength(12);
    expect(data.feats).toHaveLength(17);
    expect(data.items.filter((i) => i.kind === 'weapon')).toHaveLength(38);
    expect(data.items.filter((i) => i.kind === 'armor')).toHaveLength(13);
    expect(data.spells).toHaveLength(339);
    expect(data.creatures).toHaveLength(331);
    expect(data.items.filter((i) => i.kind === 'gear').length).toBeGreaterThan(100);
    expect(data.items.filter((i) => i.kind === 'magic-item').length).toBeGreaterThan(700);
  });

  it('count spells per level as the SRD does', () => {
    const perLevel = Array<number>(10).fill(0);
    for (const s of data.spells) perLevel[s.level] = (perLevel[s.level] ?? 0) + 1;
    expect(perLevel).toEqual([27, 57, 57, 42, 34, 38, 31, 20, 17, 16]);
  });

  it('have lowercase hyphenated ids including the well-known ones', () => {
    for (const id of ['chain-mail', 'studded-leather-armor', 'leather-armor', 'shield', 'longsword']) {
      expect(srd.items.has(id), id).toBe(true);
    }
    for (const id of ['magic-initiate', 'savage-attacker', 'alert']) expect(srd.feats.has(id), id).toBe(true);
    for (const id of ['fire-bolt', 'magic-missile', 'fireball']) expect(srd.spells.has(id), id).toBe(true);
    expect(srd.lineageOf.get('high-elf')).toBe('elf');
    expect([...srd.species.keys()].sort()).toEqual(
      ['dragonborn', 'dwarf', 'elf', 'gnome', 'goliath', 'halfling', 'human', 'orc', 'tiefling'].sort(),
    );
    expect([...srd.subclasses.keys()].sort()).toEqual(
      [
        'path-of-the-berserker',
        'college-of-lore',
        'life-domain',
        'circle-of-the-land',
        'champion',
        'warrior-of-the-open-hand',
        'oath-of-devotion',
        'hunter',
        'thief',
        'draconic-sorcery',
        'fiend-patron',
        'evoker',
      ].sort(),
    );
  });
});

describe('classes', () => {
  it.each(data.classes.map((c) => [c.id, c] as const))(
    '%s has levels 1–20 in order with PB 2 + ⌊(L−1)/4⌋',
    (_, c) => {
      expect(c.levels.map((l) => l.level)).toEqual(Array.from({ length: 20 }, (_x, i) => i + 1));
      for (const l of c.levels) expect(l.proficiencyBonus).toBe(2 + Math.floor((l.level - 1) / 4));
    },
  );

  it.each(Object.keys(TABLES))('%s slots, cantrips and prepared equal the SRD table at every level', (id) => {
    const c = cls(id);
    const t = TABLES[id];
    if (!t) throw new Error(id);
    expect(c.levels.map((l) => l.slots)).toEqual(t.slots);
    expect(c.levels.map((l) => l.cantrips)).toEqual(t.cantrips);
    expect(c.levels.map((l) => l.prepared)).toEqual(t.prepared);
  });

  it('Warlock has Pact Magic slots and no other class does', () => {
    const w = cls('warlock');
    expect(w.levels.map((l) => l.pactSlots?.count)).toEqual(PACT_COUNT);
    expect(w.levels.map((l) => l.pactSlots?.level)).toEqual(PACT_LEVEL);
    for (const c of data.classes.filter((x) => x.id !== 'warlock')) {
      expect(
        c.levels.every((l) => l.pactSlots === null),
        c.id,
      ).toBe(true);
    }
  });

  it('have the SRD hit dice, saves and caster kinds', () => {
    const expected: Record<string, [number, string[], string | null]> = {
      barbarian: [12, ['str', 'con'], null],
      bard: [8, ['dex', 'cha'], 'full'],
      cleric: [8, ['wis', 'cha'], 'full'],
      druid: [8, ['int', 'wis'], 'full'],
      fighter: [10, ['str', 'con'], null],
      monk: [8, ['str', 'dex'], null],
      paladin: [10, ['wis', 'cha'], 'half'],
      ranger: [10, ['str', 'dex'], 'half'],
      rogue: [8, ['dex', 'int'], null],
      sorcerer: [6, ['con', 'cha'], 'full'],
      warlock: [8, ['wis', 'cha'], 'pact'],
      wizard: [6, ['int', 'wis'], 'full'],
    };
    for (const [id, [hd, saves, kind]] of Object.entries(expected)) {
      const c = cls(id);
      expect(c.hitDie, id).toBe(hd);
      expect([...c.savingThrows].sort(), id).toEqual([...saves].sort());
      expect(c.spellcasting?.kind ?? null, id).toBe(kind);
    }
  });

  it('have the class columns as numbers or dice strings', () => {
    const col = (id: string, level: number, key: string) => cls(id).levels[level - 1]?.columns[key];
    expect(col('barbarian', 1, 'rages')).toBe(2);
    expect(col('barbarian', 9, 'rage-damage')).toBe(3);
    expect(col('barbarian', 4, 'weapon-mastery')).toBe(3);
    expect(col('monk', 1, 'martial-arts')).toBe('1d6');
    expect(col('monk', 17, 'martial-arts')).toBe('1d12');
    expect(col('monk', 2, 'unarmored-movement')).toBe(10);
    expect(col('monk', 18, 'unarmored-movement')).toBe(30);
    expect(col('monk', 5, 'focus-points')).toBe(5);
    expect(col('rogue', 1, 'sneak-attack')).toBe('1d6');
    expect(col('rogue', 20, 'sneak-attack')).toBe('10d6');
    expect(col('sorcerer', 20, 'sorcery-points')).toBe(20);
    expect(col('warlock', 1, 'invocations')).toBe(1);
    expect(col('cleric', 18, 'channel-divinity')).toBe(4);
    expect(col('druid', 2, 'wild-shape')).toBe(2);
    expect(col('bard', 5, 'bardic-die')).toBe('1d8');
    expect(cls('fighter').levels.map((l) => l.columns['weapon-mastery'])).toEqual([
      3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6,
    ]);
  });

  it('list features by level, with the corrected levels', () => {
    const levelsOf = (id: string, feature: string) =>
      cls(id)
        .levels.filter((l) => l.features.includes(feature))
        .map((l) => l.level);
    expect(levelsOf('rogue', 'ability-score-improvement')).toEqual([4, 8, 10, 12, 16]);
    expect(levelsOf('fighter', 'ability-score-improvement')).toEqual([4, 6, 8, 12, 14, 16]);
    expect(levelsOf('bard', 'expertise')).toEqual([2, 9]);
    expect(levelsOf('monk', 'deflect-attacks')).toEqual([3]);
    expect(levelsOf('monk', 'stunning-strike')).toEqual([5]);
    expect(levelsOf('barbarian', 'barbarian-subclass')).toEqual([3, 6, 10, 14]);
    expect(levelsOf('bard', 'jack-of-all-trades')).toEqual([2]);
    expect(levelsOf('fighter', 'action-surge')).toEqual([2, 17]);
    expect(levelsOf('sorcerer', 'sorcerer-subclass')).toEqual([3, 6, 14, 18]);
    const subLevels = (id: string) => srd.subclasses.get(id)?.features.map((f) => f.level);
    expect(subLevels('draconic-sorcery')).toEqual([3, 3, 6, 14, 18]);
    expect(subLevels('life-domain')).toEqual([3, 3, 3, 6, 17]);
    expect(subLevels('champion')).toEqual([3, 3, 7, 10, 15, 18]);
  });

  it('have multiclass prerequisites and proficiencies', () => {
    expect(cls('fighter').multiclass).toMatchObject({
      prerequisites: [
        { ability: 'str', min: 13 },
        { ability: 'dex', min: 13 },
      ],
      anyOf: true,
    });
    expect(cls('monk').multiclass.prerequisites).toEqual([
      { ability: 'dex', min: 13 },
      { ability: 'wis', min: 13 },
    ]);
    expect(cls('monk').multiclass.anyOf).toBe(false);
    expect(cls('barbarian').multiclass.armorProficiencies).toEqual(['shield']);
    expect(cls('barbarian').multiclass.weaponProficiencies).toEqual(['martial']);
    expect(cls('rogue').multiclass.skills).toBe(1);
    expect(cls('wizard').multiclass.armorProficiencies).toEqual([]);
  });

  it('carry the engine-relevant feature effects', () => {
    const effects = (id: string, f: string) => cls(id).features.find((x) => x.id === f)?.effects;
    expect(effects('barbarian', 'unarmored-defense')).toEqual([
      { type: 'unarmored-defense', abilities: ['con'], allowShield: true },
    ]);
    expect(effects('barbarian', 'fast-movement')).toEqual([
      { type: 'speed-bonus', value: 10, condition: 'no-heavy-armor' },
    ]);
    expect(effects('monk', 'unarmored-defense')).toEqual([
      { type: 'unarmored-defense', abilities: ['wis'], allowShield: false },
    ]);
    expect(effects('monk', 'unarmored-movement')?.[0]).toMatchObject({
      type: 'speed-bonus',
      column: 'unarmored-movement',
    });
    expect(effects('bard', 'jack-of-all-trades')).toEqual([{ type: 'jack-of-all-trades' }]);
    expect(effects('bard', 'expertise')).toEqual([{ type: 'expertise', count: 2 }]);
    expect(effects('rogue', 'expertise')).toEqual([{ type: 'expertise', count: 2 }]);
    expect(effects('rogue', 'slippery-mind')).toEqual([
      { type: 'save-proficiency', abilities: ['wis', 'cha'] },
    ]);
    expect(effects('monk', 'disciplined-survivor')?.[0]).toMatchObject({ type: 'save-proficiency' });
    expect(effects('ranger', 'roving')).toEqual([
      { type: 'speed-bonus', value: 10, condition: 'no-heavy-armor' },
    ]);
  });

  it('skill choices follow the 2024 core traits', () => {
    expect(cls('rogue').skillChoices.count).toBe(4);
    expect(cls('rogue').skillChoices.from).not.toContain('performance');
    expect(cls('bard').skillChoices).toMatchObject({ count: 3 });
    expect(cls('bard').skillChoices.from).toHaveLength(18);
    expect(cls('wizard').skillChoices.from).toContain('nature');
    expect(cls('rogue').weaponProficiencies).toEqual(['simple', 'martial-finesse-or-light']);
  });
});

describe('references resolve', () => {
  it('class levels reference class features; subclasses reference their class and back', () => {
    for (const c of data.classes) {
      const ids = new Set(c.features.map((f) => f.id));
      expect(ids.size, c.id).toBe(c.features.length);
      for (const l of c.levels)
        for (const f of l.features) expect(ids.has(f), `${c.id} L${l.level} ${f}`).toBe(true);
      for (const f of c.features) {
        expect(
          c.levels.some((l) => l.features.includes(f.id)),
          `${c.id} ${f.id} is gained at some level`,
        ).toBe(true);
      }
      for (const s of c.subclasses) expect(srd.subclasses.get(s)?.class, s).toBe(c.id);
    }
    for (const s of data.subclasses) expect(cls(s.class).subclasses).toContain(s.id);
  });

  it('backgrounds reference feats and items', () => {
    for (const b of data.backgrounds) {
      expect(srd.feats.get(b.feat)?.category, b.id).toBe('origin');
      for (const e of b.equipment) expect(srd.items.has(e.item), `${b.id} ${e.item}`).toBe(true);
    }
    expect(srd.backgrounds.get('sage')).toMatchObject({ feat: 'magic-initiate', featOption: 'wizard' });
    expect(srd.backgrounds.get('acolyte')).toMatchObject({ feat: 'magic-initiate', featOption: 'cleric' });
  });

  it('spell class lists name classes; granted spells exist', () => {
    for (const s of data.spells) {
      expect(s.classes.length, s.id).toBeGreaterThan(0);
      for (const c of s.classes) expect(srd.classes.has(c), `${s.id} ${c}`).toBe(true);
    }
    const granted = [
      ...data.species.flatMap((s) => [
        ...s.traits.flatMap((t) => t.effects),
        ...s.lineages.flatMap((l) => l.effects),
      ]),
      ...data.feats.flatMap((f) => f.effects),
    ];
    for (const e of granted) {
      if (e.type === 'grant-spells')
        for (const id of e.spellIds ?? []) expect(srd.spells.has(id), id).toBe(true);
    }
    expect(srd.spellLists.get('wizard')?.size).toBe(218);
    expect(srd.spellLists.get('paladin')?.size).toBe(38);
  });

  it('magic items point at existing base items of the right kind', () => {
    const withBase = data.items.filter(
      (i): i is MagicItem => i.kind === 'magic-item' && i.baseItem !== undefined,
    );
    expect(withBase.length).toBeGreaterThan(500);
    for (const m of withBase) {
      const base = srd.items.get(m.baseItem ?? '');
      expect(base?.kind === 'weapon' || base?.kind === 'armor', `${m.id} → ${m.baseItem}`).toBe(true);
    }
  });

  it('creature multiattacks and spellcasting reference real actions and spells', () => {
    for (const c of data.creatures) {
      const names = new Set(c.actions.map((a) => a.name));
      const all = [...c.actions, ...c.bonusActions, ...c.reactions, ...(c.legendaryActions?.actions ?? [])];
      for (const a of all) {
        if (!a.multiattack) continue;
        expect(a.multiattack.length, `${c.id} multiattack parsed`).toBeGreaterThan(0);
        for (const m of a.multiattack) expect(names.has(m.action), `${c.id}: ${m.action}`).toBe(true);
      }
      for (const s of c.spellcasting?.spells ?? [])
        expect(srd.spells.has(s.spell), `${c.id}: ${s.spell}`).toBe(true);
    }
  });
});

describe('creatures', () => {
  it('every creature has a CR with XP and PB consistent with it', () => {
    for (const c of data.creatures) {
      expect(c.cr, c.id).toBeGreaterThanOrEqual(0);
      expect(pbForCr(c.cr), c.id).toBe(c.proficiencyBonus);
      if (c.cr === 0) expect([0, 10], c.id).toContain(c.xp);
      else expect(c.xp, c.id).toBe(XP[String(c.cr)]);
    }
  });

  it('stat blocks are internally consistent', () => {
    for (const c of data.creatures) {
      const mod = (s: number) => Math.floor((s - 10) / 2);
      for (const [a, v] of Object.entries(c.saves)) {
        expect(v, `${c.id} ${a} save is proficient`).not.toBe(
          mod(c.abilities[a as keyof typeof c.abilities]),
        );
      }
      expect(c.hp.average, c.id).toBeGreaterThan(0);
      for (const a of [...c.actions, ...c.bonusActions, ...c.reactions]) {
        for (const d of [...(a.attack?.damage ?? []), ...(a.save?.damage ?? [])]) {
          expect(d.average, `${c.id} ${a.name}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('most attacks have parsed damage', () => {
    const attacks = data.creatures.flatMap((c) => c.actions.filter((a) => a.attack));
    expect(attacks.length).toBeGreaterThan(400);
    const withDamage = attacks.filter((a) => (a.attack?.damage.length ?? 0) > 0);
    expect(withDamage.length / attacks.length).toBeGreaterThan(0.97);
  });

  it('parses the Aboleth and the Adult Red Dragon', () => {
    const aboleth = srd.creatures.get('aboleth');
    expect(aboleth).toMatchObject({ cr: 10, xp: 5900, proficiencyBonus: 4, legendaryResistance: 3 });
    expect(aboleth?.saves).toEqual({ dex: 3, con: 6, int: 8, wis: 6 });
    const tentacle = aboleth?.actions.find((a) => a.name === 'Tentacle');
    expect(tentacle?.attack).toEqual({
      kind: 'melee',
      bonus: 9,
      reach: 15,
      damage: [{ dice: '2d6+5', average: 12, type: 'bludgeoning' }],
    });
    expect(aboleth?.actions.find((a) => a.name === 'Multiattack')?.multiattack).toEqual([
      { action: 'Tentacle', count: 2 },
    ]);
    expect(aboleth?.actions.find((a) => a.name === 'Dominate Mind')?.usage).toEqual({
      type: 'per-day',
      times: 2,
    });
    expect(aboleth?.legendaryActions?.uses).toBe(3);

    const red = srd.creatures.get('adult-red-dragon');
    const breath = red?.actions.find((a) => a.name === 'Fire Breath');
    expect(breath?.save).toMatchObject({ ability: 'dex', onSuccess: 'half', area: true });
    expect(breath?.save?.damage[0]?.type).toBe('fire');
    expect(breath?.usage).toEqual({ type: 'recharge', min: 5 });
    const rend = red?.actions.find((a) => a.name === 'Rend');
    expect(rend?.attack?.damage.map((d) => d.type)).toEqual(['slashing', 'fire']);
    expect(red?.spellcasting).toMatchObject({ ability: 'cha', dc: 20, attackBonus: 12 });
    expect(red?.spellcasting?.spells).toContainEqual({ spell: 'fireball', usage: '1/day' });
  });

  it('keeps conditional riders out of the hit damage and links legendary actions to attacks', () => {
    const scimitar = srd.creatures.get('goblin-warrior')?.actions.find((a) => a.name === 'Scimitar');
    expect(scimitar?.attack?.damage).toEqual([{ dice: '1d6+2', average: 5, type: 'slashing' }]);
    const pounce = srd.creatures
      .get('adult-red-dragon')
      ?.legendaryActions?.actions.find((a) => a.name === 'Pounce');
    expect(pounce?.multiattack).toEqual([{ action: 'Rend', count: 1 }]);
    expect(srd.creatures.get('hydra')?.actions.find((a) => a.name === 'Multiattack')?.multiattack).toEqual([
      { action: 'Bite', count: 5 },
    ]);
  });

  it('fixes the known Open5e creature errors', () => {
    expect(srd.creatures.get('octopus')?.abilities.con).toBe(11);
    expect(srd.creatures.get('cat')?.size).toBe('tiny');
    expect(srd.creatures.get('bandit')?.size).toBe('medium');
    expect(srd.creatures.get('goblin-warrior')?.size).toBe('small');
    const blueRend = srd.creatures.get('adult-blue-dragon')?.actions.find((a) => a.name === 'Rend');
    expect(blueRend?.attack?.damage[0]?.type).toBe('slashing');
  });
});

describe('equipment spot checks', () => {
  const weapon = (id: string) => srd.items.get(id) as Weapon;
  const armor = (id: string) => srd.items.get(id) as Armor;

  it('chain mail, leather, studded leather and the shield', () => {
    expect(armor('chain-mail')).toMatchObject({
      kind: 'armor',
      armorType: 'heavy',
      ac: 16,
      dexCap: 0,
      strength: 13,
      stealthDisadvantage: true,
    });
    expect(armor('leather-armor')).toMatchObject({ armorType: 'light', ac: 11, dexCap: null });
    expect(armor('studded-leather-armor')).toMatchObject({ armorType: 'light', ac: 12 });
    expect(armor('half-plate-armor')).toMatchObject({
      armorType: 'medium',
      ac: 15,
      dexCap: 2,
      stealthDisadvantage: true,
    });
    expect(armor('shield')).toMatchObject({ armorType: 'shield', ac: 2 });
  });

  it('longsword, dagger, longbow', () => {
    expect(weapon('longsword')).toMatchObject({
      kind: 'weapon',
      category: 'martial',
      ranged: false,
      damage: { dice: '1d8', type: 'slashing' },
      versatileDice: '1d10',
      mastery: 'sap',
    });
    expect(weapon('longsword').properties).toContain('versatile');
    expect(weapon('dagger')).toMatchObject({
      category: 'simple',
      mastery: 'nick',
      range: { normal: 20, long: 60 },
    });
    expect(weapon('dagger').properties).toEqual(expect.arrayContaining(['finesse', 'light', 'thrown']));
    expect(weapon('longbow')).toMatchObject({
      ranged: true,
      range: { normal: 150, long: 600 },
      mastery: 'slow',
    });
  });

  it('magic item bonuses', () => {
    const m = (id: string) => srd.items.get(id) as MagicItem;
    expect(m('longsword-1')).toMatchObject({
      baseItem: 'longsword',
      rarity: 'uncommon',
      bonuses: { attack: 1, damage: 1 },
    });
    expect(m('plate-armor-2')).toMatchObject({
      baseItem: 'plate-armor',
      rarity: 'very-rare',
      bonuses: { ac: 2 },
    });
    expect(m('plate-armor-1')).toMatchObject({ rarity: 'rare', cost: 5500 });
    expect(m('shield-1')).toMatchObject({ rarity: 'uncommon', bonuses: { ac: 1 } });
    expect(m('shield-3')).toMatchObject({ baseItem: 'shield', bonuses: { ac: 3 } });
    expect(m('ring-of-protection').bonuses).toEqual({ ac: 1, saves: 1 });
    expect(m('cloak-of-protection')).toMatchObject({ attunement: true, bonuses: { ac: 1, saves: 1 } });
    expect(m('wand-of-the-war-mage-2').bonuses).toEqual({ spellAttack: 2 });
  });
});

describe('species, backgrounds, feats', () => {
  it('species traits carry mechanics', () => {
    const traitEffects = (sp: string) => srd.species.get(sp)?.traits.flatMap((t) => t.effects) ?? [];
    expect(traitEffects('dwarf')).toContainEqual({ type: 'hp-per-level', value: 1 });
    expect(traitEffects('dwarf')).toContainEqual({ type: 'resistance', damageType: 'poison' });
    expect(traitEffects('dwarf')).toContainEqual({ type: 'darkvision', range: 120 });
    expect(traitEffects('elf')).toContainEqual({
      type: 'skill-choice',
      count: 1,
      from: ['insight', 'perception', 'survival'],
    });
    expect(traitEffects('human').some((e) => e.type === 'skill-choice')).toBe(true);
    expect(srd.species.get('goliath')?.speed).toBe(35);
    expect(srd.species.get('human')?.sizes).toEqual(['medium', 'small']);
    const red = srd.species.get('dragonborn')?.lineages.find((l) => l.id === 'red-dragon');
    expect(red).toMatchObject({ damageType: 'fire', effects: [{ type: 'resistance', damageType: 'fire' }] });
    const infernal = srd.species.get('tiefling')?.lineages.find((l) => l.id === 'infernal');
    expect(infernal?.effects).toContainEqual({ type: 'resistance', damageType: 'fire' });
    expect(
      srd.species
        .get('elf')
        ?.lineages.map((l) => l.id)
        .sort(),
    ).toEqual(['drow', 'high-elf', 'wood-elf']);
  });

  it('backgrounds have ability choices, skills and tool', () => {
    expect(srd.backgrounds.get('soldier')).toMatchObject({
      abilities: ['str', 'dex', 'con'],
      feat: 'savage-attacker',
      skills: ['athletics', 'intimidation'],
    });
    expect(srd.backgrounds.get('criminal')).toMatchObject({ feat: 'alert', tool: 'thieves-tools', gold: 16 });
  });

  it('feats have categories, prerequisites and effects', () => {
    const f = (id: string) => srd.feats.get(id);
    expect(f('alert')).toMatchObject({
      category: 'origin',
      prerequisite: null,
      effects: [{ type: 'initiative-proficiency' }],
    });
    expect(f('magic-initiate')).toMatchObject({
      repeatable: true,
      effects: [{ type: 'grant-spells', cantrips: 2, spells: 1 }],
    });
    expect(f('grappler')?.prerequisite).toMatchObject({ level: 4, anyAbility: true });
    expect(f('grappler')?.prerequisite?.abilities).toEqual([
      { ability: 'str', min: 13 },
      { ability: 'dex', min: 13 },
    ]);
    expect(f('archery')).toMatchObject({
      category: 'fighting-style',
      effects: [{ type: 'attack-bonus', value: 2, appliesTo: 'ranged' }],
    });
    expect(f('defense')?.effects).toEqual([{ type: 'ac-bonus', value: 1, condition: 'armored' }]);
    expect(f('boon-of-spell-recall')?.prerequisite).toMatchObject({ level: 19, feature: 'spellcasting' });
    expect(data.feats.filter((x) => x.category === 'epic-boon')).toHaveLength(7);
  });
});

describe('spells', () => {
  it('fireball, fire bolt, magic missile and cure wounds', () => {
    expect(srd.spells.get('fireball')).toMatchObject({
      level: 3,
      school: 'evocation',
      range: '150 feet',
      damage: { dice: '8d6', types: ['fire'] },
      save: 'dex',
      concentration: false,
    });
    expect(srd.spells.get('fireball')?.scaling['4']).toBe('9d6');
    expect(srd.spells.get('fire-bolt')).toMatchObject({
      level: 0,
      attack: 'ranged',
      damage: { dice: '1d10', types: ['fire'] },
    });
    expect(srd.spells.get('fire-bolt')?.scaling).toMatchObject({ '5': '2d10', '11': '3d10', '17': '4d10' });
    expect(srd.spells.get('magic-missile')?.classes).toEqual(['sorcerer', 'wizard']);
    expect(srd.spells.get('hallow')?.castingTime).toBe('24 hours');
    expect(srd.spells.get('bless')).toMatchObject({ attack: null, damage: null });
    expect(srd.spells.get('spiritual-weapon')?.attack).toBe('melee');
    expect(srd.spells.get('cure-wounds')).toMatchObject({ damage: null, healing: { dice: '2d8' } });
    expect(srd.spells.get('chromatic-orb')?.damage?.types).toContain('thunder');
  });

  it('material costs and consumption come from the component text', () => {
    expect(srd.spells.get('revivify')?.components).toMatchObject({
      materialCost: 300,
      materialConsumed: true,
    });
    expect(srd.spells.get('bless')?.components.materialConsumed).toBe(false);
    expect(srd.spells.get('magic-missile')?.components.material).toBeNull();
  });
});
