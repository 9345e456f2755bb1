import { describe, expect, it } from 'vitest';
import { BuildSchema, derive, repair, toDeriveOutput, validate, type BuildInput } from '../../src/index';
import { loadSrd } from '../srd';

const content = loadSrd();

/** A level-1 Sage wizard (Magic Initiate (Wizard) from the background) who is a High Elf. */
const SAGE: BuildInput = {
  name: 'Ilse',
  species: 'elf',
  lineage: 'high-elf',
  background: 'sage',
  classes: [{ class: 'wizard', level: 1 }],
  abilityScores: { str: 8, dex: 14, con: 13, int: 16, wis: 12, cha: 10 },
  skills: ['arcana', 'history', 'investigation', 'perception'],
  feats: ['magic-initiate'],
  spells: [{ class: 'wizard', cantrips: ['fire-bolt', 'light', 'mage-hand'], prepared: ['shield'] }],
};

function build(over: Partial<BuildInput> = {}) {
  return BuildSchema.parse({ ...SAGE, ...over });
}

function errors(over: Partial<BuildInput>): string[] {
  return validate(build(over), content)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.code} ${i.path}`);
}

type Granted = NonNullable<BuildInput['grantedSpells']>[number];

const MAGIC_INITIATE: Granted = {
  source: { kind: 'feat', id: 'magic-initiate' },
  cantrips: ['ray-of-frost', 'minor-illusion'],
  spells: ['sleep'],
};
const HIGH_ELF: Granted = { source: { kind: 'lineage', id: 'high-elf' }, cantrips: ['prestidigitation'] };

describe('granted spells', () => {
  it('the base build is valid, and old builds without the field stay valid', () => {
    expect(errors({})).toEqual([]);
    expect(build()).not.toHaveProperty('grantedSpells');
  });

  it('accepts Magic Initiate spells (list from the background featOption) and the lineage cantrip', () => {
    // 3 wizard cantrips from the class table plus 2 from the feat: the feat's are not counted against it.
    expect(errors({ grantedSpells: [MAGIC_INITIATE, HIGH_ELF] })).toEqual([]);
    expect(errors({ grantedSpells: [{ ...MAGIC_INITIATE, list: 'wizard' }] })).toEqual([]);
  });

  it('a chosen list is checked against the offered lists and each spell against that list', () => {
    expect(
      errors({
        grantedSpells: [{ ...MAGIC_INITIATE, list: 'cleric', cantrips: ['guidance'], spells: ['bless'] }],
      }),
    ).toEqual([]);
    expect(errors({ grantedSpells: [{ ...MAGIC_INITIATE, list: 'bard' }] })).toContain(
      'granted-list-not-allowed /grantedSpells/0/list',
    );
    expect(errors({ grantedSpells: [{ ...MAGIC_INITIATE, list: 'cleric' }] })).toEqual([
      'spell-off-list /grantedSpells/0/cantrips/0',
      'spell-off-list /grantedSpells/0/cantrips/1',
      'spell-off-list /grantedSpells/0/spells/0',
    ]);
  });

  it('needs a list when the feat is not the background origin feat', () => {
    const fighter = { background: 'soldier', feats: ['magic-initiate'], spells: [] };
    expect(errors({ ...fighter, grantedSpells: [MAGIC_INITIATE] })).toContain(
      'granted-list-missing /grantedSpells/0/list',
    );
  });

  it('rejects excess, unknown, wrong-level and not-granted spells with paths naming the field', () => {
    const out = errors({
      grantedSpells: [
        { ...MAGIC_INITIATE, cantrips: ['ray-of-frost', 'minor-illusion', 'light'], spells: ['fireball'] },
        { source: { kind: 'lineage', id: 'high-elf' }, cantrips: ['fire-bolt', 'nope-spell'] },
      ],
    });
    expect(out).toEqual([
      'too-many-granted-cantrips /grantedSpells/0/cantrips',
      'spell-too-high /grantedSpells/0/spells/0',
      'spell-not-granted /grantedSpells/1/cantrips/0',
      'unknown-spell /grantedSpells/1/cantrips/1',
      'too-many-granted-cantrips /grantedSpells/1/cantrips',
    ]);
    expect(
      errors({ grantedSpells: [{ ...MAGIC_INITIATE, cantrips: ['sleep'], spells: ['light'] }] }),
    ).toEqual([
      'spell-not-cantrip /grantedSpells/0/cantrips/0',
      'cantrip-as-spell /grantedSpells/0/spells/0',
    ]);
  });

  it('rejects sources the build does not hold, wrong kinds, and repeated entries', () => {
    expect(
      errors({
        grantedSpells: [
          { source: { kind: 'lineage', id: 'drow' }, cantrips: ['dancing-lights'] },
          { source: { kind: 'feat', id: 'high-elf' } },
          { source: { kind: 'feat', id: 'alert' } },
          HIGH_ELF,
          HIGH_ELF,
        ],
      }),
    ).toEqual([
      'granted-source-unknown /grantedSpells/0/source',
      'granted-source-unknown /grantedSpells/1/source',
      'granted-source-unknown /grantedSpells/2/source',
      'granted-source-repeated /grantedSpells/4/source',
    ]);
  });

  it('accepts a species trait as a feature source (Tiefling Otherworldly Presence)', () => {
    const tiefling: Partial<BuildInput> = {
      species: 'tiefling',
      lineage: 'infernal',
      skills: ['arcana', 'history', 'investigation'],
    };
    const grantedSpells: Granted[] = [
      { source: { kind: 'feature', id: 'otherworldly-presence' }, cantrips: ['thaumaturgy'] },
      { source: { kind: 'lineage', id: 'infernal' }, cantrips: ['fire-bolt'] },
    ];
    expect(errors({ ...tiefling, grantedSpells })).toEqual([]);
  });

  it('repair drops what is illegal and keeps what is legal, and its output validates', () => {
    const input = build({
      grantedSpells: [
        { ...MAGIC_INITIATE, list: 'bard', cantrips: ['Ray of Frost', 'minor-illusion', 'light', 'zzz'] },
        { source: { kind: 'lineage', id: 'drow' }, cantrips: ['dancing-lights'] },
        { ...HIGH_ELF, cantrips: ['prestidigitation', 'fire-bolt'], list: 'wizard' },
      ],
    });
    const { build: fixed, changes } = repair(input, content);
    expect(validate(fixed, content).valid).toBe(true);
    expect(fixed.grantedSpells).toEqual([
      {
        source: { kind: 'feat', id: 'magic-initiate' },
        list: 'wizard', // an explicit list stays explicit, replaced by the background's featOption
        cantrips: ['ray-of-frost', 'minor-illusion'],
        spells: ['sleep'],
      },
      { source: { kind: 'lineage', id: 'high-elf' }, cantrips: ['prestidigitation'], spells: [] },
    ]);
    const paths = changes.map((c) => c.path);
    expect(paths).toContain('/grantedSpells/0/list');
    expect(paths).toContain('/grantedSpells/1');
    expect(paths).toContain('/grantedSpells/0/cantrips');
    expect(repair(fixed, content).changes).toEqual([]);
  });

  it('derive lists granted spells with their ability, DC and attack, and keeps the JSON output shape', () => {
    const b = build({ grantedSpells: [MAGIC_INITIATE, HIGH_ELF] });
    const d = derive(b, content);
    expect(d.spellcasting.granted).toHaveLength(2);
    const [mi, elf] = d.spellcasting.granted;
    expect(mi).toMatchObject({
      list: 'wizard',
      ability: 'int',
      cantrips: ['ray-of-frost', 'minor-illusion'],
    });
    expect(mi?.saveDC.value).toBe(13); // 8 + PB 2 + Int 3
    expect(mi?.attackBonus.value).toBe(5);
    expect(elf).toMatchObject({ list: null, ability: 'int', cantrips: ['prestidigitation'] });
    const chosen = derive(build({ grantedSpells: [{ ...MAGIC_INITIATE, ability: 'wis' }] }), content);
    expect(chosen.spellcasting.granted[0]?.saveDC.value).toBe(11);
    const out = toDeriveOutput(d);
    expect(Object.keys(out.spellcasting)).toEqual(['slots', 'pactSlots', 'classes']);
    expect(out).toEqual(toDeriveOutput(derive(build(), content)));
  });
});
