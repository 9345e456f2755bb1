import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Build, Content } from '@loreforge/rules-5e';
import { defaultResourcesDir, loadSrdContent } from '../content/load-srd';
import { generateOffline } from './generate-offline';
import { leaders, loadGenerationTables, readConcept } from './reader';

const content: Content = loadSrdContent();

function topOf(sums: Readonly<Record<string, number>>): string | undefined {
  return Object.entries(sums).sort((a, b) => b[1] - a[1])[0]?.[0];
}

function buildOf(concept: string, seed: number, level = 5): Build {
  const d = generateOffline({ concept, kind: 'pc', level, seed }, content);
  if (!d.build) throw new Error('no build');
  return d.build;
}

describe('readConcept: species from descriptors', () => {
  const cases: [string, string][] = [
    ['a wanderer with horns and a tail', 'tiefling'],
    ['a brute with tusks and green skin', 'orc'],
    ['a scaled warrior whose breath weapon scorches foes', 'dragonborn'],
    ['an ageless archer with pointed ears', 'elf'],
    ['a smith with a braided beard from the mountain halls', 'dwarf'],
    ['a three feet tall cook from the hill folk', 'halfling'],
    ['a tiny tinkerer of clockwork toys', 'gnome'],
    ['a wrestler of giant descent', 'goliath'],
  ];
  for (const [concept, species] of cases) {
    it(`${concept} → ${species}`, () => {
      expect(topOf(readConcept(concept).species)).toBe(species);
      const hits = Array.from({ length: 20 }, (_, i) => buildOf(concept, i + 1).species === species);
      expect(hits.filter(Boolean).length).toBeGreaterThanOrEqual(18);
    });
  }

  it('does not read the hunted as the hunter: an elf hunting orcs is an elf', () => {
    const r = readConcept('an elven ranger hunting orcs in the borderlands');
    expect(r.species['orc'] ?? 0).toBe(0);
    expect(r.elements.enemies).toBe('orcs');
  });
});

describe('readConcept: classes from vocations, verbs and props (weighted, not first match)', () => {
  const cases: [string, string][] = [
    ['a raging tribesman', 'barbarian'],
    ['a berserk raider of the fjords', 'barbarian'],
    ['a holy knight bound by an oath', 'paladin'],
    ['a pact-maker serving an otherworldly patron', 'warlock'],
    ['a girl with magic in her blood, an innate bloodline', 'sorcerer'],
    ['a scholar who never lets go of her spellbook', 'wizard'],
    ['a wandering singer with a lute', 'bard'],
    ['a tracker and hunter of the deep woods', 'ranger'],
    ['an ascetic who fights with open palms', 'monk'],
    ['a thief and con artist from the docks', 'rogue'],
    ['a shapeshifter who tends a sacred grove', 'druid'],
    ['a village priest and healer', 'cleric'],
    ['a grizzled mercenary soldier', 'fighter'],
  ];
  for (const [concept, cls] of cases) {
    it(`${concept} → ${cls} in at least 18 of 20 seeds`, () => {
      expect(topOf(readConcept(concept).classes)).toBe(cls);
      const hits = Array.from({ length: 20 }, (_, i) => buildOf(concept, i + 1).classes[0]?.class === cls);
      expect(hits.filter(Boolean).length).toBeGreaterThanOrEqual(18);
    });
  }

  it('adds evidence up: a holy knight outweighs the knight’s fighter cue, and the evidence names each cue', () => {
    const r = readConcept('a holy knight');
    expect((r.classes['paladin'] ?? 0) > (r.classes['fighter'] ?? 0)).toBe(true);
    expect(r.evidence.some((e) => e.cue === 'holy knight' && e.target === 'paladin')).toBe(true);
    expect(r.evidence.some((e) => e.cue === 'knight' && e.target === 'fighter')).toBe(true);
  });

  it('breaks near-ties by seed: two equally supported classes both appear across seeds', () => {
    expect(leaders({ a: 10, b: 9, c: 2 }, () => true).map(([k]) => k)).toEqual(['a', 'b']);
    expect(leaders({ a: 2 }, () => true)).toEqual([]);
    const concept = 'a spy and guardsman';
    const r = readConcept(concept);
    expect(r.classes['rogue']).toBe(r.classes['fighter']);
    const seen = new Set(Array.from({ length: 20 }, (_, i) => buildOf(concept, i + 1).classes[0]?.class));
    expect(seen.has('rogue') && seen.has('fighter')).toBe(true);
  });
});

describe('readConcept: props become equipment that is carried and equipped', () => {
  const cases: [string, string][] = [
    ['a hunter with a longbow', 'longbow'],
    ['a fisher who fights with a trident', 'trident'],
    ['a smith who swings a great hammer', 'maul'],
    ['a baker who fights with a rolling pin', 'club'],
    ['a pirate with a cutlass', 'scimitar'],
  ];
  for (const [concept, item] of cases) {
    it(`${concept} → ${item} equipped`, () => {
      expect(readConcept(concept).items[0]).toBe(item);
      for (let seed = 1; seed <= 5; seed++) {
        const b = buildOf(concept, seed, 3);
        expect(b.equipment.find((e) => e.item === item)?.equipped, `seed ${seed}`).toBe(true);
      }
    });
  }

  it('"a long bow" is a longbow, not also a shortbow; a lute is carried by a bard', () => {
    expect(readConcept('an archer with a long bow').items).toEqual(['longbow']);
    const b = buildOf('a minstrel with a lute', 1, 2);
    expect(b.classes[0]?.class).toBe('bard');
    expect(b.equipment.some((e) => e.item === 'musical-instrument-lute')).toBe(true);
  });
});

describe('readConcept: pronouns, age, mood, figures, story elements', () => {
  it('reads pronouns from the concept and defaults to they', () => {
    expect(readConcept('a gladiator who won her freedom').pronoun).toBe('she');
    expect(readConcept('a king in exile').pronoun).toBe('he');
    expect(readConcept('a nonbinary alchemist').pronoun).toBe('they');
    const plain = readConcept('a wandering alchemist');
    expect(plain.pronoun).toBe('they');
    expect(plain.pronounStated).toBe(false);
  });

  it('reads age and mood', () => {
    expect(readConcept('a grizzled old sellsword').age).toBe('old');
    expect(readConcept('a young squire').age).toBe('young');
    expect(readConcept('a cheerful cook').mood).toBe('cheerful');
    expect(readConcept('a brooding, vengeful exile').mood).toBe('grim');
  });

  it('knows a few hundred famous figures, with class, species leanings and pronouns', () => {
    expect(loadGenerationTables().figures.length).toBeGreaterThanOrEqual(250);
    const holmes = readConcept('Sherlock Holmes');
    expect(holmes.figure?.name).toBe('Sherlock Holmes');
    expect(topOf(holmes.classes)).toBe('rogue');
    expect(holmes.pronoun).toBe('he');
    const b = buildOf('Sherlock Holmes', 3);
    expect(b.species).toBe('human');
    expect(b.abilityScores.int).toBeGreaterThanOrEqual(13);
    expect(readConcept('Joan of Arc').pronoun).toBe('she');
    expect(topOf(readConcept('Robin Hood').classes)).toBe('ranger');
    expect(readConcept('Robin Hood').items).toContain('longbow');
  });

  it('pulls places, events, liege, deed and props out of the concept', () => {
    const r = readConcept(
      'a knight sworn to a fallen king, who survived the plague in a harbour town, with a shield',
    );
    expect(r.elements.liege).toBe('a fallen king');
    expect(r.elements.events).toContain('the plague');
    expect(r.elements.places).toContain('a harbour town');
    expect(r.elements.props).toContain('shield');
    expect(r.elements.role).toBe('knight');
  });
});

describe('loadGenerationTables: bad tables fail clearly', () => {
  it('names the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-gen-'));
    mkdirSync(join(dir, 'generation'));
    const src = join(defaultResourcesDir(), 'generation');
    for (const f of ['concept-cues.json', 'props.json', 'names.json', 'story-words.json'])
      writeFileSync(join(dir, 'generation', f), readFileSync(join(src, f)));
    writeFileSync(
      join(dir, 'generation', 'figures.json'),
      JSON.stringify({
        figures: [{ name: 'X', classes: {}, species: {}, pronoun: 'it', abilities: [], keywords: [] }],
      }),
    );
    expect(() => loadGenerationTables(dir)).toThrow(/figures\.json at "figures\.0\.pronoun"/);
  });
});
