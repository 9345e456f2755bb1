import { describe, expect, it } from 'vitest';
import { derive, validate } from '../../src/index';
import { makeBuild, scores } from '../fixtures/builds';
import { loadSrd } from '../srd';

const content = loadSrd();

describe('subclass spells that are always prepared (Life Domain, Fiend Patron)', () => {
  it('derive lists them by class level; validate accepts them off the class list and outside the count', () => {
    const cleric = makeBuild({
      classes: [{ class: 'cleric', level: 5, subclass: 'life-domain' }],
      background: 'acolyte',
      abilityScores: scores({ wis: 16, con: 14 }),
    });
    const info = derive(cleric, content).spellcasting.classes.find((c) => c.class === 'cleric');
    expect(info?.alwaysPrepared).toEqual([
      'aid',
      'bless',
      'cure-wounds',
      'lesser-restoration',
      'mass-healing-word',
      'revivify',
    ]);
    const atThree = makeBuild({
      ...cleric,
      classes: [{ class: 'cleric', level: 3, subclass: 'life-domain' }],
    });
    expect(derive(atThree, content).spellcasting.classes[0]?.alwaysPrepared).toHaveLength(4);

    // Fiend Patron: Burning Hands and Fireball are not warlock spells, yet a level-5 fiend warlock may list them,
    // and they do not count against the warlock's prepared number.
    const warlock = makeBuild({
      classes: [{ class: 'warlock', level: 5, subclass: 'fiend-patron' }],
      abilityScores: scores({ cha: 16, con: 14 }),
    });
    const prepared = content.classes.get('warlock')?.levels[4]?.prepared ?? 0;
    const own = [...content.spells.values()]
      .filter((s) => s.level >= 1 && s.level <= 3 && content.spellLists.get('warlock')?.has(s.id))
      .map((s) => s.id)
      .filter((id) => !['command', 'scorching-ray', 'suggestion', 'stinking-cloud'].includes(id))
      .slice(0, prepared);
    const withFiend = {
      ...warlock,
      spells: [{ class: 'warlock', cantrips: [], prepared: [...own, 'burning-hands', 'fireball'] }],
    };
    const issues = validate(withFiend, content).issues.filter((i) => i.path.startsWith('/spells'));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Without the subclass the same list is an error (off-list spells, too many prepared).
    const noPatron = { ...withFiend, classes: [{ class: 'warlock', level: 2 }] };
    expect(
      validate(noPatron, content).issues.some((i) => i.severity === 'error' && i.path.startsWith('/spells')),
    ).toBe(true);
  });
});
