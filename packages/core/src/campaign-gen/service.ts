/**
 * Campaign generation service (issue 13) over the store, campaign memory and the live-play encounter builder:
 * generate, check, nemesis show/evolve, prep, adapt/apply, retheme. The outline lives in the campaign's DM notes
 * (`campaignGen`); every change is written there and committed in the notes' history with what changed and why.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import type { Content } from '@loreforge/rules-5e';
import { estimateCr } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import type { Core } from '../core';
import { characterName, hasBuild, totalLevel } from '../docs/character-doc';
import { editDmNotes, readDmNotes, RelationSchema } from '../docs/dmnotes-doc';
import { readLore } from '../docs/lore-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { dmNotesStorageId, type LiveDocRef } from '../live/types';
import { createRng } from '../generation/prng';
import { checkCampaign, type CheckResult } from './check';
import { buildTiers, crStepUp, evolveChanges, makeFoe, mirror, type EvolveChange, type Foe } from './nemesis';
import { candidatesFrom, chapterEncounter, planCampaign, type PartyMember } from './plan';
import { refineOutline, type SetOp } from './refine';
import { encounterRecords } from './play-adapter';
import { chapterRefineRequest, narrate, type ObjectModel, type Provenance } from './llm';
import { adaptProposals, buildPrep, currentChapter, type PrepSheet } from './prep';
import { CampaignGenSchema, type CampaignGen, type Minion } from './schema';
import { mergeStructure, structureChanges, structureRefineRequest, type NewChapterParts } from './structure';
import { themeWords } from './words';

export interface GenerateInput {
  pitch: string;
  party: string[];
  theme?: string;
  chapters?: number;
  seed?: number;
  name?: string;
}

export interface GenerateResult {
  id: string;
  chapters: { id: string; title: string; choices: { text: string; next: string }[] }[];
  nemesis: { id: string; name: string; cr: number };
  entities: number;
}

function fail(field: string, reason: string): never {
  throw new CoreError('invalid-input', `${field}: ${reason}`);
}

export function createCampaignGen(core: Core, opts: { content?: Content; author?: string } = {}) {
  let content = opts.content;
  const srd = (): Content => (content ??= loadSrdContent());
  const origin = { kind: 'local-user' as const, author: opts.author ?? 'local' };

  const notesRef = (campaign: string): LiveDocRef => ({ campaign, kind: 'dmnotes', docId: campaign });

  async function withNotes<T>(campaign: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const h = await core.live.open(notesRef(campaign));
    try {
      return fn(h.doc);
    } finally {
      h.release();
    }
  }

  async function load(campaign: string): Promise<CampaignGen> {
    await core.campaigns.get(campaign);
    const refs = await core.live.list(campaign);
    const has = refs.some((r) => r.kind === 'dmnotes' && r.docId === campaign);
    const gen = has ? await withNotes(campaign, (d) => readDmNotes(d).campaignGen) : undefined;
    if (!gen)
      throw new CoreError('not-found', `campaign: ${campaign} has no generated outline (campaign generate)`);
    return gen;
  }

  type NotesEdit = (json: JsonObject) => JsonObject;

  /** Store the outline (with any other DM-notes changes, in the same edit) and commit the notes once. */
  async function save(
    campaign: string,
    gen: CampaignGen,
    message: string,
    also: NotesEdit[] = [],
  ): Promise<string> {
    const checked = CampaignGenSchema.parse(gen);
    await withNotes(campaign, (doc) =>
      editDmNotes(
        doc,
        (json) => ({
          ...also.reduce((j, edit) => edit(j), json),
          campaignGen: checked as unknown as JsonObject,
        }),
        origin,
      ),
    );
    await core.live.flush();
    const { commit } = await core.history.commit(dmNotesStorageId(campaign), { message });
    return commit;
  }

  async function partyMember(id: string): Promise<PartyMember> {
    let view;
    try {
      view = await core.characters.showAny(id);
    } catch {
      fail('--party', `no character ${id} in this data folder`);
    }
    const doc = view.doc;
    if (!hasBuild(doc))
      fail('--party', `${characterName(doc) || id} has no character sheet (a stat block only)`);
    const scores = doc.build.abilityScores as Record<string, number>;
    const best = Object.entries(scores).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'str';
    const types = new Set<string>();
    for (const e of doc.build.equipment) {
      const item = srd().items.get(e.item);
      if (item && item.kind === 'weapon' && e.equipped) types.add(item.damage.type);
    }
    for (const sp of doc.build.spells ?? [])
      for (const sid of [...sp.cantrips, ...sp.prepared])
        for (const t of srd().spells.get(sid)?.damage?.types ?? []) types.add(t);
    return {
      damageTypes: [...types].sort(),
      id,
      name: characterName(doc),
      level: Math.max(1, totalLevel(doc)),
      classes: doc.build.classes.map((c) => c.class),
      bonds: [...(doc.narrative.bonds ?? [])],
      best,
    };
  }

  async function importFoe(campaign: string, foe: Foe, why: string): Promise<string> {
    const res = await core.characters.import(
      {
        kind: 'npc',
        creature: foe.creature,
        narrative: { backstory: `${foe.name}, ${foe.role}.` },
      },
      { campaign, message: `${foe.tier}: ${foe.name} (CR ${foe.cr}) — ${why}` },
    );
    return res.id;
  }

  /**
   * Many relations at once: the first through campaign memory's `relate` (which creates the DM notes when
   * needed and checks both ends), the rest validated the same way and returned as one edit of the DM notes
   * (what `relate` writes, without re-reading the catalogue for each), for the caller's single notes edit.
   */
  async function relateAll(
    campaign: string,
    rels: { from: string; to: string; type: string; attitude?: number }[],
    known: Set<string>,
  ): Promise<NotesEdit> {
    const [first, ...rest] = rels;
    if (!first) return (json) => json;
    await core.memory.graph.relate({ ...first, campaign });
    const now = Date.now();
    const values: Record<string, JsonObject> = {};
    for (const r of rest) {
      if (!known.has(r.from) || !known.has(r.to) || r.from === r.to)
        throw new CoreError(
          'invalid-input',
          `relation: ${r.from} → ${r.to} does not join two campaign entities`,
        );
      const value = RelationSchema.parse({ ...r, author: origin.author, createdAt: now });
      values[randomUUID()] = value as unknown as JsonObject;
    }
    return (json) => ({ ...json, relations: { ...((json['relations'] ?? {}) as JsonObject), ...values } });
  }

  async function generate(input: GenerateInput, model: { llm?: ObjectModel } = {}): Promise<GenerateResult> {
    if (typeof input.pitch !== 'string' || !input.pitch.trim()) fail('--pitch', 'must not be empty');
    if (input.pitch.length > 2000) fail('--pitch', 'is longer than 2000 characters');
    if (!input.party.length) fail('--party', 'name at least one character');
    if (new Set(input.party).size !== input.party.length) fail('--party', 'a character is named twice');
    if (input.party.length > 8) fail('--party', 'at most 8 characters');
    const seed = input.seed ?? 1;
    if (!Number.isInteger(seed)) fail('--seed', `${seed} is not a whole number`);
    const theme = (input.theme ?? 'fantasy').trim() || 'fantasy';
    const party: PartyMember[] = [];
    for (const id of input.party) party.push(await partyMember(id));
    let plan;
    try {
      plan = planCampaign({
        pitch: input.pitch,
        theme,
        seed,
        chapters: input.chapters ?? 5,
        party,
        creatures: [...srd().creatures.values()],
      });
    } catch (e) {
      if (e instanceof Error && (e as { code?: string }).code === 'invalid-input')
        throw new CoreError('invalid-input', e.message);
      throw e;
    }
    let provenance: Provenance | undefined;
    if (model.llm) {
      // A provider failure (LlmError) propagates as it is: nothing has been written yet.
      const n = await narrate(plan, model.llm, { pitch: input.pitch.trim(), theme, seed });
      plan = n.plan;
      provenance = n.provenance;
    }
    // The foes' stat blocks too, before anything is written.
    const used = new Set([plan.setting.name, ...plan.entities.map((e) => e.name)]);
    const nameRng = createRng(input.pitch, seed, 'names');
    const names = (): string => {
      for (let i = 0; ; i++) {
        const n = `${plan.words.first[Math.floor(nameRng() * plan.words.first.length)]}${plan.words.last[Math.floor(nameRng() * plan.words.last.length)]}`;
        if (!used.has(n) || i > 40) {
          used.add(n);
          return n;
        }
      }
    };
    const foes = buildTiers(srd(), plan.words, party, plan.villainName, input.pitch, seed, names);
    // Everything checked: now write.
    const campaign = await core.campaigns.create({
      name: input.name ?? plan.setting.name,
      description: input.pitch.trim(),
    });
    const id = campaign.id;
    for (const p of party) await core.campaigns.addToRoster(id, p.id, { entity: 'character', role: 'party' });
    const keyToId = new Map<string, string>();
    const entities: CampaignGen['entities'] = [];
    await core.memory.entities
      .create(id, {
        kind: 'location',
        name: plan.setting.name,
        text: plan.setting.text,
        tags: ['campaign-gen', 'setting'],
      })
      .then((r) => entities.push({ id: r.id, kind: 'location', name: plan.setting.name, role: 'setting' }));
    for (const e of plan.entities) {
      const r = await core.memory.entities.create(id, {
        kind: e.kind,
        name: e.name,
        text: e.text,
        tags: e.tags,
        ...(e.dmText ? { dmText: e.dmText } : {}),
      });
      keyToId.set(e.key, r.id);
      entities.push({ id: r.id, kind: e.kind, name: e.name, role: e.role });
    }
    const idOf = (k: string): string => keyToId.get(k) ?? k;
    const rels: { from: string; to: string; type: string; attitude?: number }[] = plan.relations.map((r) => ({
      ...r,
      from: idOf(r.from),
      to: idOf(r.to),
    }));
    // Nemesis and its tiers, each a character with a stat block.
    const tiers: Minion[] = [];
    const villainFac = idOf('fac:0');
    for (const f of foes) {
      const cid = await importFoe(id, f, f.role);
      tiers.push({ id: cid, name: f.name, cr: f.cr, tier: f.tier, role: f.role, status: 'active' });
      entities.push({ id: cid, kind: 'npc', name: f.name, role: f.tier });
    }
    const boss = tiers[0]!;
    rels.push({ from: boss.id, to: villainFac, type: 'leads' });
    for (const t of tiers.slice(1))
      rels.push({
        from: t.id,
        to: t.tier === 'lieutenant' ? boss.id : villainFac,
        type: t.tier === 'lieutenant' ? 'serves' : 'member-of',
      });
    const mir = mirror(party, boss.name);
    for (const t of mir.threatens)
      rels.push({ from: boss.id, to: t.character, type: 'threatens', attitude: -90 });
    const relations = await relateAll(
      id,
      rels,
      new Set([...entities.map((e) => e.id), ...party.map((p) => p.id)]),
    );
    const resolveScene = <T extends { entities: string[] }>(s: T): T => ({
      ...s,
      entities: s.entities.map(idOf),
    });
    const gen: CampaignGen = {
      version: 1,
      pitch: input.pitch.trim(),
      theme,
      seed,
      party: party.map((p) => ({ id: p.id, name: p.name, level: p.level })),
      setting: plan.setting,
      entities,
      start: plan.start,
      chapters: plan.chapters.map((c) => ({ ...c, scenes: c.scenes.map(resolveScene) })),
      conclusions: plan.conclusions.map((k) => ({
        ...k,
        clues: k.clues.map((c) => ({
          ...c,
          where: { kind: c.where.kind, id: c.where.kind === 'scene' ? c.where.id : idOf(c.where.id) },
        })),
      })),
      nemesis: { id: boss.id, name: boss.name, cr: boss.cr, ...mir, tiers, evolved: [] },
      themes: [theme],
      ...(provenance ? { provenance } : {}),
      proposals: [],
    };
    // Relations, live-play encounters and the outline: one edit of the DM notes, one commit.
    const encounters = encounterRecords(gen, Date.now());
    await save(
      id,
      gen,
      `campaign generated: ${gen.chapters.length} chapters, ${entities.length} entities, nemesis ${boss.name} (CR ${boss.cr})`,
      encounters ? [relations, encounters] : [relations],
    );
    return {
      id,
      chapters: gen.chapters.map((c) => ({ id: c.id, title: c.title, choices: c.choices })),
      nemesis: { id: boss.id, name: boss.name, cr: boss.cr },
      entities: entities.length,
    };
  }

  async function check(campaign: string): Promise<CheckResult> {
    return checkCampaign(await load(campaign));
  }

  /** The campaign holding a nemesis (by campaign id or by any foe's character id). */
  async function campaignOfNemesis(id: string): Promise<string> {
    const list = await core.campaigns.list();
    if (list.some((c) => c.id === id)) return id;
    for (const c of list) {
      if (c.isLibrary) continue;
      try {
        const g = await load(c.id);
        if (g.nemesis.tiers.some((t) => t.id === id)) return c.id;
      } catch {
        /* not a generated campaign */
      }
    }
    throw new CoreError('not-found', `<id>: ${id} is neither a generated campaign nor one of its foes`);
  }

  async function nemesisShow(id: string) {
    const campaign = await campaignOfNemesis(id);
    const gen = await load(campaign);
    const tiers = [];
    for (const t of gen.nemesis.tiers) {
      const view = await core.characters.showAny(t.id);
      const creature = view.doc.creature;
      const cr = creature ? estimateCr(creature, { spells: srd().spells }).cr : t.cr;
      tiers.push({ ...t, cr, ...(creature ? { ac: creature.ac, hp: creature.hp.average } : {}) });
    }
    return { campaign, ...gen.nemesis, cr: tiers[0]?.cr ?? gen.nemesis.cr, tiers };
  }

  async function journalsOf(campaign: string, session: number) {
    const rows = (await core.journals.list(campaign)).filter((j) => j.session === session);
    const out = [];
    for (const r of rows) {
      const j = await core.journals.show(r.id);
      out.push({ id: j.id, title: j.title, text: j.text });
    }
    return out;
  }

  /**
   * The session's consolidation (memory's session summary note, `journal consolidate`), as one more text to
   * read: its summary and key events, cited by the note's id. Null when the session was not consolidated.
   */
  async function summaryOf(
    campaign: string,
    session: number,
  ): Promise<{ id: string; title: string; text: string } | null> {
    for (const row of await core.memory.entities.list(campaign, { kind: 'note' })) {
      if (!row.tags.includes('session-summary')) continue;
      const h = await core.live.open({ campaign, kind: 'lore', docId: row.id });
      try {
        const d = readLore(h.doc);
        if (d.session !== session || !d.consolidation) continue;
        const c = d.consolidation;
        return { id: row.id, title: d.name, text: [c.summary, ...c.keyEvents.map((k) => k.text)].join('\n') };
      } finally {
        h.release();
      }
    }
    return null;
  }

  /** What a session left: its journals, plus its consolidation when there is one. */
  async function evidenceOf(campaign: string, session: number) {
    const journals = await journalsOf(campaign, session);
    const summary = await summaryOf(campaign, session);
    return { journals, summary, texts: summary ? [...journals, summary] : journals };
  }

  function checkSession(session: number): void {
    if (!Number.isInteger(session) || session < 0) fail('--session', `${session} is not a session number`);
  }

  /** Apply nemesis changes to the outline and the foes' characters (new foes imported, CR steps committed). */
  async function applyNemesis(campaign: string, gen: CampaignGen, changes: EvolveChange[]): Promise<void> {
    const w = themeWords(gen.theme, gen.pitch);
    const rng = createRng(
      gen.pitch,
      gen.seed + gen.nemesis.evolved.length + gen.nemesis.tiers.length,
      'evolve',
    );
    for (const c of changes) {
      const m = /^\/nemesis\/tiers\/(\d+)\/status$/.exec(c.path);
      if (m) {
        const old = gen.nemesis.tiers[Number(m[1])];
        if (!old || old.status !== 'active') continue;
        old.status = 'replaced';
        const name = `${w.first[Math.floor(rng() * w.first.length)]}${w.last[Math.floor(rng() * w.last.length)]}`;
        const foe = makeFoe(
          srd(),
          old.tier === 'lieutenant' ? w.bases.lieutenant : w.bases.minion,
          rng,
          old.tier,
          name,
          `replaces ${old.name}: ${old.role}`,
          crStepUp(old.cr),
        );
        const cid = await importFoe(campaign, foe, c.reason);
        gen.nemesis.tiers.push({
          id: cid,
          name: foe.name,
          cr: foe.cr,
          tier: foe.tier,
          role: foe.role,
          status: 'active',
        });
        gen.entities.push({ id: cid, kind: 'npc', name: foe.name, role: foe.tier });
        continue;
      }
      if (c.path === '/nemesis/cr') {
        const to = c.to as number;
        const view = await core.characters.showAny(gen.nemesis.id);
        const base = view.doc.creature;
        if (base) {
          const est = (x: typeof base): number => estimateCr(x, { spells: srd().spells }).cr;
          const { adaptCreature } = await import('../generation/creature');
          const next = {
            ...adaptCreature(base, to, base.name, base.summary ?? '', est),
            id: base.id,
            name: base.name,
          };
          await core.characters.edit(gen.nemesis.id, {
            set: [{ path: '/creature', value: next as unknown as JsonObject }],
            message: `nemesis CR ${gen.nemesis.cr} → ${to}: ${c.reason}`,
          });
          gen.nemesis.cr = est(next);
          if (gen.nemesis.tiers[0]) gen.nemesis.tiers[0].cr = gen.nemesis.cr;
        }
        continue;
      }
      if (c.path === '/nemesis/tactics/-') {
        const t = String(c.to);
        if (!gen.nemesis.tactics.includes(t)) gen.nemesis.tactics.push(t);
      }
    }
  }

  async function evolve(campaign: string, session: number) {
    checkSession(session);
    const gen = await load(campaign);
    if (gen.nemesis.evolved.includes(session))
      fail('--session', `the nemesis already evolved from session ${session}`);
    const { journals, summary, texts } = await evidenceOf(campaign, session);
    if (!journals.length) fail('--session', `no journal of session ${session} in campaign ${campaign}`);
    const changes = evolveChanges(gen.nemesis, texts);
    await applyNemesis(campaign, gen, changes);
    gen.nemesis.evolved.push(session);
    const commit = await save(
      campaign,
      gen,
      `nemesis evolved after session ${session}: ${changes.map((c) => c.reason).join('; ') || 'nothing to change'}`,
    );
    return {
      commit,
      changes: changes.map(({ path, from, to, reason, sources }) => ({ path, from, to, reason, sources })),
      read: { journals: journals.map((j) => j.id), ...(summary ? { summary: summary.id } : {}) },
    };
  }

  async function partyNow(gen: CampaignGen): Promise<{ id: string; name: string; level: number }[]> {
    const out = [];
    for (const p of gen.party) {
      try {
        const m = await partyMember(p.id);
        out.push({ id: p.id, name: m.name, level: m.level });
      } catch {
        out.push(p);
      }
    }
    return out;
  }

  async function prep(campaign: string, session: number): Promise<PrepSheet> {
    checkSession(session);
    const gen = await load(campaign);
    const last = session > 0 ? await journalsOf(campaign, session - 1) : [];
    const central = await core.memory.graph.central(campaign, { top: 10 });
    const quests = (await core.memory.entities.list(campaign, { kind: 'quest' }))
      .filter(
        (q) =>
          !q.tags.some((t) =>
            ['done', 'closed', 'complete', 'completed', 'failed'].includes(t.toLowerCase()),
          ),
      )
      .map((q) => ({ id: q.id, name: q.name }));
    return buildPrep(gen, {
      quests,
      session,
      party: await partyNow(gen),
      lastJournals: last,
      central: central.map((c: { id: string }) => c.id),
      content: srd(),
    });
  }

  async function adapt(campaign: string, session: number) {
    checkSession(session);
    const gen = await load(campaign);
    const { journals, texts } = await evidenceOf(campaign, session);
    if (!journals.length) fail('--session', `no journal of session ${session} in campaign ${campaign}`);
    const proposals = adaptProposals(gen, session, texts);
    gen.proposals = [...gen.proposals.filter((p) => !p.id.startsWith(`s${session}-`)), ...proposals];
    await save(campaign, gen, `adaptation proposals for session ${session}: ${proposals.length}`);
    return {
      proposals: proposals.map(({ id, kind, change, reason, sources }) => ({
        id,
        kind,
        change,
        reason,
        sources,
      })),
    };
  }

  async function applyProposals(campaign: string, ids: string[], opts: { reject?: boolean } = {}) {
    const gen = await load(campaign);
    if (!ids.length) fail('--proposal', 'name at least one proposal');
    const chosen = ids.map((id) => {
      const p = gen.proposals.find((x) => x.id === id);
      if (!p) fail('--proposal', `no proposal ${id} in campaign ${campaign}`);
      if (p.status !== 'proposed') fail('--proposal', `${id} was already ${p.status}`);
      return p;
    });
    const applied: string[] = [];
    const nemesisChanges: EvolveChange[] = [];
    for (const p of chosen) {
      if (opts.reject) {
        p.status = 'rejected';
        continue;
      }
      const { path, to } = p.change;
      let m: RegExpExecArray | null;
      if ((m = /^\/chapters\/(\d+)\/status$/.exec(path))) {
        const ch = gen.chapters[Number(m[1])];
        if (ch) {
          ch.status = 'played';
          ch.playedIn = Number((/^s(\d+)-/.exec(p.id) ?? [])[1] ?? 0);
        }
      } else if ((m = /^\/chapters\/(\d+)\/taken$/.exec(path))) {
        const ch = gen.chapters[Number(m[1])];
        if (ch) ch.taken = Number(to);
      } else if ((m = /^\/conclusions\/(\d+)\/clues\/(\d+)\/where$/.exec(path))) {
        const clue = gen.conclusions[Number(m[1])]?.clues[Number(m[2])];
        if (clue) clue.where = to as typeof clue.where;
      } else if (path.startsWith('/nemesis/')) {
        nemesisChanges.push({ path, from: p.change.from, to, reason: p.reason, sources: p.sources });
      }
      p.status = 'applied';
      applied.push(`${p.id} (${p.reason})`);
    }
    await applyNemesis(campaign, gen, nemesisChanges);
    const commit = await save(
      campaign,
      gen,
      opts.reject ? `adaptation rejected: ${ids.join(', ')}` : `adaptation applied: ${applied.join('; ')}`,
    );
    return { commit, applied: opts.reject ? [] : ids, rejected: opts.reject ? ids : [] };
  }

  async function retheme(campaign: string, theme: string) {
    if (typeof theme !== 'string' || !theme.trim()) fail('--theme', 'must not be empty');
    const gen = await load(campaign);
    const t = theme.trim();
    const characters = [];
    for (const id of [
      ...gen.party.map((p) => p.id),
      ...gen.nemesis.tiers.filter((x) => x.status === 'active').map((x) => x.id),
    ]) {
      const r = await core.characters.changeTheme(id, t);
      characters.push({ id, commit: r.commit, themeBranch: r.themeBranch });
    }
    const items = [];
    for (const it of await core.items.list({ campaign })) {
      if ((it as { variant?: unknown }).variant) continue;
      const r = await core.items.retheme(it.id, { theme: t });
      items.push({ id: r.id, baseId: r.baseId, baseCommit: r.baseCommit, branch: r.branch });
    }
    const from = gen.theme;
    gen.theme = t;
    gen.themes.push(t);
    const commit = await save(
      campaign,
      gen,
      `campaign retheme: ${from} → ${t} (${characters.length} characters, ${items.length} items)`,
    );
    return { id: campaign, theme: t, from, commit, characters, items };
  }

  /** Hand refinement of the story parts: only the named paths change; one commit with what changed. */
  async function refine(campaign: string, ops: SetOp[], message?: string) {
    const gen = await load(campaign);
    let res;
    try {
      res = refineOutline(gen, ops);
    } catch (e) {
      if (e instanceof Error && (e as { code?: string }).code === 'invalid-input')
        throw new CoreError('invalid-input', e.message);
      throw e;
    }
    const what = res.changes.map((c) => c.path).join(', ');
    const commit = await save(
      campaign,
      res.next,
      message ? `${message} (${what})` : `outline refined: ${what}`,
    );
    return { commit, changes: res.changes };
  }

  /**
   * Refine one chapter in conversation with a model: the DM's feedback, the chapter's words rewritten (same
   * scenes), choices elsewhere renamed after its new title; everything else unchanged; one commit with the
   * feedback and the model.
   */
  async function refineChapter(campaign: string, chapterId: string, feedback: string, llm: ObjectModel) {
    if (typeof feedback !== 'string' || !feedback.trim()) fail('--feedback', 'must not be empty');
    if (feedback.length > 4000) fail('--feedback', 'is longer than 4000 characters');
    const gen = await load(campaign);
    const ch = gen.chapters.find((c) => c.id === chapterId);
    if (!ch) fail('--chapter', `no chapter "${chapterId}" (${gen.chapters.map((c) => c.id).join(', ')})`);
    const res = await llm.generateObject(
      'campaign.refine',
      chapterRefineRequest(gen, chapterId, feedback.trim()),
    );
    const w = res.object;
    const changes: { path: string; from: unknown; to: unknown }[] = [];
    const i = gen.chapters.indexOf(ch);
    if (w.title !== ch.title) changes.push({ path: `/chapters/${i}/title`, from: ch.title, to: w.title });
    if (w.goal !== ch.goal) changes.push({ path: `/chapters/${i}/goal`, from: ch.goal, to: w.goal });
    ch.scenes.forEach((s, j) => {
      const n = w.scenes[j]!;
      if (n.title !== s.title)
        changes.push({ path: `/chapters/${i}/scenes/${j}/title`, from: s.title, to: n.title });
      if (n.text !== s.text)
        changes.push({ path: `/chapters/${i}/scenes/${j}/text`, from: s.text, to: n.text });
      s.title = n.title;
      s.text = n.text;
    });
    const oldTitle = ch.title;
    ch.title = w.title;
    ch.goal = w.goal;
    for (const c of gen.chapters)
      for (const x of c.choices)
        if (x.next === chapterId && x.text.endsWith(`"${oldTitle}"`))
          x.text = `${x.text.slice(0, x.text.length - oldTitle.length - 2)}"${w.title}"`;
    const commit = await save(
      campaign,
      gen,
      `chapter ${chapterId} refined (${res.provider}/${res.model}): ${feedback.trim().slice(0, 200)}`,
    );
    return {
      commit,
      changes,
      provenance: { provider: res.provider, model: res.model, attempts: res.attempts },
    };
  }

  /**
   * The DM's feedback on the whole outline, in conversation with a model that may change its structure (add,
   * remove, rename chapters and choices, retarget choices, add or move clues). The answer is repaired where
   * that is mechanical and must pass zod and the story-graph check, else the router asks again with the
   * problems (and fails after its attempts: nothing stored). New chapters get an encounter for the party
   * (registered with live play); one commit with the feedback as the reason.
   */
  async function refineStructure(campaign: string, feedback: string, llm: ObjectModel) {
    if (typeof feedback !== 'string' || !feedback.trim()) fail('--feedback', 'must not be empty');
    if (feedback.length > 4000) fail('--feedback', 'is longer than 4000 characters');
    const gen = await load(campaign);
    const levels = gen.party.map((p) => p.level);
    const creatures = [...srd().creatures.values()];
    const themed = candidatesFrom(creatures, themeWords(gen.theme, gen.pitch).creatureTheme);
    const everyCreature = candidatesFrom(creatures, '');
    const fresh: NewChapterParts = (ch) => ({
      encounters: [
        chapterEncounter({
          pitch: gen.pitch,
          seed: gen.seed,
          chapter: ch.id,
          difficulty: ch.ending ? 'high' : 'moderate',
          levels,
          candidates: themed,
          everyCreature,
          place: ch.title,
        }),
      ],
    });
    const res = await llm.generateObject(
      'campaign.refine',
      structureRefineRequest(gen, feedback.trim(), fresh),
    );
    const { next } = mergeStructure(gen, res.object, fresh);
    const changes = structureChanges(gen, next);
    const provenance = { provider: res.provider, model: res.model, attempts: res.attempts };
    if (!changes.length) return { commit: null, changes, provenance };
    const encounters = encounterRecords(next, Date.now());
    const commit = await save(
      campaign,
      next,
      `outline restructured (${res.provider}/${res.model}): ${feedback.trim().slice(0, 200)}`,
      encounters ? [encounters] : [],
    );
    return { commit, changes, provenance };
  }

  /**
   * Get ready for a first generation without writing anything (the app calls it when the pitch screen opens):
   * the SRD content loaded and indexed, and one small plan with its foes and its outline schema run on a sample
   * party, so the planner, the encounter builder, the CR estimate and the outline schema are compiled before the
   * DM presses Generate. Outputs of later generations do not depend on it. Returns the time it took.
   */
  async function prepare(): Promise<{ ms: number }> {
    const t0 = performance.now();
    const party: PartyMember[] = [
      { id: 'prepare', name: 'Sample', level: 3, classes: ['fighter'], bonds: [], best: 'str' },
    ];
    const plan = planCampaign({
      pitch: 'A sample pitch to get ready',
      theme: 'fantasy',
      seed: 1,
      chapters: 3,
      party,
      creatures: [...srd().creatures.values()],
    });
    let n = 0;
    const foes = buildTiers(srd(), plan.words, party, plan.villainName, 'prepare', 1, () => `Sample ${++n}`);
    CampaignGenSchema.safeParse({
      version: 1,
      pitch: 'prepare',
      theme: 'fantasy',
      seed: 1,
      party: [{ id: 'prepare', name: 'Sample', level: 3 }],
      setting: plan.setting,
      entities: [],
      start: plan.start,
      chapters: plan.chapters,
      conclusions: plan.conclusions,
      nemesis: {
        id: 'prepare',
        name: foes[0]?.name ?? 'Sample',
        cr: foes[0]?.cr ?? 1,
        ...mirror(party, 'Sample'),
        tiers: [],
      },
    });
    checkCampaign({
      start: plan.start,
      chapters: plan.chapters,
      conclusions: plan.conclusions,
      entities: [],
    });
    return { ms: performance.now() - t0 };
  }

  return {
    generate,
    prepare,
    load,
    refineStructure,
    check,
    refine,
    refineChapter,
    nemesisShow,
    evolve,
    prep,
    adapt,
    applyProposals,
    retheme,
    currentChapter,
  };
}

export type CampaignGenService = ReturnType<typeof createCampaignGen>;
