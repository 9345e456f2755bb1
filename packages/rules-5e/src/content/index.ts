/**
 * `Content`: the indexed set of rules content the engine works with. Built from plain arrays (as loaded from
 * `resources/srd/` by core, or assembled in tests). Pure: no I/O.
 */
import { z } from 'zod';
import {
  BackgroundSchema,
  ClassSchema,
  CreatureSchema,
  FeatSchema,
  ItemSchema,
  SpeciesSchema,
  SpellSchema,
  SubclassSchema,
  type Background,
  type CharacterClass,
  type Creature,
  type Feat,
  type Item,
  type Species,
  type Spell,
  type Subclass,
} from './types';

export const ContentDataSchema = z.object({
  species: z.array(SpeciesSchema),
  backgrounds: z.array(BackgroundSchema),
  classes: z.array(ClassSchema),
  subclasses: z.array(SubclassSchema),
  feats: z.array(FeatSchema),
  items: z.array(ItemSchema),
  spells: z.array(SpellSchema),
  creatures: z.array(CreatureSchema),
});
export type ContentData = z.infer<typeof ContentDataSchema>;
export type ContentDataInput = z.input<typeof ContentDataSchema>;

export interface Content {
  readonly species: ReadonlyMap<string, Species>;
  readonly backgrounds: ReadonlyMap<string, Background>;
  readonly classes: ReadonlyMap<string, CharacterClass>;
  readonly subclasses: ReadonlyMap<string, Subclass>;
  readonly feats: ReadonlyMap<string, Feat>;
  readonly items: ReadonlyMap<string, Item>;
  readonly spells: ReadonlyMap<string, Spell>;
  readonly creatures: ReadonlyMap<string, Creature>;
  /** Lineage id → species id (e.g. `high-elf` → `elf`). */
  readonly lineageOf: ReadonlyMap<string, string>;
  /** Class id → the ids of spells on its list. */
  readonly spellLists: ReadonlyMap<string, ReadonlySet<string>>;
}

function byId<T extends { id: string }>(rows: readonly T[], kind: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    if (map.has(row.id)) throw new Error(`content: duplicate ${kind} id "${row.id}"`);
    map.set(row.id, row);
  }
  return map;
}

/** Index already-validated content data. */
export function indexContent(data: ContentData): Content {
  const species = byId(data.species, 'species');
  const lineageOf = new Map<string, string>();
  for (const s of data.species) for (const l of s.lineages) lineageOf.set(l.id, s.id);
  const spellLists = new Map<string, Set<string>>();
  for (const spell of data.spells) {
    for (const cls of spell.classes) {
      let set = spellLists.get(cls);
      if (!set) spellLists.set(cls, (set = new Set()));
      set.add(spell.id);
    }
  }
  return {
    species,
    backgrounds: byId(data.backgrounds, 'background'),
    classes: byId(data.classes, 'class'),
    subclasses: byId(data.subclasses, 'subclass'),
    feats: byId(data.feats, 'feat'),
    items: byId(data.items, 'item'),
    spells: byId(data.spells, 'spell'),
    creatures: byId(data.creatures, 'creature'),
    lineageOf,
    spellLists,
  };
}

/** Validate raw (parsed JSON) content and index it. Throws a zod error naming the bad path. */
export function parseContent(raw: unknown): Content {
  return indexContent(ContentDataSchema.parse(raw));
}
