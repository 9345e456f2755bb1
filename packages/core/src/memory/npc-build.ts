/**
 * NPC stubs and their builds. A stub is the PUBLIC part of an NPC: a lore document of kind `npc` (name, aliases,
 * page, tags) that every player receives. Its mechanics, once added, are an npc CHARACTER that lives only on the
 * DM's side (sync never sends npc characters, `api/sync.ts`), linked from the stub in the DM notes
 * (`lore[stubId].build.characterId`), never in the stub's own document. So a build added later cannot reach a
 * player: nothing shared is written.
 */
import type { Core } from '../core';
import type { CharacterDoc } from '../docs/character-doc';
import { CoreError } from '../errors';
import type { CharacterPipeline } from '../pipeline/index';
import type { NpcStub } from './entities';
import { plainText } from './mention-syntax';

export interface NpcBuildResult {
  /** The stub. */
  id: string;
  /** The DM-only npc character holding the build. */
  characterId: string;
  commit: string;
  /** True when an existing build was replaced (edited in place, its history kept). */
  replaced: boolean;
  warnings: string[];
}

/** A stub's character view: its build's character on the DM's side, else the public stub alone. */
export type NpcStubCharacter =
  | { stub: NpcStub; character: null }
  | {
      stub: NpcStub;
      character: { id: string; branch: string; commit: string; doc: CharacterDoc };
    };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The stub `stubId`, checked as a target for a build: an NPC stub, in a campaign this data folder is the DM of
 * (a local campaign or a DM membership), with no build yet unless `replace`.
 */
export async function npcBuildTarget(
  core: Core,
  stubId: string,
  opts: { replace?: boolean } = {},
): Promise<NpcStub> {
  const stub = await core.memory.entities.npcStub(stubId);
  if (!stub)
    throw new CoreError(
      'invalid-input',
      `id: ${stubId} is not an NPC stub (a lore entity of kind npc); a character already has its own build`,
    );
  const m = await core.campaigns.membership(stub.campaign);
  if (m && m.role !== 'dm')
    throw new CoreError(
      'read-only',
      `id: ${stubId} (${stub.name}): this data folder is a ${m.role}'s copy of campaign ${stub.campaign} (user ${m.user}); an NPC's build lives only in the DM's data folder (it is never sent to players); nothing was changed`,
    );
  if (stub.characterId && !opts.replace)
    throw new CoreError(
      'conflict',
      `id: ${stubId} (${stub.name}) already has a build (character ${stub.characterId}); pass --replace to replace it, or change it with character edit ${stub.characterId}; nothing was changed`,
    );
  return stub;
}

/**
 * Give NPC stub `stubId` a build: `input` is what `character import` takes (a build, or `{ build, narrative? }`),
 * imported as a DM-only npc character of the stub's campaign and linked from the DM notes. With `replace`, an
 * existing build is replaced in place (a commit on its character, history kept); without it a second call is
 * refused.
 */
export async function addNpcBuild(
  core: Core,
  stubId: string,
  input: unknown,
  opts: { replace?: boolean } = {},
): Promise<NpcBuildResult> {
  if (!isObject(input))
    throw new CoreError('invalid-input', 'build: must be a JSON object (a build, or { build, narrative })');
  if (input['kind'] !== undefined && input['kind'] !== 'npc')
    throw new CoreError(
      'invalid-input',
      `kind: an NPC stub's build is a character of kind npc, not "${String(input['kind'])}"`,
    );
  if ('creature' in input && !('build' in input))
    throw new CoreError(
      'invalid-input',
      'build: a stat block alone is not a build; give a build, or { build, creature?, narrative? }',
    );
  const stub = await npcBuildTarget(core, stubId, opts);
  if (stub.characterId) {
    const build = 'build' in input ? input['build'] : input;
    const res = await core.characters.edit(stub.characterId, {
      set: [{ path: '/build', value: build as never }],
      message: `replace the build of NPC ${stub.name}`,
    });
    return {
      id: stubId,
      characterId: stub.characterId,
      commit: res.commit,
      replaced: true,
      warnings: res.warnings,
    };
  }
  const res = await core.characters.import(
    { ...input, kind: 'npc' },
    { campaign: stub.campaign, message: `build of NPC ${stub.name}` },
  );
  await core.memory.entities.linkBuild(stubId, res.id);
  return { id: stubId, characterId: res.id, commit: res.commit, replaced: false, warnings: res.warnings };
}

/** Link an npc character already made (e.g. by the generation pipeline) as the build of stub `stubId`. */
export async function linkNpcBuild(core: Core, stubId: string, characterId: string): Promise<void> {
  const stub = await npcBuildTarget(core, stubId);
  const view = await core.characters.showAny(characterId);
  if (view.doc.kind !== 'npc')
    throw new CoreError(
      'invalid-input',
      `character ${characterId} is a ${view.doc.kind}; an NPC stub's build is a character of kind npc`,
    );
  const rows = await core.characters.list({ campaign: stub.campaign });
  if (!rows.some((r) => r.id === characterId))
    throw new CoreError(
      'invalid-input',
      `character ${characterId} is not in campaign ${stub.campaign} (the stub's campaign)`,
    );
  await core.memory.entities.linkBuild(stubId, characterId);
}

/** What `generateNpcBuild` made: the stub, its new build's character, the last commit and the branch it is on. */
export interface GeneratedNpcBuild {
  id: string;
  characterId: string;
  commit: string;
  branch: string;
}

/** The concept the generator gets for a stub: its name and page in plain words, at most 2,000 characters. */
export function npcBuildConcept(name: string, page: string): string {
  const p = plainText(page).trim();
  return `${name}${p ? `: ${p}` : ''}`.slice(0, 2000);
}

/**
 * Generate a build for NPC stub `stubId` and link it (DM only), in one call: the stub is checked first (an NPC
 * stub, this folder is its campaign's DM, no build yet; nothing is asked of a model otherwise), then `pipeline`
 * makes an npc character of the stub's campaign from the stub's name and page, the build takes the stub's name
 * (the name players know) and is linked from the DM notes. The character is saved on its `draft` branch, as
 * `createDraft` leaves it; with `finalize` it is merged into `main` and tagged `baseline` (so no draft is left
 * in a drafts list). No other character is stored.
 */
export async function generateNpcBuild(
  core: Core,
  pipeline: CharacterPipeline,
  stubId: string,
  opts: { level?: number; seed?: number; finalize?: boolean } = {},
): Promise<GeneratedNpcBuild> {
  const stub = await npcBuildTarget(core, stubId);
  const r = await pipeline.createDraft({
    concept: npcBuildConcept(stub.name, stub.text),
    kind: 'npc',
    campaignId: stub.campaign,
    ...(opts.level === undefined ? {} : { level: opts.level }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
  });
  if (r.id === null || r.commit === null || r.branch === null)
    throw new CoreError('invalid-input', 'generate: the pipeline saved no character; nothing was linked');
  const characterId = r.id;
  let commit = r.commit;
  let branch = r.branch;
  if (r.build && r.build.name !== stub.name)
    commit = (
      await core.characters.edit(characterId, {
        branch,
        set: [{ path: '/build/name', value: stub.name }],
        message: `name it ${stub.name} (the NPC stub's name)`,
      })
    ).commit;
  if (opts.finalize) {
    commit = (await pipeline.finalize(characterId)).commit;
    branch = 'main';
  }
  await linkNpcBuild(core, stubId, characterId);
  return { id: stubId, characterId, commit, branch };
}

/**
 * `character show` on an id that is an NPC stub: the stub, and on the DM's side the character holding its build
 * (null when it has none, or on a player's side). Null when `id` is not a lore document.
 */
export async function npcStubCharacter(
  core: Core,
  id: string,
  opts: { ref?: string } = {},
): Promise<NpcStubCharacter | null> {
  const stub = await core.memory.entities.npcStub(id);
  if (!stub) return null;
  if (!stub.characterId) return { stub, character: null };
  const v = await core.characters.showAny(stub.characterId, opts.ref ? { ref: opts.ref } : {});
  return { stub, character: v };
}

/** A row of `character list` with NPC stubs: a stub has `stub: true` and `build` (null, or its character). */
export interface CharacterListRow {
  id: string;
  name: string;
  kind: string;
  campaign: string | null;
  branch: string | null;
  commit: string | null;
  stub?: true;
  build?: { characterId: string } | null;
}

/**
 * Characters of a campaign (or of every campaign), optionally of one kind. Listing a campaign with no kind or
 * kind npc adds its NPC stubs: once each, under the stub's id; a stub with a build carries
 * `build: { characterId }` and its character's branch and commit, and that character is not listed again.
 */
export async function listCharacters(
  core: Core,
  opts: { campaign?: string; kind?: string } = {},
): Promise<CharacterListRow[]> {
  const KINDS = ['pc', 'npc', 'monster'];
  if (opts.kind !== undefined && !KINDS.includes(opts.kind))
    throw new CoreError('invalid-input', `kind: "${opts.kind}" is not one of ${KINDS.join(', ')}`);
  let rows: CharacterListRow[] = (
    await core.characters.list(opts.campaign ? { campaign: opts.campaign } : {})
  ).filter((r) => opts.kind === undefined || r.kind === opts.kind);
  if (!opts.campaign || (opts.kind !== undefined && opts.kind !== 'npc')) return rows;
  const campaign = opts.campaign;
  const links = (await core.memory.entities.npcBuildLinks(campaign)) ?? new Map<string, string>();
  const linked = new Set(links.values());
  const byId = new Map(rows.map((r) => [r.id, r]));
  rows = rows.filter((r) => !linked.has(r.id));
  const stubs = (await core.memory.entities.list(campaign, { kind: 'npc' })).filter(
    (e) => e.entity === 'lore',
  );
  for (const s of stubs) {
    const characterId = links.get(s.id);
    const c = characterId ? byId.get(characterId) : undefined;
    rows.push({
      id: s.id,
      name: s.name,
      kind: 'npc',
      campaign,
      branch: c?.branch ?? null,
      commit: c?.commit ?? null,
      stub: true,
      build: characterId ? { characterId } : null,
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Search hits with each NPC stub once: a hit on a stub's build (its character, found on the DM's side by name or
 * narrative) becomes a hit on the stub (id and name), kept once at the better score. Order is kept otherwise.
 */
export async function foldNpcBuildHits<H extends { id: string; name: string; score: number }>(
  core: Core,
  campaign: string,
  hits: readonly H[],
): Promise<H[]> {
  const links = await core.memory.entities.npcBuildLinks(campaign);
  if (!links || links.size === 0) return [...hits];
  const stubOf = new Map([...links].map(([stub, character]) => [character, stub]));
  const names = new Map<string, string>();
  for (const h of hits) if (links.has(h.id)) names.set(h.id, h.name);
  const out: H[] = [];
  const at = new Map<string, number>();
  for (const h of hits) {
    const stub = stubOf.get(h.id);
    let hit = h;
    if (stub) {
      const name = names.get(stub) ?? (await core.memory.entities.npcStub(stub))?.name ?? h.name;
      names.set(stub, name);
      hit = { ...h, id: stub, name };
    }
    const seen = at.get(hit.id);
    if (seen === undefined) {
      at.set(hit.id, out.length);
      out.push(hit);
    } else if (hit.score > out[seen]!.score) out[seen] = { ...out[seen]!, score: hit.score };
  }
  return out;
}
