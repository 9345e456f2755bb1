/** Concrete characters on the real SRD content, every number worked out by hand from the rules. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildSchema, derive, repair, toDeriveOutput, validate } from '../../src/index';
import { LEVEL_20_MULTICLASS } from '../../bench/character.bench';
import { makeBuild, scores } from '../fixtures/builds';
import { loadSrd } from '../srd';

const content = loadSrd();

describe('SRD characters', () => {
  it('level-20 multiclass Paladin 6 / Bard 7 / Warlock 7', () => {
    expect(validate(LEVEL_20_MULTICLASS, content)).toEqual({ valid: true, issues: [] });
    const d = derive(LEVEL_20_MULTICLASS, content);
    const out = toDeriveOutput(d);
    expect(out).toMatchObject({
      level: 20,
      proficiencyBonus: 6,
      savingThrows: { str: 2, dex: 1, con: 2, int: 0, wis: 6, cha: 11 }, // Paladin saves only
      passive: { perception: 16, insight: 16, investigation: 13 }, // Jack of All Trades: +3
      initiative: 7, // Dex 1 + Alert 6
      armorClass: 18,
      hitPoints: { max: 10 + 5 * 6 + 7 * 5 + 7 * 5 + 20 * 2 },
      hitDice: { d10: 6, d8: 14 },
      speed: 30,
      spellcasting: {
        slots: [4, 3, 3, 3, 2, 0, 0, 0, 0], // Paladin 6 → 3, + Bard 7 = caster level 10
        pactSlots: { count: 2, level: 4 },
        classes: [
          { class: 'paladin', ability: 'cha', saveDC: 19, attackBonus: 11, cantrips: 0, prepared: 6 },
          { class: 'bard', ability: 'cha', saveDC: 19, attackBonus: 11, cantrips: 3, prepared: 11 },
          { class: 'warlock', ability: 'cha', saveDC: 19, attackBonus: 11, cantrips: 3, prepared: 8 },
        ],
      },
    });
    expect(out.skills).toMatchObject({ persuasion: 17, deception: 17, athletics: 8, arcana: 3 });
    expect(d.attacks).toEqual([
      expect.objectContaining({ item: 'longsword', proficient: true, mastery: 'sap', versatileDice: '1d10' }),
    ]);
    expect(d.attacks[0]?.toHit.value).toBe(8);
  });

  it('AC 18 = chain mail 16 + shield 2', () => {
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

  it('Barbarian and Monk Unarmored Defense, Monk speed', () => {
    const barbarian = makeBuild({
      classes: [{ class: 'barbarian', level: 5 }],
      abilityScores: scores({ dex: 14, con: 16 }),
    });
    const bd = derive(barbarian, content);
    expect(bd.armorClass.value).toBe(15);
    expect(bd.speed.value).toBe(40);
    const monk = makeBuild({
      classes: [{ class: 'monk', level: 6 }],
      abilityScores: scores({ dex: 16, wis: 14 }),
    });
    const md = derive(monk, content);
    expect(md.armorClass.value).toBe(15);
    expect(md.speed.value).toBe(45);
  });

  it('Monk weapons use Dex and the Martial Arts die; mastery only in the 2024 rules', () => {
    const monk = makeBuild({
      classes: [{ class: 'monk', level: 5 }],
      abilityScores: scores({ dex: 16 }),
      equipment: [{ item: 'quarterstaff' }, { item: 'dagger' }, { item: 'longsword' }, { item: 'shortbow' }],
    });
    const attacks = derive(monk, content).attacks.map((a) => [
      a.item,
      a.ability,
      a.toHit.value,
      a.damage.dice,
    ]);
    expect(attacks).toEqual([
      ['quarterstaff', 'dex', 6, '1d8'],
      ['dagger', 'dex', 6, '1d8'],
      ['longsword', 'str', 0, '1d8'],
      ['shortbow', 'dex', 6, '1d6'],
    ]);
    const fighter = (ruleset: '2024' | '2014') =>
      derive(makeBuild({ ruleset, equipment: [{ item: 'longsword' }] }), content).attacks[0]?.mastery;
    expect(fighter('2024')).toBe('sap');
    expect(fighter('2014')).toBeNull();
  });

  it('Monk weapons follow the ruleset (2014: shortsword and simple melee without two-handed or heavy)', () => {
    const monk = (ruleset: '2024' | '2014') =>
      derive(
        makeBuild({
          ruleset,
          classes: [{ class: 'monk', level: 5 }],
          abilityScores: scores({ dex: 16 }),
          equipment: [{ item: 'greatclub' }, { item: 'scimitar' }, { item: 'shortsword' }],
        }),
        content,
      ).attacks.map((a) => [a.item, a.ability, a.damage.dice]);
    expect(monk('2024')).toEqual([
      ['greatclub', 'dex', '1d8'],
      ['scimitar', 'dex', '1d8'],
      ['shortsword', 'dex', '1d8'],
    ]);
    expect(monk('2014')).toEqual([
      ['greatclub', 'str', '1d8'],
      ['scimitar', 'dex', '1d6'],
      ['shortsword', 'dex', '1d8'],
    ]);
  });

  it('Goliath speed 35; Dwarven Toughness', () => {
    expect(derive(makeBuild({ species: 'goliath' }), content).speed.value).toBe(35);
    const dwarf = makeBuild({
      species: 'dwarf',
      classes: [{ class: 'fighter', level: 4 }],
      abilityScores: scores({ con: 12 }),
    });
    expect(derive(dwarf, content).hitPoints.max.value).toBe(11 + 3 * 7 + 4);
  });

  it('Bard Jack of All Trades: half PB on skills without proficiency', () => {
    const b = makeBuild({ classes: [{ class: 'bard', level: 5 }], skills: ['performance'] });
    const d = derive(b, content);
    expect(d.skills.stealth.value).toBe(1);
    expect(d.skills.performance.value).toBe(3);
  });

  it('the example builds in resources/examples validate', () => {
    for (const name of ['aria', 'brakka']) {
      const raw = JSON.parse(
        readFileSync(
          join(import.meta.dirname, '../../../../resources/examples', `${name}.build.json`),
          'utf8',
        ),
      ) as unknown;
      const build = BuildSchema.parse(raw);
      const result = validate(build, content);
      expect(
        result.issues.filter((i) => i.severity === 'error'),
        name,
      ).toEqual([]);
      expect(repair(build, content).changes, name).toEqual([]);
    }
  });

  it('repair maps LLM-style names onto SRD ids', () => {
    const b = makeBuild({
      species: 'High Elf',
      background: 'Sage',
      classes: [{ class: 'Wizard', level: 3 }],
      abilityScores: scores({ int: 17 }),
      equipment: [{ item: 'Quarterstaff' }, { item: 'Studded Leather' }],
      spells: [
        {
          class: 'wizard',
          cantrips: ['Fire Bolt', 'Mage Hand'],
          prepared: ['Magic Missle', 'Shield', 'Wish'],
        },
      ],
    });
    const { build, changes } = repair(b, content);
    expect(validate(build, content).valid).toBe(true);
    expect(build.background).toBe('sage');
    expect(build.classes).toEqual([{ class: 'wizard', level: 3 }]);
    expect(build.spells).toEqual([
      { class: 'wizard', cantrips: ['fire-bolt', 'mage-hand'], prepared: ['magic-missile', 'shield'] },
    ]);
    expect(changes.find((c) => c.path === '/spells/0/prepared/2')?.reason).toContain('wish');
  });
});

describe('repair of loosely named ids (SRD)', () => {
  it('a lineage given as the species, and names with extra words', () => {
    const b = makeBuild({
      species: 'High Elf',
      background: 'Sage',
      classes: [{ class: 'wizard', level: 1 }],
      equipment: [{ item: 'Studded Leather' }, { item: 'Longsword +1' }],
    });
    const { build } = repair(b, content);
    expect(build).toMatchObject({ species: 'elf', lineage: 'high-elf', background: 'sage' });
    expect(build.equipment.map((e) => e.item)).toEqual(['studded-leather-armor', 'longsword-1']);
    expect(repair(makeBuild({ species: 'Hill Dwarf' }), content).build.species).toBe('dwarf');
  });
});
