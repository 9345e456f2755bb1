/** Characters (pc, npc, monster): import, show, list, edit by JSON pointer, theme changes, death and return. */
import { BuildSchema, CreatureSchema, type Build, type Content } from '@loreforge/rules-5e';
import { z } from 'zod';
import { loadSrdContent } from '../content/load-srd';
import {
  CharacterDocSchema,
  CharacterElementSchema,
  CharacterKindSchema,
  characterName,
  createCharacterDoc,
  GenerationProvenanceSchema,
  hasBuild,
  editCharacter,
  NarrativeSchema,
  readCharacter,
  totalLevel,
  type BuildCharacterDoc,
  type CharacterDoc,
  type CharacterKind,
  type NewCharacter,
} from '../docs/character-doc';
import { setJsonPointer, type Json, type JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { checkBuild, formatFindings, newFindings, uuidStrings, type BuildFinding } from '../input/build-gate';
import { assertJsonWithinLimits, ENTITY_ID_PATTERN } from '../input/limits';
import type { CampaignsService } from './campaigns';
import type { Engine, TagKind } from './engine';
import { importError, importTarget, listEntityRows, nameSlug } from './entity-common';
import { refJson, type HistoryService } from './history';

const importExtras = {
  narrative: NarrativeSchema.partial().optional(),
  kind: CharacterKindSchema.optional(),
  elements: z.array(CharacterElementSchema).optional(),
  provenance: GenerationProvenanceSchema.optional(),
};

/**
 * A build, optionally with `narrative` and `kind`; or `{ build, creature?, narrative?, kind?, elements?,
 * provenance? }`; or a stat-block creature `{ creature, kind: npc|monster, … }` (no build).
 */
export const CharacterImportSchema = z.union([
  z.object({ build: BuildSchema, creature: CreatureSchema.optional(), ...importExtras }),
  BuildSchema.extend({
    narrative: NarrativeSchema.partial().optional(),
    kind: CharacterKindSchema.optional(),
  }),
  z.object({ creature: CreatureSchema, ...importExtras }),
]);

export interface CharacterRow {
  id: string;
  name: string;
  kind: CharacterKind;
  /** The campaign whose file holds the character (null: the library). */
  campaign: string | null;
  branch: string;
  commit: string | null;
}

export interface CharacterView<D extends CharacterDoc = BuildCharacterDoc> {
  id: string;
  /** The branch asked for, or (for a commit or tag ref) the branch the commit was made on. */
  branch: string;
  commit: string;
  doc: D;
}

export interface SetOp {
  path: string;
  /** `undefined` removes the key or array element. */
  value: Json | undefined;
}

export interface CharactersService {
  /**
   * Refuses (`invalid-input`, every finding on its own line) a build with a class level outside 1–20, a total
   * level above 20, a score outside 1–30 or an id that is neither content nor the character's custom content;
   * other rule findings come back as `warnings` (`"/build/…: reason"`) and the import goes through.
   */
  import(
    input: unknown,
    opts?: { campaign?: string; author?: string; message?: string },
  ): Promise<{ id: string; branch: string; commit: string; warnings: string[] }>;
  /**
   * A character that has a build (every pc; npcs and monsters made from a build). A stat-block-only creature
   * is refused (`invalid-input`); use `showAny` for those.
   */
  show(id: string, opts?: { ref?: string }): Promise<CharacterView>;
  /** Any character document: with a build, a stat block (`creature`), or both. */
  showAny(id: string, opts?: { ref?: string }): Promise<CharacterView<CharacterDoc>>;
  list(opts?: { campaign?: string }): Promise<CharacterRow[]>;
  /** The same gate as `import`, counting only findings the edit introduces (old ones never block an edit). */
  edit(
    id: string,
    opts: { branch?: string; set: SetOp[]; message?: string; author?: string; kind?: 'local-user' | 'llm' },
  ): Promise<{ commit: string; tags: string[]; warnings: string[] }>;
  /** New theme, written into the live branch; `theme/<slug>` records where it began; the theme joins the history. */
  changeTheme(
    id: string,
    theme: string,
    opts?: { author?: string },
  ): Promise<{ branch: string; commit: string; themeBranch: string }>;
  /** Death: a commit marking the character dead, tagged as a memorial. */
  recordDeath(
    id: string,
    opts?: { cause?: string; author?: string },
  ): Promise<{ commit: string; tag: string }>;
  /** Resurrection continues on the live branch (the memorial tag stays on the death commit); `resurrected` records it. */
  resurrect(
    id: string,
    opts?: { author?: string; message?: string },
  ): Promise<{ branch: string; commit: string; recordBranch: string }>;
}

type CharacterShape = Omit<NewCharacter, 'id' | 'createdAt'>;

/**
 * The parsed import → the new document's fields. Kind defaults to `pc` with a build and `monster` for a bare
 * stat block; the document schema then checks the combination (a pc needs a build).
 */
function toNewCharacter(data: z.output<typeof CharacterImportSchema>): CharacterShape {
  if ('build' in data) {
    const { build, creature, kind, ...extras } = data;
    return { ...extras, kind: kind ?? 'pc', build, ...(creature ? { creature } : {}) } as CharacterShape;
  }
  if ('creature' in data) {
    const { creature, kind, ...extras } = data;
    return { ...extras, kind: kind ?? 'monster', creature } as CharacterShape;
  }
  const { narrative, kind, ...build } = data;
  return { kind: kind ?? 'pc', build, ...(narrative ? { narrative } : {}) };
}

/** The build gate on a whole document JSON: refusals and warnings for its build (none without a build). */
function gateDoc(
  json: unknown,
  content: () => Content,
  storedItems: ReadonlySet<string>,
): { refusals: BuildFinding[]; warnings: BuildFinding[] } {
  const parsed = CharacterDocSchema.safeParse(json);
  if (!parsed.success || !parsed.data.build) return { refusals: [], warnings: [] };
  return checkBuild(parsed.data.build, content(), parsed.data.elements, '/build', storedItems);
}

function refuseBuild(what: string, refusals: readonly BuildFinding[]): never {
  throw new CoreError(
    'invalid-input',
    `${what}: the build is not valid; nothing was saved\n${formatFindings(refusals)}`,
  );
}

const findingLines = (f: readonly BuildFinding[]) => f.map((x) => `${x.path}: ${x.message}`);

export function createCharactersService(
  engine: Engine,
  campaigns: CampaignsService,
  history: HistoryService,
  content: () => Content = () => loadSrdContent(),
): CharactersService {
  async function editOn(
    id: string,
    branch: string | undefined,
    change: (json: JsonObject) => JsonObject,
    opts: {
      message: string;
      author?: string;
      kind?: 'local-user' | 'llm';
      tags?: { name: string; kind: TagKind }[];
    },
  ) {
    const loc = await engine.locate(id, 'character');
    const session = await engine.openBranch(loc, branch ?? loc.defaultBranch);
    try {
      const before = readCharacter(session.doc);
      const after = editCharacter(session.doc, change, engine.origin(opts.kind ?? 'local-user', opts.author));
      const tags = [...(opts.tags ?? [])];
      const lvl = totalLevel(after);
      if (lvl > totalLevel(before))
        tags.push({ name: await engine.freeTagName(loc, `level-${lvl}`), kind: 'level-up' });
      const commit = await engine.commit(loc, session, {
        message: opts.message,
        ...(opts.author !== undefined ? { author: opts.author } : {}),
        tags,
      });
      return { commit, tags: tags.map((t) => t.name), doc: after };
    } finally {
      session.close();
    }
  }

  /** The UUID-shaped strings of `value` that name an item stored in this data folder. */
  async function storedItemsIn(value: unknown): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of uuidStrings(value, ENTITY_ID_PATTERN)) {
      if ((await engine.library.home(id))?.entity === 'item') found.add(id);
    }
    return found;
  }

  return {
    async import(input, opts = {}) {
      assertJsonWithinLimits(input, 'character');
      const parsed = CharacterImportSchema.safeParse(input);
      if (!parsed.success) {
        // Report against the form the file is trying to be: `{ build, … }`, `{ creature, … }`, else a plain
        // build (what most files are).
        const obj = typeof input === 'object' && input !== null ? input : {};
        const form = 'build' in obj ? 0 : 'creature' in obj ? 2 : 1;
        throw importError('character', parsed.error, form);
      }
      const data = parsed.data;
      const shape = toNewCharacter(data);
      let warnings: BuildFinding[] = [];
      if (shape.build) {
        const stored = await storedItemsIn((shape.build as Build).equipment);
        const gate = checkBuild(shape.build as Build, content(), shape.elements, '/build', stored);
        if (gate.refusals.length) refuseBuild('character', gate.refusals);
        warnings = gate.warnings;
      }
      const { campaignId, author } = await importTarget(engine, campaigns, opts);
      const res = await engine.createEntity(
        campaignId,
        'character',
        (doc, id, createdAt) =>
          createCharacterDoc(
            doc,
            { id, createdAt, ...shape } as NewCharacter,
            engine.origin('import', author),
          ),
        { message: opts.message ?? `import ${characterName(shape)}`, author },
      );
      if (opts.campaign) await campaigns.addToRoster(campaignId, res.id, { entity: 'character' });
      return { ...res, warnings: findingLines(warnings) };
    },

    async show(id, opts = {}) {
      const view = await this.showAny(id, opts);
      const doc = view.doc;
      if (!hasBuild(doc)) {
        throw new CoreError(
          'invalid-input',
          `character ${id} (${characterName(doc)}) is a ${doc.kind} with a stat block and no build; show it as a stat block`,
        );
      }
      return { ...view, doc };
    },

    async showAny(id, opts = {}) {
      const loc = await engine.locate(id, 'character');
      const r = await refJson(engine, loc, opts.ref ?? loc.defaultBranch);
      const branch = r.branch ?? (await engine.commitRow(loc, r.commit)).branch;
      return { id, branch, commit: r.commit, doc: r.json as unknown as CharacterDoc };
    },

    async list(opts = {}) {
      const rows: CharacterRow[] = (await listEntityRows(engine, campaigns, 'character', opts.campaign)).map(
        ({ row: e, campaign }) => ({
          id: e.id,
          name: e.name,
          kind: (e.kind ?? 'pc') as CharacterKind,
          campaign,
          branch: e.default_branch,
          commit: e.head,
        }),
      );
      return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },

    async edit(id, opts) {
      if (opts.set.length === 0)
        throw new CoreError('invalid-input', 'edit: give at least one --set <path>=<value>');
      for (const op of opts.set) {
        if (typeof op.path !== 'string' || op.path.length > 2_000)
          throw new CoreError('invalid-input', 'path: must be a JSON pointer of at most 2000 characters');
        if (op.value !== undefined) assertJsonWithinLimits(op.value, `value of ${op.path}`);
      }
      const stored = await storedItemsIn(opts.set.map((op) => op.value));
      let warnings: BuildFinding[] = [];
      const res = await editOn(
        id,
        opts.branch,
        (json) => {
          let next = json;
          for (const op of opts.set) {
            if (op.path === '/meta' || op.path.startsWith('/meta/')) {
              throw new CoreError('invalid-input', `path "${op.path}": document metadata cannot be edited`);
            }
            try {
              next = setJsonPointer(next, op.path, op.value);
            } catch (err) {
              throw new CoreError('invalid-input', (err as Error).message);
            }
          }
          const before = gateDoc(json, content, stored);
          const after = gateDoc(next, content, stored);
          const refused = newFindings(after.refusals, before.refusals);
          if (refused.length) refuseBuild(`character ${id}`, refused);
          warnings = [
            ...newFindings(after.warnings, before.warnings),
            ...after.refusals.filter((r) => !refused.includes(r)),
          ];
          return next;
        },
        {
          message: opts.message ?? `edit ${opts.set.map((s) => s.path).join(', ')}`,
          ...(opts.author !== undefined ? { author: opts.author } : {}),
          ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
        },
      );
      return { commit: res.commit, tags: res.tags, warnings: findingLines(warnings) };
    },

    async changeTheme(id, theme, opts = {}) {
      if (!theme.trim()) throw new CoreError('invalid-input', 'theme: must not be empty');
      const loc = await engine.locate(id, 'character');
      const from = (await loc.store.branch(id, loc.defaultBranch))?.head ?? null;
      const branch = await engine.freeBranchName(loc, `theme/${nameSlug(theme)}`);
      const tagName = await engine.freeTagName(loc, `theme-${nameSlug(theme)}`);
      // The live branch never switches (it is what syncs): the new theme is written into it as ordinary
      // operations; `theme/<slug>` stays as a local record of where the theme began.
      const res = await editOn(
        id,
        undefined,
        (json) => {
          const narrative = (json['narrative'] ?? {}) as JsonObject;
          const hist = (json['themeHistory'] ?? []) as Json[];
          return {
            ...json,
            narrative: { ...narrative, theme },
            themeHistory: [...hist, { theme, branch, from, at: engine.now() }],
          };
        },
        {
          message: `theme change: ${theme}`,
          ...(opts.author !== undefined ? { author: opts.author } : {}),
          tags: [{ name: tagName, kind: 'theme-change' }],
        },
      );
      await history.branch(id, branch, { from: res.commit });
      // `branch`: where the theme was written (the live branch); `themeBranch`: the local record.
      return { branch: loc.defaultBranch, commit: res.commit, themeBranch: branch };
    },

    async recordDeath(id, opts = {}) {
      const loc = await engine.locate(id, 'character');
      const current = await this.showAny(id);
      if (current.doc.status === 'dead') throw new CoreError('conflict', `character ${id} is already dead`);
      const tag = await engine.freeTagName(loc, `memorial-${nameSlug(characterName(current.doc))}`);
      const res = await editOn(id, undefined, (json) => ({ ...json, status: 'dead' }), {
        message: opts.cause ? `death: ${opts.cause}` : 'death',
        ...(opts.author !== undefined ? { author: opts.author } : {}),
        tags: [{ name: tag, kind: 'death' }],
      });
      return { commit: res.commit, tag };
    },

    async resurrect(id, opts = {}) {
      const loc = await engine.locate(id, 'character');
      const current = await this.showAny(id);
      if (current.doc.status !== 'dead') throw new CoreError('conflict', `character ${id} is not dead`);
      const branch = await engine.freeBranchName(loc, 'resurrected');
      const tag = await engine.freeTagName(loc, 'resurrection');
      // Written into the live branch (it syncs); `resurrected` is a local record of the return.
      const res = await editOn(id, undefined, (json) => ({ ...json, status: 'alive' }), {
        message: opts.message ?? 'resurrection',
        ...(opts.author !== undefined ? { author: opts.author } : {}),
        tags: [{ name: tag, kind: 'resurrection' }],
      });
      await history.branch(id, branch, { from: res.commit });
      return { branch: loc.defaultBranch, commit: res.commit, recordBranch: branch };
    },
  };
}
