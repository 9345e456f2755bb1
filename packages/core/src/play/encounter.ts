/**
 * Encounter builder (pure): from the party's levels, a difficulty and a pool of creatures, pick a composition a DM
 * would use — a leader with minions of lower challenge (not a row of clones) — whose XP fits the budget. The
 * difficulty is rated both ways (2024 XP budget, 2014 thresholds with the group multiplier).
 */
import {
  crIndex,
  encounterDifficulty2014,
  encounterDifficulty2024,
  xpForCr,
  type Difficulty2014,
} from '@loreforge/rules-5e';
import type { Rng } from '@loreforge/rules-5e/dice';
import { CoreError } from '../errors';
import { DIFFICULTIES_2014, DIFFICULTIES_2024, type PreparedCreature } from './schema';

export interface EncounterCandidate {
  id: string;
  name: string;
  cr: number;
  type: string;
  /** Words to match a theme against (summary, traits). */
  text: string;
  campaign: boolean;
}

export interface EncounterRequest {
  partyLevels: number[];
  ruleset: '2024' | '2014';
  difficulty: string;
  candidates: EncounterCandidate[];
  /** The DM named the creatures: every one may be used, clones allowed when only one was named. */
  named: boolean;
  rng: Rng;
}

export interface EncounterPick {
  creatures: PreparedCreature[];
  xp: number;
  adjustedXp?: number;
  budget: Record<string, number>;
  rated: { '2024': string; '2014': string };
}

function fail(field: string, reason: string): never {
  throw new CoreError('invalid-input', `${field}: ${reason}`);
}

/** Budget window [min, max] in the measure of the ruleset (2024 XP; 2014 adjusted XP). */
export function budgetWindow(
  partyLevels: number[],
  ruleset: '2024' | '2014',
  difficulty: string,
): { min: number; max: number; budget: Record<string, number> } {
  if (ruleset === '2024') {
    if (!(DIFFICULTIES_2024 as readonly string[]).includes(difficulty))
      fail('--difficulty', `"${difficulty}" is not a 2024 difficulty (low, moderate, high)`);
    const b = encounterDifficulty2024(partyLevels, []).budget;
    const budget = { low: b.low, moderate: b.moderate, high: b.high };
    if (difficulty === 'low') return { min: Math.ceil(b.low * 0.5), max: b.low, budget };
    if (difficulty === 'moderate') return { min: b.low + 1, max: b.moderate, budget };
    return { min: b.moderate + 1, max: b.high, budget };
  }
  if (!(DIFFICULTIES_2014 as readonly string[]).includes(difficulty))
    fail('--difficulty', `"${difficulty}" is not a 2014 difficulty (easy, medium, hard, deadly)`);
  const t = encounterDifficulty2014(partyLevels, []).thresholds;
  const budget = { easy: t.easy, medium: t.medium, hard: t.hard, deadly: t.deadly };
  const d = difficulty as Exclude<Difficulty2014, 'trivial'>;
  const next = { easy: t.medium, medium: t.hard, hard: t.deadly, deadly: Math.floor(t.deadly * 1.5) + 1 }[d];
  return { min: t[d], max: next - 1, budget };
}

/** Rate a list of CRs both ways. */
export function rateBothWays(
  partyLevels: number[],
  crs: number[],
): { r2024: ReturnType<typeof encounterDifficulty2024>; r2014: ReturnType<typeof encounterDifficulty2014> } {
  return {
    r2024: encounterDifficulty2024(partyLevels, crs),
    r2014: encounterDifficulty2014(partyLevels, crs),
  };
}

function pickWeighted<T>(items: T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Creatures matching a theme: a word of the theme equals the creature type or appears in its name or text. */
export function matchTheme(candidates: EncounterCandidate[], theme: string): EncounterCandidate[] {
  const words = theme
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3)
    .map((w) => w.replace(/s$/, ''));
  if (words.length === 0) fail('--theme', `"${theme}" has no word to match (3 letters or more)`);
  return candidates.filter((c) => {
    const type = c.type.toLowerCase();
    const hay = `${c.name} ${c.text}`.toLowerCase();
    return words.some((w) => type.startsWith(w) || new RegExp(`\\b${w}`).test(hay));
  });
}

/**
 * Search compositions: a leader (highest CR of the group), then one or two minion kinds of lower CR, filled one at
 * a time while the total stays in the window. The best of many seeded tries (closest to 85% of the window's top,
 * more distinct kinds preferred) wins. Clones only when a single creature was named.
 */
export function buildEncounter(req: EncounterRequest): EncounterPick {
  const { partyLevels, ruleset, difficulty, candidates, rng } = req;
  if (candidates.length === 0) fail('--creatures', 'no creature to choose from');
  const win = budgetWindow(partyLevels, ruleset, difficulty);
  const measure = (crs: number[]): number => {
    if (ruleset === '2024') return encounterDifficulty2024(partyLevels, crs).xp;
    return encounterDifficulty2014(partyLevels, crs).adjustedXp;
  };
  const maxCount = Math.max(4, partyLevels.length * 2 + 2);
  const single = candidates.length === 1;
  const target = win.min + (win.max - win.min) * 0.85;
  let best: { picks: Map<string, number>; leader: string; score: number } | null = null;

  const byCr = [...candidates].sort((a, b) => crIndex(b.cr) - crIndex(a.cr));
  // The same for every try: who may lead, and (per leader) the lower-CR creatures that may join it.
  const leaders = byCr.filter((c) => xpForCr(c.cr) <= win.max * (single ? 1 : 0.7));
  const lowerOf = new Map<EncounterCandidate, EncounterCandidate[]>();
  for (let attempt = 0; attempt < 600; attempt++) {
    if (leaders.length === 0) break;
    const leader = pickWeighted(leaders, rng);
    const picks = new Map<string, number>([[leader.id, 1]]);
    const crs = [leader.cr];
    let lowerAll = lowerOf.get(leader);
    if (!lowerAll) {
      lowerAll = candidates.filter((c) => c.id !== leader.id && crIndex(c.cr) < crIndex(leader.cr));
      lowerOf.set(leader, lowerAll);
    }
    const kinds: EncounterCandidate[] = single ? [leader] : [];
    if (!single) {
      const pool = [...lowerAll];
      const want = 1 + (rng() < 0.4 ? 1 : 0);
      while (kinds.length < want && pool.length > 0) {
        const i = Math.floor(rng() * pool.length);
        kinds.push(pool.splice(i, 1)[0] as EncounterCandidate);
      }
      // A named pair of equal CRs: the other named creature joins as a member.
      if (kinds.length === 0 && req.named) kinds.push(...candidates.filter((c) => c.id !== leader.id));
    }
    // Fill while the total stays under the top; stop at random once inside the window.
    let guard = 0;
    while (kinds.length > 0 && crs.length < maxCount && guard++ < 50) {
      const k = pickWeighted(kinds, rng);
      const next = measure([...crs, k.cr]);
      if (next > win.max) {
        const fits = kinds.filter((o) => measure([...crs, o.cr]) <= win.max);
        if (fits.length === 0) break;
        continue;
      }
      crs.push(k.cr);
      picks.set(k.id, (picks.get(k.id) ?? 0) + 1);
      const now = measure(crs);
      if (now >= target && rng() < 0.5) break;
    }
    const total = measure(crs);
    if (total < win.min || total > win.max) continue;
    const distinct = picks.size;
    if (!single && crs.length > 1 && distinct < 2) continue;
    const score = Math.abs(total - target) / Math.max(1, win.max) - (distinct > 1 ? 0.05 : 0);
    if (!best || score < best.score) best = { picks, leader: leader.id, score };
  }
  if (!best) {
    fail(
      '--difficulty',
      `no composition of ${candidates.length} candidate creature(s) fits the ${difficulty} budget (${win.min}–${win.max} ${ruleset === '2024' ? 'XP' : 'adjusted XP'}) for party levels ${partyLevels.join(', ')}`,
    );
  }
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const creatures: PreparedCreature[] = [...best.picks.entries()].map(([id, count]) => {
    const c = byId.get(id) as EncounterCandidate;
    const role =
      best.picks.size === 1 ? (count === 1 ? 'solo' : 'member') : id === best.leader ? 'leader' : 'minion';
    return { srd: c.id, name: c.name, cr: c.cr, xp: xpForCr(c.cr), count, role, campaign: c.campaign };
  });
  creatures.sort((a, b) => b.cr - a.cr);
  const crs = creatures.flatMap((c) => Array<number>(c.count).fill(c.cr));
  const { r2024, r2014 } = rateBothWays(partyLevels, crs);
  return {
    creatures,
    xp: r2024.xp,
    ...(ruleset === '2014' ? { adjustedXp: r2014.adjustedXp } : {}),
    budget: win.budget,
    rated: { '2024': r2024.difficulty, '2014': r2014.difficulty },
  };
}
