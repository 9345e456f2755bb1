/**
 * Campaign memory, part 1: lore entities (create/show/list), the catalogue of everything a mention can name,
 * mention resolution in text, backlinks and the autocomplete. Mentions are stored in the text as
 * `@[Label](id)`; the documents' `references` turn them into `mentions` cross-references (projection rows kept
 * by the engine at every save), so backlinks are an index lookup, never a scan of journals.
 */
import { createLoreDoc, editLore, LORE_KINDS, readLore, type LoreDoc, type LoreKind } from '../docs/lore-doc';
import { readDmNotes } from '../docs/dmnotes-doc';
import { rawJson } from '../docs/doc-type';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { dmNotesStorageId } from '../live/types';
import type { CampaignsService } from '../services/campaigns';
import type { Engine, Located } from '../services/engine';
import { DocSession } from '../store/doc-session';
import { writeDmNotesEntry } from './dm-notes';
import type { SearchMemory } from './search';
import { createAutocomplete, fold, matchEntity, type NamedEntity, type Suggestion } from './fuzzy';
import { formatMention, parseMentions, plainText, replaceTokens, type MentionToken } from './mention-syntax';

export interface NewEntityInput {
  kind: string;
  name: string;
  aliases?: string[];
  tags?: string[];
  text?: string;
  session?: number;
  /** The DM-only part, written to the campaign's `dmnotes` document. */
  dmText?: string;
}

export interface EntityRow {
  id: string;
  campaign: string;
  /** `lore`, `character` or `item`. */
  entity: string;
  kind: string | null;
  name: string;
  aliases: string[];
  tags: string[];
}

export interface Backlink {
  journalId: string;
  title: string;
  snippet: string;
  /** `journal` (public), `private` (a DM-only journal) or `lore` (another entity's page). */
  from: 'journal' | 'private' | 'lore';
  session?: number;
  createdAt: number;
}

export interface EntityView extends EntityRow {
  text: string;
  session?: number;
  /** The DM-only part; present only where this data folder holds the campaign's DM notes. */
  dm?: { text: string; tags: string[] };
  /**
   * An NPC stub's build, where this data folder holds the DM notes (the link lives there): the npc character
   * holding it, or null when the stub has none yet. Absent for players and for other kinds.
   */
  build?: { characterId: string } | null;
  backlinks: Backlink[];
  /** Typed relations to and from it (kept in the DM notes: present only where they are readable). */
  relations?: EntityRelation[];
  /** Where it appears, by session: the sessions of the journals mentioning it (and its own, for an event). */
  timeline: { session: number; journalId: string; title: string; snippet: string }[];
}

export interface EntityRelation {
  id: string;
  type: string;
  /** `out`: this entity → other; `in`: other → this entity. */
  direction: 'out' | 'in';
  other: { id: string; name: string; kind: string | null };
  attitude?: number;
  since?: number;
  until?: number;
}

/** An NPC stub (a lore document of kind npc) and, on the DM's side, the npc character holding its build. */
export interface NpcStub {
  id: string;
  campaign: string;
  name: string;
  aliases: string[];
  tags: string[];
  text: string;
  /** Null when the stub has no build yet, or when this data folder cannot know (no DM notes: a player's). */
  characterId: string | null;
  /** Whether this data folder holds the campaign's DM notes (where the link lives). */
  dmSide: boolean;
}

type DmLorePart = { text: string; tags: string[]; build?: { characterId: string } | undefined };

export interface MentionRef {
  id: string;
  name: string;
  kind: string | null;
}

export interface PreparedText {
  text: string;
  mentions: MentionRef[];
  /** Stubs created for `@[Name](new:kind)`. */
  created: MentionRef[];
}

const MENTIONABLE = ['lore', 'character', 'item'] as const;

function kindError(kind: string): CoreError {
  return new CoreError('invalid-input', `kind: "${kind}" is not one of ${LORE_KINDS.join(', ')}`);
}

export function isLoreKind(kind: string): kind is LoreKind {
  return (LORE_KINDS as readonly string[]).includes(kind);
}

/** The sentence of `text` holding position `at`, as plain text, at most `max` characters around it. */
export function snippetAround(text: string, at: number, max = 160): string {
  const before = text.slice(0, at);
  const after = text.slice(at);
  const s = Math.max(
    before.lastIndexOf('. '),
    before.lastIndexOf('\n'),
    before.lastIndexOf('! '),
    before.lastIndexOf('? '),
  );
  const startAt = s < 0 ? 0 : s + 2;
  const endRel = after.search(/[.!?](\s|$)|\n/);
  const endAt = endRel < 0 ? text.length : at + endRel + 1;
  let out = plainText(text.slice(startAt, endAt)).trim();
  if (out.length > max) out = `${out.slice(0, max - 1)}…`;
  return out;
}

export function createEntityMemory(engine: Engine, campaigns: CampaignsService, search: SearchMemory) {
  async function readLoreDoc(loc: Located): Promise<LoreDoc> {
    const session = await DocSession.open(loc.store, loc.id, loc.defaultBranch);
    try {
      return readLore(session.doc);
    } finally {
      session.dispose();
    }
  }

  async function readJson(loc: Located): Promise<JsonObject> {
    const session = await DocSession.open(loc.store, loc.id, loc.defaultBranch);
    try {
      return rawJson(session.doc);
    } finally {
      session.dispose();
    }
  }

  /** The campaign's DM notes `lore` part, or null when this data folder does not hold them. */
  async function dmParts(campaignId: string): Promise<Record<string, DmLorePart> | null> {
    if (!(await engine.library.home(dmNotesStorageId(campaignId)))) return null;
    const notes = await campaigns.dmNotes(campaignId);
    return notes.lore ?? {};
  }

  async function writeDmPart(campaignId: string, id: string, part: DmLorePart): Promise<void> {
    await writeDmNotesEntry(engine, campaigns, campaignId, 'lore', id, {
      text: part.text,
      tags: part.tags,
      ...(part.build ? { build: { characterId: part.build.characterId } } : {}),
    });
    buildLinks.delete(campaignId);
  }

  /**
   * NPC stub → the npc character holding its build, from the DM notes (null where this folder holds none: a
   * player's). Kept per campaign until the DM notes' projection row changes (its head or last save).
   */
  const buildLinks = new Map<string, { key: string; links: Map<string, string> }>();
  async function npcBuildLinks(campaignId: string): Promise<Map<string, string> | null> {
    const notesId = dmNotesStorageId(campaignId);
    if (!(await engine.library.home(notesId))) return null;
    const store = await engine.campaignStore(campaignId);
    const row = await store.db
      .selectFrom('entities')
      .select(['head', 'updated_at'])
      .where('id', '=', notesId)
      .executeTakeFirst();
    const key = row ? `${row.head ?? ''}|${row.updated_at}` : 'none';
    const cached = buildLinks.get(campaignId);
    if (cached && cached.key === key) return cached.links;
    const links = new Map<string, string>();
    for (const [stubId, part] of Object.entries((await dmParts(campaignId)) ?? {}))
      if (part.build) links.set(stubId, part.build.characterId);
    buildLinks.set(campaignId, { key, links });
    return links;
  }

  /**
   * Every entity a mention in this campaign can name: its lore, characters and items (read from the search
   * index's stored fields, kept up to date incrementally, so no document is opened), and its roster members kept
   * in the library.
   */
  async function catalogue(campaignId: string): Promise<EntityRow[]> {
    await campaigns.get(campaignId);
    const ci = await search.indexFor(campaignId);
    // A stub's build is the stub's own mechanics, not a second entity of the same name (mentions, lists and the
    // graph name the stub).
    const builds = new Set((await npcBuildLinks(campaignId))?.values() ?? []);
    const out: EntityRow[] = [];
    for (const id of ci.indexed.keys()) {
      if (builds.has(id)) continue;
      const f = ci.index.getStoredFields(id);
      const entity = f?.['entity'];
      if (!f || typeof entity !== 'string' || !(MENTIONABLE as readonly string[]).includes(entity)) continue;
      const list = (v: unknown, sep: string) =>
        typeof v === 'string' && v
          ? v
              .split(sep)
              .map((x) => x.trim())
              .filter(Boolean)
          : [];
      out.push({
        id,
        campaign: campaignId,
        entity,
        kind: String(f['kind']),
        name: String(f['name']),
        aliases: entity === 'lore' ? list(f['aliases'], '|') : [],
        tags: entity === 'lore' ? list(f['tags'], '|') : [],
      });
    }
    const seen = new Set(out.map((e) => e.id));
    // Roster members kept in the library (characters imported without a campaign).
    for (const id of await campaigns.memberIds(campaignId)) {
      if (seen.has(id)) continue;
      const home = await engine.library.home(id);
      if (!home || home.campaign_id === campaignId) continue;
      const other = await engine.campaignStore(home.campaign_id);
      const r = await other.db
        .selectFrom('entities')
        .select(['id', 'entity', 'kind', 'name'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (r && (MENTIONABLE as readonly string[]).includes(r.entity))
        out.push({
          id,
          campaign: home.campaign_id,
          entity: r.entity,
          kind: r.kind,
          name: r.name,
          aliases: [],
          tags: [],
        });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** When each entity was last mentioned (the mentioning document's last save), for autocomplete recency. */
  async function lastUsed(campaignId: string): Promise<Map<string, number>> {
    const store = await engine.campaignStore(campaignId);
    const rows = await store.db
      .selectFrom('xrefs')
      .innerJoin('entities', 'entities.id', 'xrefs.from_id')
      .select(['xrefs.to_id as id', (eb) => eb.fn.max('entities.updated_at').as('at')])
      .where('xrefs.relation', '=', 'mentions')
      .groupBy('xrefs.to_id')
      .execute();
    return new Map(rows.map((r) => [r.id, Number(r.at)]));
  }

  function describe(e: NamedEntity): string {
    return `${e.name} (${e.kind ?? e.entity}, ${e.id})`;
  }

  /**
   * Resolve every mention of `text` against the campaign's catalogue without writing anything: exact name or
   * alias first, then a unique fuzzy match; ambiguous or unknown names fail (all of them in one error, with the
   * candidates). `field` names the input in the error (`text`, `--text`).
   */
  async function resolve(
    campaignId: string,
    text: string,
    field = 'text',
    opts: { private?: boolean } = {},
  ): Promise<{
    tokens: MentionToken[];
    resolved: Map<MentionToken, NamedEntity | { create: LoreKind; name: string }>;
  }> {
    const tokens = parseMentions(text);
    const resolved = new Map<MentionToken, NamedEntity | { create: LoreKind; name: string }>();
    if (tokens.length === 0) return { tokens, resolved };
    const cat = await catalogue(campaignId);
    const byId = new Map(cat.map((e) => [e.id, e]));
    const prepared = cat.map((e) => ({ e, folded: [e.name, ...e.aliases].map(fold).filter(Boolean) }));
    const problems: string[] = [];
    for (const t of tokens) {
      if (t.form === 'link') {
        const e = byId.get(t.id);
        if (e) resolved.set(t, e);
        else problems.push(`${t.raw}: no entity ${t.id} in campaign ${campaignId}`);
        continue;
      }
      if (t.form === 'new') {
        if (opts.private) {
          // A stub is a lore document every player reads: created from DM-only text it would leak the name.
          problems.push(
            `${t.raw}: a private journal cannot create a stub (every player can read lore entities); create it with entity create first, or leave the name unlinked`,
          );
          continue;
        }
        if (!isLoreKind(t.kind)) {
          problems.push(`${t.raw}: cannot create a "${t.kind}" (one of ${LORE_KINDS.join(', ')})`);
          continue;
        }
        const q = fold(t.label);
        const same = prepared.filter((p) => p.e.kind === t.kind && p.folded[0] === q);
        resolved.set(t, same.length === 1 ? same[0]!.e : { create: t.kind, name: t.label.trim() });
        continue;
      }
      const q = fold(t.name);
      if (!q) {
        problems.push(`${t.raw}: empty name`);
        continue;
      }
      const exact = prepared.filter((p) => p.folded.includes(q));
      if (exact.length === 1) {
        resolved.set(t, exact[0]!.e);
        continue;
      }
      if (exact.length > 1) {
        problems.push(`${t.raw} is ambiguous: ${exact.map((p) => describe(p.e)).join('; ')}`);
        continue;
      }
      // A whole word of a name ("@Varo" for "Duke Varo"), when only one entity has it.
      const word = prepared.filter((p) => p.folded.some((l) => l.split(' ').includes(q)));
      if (word.length === 1) {
        resolved.set(t, word[0]!.e);
        continue;
      }
      const fuzzy = prepared
        .map((p) => ({ p, s: matchEntity(q, p, false) }))
        .filter((x) => x.s > 0)
        .sort((a, b) => b.s - a.s);
      if (fuzzy.length === 1) {
        resolved.set(t, fuzzy[0]!.p.e);
        continue;
      }
      if (fuzzy.length > 1) {
        problems.push(
          `${t.raw} is ambiguous: ${fuzzy
            .slice(0, 8)
            .map((x) => describe(x.p.e))
            .join('; ')}`,
        );
        continue;
      }
      const near = createAutocomplete(cat).suggest(t.name, 5);
      problems.push(
        `${t.raw}: no entity of that name${near.length ? `; closest: ${near.map((s) => `${s.name} (${s.kind ?? s.entity}, ${s.id})`).join('; ')}` : ''}`,
      );
    }
    if (problems.length)
      throw new CoreError(
        'invalid-input',
        `${field}: ${problems.join(' | ')} (write @[Name](ID) to pick one, or @[Name](new:npc) to create a stub); nothing was changed`,
      );
    return { tokens, resolved };
  }

  async function create(
    campaignId: string,
    input: NewEntityInput,
    resolvedText?: string,
  ): Promise<{ id: string }> {
    if (!isLoreKind(input.kind)) throw kindError(input.kind);
    if (typeof input.name !== 'string' || !input.name.trim())
      throw new CoreError('invalid-input', 'name: must not be empty');
    if (input.session !== undefined && (!Number.isInteger(input.session) || input.session < 0))
      throw new CoreError(
        'invalid-input',
        `session: ${String(input.session)} is not a session number (0 or more)`,
      );
    await campaigns.get(campaignId);
    const kind = input.kind;
    const text = resolvedText ?? input.text ?? '';
    const res = await engine.createEntity(
      campaignId,
      'lore',
      (doc, id, createdAt) =>
        createLoreDoc(
          doc,
          {
            id,
            createdAt,
            kind,
            name: input.name.trim(),
            aliases: (input.aliases ?? []).map((a) => a.trim()).filter(Boolean),
            tags: (input.tags ?? []).map((a) => a.trim()).filter(Boolean),
            text,
            ...(input.session !== undefined ? { session: input.session } : {}),
          },
          engine.origin('local-user'),
        ),
      { message: `${kind}: ${input.name.trim()}` },
    );
    if (input.dmText !== undefined && input.dmText !== '')
      await writeDmPart(campaignId, res.id, { text: input.dmText, tags: [] });
    return { id: res.id };
  }

  /** Change a lore entity's name, aliases, tags, text, session or DM-only part (only the fields given). */
  async function edit(
    id: string,
    input: {
      name?: string;
      aliases?: string[];
      tags?: string[];
      text?: string;
      session?: number;
      dmText?: string;
    },
  ): Promise<{ id: string }> {
    const loc = await engine.locate(id, 'lore');
    if (input.name !== undefined && !input.name.trim())
      throw new CoreError('invalid-input', 'name: must not be empty');
    const campaignId = loc.store.campaignId;
    const text = input.text !== undefined ? (await prepareText(campaignId, input.text)).text : undefined;
    const session = await engine.openForWrite(loc);
    try {
      editLore(
        session.doc,
        (json) => ({
          ...json,
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.aliases !== undefined
            ? { aliases: input.aliases.map((a) => a.trim()).filter(Boolean) }
            : {}),
          ...(input.tags !== undefined ? { tags: input.tags.map((a) => a.trim()).filter(Boolean) } : {}),
          ...(text !== undefined ? { text } : {}),
          ...(input.session !== undefined ? { session: input.session } : {}),
        }),
        engine.origin('local-user'),
      );
      await engine.commit(loc, session, { message: `edit ${input.name ?? 'entity'}` });
    } finally {
      session.close();
    }
    if (input.dmText !== undefined) {
      const current = (await dmParts(campaignId))?.[id];
      await writeDmPart(campaignId, id, {
        ...current,
        text: input.dmText,
        tags: current?.tags ?? [],
      });
    }
    return { id };
  }

  /** Resolve, create the stubs asked for, and return the text with every mention as `@[Label](id)`. */
  async function prepareText(
    campaignId: string,
    text: string,
    field = 'text',
    opts: { private?: boolean } = {},
  ): Promise<PreparedText> {
    const { tokens, resolved } = await resolve(campaignId, text, field, opts);
    const mentions = new Map<string, MentionRef>();
    const created: MentionRef[] = [];
    const stubs = new Map<string, NamedEntity>();
    const replacements: { start: number; end: number; text: string }[] = [];
    for (const t of tokens) {
      let r = resolved.get(t)!;
      if ('create' in r) {
        const key = `${r.create}|${fold(r.name)}`;
        let stub = stubs.get(key);
        if (!stub) {
          const { id } = await create(campaignId, { kind: r.create, name: r.name });
          stub = { id, name: r.name, aliases: [], entity: 'lore', kind: r.create };
          stubs.set(key, stub);
          created.push({ id, name: r.name, kind: r.create });
        }
        r = stub;
      }
      mentions.set(r.id, { id: r.id, name: r.name, kind: r.kind });
      const label = t.form === 'name' ? t.name : t.label;
      replacements.push({ start: t.start, end: t.end, text: formatMention(label, r.id) });
    }
    return { text: replaceTokens(text, replacements), mentions: [...mentions.values()], created };
  }

  async function backlinks(id: string): Promise<Backlink[]> {
    const out: Backlink[] = [];
    for (const c of await engine.library.campaigns()) {
      const store = await engine.campaignStore(c.id);
      const from = await store.db
        .selectFrom('xrefs')
        .innerJoin('docs', 'docs.id', 'xrefs.from_id')
        .select([
          'xrefs.from_id as id',
          'docs.entity as entity',
          'docs.default_branch as branch',
          'docs.created_at as createdAt',
        ])
        .where('xrefs.to_id', '=', id)
        .where('xrefs.relation', '=', 'mentions')
        .execute();
      for (const f of from) {
        const json = await readJson({
          store,
          id: f.id,
          entity: f.entity as 'journal',
          type: (await engine.locate(f.id)).type,
          defaultBranch: f.branch,
        });
        const text = typeof json['text'] === 'string' ? json['text'] : '';
        const at = Math.max(0, text.indexOf(`](${id})`));
        const header = (f.entity === 'dmnotes' ? json['journal'] : json) as JsonObject | undefined;
        const title = String(header?.['title'] ?? header?.['name'] ?? '');
        const session = header?.['session'];
        out.push({
          journalId: f.id,
          title,
          snippet: snippetAround(text, at),
          from: f.entity === 'lore' ? 'lore' : f.entity === 'dmnotes' ? 'private' : 'journal',
          ...(typeof session === 'number' ? { session } : {}),
          createdAt: f.createdAt,
        });
      }
    }
    return out.sort((a, b) => (a.session ?? -1) - (b.session ?? -1) || a.createdAt - b.createdAt);
  }

  async function relationsFor(campaignId: string, id: string): Promise<EntityRelation[] | undefined> {
    const notes = await dmNotesOf(campaignId);
    if (!notes) return undefined;
    const rels = Object.entries(notes.relations ?? {}).filter(([, r]) => r.from === id || r.to === id);
    if (rels.length === 0) return [];
    const names = new Map((await catalogue(campaignId)).map((e) => [e.id, e]));
    return rels.map(([rid, r]) => {
      const otherId = r.from === id ? r.to : r.from;
      const o = names.get(otherId);
      return {
        id: rid,
        type: r.type,
        direction: r.from === id ? 'out' : 'in',
        other: { id: otherId, name: o?.name ?? otherId, kind: o?.kind ?? null },
        ...(r.attitude !== undefined ? { attitude: r.attitude } : {}),
        ...(r.since !== undefined ? { since: r.since } : {}),
        ...(r.until !== undefined ? { until: r.until } : {}),
      };
    });
  }

  function timelineOf(links: Backlink[]): EntityView['timeline'] {
    return links
      .filter((b): b is Backlink & { session: number } => b.session !== undefined)
      .map((b) => ({ session: b.session, journalId: b.journalId, title: b.title, snippet: b.snippet }));
  }

  async function show(id: string): Promise<EntityView> {
    const loc = await engine.locate(id);
    const campaignId = loc.store.campaignId;
    if (loc.entity !== 'lore') {
      const row = await loc.store.db
        .selectFrom('entities')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || !(MENTIONABLE as readonly string[]).includes(loc.entity))
        throw new CoreError('not-found', `entity ${id}: that id is a ${loc.entity}, not an entity`);
      const links = await backlinks(id);
      const relations = await relationsFor(campaignId, id);
      return {
        id,
        campaign: campaignId,
        entity: loc.entity,
        kind: row.kind,
        name: row.name,
        aliases: [],
        tags: [],
        text: '',
        backlinks: links,
        ...(relations ? { relations } : {}),
        timeline: timelineOf(links),
      };
    }
    const d = await readLoreDoc(loc);
    const dm = await dmParts(campaignId);
    const part = dm?.[id];
    const links = await backlinks(id);
    const relations = await relationsFor(campaignId, id);
    return {
      id,
      campaign: campaignId,
      entity: 'lore',
      kind: d.kind,
      name: d.name,
      aliases: d.aliases,
      tags: d.tags,
      text: d.text,
      ...(d.session !== undefined ? { session: d.session } : {}),
      ...(dm ? { dm: part ? { text: part.text, tags: part.tags } : { text: '', tags: [] } } : {}),
      ...(dm && d.kind === 'npc'
        ? { build: part?.build ? { characterId: part.build.characterId } : null }
        : {}),
      backlinks: links,
      ...(relations ? { relations } : {}),
      timeline: timelineOf(links),
    };
  }

  async function list(campaignId: string, opts: { kind?: string } = {}): Promise<EntityRow[]> {
    const all = await catalogue(campaignId);
    const lore = all.filter((e) => e.entity === 'lore' || (e.entity === 'character' && e.kind === 'npc'));
    if (opts.kind === undefined) return all.filter((e) => e.entity === 'lore' || e.entity === 'character');
    if (!isLoreKind(opts.kind) && !['pc', 'monster'].includes(opts.kind))
      throw new CoreError(
        'invalid-input',
        `kind: "${opts.kind}" is not one of ${[...LORE_KINDS, 'pc', 'monster'].join(', ')}`,
      );
    return (opts.kind === 'npc' ? lore : all).filter((e) => e.kind === opts.kind);
  }

  /**
   * The NPC stub of this id with, on the DM's side, the character holding its build; null when the id is not a
   * lore document (a character, an item, unknown). A lore entity of another kind is refused.
   */
  async function npcStub(id: string): Promise<NpcStub | null> {
    const home = await engine.library.home(id);
    if (!home || home.entity !== 'lore') return null;
    const loc = await engine.locate(id, 'lore');
    const d = await readLoreDoc(loc);
    if (d.kind !== 'npc')
      throw new CoreError(
        'invalid-input',
        `id: ${id} (${d.name}) is a ${d.kind} entity, not a character or an NPC stub`,
      );
    const campaignId = loc.store.campaignId;
    const links = await npcBuildLinks(campaignId);
    return {
      id,
      campaign: campaignId,
      name: d.name,
      aliases: d.aliases,
      tags: d.tags,
      text: d.text,
      characterId: links?.get(id) ?? null,
      dmSide: links !== null,
    };
  }

  /** Record in the DM notes that `characterId` holds the build of NPC stub `stubId` (the stub doc is untouched). */
  async function linkBuild(stubId: string, characterId: string): Promise<void> {
    const loc = await engine.locate(stubId, 'lore');
    const campaignId = loc.store.campaignId;
    const current = (await dmParts(campaignId))?.[stubId];
    await writeDmPart(campaignId, stubId, {
      text: current?.text ?? '',
      tags: current?.tags ?? [],
      build: { characterId },
    });
  }

  async function autocomplete(campaignId: string) {
    return createAutocomplete(await catalogue(campaignId), await lastUsed(campaignId), engine.now());
  }

  async function suggest(campaignId: string, query: string, limit = 10): Promise<Suggestion[]> {
    return (await autocomplete(campaignId)).suggest(query, limit);
  }

  async function dmNotesOf(campaignId: string) {
    if (!(await engine.library.home(dmNotesStorageId(campaignId)))) return null;
    const loc = await engine.locate(dmNotesStorageId(campaignId), 'dmnotes');
    const s = await DocSession.open(loc.store, loc.id, loc.defaultBranch);
    try {
      return readDmNotes(s.doc);
    } finally {
      s.dispose();
    }
  }

  return {
    create,
    edit,
    show,
    list,
    catalogue,
    resolve,
    prepareText,
    backlinks,
    autocomplete,
    suggest,
    lastUsed,
    dmNotesOf,
    npcStub,
    npcBuildLinks,
    linkBuild,
  };
}

export type EntityMemory = ReturnType<typeof createEntityMemory>;
