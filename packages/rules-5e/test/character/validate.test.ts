import { describe, expect, it } from 'vitest';
import { validate, type BuildInput } from '../../src/index';
import { fixtureContent as content } from '../fixtures/character-content';
import { makeBuild, scores } from '../fixtures/builds';

function issuesOf(overrides: Partial<BuildInput>) {
  return validate(makeBuild(overrides), content).issues.filter((i) => i.severity === 'error');
}

/** Errors only, as "code path" (warnings are checked on their own). */
function codes(overrides: Partial<BuildInput>): string[] {
  return issuesOf(overrides)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.code} ${i.path}`);
}

const WIZARD_5: Partial<BuildInput> = {
  species: 'elf',
  lineage: 'high-elf',
  background: 'sage',
  classes: [{ class: 'wizard', level: 5, subclass: 'evoker' }],
  abilityScores: scores({ int: 18, dex: 14, con: 14 }),
  skills: ['arcana', 'history', 'investigation', 'perception', 'insight'],
  expertise: ['arcana'],
  feats: ['magic-initiate'],
  equipment: [{ item: 'quarterstaff', equipped: true }, { item: 'spellbook' }],
  spells: [
    {
      class: 'wizard',
      cantrips: ['fire-bolt', 'light', 'mage-hand', 'prestidigitation'],
      prepared: ['magic-missile', 'shield', 'misty-step', 'fireball', 'counterspell'],
    },
  ],
};

describe('validate', () => {
  it('accepts a legal build with no issues', () => {
    expect(validate(makeBuild(WIZARD_5), content)).toEqual({ valid: true, issues: [] });
  });

  it('reports unknown ids with their paths', () => {
    expect(
      codes({
        species: 'elfish',
        background: 'pirate',
        classes: [{ class: 'wizzard', level: 1 }],
        feats: ['luck'],
        equipment: [{ item: 'laser' }],
      }),
    ).toEqual([
      'unknown-species /species',
      'unknown-background /background',
      'unknown-class /classes/0/class',
      'unknown-feat /feats/0',
      'unknown-item /equipment/0/item',
    ]);
  });

  it('lineage of another species, size not offered', () => {
    expect(codes({ species: 'human', lineage: 'high-elf', size: 'large' })).toEqual([
      'unknown-lineage /lineage',
      'invalid-size /size',
    ]);
    const [issue] = issuesOf({ species: 'human', lineage: 'high-elf' });
    expect(issue?.message).toBe('lineage "high-elf" belongs to elf, not human');
  });

  it('levels: total above 20, duplicate class', () => {
    expect(
      codes({
        classes: [
          { class: 'fighter', level: 15 },
          { class: 'fighter', level: 6 },
        ],
        abilityScores: scores({ str: 13 }),
      }),
    ).toEqual(['duplicate-class /classes/1/class', 'level-too-high /classes']);
  });

  it('scores outside 1–20 name the ability', () => {
    const issues = issuesOf({ abilityScores: scores({ str: 0, cha: 21 }) });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['/abilityScores/str', 'str score 0 is outside 1–20'],
      ['/abilityScores/cha', 'cha score 21 is outside 1–20'],
    ]);
  });

  it('subclass too early, of another class, unknown', () => {
    expect(
      codes({
        classes: [
          { class: 'fighter', level: 2, subclass: 'champion' },
          { class: 'wizard', level: 3, subclass: 'champion' },
        ],
        abilityScores: scores({ str: 13, int: 13 }),
      }),
    ).toEqual(['subclass-too-early /classes/0/subclass', 'subclass-wrong-class /classes/1/subclass']);
    expect(codes({ classes: [{ class: 'fighter', level: 3, subclass: 'champ' }] })).toEqual([
      'unknown-subclass /classes/0/subclass',
    ]);
  });

  it('multiclass prerequisites for every class (13 in the primary ability)', () => {
    const classes = [
      { class: 'fighter', level: 3 },
      { class: 'wizard', level: 2 },
    ];
    expect(codes({ classes, abilityScores: scores({ str: 12, dex: 12, int: 13 }) })).toEqual([
      'multiclass-prerequisite /classes/0/class',
    ]);
    expect(codes({ classes, abilityScores: scores({ dex: 13, int: 12 }) })).toEqual([
      'multiclass-prerequisite /classes/1/class',
    ]);
    expect(codes({ classes, abilityScores: scores({ dex: 13, int: 13 }) })).toEqual([]);
  });

  it('feats: prerequisites and non-repeatable duplicates', () => {
    expect(codes({ feats: ['grappler', 'alert', 'alert', 'skilled', 'skilled'] })).toEqual([
      'feat-prerequisite /feats/0',
      'duplicate-feat /feats/2',
    ]);
    const ok = codes({
      classes: [{ class: 'fighter', level: 4 }],
      feats: ['grappler'],
      abilityScores: scores({ dex: 13 }),
    });
    expect(ok).toEqual([]);
  });

  it('feats beyond their sources and a missing background feat are warnings', () => {
    const warnings = (feats: string[]) =>
      validate(makeBuild({ skills: ['athletics', 'intimidation'], feats }), content)
        .issues.filter((i) => i.severity === 'warning')
        .map((i) => i.message);
    // soldier 1 + fighter fighting-style 1 (the fixture's human has no Versatile trait)
    expect(warnings(['savage-attacker', 'defense'])).toEqual([]);
    expect(warnings(['savage-attacker', 'defense', 'alert'])).toEqual([
      '3 feats but the sources grant 2 (soldier 1, fighter fighting-style 1)',
    ]);
    expect(warnings(['alert'])).toEqual([
      'background soldier grants feat "savage-attacker", which is not listed',
    ]);
  });

  it('feats that need a class feature (Fighting Style)', () => {
    const [issue] = issuesOf({ classes: [{ class: 'wizard', level: 1 }], feats: ['defense'] });
    expect(issue).toMatchObject({ code: 'feat-prerequisite', path: '/feats/0' });
    expect(issue?.message).toBe(
      'feat "defense" prerequisite not met: needs the fighting-style class feature',
    );
    expect(codes({ classes: [{ class: 'fighter', level: 1 }], feats: ['defense'] })).toEqual([]);
  });

  it('too many skills for the sources; expertise rules', () => {
    // fighter 2 + soldier 2 + human Skillful 1 = 5
    const six: BuildInput['skills'] = [
      'athletics',
      'intimidation',
      'perception',
      'survival',
      'history',
      'insight',
    ];
    const [issue] = issuesOf({ skills: six });
    expect(issue).toMatchObject({ code: 'too-many-skills', path: '/skills' });
    expect(issue?.message).toContain('fighter 2, soldier 2, skillful 1');
    expect(codes({ skills: six.slice(0, 5) })).toEqual([]);
    expect(codes({ skills: ['athletics', 'athletics'] })).toEqual(['duplicate-skill /skills/1']);
    expect(codes({ skills: ['athletics'], expertise: ['athletics'] })).toEqual([
      'too-much-expertise /expertise',
    ]);
    expect(
      codes({ classes: [{ class: 'bard', level: 2 }], skills: ['athletics'], expertise: ['stealth'] }),
    ).toEqual(['expertise-not-proficient /expertise/0']);
  });

  it('each skill needs a source that offers it; granted skills missing from the list are a warning', () => {
    // fighter choices exclude stealth and arcana; human Skillful offers arcana, athletics or perception
    expect(codes({ skills: ['athletics', 'intimidation', 'arcana', 'stealth'] })).toEqual([
      'skill-without-source /skills/3',
    ]);
    expect(codes({ skills: ['athletics', 'intimidation', 'arcana', 'history', 'survival'] })).toEqual([]);
    const result = validate(makeBuild({ skills: ['athletics'], feats: ['savage-attacker'] }), content);
    expect(result.valid).toBe(true);
    expect(result.issues).toEqual([
      {
        code: 'missing-granted-skill',
        severity: 'warning',
        path: '/skills',
        message: 'skill "intimidation" is granted but not listed',
      },
    ]);
  });

  it('multiclass adds the class multiclass skill count', () => {
    const bardDip = {
      classes: [
        { class: 'fighter', level: 1 },
        { class: 'bard', level: 1 },
      ],
      abilityScores: scores({ str: 13, cha: 13 }),
    };
    const skills: BuildInput['skills'] = [
      'athletics',
      'intimidation',
      'perception',
      'survival',
      'history',
      'insight',
    ];
    expect(codes({ ...bardDip, skills })).toEqual([]);
  });

  it('spells: off list, too high, cantrip in prepared, unknown, duplicates, too many', () => {
    const issues = codes({
      ...WIZARD_5,
      classes: [{ class: 'wizard', level: 3 }],
      spells: [
        {
          class: 'wizard',
          cantrips: ['fire-bolt', 'light', 'mage-hand', 'magic-missile'],
          prepared: ['cure-wounds', 'fireball', 'light', 'nope', 'shield', 'shield'],
        },
      ],
    });
    expect(issues).toEqual([
      'spell-not-cantrip /spells/0/cantrips/3',
      'too-many-cantrips /spells/0/cantrips',
      'spell-off-list /spells/0/prepared/0',
      'spell-too-high /spells/0/prepared/1',
      'cantrip-as-prepared /spells/0/prepared/2',
      'unknown-spell /spells/0/prepared/3',
      'duplicate-spell /spells/0/prepared/5',
    ]);
  });

  it('too many prepared spells is an error naming the limit', () => {
    const tooMany = issuesOf({
      classes: [{ class: 'warlock', level: 1 }],
      spells: [{ class: 'warlock', prepared: ['hex', 'magic-missile', 'shield'] }],
    });
    expect(tooMany.map((i) => i.code)).toEqual(['spell-off-list', 'spell-off-list', 'too-many-prepared']);
    expect(tooMany[2]?.message).toBe('3 prepared spells for warlock 1, the class table allows 2');
  });

  it('Warlock spells up to the pact slot level', () => {
    const warlock = (level: number, prepared: string[]) =>
      codes({
        classes: [{ class: 'warlock', level }],
        abilityScores: scores({ cha: 16 }),
        spells: [{ class: 'warlock', prepared }],
      });
    expect(warlock(3, ['hex', 'misty-step'])).toEqual([]);
    expect(warlock(2, ['hex', 'misty-step'])).toEqual(['spell-too-high /spells/0/prepared/1']);
  });

  it('spells on a class without Spellcasting or not in the build', () => {
    expect(codes({ spells: [{ class: 'fighter', cantrips: ['light'] }] })).toEqual([
      'spells-without-spellcasting /spells/0/class',
    ]);
    expect(codes({ spells: [{ class: 'wizard', cantrips: ['light'] }] })).toEqual([
      'spells-class-missing /spells/0/class',
    ]);
    const paladin1 = {
      classes: [{ class: 'paladin', level: 1 }],
      spells: [{ class: 'paladin', prepared: ['bless'] }],
    };
    expect(codes(paladin1)).toEqual([]);
    expect(codes({ ...paladin1, ruleset: '2014' })).toEqual(['spells-without-spellcasting /spells/0/class']);
  });

  it('armor without proficiency is only a warning', () => {
    const result = validate(
      makeBuild({
        classes: [{ class: 'wizard', level: 1 }],
        skills: ['athletics', 'intimidation'],
        feats: ['savage-attacker'],
        equipment: [{ item: 'chain-mail', equipped: true }],
      }),
      content,
    );
    expect(result.valid).toBe(true);
    expect(result.issues).toEqual([
      {
        code: 'armor-not-proficient',
        severity: 'warning',
        path: '/equipment/0',
        message: 'chain-mail is heavy armor without heavy armor proficiency',
      },
    ]);
  });

  it('every issue has a code, a JSON-pointer path and a message naming the reason', () => {
    const issues = issuesOf({
      species: 'x',
      classes: [{ class: 'y', level: 30 }],
      abilityScores: scores({ dex: 40 }),
      skills: ['arcana'],
    });
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i.path).toMatch(/^\/[A-Za-z]/);
      expect(i.message.length).toBeGreaterThan(10);
    }
  });
});
