/**
 * Narrative tables for the offline generator: short phrases in our own words, combined by a seeded RNG.
 * Slots in braces are filled from the concept profile: {place}, {flavour}, {tradition}, {class}, {species},
 * {magic}, {rival}, {mentor}, {concept}.
 */
import type { LoreEntry, LoreKind, Narrative, Relationship } from './draft-schema';
import { pick, type Rng, weightedSample } from './prng';

export const ORIGINS = [
  'Born in {place}, {name} grew up {flavour} and restless.',
  '{name} was raised in {place} by people who expected little of them.',
  'A foundling from {place}, {name} learned early to trust their own hands.',
  '{name} spent a quiet childhood in {place}, listening to travellers\u2019 tales.',
  'The youngest of a large family in {place}, {name} was always the one who wandered off.',
] as const;

export const TURNS = [
  'Everything changed when {mentor} took them into {tradition}.',
  'A disaster at home pushed them toward {tradition}, and they never looked back.',
  'They earned a place in {tradition} by refusing to give up.',
  'A chance meeting with {mentor} opened the door to {tradition}.',
  'After a bitter loss to {rival}, they swore themselves to {tradition}.',
] as const;

export const PRESENTS = [
  'Now they travel as a {class}, chasing a rumour that could set things right.',
  'These days they sell their skills as a {class} while searching for answers.',
  'Today they walk the roads as a {class}, carrying a debt they mean to repay.',
  'They have just set out on their own, a {class} with more courage than plans.',
] as const;

export const PERSONALITY = [
  'Speaks softly and listens longer than most.',
  'Cracks jokes at the worst possible moments.',
  'Keeps meticulous notes about everyone they meet.',
  'Is polite to a fault, even with enemies.',
  'Cannot resist fixing things that are broken.',
  'Hums old tunes while thinking.',
  'Trusts animals more than people.',
  'Plans for every outcome, then improvises anyway.',
  'Gets quietly competitive about everything.',
  'Collects small keepsakes from every place they visit.',
] as const;

export const IDEALS = [
  'Protection: the weak deserve a shield.',
  'Knowledge: understanding is worth any price.',
  'Freedom: no chain should hold anyone for long.',
  'Loyalty: you stand by your people, always.',
  'Balance: every force needs its counterweight.',
  'Redemption: anyone can change, even me.',
  'Craft: a thing done well honours the doer.',
  'Honesty: a hard truth beats a kind lie.',
] as const;

export const BONDS = [
  'Owes their life to {mentor}.',
  'Guards a keepsake from {place}.',
  'Means to restore the good name of {tradition}.',
  'Sends part of every payment home to family.',
  'Keeps a promise made to a dying friend.',
  'Would do anything for a younger sibling still in {place}.',
] as const;

export const FLAWS = [
  'Too proud to ask for help.',
  'Takes reckless risks to prove a point.',
  'Holds grudges far longer than is wise.',
  'Trusts anyone who shows a little kindness.',
  'Cannot keep a secret when excited.',
  'Spends money the moment it arrives.',
  'Freezes when old memories surface.',
] as const;

export const FEARS = [
  'Being forgotten.',
  'Deep, still water.',
  'Failing the people who rely on them.',
  'Losing control of their own power.',
  'Enclosed spaces with no way out.',
  'Becoming like {rival}.',
] as const;

export const SECRETS = [
  'Once stole from {tradition} and never confessed.',
  'Is not the person their papers claim.',
  'Still exchanges letters with {rival}.',
  'Caused the accident that drove them from {place}.',
  'Hears a voice at night that may not be their own.',
  'Knows where a great treasure lies but fears to claim it.',
] as const;

export const MOTIVATIONS = [
  'Find out what really happened in {place}.',
  'Prove themselves worthy of {tradition}.',
  'Stop {rival} before it is too late.',
  'Earn enough to buy back a lost home.',
  'Master {magic} without losing themselves.',
  'See every corner of the world at least once.',
] as const;

export const RELATIONS = [
  { relation: 'mentor', note: 'Taught them; expects much.' },
  { relation: 'rival', note: 'Wants the same prize.' },
  { relation: 'sibling', note: 'Worries and writes often.' },
  { relation: 'old friend', note: 'Owes them a favour.' },
  { relation: 'patron', note: 'Pays well, asks little.' },
] as const;

export const APPEARANCE = [
  '{size} and {build}, with {eyes} eyes and {detail}.',
  'A {build} {species} with {eyes} eyes; {detail}.',
] as const;
export const BUILDS = ['wiry', 'broad-shouldered', 'slight', 'tall', 'compact', 'weathered'] as const;
export const EYES = ['grey', 'amber', 'green', 'dark', 'pale blue', 'gold-flecked'] as const;
export const DETAILS = [
  'a scar across one hand',
  'ink-stained fingers',
  'hair tied back with a strip of cloth',
  'clothes patched with care',
  'a faint smell of woodsmoke',
  'a ring they turn when nervous',
] as const;

/**
 * Short lore templates per element kind (the element's name is in the entry, so the text need not repeat it;
 * kept brief so a whole draft fits the output-token budget).
 */
export const LORE_TEMPLATES: Readonly<Record<LoreKind, readonly string[]>> = {
  species: ['Kin of {place}.', 'A {flavour} people.'],
  lineage: ['A {flavour}, proud line.', 'Strong in the family.'],
  class: ['Learned within {tradition}.', 'A craft taught by {mentor}.'],
  tradition: ['Keepers of {magic}, {flavour}.', 'Sworn to wield {magic} well.'],
  subclass: ['The branch they chose.', 'The way {mentor} taught.'],
  background: ['Shaped by {place}.', 'Left friends and scars.'],
  feat: ['Honed by practice.', 'A knack from youth.'],
  feature: ['Trained to instinct.', 'A {flavour} edge.', 'A gift of training.'],
  weapon: ['{flavour}, kept close.', 'A gift from {mentor}.'],
  armor: ['Dented and {flavour}.', 'Has turned many blows.'],
  item: ['Well used, well kept.', 'Bears their sign.'],
  spell: ['A {flavour} signature.', 'Taught the old way.', 'Cast with a {flavour} air.'],
  creature: ['A {flavour} terror of {place}.', 'Tales in {place} speak of it.'],
  trait: ['Twisted into something {flavour}.', 'Bears a {flavour} taint.'],
};

export interface NarrativeSlots {
  readonly name: string;
  readonly place: string;
  readonly flavour: string;
  readonly tradition: string;
  readonly class: string;
  readonly species: string;
  readonly magic: string;
  readonly mentor: string;
  readonly rival: string;
  readonly size: string;
}

export function fill(template: string, slots: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => slots[key] ?? whole);
}

function pickN(rng: Rng, items: readonly string[], n: number, slots: NarrativeSlots): string[] {
  return weightedSample(
    rng,
    items.map((value) => ({ value, weight: 1 })),
    n,
  ).map((t) => fill(t, { ...slots }));
}

export function buildNarrative(rng: Rng, slots: NarrativeSlots): Narrative {
  const s = { ...slots };
  const backstory = [pick(rng, ORIGINS), pick(rng, TURNS), pick(rng, PRESENTS)]
    .map((t) => fill(t, s))
    .join(' ');
  const relationships: Relationship[] = weightedSample(
    rng,
    RELATIONS.map((value) => ({ value, weight: 1 })),
    2,
  ).map((r) => ({
    name:
      r.relation === 'mentor'
        ? slots.mentor
        : r.relation === 'rival'
          ? slots.rival
          : `${slots.name.split(' ')[0] ?? 'Their'}'s ${r.relation}`,
    relation: r.relation,
    note: r.note,
  }));
  const appearance = fill(pick(rng, APPEARANCE), {
    ...s,
    size: slots.size === 'small' ? 'Small' : 'Average height',
    build: pick(rng, BUILDS),
    eyes: pick(rng, EYES),
    detail: pick(rng, DETAILS),
  });
  return {
    backstory,
    personality: pickN(rng, PERSONALITY, 2, slots),
    ideals: pickN(rng, IDEALS, 1, slots),
    bonds: pickN(rng, BONDS, 1, slots),
    flaws: pickN(rng, FLAWS, 1, slots),
    fears: pickN(rng, FEARS, 1, slots),
    secrets: pickN(rng, SECRETS, 1, slots),
    motivations: pickN(rng, MOTIVATIONS, 1, slots),
    relationships,
    appearance: appearance.charAt(0).toUpperCase() + appearance.slice(1),
  };
}

/** One lore entry for an element, from the kind's templates. */
export function loreFor(
  rng: Rng,
  kind: LoreKind,
  element: string,
  slots: NarrativeSlots,
  flavour: string,
): LoreEntry {
  const text = fill(pick(rng, LORE_TEMPLATES[kind]), { ...slots, name: element, flavour });
  return { element, kind, text: text.charAt(0).toUpperCase() + text.slice(1) };
}
