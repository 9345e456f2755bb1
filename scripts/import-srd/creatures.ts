/**
 * Creatures: Open5e Creature + CreatureTrait + CreatureAction + CreatureActionAttack, joined into the Open5e v2
 * API shape (nested `actions[].attacks[]`, `traits[]`, `ability_scores` …) and converted by rules-5e's
 * `fromOpen5eCreature`, the same mapping the CLI uses for `--format open5e`. The data fixes of this importer
 * (sizes, the Octopus, missing vulnerabilities) are applied to that input; the converter's notes (text vs
 * structured record disagreements, unresolved multiattack names) go to the fix log.
 */
import type { Creature } from '@loreforge/rules-5e';
import {
  ABILITIES,
  ABILITY_LONG_NAMES,
  SKILL_IDS,
  damageTypeFromName,
  fromOpen5eCreature,
} from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import { key, readOpen5e } from './util';

type CreatureFields = Record<string, unknown> & {
  name: string;
  size: string;
  type: string;
  alignment: string;
  armor_class: number;
  hit_points: number;
  hit_dice: string;
  challenge_rating: string;
  initiative_bonus: number;
  languages_desc: string;
  passive_perception: number;
  damage_resistances: string[];
  damage_immunities: string[];
  damage_vulnerabilities: string[];
  condition_immunities: string[];
  hover: boolean;
};
interface TraitFields {
  parent: string;
  name: string;
  desc: string;
}
interface ActionFields {
  parent: string;
  name: string;
  desc: string;
  action_type: 'ACTION' | 'BONUS_ACTION' | 'REACTION' | 'LEGENDARY_ACTION';
  order_in_statblock: number;
  uses_type: string | null;
  uses_param: number | null;
  limited_to_form: string | null;
}
interface AttackFields {
  parent: string;
  to_hit_mod: number;
  damage_die_count: number | null;
  damage_die_type: string | null;
  damage_bonus: number | null;
  damage_type: string | null;
  extra_damage_type: string | null;
  extra_damage_die_count: number | null;
  extra_damage_die_type: string | null;
  reach: number | null;
  range: number | null;
  long_range: number | null;
}

/** Creatures that SRD 5.2.1 lists as Tiny (Open5e files them as Small). */
const TINY = new Set([
  'bat',
  'badger',
  'cat',
  'crab',
  'frog',
  'hawk',
  'lizard',
  'owl',
  'piranha',
  'rat',
  'raven',
  'scorpion',
  'seahorse',
  'spider',
  'weasel',
  'venomous-snake',
  'flying-snake',
  'homunculus',
  'imp',
  'pseudodragon',
  'quasit',
  'sprite',
  'stirge',
  'will-o-wisp',
  'sphinx-of-wonder',
]);
/** "Medium or Small" stat blocks that Open5e stores as Small: we store Medium. */
const MEDIUM_OR_SMALL_OTHERS = new Set([
  'mummy',
  'mummy-lord',
  'vampire',
  'vampire-spawn',
  'wraith',
  'werebear',
  'wereboar',
  'wererat',
  'weretiger',
  'werewolf',
]);
const TRULY_SMALL_HUMANOIDS = new Set(['goblin-minion', 'goblin-warrior', 'goblin-boss', 'kobold-warrior']);

/** Vulnerabilities missing from the Open5e export (every record has none), restored from the 2014 SRD stat blocks. */
const VULNERABILITIES: Record<string, Creature['vulnerabilities']> = {
  skeleton: ['bludgeoning'],
  'warhorse-skeleton': ['bludgeoning'],
  mummy: ['fire'],
  'mummy-lord': ['fire'],
};

/** One Open5e v2 API creature (as `/v2/creatures/<key>/` serves it) joined from the fixture records. */
export type Open5eApiCreature = Record<string, unknown> & {
  key: string;
  name: string;
  size: string;
  type: string;
  ability_scores: Record<string, number | null>;
  saving_throws: Record<string, number>;
  damage_vulnerabilities: string[];
  actions: Record<string, unknown>[];
  traits: Record<string, unknown>[];
};

/** Join the fixture records of the source folder into one API-shaped creature each, in fixture order. */
export function readOpen5eApiCreatures(src: Pick<Sources, 'open5e'>): Open5eApiCreature[] {
  const sources = { open5e: src.open5e, bits: '' };
  const creatures = readOpen5e<CreatureFields>(sources, 'Creature');
  const traitsOf = group(readOpen5e<TraitFields>(sources, 'CreatureTrait'), (t) => t.fields.parent);
  const actionsOf = group(readOpen5e<ActionFields>(sources, 'CreatureAction'), (a) => a.fields.parent);
  const attacksOf = group(readOpen5e<AttackFields>(sources, 'CreatureActionAttack'), (a) => a.fields.parent);
  return creatures.map((c) => {
    const f = c.fields;
    const nonNull = (prefix: string, keys: readonly string[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const k of keys) {
        const v = f[`${prefix}${k}`];
        if (typeof v === 'number') out[k] = v;
      }
      return out;
    };
    const speed: Record<string, unknown> = {};
    for (const k of ['walk', 'fly', 'swim', 'climb', 'burrow'] as const) if (f[k] !== null) speed[k] = f[k];
    speed['hover'] = f.hover;
    const plain = Object.fromEntries(
      Object.entries(f).filter(
        ([k]) =>
          !/^(ability_score_|saving_throw_|skill_bonus_|walk$|fly$|swim$|climb$|burrow$|hover$)/.test(k),
      ),
    );
    return {
      ...plain,
      key: c.pk,
      name: f.name,
      size: f.size,
      type: f.type,
      damage_vulnerabilities: f.damage_vulnerabilities,
      challenge_rating_decimal: f.challenge_rating,
      ability_scores: Object.fromEntries(
        ABILITIES.map((a) => [
          ABILITY_LONG_NAMES[a],
          (f[`ability_score_${ABILITY_LONG_NAMES[a]}`] as number | null) ?? null,
        ]),
      ),
      saving_throws: nonNull('saving_throw_', Object.values(ABILITY_LONG_NAMES)),
      skill_bonuses: nonNull(
        'skill_bonus_',
        SKILL_IDS.map((s) => s.replace(/-/g, '_')),
      ),
      speed,
      traits: (traitsOf.get(c.pk) ?? []).map((t) => ({ key: t.pk, ...t.fields })),
      actions: (actionsOf.get(c.pk) ?? []).map((a) => ({
        key: a.pk,
        ...a.fields,
        attacks: (attacksOf.get(a.pk) ?? []).map((x) => ({ key: x.pk, ...x.fields })),
      })),
    };
  });
}

export function importCreatures(src: Sources, spellIds: ReadonlySet<string>, fixes: FixLog): Creature[] {
  const toTiny: string[] = [];
  const toMedium: string[] = [];
  const out = readOpen5eApiCreatures(src).map((api) => {
    const id = key(api.key);
    const after: string[] = [];
    if (id === 'octopus') {
      api.ability_scores['constitution'] = 11;
      api.ability_scores['charisma'] = 4;
      delete api.saving_throws['constitution'];
      fixes.add(
        'creatures',
        'Octopus: Con 0 → 11 and Cha −3 → 4 (fits its 1d6 HP and −3 Cha save); Con save 30 dropped.',
      );
    }
    if (TINY.has(id) && api.size !== 'tiny') {
      api.size = 'tiny';
      toTiny.push(api.name);
    } else if (
      api.size === 'small' &&
      ((api.type === 'humanoid' && !TRULY_SMALL_HUMANOIDS.has(id)) || MEDIUM_OR_SMALL_OTHERS.has(id))
    ) {
      api.size = 'medium';
      toMedium.push(api.name);
    }
    const restored = VULNERABILITIES[id];
    if (restored && !api.damage_vulnerabilities.some((v) => damageTypeFromName(v))) {
      api.damage_vulnerabilities = [...restored];
      after.push(
        `${api.name}: vulnerability to ${restored.join(', ')} restored (missing in Open5e; taken from the SRD 5.1 stat block).`,
      );
    }
    const creature = fromOpen5eCreature(api, { spellIds, onNote: (note) => fixes.add('creatures', note) });
    for (const note of after) fixes.add('creatures', note);
    return creature;
  });
  fixes.add(
    'creatures',
    `Size Small → Tiny (SRD 5.2.1 Tiny creatures) for ${toTiny.length}: ${toTiny.join(', ')}.`,
  );
  fixes.add(
    'creatures',
    `Size Small → Medium for ${toMedium.length} "Medium or Small" stat blocks (one size is stored; Medium is the default choice): ${toMedium.join(', ')}.`,
  );
  return out;
}

function group<T>(rows: T[], by: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = by(r);
    const list = map.get(k) ?? [];
    list.push(r);
    map.set(k, list);
  }
  return map;
}
