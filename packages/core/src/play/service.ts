/**
 * Live play on a core (issue 11): the encounter builder, the combat tracker with the DM's peer as referee, and
 * player intents. The DM's full state lives in the campaign's dmnotes document (`play`), the public projection in
 * the session document, requests in each player's intents document — all live documents (`core.live`), so every
 * change syncs like any other edit and is never a history commit by itself.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { derive, type Content, type Creature } from '@loreforge/rules-5e';
import {
  actOnSheet,
  basisOf,
  freshSheet,
  viewOf,
  type SheetAction,
  type SheetBasis,
  type SheetView,
} from './sheet';
import { seededRng, type Rng } from '@loreforge/rules-5e/dice';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Core } from '../core';
import { loadSrdContent } from '../content/load-srd';
import {
  characterDocType,
  characterName,
  editCharacter,
  hasBuild,
  readCharacter,
  totalLevel,
} from '../docs/character-doc';
import { editDocAt, parseFrom, rootOf } from '../docs/doc-type';
import { dmnotesDocType, editDmNotes, readDmNotes } from '../docs/dmnotes-doc';
import { editIntents, readIntents, type IntentsDoc } from '../docs/intents-doc';
import type { TransactionOrigin } from '../docs/origin';
import { readSession, SessionDocSchema, sessionDocType } from '../docs/session-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import type { LiveDocRef } from '../live/types';
import * as C from './combat';
import { buildEncounter, matchTheme, type EncounterCandidate } from './encounter';
import {
  CombatStateSchema,
  PlayNotesSchema,
  PlaySheetSchema,
  RULESETS,
  type CombatState,
  type PlayNotes,
  type PlaySheet,
  type PreparedEncounter,
  type PublicCombatant,
} from './schema';

export const INTENT_ACTIONS = ['initiative', 'attack', 'damage', 'heal', 'end-turn'] as const;
export type IntentAction = (typeof INTENT_ACTIONS)[number];

export interface PlayOptions {
  author?: string;
  /** Random source for rolls; default: crypto. `seed` options on calls override it for that call. */
  rng?: Rng;
  content?: Content;
  now?: () => number;
}

export interface StartInput {
  campaign: string;
  encounter?: string;
  party?: string[];
  /** Creatures by SRD id (or campaign character id) with counts. */
  creatures?: Array<{ id: string; count: number }>;
  hidden?: string[];
  seed?: number;
  lair?: boolean;
  seats?: Record<string, string>;
  ruleset?: '2024' | '2014';
  /** Hidden combatants appear when their first turn starts. */
  revealOnTurn?: boolean;
}

export interface ViewRow {
  id: string;
  name: string;
  side: 'party' | 'foe';
  initiative: number;
  hidden: boolean;
  hp?: number;
  tempHp?: number;
  health?: PublicCombatant['health'];
  status: string;
  conditions: string[];
  concentration?: string;
  legendary?: string;
}

export interface CombatView {
  session: string;
  round: number;
  turn: string | null;
  status: string;
  order: ViewRow[];
  prompts: Array<{ kind: string; combatant: string; dc?: number | undefined }>;
  log: Array<{ round: number; text: string }>;
}

export interface IntentRow {
  id: string;
  doc: string;
  owner: string;
  action: string;
  character: string;
  target?: string;
  amount?: number;
  status: string;
  reason?: string;
  at: number;
}

const cryptoRng: Rng = () => randomInt(0, 2 ** 32) / 2 ** 32;

function fail(field: string, reason: string): never {
  throw new CoreError('invalid-input', `${field}: ${reason}`);
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'creature'
  );
}

export type Play = ReturnType<typeof createPlay>;

/** A build's ruleset as the build schema reads it. */
const BuildRuleset = z.enum(RULESETS).default('2024');

/** How long a combat's documents stay open after an action (see `hold`). */
const HOLD_MS = 2000;

/** The fields of a session document the combat tracker writes (its public projection). */
const PublicSessionSchema = SessionDocSchema.pick({
  round: true,
  status: true,
  active: true,
  combatants: true,
  log: true,
  prompts: true,
});

export function createPlay(core: Core, options: PlayOptions = {}) {
  const author = options.author ?? 'local';
  const now = options.now ?? (() => Date.now());
  const baseRng = options.rng ?? cryptoRng;
  let content: Content | undefined = options.content;
  const srd = (): Content => (content ??= loadSrdContent());
  const origin = (): TransactionOrigin => ({ kind: 'local-user', author });
  const ctx = (rng: Rng = baseRng): C.CombatCtx => ({ rng, now: Math.floor(now()) });

  // The membership (a SQLite query) was a quarter of a DM action's time: remembered for a second per campaign,
  // so a burst of actions asks once and a changed membership (join, share) is seen within a second.
  const roles = new Map<string, { at: number; role: 'dm' | 'player' | 'spectator' }>();
  async function role(campaign: string): Promise<'dm' | 'player' | 'spectator'> {
    const t = performance.now();
    const known = roles.get(campaign);
    if (known && t - known.at < 1000) return known.role;
    const m = await core.campaigns.membership(campaign);
    const r = m ? m.role : 'dm';
    roles.set(campaign, { at: t, role: r });
    return r;
  }
  async function user(campaign: string): Promise<string> {
    return (await core.campaigns.membership(campaign))?.user ?? author;
  }
  async function requireDm(campaign: string, what: string): Promise<void> {
    const r = await role(campaign);
    if (r !== 'dm')
      throw new CoreError(
        'read-only',
        `${what}: this data folder is a ${r} of campaign ${campaign}; only the campaign's DM referees combat (send a request with \`combat intent\`)`,
      );
  }

  async function withDoc<T>(ref: LiveDocRef, fn: (doc: Y.Doc) => T): Promise<T> {
    const h = await core.live.open(ref);
    try {
      return fn(h.doc);
    } finally {
      h.release();
    }
  }

  const notesRef = (campaign: string): LiveDocRef => ({ campaign, kind: 'dmnotes', docId: campaign });

  /**
   * The documents a combat action touches (the DM notes, the session, the party's sheets) stay open between
   * actions, for `HOLD_MS` after their last use: an action then costs no live-handle open (document lookup,
   * membership and access queries) per document. `version` counts the document's changes (any origin), so what
   * was read from it can be reused while it has not changed.
   */
  interface Held {
    doc: Y.Doc;
    version: number;
    /** False once released: `version` no longer follows the document. */
    live: boolean;
    timer: ReturnType<typeof setTimeout>;
  }
  const held = new Map<string, Promise<Held>>();
  async function hold(ref: LiveDocRef): Promise<Held> {
    const key = `${ref.campaign}/${ref.kind}/${ref.docId}`;
    const known = held.get(key);
    if (known) {
      const h = await known.catch(() => undefined);
      if (h && h.live && !h.doc.isDestroyed) {
        h.timer.refresh();
        return h;
      }
      if (held.get(key) === known) held.delete(key);
    }
    const p = core.live.open(ref).then((handle) => {
      const bump = () => void h.version++;
      const h: Held = {
        doc: handle.doc,
        version: 0,
        live: true,
        timer: setTimeout(() => {
          h.live = false;
          if (held.get(key) === p) held.delete(key);
          handle.doc.off('update', bump);
          handle.release();
        }, HOLD_MS),
      };
      h.timer.unref();
      handle.doc.on('update', bump);
      return h;
    });
    held.set(key, p);
    p.catch(() => {
      if (held.get(key) === p) held.delete(key);
    });
    return p;
  }
  /** Whether `held` is still open and unchanged since it stood at `version` (what was remembered then holds). */
  function unchanged(held: Held, version: number): boolean {
    return held.live && !held.doc.isDestroyed && held.version === version;
  }
  async function withHeld<T>(ref: LiveDocRef, fn: (doc: Y.Doc) => T): Promise<T> {
    return fn((await hold(ref)).doc);
  }

  /** Each session's public part as last written here, valid while its document is unchanged since. */
  const lastPublic = new Map<string, { held: Held; version: number; pub: JsonObject }>();
  /**
   * The public projection into the (held) session document, validated with the session schema's fields: each
   * field written where it is (`editDocAt`), compared with the last write here when nothing else wrote since.
   */
  function writePublic(sessionId: string, session: Held, pub: ReturnType<typeof C.publicSession>): void {
    const last = lastPublic.get(sessionId);
    const known = last && last.held === session && unchanged(session, last.version) ? last.pub : undefined;
    // Rows and log entries an action left alone are the same objects as last time (`C.publicSession`): only the
    // new ones are checked.
    const checked = (known
      ? parseFrom(PublicSessionSchema, known as never, pub as never, 'session')
      : PublicSessionSchema.parse(pub)) as unknown as JsonObject;
    const o = origin();
    session.doc.transact(() => {
      for (const [key, value] of Object.entries(checked))
        editDocAt(sessionDocType, session.doc, [key], value, o, known?.[key]);
    }, o);
    lastPublic.set(sessionId, { held: session, version: session.version, pub: checked });
  }

  /** Each session's combat state as last read or written, valid while its notes document is unchanged. */
  const combats = new Map<
    string,
    {
      notes: Held;
      version: number;
      state: CombatState;
      /** `state` is exactly what the notes hold as JSON (written here), not a parse that may add defaults. */
      exact: boolean;
    }
  >();

  const notesKnown = new Set<string>();
  async function ensureNotes(campaign: string): Promise<void> {
    if (notesKnown.has(campaign)) return;
    const refs = await core.live.list(campaign);
    if (refs.some((r) => r.kind === 'dmnotes' && r.docId === campaign)) {
      notesKnown.add(campaign);
      return;
    }
    // The campaigns service creates the notes on first use (after the campaign/2 split); an empty roster edit
    // would do nothing, so the first prepared encounter or combat records itself as an encounter entry there.
    await core.campaigns.addEncounter(campaign, { name: 'live play', participants: [] });
  }

  async function readPlay(campaign: string): Promise<PlayNotes> {
    try {
      return await withHeld(notesRef(campaign), (doc) => PlayNotesSchema.parse(readDmNotes(doc).play ?? {}));
    } catch (err) {
      // No notes yet (nothing prepared, no combat): an empty play part.
      if (err instanceof CoreError && err.code === 'not-found') return PlayNotesSchema.parse({});
      throw err;
    }
  }

  async function writePlay(campaign: string, change: (p: PlayNotes) => PlayNotes): Promise<PlayNotes> {
    await ensureNotes(campaign);
    let result: PlayNotes | undefined;
    await withHeld(notesRef(campaign), (doc) =>
      editDmNotes(
        doc,
        (json) => {
          const cur = PlayNotesSchema.parse(json['play'] ?? {});
          result = change(cur);
          return { ...json, play: result as unknown as JsonObject };
        },
        origin(),
      ),
    );
    return result as PlayNotes;
  }

  /**
   * Store one session's combat state in the notes: only that entry changes, so the other combats and prepared
   * encounters are not parsed first (`editDmNotes` validates what changed).
   */
  /**
   * The combat state into the (held) DM notes: a synchronous edit. `known`: what the notes hold for this combat
   * now, exactly (the last write here, unchanged since), so only its differences are looked for.
   */
  function writeCombatTo(notes: Y.Doc, state: CombatState, known?: CombatState): void {
    // `state` passed CombatStateSchema, the schema of this place in the notes: only this combat is written.
    editDocAt(
      dmnotesDocType,
      notes,
      ['play', 'combats', state.session],
      state as unknown as JsonObject,
      origin(),
      known as unknown as JsonObject | undefined,
    );
  }

  /** Session → campaign, found once per play instance (sessions never move). */
  const sessionHome = new Map<string, string>();
  async function findSession(session: string): Promise<{ campaign: string }> {
    const known = sessionHome.get(session);
    if (known !== undefined) return { campaign: known };
    for (const c of await core.campaigns.list()) {
      const refs = await core.live.list(c.id);
      if (refs.some((r) => r.kind === 'session' && r.docId === session)) {
        sessionHome.set(session, c.id);
        return { campaign: c.id };
      }
    }
    throw new CoreError('not-found', `<session>: no session ${session} in this data folder`);
  }

  async function loadCombat(session: string): Promise<{ campaign: string; state: CombatState }> {
    const { campaign } = await findSession(session);
    await requireDm(campaign, 'combat');
    const known = combats.get(session);
    if (known && unchanged(known.notes, known.version)) {
      known.notes.timer.refresh();
      return { campaign, state: known.state };
    }
    const play = await readPlay(campaign);
    const state = play.combats[session];
    if (!state) throw new CoreError('not-found', `<session>: session ${session} has no combat`);
    await remember(campaign, state);
    return { campaign, state };
  }

  /** Remember `state` as the session's combat, as the notes document holds it now. */
  async function remember(campaign: string, state: CombatState, exact = false): Promise<void> {
    const notes = await hold(notesRef(campaign)).catch(() => undefined);
    if (notes) combats.set(state.session, { notes, version: notes.version, state, exact });
  }

  /** Store the full state (dmnotes) and its public projection (session) — the DM's peer only. */
  async function save(campaign: string, state: CombatState, prev?: CombatState): Promise<void> {
    // `prev` is a parse result and `state` the tracker's immutable update of it: only what changed is checked.
    const checked = prev
      ? parseFrom(CombatStateSchema, prev, state, 'combat state')
      : CombatStateSchema.parse(state);
    const pub = C.publicSession(checked);
    // Everything the edits need is read and held first; then the edits run back to back with no await between
    // them, so their updates leave together (one wake-up of each player's peer per action, not one per
    // document): the public projection first, then the players' sheets, then the DM's own bookkeeping.
    const session = await hold({ campaign, kind: 'session', docId: state.session });
    await ensureNotes(campaign);
    const notes = await hold(notesRef(campaign));
    const sheets = await sheetEdits(checked, prev);
    const cached = combats.get(state.session);
    const known =
      cached?.exact && cached.notes === notes && unchanged(notes, cached.version) ? cached.state : undefined;
    combats.delete(state.session);
    writePublic(state.session, session, pub);
    // The play sheet passed its schema (`sheetEdits`), the schema of this place in every kind of character.
    for (const { doc, next } of sheets)
      editDocAt(characterDocType, doc, ['play'], next as unknown as JsonObject, origin());
    writeCombatTo(notes.doc, checked, known);
    await remember(campaign, checked, true);
    // No forced flush: the live registry stores each changed document once per tick (and on close), so an action
    // is not held up by SQLite writes and projections of every open document; the edits above are already sent.
  }

  /** A combatant id given as id, unique id prefix (4+) or name. */
  function resolveId(state: CombatState, given: string): string {
    if (state.order.some((c) => c.id === given)) return given;
    const lower = given.toLowerCase();
    const byPrefix = given.length >= 4 ? state.order.filter((c) => c.id.startsWith(given)) : [];
    if (byPrefix.length === 1) return (byPrefix[0] as { id: string }).id;
    const byName = state.order.filter((c) => c.name.toLowerCase() === lower);
    if (byName.length === 1) return (byName[0] as { id: string }).id;
    fail('<combatant>', `"${given}" is not in this combat (${state.order.map((c) => c.id).join(', ')})`);
  }

  async function partyMember(
    id: string,
    field: string,
  ): Promise<{
    id: string;
    name: string;
    level: number;
    doc: Awaited<ReturnType<Core['characters']['showAny']>>['doc'];
  }> {
    let view;
    try {
      view = await core.characters.showAny(id);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'not-found')
        fail(field, `no character ${id} in this data folder`);
      throw err;
    }
    const doc = view.doc;
    if (!hasBuild(doc)) fail(field, `${characterName(doc) || id} has no character sheet (a stat block only)`);
    const level = totalLevel(doc);
    if (level < 1 || level > 20) fail(field, `${characterName(doc)} has level ${level}; levels run 1–20`);
    return { id: view.id, name: characterName(doc), level, doc };
  }

  async function campaignCreatures(campaign: string): Promise<Map<string, Creature>> {
    const out = new Map<string, Creature>();
    for (const row of await core.characters.list({ campaign })) {
      if (row.kind !== 'monster' && row.kind !== 'npc') continue;
      const v = await core.characters.showAny(row.id);
      if (v.doc.creature) out.set(row.id, v.doc.creature);
    }
    return out;
  }

  function candidateOf(id: string, c: Creature, campaign: boolean): EncounterCandidate {
    return {
      id,
      name: c.name,
      cr: c.cr,
      type: c.type,
      text: `${c.summary} ${c.traits.map((t) => t.name).join(' ')}`,
      campaign,
    };
  }

  async function creatureFor(
    campaign: string,
    id: string,
    field: string,
  ): Promise<{ creature: Creature; campaign: boolean }> {
    const s = srd().creatures.get(id);
    if (s) return { creature: s, campaign: false };
    const own = await campaignCreatures(campaign);
    const c = own.get(id);
    if (c) return { creature: c, campaign: true };
    fail(field, `"${id}" is neither an SRD creature id nor a creature of this campaign`);
  }

  function partySeed(
    p: { id: string; name: string; doc: Awaited<ReturnType<typeof partyMember>>['doc'] },
    hidden: boolean,
  ): C.CombatantSeed {
    if (!hasBuild(p.doc)) fail('--party', `${p.name} has no character sheet`);
    const d = derive(p.doc.build, srd());
    const maxHp = Math.max(1, d.hitPoints.max.value);
    // The table state carries over from the play sheet (current HP, conditions…).
    const ps = p.doc.play;
    return {
      ...(ps
        ? {
            tempHp: ps.tempHp,
            conditions: [...ps.conditions],
            exhaustion: ps.exhaustion,
            ...(ps.concentration !== undefined ? { concentration: ps.concentration } : {}),
          }
        : {}),
      id: p.id,
      name: p.name,
      side: 'party',
      ref: p.id,
      kind: 'character',
      initiativeBonus: d.initiative.value,
      hidden,
      hp: ps ? Math.min(ps.hp, maxHp) : maxHp,
      maxHp,
      conModifier: d.abilityModifiers.con.value,
      resistances: [],
      immunities: [],
      vulnerabilities: [],
      recharge: [],
    };
  }

  function creatureSeed(
    id: string,
    ref: string,
    c: Creature,
    hidden: boolean,
    nameSuffix: string,
  ): C.CombatantSeed {
    const recharge = [...c.actions, ...c.bonusActions]
      .filter((a) => a.usage?.type === 'recharge')
      .map((a) => ({ action: a.name, min: a.usage?.type === 'recharge' ? a.usage.min : 6, ready: true }));
    const hp = Math.max(1, c.hp.average);
    return {
      id,
      name: `${c.name}${nameSuffix}`,
      side: 'foe',
      ref,
      kind: 'monster',
      initiativeBonus: c.initiative,
      hidden,
      hp,
      maxHp: hp,
      conModifier: Math.max(-5, Math.min(10, Math.floor((c.abilities.con - 10) / 2))),
      resistances: [...c.resistances],
      immunities: [...c.immunities],
      vulnerabilities: [...c.vulnerabilities],
      ...(c.legendaryActions && c.legendaryActions.uses > 0
        ? { legendary: { max: c.legendaryActions.uses, used: 0 } }
        : {}),
      recharge,
    };
  }

  // ---------------------------------------------------------------- play sheet

  /** Where a character lives (characters never move between campaigns), found once per play instance. */
  const characterHome = new Map<string, LiveDocRef>();
  async function characterRef(id: string): Promise<LiveDocRef> {
    const known = characterHome.get(id);
    if (known) return known;
    const row = (await core.characters.list()).find((r) => r.id === id);
    if (!row) throw new CoreError('not-found', `<character>: no character ${id} in this data folder`);
    const ref: LiveDocRef = {
      campaign: row.campaign ?? (await core.campaigns.libraryId()),
      kind: 'character',
      docId: id,
    };
    characterHome.set(id, ref);
    return ref;
  }

  async function basisFor(id: string): Promise<{ ref: LiveDocRef; basis: SheetBasis; sheet: PlaySheet }> {
    const ref = await characterRef(id);
    const doc = await withDoc(ref, (d) => readCharacter(d));
    if (!hasBuild(doc))
      fail('<character>', `${characterName(doc) || id} has no character sheet (a stat block only)`);
    const d = derive(doc.build, srd());
    const basis = basisOf(doc.build.ruleset, {
      hitPoints: { max: d.hitPoints.max.value },
      hitDice: d.hitDice,
      spellcasting: { slots: [...d.spellcasting.slots], pactSlots: d.spellcasting.pactSlots, classes: [] },
      conModifier: d.abilityModifiers.con.value,
    });
    return { ref, basis, sheet: doc.play ?? freshSheet(basis) };
  }

  async function writeSheet(ref: LiveDocRef, sheet: PlaySheet): Promise<void> {
    await withDoc(ref, (doc) =>
      editCharacter(doc, (json) => ({ ...json, play: sheet as unknown as JsonObject }), origin()),
    );
  }

  const sheet = {
    /** The play sheet of a character (fresh: full HP, nothing spent, when never played). */
    async get(id: string): Promise<SheetView> {
      const { basis, sheet: s } = await basisFor(id);
      return viewOf(basis, s);
    },
    /** One table action; written into the live character document (synced, no commit). */
    async act(id: string, action: SheetAction, rng: Rng = baseRng): Promise<SheetView> {
      const { ref, basis, sheet: s } = await basisFor(id);
      const res = actOnSheet(basis, s, action, rng);
      await writeSheet(ref, res.sheet);
      await core.live.flush();
      return res.view;
    },
  };

  /**
   * What a sheet write-back needs of a character document (its build's ruleset, its play sheet), read and checked
   * without the rest of the document; undefined without a build (a stat block only).
   */
  function sheetBasis(doc: Y.Doc): { ruleset: (typeof RULESETS)[number]; play?: PlaySheet } | undefined {
    const root = rootOf(doc);
    const build = root.get('build');
    if (build === undefined) return undefined;
    const json = (v: unknown) => (v instanceof Y.AbstractType ? (v.toJSON() as unknown) : v);
    const ruleset = BuildRuleset.parse(build instanceof Y.Map ? json(build.get('ruleset')) : undefined);
    const play = root.get('play');
    return { ruleset, ...(play !== undefined ? { play: PlaySheetSchema.parse(json(play)) } : {}) };
  }

  /** Party combatants' table state goes back to their sheets (DM peer), so sheet and tracker agree. */
  /** The play sheets of party characters whose combat row changed, as they should now read (held, not written). */
  async function sheetEdits(
    state: CombatState,
    previous?: CombatState,
  ): Promise<{ doc: Y.Doc; next: PlaySheet }[]> {
    const out: { doc: Y.Doc; next: PlaySheet }[] = [];
    for (const c of state.order) {
      if (c.side !== 'party' || c.kind !== 'character') continue;
      const before = previous?.order.find((x) => x.id === c.id);
      if (before && (before === c || JSON.stringify(before) === JSON.stringify(c))) continue;
      let ref: LiveDocRef;
      try {
        ref = await characterRef(c.ref || c.id);
      } catch {
        continue;
      }
      const doc = (await hold(ref)).doc;
      const cur = sheetBasis(doc);
      if (!cur) continue;
      const prev =
        cur.play ??
        freshSheet(
          basisOf(cur.ruleset, {
            hitPoints: { max: c.maxHp },
            hitDice: {},
            spellcasting: { slots: [], pactSlots: null, classes: [] },
            conModifier: c.conModifier,
          }),
        );
      const next: PlaySheet = {
        ...prev,
        hp: c.hp,
        tempHp: c.tempHp,
        conditions: [...c.conditions],
        exhaustion: c.exhaustion,
        deathSaves: { ...c.deathSaves },
        stable: c.stable,
        dead: c.dead,
      };
      if (c.concentration !== undefined) next.concentration = c.concentration;
      else delete next.concentration;
      if (JSON.stringify(next) !== JSON.stringify(prev)) out.push({ doc, next: PlaySheetSchema.parse(next) });
    }
    return out;
  }

  // ---------------------------------------------------------------- encounters

  async function buildPrepared(input: {
    campaign: string;
    party: string[];
    difficulty: string;
    ruleset?: '2024' | '2014';
    creatures?: string[];
    theme?: string;
    seed?: number;
    name?: string;
  }): Promise<PreparedEncounter> {
    await core.campaigns.get(input.campaign);
    await requireDm(input.campaign, 'encounter build');
    if (input.party.length === 0) fail('--party', 'name at least one character');
    if (new Set(input.party).size !== input.party.length) fail('--party', 'a character is named twice');
    const party = [];
    for (const id of input.party) party.push(await partyMember(id, '--party'));
    const ruleset = input.ruleset ?? '2024';
    let candidates: EncounterCandidate[];
    let named = false;
    if (input.creatures && input.creatures.length) {
      named = true;
      candidates = [];
      for (const id of [...new Set(input.creatures)]) {
        const { creature, campaign } = await creatureFor(input.campaign, id, '--creatures');
        candidates.push(candidateOf(id, creature, campaign));
      }
    } else {
      candidates = [...srd().creatures.values()].map((c) => candidateOf(c.id, c, false));
      for (const [id, c] of await campaignCreatures(input.campaign))
        candidates.push(candidateOf(id, c, true));
    }
    if (input.theme !== undefined) {
      candidates = matchTheme(candidates, input.theme);
      if (candidates.length === 0) fail('--theme', `no creature matches "${input.theme}"`);
    }
    const rng = input.seed !== undefined ? seededRng(input.seed) : baseRng;
    const pick = buildEncounter({
      partyLevels: party.map((p) => p.level),
      ruleset,
      difficulty: input.difficulty,
      candidates,
      named,
      rng,
    });
    await ensureNotes(input.campaign);
    const { encounter: id } = await core.campaigns.addEncounter(input.campaign, {
      name: input.name ?? `${input.difficulty} encounter${input.theme ? ` (${input.theme})` : ''}`,
      participants: party.map((p) => p.id),
    });
    const prepared: PreparedEncounter = {
      id,
      name: input.name ?? `${input.difficulty} encounter${input.theme ? ` (${input.theme})` : ''}`,
      ruleset,
      party: party.map((p) => ({ id: p.id, name: p.name, level: p.level })),
      difficulty: input.difficulty,
      creatures: pick.creatures,
      xp: pick.xp,
      ...(pick.adjustedXp !== undefined ? { adjustedXp: pick.adjustedXp } : {}),
      budget: pick.budget,
      rated: pick.rated,
      ...(input.theme !== undefined ? { theme: input.theme } : {}),
      createdAt: Math.floor(now()),
    };
    await writePlay(input.campaign, (p) => ({ ...p, encounters: { ...p.encounters, [id]: prepared } }));
    await core.live.flush();
    return prepared;
  }

  // ---------------------------------------------------------------- combat

  async function start(input: StartInput): Promise<CombatState> {
    await core.campaigns.get(input.campaign);
    await requireDm(input.campaign, 'combat start');
    let partyIds = input.party ?? [];
    let creatures = input.creatures ?? [];
    let encounterId: string | undefined;
    let ruleset = input.ruleset ?? '2024';
    if (input.encounter !== undefined) {
      const play = await readPlay(input.campaign);
      const enc = play.encounters[input.encounter];
      if (!enc) fail('--encounter', `no prepared encounter ${input.encounter} in campaign ${input.campaign}`);
      encounterId = enc.id;
      ruleset = enc.ruleset;
      if (partyIds.length === 0) partyIds = enc.party.map((p) => p.id);
      if (creatures.length === 0) creatures = enc.creatures.map((c) => ({ id: c.srd, count: c.count }));
    }
    if (partyIds.length === 0 && creatures.length === 0) fail('--party', 'name the party or an --encounter');
    const hidden = new Set(input.hidden ?? []);
    const seeds: C.CombatantSeed[] = [];
    for (const id of partyIds) {
      const p = await partyMember(id, '--party');
      seeds.push(partySeed(p, hidden.has(p.id)));
    }
    for (const { id, count } of creatures) {
      if (!Number.isInteger(count) || count < 1 || count > 50)
        fail('--creatures', `${id}: count ${count} must be 1–50`);
      const { creature } = await creatureFor(input.campaign, id, '--creatures');
      const base = slug(srd().creatures.has(id) ? id : creature.name);
      for (let n = 1; n <= count; n++) {
        const cid = count > 1 || seeds.some((s) => s.id === base) ? `${base}-${n}` : base;
        const isHidden = hidden.has(cid) || hidden.has(id);
        seeds.push(creatureSeed(cid, id, creature, isHidden, count > 1 ? ` ${n}` : ''));
      }
    }
    for (const h of hidden) {
      if (!seeds.some((s) => s.id === h || s.ref === h))
        fail('--hidden', `"${h}" is not a combatant (${seeds.map((s) => s.id).join(', ')})`);
    }
    if (input.lair === true) {
      seeds.push({
        id: 'lair',
        name: 'Lair actions',
        side: 'foe',
        ref: '',
        kind: 'lair',
        initiativeBonus: 0,
        hidden: false,
        hp: 0,
        maxHp: 0,
        conModifier: 0,
        resistances: [],
        immunities: [],
        vulnerabilities: [],
        recharge: [],
      });
    }
    if (input.seats) {
      for (const ch of Object.keys(input.seats))
        if (!seeds.some((s) => s.id === ch && s.side === 'party'))
          fail('--seats', `${ch} is not a party character in this combat`);
    }
    const sessions = (await core.live.list(input.campaign)).filter((r) => r.kind === 'session').length;
    const { id: session } = await core.campaigns.createSession(input.campaign, { number: sessions + 1 });
    const rng = input.seed !== undefined ? seededRng(input.seed) : baseRng;
    const state = C.startCombat(
      {
        session,
        ...(encounterId !== undefined ? { encounter: encounterId } : {}),
        ruleset,
        seeds,
        ...(input.seats ? { seats: input.seats } : {}),
        ...(input.revealOnTurn === true ? { revealOnTurn: true } : {}),
      },
      ctx(rng),
    );
    await save(input.campaign, state);
    return state;
  }

  async function act<T>(
    session: string,
    fn: (state: CombatState, c: C.CombatCtx) => { state: CombatState } & T,
  ): Promise<T & { state: CombatState }> {
    const { campaign, state } = await loadCombat(session);
    const res = fn(state, ctx());
    await save(campaign, res.state, state);
    return res;
  }

  function startView(state: CombatState): {
    session: string;
    round: number;
    turn: string;
    order: Array<{ id: string; name: string; side: string; initiative: number; hidden: boolean }>;
  } {
    return {
      session: state.session,
      round: state.round,
      turn: state.turn,
      order: state.order.map((c) => ({
        id: c.id,
        name: c.name,
        side: c.side,
        initiative: c.initiative,
        hidden: c.hidden,
      })),
    };
  }

  function dmRows(state: CombatState): CombatView {
    const v = C.dmView(state);
    return {
      session: v.session,
      round: v.round,
      turn: v.turn,
      status: v.status,
      order: v.order.map((c) => ({
        id: c.id,
        name: c.name,
        side: c.side,
        initiative: c.initiative,
        hidden: c.hidden,
        hp: c.hp,
        tempHp: c.tempHp,
        status: c.status,
        conditions: c.conditions,
        ...(c.concentration !== undefined ? { concentration: c.concentration } : {}),
        ...(c.legendary !== undefined ? { legendary: c.legendary } : {}),
      })),
      prompts: v.prompts,
      log: v.log.map((e) => ({ round: e.round, text: e.text })),
    };
  }

  /** The player view from the public session document (what a player's peer holds). */
  function playerRows(session: string, s: ReturnType<typeof readSession>): CombatView {
    return {
      session,
      round: s.round,
      turn: s.active ?? null,
      status: s.status,
      order: s.combatants.map((c) => ({
        id: c.id,
        name: c.name,
        side: c.side ?? 'foe',
        initiative: c.initiative,
        hidden: false,
        ...(c.health !== undefined ? { health: c.health } : { hp: c.hp ?? 0, tempHp: c.tempHp ?? 0 }),
        status: c.status ?? 'conscious',
        conditions: c.conditions ?? [],
        ...(c.concentration !== undefined ? { concentration: c.concentration } : {}),
        ...(c.legendary !== undefined ? { legendary: c.legendary } : {}),
      })),
      prompts: s.prompts ?? [],
      log: (s.log ?? []).map((e) => ({ round: e.round, text: e.text })),
    };
  }

  async function view(session: string, as?: 'dm' | 'player'): Promise<CombatView> {
    const { campaign } = await findSession(session);
    const r = await role(campaign);
    const mode = as ?? (r === 'dm' ? 'dm' : 'player');
    if (mode === 'dm') {
      const { state } = await loadCombat(session);
      return dmRows(state);
    }
    return withDoc({ campaign, kind: 'session', docId: session }, (doc) =>
      playerRows(session, readSession(doc)),
    );
  }

  // ---------------------------------------------------------------- intents

  async function intentsDocs(campaign: string): Promise<Array<{ id: string; doc: IntentsDoc }>> {
    const out: Array<{ id: string; doc: IntentsDoc }> = [];
    for (const ref of await core.live.list(campaign)) {
      if (ref.kind !== 'intents') continue;
      out.push({ id: ref.docId, doc: await withDoc(ref, (d) => readIntents(d)) });
    }
    return out;
  }

  function rowOf(docId: string, owner: string, r: IntentsDoc['requests'][number]): IntentRow {
    const p = r.payload;
    return {
      id: r.id,
      doc: docId,
      owner,
      action: r.kind,
      character: String(p['character'] ?? ''),
      ...(p['target'] !== undefined ? { target: String(p['target']) } : {}),
      ...(typeof p['amount'] === 'number' ? { amount: p['amount'] } : {}),
      status: r.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      at: r.at,
    };
  }

  async function submit(
    session: string,
    input: { character: string; action: string; target?: string; amount?: number },
  ): Promise<{ id: string; status: string; reason?: string }> {
    const { campaign } = await findSession(session);
    if (!(INTENT_ACTIONS as readonly string[]).includes(input.action))
      fail('--action', `"${input.action}" is not one of ${INTENT_ACTIONS.join(', ')}`);
    if (!input.character) fail('--character', 'missing');
    if ((input.action === 'damage' || input.action === 'heal') && input.amount === undefined)
      fail('--amount', `a ${input.action} request needs an amount`);
    if (
      input.amount !== undefined &&
      (!Number.isInteger(input.amount) || input.amount < 0 || input.amount > 100_000)
    )
      fail('--amount', `${String(input.amount)} must be a whole number from 0 to 100000`);
    if (input.action === 'attack' && !input.target) fail('--target', 'an attack request names its target');
    const me = await user(campaign);
    let mine = (await intentsDocs(campaign)).find((d) => d.doc.owner === me)?.id;
    mine ??= (await core.campaigns.createIntents(campaign, { owner: me })).id;
    const id = randomUUID();
    await withDoc({ campaign, kind: 'intents', docId: mine }, (doc) =>
      editIntents(
        doc,
        (json) => ({
          ...json,
          requests: [
            ...((json['requests'] ?? []) as JsonObject[]),
            {
              id,
              kind: input.action,
              payload: {
                session,
                character: input.character,
                ...(input.target !== undefined ? { target: input.target } : {}),
                ...(input.amount !== undefined ? { amount: input.amount } : {}),
              },
              status: 'pending',
              at: Math.floor(now()),
            },
          ],
        }),
        origin(),
      ),
    );
    await core.live.flush();
    // On the DM's own peer the referee answers at once.
    if ((await role(campaign)) === 'dm' && (await readPlay(campaign)).combats[session])
      await applyPending(campaign);
    const after = (await intentsDocs(campaign))
      .find((d) => d.id === mine)
      ?.doc.requests.find((r) => r.id === id);
    return {
      id,
      status: after?.status ?? 'pending',
      ...(after?.reason !== undefined ? { reason: after.reason } : {}),
    };
  }

  async function listIntents(session: string): Promise<IntentRow[]> {
    const { campaign } = await findSession(session);
    // On the DM's peer, whatever the auto-apply setting allows is answered first.
    if ((await role(campaign)) === 'dm') await applyPending(campaign);
    const rows: IntentRow[] = [];
    for (const d of await intentsDocs(campaign)) {
      for (const r of d.doc.requests)
        if (r.payload['session'] === session) rows.push(rowOf(d.id, d.doc.owner, r));
    }
    return rows.sort((a, b) => a.at - b.at);
  }

  /** Validate and apply one request to the state; throws an invalid-input error whose message is the refusal. */
  async function applyIntent(
    campaign: string,
    state: CombatState,
    owner: string,
    row: IntentRow,
    c: C.CombatCtx,
  ): Promise<{ state: CombatState; text: string }> {
    const inCombat = state.order.find((x) => x.id === row.character && x.side === 'party');
    if (row.action === 'initiative') {
      if (inCombat) fail('character', `${inCombat.name} already rolled initiative (${inCombat.initiative})`);
      const p = await partyMember(row.character, 'character');
      const s = C.addCombatant(state, partySeed(p, false), c);
      const added = s.order.find((x) => x.id === p.id);
      return {
        state: { ...s, seats: { ...s.seats, [p.id]: s.seats[p.id] ?? owner } },
        text: `${p.name} joins at initiative ${added?.initiative ?? 0}`,
      };
    }
    if (!inCombat) fail('character', `${row.character} is not a party character in this combat`);
    const visibleTarget = (t: string | undefined): string => {
      const target = state.order.find((x) => x.id === t && !x.hidden);
      if (!target) fail('target', `no combatant ${t ?? ''} to be seen`);
      return target.id;
    };
    switch (row.action) {
      case 'damage': {
        const r = C.damage(state, inCombat.id, row.amount ?? 0, {}, c);
        return { state: r.state, text: `${inCombat.name} takes ${row.amount ?? 0} damage` };
      }
      case 'heal': {
        const r = C.heal(state, inCombat.id, row.amount ?? 0, {}, c);
        return { state: r.state, text: `${inCombat.name} regains HP` };
      }
      case 'end-turn': {
        if (state.turn !== inCombat.id) fail('character', `it is not ${inCombat.name}'s turn`);
        return { state: C.nextTurn(state, c), text: `${inCombat.name} ends the turn` };
      }
      case 'attack': {
        const target = visibleTarget(row.target);
        if (state.turn !== inCombat.id) fail('character', `it is not ${inCombat.name}'s turn`);
        const tname = state.order.find((x) => x.id === target)?.name ?? target;
        let s = state;
        let text = `${inCombat.name} attacks ${tname}`;
        if (row.amount !== undefined) {
          s = C.damage(s, target, row.amount, {}, c).state;
          text += ` and hits`;
        }
        s = { ...s, log: [...s.log, { at: c.now, round: s.round, text, public: true }] };
        return { state: s, text };
      }
      default:
        fail('action', `unknown action ${row.action}`);
    }
    void campaign;
  }

  async function answer(
    campaign: string,
    docId: string,
    intentId: string,
    status: 'applied' | 'refused',
    reason: string,
  ): Promise<void> {
    await withDoc({ campaign, kind: 'intents', docId }, (doc) =>
      editIntents(
        doc,
        (json) => ({
          ...json,
          requests: ((json['requests'] ?? []) as JsonObject[]).map((r) =>
            r['id'] === intentId ? { ...r, status, reason, answeredAt: Math.floor(now()) } : r,
          ),
        }),
        origin(),
      ),
    );
  }

  /**
   * The referee: apply every pending request that the auto-apply setting allows (own character, allowed kind);
   * invalid requests are refused with the reason; others wait for `resolve`. Returns what it answered.
   */
  /** One referee run at a time on this peer (the sync feed and a command may both ask). */
  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  function applyPending(
    campaign: string,
  ): Promise<Array<{ id: string; status: 'applied' | 'refused'; reason: string }>> {
    return exclusive(() => applyPendingNow(campaign));
  }

  async function applyPendingNow(
    campaign: string,
  ): Promise<Array<{ id: string; status: 'applied' | 'refused'; reason: string }>> {
    if ((await role(campaign)) !== 'dm') return [];
    const play = await readPlay(campaign);
    const local = (await core.campaigns.membership(campaign)) === null;
    const done: Array<{ id: string; status: 'applied' | 'refused'; reason: string }> = [];
    for (const d of await intentsDocs(campaign)) {
      for (const r of d.doc.requests) {
        if (r.status !== 'pending') continue;
        const session = String(r.payload['session'] ?? '');
        let state = play.combats[session];
        if (!state || state.status !== 'active') continue;
        const key = `${d.id}:${r.id}`;
        if (state.handled[key]) continue;
        const row = rowOf(d.id, d.doc.owner, r);
        const own = local
          ? d.doc.owner === author || state.seats[row.character] === d.doc.owner
          : state.seats[row.character] === d.doc.owner;
        const auto =
          state.autoApply.includes(row.action) &&
          (own || (row.action === 'initiative' && !state.seats[row.character]));
        if (!auto) continue;
        let status: 'applied' | 'refused';
        let reason: string;
        try {
          const res = await applyIntent(campaign, state, d.doc.owner, row, ctx());
          state = res.state;
          status = 'applied';
          reason = res.text;
        } catch (err) {
          if (!(err instanceof CoreError)) throw err;
          status = 'refused';
          reason = err.message;
        }
        state = { ...state, handled: { ...state.handled, [key]: status } };
        play.combats[session] = state;
        await save(campaign, state);
        await answer(campaign, d.id, r.id, status, reason);
        done.push({ id: r.id, status, reason });
      }
    }
    if (done.length) await core.live.flush();
    return done;
  }

  function resolve(
    session: string,
    intentId: string,
    decision: 'apply' | 'refuse',
    reason?: string,
  ): Promise<{ id: string; status: string; reason?: string }> {
    return exclusive(() => resolveNow(session, intentId, decision, reason));
  }

  async function resolveNow(
    session: string,
    intentId: string,
    decision: 'apply' | 'refuse',
    reason?: string,
  ): Promise<{ id: string; status: string; reason?: string }> {
    if (decision !== 'apply' && decision !== 'refuse')
      fail('<decision>', `"${String(decision)}" must be apply or refuse`);
    const { campaign, state } = await loadCombat(session);
    const found = (await intentsDocs(campaign))
      .flatMap((d) => d.doc.requests.map((r) => ({ d, r })))
      .find((x) => x.r.id === intentId && x.r.payload['session'] === session);
    if (!found) throw new CoreError('not-found', `<intent>: no request ${intentId} in session ${session}`);
    if (found.r.status !== 'pending') fail('<intent>', `request ${intentId} was already ${found.r.status}`);
    const key = `${found.d.id}:${intentId}`;
    let next = state;
    let status: 'applied' | 'refused';
    let text: string;
    if (decision === 'refuse') {
      status = 'refused';
      text = reason ?? 'refused by the DM';
    } else {
      try {
        const res = await applyIntent(
          campaign,
          state,
          found.d.doc.owner,
          rowOf(found.d.id, found.d.doc.owner, found.r),
          ctx(),
        );
        next = res.state;
        status = 'applied';
        text = res.text;
      } catch (err) {
        if (!(err instanceof CoreError)) throw err;
        status = 'refused';
        text = err.message;
      }
    }
    next = { ...next, handled: { ...next.handled, [key]: status } };
    await save(campaign, next);
    await answer(campaign, found.d.id, intentId, status, text);
    await core.live.flush();
    return { id: intentId, status, reason: text };
  }

  /**
   * Keep refereeing: every change to an intents document of the campaign (a player's request arriving through
   * sync) runs `applyPending`, one run at a time. Returns a stop function.
   */
  function referee(
    campaign: string,
    on: {
      error?: (err: unknown) => void;
      answered?: (a: Array<{ id: string; status: 'applied' | 'refused'; reason: string }>) => void;
    } = {},
  ): () => void {
    let queued = false;
    let stopped = false;
    const off = core.live.onChange((e) => {
      if (stopped || e.campaign !== campaign || e.kind !== 'intents' || queued) return;
      queued = true;
      void Promise.resolve().then(async () => {
        queued = false;
        if (stopped) return;
        try {
          const done = await applyPending(campaign);
          if (done.length) on.answered?.(done);
        } catch (err) {
          on.error?.(err);
        }
      });
    });
    return () => {
      stopped = true;
      off();
    };
  }

  return {
    encounters: {
      build: buildPrepared,
      async list(campaign: string): Promise<PreparedEncounter[]> {
        await requireDm(campaign, 'encounter list');
        return Object.values((await readPlay(campaign)).encounters);
      },
    },
    combat: {
      start: async (input: StartInput) => startView(await start(input)),
      next: (session: string) =>
        act(session, (s, c) => ({ state: C.nextTurn(s, c) })).then((r) => startView(r.state)),
      damage: (
        session: string,
        id: string,
        amount: number,
        opts: { type?: string; critical?: boolean } = {},
      ) => act(session, (s, c) => C.damage(s, resolveId(s, id), amount, opts, c)).then((r) => r.combatant),
      heal: (session: string, id: string, amount: number, opts: { temp?: boolean } = {}) =>
        act(session, (s, c) => C.heal(s, resolveId(s, id), amount, opts, c)).then((r) => r.combatant),
      condition: async (
        session: string,
        id: string,
        op: 'add' | 'remove',
        name: string,
        opts: { rounds?: number } = {},
      ) => {
        if (op !== 'add' && op !== 'remove') fail('<op>', `"${String(op)}" must be add or remove`);
        return act(session, (s, c) => C.condition(s, resolveId(s, id), op, name, opts, c)).then(
          (r) => r.combatant,
        );
      },
      deathSave: (session: string, id: string, d20?: number) =>
        act(session, (s, c) => C.deathSave(s, resolveId(s, id), d20, c)).then((r) => r.combatant),
      concentrate: (session: string, id: string, effect: string | null) =>
        act(session, (s, c) => C.concentrate(s, resolveId(s, id), effect, c)).then((r) => r.combatant),
      concentrationSave: (session: string, id: string, total: number) =>
        act(session, (s, c) => C.concentrationSave(s, resolveId(s, id), total, c)).then((r) => r.combatant),
      use: (session: string, id: string, action: string, opts: { cost?: number } = {}) =>
        act(session, (s, c) => C.useAction(s, resolveId(s, id), action, opts, c)).then(
          ({ state: _s, ...rest }) => rest,
        ),
      reveal: (session: string, id: string) =>
        act(session, (s, c) => ({ state: C.reveal(s, resolveId(s, id), c) })).then((r) => startView(r.state)),
      end: (session: string) =>
        act(session, (s, c) => ({ state: C.endCombat(s, c) })).then((r) => startView(r.state)),
      setAutoApply: async (session: string, kinds: string[]) => {
        for (const k of kinds)
          if (!(INTENT_ACTIONS as readonly string[]).includes(k))
            fail('--auto-apply', `"${k}" is not one of ${INTENT_ACTIONS.join(', ')}`);
        return act(session, (s) => ({ state: { ...s, autoApply: [...new Set(kinds)] } })).then(
          (r) => r.state.autoApply,
        );
      },
      view,
      /** The raw DM state (tests, the app's tracker); a copy, so the remembered state stays as stored. */
      state: async (session: string) => structuredClone((await loadCombat(session)).state),
    },
    intents: { submit, list: listIntents, resolve, applyPending, referee },
    sheet,
    /** Shared with other code: the public projection and the health labels. */
    project: { publicSession: C.publicSession, healthLabel: C.healthLabel },
  };
}
