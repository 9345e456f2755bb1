/**
 * Character documents: the build (the rules engine's source format, never derived numbers), the narrative, and
 * the ordered memory of past themes. Typed accessors only; callers never see Y types.
 */
import {
  BuildSchema,
  CreatureSchema,
  type Build,
  type BuildInput,
  type CreatureInput,
} from '@loreforge/rules-5e';
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc, type EntityReference } from './doc-type';
import { metaSchema, UUID_RE } from './meta';
import type { TransactionOrigin } from './origin';
import { isJsonObject, type JsonObject, type TextPaths } from './y-json';
import { PlaySheetSchema } from '../play/schema';

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

/** Element kinds that carry a source tag (the pipeline's draft elements; monsters use `species` for themselves). */
export const CHARACTER_ELEMENT_KINDS = [
  'species',
  'class',
  'subclass',
  'background',
  'feat',
  'item',
  'spell',
] as const;

/**
 * Where an element of the character comes from: `srd` (the SRD thing itself), `adapted` (a re-skin whose
 * mechanics are the SRD element `basedOn`), `custom` (no SRD match; `basedOn` may name a loose model).
 */
export const CharacterElementSchema = z.object({
  kind: z.enum(CHARACTER_ELEMENT_KINDS),
  name: z.string().min(1),
  /** Content id (SRD id, or a slug for custom content). */
  id: z.string().min(1).optional(),
  tag: z.enum(['srd', 'adapted', 'custom']),
  basedOn: z.string().min(1).optional(),
});
export type CharacterElement = z.infer<typeof CharacterElementSchema>;

/** Who generated the current content last (the LLM pipeline, the offline generator, or the rules tables). */
export const GenerationProvenanceSchema = z.object({
  provider: z.string().min(1),
  model: z.string(),
  attempts: z.number().int().nonnegative(),
  usage: z.object({
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative().optional(),
  }),
});
export type GenerationProvenance = z.infer<typeof GenerationProvenanceSchema>;

const characterFields = {
  meta: metaSchema('character'),
  status: z.enum(['alive', 'dead']).default('alive'),
  narrative: NarrativeSchema,
  themeHistory: z.array(ThemeHistoryEntrySchema).default([]),
  /** Source tags of the build's (or stat block's) elements, as the pipeline resolved them (character/3). */
  elements: z.array(CharacterElementSchema).default([]),
  /** The last generation's provider, model, attempts and token usage (absent for hand-made characters). */
  provenance: GenerationProvenanceSchema.optional(),
  /** The play sheet: current HP, slots used, conditions… at the table (live play, `play/schema.ts`). */
  play: PlaySheetSchema.optional(),
};

/**
 * The character document, a union on `kind` (character/3):
 * - `pc`: a build is required (derived numbers come from it); a stat block may be kept beside it;
 * - `npc` / `monster`: a build, a stat block (`creature`, the rules engine's `Creature`), or both — never
 *   neither. A stat-block-only creature has no build to derive; its numbers are the stat block's own.
 */
export const CharacterDocSchema = z.discriminatedUnion('kind', [
  z.object({
    ...characterFields,
    kind: z.literal('pc'),
    build: BuildSchema,
    creature: CreatureSchema.optional(),
  }),
  z
    .object({
      ...characterFields,
      kind: z.enum(['npc', 'monster']),
      build: BuildSchema.optional(),
      creature: CreatureSchema.optional(),
    })
    .refine((c) => c.build !== undefined || c.creature !== undefined, {
      message: 'an npc or monster needs a build or a creature stat block (neither was given)',
      path: ['creature'],
    }),
]);
export type CharacterDoc = z.infer<typeof CharacterDocSchema>;
/** A character document that has a build (every pc; npcs and monsters made from a build). */
export type BuildCharacterDoc = CharacterDoc & { build: Build };

export function hasBuild(c: CharacterDoc): c is BuildCharacterDoc {
  return c.build !== undefined;
}

/** The display name: the build's, else the stat block's. */
export function characterName(c: {
  build?: { name: string } | undefined;
  creature?: { name: string } | undefined;
}): string {
  return c.build?.name ?? c.creature?.name ?? '';
}

function withDefault(obj: JsonObject, key: string, value: JsonObject[keyof JsonObject]): JsonObject {
  return key in obj ? obj : { ...obj, [key]: value };
}

/**
 * The character's long texts, held as `Y.Text`s since character/4 so two people typing into one merge per
 * character: backstory, appearance, the lore of each element and the note of each relationship.
 */
export const CHARACTER_TEXT_FIELDS = ['/narrative/backstory', '/narrative/appearance'] as const;
export type CharacterTextField = (typeof CHARACTER_TEXT_FIELDS)[number] | `/narrative/lore/${string}`;

export const characterTextPaths: TextPaths = (p) =>
  p.length >= 2 &&
  p[0] === 'narrative' &&
  ((p.length === 2 && (p[1] === 'backstory' || p[1] === 'appearance')) ||
    (p.length === 3 && p[1] === 'lore') ||
    (p.length === 4 && p[1] === 'relationships' && p[3] === 'note'));

/** Whether a JSON pointer names one of the character's text fields (`/narrative/lore/<key>` included). */
export function isCharacterTextPointer(pointer: string): boolean {
  if (!pointer.startsWith('/')) return false;
  const segs = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return characterTextPaths(segs);
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
    {
      id: 'character/3',
      description:
        'optional stat block (creature) and build for npcs/monsters; element source tags; generation provenance',
      up: (json) => withDefault(json, 'elements', []),
    },
    {
      id: 'character/4',
      description:
        'long texts (backstory, appearance, lore, relationship notes) become Y.Texts, merged per character',
      // The JSON view is unchanged; writing it back turns the strings at `characterTextPaths` into Y.Texts.
      up: (json) => json,
    },
  ],
  textPaths: characterTextPaths,
  summarize: (c) => ({ name: characterName(c), subkind: c.kind }),
  references: (c) => {
    const refs: EntityReference[] = [];
    for (const e of c.build?.equipment ?? [])
      if (UUID_RE.test(e.item)) refs.push({ to: e.item, relation: 'equips' });
    return refs;
  },
});

export type NewCharacter = {
  id: string;
  createdAt: number;
  narrative?: NarrativeInput;
  elements?: CharacterElement[];
  provenance?: GenerationProvenance;
} & (
  | { kind: 'pc'; build: BuildInput; creature?: CreatureInput }
  | { kind: 'npc' | 'monster'; build: BuildInput; creature?: CreatureInput }
  | { kind: 'npc' | 'monster'; build?: undefined; creature: CreatureInput }
);

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
      ...(init.build === undefined ? {} : { build: init.build }),
      ...(init.creature === undefined ? {} : { creature: init.creature }),
      narrative: init.narrative ?? {},
      themeHistory: theme ? [{ theme, branch: 'main', from: null, at: init.createdAt }] : [],
      elements: init.elements ?? [],
      ...(init.provenance === undefined ? {} : { provenance: init.provenance }),
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

/** Total class level (0 for a stat-block-only creature). */
export function totalLevel(c: Pick<CharacterDoc, 'build'>): number {
  return (c.build?.classes ?? []).reduce((n, cl) => n + cl.level, 0);
}
