/**
 * Character documents: the build (the rules engine's source format, never derived numbers), the narrative, and
 * the ordered memory of past themes. Typed accessors only; callers never see Y types.
 */
import { BuildSchema, type BuildInput } from '@loreforge/rules-5e';
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema, UUID_RE } from './meta';
import type { TransactionOrigin } from './origin';
import { isJsonObject, type JsonObject } from './y-json';

export const CHARACTER_KINDS = ['pc', 'npc', 'monster'] as const;
export const CharacterKindSchema = z.enum(CHARACTER_KINDS);
export type CharacterKind = z.infer<typeof CharacterKindSchema>;

const lines = z.array(z.string()).default([]);

export const RelationshipSchema = z.object({
  /** A character UUID or a free-text name. */
  with: z.string().min(1),
  relation: z.string().min(1),
  note: z.string().default(''),
});

export const NarrativeSchema = z.object({
  backstory: z.string().default(''),
  personalityTraits: lines,
  ideals: lines,
  bonds: lines,
  flaws: lines,
  fears: lines,
  secrets: lines,
  motivations: lines,
  relationships: z.array(RelationshipSchema).default([]),
  appearance: z.string().default(''),
  /** The current theme (e.g. "gothic horror"); past themes live in `themeHistory`. */
  theme: z.string().default(''),
  /** Lore for each build element, keyed by element (e.g. `species`, `class:wizard`, `item:quarterstaff`). */
  lore: z.record(z.string(), z.string()).default({}),
});
export type Narrative = z.infer<typeof NarrativeSchema>;
export type NarrativeInput = z.input<typeof NarrativeSchema>;

export const ThemeHistoryEntrySchema = z.object({
  theme: z.string(),
  /** Branch the character moved to when this theme began. */
  branch: z.string(),
  /** Commit the theme branch was forked from (null for the first theme). */
  from: z.string().nullable(),
  at: z.number().int(),
});
export type ThemeHistoryEntry = z.infer<typeof ThemeHistoryEntrySchema>;

export const CharacterDocSchema = z.object({
  meta: metaSchema('character'),
  kind: CharacterKindSchema,
  status: z.enum(['alive', 'dead']).default('alive'),
  build: BuildSchema,
  narrative: NarrativeSchema,
  themeHistory: z.array(ThemeHistoryEntrySchema).default([]),
});
export type CharacterDoc = z.infer<typeof CharacterDocSchema>;

function withDefault(obj: JsonObject, key: string, value: JsonObject[keyof JsonObject]): JsonObject {
  return key in obj ? obj : { ...obj, [key]: value };
}

export const characterDocType = defineDocType({
  kind: 'character',
  schema: CharacterDocSchema,
  migrations: [
    {
      id: 'character/1',
      description: 'initial shape: meta, kind, build, narrative',
      up: (json) => withDefault(withDefault(json, 'kind', 'pc'), 'narrative', {}),
    },
    {
      id: 'character/2',
      description: 'add status, narrative.fears and the theme history',
      up: (json) => {
        const narrative = isJsonObject(json['narrative']) ? json['narrative'] : {};
        return withDefault(
          withDefault({ ...json, narrative: withDefault(narrative, 'fears', []) }, 'status', 'alive'),
          'themeHistory',
          [],
        );
      },
    },
  ],
  summarize: (c) => ({ name: c.build.name, subkind: c.kind }),
  references: (c) => {
    const refs: EntityReference[] = [];
    for (const e of c.build.equipment)
      if (UUID_RE.test(e.item)) refs.push({ to: e.item, relation: 'equips' });
    return refs;
  },
});

export interface NewCharacter {
  id: string;
  createdAt: number;
  kind: CharacterKind;
  build: BuildInput;
  narrative?: NarrativeInput;
}

export function createCharacterDoc(doc: Y.Doc, init: NewCharacter, origin: TransactionOrigin): CharacterDoc {
  const theme = init.narrative?.theme ?? '';
  return initDoc(
    characterDocType,
    doc,
    {
      meta: {
        schemaVersion: characterDocType.currentVersion,
        entity: 'character',
        id: init.id,
        createdAt: init.createdAt,
      },
      kind: init.kind,
      status: 'alive',
      build: init.build,
      narrative: init.narrative ?? {},
      themeHistory: theme ? [{ theme, branch: 'main', from: null, at: init.createdAt }] : [],
    },
    origin,
  );
}

export function readCharacter(doc: Y.Doc): CharacterDoc {
  return readDoc(characterDocType, doc);
}

export function editCharacter(
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): CharacterDoc {
  return editDoc(characterDocType, doc, change, origin);
}

export function totalLevel(c: Pick<CharacterDoc, 'build'>): number {
  return c.build.classes.reduce((n, cl) => n + cl.level, 0);
}
