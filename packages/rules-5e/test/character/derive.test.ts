import { describe, expect, it } from 'vitest';
import { derive, toDeriveOutput, SKILL_IDS } from '../../src/index';
import { fixtureContent as content } from '../fixtures/character-content';
import { makeBuild, scores } from '../fixtures/builds';

describe('derive: armor class', () => {
  it('chain mail + shield = 18 with both parts', () => {
    const b = makeBuild({
      abilityScores: scores({ str: 15, dex: 14 }),
      equipment: [
        { item: 'chain-mail', equipped: true },
        { item: 'shield', equipped: true },
      ],
    });
    expect(derive(b, content).armorClass).toEqual({
      value: 18,
      parts: [
        { source: 'chain-mail', value: 16 },
        { source: 'shield', value: 2 },
      ],
    });
  });

  it('medium armor caps Dex at +2; light armor does not', () => {
    const dex18 = scores({ dex: 18 });
    const half = derive(
      makeBuild({ abilityScores: dex18, equipment: [{ item: 'half-plate-armor', equipped: true }] }),
      content,
    );
    expect(half.armorClass.value).toBe(17);
    const leather = derive(
      makeBuild({ abilityScores: dex18, equipment: [{ item: 'leather-armor', equipped: true }] }),
      content,
    );
    expect(leather.armorClass.value).toBe(15);
  });

  it('armor that is only carried does not count', () => {
    const b = makeBuild({ abilityScores: scores({ dex: 12 }), equipment: [{ item: 'chain-mail' }] });
    expect(derive(b, content).armorClass).toEqual({
      value: 11,
      parts: [
        { source: 'unarmored', value: 10 },
        { source: 'dex', value: 1 },
      ],
    });
  });

  it('Barbarian Unarmored Defense = 10 + Dex + Con, shield allowed', () => {
    const b = makeBuild({
      classes: [{ class: 'barbarian', level: 1 }],
      abilityScores: scores({ dex: 14, con: 16 }),
      equipment: [{ item: 'shield', equipped: true }],
    });
    expect(derive(b, content).armorClass).toEqual({
      value: 17,
      parts: [
        { source: 'unarmored-defense', value: 10 },
        { source: 'dex', value: 2 },
        { source: 'con', value: 3 },
        { source: 'shield', value: 2 },
      ],
    });
  });

  it('Monk Unarmored Defense = 10 + Dex + Wis, lost with a shield', () => {
    const monk = { classes: [{ class: 'monk', level: 1 }], abilityScores: scores({ dex: 16, wis: 16 }) };
    expect(derive(makeBuild(monk), content).armorClass.value).toBe(16);
    const shielded = derive(makeBuild({ ...monk, equipment: [{ item: 'shield', equipped: true }] }), content);
    expect(shielded.armorClass.parts.map((p) => p.source)).toEqual(['unarmored', 'dex', 'shield']);
    expect(shielded.armorClass.value).toBe(15);
  });

  it('Defense fighting style adds 1 only in armor; a ring of protection always', () => {
    const b = makeBuild({
      feats: ['defense'],
      equipment: [
        { item: 'plate-armor', equipped: true },
        { item: 'ring-of-protection', equipped: true },
      ],
      abilityScores: scores({ str: 15 }),
    });
    expect(derive(b, content).armorClass).toEqual({
      value: 20,
      parts: [
        { source: 'plate-armor', value: 18 },
        { source: 'defense', value: 1 },
        { source: 'ring-of-protection', value: 1 },
      ],
    });
  });
});

describe('derive: hit points and hit dice', () => {
  it('fixed HP: first level max die, later die/2+1, + Con each level', () => {
    const b = makeBuild({ classes: [{ class: 'fighter', level: 5 }], abilityScores: scores({ con: 14 }) });
    const d = derive(b, content);
    expect(d.hitPoints.max.value).toBe(10 + 2 + 4 * (6 + 2));
    expect(d.hitDice).toEqual({ d10: 5 });
  });

  it('Tough adds 2 per level and Dwarven Toughness 1 per level', () => {
    const b = makeBuild({
      species: 'dwarf',
      feats: ['tough'],
      classes: [{ class: 'fighter', level: 5 }],
      abilityScores: scores({ con: 14 }),
    });
    const hp = derive(b, content).hitPoints.max;
    expect(hp.value).toBe(44 + 10 + 5);
    expect(hp.parts).toContainEqual({ source: 'tough', value: 10 });
    expect(hp.parts).toContainEqual({ source: 'dwarven-toughness', value: 5 });
  });

  it('multiclass: only the starting class gets the maximum die; hit dice by size', () => {
    const b = makeBuild({
      classes: [
        { class: 'wizard', level: 3 },
        { class: 'fighter', level: 2 },
      ],
      abilityScores: scores({ str: 13, int: 13, con: 12 }),
    });
    const d = derive(b, content);
    expect(d.hitPoints.max.value).toBe(6 + 4 * 2 + 6 * 2 + 5 * 1);
    expect(d.hitDice).toEqual({ d6: 3, d10: 2 });
  });

  it('at least 1 HP per level with a very low Constitution', () => {
    const b = makeBuild({ classes: [{ class: 'wizard', level: 3 }], abilityScores: scores({ con: 1 }) });
    expect(derive(b, content).hitPoints.max.value).toBe(3);
  });
});

describe('derive: skills, initiative, saves', () => {
  it('proficiency, expertise and passive scores', () => {
    const b = makeBuild({
      classes: [{ class: 'bard', level: 5 }],
      abilityScores: scores({ wis: 14, cha: 16 }),
      skills: ['perception', 'persuasion', 'athletics'],
      expertise: ['persuasion'],
    });
    const d = derive(b, content);
    expect(d.skills.perception).toMatchObject({ value: 2 + 3, proficiency: 'proficient' });
    expect(d.skills.persuasion).toMatchObject({ value: 3 + 6, proficiency: 'expertise' });
    expect(d.passive.perception.value).toBe(15);
    expect(d.passive.insight.value).toBe(10 + 2 + 1);
  });

  it('Jack of All Trades: half PB (round down) on skills without proficiency, not on initiative in 2024', () => {
    const build = { classes: [{ class: 'bard', level: 5 }], skills: ['perception' as const] };
    const d = derive(makeBuild(build), content);
    expect(d.skills.arcana).toMatchObject({
      value: 1,
      proficiency: 'half',
      parts: [
        { source: 'int', value: 0 },
        { source: 'jack-of-all-trades', value: 1 },
      ],
    });
    expect(d.skills.perception.value).toBe(3);
    expect(d.initiative.value).toBe(0);
    const bard1 = derive(makeBuild({ classes: [{ class: 'bard', level: 1 }] }), content);
    expect(bard1.skills.arcana.proficiency).toBe('none');
    const legacy = derive(makeBuild({ ...build, ruleset: '2014' }), content);
    expect(legacy.initiative).toEqual({
      value: 1,
      parts: [
        { source: 'dex', value: 0 },
        { source: 'jack-of-all-trades', value: 1 },
      ],
    });
  });

  it('Alert adds the proficiency bonus to initiative', () => {
    const b = makeBuild({
      feats: ['alert'],
      classes: [{ class: 'fighter', level: 5 }],
      abilityScores: scores({ dex: 14 }),
    });
    expect(derive(b, content).initiative).toEqual({
      value: 5,
      parts: [
        { source: 'dex', value: 2 },
        { source: 'alert', value: 3 },
      ],
    });
  });

  it('saving throws: the starting class only', () => {
    const b = makeBuild({
      classes: [
        { class: 'wizard', level: 1 },
        { class: 'fighter', level: 1 },
      ],
      abilityScores: scores({ str: 14, int: 14 }),
    });
    const d = derive(b, content);
    expect(d.savingThrows.int).toMatchObject({ value: 4, proficient: true });
    expect(d.savingThrows.str).toMatchObject({ value: 2, proficient: false });
  });
});

describe('derive: speed', () => {
  it('Goliath 35, Wood Elf 35', () => {
    expect(derive(makeBuild({ species: 'goliath' }), content).speed.value).toBe(35);
    expect(derive(makeBuild({ species: 'elf', lineage: 'wood-elf' }), content).speed.value).toBe(35);
    expect(derive(makeBuild({ species: 'elf', lineage: 'high-elf' }), content).speed.value).toBe(30);
  });

  it('Monk Unarmored Movement follows the class column, only without armor or shield', () => {
    const monk = (level: number, equipment: { item: string; equipped: boolean }[] = []) =>
      derive(makeBuild({ classes: [{ class: 'monk', level }], equipment }), content).speed.value;
    expect(monk(1)).toBe(30);
    expect(monk(2)).toBe(40);
    expect(monk(6)).toBe(45);
    expect(monk(18)).toBe(60);
    expect(monk(6, [{ item: 'shield', equipped: true }])).toBe(30);
  });

  it('Barbarian Fast Movement, not in heavy armor; heavy armor below its Strength costs 10 ft', () => {
    const barb = (equipment: { item: string; equipped: boolean }[], str = 15) =>
      derive(
        makeBuild({ classes: [{ class: 'barbarian', level: 5 }], abilityScores: scores({ str }), equipment }),
        content,
      ).speed;
    expect(barb([]).value).toBe(40);
    expect(barb([{ item: 'half-plate-armor', equipped: true }]).value).toBe(40);
    expect(barb([{ item: 'chain-mail', equipped: true }]).value).toBe(30);
    expect(barb([{ item: 'chain-mail', equipped: true }], 12).parts).toEqual([
      { source: 'human', value: 30 },
      { source: 'heavy-armor-strength', value: -10 },
    ]);
  });
});

describe('derive: weapon attacks', () => {
  it('proficient martial weapon with mastery and versatile dice', () => {
    const b = makeBuild({
      classes: [{ class: 'fighter', level: 5 }],
      abilityScores: scores({ str: 16 }),
      equipment: [{ item: 'longsword', equipped: true }],
    });
    const [attack] = derive(b, content).attacks;
    expect(attack).toMatchObject({
      item: 'longsword',
      ability: 'str',
      proficient: true,
      versatileDice: '1d10',
      mastery: 'sap',
    });
    expect(attack?.toHit.value).toBe(6);
    expect(attack?.damage).toMatchObject({ dice: '1d8', type: 'slashing', bonus: { value: 3 } });
  });

  it('finesse uses the better of Str and Dex; no proficiency and no mastery for a wizard', () => {
    const b = makeBuild({
      classes: [{ class: 'wizard', level: 1 }],
      abilityScores: scores({ str: 8, dex: 16 }),
      equipment: [{ item: 'rapier' }],
    });
    const [attack] = derive(b, content).attacks;
    expect(attack).toMatchObject({ ability: 'dex', proficient: false, mastery: null });
    expect(attack?.toHit.value).toBe(3);
  });

  it('magic weapon bonuses and Archery on ranged weapons', () => {
    const b = makeBuild({
      feats: ['archery'],
      abilityScores: scores({ str: 14, dex: 14 }),
      equipment: [{ item: 'longsword-1' }, { item: 'longbow' }],
    });
    const [sword, bow] = derive(b, content).attacks;
    expect(sword?.toHit.parts).toEqual([
      { source: 'str', value: 2 },
      { source: 'proficiency', value: 2 },
      { source: 'longsword-1:magic', value: 1 },
    ]);
    expect(sword?.damage.bonus.value).toBe(3);
    expect(bow).toMatchObject({ ability: 'dex', range: { normal: 150, long: 600 } });
    expect(bow?.toHit.value).toBe(2 + 2 + 2);
  });
});

describe('derive: spellcasting', () => {
  it('single class: own table, DC and attack bonus', () => {
    const b = makeBuild({ classes: [{ class: 'wizard', level: 5 }], abilityScores: scores({ int: 18 }) });
    const sc = derive(b, content).spellcasting;
    expect(sc.slots).toEqual([4, 3, 2, 0, 0, 0, 0, 0, 0]);
    expect(sc.slotTable).toBe('class');
    expect(sc.classes[0]).toMatchObject({
      class: 'wizard',
      ability: 'int',
      saveDC: { value: 15 },
      attackBonus: { value: 7 },
      maxSpellLevel: 3,
    });
  });

  it('2024 multiclass: half casters round up; 2014: down', () => {
    const classes = [
      { class: 'paladin', level: 5 },
      { class: 'wizard', level: 3 },
    ];
    const abilityScores = scores({ str: 13, cha: 13, int: 13 });
    const d24 = derive(makeBuild({ classes, abilityScores }), content).spellcasting;
    expect(d24.casterLevel).toEqual({
      value: 6,
      parts: [
        { source: 'paladin', value: 3 },
        { source: 'wizard', value: 3 },
      ],
    });
    expect(d24.slots).toEqual([4, 3, 3, 0, 0, 0, 0, 0, 0]);
    const d14 = derive(makeBuild({ classes, abilityScores, ruleset: '2014' }), content).spellcasting;
    expect(d14.casterLevel?.value).toBe(5);
    expect(d14.slots).toEqual([4, 3, 2, 0, 0, 0, 0, 0, 0]);
  });

  it('Warlock pact slots stay separate; the other caster uses its own table', () => {
    const b = makeBuild({
      classes: [
        { class: 'warlock', level: 5 },
        { class: 'wizard', level: 3 },
      ],
      abilityScores: scores({ cha: 16, int: 13 }),
    });
    const sc = derive(b, content).spellcasting;
    expect(sc.pactSlots).toEqual({ count: 2, level: 3 });
    expect(sc.slots).toEqual([4, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(sc.classes.map((c) => c.class)).toEqual(['warlock', 'wizard']);
  });

  it('no caster: zero slots, no classes', () => {
    const out = toDeriveOutput(derive(makeBuild(), content));
    expect(out.spellcasting).toEqual({ slots: [0, 0, 0, 0, 0, 0, 0, 0, 0], pactSlots: null, classes: [] });
  });
});

describe('toDeriveOutput', () => {
  it('has the CLI shape with plain numbers', () => {
    const b = makeBuild({
      classes: [{ class: 'wizard', level: 5 }],
      abilityScores: scores({ int: 18, dex: 14, con: 14 }),
    });
    const out = toDeriveOutput(derive(b, content));
    expect(Object.keys(out.skills)).toEqual(SKILL_IDS);
    expect(Object.keys(out.abilityModifiers)).toEqual(['str', 'dex', 'con', 'int', 'wis', 'cha']);
    expect(out).toMatchObject({
      level: 5,
      proficiencyBonus: 3,
      abilityModifiers: { int: 4, dex: 2 },
      savingThrows: { int: 7, wis: 3, str: 0 },
      passive: { perception: 10, insight: 10, investigation: 14 },
      initiative: 2,
      armorClass: 12,
      hitPoints: { max: 6 + 2 + 4 * 6 },
      hitDice: { d6: 5 },
      speed: 30,
      spellcasting: {
        classes: [{ class: 'wizard', ability: 'int', saveDC: 15, attackBonus: 7, cantrips: 4, prepared: 8 }],
      },
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});
