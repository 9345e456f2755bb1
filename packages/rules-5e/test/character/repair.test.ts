import { describe, expect, it } from 'vitest';
import { closestId, repair, validate, type BuildInput } from '../../src/index';
import { fixtureContent as content } from '../fixtures/character-content';
import { makeBuild, scores } from '../fixtures/builds';

function repaired(overrides: Partial<BuildInput>) {
  const result = repair(makeBuild(overrides), content);
  expect(validate(result.build, content).valid).toBe(true);
  return result;
}

describe('closestId', () => {
  it('normalises case, spaces and punctuation, then allows small typos', () => {
    expect(closestId('Chain Mail', content.items)).toBe('chain-mail');
    expect(closestId('chainmail', content.items)).toBe('chain-mail');
    expect(closestId('Longswrd', content.items)).toBe('longsword');
    expect(closestId('Magic Missle', content.spells)).toBe('magic-missile');
    expect(closestId('fireball', content.spells)).toBe('fireball');
    expect(closestId('fire ball!', content.spells)).toBe('fireball');
    expect(closestId('laser', content.items)).toBeUndefined();
    expect(closestId('elv', content.species)).toBeUndefined();
  });

  it('falls back to containment for names with extra words', () => {
    expect(closestId('Hill Dwarf', content.species)).toBe('dwarf');
    expect(closestId('Longsword of Doom', content.items)).toBe('longsword');
    expect(closestId('Half Plate', content.items)).toBe('half-plate-armor');
    expect(closestId('Hill Dwarf', content.species, undefined, 0)).toBeUndefined();
  });
});

describe('repair', () => {
  it('leaves a legal build untouched', () => {
    const b = makeBuild({
      classes: [{ class: 'wizard', level: 3 }],
      spells: [{ class: 'wizard', cantrips: ['light'], prepared: ['shield'] }],
    });
    expect(repair(b, content)).toEqual({ build: b, changes: [] });
  });

  it('clamps scores and caps the total level at 20', () => {
    const { build, changes } = repaired({
      classes: [
        { class: 'fighter', level: 15 },
        { class: 'barbarian', level: 9 },
      ],
      abilityScores: scores({ str: 25, dex: -3 }),
    });
    expect(build.abilityScores).toMatchObject({ str: 20, dex: 1 });
    expect(build.classes).toEqual([
      { class: 'fighter', level: 15 },
      { class: 'barbarian', level: 5 },
    ]);
    expect(changes).toContainEqual({
      path: '/classes/1/level',
      from: 9,
      to: 5,
      reason: 'total character level is capped at 20',
    });
    expect(changes).toContainEqual({
      path: '/abilityScores/str',
      from: 25,
      to: 20,
      reason: 'str score must lie in 1–20',
    });
  });

  it('replaces unknown ids by the closest match, else a default or removal, and says so', () => {
    const { build, changes } = repaired({
      species: 'Dwarff',
      background: 'pirate',
      classes: [{ class: 'Wizzard', level: 1 }],
      feats: ['Alertt', 'luck'],
      equipment: [{ item: 'Chain Mail', equipped: true }, { item: 'laser' }],
    });
    expect(build).toMatchObject({
      species: 'dwarf',
      background: 'soldier',
      classes: [{ class: 'wizard', level: 1 }],
      feats: ['alert'],
    });
    expect(build.equipment).toEqual([{ item: 'chain-mail', equipped: true }]);
    expect(changes).toContainEqual({
      path: '/background',
      from: 'pirate',
      to: 'soldier',
      reason: 'unknown background "pirate" has no close match; using the default "soldier"',
    });
    expect(changes).toContainEqual({
      path: '/species',
      from: 'Dwarff',
      to: 'dwarf',
      reason: 'unknown species "Dwarff" replaced by the closest known id "dwarf"',
    });
    expect(changes.find((c) => c.path === '/equipment/1')?.reason).toBe(
      'unknown item "laser" has no close match; removed',
    );
  });

  it('unknown species and class without a match fall back to human and fighter', () => {
    const { build } = repaired({ species: 'xyzzy', classes: [{ class: 'qqqq', level: 3 }] });
    expect(build.species).toBe('human');
    expect(build.classes).toEqual([{ class: 'fighter', level: 3 }]);
  });

  it('drops excess cantrips and prepared spells, keeping the first ones', () => {
    const { build, changes } = repaired({
      classes: [{ class: 'wizard', level: 1 }],
      spells: [
        {
          class: 'wizard',
          cantrips: ['fire-bolt', 'light', 'mage-hand', 'prestidigitation'],
          prepared: ['magic-missile', 'fireball', 'Shield', 'cure-wounds', 'magic-missile'],
        },
      ],
    });
    expect(build.spells).toEqual([
      {
        class: 'wizard',
        cantrips: ['fire-bolt', 'light', 'mage-hand'],
        prepared: ['magic-missile', 'shield'],
      },
    ]);
    expect(changes.map((c) => c.path)).toEqual([
      '/spells/0/cantrips',
      '/spells/0/prepared/1',
      '/spells/0/prepared/2',
      '/spells/0/prepared/3',
      '/spells/0/prepared/4',
    ]);
    expect(changes[1]?.reason).toBe(
      'spell "fireball" is level 3 but wizard 1 can cast at most level 1; removed',
    );
  });

  it('spells of a class without Spellcasting or not in the build are removed', () => {
    const { build } = repaired({
      spells: [
        { class: 'fighter', cantrips: ['light'] },
        { class: 'wizard', prepared: ['shield'] },
      ],
    });
    expect(build.spells).toEqual([]);
  });

  it('multiclass without the prerequisite folds the levels into the starting class', () => {
    const { build, changes } = repaired({
      classes: [
        { class: 'fighter', level: 5 },
        { class: 'wizard', level: 3 },
      ],
      abilityScores: scores({ str: 15, int: 10 }),
    });
    expect(build.classes).toEqual([{ class: 'fighter', level: 8 }]);
    expect(changes[0]?.reason).toBe(
      'multiclassing needs int 13 for wizard; 3 wizard levels moved to fighter',
    );
  });

  it('merges a class listed twice and removes illegal subclasses', () => {
    const { build } = repaired({
      classes: [
        { class: 'fighter', level: 2, subclass: 'champion' },
        { class: 'fighter', level: 3 },
        { class: 'wizard', level: 2, subclass: 'evoker' },
      ],
      abilityScores: scores({ str: 13, int: 13 }),
    });
    expect(build.classes).toEqual([
      { class: 'fighter', level: 5, subclass: 'champion' },
      { class: 'wizard', level: 2 },
    ]);
  });

  it('feats with unmet prerequisites or repeated without being repeatable are removed', () => {
    const { build } = repaired({ feats: ['grappler', 'alert', 'alert', 'skilled', 'skilled'] });
    expect(build.feats).toEqual(['alert', 'skilled', 'skilled']);
  });

  it('drops excess skills but keeps the background skills; drops illegal expertise', () => {
    const { build } = repaired({
      skills: ['perception', 'survival', 'history', 'insight', 'athletics', 'intimidation', 'perception'],
      expertise: ['athletics', 'stealth'],
    });
    expect(build.skills).toEqual(['perception', 'survival', 'history', 'athletics', 'intimidation']);
    expect(build.expertise).toEqual([]);
  });

  it('a lineage of another species and a size the species lacks are removed', () => {
    const { build } = repaired({ species: 'dwarf', lineage: 'high-elf', size: 'small' });
    expect(build.lineage).toBeUndefined();
    expect(build.size).toBeUndefined();
    expect(repaired({ species: 'elf', lineage: 'Wood Elf' }).build.lineage).toBe('wood-elf');
  });
});
