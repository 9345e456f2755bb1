/**
 * The 15 conditions (SRD 5.2.1 Rules Glossary; same names in 2014) as declarative flags. Effects are
 * summarised as data; `conditionFlags` folds a set of conditions (including implied ones, e.g. Paralyzed →
 * Incapacitated, Unconscious → Incapacitated + Prone) into one view.
 */
import type { Ability, Condition } from '../content/types';
import { CONDITIONS } from '../content/types';

export type RollMode = 'advantage' | 'disadvantage';

export interface ConditionEffect {
  /** Conditions this one also imposes. */
  implies: readonly Condition[];
  /** No actions, bonus actions or reactions. */
  incapacitated: boolean;
  /** Speed 0 (cannot be increased). */
  speedZero: boolean;
  /** Mode of this creature's own attack rolls. */
  ownAttacks: RollMode | null;
  /** Mode of attack rolls against this creature ('prone' = advantage within 5 ft, disadvantage beyond). */
  attacksAgainst: RollMode | 'prone' | null;
  /** Disadvantage on ability checks. */
  checksDisadvantage: boolean;
  /** Saving throws failed automatically. */
  autoFailSaves: readonly Ability[];
  /** Saving throws made with disadvantage. */
  savesDisadvantage: readonly Ability[];
  /** A hit from within 5 ft is a critical hit. */
  autoCritWithin5ft: boolean;
  /** Breaks concentration (2024 Incapacitated; in 2014 only via the concentration rules). */
  breaksConcentration: boolean;
  cantSpeak: boolean;
  /** Resistance to all damage (Petrified). */
  resistAll: boolean;
}

const NONE: ConditionEffect = {
  implies: [],
  incapacitated: false,
  speedZero: false,
  ownAttacks: null,
  attacksAgainst: null,
  checksDisadvantage: false,
  autoFailSaves: [],
  savesDisadvantage: [],
  autoCritWithin5ft: false,
  breaksConcentration: false,
  cantSpeak: false,
  resistAll: false,
};

/**
 * Key mechanical flags per condition (2024). Situational parts (Charmed: can't harm the charmer; Frightened:
 * only while the source is in sight; Grappled: only against targets other than the grappler) are flagged as
 * if the situation applies and are noted in the comments.
 */
export const CONDITION_EFFECTS = {
  blinded: { ...NONE, ownAttacks: 'disadvantage', attacksAgainst: 'advantage' },
  charmed: { ...NONE }, // can't attack the charmer; charmer has advantage on social checks
  deafened: { ...NONE }, // fails checks that need hearing
  exhaustion: { ...NONE }, // levelled: see exhaustion.ts
  frightened: { ...NONE, ownAttacks: 'disadvantage', checksDisadvantage: true }, // while source in sight
  grappled: { ...NONE, speedZero: true }, // disadvantage on attacks vs targets other than the grappler
  incapacitated: { ...NONE, incapacitated: true, breaksConcentration: true, cantSpeak: true },
  invisible: { ...NONE, ownAttacks: 'advantage', attacksAgainst: 'disadvantage' },
  paralyzed: {
    ...NONE,
    implies: ['incapacitated'],
    incapacitated: true,
    speedZero: true,
    attacksAgainst: 'advantage',
    autoFailSaves: ['str', 'dex'],
    autoCritWithin5ft: true,
    breaksConcentration: true,
    cantSpeak: true,
  },
  petrified: {
    ...NONE,
    implies: ['incapacitated'],
    incapacitated: true,
    speedZero: true,
    attacksAgainst: 'advantage',
    autoFailSaves: ['str', 'dex'],
    breaksConcentration: true,
    cantSpeak: true,
    resistAll: true,
  },
  poisoned: { ...NONE, ownAttacks: 'disadvantage', checksDisadvantage: true },
  prone: { ...NONE, ownAttacks: 'disadvantage', attacksAgainst: 'prone' },
  restrained: {
    ...NONE,
    speedZero: true,
    ownAttacks: 'disadvantage',
    attacksAgainst: 'advantage',
    savesDisadvantage: ['dex'],
  },
  stunned: {
    ...NONE,
    implies: ['incapacitated'],
    incapacitated: true,
    attacksAgainst: 'advantage',
    autoFailSaves: ['str', 'dex'],
    breaksConcentration: true,
    cantSpeak: true,
  },
  unconscious: {
    ...NONE,
    implies: ['incapacitated', 'prone'],
    incapacitated: true,
    speedZero: true,
    attacksAgainst: 'advantage',
    autoFailSaves: ['str', 'dex'],
    autoCritWithin5ft: true,
    breaksConcentration: true,
    cantSpeak: true,
  },
} as const satisfies Record<Condition, ConditionEffect>;

/** Every condition in effect, including those implied by others (Unconscious → Incapacitated, Prone). */
export function expandConditions(conditions: readonly Condition[]): Condition[] {
  const out = new Set<Condition>();
  const visit = (c: Condition): void => {
    if (out.has(c)) return;
    if (!(CONDITIONS as readonly string[]).includes(c)) {
      throw new RangeError(`conditions: "${String(c)}" is not one of the 15 conditions`);
    }
    out.add(c);
    for (const implied of CONDITION_EFFECTS[c].implies) visit(implied);
  };
  conditions.forEach(visit);
  return CONDITIONS.filter((c) => out.has(c));
}

function combineModes(modes: (RollMode | null)[]): RollMode | null {
  const adv = modes.includes('advantage');
  const dis = modes.includes('disadvantage');
  if (adv && dis) return null; // advantage and disadvantage cancel
  return adv ? 'advantage' : dis ? 'disadvantage' : null;
}

export interface ConditionFlags {
  conditions: Condition[];
  incapacitated: boolean;
  speedZero: boolean;
  ownAttacks: RollMode | null;
  /** Mode of attacks against this creature from within 5 ft and from farther away. */
  attacksAgainst: { within5ft: RollMode | null; beyond5ft: RollMode | null };
  checksDisadvantage: boolean;
  autoFailSaves: Ability[];
  savesDisadvantage: Ability[];
  autoCritWithin5ft: boolean;
  breaksConcentration: boolean;
  cantSpeak: boolean;
  resistAll: boolean;
}

/** Fold the conditions (and those they imply) into one set of flags; advantage and disadvantage cancel. */
export function conditionFlags(conditions: readonly Condition[]): ConditionFlags {
  const all = expandConditions(conditions);
  const effects: ConditionEffect[] = all.map((c) => CONDITION_EFFECTS[c]);
  const near = effects.map((e) => (e.attacksAgainst === 'prone' ? 'advantage' : e.attacksAgainst));
  const far = effects.map((e) => (e.attacksAgainst === 'prone' ? 'disadvantage' : e.attacksAgainst));
  const abilities = (pick: (e: ConditionEffect) => readonly Ability[]): Ability[] => [
    ...new Set(effects.flatMap((e) => [...pick(e)])),
  ];
  return {
    conditions: all,
    incapacitated: effects.some((e) => e.incapacitated),
    speedZero: effects.some((e) => e.speedZero),
    ownAttacks: combineModes(effects.map((e) => e.ownAttacks)),
    attacksAgainst: { within5ft: combineModes(near), beyond5ft: combineModes(far) },
    checksDisadvantage: effects.some((e) => e.checksDisadvantage),
    autoFailSaves: abilities((e) => e.autoFailSaves),
    savesDisadvantage: abilities((e) => e.savesDisadvantage),
    autoCritWithin5ft: effects.some((e) => e.autoCritWithin5ft),
    breaksConcentration: effects.some((e) => e.breaksConcentration),
    cantSpeak: effects.some((e) => e.cantSpeak),
    resistAll: effects.some((e) => e.resistAll),
  };
}
