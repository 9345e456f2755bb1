/**
 * The Antitheticon (pure parts): a nemesis built as the party's mirror — each party strength answered, each bond
 * threatened — with lieutenants and minions in tiers, each an adapted SRD stat block whose CR is the rules
 * engine's estimate; and evolution from a session's journals (defeated foes replaced, new tactics against what
 * the party did, a CR step), every change with its reason and sources.
 */
import { estimateCr, type Content, type Creature } from '@loreforge/rules-5e';
import { adaptCreature, snapCr } from '../generation/creature';
import { createRng, pick, type Rng } from '../generation/prng';
import type { PartyMember } from './plan';
import type { Minion, Nemesis } from './schema';
import type { ThemeWords } from './words';

const STRENGTHS: { classes: string[]; strength: string; answer: string; tactic: string }[] = [
  {
    classes: ['wizard', 'sorcerer', 'warlock'],
    strength: 'arcane spells',
    answer: 'wards itself with counter-magic and strikes the casters first',
    tactic: 'Opens every fight by silencing or rushing the spellcasters.',
  },
  {
    classes: ['fighter', 'barbarian', 'paladin'],
    strength: 'martial might',
    answer: 'never stands in reach: fights from behind minions, walls and difficult ground',
    tactic: 'Screens itself with minions and fights across hazards the warriors must cross.',
  },
  {
    classes: ['cleric', 'druid'],
    strength: 'healing and divine favour',
    answer: 'deals festering wounds and curses that turn healing aside',
    tactic: 'Targets the healer with curses and attacks that keep wounds open.',
  },
  {
    classes: ['rogue', 'ranger', 'monk'],
    strength: 'stealth and speed',
    answer: 'sets watchers, hounds and alarm wards on every path',
    tactic: 'Posts watchers and alarms; ambushes the scouts who range ahead.',
  },
  {
    classes: ['bard'],
    strength: 'words and allies',
    answer: 'spreads lies that turn the party’s friends against them',
    tactic: 'Buys or frightens off the party’s contacts before they can help.',
  },
];

/** CR ladder used for steps. */
export const CR_LADDER = [0, 0.125, 0.25, 0.5, ...Array.from({ length: 30 }, (_, i) => i + 1)];

export function crStepUp(cr: number, steps = 1): number {
  const i = CR_LADDER.indexOf(snapCr(cr));
  return CR_LADDER[Math.min(CR_LADDER.length - 1, Math.max(0, i + steps))]!;
}

/** The damage type the party deals most (weapons and spells, by member), with who deals it; null when none. */
export function favouriteDamage(party: PartyMember[]): { type: string; who: string[] } | null {
  const by = new Map<string, string[]>();
  for (const p of party)
    for (const t of new Set(p.damageTypes ?? [])) by.set(t, [...(by.get(t) ?? []), p.name]);
  const best = [...by.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
  return best ? { type: best[0], who: best[1] } : null;
}

export function mirror(
  party: PartyMember[],
  villain: string,
): Pick<Nemesis, 'answers' | 'threatens' | 'tactics'> {
  const answers: Nemesis['answers'] = [];
  const tactics: string[] = [];
  const fav = favouriteDamage(party);
  if (fav)
    answers.push({
      strength: `${fav.type} damage (${fav.who.join(', ')})`,
      answer: `resists ${fav.type} damage`,
    });
  for (const s of STRENGTHS) {
    const who = party.filter((p) => p.classes.some((c) => s.classes.includes(c)));
    if (!who.length) continue;
    answers.push({ strength: `${s.strength} (${who.map((p) => p.name).join(', ')})`, answer: s.answer });
    tactics.push(s.tactic);
  }
  if (!answers.length) {
    answers.push({ strength: 'their teamwork', answer: 'divides them with separate threats' });
    tactics.push('Splits the party with threats in two places at once.');
  }
  const threatens = party.map((p) => {
    const bond = p.bonds[0] ?? `the companions ${p.name} travels with`;
    return {
      character: p.id,
      bond,
      threat: `${villain} threatens ${bond.replace(/[.]+$/, '')} to force ${p.name}'s hand.`,
    };
  });
  return { answers, threatens, tactics };
}

export function tierCrs(party: PartyMember[]): { nemesis: number; lieutenant: number; minion: number } {
  const avg = party.reduce((s, p) => s + p.level, 0) / party.length;
  const nemesis = snapCr(Math.min(24, Math.max(2, Math.round(avg + 2 + (party.length > 4 ? 1 : 0)))));
  const lieutenant = snapCr(Math.max(1, Math.round(avg * 0.6)));
  const minion = avg <= 4 ? 0.25 : avg <= 8 ? 1 : avg <= 12 ? 2 : 4;
  return { nemesis, lieutenant, minion };
}

export interface Foe {
  tier: Minion['tier'];
  name: string;
  role: string;
  creature: Creature;
  cr: number;
}

function slugId(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'foe'
  );
}

/** One foe: an SRD base adapted to the target CR; `cr` is the rules engine's estimate of the result. */
export function makeFoe(
  content: Content,
  baseIds: string[],
  rng: Rng,
  tier: Minion['tier'],
  name: string,
  role: string,
  targetCr: number,
): Foe {
  const bases = baseIds.map((id) => content.creatures.get(id)).filter((c): c is Creature => !!c);
  const base = bases.length ? pick(rng, bases) : [...content.creatures.values()][0]!;
  const est = (c: Creature): number => estimateCr(c, { spells: content.spells }).cr;
  const adapted = adaptCreature(base, targetCr, name, `${name}: ${role}.`, est);
  const creature: Creature = { ...adapted, id: slugId(name), name };
  return { tier, name, role, creature, cr: est(creature) };
}

export function buildTiers(
  content: Content,
  w: ThemeWords,
  party: PartyMember[],
  villain: string,
  pitch: string,
  seed: number,
  names: () => string,
): Foe[] {
  const rng = createRng(pitch, seed, 'nemesis');
  const crs = tierCrs(party);
  const m = mirror(party, villain);
  const boss = makeFoe(content, w.bases.nemesis, rng, 'nemesis', villain, 'the party’s mirror', crs.nemesis);
  // The mirror in the stat block too: resistance to the damage the party deals most (CR estimated again).
  const fav = favouriteDamage(party);
  const dt = fav?.type as Creature['resistances'][number] | undefined;
  if (dt && !boss.creature.resistances.includes(dt) && !boss.creature.immunities.includes(dt)) {
    boss.creature = { ...boss.creature, resistances: [...boss.creature.resistances, dt] };
    boss.cr = estimateCr(boss.creature, { spells: content.spells }).cr;
  }
  const foes: Foe[] = [boss];
  const classAnswers = m.answers.filter((a) => !a.answer.startsWith('resists '));
  const answers = classAnswers.length ? classAnswers : [{ strength: 'the party', answer: 'hunts them' }];
  for (let i = 0; i < 2; i++) {
    const a = answers[i % answers.length]!;
    foes.push(
      makeFoe(
        content,
        w.bases.lieutenant,
        rng,
        'lieutenant',
        names(),
        `answers ${a.strength}: ${a.answer}`,
        crs.lieutenant,
      ),
    );
  }
  for (let i = 0; i < 2; i++) {
    const t = m.threatens[i % m.threatens.length];
    foes.push(
      makeFoe(
        content,
        w.bases.minion,
        rng,
        'minion',
        `${names()}'s ${pick(rng, ['Enforcers', 'Watchers', 'Hounds', 'Hands'])}`,
        t ? `sent against ${t.bond}` : 'the rank and file',
        crs.minion,
      ),
    );
  }
  return foes;
}

// ------------------------------------------------------------------ evolution

export interface JournalText {
  id: string;
  text: string;
}

export interface EvolveChange {
  path: string;
  from: unknown;
  to: unknown;
  reason: string;
  sources: string[];
}

const DEFEAT =
  /\b(kill(?:ed|s)?|slain|slew|defeat(?:ed|s)?|captur(?:ed|es)|destroy(?:ed|s)|died|dead|fell|banish(?:ed|es))\b/i;

const METHODS: { re: RegExp; what: string; tactic: string }[] = [
  {
    re: /\b(fire|fireball|burn(?:ed|ing|t)?|flames?)\b/i,
    what: 'fire',
    tactic: 'Fights in rain, flood and damp stone where fire fails.',
  },
  {
    re: /\b(sneak(?:ed|ing)?|stealth|disguis(?:e|ed)|hid|hiding|infiltrat(?:e|ed))\b/i,
    what: 'stealth',
    tactic: 'Doubles the watch and keeps hounds that smell intruders.',
  },
  {
    re: /\b(persuad(?:e|ed)|convinc(?:e|ed)|negotiat(?:e|ed)|brib(?:e|ed)|parley)\b/i,
    what: 'talk',
    tactic: 'Buys off or silences the people the party talks to.',
  },
  {
    re: /\b(spells?|counterspell|magic|arcane)\b/i,
    what: 'magic',
    tactic: 'Carries counter-magic and targets the party’s casters first.',
  },
  {
    re: /\b(arrows?|bows?|crossbows?|shot|sniper)\b/i,
    what: 'ranged attacks',
    tactic: 'Fights from cover and fog where archers cannot see.',
  },
];

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).filter(Boolean);
}

/** A name appears in a sentence: the full name, or its first word when that is 4+ letters. */
export function mentions(sentence: string, name: string): boolean {
  const s = sentence.toLowerCase();
  const n = name.toLowerCase();
  if (s.includes(n)) return true;
  const first = n.split(/[\s']/)[0] ?? '';
  return first.length >= 4 && new RegExp(`\\b${first.replace(/[^a-z0-9]/g, '')}\\b`).test(s);
}

/**
 * What the nemesis changes after a session: every active lieutenant or minion the journals say was defeated is
 * replaced (and the nemesis steps up one CR), and each method the party used that the nemesis has no answer to
 * yet becomes a new tactic.
 */
export function evolveChanges(nem: Nemesis, journals: JournalText[]): EvolveChange[] {
  const changes: EvolveChange[] = [];
  let defeated = 0;
  nem.tiers.forEach((f, i) => {
    if (f.tier === 'nemesis' || f.status !== 'active') return;
    const hits = journals.filter((j) => sentences(j.text).some((s) => mentions(s, f.name) && DEFEAT.test(s)));
    if (!hits.length) return;
    defeated++;
    changes.push({
      path: `/nemesis/tiers/${i}/status`,
      from: 'active',
      to: 'replaced',
      reason: `the journals say ${f.name} (${f.tier}) was defeated; a new ${f.tier} takes the place`,
      sources: hits.map((j) => j.id),
    });
  });
  if (defeated) {
    const to = crStepUp(nem.cr);
    changes.push({
      path: '/nemesis/cr',
      from: nem.cr,
      to,
      reason: `${nem.name} grows stronger after losing ${defeated} servant(s)`,
      sources: changes.flatMap((c) => c.sources),
    });
  }
  const tactics = [...nem.tactics];
  for (const m of METHODS) {
    const hits = journals.filter((j) => m.re.test(j.text));
    if (!hits.length || tactics.includes(m.tactic)) continue;
    tactics.push(m.tactic);
    changes.push({
      path: '/nemesis/tactics/-',
      from: null,
      to: m.tactic,
      reason: `the party used ${m.what} this session`,
      sources: hits.map((j) => j.id),
    });
  }
  return changes;
}
