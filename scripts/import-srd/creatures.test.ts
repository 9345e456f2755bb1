/**
 * Every SRD creature through the Open5e API path: the fixture records of the source folder are joined into the
 * Open5e v2 API shape and converted by rules-5e's `fromOpen5eCreature`; the importer's result (the same path plus
 * its data fixes) must equal the committed `resources/srd/creatures.json`.
 *
 * Source folder: env `LOREFORGE_SRD_SOURCE`, default the vendored `resources/srd-source/open5e-2024`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreatureSchema, fromOpen5eCreature, type Creature } from '@loreforge/rules-5e';
import { describe, expect, it } from 'vitest';
import { importCreatures, readOpen5eApiCreatures, type Open5eApiCreature } from './creatures';
import { FixLog, vendoredSources } from './util';

const repoRoot = resolve(import.meta.dirname, '../..');
const source = resolve(repoRoot, process.env['LOREFORGE_SRD_SOURCE'] ?? vendoredSources(repoRoot).open5e);
const resources = join(repoRoot, 'resources/srd');

function requireSource(): void {
  if (!existsSync(join(source, 'Creature.json'))) {
    throw new Error(
      `SRD source folder not found: ${source} has no Creature.json. Set LOREFORGE_SRD_SOURCE to the Open5e ` +
        'srd-2024 fixture folder (default resources/srd-source/open5e-2024).',
    );
  }
}

let loaded: { api: Open5eApiCreature[]; spellIds: Set<string> } | undefined;
/** The joined source creatures; throws (so each test fails, none is skipped) when the folder is missing. */
function load(): { api: Open5eApiCreature[]; spellIds: Set<string> } {
  if (loaded) return loaded;
  requireSource();
  const spells = JSON.parse(readFileSync(join(resources, 'spells.json'), 'utf8')) as { id: string }[];
  loaded = { api: readOpen5eApiCreatures({ open5e: source }), spellIds: new Set(spells.map((s) => s.id)) };
  return loaded;
}

describe('every SRD creature through the Open5e API path', () => {
  it('joins 331 creatures into the nested API shape', () => {
    const { api } = load();
    expect(api).toHaveLength(331);
    const aboleth = api.find((c) => c.key === 'srd-2024_aboleth');
    expect(aboleth?.ability_scores).toMatchObject({ strength: 21, intelligence: 18 });
    expect(aboleth?.['ability_score_strength']).toBeUndefined();
    const tentacle = aboleth?.actions.find((a) => a['name'] === 'Tentacle');
    expect(tentacle?.['attacks']).toHaveLength(1);
    expect(api.reduce((n, c) => n + c.actions.length, 0)).toBe(989);
    expect(api.reduce((n, c) => n + c.traits.length, 0)).toBe(326);
  });

  it('converts each one, unfixed, into a valid stat block with a CR, attacks and damage', () => {
    const { api, spellIds } = load();
    const notes: string[] = [];
    const converted = api.map((c) =>
      fromOpen5eCreature(structuredClone(c), { spellIds, onNote: (n) => notes.push(n) }),
    );
    for (const [i, creature] of converted.entries()) {
      const parsed = CreatureSchema.safeParse(creature);
      expect(parsed.success, `${api[i]?.name}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
    expect(new Set(converted.map((c) => c.id)).size).toBe(331);
    const attacks = converted.flatMap((c) => c.actions).filter((a) => a.attack);
    expect(attacks).toHaveLength(423);
    // The Roper's Tentacle grapples and deals no damage; every other attack roll has its damage.
    expect(attacks.filter((a) => a.attack?.damage.length === 0).map((a) => a.name)).toEqual(['Tentacle']);
    // The text-vs-record notes are the importer's known list (README), not new disagreements.
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => /record|could not resolve/.test(n))).toBe(true);
  });

  it('gives the importer (this path plus its data fixes) the committed creatures.json', () => {
    const { spellIds } = load();
    const fixes = new FixLog();
    const imported = importCreatures({ open5e: source, bits: '' }, spellIds, fixes).map((c): Creature =>
      CreatureSchema.parse(c),
    );
    const committed = JSON.parse(readFileSync(join(resources, 'creatures.json'), 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(imported))).toEqual(committed);
    const octopus = imported.find((c) => c.id === 'octopus');
    expect(octopus?.abilities.con).toBe(11);
    expect(octopus?.saves.con).toBeUndefined();
    expect(imported.find((c) => c.id === 'skeleton')?.vulnerabilities).toEqual(['bludgeoning']);
    expect(fixes.list().some((f) => f.includes('Size Small → Tiny'))).toBe(true);
  });
});
