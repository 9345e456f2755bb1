/**
 * Monster drafts: adapt the closest SRD creature (by concept keywords and target CR) into a renamed,
 * re-themed stat block scaled to the target CR, tagged `adapted` with `basedOn`.
 */
import {
  estimateCr,
  summariseAction,
  summariseSpellcasting,
  type Content,
  type Creature,
  type CreatureAction,
  type DamageRoll,
  type Size,
  type Weapon,
} from '@loreforge/rules-5e';
import { CREATURE_HINTS, TYPE_ADJECTIVES, type Theme } from './affinity';
import { keywordHits, type ConceptProfile } from './concept';
import type { DraftChoices, LoreEntry } from './draft-schema';
import { loreFor, type NarrativeSlots } from './narrative';
import { composeMonsterStory } from './story';
import { createRng, pick, weightedPick } from './prng';
import { contentTokens, normalizeName, titleCase, toId } from './text';

/**
 * DMG 2014 "Monster Statistics by Challenge Rating" (rules-facts.md §4a, Grade B+): the columns the adapter
 * needs to move a stat block from one CR to another. Kept here until rules-5e exports its copy.
 */
export const CR_STATS = [
  [0, 13, 1, 6, 3, 0, 1, 13],
  [0.125, 13, 7, 35, 3, 2, 3, 13],
  [0.25, 13, 36, 49, 3, 4, 5, 13],
  [0.5, 13, 50, 70, 3, 6, 8, 13],
  [1, 13, 71, 85, 3, 9, 14, 13],
  [2, 13, 86, 100, 3, 15, 20, 13],
  [3, 13, 101, 115, 4, 21, 26, 13],
  [4, 14, 116, 130, 5, 27, 32, 14],
  [5, 15, 131, 145, 6, 33, 38, 15],
  [6, 15, 146, 160, 6, 39, 44, 15],
  [7, 15, 161, 175, 6, 45, 50, 15],
  [8, 16, 176, 190, 7, 51, 56, 16],
  [9, 16, 191, 205, 7, 57, 62, 16],
  [10, 17, 206, 220, 7, 63, 68, 16],
  [11, 17, 221, 235, 8, 69, 74, 17],
  [12, 17, 236, 250, 8, 75, 80, 17],
  [13, 18, 251, 265, 8, 81, 86, 18],
  [14, 18, 266, 280, 8, 87, 92, 18],
  [15, 18, 281, 295, 8, 93, 98, 18],
  [16, 18, 296, 310, 9, 99, 104, 18],
  [17, 19, 311, 325, 10, 105, 110, 19],
  [18, 19, 326, 340, 10, 111, 116, 19],
  [19, 19, 341, 355, 10, 117, 122, 19],
  [20, 19, 356, 400, 10, 123, 140, 19],
  [21, 19, 401, 445, 11, 141, 158, 20],
  [22, 19, 446, 490, 11, 159, 176, 20],
  [23, 19, 491, 535, 11, 177, 194, 20],
  [24, 19, 536, 580, 12, 195, 212, 21],
  [25, 19, 581, 625, 12, 213, 230, 21],
  [26, 19, 626, 670, 12, 231, 248, 21],
  [27, 19, 671, 715, 13, 249, 266, 22],
  [28, 19, 716, 760, 13, 267, 284, 22],
  [29, 19, 761, 805, 13, 285, 302, 22],
  [30, 19, 806, 850, 14, 303, 320, 23],
] as const;

interface CrRow {
  cr: number;
  ac: number;
  hpMin: number;
  hpMax: number;
  attack: number;
  dprMin: number;
  dprMax: number;
  dc: number;
}

/** XP by CR (SRD 5.2.1 p. 256, rules-facts.md §3, Grade A). CR 0 is given 10 XP (it has attacks). */
const XP_BY_CR: Readonly<Record<string, number>> = {
  '0': 10,
  '0.125': 25,
  '0.25': 50,
  '0.5': 100,
  '1': 200,
  '2': 450,
  '3': 700,
  '4': 1100,
  '5': 1800,
  '6': 2300,
  '7': 2900,
  '8': 3900,
  '9': 5000,
  '10': 5900,
  '11': 7200,
  '12': 8400,
  '13': 10000,
  '14': 11500,
  '15': 13000,
  '16': 15000,
  '17': 18000,
  '18': 20000,
  '19': 22000,
  '20': 25000,
  '21': 33000,
  '22': 41000,
  '23': 50000,
  '24': 62000,
  '25': 75000,
  '26': 90000,
  '27': 105000,
  '28': 120000,
  '29': 135000,
  '30': 155000,
};

/** Snap any number to the nearest CR on the ladder (0, 1/8, 1/4, 1/2, 1 … 30). */
export function snapCr(cr: number): number {
  let best = 0;
  for (const row of CR_STATS) if (Math.abs(row[0] - cr) < Math.abs(best - cr)) best = row[0];
  return best;
}

export function crRow(cr: number): CrRow {
  const snapped = snapCr(cr);
  const r = CR_STATS.find((row) => row[0] === snapped) ?? CR_STATS[0];
  return { cr: r[0], ac: r[1], hpMin: r[2], hpMax: r[3], attack: r[4], dprMin: r[5], dprMax: r[6], dc: r[7] };
}

export function proficiencyForCr(cr: number): number {
  return cr < 5 ? 2 : 2 + Math.ceil((cr - 4) / 4);
}

const HIT_DIE: Readonly<Record<Size, number>> = {
  tiny: 4,
  small: 6,
  medium: 8,
  large: 10,
  huge: 12,
  gargantuan: 20,
};

function mod(score: number): number {
  return Math.floor((score - 10) / 2);
}

function signed(n: number): string {
  return n === 0 ? '' : n > 0 ? `+${n}` : `${n}`;
}

/** Hit points near `target` as a hit-dice formula for this size and Con, with its printed average. */
export function hitPointsFor(target: number, size: Size, con: number): { average: number; formula: string } {
  const die = HIT_DIE[size];
  const perDie = (die + 1) / 2 + mod(con);
  const n = Math.max(1, Math.round(target / Math.max(1, perDie)));
  const bonus = n * mod(con);
  const average = Math.max(1, Math.floor((n * (die + 1)) / 2) + bonus);
  return { average, formula: `${n}d${die}${signed(bonus)}` };
}

/** Scale a damage roll's dice count by `ratio` (keeping the die and the flat bonus), with its new average. */
export function scaleDamage(roll: DamageRoll, ratio: number): DamageRoll {
  const m = /^(\d+)(?:d(\d+))?([+-]\d+)?$/.exec(roll.dice);
  if (!m) return roll;
  const count = Number(m[1]);
  const bonus = m[3] ? Number(m[3]) : 0;
  if (m[2] === undefined) {
    const flat = Math.max(1, Math.round((count + bonus) * ratio));
    return { dice: String(flat), average: flat, type: roll.type };
  }
  const die = Number(m[2]);
  const n = Math.max(1, Math.round(count * ratio));
  const average = Math.max(1, Math.floor((n * (die + 1)) / 2 + bonus));
  return { dice: `${n}d${die}${signed(bonus)}`, average, type: roll.type };
}

/** Summary segments that carry no numbers (conditions, spells cast, movement) survive a rescale. */
const KEPT_SEGMENT = /^(may impose|casts |moves)/i;

/**
 * Our one-line summary of a rescaled action, regenerated from its new numbers so the text never contradicts
 * the stat block; number-free segments of the old summary are kept.
 */
function rescaledSummary(action: CreatureAction, oldSummary: string): string {
  if (!action.attack && !action.save && !action.multiattack && !action.usage) return oldSummary;
  const mechanical = summariseAction(action, '').replace(/\.$/, '');
  const kept = oldSummary
    .replace(/\.$/, '')
    .split('; ')
    .filter((seg) => KEPT_SEGMENT.test(seg));
  return `${[mechanical, ...kept].join('; ')}.`;
}

function scaleAction(action: CreatureAction, k: { dpr: number; attack: number; dc: number }): CreatureAction {
  const out: CreatureAction = { ...action };
  if (action.attack) {
    out.attack = {
      ...action.attack,
      bonus: action.attack.bonus + k.attack,
      damage: action.attack.damage.map((d) => scaleDamage(d, k.dpr)),
    };
  }
  if (action.save) {
    out.save = {
      ...action.save,
      dc: action.save.dc + k.dc,
      damage: action.save.damage.map((d) => scaleDamage(d, k.dpr)),
    };
  }
  if (k.dpr !== 1 || k.attack !== 0 || k.dc !== 0) out.summary = rescaledSummary(out, action.summary);
  return out;
}

/** The CR ladder (0, 1/8, 1/4, 1/2, 1 … 30) and a value's position on it. */
const LADDER: readonly number[] = CR_STATS.map((r) => r[0]);
function crStep(cr: number): number {
  return LADDER.indexOf(snapCr(cr));
}

/** Estimates the CR of a stat block (the rules engine's estimator), used to calibrate the scaling. */
export type CrEstimator = (creature: Creature) => number;

/**
 * Move a stat block to `targetCr`: HP and damage dice scale with the CR table's midpoints (times `factor`);
 * AC, attack bonuses, DCs, PB, save/skill bonuses and XP follow the target row.
 */
function scaleBlock(base: Creature, cr: number, factor: number, name: string, summary: string): Creature {
  const from = crRow(base.cr);
  const to = crRow(cr);
  const mid = (r: CrRow, lo: 'hpMin' | 'dprMin', hi: 'hpMax' | 'dprMax'): number =>
    Math.max(1, (r[lo] + r[hi]) / 2);
  const same = cr === base.cr && factor === 1;
  const hpTarget = base.hp.average * (mid(to, 'hpMin', 'hpMax') / mid(from, 'hpMin', 'hpMax')) * factor;
  const hp = same ? base.hp : hitPointsFor(hpTarget, base.size, base.abilities.con);
  const pbShift = proficiencyForCr(cr) - base.proficiencyBonus;
  const k = same
    ? { dpr: 1, attack: 0, dc: 0 }
    : {
        dpr: (mid(to, 'dprMin', 'dprMax') / mid(from, 'dprMin', 'dprMax')) * factor,
        attack: to.attack - from.attack,
        dc: to.dc - from.dc,
      };
  const shift = (rec: Partial<Record<string, number>>): Record<string, number> =>
    Object.fromEntries(Object.entries(rec).map(([key, v]) => [key, (v ?? 0) + pbShift]));
  const spellcasting = base.spellcasting
    ? {
        ...base.spellcasting,
        dc: base.spellcasting.dc === null ? null : base.spellcasting.dc + k.dc,
        attackBonus: base.spellcasting.attackBonus === null ? null : base.spellcasting.attackBonus + k.attack,
      }
    : null;
  // The Spellcasting action's line repeats the block's DC and bonus: regenerate it from the new block.
  const withSpellLine = (a: CreatureAction): CreatureAction =>
    spellcasting && !same && /spellcasting/i.test(a.name)
      ? { ...a, summary: summariseSpellcasting(spellcasting) }
      : a;
  return {
    ...base,
    id: toId(name),
    name,
    ac: Math.max(5, base.ac + (to.ac - from.ac)),
    hp,
    cr,
    xp: XP_BY_CR[String(cr)] ?? base.xp,
    proficiencyBonus: proficiencyForCr(cr),
    saves: shift(base.saves),
    skills: shift(base.skills),
    actions: base.actions.map((a) => withSpellLine(scaleAction(a, k))),
    bonusActions: base.bonusActions.map((a) => scaleAction(a, k)),
    reactions: base.reactions.map((a) => scaleAction(a, k)),
    legendaryActions: base.legendaryActions
      ? {
          uses: base.legendaryActions.uses,
          actions: base.legendaryActions.actions.map((a) => scaleAction(a, k)),
        }
      : null,
    spellcasting,
    summary,
  };
}

/**
 * Adapt a stat block to `targetCr`. Without an estimator the table midpoints set the scale; with one, the
 * HP/damage scale is searched (bisection in log space, 12 steps) so the estimated CR lands as close to the
 * target as the estimator allows. The block is always labelled with the target CR.
 */
export function adaptCreature(
  base: Creature,
  targetCr: number,
  name: string,
  summary: string,
  estimate?: CrEstimator,
): Creature {
  const cr = snapCr(targetCr);
  const first = scaleBlock(base, cr, 1, name, summary);
  if (!estimate || cr === base.cr) return first;
  const target = crStep(cr);
  const miss = (c: Creature): number => crStep(estimate(c)) - target;
  let best = first;
  let bestMiss = miss(first);
  if (bestMiss === 0) return best;
  let lo = bestMiss > 0 ? -5 : 0;
  let hi = bestMiss > 0 ? 0 : 5;
  for (let i = 0; i < 12 && bestMiss !== 0; i++) {
    const m = (lo + hi) / 2;
    const candidate = scaleBlock(base, cr, Math.exp(m), name, summary);
    const d = miss(candidate);
    if (Math.abs(d) < Math.abs(bestMiss)) {
      best = candidate;
      bestMiss = d;
    }
    if (d < 0) lo = m;
    else hi = m;
  }
  return best;
}

/** The creature hints a concept triggers, with the hint names the concept itself mentions. */
export interface ActiveHints {
  readonly norm: string;
  /** The normalised head role the hints were read from. */
  readonly role: string;
  readonly hints: readonly { readonly types: readonly string[]; readonly names: readonly string[] }[];
}

/**
 * Hints come from what the monster *is* (the concept's head role, "clockwork sentinel"), not from what it does
 * ("guarding a vault" does not make it a guard); a concept with no readable role uses all of its words.
 */
export function activeHints(profile: ConceptProfile): ActiveHints {
  const norm = normalizeName(profile.concept);
  const role = normalizeName(profile.reading.elements.role);
  const text = role === '' ? norm : role;
  const words = text.split(' ');
  const hints = CREATURE_HINTS.filter((h) => keywordHits(text, words, h.keywords) > 0).map((h) => ({
    types: h.types,
    names: h.names.filter((n) => keywordHits(text, words, [n]) > 0),
  }));
  return { norm, role: text, hints };
}

/** How well an SRD creature fits the concept and the target CR (higher is better). */
export function creatureFit(
  c: Creature,
  profile: ConceptProfile,
  targetCr: number,
  active: ActiveHints = activeHints(profile),
): number {
  const words = contentTokens(c.name).filter((w) => w.length >= 3);
  // Name words in the head role count fully; elsewhere in the concept (a lair, a victim) only a little.
  const inRole = keywordHits(active.role, active.role.split(' '), words);
  let score = inRole * 4 + (keywordHits(active.norm, profile.tokens, words) - inRole) * 0.5;
  const type = normalizeName(c.type);
  const name = normalizeName(c.name);
  for (const word of active.role.split(' ')) {
    const t = TYPE_ADJECTIVES[word];
    if (t && type.includes(t)) score += 6;
  }
  for (const hint of active.hints) {
    if (hint.types.some((t) => type.includes(t))) score += 2;
    if (hint.names.some((n) => name.includes(n))) score += 2;
  }
  score -= Math.abs(Math.log2((c.cr + 0.25) / (targetCr + 0.25))) * 2;
  return score;
}

export function generateMonster(
  req: { concept: string; seed: number; cr: number },
  profile: ConceptProfile,
  content: Content,
): DraftChoices {
  const creatures = [...content.creatures.values()];
  if (creatures.length === 0) throw new Error('generateOffline: the content has no creatures to adapt');
  const rng = createRng(req.concept, req.seed, 'monster');
  const target = snapCr(req.cr);
  // The best few fits compete; a clearly better fit almost always wins, near-ties vary with the seed.
  const active = activeHints(profile);
  const ranked = creatures
    .map((value) => ({ value, fit: creatureFit(value, profile, target, active) }))
    .sort((a, b) => b.fit - a.fit || a.value.id.localeCompare(b.value.id))
    .slice(0, 4);
  const top = ranked[0]?.fit ?? 0;
  const base = weightedPick(
    rng,
    ranked.map((r) => ({ value: r.value, weight: Math.exp(3 * (r.fit - top)) })),
  );
  const flavourWord = pick(rng, profile.flavour.length > 0 ? profile.flavour : ['feral']);
  const name = titleCase(`${flavourWord} ${base.name}`);
  const themePlace = pick(rng, profile.theme.places);
  const place = profile.reading.elements.places[0] ?? themePlace;
  const summary = `A ${flavourWord} ${base.name.toLowerCase()} of ${place}, reworked for challenge ${formatCr(target)}.`;
  const adapted = adaptCreature(
    base,
    target,
    name,
    summary,
    (c) => estimateCr(c, { spells: content.spells }).cr,
  );
  const { block: statBlock, renamed } = reskinActions(adapted, profile.theme, content);
  const slots: NarrativeSlots = {
    name,
    place,
    flavour: flavourWord,
    tradition: `the ${normalizeName(base.type) || 'monster'} broods of ${place}`,
    class: normalizeName(base.type) || 'monster',
    species: base.name,
    magic: profile.theme.magicWord,
    mentor: 'an old hunter',
    rival: 'a rival pack',
    size: base.size,
  };
  const narrative = composeMonsterStory(rng, {
    name,
    reading: profile.reading,
    type: base.type,
    baseName: base.name,
    size: base.size,
    place: themePlace,
    flavour: flavourWord,
  });
  const lore: LoreEntry[] = [loreFor(rng, 'creature', name, slots, flavourWord)];
  for (const trait of statBlock.traits)
    lore.push(
      loreFor(
        rng,
        'trait',
        trait.name,
        slots,
        pick(rng, profile.flavour.length > 0 ? profile.flavour : ['feral']),
      ),
    );
  for (const weapon of renamed) lore.push(loreFor(rng, 'weapon', weapon, slots, flavourWord));
  return {
    kind: 'monster',
    creature: { tag: 'adapted', basedOn: base.id, statBlock },
    narrative,
    lore,
    elements: [],
  };
}

/** Themes whose weapon attacks are renamed after the theme's gear ("Greatsword" → "Energy Blade"). */
const RESKIN_THEMES = new Set(['sci-fi', 'cyberpunk']);

/**
 * Re-skin weapon attacks for science-fiction settings: an action named after an SRD weapon takes the theme's
 * melee or ranged gear name (mechanics unchanged); Multiattack references follow the new names.
 */
export function reskinActions(
  block: Creature,
  theme: Theme,
  content: Content,
): { block: Creature; renamed: string[] } {
  if (!RESKIN_THEMES.has(theme.id)) return { block, renamed: [] };
  const weapons = new Map<string, Weapon>();
  for (const item of content.items.values())
    if (item.kind === 'weapon') weapons.set(normalizeName(item.name), item);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const action of [...block.actions, ...block.bonusActions]) {
    const weapon = weapons.get(normalizeName(action.name));
    if (!weapon || !action.attack) continue;
    const skin = titleCase(weapon.ranged ? theme.rangedSkin : theme.meleeSkin);
    const next = used.has(skin) ? `${skin} (${weapon.name})` : skin;
    used.add(next);
    names.set(action.name, next);
  }
  if (names.size === 0) return { block, renamed: [] };
  const rename = (a: CreatureAction): CreatureAction => ({
    ...a,
    name: names.get(a.name) ?? a.name,
    ...(a.multiattack
      ? { multiattack: a.multiattack.map((m) => ({ ...m, action: names.get(m.action) ?? m.action })) }
      : {}),
  });
  return {
    block: { ...block, actions: block.actions.map(rename), bonusActions: block.bonusActions.map(rename) },
    renamed: [...names.values()],
  };
}

export function formatCr(cr: number): string {
  return cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);
}
