/**
 * The combat tracker (pure, the DM's referee logic): initiative, turns and rounds, damage, healing, conditions with
 * durations, concentration, death saves, legendary actions and recharge, a roll log; and the projections of the
 * state — the DM's full view and the public view players get (hidden combatants absent, foes' HP as labels).
 * Every transition returns a new state; hit-point rules come from rules-5e's combat transitions.
 */
import {
  CONDITIONS,
  DAMAGE_TYPES,
  addCondition,
  applyDamage,
  applyDeathSave,
  endConcentration,
  grantTempHp,
  heal as healState,
  removeCondition,
  type CombatantState,
  type Condition,
  type DamageType,
} from '@loreforge/rules-5e';
import { roll, type Rng } from '@loreforge/rules-5e/dice';
import { CoreError } from '../errors';
import type {
  CombatState,
  CombatantRecord,
  CombatantStatus,
  LogEntry,
  Prompt,
  PublicCombatant,
} from './schema';

export interface CombatCtx {
  rng: Rng;
  now: number;
}

/** What the caller knows of a combatant before initiative is rolled. */
export type CombatantSeed = Omit<
  CombatantRecord,
  'initiative' | 'timed' | 'deathSaves' | 'stable' | 'dead' | 'notes' | 'conditions' | 'exhaustion' | 'tempHp'
> & { conditions?: string[]; tempHp?: number; exhaustion?: number; initiative?: number };

export interface CombatantOut {
  id: string;
  hp: number;
  tempHp: number;
  status: CombatantStatus;
  conditions: string[];
  concentrationDc?: number;
  events?: string[];
}

const LAIR_BONUS = -100;

function fail(field: string, reason: string): never {
  throw new CoreError('invalid-input', `${field}: ${reason}`);
}

export function statusOf(c: Pick<CombatantRecord, 'dead' | 'hp' | 'stable' | 'kind'>): CombatantStatus {
  if (c.dead) return 'dead';
  if (c.kind === 'lair') return 'conscious';
  if (c.hp === 0) return c.stable ? 'stable' : 'unconscious';
  return 'conscious';
}

/** Foes' HP as players see it: down (0 or dead), critical (≤ 10%), bloodied (≤ 50%), healthy. */
export function healthLabel(c: Pick<CombatantRecord, 'hp' | 'maxHp' | 'dead'>): PublicCombatant['health'] {
  if (c.dead || c.hp <= 0) return 'down';
  if (c.hp * 10 <= c.maxHp) return 'critical';
  if (c.hp * 2 <= c.maxHp) return 'bloodied';
  return 'healthy';
}

function toRules(c: CombatantRecord, ruleset: CombatState['ruleset']): CombatantState {
  return {
    ruleset,
    kind: c.kind === 'character' ? 'character' : 'monster',
    hp: c.hp,
    maxHp: Math.max(1, c.maxHp),
    tempHp: c.tempHp,
    conModifier: c.conModifier,
    hitDice: {},
    spellSlots: { max: [0, 0, 0, 0, 0, 0, 0, 0, 0], expended: [0, 0, 0, 0, 0, 0, 0, 0, 0] },
    pactSlots: null,
    exhaustion: c.exhaustion,
    conditions: c.conditions.filter((x): x is Condition => (CONDITIONS as readonly string[]).includes(x)),
    deathSaves: { ...c.deathSaves },
    stable: c.stable,
    dead: c.dead,
    concentration: c.concentration ?? null,
    resistances: c.resistances as DamageType[],
    immunities: c.immunities as DamageType[],
    vulnerabilities: c.vulnerabilities as DamageType[],
  };
}

function fromRules(c: CombatantRecord, s: CombatantState): CombatantRecord {
  const next: CombatantRecord = {
    ...c,
    hp: s.hp,
    tempHp: s.tempHp,
    conditions: [...s.conditions],
    deathSaves: { ...s.deathSaves },
    stable: s.stable,
    dead: s.dead,
    exhaustion: s.exhaustion,
  };
  if (s.concentration === null) delete next.concentration;
  else next.concentration = s.concentration;
  return next;
}

function find(state: CombatState, id: string): CombatantRecord {
  const c = state.order.find((x) => x.id === id);
  if (!c) fail('<combatant>', `"${id}" is not in this combat (${state.order.map((x) => x.id).join(', ')})`);
  return c;
}

function replace(state: CombatState, c: CombatantRecord): CombatState {
  return { ...state, order: state.order.map((x) => (x.id === c.id ? c : x)) };
}

/** The DM's roll log keeps the last entries only, so a long fight does not grow the notes without bound. */
export const LOG_LIMIT = 500;

function log(state: CombatState, ctx: CombatCtx, text: string, isPublic: boolean): CombatState {
  const entry: LogEntry = { at: ctx.now, round: state.round, text, public: isPublic };
  const all = [...state.log, entry];
  return { ...state, log: all.length > LOG_LIMIT ? all.slice(-LOG_LIMIT) : all };
}

/** Log entries about a combatant are public when it is visible and (for numbers) on the party's side. */
function visible(c: CombatantRecord): boolean {
  return !c.hidden;
}

function withoutPrompt(state: CombatState, kind: Prompt['kind'], id: string): CombatState {
  return { ...state, prompts: state.prompts.filter((p) => !(p.kind === kind && p.combatant === id)) };
}

function withPrompt(state: CombatState, p: Prompt): CombatState {
  return {
    ...withoutPrompt(state, p.kind, p.combatant),
    prompts: [...withoutPrompt(state, p.kind, p.combatant).prompts, p],
  };
}

/** Initiative order: higher total first, ties by the higher bonus (lair actions, bonus −100, lose every tie), then name. */
export function sortOrder(order: CombatantRecord[]): CombatantRecord[] {
  return [...order].sort(
    (a, b) =>
      b.initiative - a.initiative ||
      b.initiativeBonus - a.initiativeBonus ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
}

function rollInitiative(seed: CombatantSeed, ctx: CombatCtx): { total: number; text: string } {
  if (seed.kind === 'lair')
    return { total: 20, text: `${seed.name}: initiative 20 (lair actions lose ties)` };
  if (seed.initiative !== undefined)
    return { total: seed.initiative, text: `${seed.name}: initiative ${seed.initiative} (given)` };
  const bonus = seed.initiativeBonus;
  const r = roll(`1d20${bonus >= 0 ? '+' : ''}${bonus}`, ctx.rng);
  return { total: r.total, text: `${seed.name} rolls initiative: ${r.output}` };
}

export function makeRecord(seed: CombatantSeed, initiative: number): CombatantRecord {
  return {
    ...seed,
    initiative,
    initiativeBonus: seed.kind === 'lair' ? LAIR_BONUS : seed.initiativeBonus,
    tempHp: seed.tempHp ?? 0,
    conditions: seed.conditions ?? [],
    exhaustion: seed.exhaustion ?? 0,
    timed: [],
    deathSaves: { successes: 0, failures: 0 },
    stable: false,
    dead: seed.kind === 'monster' && seed.hp === 0,
    notes: '',
  };
}

/** Roll initiative for everyone and start round 1 at the top of the order. */
export function startCombat(
  init: {
    session: string;
    encounter?: string;
    ruleset: CombatState['ruleset'];
    seeds: CombatantSeed[];
    seats?: Record<string, string>;
    revealOnTurn?: boolean;
  },
  ctx: CombatCtx,
): CombatState {
  if (init.seeds.length === 0) fail('--creatures', 'a combat needs at least one combatant');
  const ids = new Set<string>();
  let state: CombatState = {
    session: init.session,
    ...(init.encounter !== undefined ? { encounter: init.encounter } : {}),
    ruleset: init.ruleset,
    status: 'active',
    round: 1,
    turn: '',
    order: [],
    seats: init.seats ?? {},
    autoApply: ['damage', 'heal', 'end-turn', 'initiative'],
    revealOnTurn: init.revealOnTurn === true,
    prompts: [],
    log: [],
    handled: {},
  };
  const records: CombatantRecord[] = [];
  for (const seed of init.seeds) {
    if (ids.has(seed.id)) fail('--party', `"${seed.id}" is in the combat twice`);
    ids.add(seed.id);
    const r = rollInitiative(seed, ctx);
    records.push(makeRecord(seed, r.total));
    state = log(state, ctx, r.text, !seed.hidden);
  }
  state = { ...state, order: sortOrder(records) };
  state = { ...state, turn: (state.order[0] as CombatantRecord).id };
  return startTurn(log(state, ctx, 'Round 1 begins', true), ctx);
}

/** Add a combatant mid-combat (a late initiative roll); it takes its place in the order. */
export function addCombatant(state: CombatState, seed: CombatantSeed, ctx: CombatCtx): CombatState {
  if (state.order.some((c) => c.id === seed.id))
    fail('--character', `"${seed.id}" already rolled initiative`);
  const r = rollInitiative(seed, ctx);
  const next = { ...state, order: sortOrder([...state.order, makeRecord(seed, r.total)]) };
  return log(next, ctx, r.text, !seed.hidden);
}

/** Start-of-turn effects for `state.turn`: durations expire, legendary actions reset, recharge rolls, prompts. */
function startTurn(state: CombatState, ctx: CombatCtx): CombatState {
  let s = state;
  // "Hidden until its first turn": the foe appears as it acts.
  if (s.revealOnTurn && find(s, s.turn).hidden) s = reveal(s, s.turn, ctx);
  const active = find(s, s.turn);
  // Timed conditions on anyone that end at the start of this combatant's turn in this round (or earlier rounds).
  for (const c of s.order) {
    const expired = c.timed.filter(
      (t) => (t.turnOf === active.id && s.round >= t.round) || s.round > t.round,
    );
    if (expired.length === 0) continue;
    let rec = { ...c, timed: c.timed.filter((t) => !expired.includes(t)) };
    for (const t of expired) {
      rec = { ...rec, conditions: rec.conditions.filter((x) => x !== t.name) };
      s = log(s, ctx, `${c.name}: ${t.name} ends`, visible(c));
    }
    s = replace(s, rec);
  }
  let cur = find(s, active.id);
  if (cur.legendary && cur.legendary.used > 0) {
    cur = { ...cur, legendary: { ...cur.legendary, used: 0 } };
    s = log(
      replace(s, cur),
      ctx,
      `${cur.name}: legendary actions reset (${cur.legendary?.max ?? 0}/${cur.legendary?.max ?? 0})`,
      visible(cur),
    );
  }
  if (cur.recharge.some((r) => !r.ready)) {
    const recharge = cur.recharge.map((r) => {
      if (r.ready) return r;
      const d = roll('1d6', ctx.rng).total;
      s = log(
        s,
        ctx,
        `${cur.name}: recharge ${r.action} (${r.min}–6) rolled ${d}${d >= r.min ? ', ready' : ''}`,
        false,
      );
      return { ...r, ready: d >= r.min };
    });
    cur = { ...cur, recharge };
    s = replace(s, cur);
  }
  if (cur.kind === 'character' && !cur.dead && cur.hp === 0 && !cur.stable) {
    s = withPrompt(s, { kind: 'death-save', combatant: cur.id });
  }
  return log(s, ctx, `${cur.name}'s turn`, visible(cur));
}

/** Next turn: skips the dead (monsters and the fallen alike); a new round after the last. */
export function nextTurn(state: CombatState, ctx: CombatCtx): CombatState {
  if (state.status !== 'active') fail('<session>', 'the combat has ended');
  const idx = state.order.findIndex((c) => c.id === state.turn);
  let round = state.round;
  let i = idx;
  for (let step = 0; step < state.order.length; step++) {
    i++;
    if (i >= state.order.length) {
      i = 0;
      round++;
    }
    const c = state.order[i] as CombatantRecord;
    if (!c.dead) break;
  }
  let s: CombatState = { ...state, round, turn: (state.order[i] as CombatantRecord).id };
  if (round !== state.round) s = log(s, ctx, `Round ${round} begins`, true);
  return startTurn(s, ctx);
}

function out(
  c: CombatantRecord,
  extra: { concentrationDc?: number | null; events?: string[] } = {},
): CombatantOut {
  return {
    id: c.id,
    hp: c.hp,
    tempHp: c.tempHp,
    status: statusOf(c),
    conditions: [...c.conditions],
    ...(extra.concentrationDc != null ? { concentrationDc: extra.concentrationDc } : {}),
    ...(extra.events && extra.events.length ? { events: extra.events } : {}),
  };
}

export function combatantOut(state: CombatState, id: string): CombatantOut {
  const c = find(state, id);
  const p = state.prompts.find((x) => x.kind === 'concentration' && x.combatant === id);
  return out(c, { concentrationDc: p?.dc ?? null });
}

function checkAmount(amount: number): void {
  if (!Number.isInteger(amount) || amount < 0 || amount > 100_000)
    fail('<amount>', `${String(amount)} must be a whole number from 0 to 100000`);
}

/** Damage with an optional type (resistances, immunities, vulnerabilities apply); untyped damage ignores them. */
export function damage(
  state: CombatState,
  id: string,
  amount: number,
  opts: { type?: string; critical?: boolean },
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  checkAmount(amount);
  if (opts.type !== undefined && !(DAMAGE_TYPES as readonly string[]).includes(opts.type))
    fail('--type', `"${opts.type}" is not a damage type (${DAMAGE_TYPES.join(', ')})`);
  const c = find(state, id);
  if (c.kind === 'lair') fail('<combatant>', `"${id}" is the lair; it takes no damage`);
  let rules = toRules(c, state.ruleset);
  if (opts.type === undefined) rules = { ...rules, resistances: [], immunities: [], vulnerabilities: [] };
  const res = applyDamage(rules, {
    amount,
    type: (opts.type ?? 'bludgeoning') as DamageType,
    ...(opts.critical === true ? { critical: true } : {}),
  });
  const rec = fromRules(c, res.state);
  let s = replace(state, rec);
  const foeNumbers = c.side === 'party';
  s = log(
    s,
    ctx,
    `${c.name} takes ${res.damage}${opts.type ? ` ${opts.type}` : ''} damage${res.events.length ? ` (${res.events.join(', ')})` : ''}`,
    visible(c) && foeNumbers,
  );
  if (!foeNumbers && visible(c) && res.events.includes('died')) s = log(s, ctx, `${c.name} is down`, true);
  if (res.concentrationDc !== null) {
    s = withPrompt(s, { kind: 'concentration', combatant: id, dc: res.concentrationDc });
    s = log(
      s,
      ctx,
      `${c.name} must make a DC ${res.concentrationDc} Constitution save to keep concentrating on ${c.concentration ?? ''}`,
      visible(c) && foeNumbers,
    );
  }
  if (rec.dead || rec.concentration === undefined) s = withoutPrompt(s, 'concentration', id);
  if (rec.dead) s = withoutPrompt(s, 'death-save', id);
  else if (rec.kind === 'character' && rec.hp === 0 && !rec.stable && s.turn === id)
    s = withPrompt(s, { kind: 'death-save', combatant: id });
  return { state: s, combatant: out(rec, { concentrationDc: res.concentrationDc, events: res.events }) };
}

export function heal(
  state: CombatState,
  id: string,
  amount: number,
  opts: { temp?: boolean },
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  checkAmount(amount);
  const c = find(state, id);
  if (c.kind === 'lair') fail('<combatant>', `"${id}" is the lair; it has no hit points`);
  if (c.dead) fail('<combatant>', `${c.name} is dead; healing does not bring the dead back`);
  const rules = toRules(c, state.ruleset);
  const next = opts.temp === true ? grantTempHp(rules, amount) : healState(rules, amount);
  const rec = fromRules(c, next);
  let s = replace(state, rec);
  if (rec.hp > 0) s = withoutPrompt(s, 'death-save', id);
  s = log(
    s,
    ctx,
    `${c.name} ${opts.temp === true ? `gains ${amount} temporary HP` : `regains ${rec.hp - c.hp} HP`}`,
    visible(c) && c.side === 'party',
  );
  return { state: s, combatant: out(rec) };
}

export function condition(
  state: CombatState,
  id: string,
  op: 'add' | 'remove',
  name: string,
  opts: { rounds?: number },
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  const cond = name.toLowerCase();
  if (!(CONDITIONS as readonly string[]).includes(cond))
    fail('<name>', `"${name}" is not a condition (${CONDITIONS.join(', ')})`);
  if (opts.rounds !== undefined && (!Number.isInteger(opts.rounds) || opts.rounds < 1 || opts.rounds > 1000))
    fail('--rounds', `${String(opts.rounds)} must be a whole number from 1 to 1000`);
  const c = find(state, id);
  let rec: CombatantRecord;
  if (op === 'add') {
    const wasConcentrating = c.concentration;
    rec = fromRules(c, addCondition(toRules(c, state.ruleset), cond as Condition));
    // Keep conditions rules-5e does not track as Condition (none today) and add the timer.
    const timed = c.timed.filter((t) => t.name !== cond);
    if (opts.rounds !== undefined)
      timed.push({ name: cond, round: state.round + opts.rounds, turnOf: state.turn });
    rec = { ...rec, timed };
    let s = log(
      replace(state, rec),
      ctx,
      `${c.name} is ${cond}${opts.rounds !== undefined ? ` for ${opts.rounds} round${opts.rounds > 1 ? 's' : ''}` : ''}`,
      visible(c),
    );
    if (wasConcentrating !== undefined && rec.concentration === undefined) {
      s = withoutPrompt(
        log(s, ctx, `${c.name} loses concentration on ${wasConcentrating}`, visible(c)),
        'concentration',
        id,
      );
    }
    return { state: s, combatant: combatantOut(s, id) };
  }
  if (!c.conditions.includes(cond)) fail('<name>', `${c.name} is not ${cond}`);
  rec = fromRules(c, removeCondition(toRules(c, state.ruleset), cond as Condition));
  rec = { ...rec, timed: c.timed.filter((t) => t.name !== cond) };
  const s = log(replace(state, rec), ctx, `${c.name} is no longer ${cond}`, visible(c));
  return { state: s, combatant: combatantOut(s, id) };
}

/** One death save with the natural d20 (given, or rolled with the dice library). */
export function deathSave(
  state: CombatState,
  id: string,
  d20: number | undefined,
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  const c = find(state, id);
  if (c.kind !== 'character')
    fail('<combatant>', `${c.name} is not a character; monsters do not make death saves`);
  if (c.dead || c.hp > 0 || c.stable)
    fail(
      '<combatant>',
      `${c.name} is ${statusOf(c)}; only a character at 0 HP who is neither stable nor dead saves`,
    );
  let natural = d20;
  let text: string;
  if (natural === undefined) {
    const r = roll('1d20', ctx.rng);
    natural = r.total;
    text = `${c.name} rolls a death save: ${r.output}`;
  } else {
    if (!Number.isInteger(natural) || natural < 1 || natural > 20)
      fail('--roll', `${String(natural)} must be a natural d20 from 1 to 20`);
    text = `${c.name} death save: ${natural}`;
  }
  const rec = fromRules(c, applyDeathSave(toRules(c, state.ruleset), natural));
  let s = replace(state, rec);
  const ds = rec.deathSaves;
  s = log(
    s,
    ctx,
    `${text} → ${statusOf(rec)} (${ds.successes} successes, ${ds.failures} failures)`,
    visible(c),
  );
  s = withoutPrompt(s, 'death-save', id);
  return { state: s, combatant: out(rec) };
}

export function concentrate(
  state: CombatState,
  id: string,
  effect: string | null,
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  const c = find(state, id);
  let rec: CombatantRecord;
  if (effect === null) {
    rec = fromRules(c, endConcentration(toRules(c, state.ruleset)));
  } else {
    if (effect.trim() === '' || effect.length > 200) fail('--spell', 'must be a name of 1 to 200 characters');
    if (
      c.dead ||
      c.hp === 0 ||
      c.conditions.some((x) =>
        ['incapacitated', 'unconscious', 'paralyzed', 'petrified', 'stunned'].includes(x),
      )
    )
      fail('<combatant>', `${c.name} cannot concentrate while dead or incapacitated`);
    rec = { ...c, concentration: effect.trim() };
  }
  let s = replace(state, rec);
  if (effect === null) s = withoutPrompt(s, 'concentration', id);
  s = log(
    s,
    ctx,
    effect === null ? `${c.name} stops concentrating` : `${c.name} concentrates on ${effect.trim()}`,
    visible(c),
  );
  return { state: s, combatant: out(rec) };
}

/** The concentration save asked for: `total` ≥ DC keeps it, else it ends. */
export function concentrationSave(
  state: CombatState,
  id: string,
  total: number,
  ctx: CombatCtx,
): { state: CombatState; combatant: CombatantOut } {
  const c = find(state, id);
  const p = state.prompts.find((x) => x.kind === 'concentration' && x.combatant === id);
  if (!p || p.dc === undefined) fail('<combatant>', `${c.name} has no concentration save to make`);
  if (!Number.isInteger(total) || total < -20 || total > 60)
    fail('--roll', `${String(total)} must be a save total from -20 to 60`);
  let s = withoutPrompt(state, 'concentration', id);
  if (total >= p.dc) {
    s = log(s, ctx, `${c.name} keeps concentrating (${total} vs DC ${p.dc})`, visible(c));
    return { state: s, combatant: out(c) };
  }
  const rec = { ...c };
  delete rec.concentration;
  s = log(
    replace(s, rec),
    ctx,
    `${c.name} loses concentration on ${c.concentration ?? ''} (${total} vs DC ${p.dc})`,
    visible(c),
  );
  return { state: s, combatant: out(rec) };
}

/** Spend a legendary action (cost, default 1) or a recharge action. */
export function useAction(
  state: CombatState,
  id: string,
  action: string,
  opts: { cost?: number },
  ctx: CombatCtx,
): { state: CombatState; legendary?: string; recharge?: { action: string; ready: boolean } } {
  const c = find(state, id);
  const r = c.recharge.find((x) => x.action.toLowerCase() === action.toLowerCase());
  if (r) {
    if (!r.ready)
      fail('<action>', `${c.name}'s ${r.action} has not recharged (recharge ${r.min}–6 at its turn)`);
    const rec = { ...c, recharge: c.recharge.map((x) => (x === r ? { ...x, ready: false } : x)) };
    const s = log(replace(state, rec), ctx, `${c.name} uses ${r.action}`, visible(c));
    return { state: s, recharge: { action: r.action, ready: false } };
  }
  if (!c.legendary) fail('<action>', `${c.name} has no legendary actions and no recharge action "${action}"`);
  const cost = opts.cost ?? 1;
  if (!Number.isInteger(cost) || cost < 1 || cost > 3) fail('--cost', `${String(cost)} must be 1, 2 or 3`);
  if (state.turn === id)
    fail('<combatant>', `${c.name} takes legendary actions only at the end of another creature's turn`);
  const left = c.legendary.max - c.legendary.used;
  if (cost > left) fail('--cost', `${c.name} has ${left}/${c.legendary.max} legendary actions left`);
  const rec = { ...c, legendary: { ...c.legendary, used: c.legendary.used + cost } };
  const label = `${rec.legendary.max - rec.legendary.used}/${rec.legendary.max}`;
  const s = log(
    replace(state, rec),
    ctx,
    `${c.name} uses legendary action ${action} (${label} left)`,
    visible(c),
  );
  return { state: s, legendary: label };
}

export function reveal(state: CombatState, id: string, ctx: CombatCtx): CombatState {
  const c = find(state, id);
  if (!c.hidden) return state;
  return log(replace(state, { ...c, hidden: false }), ctx, `${c.name} appears`, true);
}

export function endCombat(state: CombatState, ctx: CombatCtx): CombatState {
  return log({ ...state, status: 'ended', prompts: [] }, ctx, 'Combat ends', true);
}

/** The DM's view: everything. */
export function dmView(state: CombatState): {
  session: string;
  round: number;
  turn: string;
  status: string;
  order: Array<{
    id: string;
    name: string;
    side: 'party' | 'foe';
    initiative: number;
    hidden: boolean;
    hp: number;
    maxHp: number;
    tempHp: number;
    status: CombatantStatus;
    conditions: string[];
    concentration?: string;
    deathSaves: { successes: number; failures: number };
    legendary?: string;
    recharge?: Array<{ action: string; ready: boolean }>;
  }>;
  prompts: Prompt[];
  log: LogEntry[];
} {
  return {
    session: state.session,
    round: state.round,
    turn: state.turn,
    status: state.status,
    order: state.order.map((c) => ({
      id: c.id,
      name: c.name,
      side: c.side,
      initiative: c.initiative,
      hidden: c.hidden,
      hp: c.hp,
      maxHp: c.maxHp,
      tempHp: c.tempHp,
      status: statusOf(c),
      conditions: [...c.conditions],
      ...(c.concentration !== undefined ? { concentration: c.concentration } : {}),
      deathSaves: { ...c.deathSaves },
      ...(c.legendary ? { legendary: `${c.legendary.max - c.legendary.used}/${c.legendary.max}` } : {}),
      ...(c.recharge.length
        ? { recharge: c.recharge.map((r) => ({ action: r.action, ready: r.ready })) }
        : {}),
    })),
    prompts: state.prompts,
    log: state.log,
  };
}

/**
 * Public forms by record and log entry object. The tracker's states share every record and entry an action left
 * alone, so their public forms stay the same objects too: the session write and its check skip them by identity.
 * Both are pure functions of the object (never mutated), so a cached form is always the one it would compute;
 * they are frozen, so no caller can change what later calls hand out.
 */
const publicRows = new WeakMap<CombatantRecord, PublicCombatant>();
const publicEntries = new WeakMap<LogEntry, { at: number; round: number; text: string }>();

/** What players may see: hidden combatants absent, foes' HP as labels, the party's own numbers exact. */
export function publicCombatants(state: CombatState): PublicCombatant[] {
  return state.order
    .filter((c) => !c.hidden)
    .map((c) => {
      const known = publicRows.get(c);
      if (known) return known;
      const row = freezeDeep(publicRow(c));
      publicRows.set(c, row);
      return row;
    });
}

function freezeDeep<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) freezeDeep(v);
    Object.freeze(value);
  }
  return value;
}

function publicRow(c: CombatantRecord): PublicCombatant {
  const base: PublicCombatant = {
    id: c.id,
    name: c.name,
    initiative: c.initiative,
    side: c.side,
    status: statusOf(c),
    conditions: [...c.conditions],
  };
  if (c.side === 'party') {
    return {
      ...base,
      hp: c.hp,
      maxHp: c.maxHp,
      tempHp: c.tempHp,
      ...(c.concentration !== undefined ? { concentration: c.concentration } : {}),
      ...(c.hp === 0 && !c.dead ? { deathSaves: { ...c.deathSaves } } : {}),
    };
  }
  return {
    ...base,
    ...(c.kind === 'lair' ? {} : { health: healthLabel(c) }),
    ...(c.legendary ? { legendary: `${c.legendary.max - c.legendary.used}/${c.legendary.max}` } : {}),
  };
}

/** The public part of the state, as written into the `session` document. */
export function publicSession(state: CombatState): {
  round: number;
  status: 'live' | 'ended';
  active: string | null;
  combatants: PublicCombatant[];
  log: Array<{ at: number; round: number; text: string }>;
  prompts: Prompt[];
} {
  const active = state.order.find((c) => c.id === state.turn);
  const shown = new Set(state.order.filter((c) => !c.hidden).map((c) => c.id));
  return {
    round: state.round,
    status: state.status === 'active' ? 'live' : 'ended',
    active: active && !active.hidden ? active.id : null,
    combatants: publicCombatants(state),
    log: state.log
      .filter((e) => e.public)
      .slice(-100)
      .map((e) => {
        let entry = publicEntries.get(e);
        if (!entry) publicEntries.set(e, (entry = Object.freeze({ at: e.at, round: e.round, text: e.text })));
        return entry;
      }),
    prompts: state.prompts.filter(
      (p) => shown.has(p.combatant) && state.order.find((c) => c.id === p.combatant)?.side === 'party',
    ),
  };
}
