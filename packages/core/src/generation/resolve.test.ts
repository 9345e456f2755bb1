import { describe, expect, it } from 'vitest';
import { validate, type Build, type Content } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import type { DraftChoices } from './draft-schema';
import { generateOffline } from './generate-offline';
import { resolveDraft, resolveToSrd, type ResolveKind } from './resolve';

const content: Content = loadSrdContent();

describe('resolveToSrd', () => {
  it.each<[ResolveKind, string, string, 'srd' | 'adapted' | 'custom']>([
    // exact id and case/punctuation-insensitive names
    ['spell', 'fire-bolt', 'fire-bolt', 'srd'],
    ['spell', 'Fire Bolt', 'fire-bolt', 'srd'],
    ['spell', 'FIRE-BOLT!', 'fire-bolt', 'srd'],
    ['spell', 'Firebolt', 'fire-bolt', 'srd'],
    ['item', 'Chain Mail', 'chain-mail', 'srd'],
    ['item', 'chainmail', 'chain-mail', 'srd'],
    ['item', 'Studded Leather', 'studded-leather-armor', 'srd'],
    ['item', '+1 Longsword', 'longsword-1', 'srd'],
    ['lineage', 'High Elf', 'high-elf', 'srd'],
    ['subclass', 'Evoker', 'evoker', 'srd'],
    // misspellings (edit distance)
    ['spell', 'Firebal', 'fireball', 'srd'],
    ['spell', 'Magic Misile', 'magic-missile', 'srd'],
    ['class', 'Wizzard', 'wizard', 'srd'],
    // aliases (re-skins)
    ['item', 'Lightsaber', 'longsword', 'adapted'],
    ['item', 'Blaster', 'hand-crossbow', 'adapted'],
    ['item', 'blue lightsaber', 'longsword', 'adapted'],
    ['item', 'Katana', 'longsword', 'adapted'],
    ['species', 'Hobbit', 'halfling', 'adapted'],
    ['class', 'Mage', 'wizard', 'adapted'],
    ['subclass', 'School of Evocation', 'evoker', 'adapted'],
    // fuzzy variants (token overlap / containment)
    ['spell', 'Greater Fireball', 'fireball', 'adapted'],
    ['spell', 'Cure Light Wounds', 'cure-wounds', 'adapted'],
    ['item', 'Elven Longbow', 'longbow', 'adapted'],
    ['item', 'Energy Blade (Longsword)', 'longsword', 'adapted'],
    ['species', 'Space Elf', 'elf', 'adapted'],
    // nothing close enough
    ['spell', 'Chrono Lance', 'chrono-lance', 'custom'],
    ['item', 'Cyberdeck', 'cyberdeck', 'custom'],
    ['species', 'Wookiee', 'wookiee', 'custom'],
    ['feat', 'Great Weapon Master', 'great-weapon-master', 'custom'],
    ['background', 'Street Urchin', 'street-urchin', 'custom'],
  ])('%s "%s" → %s (%s)', (kind, name, id, tag) => {
    const r = resolveToSrd(kind, name, content);
    expect({ id: r.id, tag: r.tag }).toEqual({ id, tag });
    if (tag === 'adapted') expect(r.basedOn).toBe(id);
    else expect(r.basedOn).toBeUndefined();
    if (tag === 'srd') expect(r.score).toBeGreaterThanOrEqual(0.85);
    if (tag === 'custom') expect(r.score).toBeLessThan(0.7);
  });

  it('restricts candidates with `within`', () => {
    expect(resolveToSrd('subclass', 'Champion', content, { within: ['evoker'] }).tag).toBe('custom');
    expect(resolveToSrd('lineage', 'Drow', content, { within: ['drow', 'high-elf', 'wood-elf'] }).id).toBe(
      'drow',
    );
  });

  it('rejects an empty name, naming the kind', () => {
    expect(() => resolveToSrd('spell', '  ', content)).toThrow(/spell name must not be empty/);
  });
});

/** Turn an offline draft into what an LLM would return: names instead of ids, no element ids or tags decided. */
function toNames(draft: DraftChoices, c: Content): DraftChoices {
  const b = draft.build as Build;
  const name = (m: ReadonlyMap<string, { name: string }>, id: string): string => m.get(id)?.name ?? id;
  const species = c.species.get(b.species);
  return {
    ...draft,
    build: {
      ...b,
      species: name(c.species, b.species),
      ...(b.lineage ? { lineage: species?.lineages.find((l) => l.id === b.lineage)?.name ?? b.lineage } : {}),
      background: name(c.backgrounds, b.background),
      classes: b.classes.map((x) => ({
        ...x,
        class: name(c.classes, x.class),
        ...(x.subclass ? { subclass: name(c.subclasses, x.subclass) } : {}),
      })),
      feats: b.feats.map((f) => name(c.feats, f)),
      equipment: b.equipment.map((e) => ({ ...e, item: name(c.items, e.item) })),
      ...(b.spells
        ? {
            spells: b.spells.map((s) => ({
              class: name(c.classes, s.class),
              cantrips: s.cantrips.map((x) => name(c.spells, x)),
              prepared: s.prepared.map((x) => name(c.spells, x)),
            })),
          }
        : {}),
      ...(b.grantedSpells
        ? {
            grantedSpells: b.grantedSpells.map((g) => ({
              ...g,
              source: {
                kind: g.source.kind,
                id:
                  g.source.kind === 'feat'
                    ? name(c.feats, g.source.id)
                    : g.source.kind === 'lineage'
                      ? (species?.lineages.find((l) => l.id === g.source.id)?.name ?? g.source.id)
                      : g.source.id,
              },
              cantrips: g.cantrips.map((x) => name(c.spells, x)),
              spells: g.spells.map((x) => name(c.spells, x)),
            })),
          }
        : {}),
    },
    elements: draft.elements.map(({ id: _id, ...e }) => ({ ...e, tag: 'srd' as const })),
  };
}

describe('resolveDraft', () => {
  it.each([
    ['an elven wizard obsessed with fire', 9],
    ['a cyberpunk netrunner', 5],
    ['a dwarven cleric', 12],
    ['a tiefling warlock', 6],
    ['a dragonborn paladin', 3],
  ])('maps an LLM-style draft of "%s" (level %i) back to the same ids', (concept, level) => {
    const original = generateOffline({ concept, seed: level, level }, content);
    const { draft, resolutions } = resolveDraft(toNames(original, content), content);
    expect(draft.build).toEqual(original.build);
    expect(validate(draft.build as Build, content).issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(resolutions.every((r) => r.tag !== 'custom')).toBe(true);
    // Elements regain their ids, and re-skinned gear stays adapted with its base.
    for (const e of original.elements) {
      const back = draft.elements.find((x) => x.kind === e.kind && x.name === e.name);
      expect(back?.id, e.name).toBe(e.id);
      expect(back?.tag, e.name).toBe(e.tag);
    }
  });

  it('maps granted-spell names (feat, lineage, spells) back to ids', () => {
    const drafts = [1, 2, 3, 4, 5, 6].map((seed) =>
      generateOffline({ concept: 'a high elf sage wizard', seed, level: 3 }, content),
    );
    const original = drafts.find((d) => (d.build?.grantedSpells ?? []).length >= 2);
    expect(original?.build?.grantedSpells?.map((g) => g.source.kind).sort()).toEqual(['feat', 'lineage']);
    if (!original) return;
    const named = toNames(original, content);
    expect(named.build?.grantedSpells?.[0]?.source.id).toBe('Magic Initiate');
    const { draft, resolutions } = resolveDraft(named, content);
    expect(draft.build).toEqual(original.build);
    expect(resolutions.some((r) => r.path === '/build/grantedSpells/0/cantrips/0')).toBe(true);
  });

  it('tags re-skins and inventions, with paths into the draft, and lists build entries missing from elements', () => {
    const original = generateOffline({ concept: 'a jedi', seed: 1, level: 3, theme: 'sci-fi' }, content);
    const named = toNames(original, content);
    const build = named.build as Build;
    const llm: DraftChoices = {
      ...named,
      build: { ...build, equipment: [{ item: 'Lightsaber', equipped: true }, { item: 'Cyberdeck' }] },
      elements: [],
    };
    const { draft, resolutions } = resolveDraft(llm, content);
    expect(draft.build?.equipment.map((e) => e.item)).toEqual(['longsword', 'cyberdeck']);
    expect(resolutions.find((r) => r.path === '/build/equipment/0/item')).toMatchObject({
      tag: 'adapted',
      basedOn: 'longsword',
      name: 'Lightsaber',
    });
    expect(resolutions.find((r) => r.path === '/build/equipment/1/item')).toMatchObject({
      tag: 'custom',
      id: 'cyberdeck',
    });
    expect(draft.elements).toContainEqual({
      kind: 'item',
      name: 'Lightsaber',
      id: 'longsword',
      tag: 'adapted',
      basedOn: 'longsword',
    });
    expect(draft.elements).toContainEqual({
      kind: 'item',
      name: 'Cyberdeck',
      id: 'cyberdeck',
      tag: 'custom',
    });
    expect(draft.elements.some((e) => e.kind === 'species' && e.id === original.build?.species)).toBe(true);
  });
});
