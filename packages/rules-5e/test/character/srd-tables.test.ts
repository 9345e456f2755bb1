/**
 * Whole-table checks against the real SRD content: every class at every level 1–20 (slots, pact slots,
 * cantrips, prepared, proficiency bonus, fixed-average HP), compared with the tables of rules-facts.md §5a–5e
 * written here as data.
 */
import { describe, expect, it } from 'vitest';
import {
  derive,
  MULTICLASS_SPELL_SLOTS,
  PACT_MAGIC_SLOTS,
  PROFICIENCY_BONUS_BY_LEVEL,
  toDeriveOutput,
  XP_BY_LEVEL,
  type BuildInput,
} from '../../src/index';
import { makeBuild } from '../fixtures/builds';
import { loadSrd } from '../srd';

const content = loadSrd();

const PB = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6];

/** §5d full-caster table, caster level 1–20 (only the non-zero head of each row). */
const FULL: number[][] = [
  [2],
  [3],
  [4, 2],
  [4, 3],
  [4, 3, 2],
  [4, 3, 3],
  [4, 3, 3, 1],
  [4, 3, 3, 2],
  [4, 3, 3, 3, 1],
  [4, 3, 3, 3, 2],
  [4, 3, 3, 3, 2, 1],
  [4, 3, 3, 3, 2, 1],
  [4, 3, 3, 3, 2, 1, 1],
  [4, 3, 3, 3, 2, 1, 1],
  [4, 3, 3, 3, 2, 1, 1, 1],
  [4, 3, 3, 3, 2, 1, 1, 1],
  [4, 3, 3, 3, 2, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 1, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 1, 1, 1],
  [4, 3, 3, 3, 3, 2, 2, 1, 1],
];

/** §5d Paladin/Ranger table by class level. */
const HALF: number[][] = [
  [2],
  [2],
  [3],
  [3],
  [4, 2],
  [4, 2],
  [4, 3],
  [4, 3],
  [4, 3, 2],
  [4, 3, 2],
  [4, 3, 3],
  [4, 3, 3],
  [4, 3, 3, 1],
  [4, 3, 3, 1],
  [4, 3, 3, 2],
  [4, 3, 3, 2],
  [4, 3, 3, 3, 1],
  [4, 3, 3, 3, 1],
  [4, 3, 3, 3, 2],
  [4, 3, 3, 3, 2],
];

/** §5d Pact Magic: [slots, slot level] by Warlock level. */
const PACT: [number, number][] = [
  [1, 1],
  [2, 1],
  [2, 2],
  [2, 2],
  [2, 3],
  [2, 3],
  [2, 4],
  [2, 4],
  [2, 5],
  [2, 5],
  [3, 5],
  [3, 5],
  [3, 5],
  [3, 5],
  [3, 5],
  [3, 5],
  [4, 5],
  [4, 5],
  [4, 5],
  [4, 5],
];

/** §5e cantrips by level. */
const CANTRIPS: Record<string, number[]> = {
  bard: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  cleric: [3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
  druid: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  sorcerer: [4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
  warlock: [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  wizard: [3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
};

/** §5e prepared spells by level. */
const FULL_PREPARED = [4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 17, 18, 18, 19, 20, 21, 22];
const HALF_PREPARED = [2, 3, 4, 5, 6, 6, 7, 7, 9, 9, 10, 10, 11, 11, 12, 12, 14, 14, 15, 15];
const PREPARED: Record<string, number[]> = {
  bard: FULL_PREPARED,
  cleric: FULL_PREPARED,
  druid: FULL_PREPARED,
  paladin: HALF_PREPARED,
  ranger: HALF_PREPARED,
  sorcerer: [2, 4, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 17, 18, 18, 19, 20, 21, 22],
  warlock: [2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15],
  wizard: [4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 16, 17, 18, 19, 21, 22, 23, 24, 25],
};

/** §5c hit die, level-1 HP and fixed HP per later level (before Con). */
const HIT_DIE: Record<string, [number, number, number]> = {
  barbarian: [12, 12, 7],
  fighter: [10, 10, 6],
  paladin: [10, 10, 6],
  ranger: [10, 10, 6],
  bard: [8, 8, 5],
  cleric: [8, 8, 5],
  druid: [8, 8, 5],
  monk: [8, 8, 5],
  rogue: [8, 8, 5],
  warlock: [8, 8, 5],
  sorcerer: [6, 6, 4],
  wizard: [6, 6, 4],
};

const SLOTS: Record<string, number[][] | null> = {
  bard: FULL,
  cleric: FULL,
  druid: FULL,
  sorcerer: FULL,
  wizard: FULL,
  paladin: HALF,
  ranger: HALF,
};

function nine(head: readonly number[] | undefined): number[] {
  return Array.from({ length: 9 }, (_, i) => head?.[i] ?? 0);
}

const CON = 14; // +2

function single(cls: string, level: number, overrides: Partial<BuildInput> = {}) {
  const b = makeBuild({
    classes: [{ class: cls, level }],
    abilityScores: { str: 10, dex: 10, con: CON, int: 10, wis: 10, cha: 10 },
    ...overrides,
  });
  return toDeriveOutput(derive(b, content));
}

describe('SRD classes × levels 1–20', () => {
  it('has the twelve classes', () => {
    expect([...content.classes.keys()].sort()).toEqual(Object.keys(HIT_DIE).sort());
  });

  for (const cls of Object.keys(HIT_DIE)) {
    it(`${cls}: PB, HP, hit dice, slots, pact slots, cantrips and prepared at every level`, () => {
      const [die, first, later] = HIT_DIE[cls] ?? [0, 0, 0];
      const rows = Array.from({ length: 20 }, (_, i) => {
        const level = i + 1;
        const out = single(cls, level);
        const caster = out.spellcasting.classes[0];
        return {
          level,
          pb: out.proficiencyBonus,
          hp: out.hitPoints.max,
          hitDice: out.hitDice,
          slots: out.spellcasting.slots,
          pact: out.spellcasting.pactSlots,
          cantrips: caster?.cantrips ?? 0,
          prepared: caster?.prepared ?? 0,
        };
      });
      const expected = rows.map(({ level }) => ({
        level,
        pb: PB[level - 1],
        hp: first + 2 + (level - 1) * (later + 2),
        hitDice: { [`d${die}`]: level },
        slots: nine(SLOTS[cls]?.[level - 1]),
        pact: cls === 'warlock' ? { count: PACT[level - 1]?.[0], level: PACT[level - 1]?.[1] } : null,
        cantrips: CANTRIPS[cls]?.[level - 1] ?? 0,
        prepared: PREPARED[cls]?.[level - 1] ?? 0,
      }));
      expect(rows).toEqual(expected);
    });
  }
});

describe('SRD multiclass spell slots', () => {
  const multi = (classes: BuildInput['classes'], ruleset: '2024' | '2014' = '2024') => {
    const b = makeBuild({
      ruleset,
      classes,
      abilityScores: { str: 13, dex: 13, con: 13, int: 13, wis: 13, cha: 13 },
    });
    return derive(b, content).spellcasting;
  };

  it('Ranger 4 / Sorcerer 3 → caster level 5 → 4/3/2 (the SRD example)', () => {
    const sc = multi([
      { class: 'ranger', level: 4 },
      { class: 'sorcerer', level: 3 },
    ]);
    expect(sc.casterLevel?.value).toBe(5);
    expect(sc.slots).toEqual(nine([4, 3, 2]));
  });

  it('half casters round up in 2024 and down in 2014', () => {
    const classes = [
      { class: 'paladin', level: 3 },
      { class: 'cleric', level: 1 },
    ];
    expect(multi(classes).slots).toEqual(nine([4, 2])); // 2 + 1 = 3
    expect(multi(classes, '2014').slots).toEqual(nine([3])); // 1 + 1 = 2
  });

  it('two half casters: Paladin 1 / Ranger 1 = caster level 2 in 2024', () => {
    const sc = multi([
      { class: 'paladin', level: 1 },
      { class: 'ranger', level: 1 },
    ]);
    expect(sc.slots).toEqual(nine([3]));
  });

  it('a single spellcasting class uses its own table even when multiclassed', () => {
    const sc = multi([
      { class: 'paladin', level: 5 },
      { class: 'fighter', level: 5 },
    ]);
    expect(sc.slotTable).toBe('class');
    expect(sc.slots).toEqual(nine([4, 2]));
  });

  it('Warlock pact slots are a separate pool: Warlock 3 / Wizard 2', () => {
    const sc = multi([
      { class: 'warlock', level: 3 },
      { class: 'wizard', level: 2 },
    ]);
    expect(sc.slots).toEqual(nine([3]));
    expect(sc.pactSlots).toEqual({ count: 2, level: 2 });
  });

  it('Wizard 10 / Cleric 10 = caster level 20', () => {
    expect(
      multi([
        { class: 'wizard', level: 10 },
        { class: 'cleric', level: 10 },
      ]).slots,
    ).toEqual(nine([4, 3, 3, 3, 3, 2, 2, 1, 1]));
  });
});

describe('rule tables read whole', () => {
  it('multiclass table: Wizard w / Cleric c gives caster level w + c for every sum 2–20', () => {
    for (let total = 2; total <= 20; total++) {
      const w = Math.ceil(total / 2);
      const b = makeBuild({
        classes: [
          { class: 'wizard', level: w },
          { class: 'cleric', level: total - w },
        ],
        abilityScores: { str: 10, dex: 10, con: 10, int: 13, wis: 13, cha: 10 },
      });
      expect(derive(b, content).spellcasting.slots, `caster level ${total}`).toEqual(nine(FULL[total - 1]));
    }
  });

  it('multiclass table: Paladin p / Sorcerer s uses ⌈p/2⌉ + s (2024) and ⌊p/2⌋ + s (2014)', () => {
    for (let p = 1; p <= 15; p++) {
      const classes = [
        { class: 'paladin', level: p },
        { class: 'sorcerer', level: 5 },
      ];
      const abilityScores = { str: 13, dex: 10, con: 10, int: 10, wis: 10, cha: 13 };
      const d24 = derive(makeBuild({ classes, abilityScores }), content).spellcasting.slots;
      expect(d24, `paladin ${p} 2024`).toEqual(nine(FULL[Math.ceil(p / 2) + 5 - 1]));
      const d14 = derive(makeBuild({ classes, abilityScores, ruleset: '2014' }), content).spellcasting.slots;
      expect(d14, `paladin ${p} 2014`).toEqual(nine(FULL[Math.floor(p / 2) + 5 - 1]));
    }
  });

  it('tables in src/tables equal rules-facts §5a and §5d', () => {
    expect(PROFICIENCY_BONUS_BY_LEVEL).toEqual(PB);
    expect(XP_BY_LEVEL).toEqual([
      0, 300, 900, 2700, 6500, 14000, 23000, 34000, 48000, 64000, 85000, 100000, 120000, 140000, 165000,
      195000, 225000, 265000, 305000, 355000,
    ]);
    expect(MULTICLASS_SPELL_SLOTS).toEqual(FULL.map(nine));
    expect(PACT_MAGIC_SLOTS).toEqual(PACT.map(([count, level]) => ({ count, level })));
  });
});
