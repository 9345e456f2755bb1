/**
 * The model-free middle of the pipeline, pure and synchronous: resolve names to the SRD → balance-check custom
 * content → `repair` → `validate` → `derive` → challenge rating. The same code runs for every provider, so a
 * model's answer and the offline generator's are judged alike.
 */
import {
  CreatureSchema,
  WEAPON_PROPERTIES,
  derive,
  estimateCr,
  proficiencyBonusForCr,
  repair,
  toDeriveOutput,
  validate,
  type Build,
  type Content,
  type Creature,
  type CreatureAction,
  type DeriveOutput,
  type DerivedCharacter,
  type RepairChange,
  type ValidationIssue,
  type ValidationResult,
} from '@loreforge/rules-5e';
import type { NarrativeInput } from '../docs/character-doc';
import {
  checkMagicItemBonus,
  checkSpellDamage,
  checkWeaponDamage,
  diceAverage,
  resolveDraft,
  type BalanceResult,
  resolveToSrd,
  type DraftElement,
  type LoreEntry,
  type Narrative as DraftNarrative,
} from '../generation/index';
import { toCreature, type CharacterDraft, type CustomContent, type MonsterDraft } from './schemas';

export interface BalanceAdjustment {
  /** Custom element name and the field that was checked (`damage`, `bonus`). */
  readonly element: string;
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly reason: string;
}

export interface MappingStats {
  /** Items and spells named by the draft (elements of kind item/spell). */
  readonly total: number;
  readonly srd: number;
  readonly adapted: number;
  readonly custom: number;
}

export interface Challenge {
  readonly cr: number;
  readonly xp: number;
  /** How the stat block was obtained: the monster's own, or a character converted by `characterToCreature`. */
  readonly from: 'stat-block' | 'character' | 'published';
}

export interface ProcessedCharacter {
  readonly kind: 'pc' | 'npc';
  readonly build: Build;
  /** The narrative in the store's shape, lore keyed `<kind>:<id>` (see CONTEXT.md). */
  readonly narrative: NarrativeInput;
  readonly derived: DeriveOutput;
  readonly validation: ValidationResult;
  readonly repairs: readonly RepairChange[];
  readonly balance: readonly BalanceAdjustment[];
  readonly elements: readonly DraftElement[];
  readonly custom: readonly CustomContent[];
  readonly mapping: MappingStats;
  readonly challenge?: Challenge;
  /** Elements without lore (`<kind>:<id>`), for the UI to ask about; not an error. */
  readonly loreMissing?: readonly string[];
}

export interface ProcessedMonster {
  readonly kind: 'monster';
  readonly creature: Creature;
  readonly narrative: NarrativeInput;
  readonly validation: ValidationResult;
  /** Numbers replaced by the engine (CR, XP, proficiency bonus), in the repair log's shape. */
  readonly repairs: readonly RepairChange[];
  readonly balance: readonly BalanceAdjustment[];
  readonly elements: readonly DraftElement[];
  readonly mapping: MappingStats;
  readonly challenge: Challenge;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'element';

const LORE_TO_ELEMENT: Readonly<Record<string, DraftElement['kind'] | undefined>> = {
  weapon: 'item',
  armor: 'item',
  item: 'item',
  spell: 'spell',
  species: 'species',
  class: 'class',
  subclass: 'subclass',
  background: 'background',
  feat: 'feat',
};

/** Lore entries keyed `<lore kind>:<content id or slug>`; later entries win. */
export function loreRecord(
  lore: readonly LoreEntry[],
  elements: readonly DraftElement[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of lore) {
    const elementKind = LORE_TO_ELEMENT[entry.kind];
    const match =
      elementKind === undefined
        ? undefined
        : elements.find(
            (e) => e.kind === elementKind && e.name.toLowerCase() === entry.element.toLowerCase(),
          );
    out[`${entry.kind}:${match?.id ?? slug(entry.element)}`] = entry.text;
  }
  return out;
}

/** The generator's narrative → the store's narrative. */
export function toDocNarrative(
  narrative: { [K in keyof DraftNarrative]?: DraftNarrative[K] | undefined },
  lore: Record<string, string>,
  theme: string | undefined,
): NarrativeInput {
  return {
    ...(narrative.backstory === undefined ? {} : { backstory: narrative.backstory }),
    ...(narrative.personality === undefined ? {} : { personalityTraits: narrative.personality }),
    ...(narrative.ideals === undefined ? {} : { ideals: narrative.ideals }),
    ...(narrative.bonds === undefined ? {} : { bonds: narrative.bonds }),
    ...(narrative.flaws === undefined ? {} : { flaws: narrative.flaws }),
    ...(narrative.fears === undefined ? {} : { fears: narrative.fears }),
    ...(narrative.secrets === undefined ? {} : { secrets: narrative.secrets }),
    ...(narrative.motivations === undefined ? {} : { motivations: narrative.motivations }),
    ...(narrative.relationships === undefined
      ? {}
      : {
          relationships: narrative.relationships.map((r) => ({
            with: r.name,
            relation: r.relation,
            note: r.note,
          })),
        }),
    ...(narrative.appearance === undefined ? {} : { appearance: narrative.appearance }),
    ...(theme === undefined ? {} : { theme }),
    lore,
  };
}

/** One balance verdict on a custom element: when not ok, the adjusted value replaces `field` and the change is recorded. */
function applyVerdict<F extends 'damage' | 'bonus'>(
  c: CustomContent,
  field: F,
  r: BalanceResult<NonNullable<CustomContent[F]>>,
  balance: BalanceAdjustment[],
): CustomContent {
  if (r.ok) return c;
  balance.push({ element: c.name, field, from: c[field], to: r.adjusted, reason: r.reason ?? '' });
  return { ...c, [field]: r.adjusted };
}

function balanceCustom(
  custom: readonly CustomContent[],
  content: Content,
): { custom: CustomContent[]; balance: BalanceAdjustment[] } {
  const balance: BalanceAdjustment[] = [];
  const out: CustomContent[] = [];
  for (const c of custom) {
    let next: CustomContent = c;
    try {
      if (c.kind === 'spell' && c.damage !== undefined) {
        const r = checkSpellDamage({
          level: c.level ?? 0,
          dice: c.damage,
          targets: c.targets ?? 'single',
          ...(c.noEffectOnSave === undefined ? {} : { noEffectOnSave: c.noEffectOnSave }),
        });
        next = applyVerdict(c, 'damage', r, balance);
      } else if (c.kind === 'weapon' && c.damage !== undefined) {
        const props = (c.properties ?? []).filter((p): p is (typeof WEAPON_PROPERTIES)[number] =>
          (WEAPON_PROPERTIES as readonly string[]).includes(p),
        );
        const r = checkWeaponDamage(
          {
            name: c.name,
            category: c.category ?? 'martial',
            ranged: c.ranged ?? false,
            properties: props,
            dice: c.damage,
          },
          content,
        );
        next = applyVerdict(c, 'damage', r, balance);
      } else if (c.kind === 'magic-item' && c.bonus !== undefined) {
        const r = checkMagicItemBonus({
          rarity: c.rarity ?? 'uncommon',
          bonus: c.bonus,
          ...(c.armor ? { kind: 'armor' as const } : {}),
        });
        next = applyVerdict(c, 'bonus', r, balance);
      }
    } catch (err) {
      // Malformed numbers (e.g. damage "lots"): the custom mechanics are dropped, the description stays.
      const { damage: _d, bonus: _b, ...rest } = c;
      next = rest;
      balance.push({
        element: c.name,
        field: c.damage !== undefined ? 'damage' : 'bonus',
        from: c.damage ?? c.bonus,
        to: null,
        reason: `${(err as Error).message}; the custom numbers were dropped`,
      });
    }
    out.push(next);
  }
  return { custom: out, balance };
}

function customSummary(c: CustomContent): string {
  const bits: string[] = [];
  if (c.kind === 'spell')
    bits.push(c.level === undefined || c.level === 0 ? 'cantrip' : `level ${c.level} spell`);
  if (c.kind === 'weapon') bits.push(`${c.category ?? 'martial'} ${c.ranged ? 'ranged' : 'melee'} weapon`);
  if (c.kind === 'magic-item') bits.push(`${c.rarity ?? 'uncommon'} magic item`);
  if (c.damage !== undefined) bits.push(`${c.damage} damage`);
  if (c.bonus !== undefined) bits.push(`+${c.bonus}`);
  if (c.basedOn !== undefined) bits.push(`based on ${c.basedOn}`);
  return `${c.description} (${bits.join(', ')})`;
}

function mappingOf(elements: readonly DraftElement[]): MappingStats {
  const relevant = elements.filter((e) => e.kind === 'item' || e.kind === 'spell');
  return {
    total: relevant.length,
    srd: relevant.filter((e) => e.tag === 'srd').length,
    adapted: relevant.filter((e) => e.tag === 'adapted').length,
    custom: relevant.filter((e) => e.tag === 'custom').length,
  };
}

export interface ProcessOptions {
  readonly theme?: string | undefined;
}

export type ProcessedBuild = Omit<ProcessedCharacter, 'narrative'>;

/**
 * The mechanical half: resolve names → balance custom content → repair → validate → derive (→ CR for NPCs).
 * Never throws for a schema-valid build.
 */
export function processBuild(
  input: Build,
  names: CharacterDraft['elements'],
  customIn: readonly CustomContent[],
  kind: 'pc' | 'npc',
  content: Content,
): ProcessedBuild {
  const resolved = resolveDraft(
    {
      kind,
      build: input,
      narrative: PLACEHOLDER_NARRATIVE,
      lore: [],
      elements: names.map((e) => ({ ...e, tag: 'custom' as const })),
    },
    content,
  );
  const { custom, balance } = balanceCustom(customIn, content);
  const elements = [...resolved.draft.elements];
  for (const c of custom) {
    const kindOf = c.kind === 'spell' ? 'spell' : 'item';
    if (elements.some((e) => e.kind === kindOf && e.name.toLowerCase() === c.name.toLowerCase())) continue;
    const base = c.basedOn === undefined ? undefined : resolveToSrd(kindOf, c.basedOn, content);
    elements.push({
      kind: kindOf,
      name: c.name,
      id: slug(c.name),
      tag: 'custom',
      ...(base && base.tag !== 'custom' ? { basedOn: base.id } : {}),
    });
  }
  const repaired = repair(resolved.draft.build as Build, content);
  const validation = validate(repaired.build, content);
  const derivedFull = derive(repaired.build, content);
  const challenge =
    kind === 'npc'
      ? challengeOf(characterToCreature(repaired.build, derivedFull, content), 'character')
      : undefined;
  return {
    kind,
    build: repaired.build,
    derived: toDeriveOutput(derivedFull),
    validation,
    repairs: repaired.changes,
    balance,
    elements,
    custom,
    mapping: mappingOf(elements),
    ...(challenge ? { challenge } : {}),
  };
}

const PLACEHOLDER_NARRATIVE: DraftNarrative = {
  backstory: '-',
  personality: ['-'],
  ideals: ['-'],
  bonds: ['-'],
  flaws: ['-'],
  fears: ['-'],
  secrets: ['-'],
  motivations: ['-'],
  relationships: [],
  appearance: '-',
};

/** Lore for custom content: its description and (balanced) numbers, keyed `custom-<kind>:<slug>`. */
export function customLore(custom: readonly CustomContent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of custom) out[`custom-${c.kind}:${slug(c.name)}`] = customSummary(c);
  return out;
}

/** A whole draft: the mechanical pipeline plus the narrative in the store's shape. */
export function processCharacter(
  draft: CharacterDraft,
  kind: 'pc' | 'npc',
  content: Content,
  options: ProcessOptions = {},
): ProcessedCharacter {
  const mech = processBuild(draft.build, draft.elements, draft.custom, kind, content);
  const lore = { ...loreRecord(draft.lore, mech.elements), ...customLore(mech.custom) };
  return {
    ...mech,
    narrative: toDocNarrative(draft.narrative, lore, options.theme),
    loreMissing: loreMissing(mech.elements, lore),
  };
}

const LORE_KINDS_FOR: Readonly<Record<DraftElement['kind'], readonly string[]>> = {
  item: ['weapon', 'armor', 'item'],
  spell: ['spell'],
  species: ['species', 'lineage'],
  class: ['class', 'tradition'],
  subclass: ['subclass', 'tradition'],
  background: ['background'],
  feat: ['feat'],
};

/** Elements (`<kind>:<id>`) that have no lore entry: the issue asks for lore on every element. */
export function loreMissing(
  elements: readonly DraftElement[],
  lore: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const e of elements) {
    const id = e.id ?? slug(e.name);
    const keys = LORE_KINDS_FOR[e.kind].flatMap((k) => [`${k}:${id}`, `${k}:${slug(e.name)}`]);
    const custom = `custom-${e.kind === 'spell' ? 'spell' : 'weapon'}:${slug(e.name)}`;
    if (!keys.some((k) => k in lore) && !(custom in lore) && !(`custom-magic-item:${slug(e.name)}` in lore))
      out.push(`${e.kind}:${id}`);
  }
  return out;
}

function challengeOf(creature: Creature, from: Challenge['from']): Challenge {
  const e = estimateCr(creature);
  return { cr: e.cr, xp: e.xp, from };
}

/** Highest count of extra attacks any class grants at its level (Extra Attack = 1, Two Extra Attacks = 2…). */
function extraAttacks(build: Build, content: Content): number {
  let best = 0;
  for (const bc of build.classes) {
    const cls = content.classes.get(bc.class);
    if (!cls) continue;
    for (const row of cls.levels) {
      if (row.level > bc.level) continue;
      for (const id of row.features) {
        if (/(^|-)three-extra-attacks$/.test(id)) best = Math.max(best, 3);
        else if (/(^|-)two-extra-attacks$/.test(id)) best = Math.max(best, 2);
        else if (/(^|-)extra-attack$/.test(id)) best = Math.max(best, 1);
      }
    }
  }
  return best;
}

/** A class table column's value at a class level ("1d12", 3), or undefined. */
function column(content: Content, classId: string, level: number, name: string): string | number | undefined {
  const row = content.classes.get(classId)?.levels.find((r) => r.level === level);
  const v = row?.columns[name];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function classLevel(build: Build, id: string): number {
  return build.classes.filter((c) => c.class === id).reduce((n, c) => n + c.level, 0);
}

/**
 * Class features a stat block must count so an NPC's CR reflects its levels: the Monk's Martial Arts strikes
 * and Flurry of Blows, the Rogue's Sneak Attack (once per turn, as a bonus-action rider), the Barbarian's Rage
 * (damage per hit and resistance to bludgeoning, piercing and slashing), the Fighter's Action Surge (a limited
 * extra round of attacks). `actions` may gain the monk's Unarmed Strike and a Multiattack, and the rage damage.
 */
function classFeatureActions(
  build: Build,
  derived: DerivedCharacter,
  content: Content,
  actions: CreatureAction[],
): { bonusActions: CreatureAction[]; resistances: Creature['resistances']; traits: Creature['traits'] } {
  const bonusActions: CreatureAction[] = [];
  const resistances: Creature['resistances'] = [];
  const traits: Creature['traits'] = [];
  const pb = derived.proficiencyBonus.value;
  const mod = (a: 'str' | 'dex') => Math.floor((derived.abilityScores[a] - 10) / 2);
  const main = actions.find((a) => a.attack);
  const extra = extraAttacks(build, content);
  const monk = classLevel(build, 'monk');
  if (monk > 0) {
    const die = String(column(content, 'monk', monk, 'martial-arts') ?? '1d6');
    const m = Math.max(mod('str'), mod('dex'));
    const avg = Math.max(1, Math.floor(diceAverage(die) + m));
    const strike: CreatureAction = {
      name: 'Unarmed Strike',
      summary: `Martial Arts strike, ${die}${m >= 0 ? '+' : ''}${m}`,
      attack: {
        kind: 'melee',
        bonus: pb + m,
        damage: [{ dice: `${die}${m >= 0 ? '+' : ''}${m}`, average: avg, type: 'bludgeoning' }],
      },
    };
    const mainAvg = main?.attack?.damage.reduce((t, d) => t + d.average, 0) ?? 0;
    if (avg >= mainAvg) {
      // Martial Arts beats the weapon: the routine is unarmed strikes.
      for (let i = actions.length - 1; i >= 0; i--) if (actions[i]?.multiattack) actions.splice(i, 1);
      actions.unshift(strike);
      if (extra > 0)
        actions.push({
          name: 'Multiattack',
          summary: `${extra + 1} Unarmed Strikes`,
          multiattack: [{ action: 'Unarmed Strike', count: extra + 1 }],
        });
    } else actions.push(strike);
    const flurry = monk >= 10 ? 3 : monk >= 2 ? 2 : 1;
    bonusActions.push({
      name: monk >= 2 ? 'Flurry of Blows' : 'Martial Arts',
      summary: `${flurry} Unarmed Strike${flurry > 1 ? 's' : ''} as a bonus action`,
      multiattack: [{ action: 'Unarmed Strike', count: flurry }],
    });
  }
  const rogue = classLevel(build, 'rogue');
  const sneak = rogue > 0 ? column(content, 'rogue', rogue, 'sneak-attack') : undefined;
  if (typeof sneak === 'string' && main?.attack) {
    bonusActions.push({
      name: 'Sneak Attack',
      summary: `Once per turn, ${sneak} extra damage on a hit with advantage or an ally nearby`,
      attack: {
        kind: main.attack.kind,
        bonus: main.attack.bonus,
        damage: [
          {
            dice: sneak,
            average: Math.floor(diceAverage(sneak)),
            type: main.attack.damage[0]?.type ?? 'piercing',
          },
        ],
      },
    });
  }
  const barbarian = classLevel(build, 'barbarian');
  const rage = barbarian > 0 ? column(content, 'barbarian', barbarian, 'rage-damage') : undefined;
  if (typeof rage === 'number' && main?.attack && main.attack.kind === 'melee') {
    const [first, ...rest] = main.attack.damage;
    if (first) {
      const raged: CreatureAction = {
        ...main,
        attack: { ...main.attack, damage: [{ ...first, average: first.average + rage }, ...rest] },
      };
      actions.splice(actions.indexOf(main), 1, raged);
    }
    resistances.push('bludgeoning', 'piercing', 'slashing');
    traits.push({ name: 'Rage', summary: `While raging: +${rage} melee damage, resistance to B/P/S damage` });
  }
  const fighter = classLevel(build, 'fighter');
  if (fighter >= 2 && main?.attack) {
    // Action Surge: one more action's worth of attacks, once (twice from level 17) between rests.
    bonusActions.push({
      name: 'Action Surge',
      summary: `${extra + 1} more ${main.name} attack${extra > 0 ? 's' : ''}, ${fighter >= 17 ? 'twice' : 'once'} per rest`,
      multiattack: [{ action: main.name, count: extra + 1 }],
      usage: fighter >= 17 ? { type: 'per-day', times: 2 } : { type: 'rest', rest: 'short' },
    });
  }
  return { bonusActions, resistances, traits };
}

/** Best damaging spell action: the strongest cantrip (scaled by level) or prepared spell within slot range. */
function spellAction(build: Build, derived: DerivedCharacter, content: Content): CreatureAction | undefined {
  const level = derived.level.value;
  let best: { action: CreatureAction; avg: number } | undefined;
  for (const list of build.spells ?? []) {
    const info = derived.spellcasting.classes.find((c) => c.class === list.class);
    if (!info) continue;
    for (const id of [...list.cantrips, ...list.prepared]) {
      const spell = content.spells.get(id);
      if (!spell?.damage || spell.level > Math.max(0, info.maxSpellLevel)) continue;
      let dice = spell.damage.dice;
      if (spell.level === 0) {
        const steps = level >= 17 ? 4 : level >= 11 ? 3 : level >= 5 ? 2 : 1;
        const m = /^(\d+)d(\d+)$/.exec(dice);
        if (m) dice = `${Number(m[1]) * steps}d${m[2]}`;
      }
      let avg: number;
      try {
        avg = diceAverage(dice);
      } catch {
        continue;
      }
      const type = spell.damage.types[0] ?? 'force';
      const damage = [{ dice, average: Math.floor(avg), type }];
      const action: CreatureAction = spell.save
        ? {
            name: spell.name,
            summary: `${spell.name} (spell)`,
            save: { ability: spell.save, dc: info.saveDC.value, damage, onSuccess: 'half', area: false },
          }
        : {
            name: spell.name,
            summary: `${spell.name} (spell)`,
            attack: { kind: 'ranged', bonus: info.attackBonus.value, damage },
          };
      if (!best || avg > best.avg) best = { action, avg };
    }
  }
  return best?.action;
}

/**
 * A character as a stat block, so NPCs get a CR from the same estimator as monsters. Documented method: AC, HP,
 * scores, initiative, passive Perception and proficiency come from `derive`; offense is the better of (a) the
 * strongest weapon attack, repeated for Extra Attack, and (b) the strongest damaging spell the character has
 * prepared (cantrips scaled by level). Class features beyond attacks (Sneak Attack, Rage…) are not modelled.
 */
export function characterToCreature(build: Build, derived: DerivedCharacter, content: Content): Creature {
  const species = content.species.get(build.species);
  const actions: CreatureAction[] = [];
  const weapons = [...derived.attacks].sort((a, b) => {
    const avg = (w: typeof a) => {
      try {
        return diceAverage(w.damage.dice) + w.damage.bonus.value + w.toHit.value;
      } catch {
        return w.toHit.value;
      }
    };
    return avg(b) - avg(a);
  });
  const weapon = weapons[0];
  if (weapon) {
    let avg: number;
    try {
      avg = diceAverage(weapon.damage.dice) + weapon.damage.bonus.value;
    } catch {
      avg = 1;
    }
    const bonus = weapon.damage.bonus.value;
    actions.push({
      name: weapon.name,
      summary: `${weapon.name} attack`,
      attack: {
        kind: weapon.range ? 'ranged' : 'melee',
        bonus: weapon.toHit.value,
        damage: [
          {
            dice: bonus === 0 ? weapon.damage.dice : `${weapon.damage.dice}${bonus > 0 ? '+' : ''}${bonus}`,
            average: Math.max(1, Math.floor(avg)),
            type: (weapon.damage.type as Creature['immunities'][number] | undefined) ?? 'bludgeoning',
          },
        ],
      },
    });
    const extra = extraAttacks(build, content);
    if (extra > 0) {
      actions.push({
        name: 'Multiattack',
        summary: `${extra + 1} ${weapon.name} attacks`,
        multiattack: [{ action: weapon.name, count: extra + 1 }],
      });
    }
  }
  const spell = spellAction(build, derived, content);
  if (spell) actions.push(spell);
  const features = classFeatureActions(build, derived, content, actions);
  const level = derived.level.value;
  const hitDie = content.classes.get(build.classes[0]?.class ?? '')?.hitDie ?? 8;
  return CreatureSchema.parse({
    id: slug(build.name),
    name: build.name,
    size: build.size ?? species?.sizes[0] ?? 'medium',
    type: 'humanoid',
    alignment: 'any alignment',
    ac: derived.armorClass.value,
    hp: { average: derived.hitPoints.max.value, formula: `${level}d${hitDie}` },
    speed: { walk: derived.speed.value },
    abilities: derived.abilityScores,
    initiative: derived.initiative.value,
    senses: { passivePerception: derived.passive.perception.value },
    languages: [],
    resistances: features.resistances,
    immunities: [],
    vulnerabilities: [],
    conditionImmunities: [],
    cr: 0,
    xp: 0,
    proficiencyBonus: derived.proficiencyBonus.value,
    traits: features.traits,
    actions,
    bonusActions: features.bonusActions,
    summary: `${build.name}, converted from a level ${level} character`,
  });
}

function creatureIssues(c: Creature): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) =>
    issues.push({ code: 'creature-range', severity: 'error', path, message });
  if (c.ac < 1 || c.ac > 30) add('/ac', `armor class ${c.ac} must be 1–30`);
  if (c.hp.average < 1) add('/hp/average', `hit points ${c.hp.average} must be at least 1`);
  for (const [k, v] of Object.entries(c.abilities))
    if (v < 1 || v > 30) add(`/abilities/${k}`, `score ${v} must be 1–30`);
  if (c.actions.length === 0) add('/actions', 'a monster needs at least one action');
  return issues;
}

/** Monsters: the stat block is the model's choice; CR, XP and proficiency bonus are recomputed by the engine. */
export function processMonster(
  draft: MonsterDraft,
  content: Content,
  options: ProcessOptions = {},
): ProcessedMonster {
  const base = draft.basedOn === undefined ? undefined : resolveToSrd('creature', draft.basedOn, content);
  const given = toCreature(draft.creature);
  // An official SRD creature whose stat block is unchanged (bar name and summary) keeps its published CR, XP and
  // PB (the Kraken is CR 23 even where the DMG estimate says 21); anything changed is judged by the estimate.
  const srd =
    base && base.tag !== 'custom' ? content.creatures.get(base.id) : content.creatures.get(slug(given.name));
  const mechanics = (c: Creature) =>
    JSON.stringify({ ...c, id: '', name: '', summary: '', cr: 0, xp: 0, proficiencyBonus: 0 });
  const published = srd !== undefined && mechanics(srd) === mechanics(given) ? srd : undefined;
  const estimate = published ? { cr: published.cr, xp: published.xp } : estimateCr(given);
  const repairs: RepairChange[] = [];
  const fix = (path: string, from: number, to: number, what: string) => {
    if (from !== to) repairs.push({ path, from, to, reason: `${what} recomputed by the rules engine` });
  };
  fix('/cr', given.cr, estimate.cr, 'challenge rating');
  fix('/xp', given.xp, estimate.xp, 'XP');
  const pb = published?.proficiencyBonus ?? proficiencyBonusForCr(estimate.cr);
  fix('/proficiencyBonus', given.proficiencyBonus, pb, 'proficiency bonus');
  const creature: Creature = { ...given, cr: estimate.cr, xp: estimate.xp, proficiencyBonus: pb };
  const issues = creatureIssues(creature);
  const elements: DraftElement[] = [
    {
      kind: 'species',
      name: creature.name,
      id: base && base.tag !== 'custom' ? base.id : slug(creature.name),
      tag: base ? base.tag : 'custom',
      ...(base?.basedOn === undefined ? {} : { basedOn: base.basedOn }),
    },
  ];
  return {
    kind: 'monster',
    creature,
    narrative: toDocNarrative(draft.narrative, loreRecord(draft.lore, elements), options.theme),
    validation: { valid: issues.every((i) => i.severity !== 'error'), issues },
    repairs,
    balance: [],
    elements,
    mapping: mappingOf(elements),
    challenge: { cr: estimate.cr, xp: estimate.xp, from: published ? 'published' : 'stat-block' },
  };
}
