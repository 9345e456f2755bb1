/**
 * Offline campaign planning (pure, deterministic by seed): from a pitch, a party and a theme, the setting,
 * factions, locations and NPCs (with their relations), a layered chapter graph whose choices (2–5 each) lead to
 * the next layer (branches rejoin), scenes, encounters sized for the party by the live-play encounter builder,
 * and a conclusion per chapter with at least three clues placed in scenes, NPCs and locations. Entities are named
 * by keys (`loc:0`, `npc:1`, `fac:0`); the service replaces them with the ids campaign memory gives them.
 */
import type { Creature } from '@loreforge/rules-5e';
import { createRng, pick, randInt, type Rng } from '../generation/prng';
import { buildEncounter, matchTheme, type EncounterCandidate } from '../play/encounter';
import type { Chapter, Conclusion, GenEncounter } from './schema';
import { motifs, themeWords, type ThemeWords } from './words';

export interface PartyMember {
  id: string;
  name: string;
  level: number;
  classes: string[];
  bonds: string[];
  /** Highest ability score of the build (str, dex, …). */
  best: string;
  /** Damage types of the member's weapons and damaging spells. */
  damageTypes?: string[];
}

export interface PlanInput {
  pitch: string;
  theme: string;
  seed: number;
  chapters: number;
  party: PartyMember[];
  creatures: readonly Creature[];
}

export interface PlanEntity {
  key: string;
  kind: 'location' | 'faction' | 'npc';
  name: string;
  text: string;
  dmText: string;
  tags: string[];
  role: string;
}

export interface PlanRelation {
  from: string;
  to: string;
  type: string;
  attitude?: number;
}

export interface Plan {
  words: ThemeWords;
  motifs: string[];
  setting: { name: string; text: string };
  entities: PlanEntity[];
  relations: PlanRelation[];
  start: string;
  chapters: Chapter[];
  conclusions: Conclusion[];
  villainName: string;
}

export const MIN_CHAPTERS = 3;
export const MAX_CHAPTERS = 12;

function fail(field: string, reason: string): never {
  throw Object.assign(new Error(`${field}: ${reason}`), { code: 'invalid-input' });
}

function uniqueName(rng: Rng, w: ThemeWords, used: Set<string>): string {
  for (let i = 0; i < 50; i++) {
    const n = `${pick(rng, w.first)}${pick(rng, w.last)}`;
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
  const n = `${pick(rng, w.first)}${pick(rng, w.last)} ${used.size}`;
  used.add(n);
  return n;
}

const cap = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Layers of the chapter graph: one start, middle layers of width ≤ 2, one or two endings. */
export function layerSizes(n: number): number[] {
  const endings = n >= 4 ? 2 : 1;
  let middle = n - 1 - endings;
  const layers = [1];
  while (middle > 0) {
    const w = Math.min(2, middle);
    layers.push(w);
    middle -= w;
  }
  layers.push(endings);
  return layers;
}

/** Encounter difficulty by layer: the opening is low, the endings high, the middle alternates. */
export function difficultyFor(layer: number, layers: number): 'low' | 'moderate' | 'high' {
  if (layer === 0) return 'low';
  if (layer >= layers - 1) return 'high';
  return layer % 2 ? 'moderate' : 'high';
}

export function candidatesFrom(creatures: readonly Creature[], theme: string): EncounterCandidate[] {
  const all = creatures.map((c) => ({
    id: c.id,
    name: c.name,
    cr: c.cr,
    type: c.type,
    text: '',
    campaign: false,
  }));
  let themed: EncounterCandidate[];
  try {
    themed = matchTheme(all, theme);
  } catch {
    themed = [];
  }
  return themed.length >= 6 ? themed : all;
}

/**
 * One chapter's encounter from the live-play builder (2024 budget for the party's levels), themed creatures
 * first, any SRD creature when those cannot fill the budget; seeded by (pitch, seed, chapter id).
 */
export function chapterEncounter(input: {
  pitch: string;
  seed: number;
  chapter: string;
  difficulty: 'low' | 'moderate' | 'high';
  levels: number[];
  candidates: EncounterCandidate[];
  everyCreature: EncounterCandidate[];
  place: string;
}): GenEncounter {
  const { difficulty } = input;
  const erng = createRng(input.pitch, input.seed, `enc|${input.chapter}`);
  const ask = (pool: EncounterCandidate[]) =>
    buildEncounter({
      partyLevels: input.levels,
      ruleset: '2024',
      difficulty,
      candidates: pool,
      named: false,
      rng: erng,
    });
  let pickE: ReturnType<typeof buildEncounter>;
  try {
    pickE = ask(input.candidates);
  } catch {
    // The theme's creatures cannot fill this budget (a high-level party): any SRD creature may.
    pickE = ask(input.everyCreature);
  }
  return {
    id: `${input.chapter}-e1`,
    name: `${cap(difficulty)} fight at ${input.place}`,
    difficulty,
    rated: pickE.rated['2024'],
    xp: pickE.xp,
    creatures: pickE.creatures.map((c) => ({
      srd: c.srd,
      name: c.name,
      cr: c.cr,
      count: c.count,
      role: c.role,
    })),
  };
}

export function planCampaign(input: PlanInput): Plan {
  const { pitch, theme, seed, party } = input;
  if (!pitch.trim()) fail('--pitch', 'must not be empty');
  if (!Number.isInteger(input.chapters) || input.chapters < MIN_CHAPTERS || input.chapters > MAX_CHAPTERS)
    fail('--chapters', `${input.chapters} is not a whole number from ${MIN_CHAPTERS} to ${MAX_CHAPTERS}`);
  if (party.length === 0) fail('--party', 'name at least one character');
  const w = themeWords(theme, pitch);
  const rng = createRng(pitch, seed, `campaign|${theme}`);
  const m = motifs(pitch);
  const motif = m[0] ?? 'old secret';
  const used = new Set<string>();
  const entities: PlanEntity[] = [];
  const relations: PlanRelation[] = [];

  // Setting
  const settingName = `${uniqueName(rng, w, used)} ${cap(pick(rng, ['Reach', 'March', 'Vale', 'Coast', 'Expanse']))}`;
  const setting = {
    name: settingName,
    text: `${settingName}, a ${theme} land where ${pitch.trim().replace(/[.!?]+$/, '')}. Everyone here has heard of the ${motif}.`,
  };

  // Factions: the villain's, an ally, a wildcard.
  const adjs = [...w.factionAdjectives];
  const faction = (role: string, attitude: string): PlanEntity => {
    const adj = adjs.splice(randInt(rng, adjs.length), 1)[0] ?? 'Old';
    const name = `The ${adj} ${pick(rng, w.factionNouns)}`;
    return {
      key: `fac:${entities.filter((e) => e.kind === 'faction').length}`,
      kind: 'faction',
      name,
      // The public page says only what anyone in the setting knows; the role stays in the DM-only part.
      text: `${name}, a power in ${settingName}.`,
      dmText: `Role: ${role}: ${attitude}.`,
      tags: ['campaign-gen'],
      role,
    };
  };
  const villainFac = faction('villain-faction', `who serve the one behind the ${motif}`);
  entities.push(villainFac);
  const allyFac = faction('ally-faction', 'who stand against them');
  entities.push(allyFac);
  const wildFac = faction('wildcard-faction', 'who sell to whoever pays');
  entities.push(wildFac);
  relations.push({ from: villainFac.key, to: allyFac.key, type: 'enemy', attitude: -80 });
  relations.push({ from: wildFac.key, to: villainFac.key, type: 'trades-with', attitude: 20 });

  // Locations: one per chapter layer at least, settlements first.
  const layers = layerSizes(input.chapters);
  const nLoc = Math.max(4, Math.min(8, input.chapters));
  for (let i = 0; i < nLoc; i++) {
    const kind = i < 2 ? pick(rng, w.settlements) : pick(rng, w.wilds);
    const name = `${uniqueName(rng, w, used)} ${cap(kind)}`;
    entities.push({
      key: `loc:${i}`,
      kind: 'location',
      name,
      text: `${name}: a ${kind} of ${settingName}${i === 0 ? ', where the story begins' : ''}.`,
      dmText: i === nLoc - 1 ? `The heart of the ${motif}.` : '',
      tags: ['campaign-gen'],
      role: i === 0 ? 'start' : i === nLoc - 1 ? 'lair' : 'site',
    });
    if (i > 0) relations.push({ from: `loc:${i}`, to: 'loc:0', type: 'near' });
  }

  // NPCs: a leader per faction, then one contact per chapter.
  const npcKeys: string[] = [];
  const facs = [villainFac, allyFac, wildFac];
  const nNpc = Math.max(5, input.chapters + 1);
  for (let i = 0; i < nNpc; i++) {
    const name = uniqueName(rng, w, used);
    const fac = facs[i % 3]!;
    const role =
      i < 3 ? `leader of ${fac.name}` : pick(rng, ['informant', 'witness', 'guide', 'rival', 'patron']);
    const key = `npc:${i}`;
    npcKeys.push(key);
    entities.push({
      key,
      kind: 'npc',
      name,
      text: `${name}, ${role}.`,
      dmText: fac === villainFac ? `Secretly answers to the villain.` : '',
      tags: ['campaign-gen'],
      role,
    });
    relations.push({ from: key, to: fac.key, type: i < 3 ? 'leads' : 'member-of' });
    relations.push({ from: key, to: `loc:${i % nLoc}`, type: 'located-in' });
  }

  const villainName = `${uniqueName(rng, w, used)} ${pick(rng, w.titles)}`;

  // Chapters: layered graph.
  const candidates = candidatesFrom(input.creatures, w.creatureTheme);
  const everyCreature = candidatesFrom(input.creatures, '');
  const levels = party.map((p) => p.level);
  const ids: string[][] = [];
  let n = 0;
  for (const size of layers) ids.push(Array.from({ length: size }, () => `ch${++n}`));
  const chapters: Chapter[] = [];
  const conclusions: Conclusion[] = [];
  const verbs = ['hides', 'guards', 'feeds', 'bargains for', 'hunts', 'smuggles'];
  const approaches = ['by force', 'by stealth', 'by parley', 'by cunning'];
  let locCursor = 0;
  let npcCursor = 3;
  ids.forEach((layer, li) => {
    layer.forEach((id, pos) => {
      const ending = li === ids.length - 1;
      const loc = ending ? `loc:${nLoc - 1}` : `loc:${locCursor++ % (nLoc - 1)}`;
      const npc = npcKeys[npcCursor++ % npcKeys.length] ?? npcKeys[0]!;
      const locName = entities.find((e) => e.key === loc)!.name;
      const npcName = entities.find((e) => e.key === npc)!.name;
      const thing = m[(li + pos) % Math.max(1, m.length)] ?? motif;
      const title = ending
        ? pos === 0
          ? `Showdown at ${locName}`
          : `The ${cap(thing)} Unbound`
        : `${cap(pick(rng, ['Shadows', 'Whispers', 'Ashes', 'Echoes', 'Secrets']))} of ${locName}`;
      const goal = ending
        ? `Stop ${villainName} before the ${motif} is complete`
        : `Learn who ${pick(rng, verbs)} the ${thing} at ${locName}`;
      const scenes = [
        {
          id: `${id}-s1`,
          title: `Arrival at ${locName}`,
          text: `The party reaches ${locName}; signs of the ${thing} are everywhere.`,
          entities: [loc],
        },
        {
          id: `${id}-s2`,
          title: `${npcName} talks`,
          text: `${npcName} knows more than they say about the ${thing}.`,
          entities: [npc, loc],
        },
        {
          id: `${id}-s3`,
          title: ending ? `Face ${villainName}` : `Trouble at ${locName}`,
          text: ending ? `${villainName} makes a last stand.` : `Agents of ${villainFac.name} strike.`,
          entities: [loc, villainFac.key],
        },
      ];
      const difficulty = difficultyFor(li, ids.length);
      const encounters: GenEncounter[] = [
        chapterEncounter({
          pitch,
          seed,
          chapter: id,
          difficulty,
          levels,
          candidates,
          everyCreature,
          place: locName,
        }),
      ];
      // Choices: every chapter of the next layer, a shortcut two layers on when only one is next, then
      // other approaches to reach 2–5.
      const choices: { text: string; next: string }[] = [];
      if (!ending) {
        const next = ids[li + 1]!;
        for (const t of next) choices.push({ text: `Follow the trail to ${t}`, next: t });
        const skip = ids[li + 2];
        if (choices.length < 2 && skip && skip.length) {
          const t = skip[randInt(rng, skip.length)]!;
          choices.push({ text: `Take the dangerous shortcut to ${t}`, next: t });
        }
        let a = randInt(rng, approaches.length);
        while (choices.length < 2 || (choices.length < 3 && rng() < 0.35)) {
          const t = next[randInt(rng, next.length)]!;
          choices.push({ text: `Go ${approaches[a++ % approaches.length]} to ${t}`, next: t });
        }
      }
      chapters.push({ id, title, goal, scenes, encounters, choices, ending, status: 'planned' });
      // The conclusion of the chapter and its clues (3, sometimes 4).
      const cid = `${id}-c`;
      const conclusion = ending
        ? `${villainName} can be stopped at ${locName} only by breaking the ${motif}`
        : `${npcName} ${pick(rng, verbs)} the ${thing} for ${villainFac.name}`;
      const clues = [
        {
          id: `${cid}1`,
          text: `A torn note at ${locName} names ${villainFac.name}.`,
          where: { kind: 'scene' as const, id: `${id}-s1` },
        },
        {
          id: `${cid}2`,
          text: `${npcName} lets slip what they know of the ${thing}.`,
          where: { kind: 'npc' as const, id: npc },
        },
        {
          id: `${cid}3`,
          text: `Marks of the ${thing} lead deeper into ${locName}.`,
          where: { kind: 'location' as const, id: loc },
        },
      ];
      if (rng() < 0.5)
        clues.push({
          id: `${cid}4`,
          text: `A captured agent of ${villainFac.name} talks.`,
          where: { kind: 'scene' as const, id: `${id}-s3` },
        });
      conclusions.push({ id: cid, chapter: id, text: conclusion, clues });
    });
  });

  // Choices name where they lead.
  const titles = new Map(chapters.map((c) => [c.id, c.title]));
  for (const c of chapters)
    for (const ch of c.choices) ch.text = ch.text.replace(/ch\d+$/, `"${titles.get(ch.next) ?? ch.next}"`);

  return {
    words: w,
    motifs: m,
    setting,
    entities,
    relations,
    start: ids[0]![0]!,
    chapters,
    conclusions,
    villainName,
  };
}
