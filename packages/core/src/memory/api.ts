/**
 * Campaign-memory channels of the UI bridge (`memory.*`): input schemas (spread into `inputSchemas`,
 * contract.ts) and handlers (spread into `createHandlers`). The app's journal editor, entity pages, search box and
 * graph view call these; they are the same services the CLI uses.
 */
import { derive, validate } from '@loreforge/rules-5e';
import { z } from 'zod';
import { loadSrdContent } from '../content/load-srd';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { LORE_KINDS } from '../docs/lore-doc';
import type { CharacterPipeline } from '../pipeline/index';
import {
  addNpcBuild,
  foldNpcBuildHits,
  generateNpcBuild,
  listCharacters,
  npcBuildTarget,
  npcStubCharacter,
} from './npc-build';

const id = z.string().trim().min(1, 'must not be empty').max(200);
const session = z.number().int().min(0).max(1_000_000_000);
const label = z.string().trim().min(1, 'must not be empty').max(200);

export const memoryInputSchemas = {
  'memory.entities': z.object({ campaign: id, kind: z.string().max(40).optional() }),
  'memory.entity': z.object({ id }),
  'memory.createEntity': z.object({
    campaign: id,
    kind: z.enum(LORE_KINDS),
    name: label,
    aliases: z.array(label).max(50).default([]),
    tags: z.array(label).max(100).default([]),
    text: z.string().max(200_000).optional(),
    session: session.optional(),
    dmText: z.string().max(200_000).optional(),
  }),
  'memory.mentions': z.object({ id }),
  'memory.suggest': z.object({
    campaign: id,
    query: z.string().max(200),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  'memory.prepareText': z.object({
    campaign: id,
    text: z.string().max(200_000),
    private: z.boolean().default(false),
  }),
  'memory.search': z.object({
    campaign: id,
    query: z.string().trim().min(1, 'must not be empty').max(500),
    kind: z.string().max(40).optional(),
    session: session.optional(),
    author: z.string().max(200).optional(),
    srd: z.boolean().default(false),
    limit: z.number().int().min(1).max(200).default(20),
  }),
  'memory.relate': z.object({
    from: id,
    to: id,
    type: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case slug (a-z, 0-9, -)'),
    attitude: z.number().int().min(-100).max(100).optional(),
    since: session.optional(),
    until: session.optional(),
  }),
  'memory.neighbors': z.object({
    id,
    depth: z.number().int().min(1).max(6).default(1),
    at: session.optional(),
  }),
  'memory.path': z.object({ from: id, to: id, at: session.optional() }),
  'memory.central': z.object({
    campaign: id,
    top: z.number().int().min(1).max(1000).default(10),
    at: session.optional(),
  }),
  'memory.communities': z.object({ campaign: id, at: session.optional() }),
  'memory.graphView': z.object({ campaign: id, at: session.optional() }),
  'memory.consolidate': z.object({ campaign: id, session }),
  /** An NPC stub as a character: its build's character on the DM's side, else the public stub. */
  'memory.npc': z.object({ id }),
  /** Give an NPC stub a build (DM only): `build` is what `characters.import` takes; `replace` edits an existing one. */
  'memory.npcBuild': z.object({ id, build: z.unknown(), replace: z.boolean().default(false) }),
  /**
   * Generate an NPC stub's build and link it (DM only), in one call: the app's character-creation pipeline, the
   * stub's name and page as the concept; the build is finalized (no draft is left) and named after the stub.
   */
  'memory.npcGenerate': z.object({
    id,
    level: z.number().int().min(1).max(20).optional(),
    seed: z
      .number()
      .int()
      .min(-(2 ** 31))
      .max(2 ** 31 - 1)
      .optional(),
  }),
  /** Characters of a campaign with its NPC stubs (once each; a stub with a build carries its characterId). */
  'memory.npcs': z.object({ campaign: id, kind: z.enum(['pc', 'npc', 'monster']).optional() }),
};

type In<C extends keyof typeof memoryInputSchemas> = z.output<(typeof memoryInputSchemas)[C]>;

const at = (s: number | undefined) => (s !== undefined ? { session: s } : {});

export interface MemoryHandlerDeps {
  /** The host's character-creation pipeline (its provider routing), for `memory.npcGenerate`. */
  pipeline: () => Promise<CharacterPipeline>;
  /** Told of each character a handler creates (hosts emit `characters.changed`). */
  characterCreated?: (id: string) => void;
}

export function createMemoryHandlers(core: Core, deps: MemoryHandlerDeps) {
  const m = core.memory;
  return {
    'memory.entities': ({ campaign, kind }: In<'memory.entities'>) =>
      m.entities.list(campaign, kind !== undefined ? { kind } : {}),
    'memory.entity': ({ id }: In<'memory.entity'>) => m.entities.show(id),
    'memory.createEntity': async ({
      campaign,
      text,
      session: s,
      dmText,
      ...rest
    }: In<'memory.createEntity'>) => {
      const prepared = text !== undefined ? await m.entities.prepareText(campaign, text) : undefined;
      return m.entities.create(
        campaign,
        { ...rest, ...(s !== undefined ? { session: s } : {}), ...(dmText !== undefined ? { dmText } : {}) },
        prepared?.text,
      );
    },
    'memory.mentions': async ({ id }: In<'memory.mentions'>) =>
      (await m.entities.backlinks(id)).map(({ createdAt: _c, ...b }) => b),
    'memory.suggest': ({ campaign, query, limit }: In<'memory.suggest'>) =>
      m.entities.suggest(campaign, query, limit),
    'memory.prepareText': ({ campaign, text, private: isPrivate }: In<'memory.prepareText'>) =>
      m.entities.prepareText(campaign, text, 'text', { private: isPrivate }),
    'memory.search': async ({
      campaign,
      query,
      kind,
      session: s,
      author,
      srd,
      limit,
    }: In<'memory.search'>) => {
      const res = await m.search.search(campaign, query, {
        ...(kind !== undefined ? { kind } : {}),
        ...(s !== undefined ? { session: s } : {}),
        ...(author !== undefined ? { author } : {}),
        srd,
        limit,
      });
      return { ...res, hits: await foldNpcBuildHits(core, campaign, res.hits) };
    },
    'memory.relate': ({ attitude, since, until, ...rest }: In<'memory.relate'>) =>
      m.graph.relate({
        ...rest,
        ...(attitude !== undefined ? { attitude } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
      }),
    'memory.neighbors': ({ id, depth, at: s }: In<'memory.neighbors'>) =>
      m.graph.neighbors(id, { depth, ...at(s) }),
    'memory.path': ({ from, to, at: s }: In<'memory.path'>) => m.graph.path(from, to, at(s)),
    'memory.central': ({ campaign, top, at: s }: In<'memory.central'>) =>
      m.graph.central(campaign, { top, ...at(s) }),
    'memory.communities': ({ campaign, at: s }: In<'memory.communities'>) =>
      m.graph.communities(campaign, at(s)),
    'memory.graphView': ({ campaign, at: s }: In<'memory.graphView'>) => m.graph.view(campaign, at(s)),
    'memory.consolidate': ({ campaign, session: s }: In<'memory.consolidate'>) =>
      m.consolidation.consolidate(campaign, { session: s, provider: 'offline' }),
    'memory.npc': async ({ id: npcId }: In<'memory.npc'>) => {
      const npc = await npcStubCharacter(core, npcId);
      if (!npc)
        throw new CoreError(
          'invalid-input',
          `id: ${npcId} is not an NPC stub (use characters.sheet for a character)`,
        );
      const { stub, character } = npc;
      const build = character?.doc.build ?? null;
      const content = build ? loadSrdContent() : null;
      return {
        id: stub.id,
        kind: 'npc' as const,
        stub: true as const,
        name: stub.name,
        campaign: stub.campaign,
        aliases: stub.aliases,
        tags: stub.tags,
        characterId: character?.id ?? null,
        build,
        derived: build && content ? derive(build, content) : null,
        validation: build && content ? validate(build, content) : null,
      };
    },
    'memory.npcBuild': async ({ id: stubId, build, replace }: In<'memory.npcBuild'>) =>
      addNpcBuild(core, stubId, build, { replace }),
    'memory.npcGenerate': async ({ id: stubId, level, seed }: In<'memory.npcGenerate'>) => {
      // Checked before the pipeline is built (it may probe providers): an NPC stub, the DM's folder, no build yet.
      await npcBuildTarget(core, stubId);
      const res = await generateNpcBuild(core, await deps.pipeline(), stubId, {
        ...(level === undefined ? {} : { level }),
        ...(seed === undefined ? {} : { seed }),
        finalize: true,
      });
      deps.characterCreated?.(res.characterId);
      return res;
    },
    'memory.npcs': ({ campaign, kind }: In<'memory.npcs'>) =>
      listCharacters(core, { campaign, ...(kind !== undefined ? { kind } : {}) }),
  };
}
