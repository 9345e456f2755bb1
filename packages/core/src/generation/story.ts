/**
 * Stories that tell the concept: backstory, appearance, personality, bonds, flaws, fears, secrets, motivations
 * and relationships composed from the concept's own elements (places, props, events, liege, enemies, deeds),
 * consistent with the build (size, species features, magic or none), in the concept's pronouns, with names
 * that fit the species and a rival who does not share the hero's family name. Monsters and NPCs have their own
 * templates (lair, hunger, master, territory; a place in the community and what they want). Our own phrasing.
 */
import type { Narrative, Relationship } from './draft-schema';
import { pick, type Rng, weightedSample } from './prng';
import type { Theme } from './affinity';
import { loadGenerationTables, type ConceptReading, type NameParts, type Pronoun } from './reader';
import { normalizeName } from './text';

/** Pronoun forms and verb agreement: `{they}`, `{Their}`, `{are}`, `[walk|walks]` in templates. */
const FORMS: Readonly<Record<Pronoun, Readonly<Record<string, string>>>> = {
  he: {
    they: 'he',
    them: 'him',
    their: 'his',
    theirs: 'his',
    themself: 'himself',
    are: 'is',
    were: 'was',
    have: 'has',
  },
  she: {
    they: 'she',
    them: 'her',
    their: 'her',
    theirs: 'hers',
    themself: 'herself',
    are: 'is',
    were: 'was',
    have: 'has',
  },
  they: {
    they: 'they',
    them: 'them',
    their: 'their',
    theirs: 'theirs',
    themself: 'themself',
    are: 'are',
    were: 'were',
    have: 'have',
  },
};

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Fill `{slot}` (capitalised slot → capitalised value), pronoun forms and `[plural|singular]` verbs. */
export function say(template: string, slots: Readonly<Record<string, string>>, pronoun: Pronoun): string {
  const forms = FORMS[pronoun];
  const filled = template
    .replace(/\[([^|\]]*)\|([^\]]*)\]/g, (_, plural: string, singular: string) =>
      pronoun === 'they' ? plural : singular,
    )
    .replace(/\{(\w+)\}/g, (whole, key: string) => {
      const lower = key.charAt(0).toLowerCase() + key.slice(1);
      const value = slots[key] ?? slots[lower] ?? forms[lower];
      if (value === undefined) return whole;
      return key.charAt(0) === key.charAt(0).toUpperCase() && key !== lower ? capital(value) : value;
    });
  return capital(filled.replace(/\s+/g, ' ').trim());
}

export function withArticle(phrase: string): string {
  if (/^(a|an|the|his|her|their|my|our)\s/i.test(phrase)) return phrase;
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/** Strip a leading article or possessive: "a rolling pin" → "rolling pin". */
function bare(phrase: string): string {
  return phrase.replace(/^(a|an|the|his|her|their|some)\s+/i, '');
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** A name that fits the species (fantasy and historical settings) or the theme (science fiction, cyberpunk). */
export function makeName(
  rng: Rng,
  options: { species: string; pronoun: Pronoun; theme: Theme; avoidFamily?: readonly string[] },
): string {
  const parts: NameParts | undefined =
    options.theme.id === 'sci-fi' || options.theme.id === 'cyberpunk'
      ? undefined
      : (loadGenerationTables().names.species[options.species] ??
        loadGenerationTables().names.species['human']);
  for (let attempt = 0; ; attempt++) {
    let given: string;
    let family: string;
    if (parts) {
      given = `${pick(rng, parts.start)}${pick(rng, parts[options.pronoun])}`;
      family = `${pick(rng, parts.family1)}${pick(rng, parts.family2).toLowerCase()}`;
    } else {
      const t = options.theme;
      given = `${pick(rng, t.namesFirst)}${pick(rng, t.namesLast)}`;
      family = `${pick(rng, t.namesFirst)}${pick(rng, t.namesLast)}`;
    }
    if (attempt >= 6 || !(options.avoidFamily ?? []).includes(family)) return `${given} ${family}`;
  }
}

export function familyOf(name: string): string {
  return name.split(' ').slice(1).join(' ');
}

/** How each class came to its power, with {liege}, {mentor}, {tradition}, {place} slots. */
const CALLINGS: Readonly<Record<string, readonly string[]>> = {
  barbarian: [
    '{They} learned to let the rage come among {tradition}, and it has never quite left {them}.',
    'When the fury first took {them}, {mentor} taught {them} to ride it instead of drowning in it.',
  ],
  bard: [
    '{Mentor} taught {them} {their} first songs; every road since has become another verse.',
    '{They} learned early that a good tale opens more doors than a key, and {mentor} taught {them} the rest.',
  ],
  cleric: [
    '{They} heard the call of {liege} and answered it, trained by {mentor} in {tradition}.',
    'Faith in {liege} came to {them} slowly, then all at once, and {they} [have|has] served ever since.',
  ],
  druid: [
    '{Mentor} showed {them} the old ways of {tradition}, where beasts and seasons speak plainly.',
    '{They} [were|was] taken in by {tradition} and learned that the wild keeps its own law.',
  ],
  fighter: [
    '{They} learned the weight of a weapon in {tradition}, drilled by {mentor} until every move came without thought.',
    'Years of hard service taught {them} to fight in line, in the mud and alone.',
  ],
  monk: [
    'At {tradition} {they} learned to quiet the mind and harden the body under the eye of {mentor}.',
    '{Mentor} taught {them} that the body is the only weapon no one can take away.',
  ],
  paladin: [
    '{They} swore {their} oath to {liege} before witnesses, and the words still bind {them}.',
    'Kneeling before {liege}, {they} took a vow that {they} [have|has] never once broken.',
  ],
  ranger: [
    '{Mentor} taught {them} to read tracks, weather and silence in the wild country beyond {place}.',
    '{They} learned the borders the hard way, guiding travellers and burying the ones who did not listen.',
  ],
  rogue: [
    '{They} learned quick hands and quicker lies from {mentor}, in {tradition}.',
    'Locks, pockets and secrets opened for {them} long before anyone thought to teach {them} how.',
  ],
  sorcerer: [
    'The power woke in {their} blood without asking, and {they} [have|has] been learning to live with it since.',
    'Magic came to {them} the way storms come: sudden, loud and impossible to send back.',
  ],
  warlock: [
    '{They} struck a bargain with {liege}, and the pact still whispers at the edge of {their} sleep.',
    'The pact with {liege} gave {them} power, and {they} [are|is] still working out the price.',
  ],
  wizard: [
    'Long nights of study under {mentor} filled {their} notebooks with formulae and {their} head with questions.',
    '{They} earned a place in {tradition} by out-reading everyone else in it.',
  ],
};

const DEFAULT_LIEGE: Readonly<Record<string, string>> = {
  cleric: 'the gods of {place}',
  paladin: 'the old order',
  warlock: 'a patron who never gives its name',
};

const ORIGIN: Readonly<Record<'young' | 'adult' | 'old', readonly string[]>> = {
  young: [
    '{Name} is barely grown, {aRole} raised in {place}.',
    'Not long ago {name} was just a child in {place}; now {they} [are|is] {aRole}.',
  ],
  adult: ['{Name} is {aRole}, shaped by {place}.', '{Name} grew up in {place} and became {aRole}.'],
  old: [
    '{Name} has grown grey as {aRole}, far from {place} where it all began.',
    'Many winters have passed since {name}, {aRole}, first left {place}.',
  ],
};

const EVENT_LINES = [
  '{Their} life was split in two by {event}.',
  'Nobody who lived through {event} came out unchanged, {first} least of all.',
  '{They} still dream[|s] of {event}.',
];

const MOOD_LINES: Readonly<Record<string, readonly string[]>> = {
  grim: ['{They} carr[y|ies] the weight of it quietly and rarely smile[|s].'],
  cheerful: ['Somehow {they} [keep|keeps] a warm laugh through all of it.'],
  fierce: ['{They} meet[|s] every slight with a temper that burns hot and fast.'],
  calm: ['{They} face[|s] it all with a stillness that unsettles louder folk.'],
  scheming: ['{They} always have a second plan, and a third behind it.'.replace('have', '[have|has]')],
  proud: ['{They} expect[|s] the world to remember {their} name.'],
  curious: ['{They} cannot leave a question alone, whatever it costs.'],
};

const PERSONALITY: Readonly<Record<string, readonly string[]>> = {
  grim: ['Speaks little, and never about the past.', 'Keeps watch long after the others sleep.'],
  cheerful: ['Greets strangers like old friends.', 'Shares food before anyone asks.'],
  fierce: ['Answers threats before they are finished.', 'Laughs loudest in a fight.'],
  calm: ['Listens longer than most and speaks last.', 'Breathes slowly when others shout.'],
  scheming: ['Remembers every favour owed.', 'Smiles most when lying.'],
  proud: ['Corrects anyone who gets {their} titles wrong.', 'Will not be seen to need help.'],
  curious: ['Asks one question too many.', 'Collects odd things from every place {they} visit[|s].'],
  none: [
    'Keeps meticulous notes about everyone {they} meet[|s].',
    'Cannot resist fixing things that are broken.',
    'Hums old tunes while thinking.',
    'Plans for every outcome, then improvises anyway.',
    'Gets quietly competitive about everything.',
    'Is polite to a fault, even with enemies.',
  ],
};

const FLAWS: Readonly<Record<string, readonly string[]>> = {
  grim: ['Expects the worst and sometimes makes it happen.'],
  cheerful: ['Trusts anyone who shows a little kindness.'],
  fierce: ['Starts fights {they} cannot finish.'],
  calm: ['Waits too long to act.'],
  scheming: ['Cannot resist a double-cross, even among friends.'],
  proud: ['Too proud to ask for help.'],
  curious: ['Opens doors that were shut for good reasons.'],
  none: [
    'Takes reckless risks to prove a point.',
    'Holds grudges far longer than is wise.',
    'Spends money the moment it arrives.',
    'Cannot keep a secret when excited.',
  ],
};

const IDEALS = [
  'Protection: the weak deserve a shield.',
  'Knowledge: understanding is worth any price.',
  'Freedom: no chain should hold anyone for long.',
  'Loyalty: you stand by your people, always.',
  'Redemption: anyone can change.',
  'Craft: a thing done well honours the doer.',
  'Honesty: a hard truth beats a kind lie.',
];

const SECRETS = [
  'Once stole from {tradition} and never confessed.',
  'Is not who {their} papers claim.',
  'Still exchanges letters with {rival}.',
  'Caused the accident that drove {them} from {place}.',
  'Knows where a great treasure lies but fears to claim it.',
];

export interface CharacterStoryInput {
  readonly kind: 'pc' | 'npc';
  readonly name: string;
  readonly reading: ConceptReading;
  readonly theme: Theme;
  readonly classIds: readonly string[];
  readonly className: string;
  readonly speciesId: string;
  readonly speciesName: string;
  readonly lineageName?: string;
  readonly size: string;
  readonly caster: boolean;
  readonly place: string;
  readonly tradition: string;
  readonly mentor: string;
  readonly rival: string;
  readonly flavour: string;
}

const SPECIES_FEATURES: Readonly<Record<string, readonly string[]>> = {
  tiefling: ['curving horns', 'a restless tail'],
  orc: ['jutting tusks', 'grey-green skin'],
  dragonborn: ['{colour} scales', 'a heavy, draconic jaw'],
  elf: ['pointed ears', 'an ageless face'],
  dwarf: ['a braided beard', 'a stone-steady stance'],
  halfling: ['broad bare feet', 'quick, curious hands'],
  gnome: ['bright, curious eyes', 'ink-stained fingers'],
  goliath: ['stone-grey skin marked with dark patterns', 'shoulders like a boulder'],
  human: ['a face that is easy to forget', 'a scar across one hand'],
};

const EYES = ['grey', 'amber', 'green', 'dark', 'pale blue', 'gold-flecked'];

function appearanceOf(rng: Rng, i: CharacterStoryInput, slots: Record<string, string>): string {
  const small = i.size === 'small' || ['halfling', 'gnome'].includes(i.speciesId);
  const age = i.reading.age === 'young' ? 'young' : i.reading.age === 'old' ? 'grey-haired' : '';
  let stature: string;
  if (small)
    stature =
      i.reading.size === 'large'
        ? `tall for a ${i.speciesName.toLowerCase()}`
        : 'Small and ' + pick(rng, ['wiry', 'compact', 'nimble', 'sturdy']);
  else if (i.speciesId === 'goliath')
    stature = 'Towering and ' + pick(rng, ['broad', 'rangy', 'heavy-boned']);
  else if (i.reading.size === 'large')
    stature = 'Tall and ' + pick(rng, ['broad-shouldered', 'rangy', 'heavy-set']);
  else stature = pick(rng, ['Lean', 'Broad-shouldered', 'Wiry', 'Sturdy', 'Weathered']);
  const colour = (i.lineageName ?? '').split(' ')[0]?.toLowerCase() || 'bronze';
  const features = (SPECIES_FEATURES[i.speciesId] ?? []).map((f) => f.replace('{colour}', colour));
  // Only what can be seen goes into the appearance ("horns", "tusks"; not "giant descent").
  const marks = i.reading.elements.marks.filter((m) =>
    /horn|tail|tusk|skin|scal|ear|beard|feet|foot|tall|hair|eye|towering|tiny|stout|fang|claw/.test(m),
  );
  const who = stature.includes(i.speciesName.toLowerCase())
    ? ''
    : ` ${withArticle(i.speciesName.toLowerCase())}`;
  const first = `${capital(stature)}${age ? `, ${age}` : ''},${who} with ${pick(rng, EYES)} eyes and ${pick(rng, features.length ? features : ['a steady gaze'])}.`;
  const lines = [first];
  if (marks.length > 0)
    lines.push(
      say(
        `${capital(listOf(marks))} ${marks.length > 1 ? 'mark' : 'marks'} {them} out in any crowd.`,
        slots,
        i.reading.pronoun,
      ),
    );
  const traits = i.reading.elements.traits;
  if (traits[0] && !i.reading.elements.marks.some((m) => traits[0]?.includes(m)))
    lines.push(
      say(`Anyone who meets {them} soon learns of {their} ${bare(traits[0])}.`, slots, i.reading.pronoun),
    );
  return lines.join(' ');
}

/** Compose a PC or NPC narrative from the concept reading and the build. */
export function composeCharacterStory(rng: Rng, i: CharacterStoryInput): Narrative {
  const r = i.reading;
  const e = r.elements;
  const p = r.pronoun;
  const cls = i.classIds[0] ?? 'fighter';
  const roleText =
    e.role !== '' && !/^(god|goddess)$/.test(e.role)
      ? e.role
      : `${i.speciesName.toLowerCase()} ${i.className}`;
  const figurePlace = r.figure?.keywords.find((k) =>
    loadGenerationTables().story.placeNouns.includes(normalizeName(k).split(' ').pop() ?? ''),
  );
  const place = e.places[0] ?? figurePlace ?? i.place;
  // When the role is the whole concept ("a stout bearded brewer"), name it as what folk call them instead of
  // repeating the concept as written.
  const wholeConcept = normalizeName(withArticle(roleText)) === normalizeName(r.concept);
  const slots: Record<string, string> = {
    name: i.name,
    first: i.name.split(' ')[0] ?? i.name,
    aRole: wholeConcept ? `the one folk call the ${roleText}` : withArticle(roleText),
    role: roleText,
    place,
    tradition: i.tradition,
    mentor: i.mentor,
    rival: i.rival,
    class: i.className,
  };
  slots['liege'] = e.liege ?? say(DEFAULT_LIEGE[cls] ?? 'the people of {place}', slots, p).toLowerCase();
  const sentences: string[] = [];
  if (r.figure) {
    const kw = r.figure.keywords.slice(0, 3);
    sentences.push(say(`Tales of {name} speak of ${listOf(kw)}.`, slots, p));
    sentences.push(say(pick(rng, ORIGIN[r.age]), slots, p));
  } else {
    sentences.push(say(pick(rng, ORIGIN[r.age]), slots, p));
  }
  if (e.state)
    sentences.push(
      say(
        `{They} [are|is] ${e.state}.`.replace(
          /\[are\|is\] (raised|born|exiled|orphaned|abandoned|banished|trained|cursed|forged|descended|named|chosen)/,
          '[were|was] $1',
        ),
        slots,
        p,
      ),
    );
  if (e.events[0]) sentences.push(say(pick(rng, EVENT_LINES), { ...slots, event: e.events[0] }, p));
  sentences.push(say(pick(rng, CALLINGS[cls] ?? CALLINGS['fighter'] ?? []), slots, p));
  if (e.subject) sentences.push(say(`{Their} days turn around ${e.subject}.`, slots, p));
  if (e.props[0])
    sentences.push(say(`{They} never go[|es] anywhere without {their} ${bare(e.props[0])}.`, slots, p));
  if (e.deed) sentences.push(say(`Those who know {them} speak of the one who ${e.deed}.`, slots, p));
  if (e.pursuit) sentences.push(say(`These days {they} [are|is] ${e.pursuit}.`, slots, p));
  else if (e.enemies)
    sentences.push(say(`{They} will not rest while ${e.enemies} still trouble the world.`, slots, p));
  else if (i.kind === 'npc')
    sentences.push(
      say(
        `Folk in ${place} know where to find {them}, and {they} know[|s] more than {they} say[|s].`,
        slots,
        p,
      ),
    );
  else
    sentences.push(
      say(
        pick(rng, [
          'Now {they} wander[|s] as a {class}, chasing a rumour.',
          '{They} now sell[|s] {their} skills as a {class}.',
          '{They} [have|has] just set out on {their} own, a {class} with more courage than plans.',
        ]),
        slots,
        p,
      ),
    );
  if (r.mood && sentences.length < 6) sentences.push(say(pick(rng, MOOD_LINES[r.mood] ?? []), slots, p));

  const mood = r.mood ?? 'none';
  const generic = PERSONALITY['none'] ?? [];
  const personality = (
    mood === 'none' ? pickTwo(rng, generic) : [pick(rng, PERSONALITY[mood] ?? generic), pick(rng, generic)]
  ).map((line) => say(line, slots, p));
  const bondsPool: string[] = [];
  if (e.liege) bondsPool.push(`Bound to ${e.liege} by more than words.`);
  if (e.places[0]) bondsPool.push(`Would give anything to keep ${e.places[0]} safe.`);
  if (e.props[0]) bondsPool.push(`{Their} ${bare(e.props[0])} is the one thing {they} would never sell.`);
  bondsPool.push('Owes {their} life to {mentor}.', 'Sends part of every payment home.');
  const fearsPool = [
    'Being forgotten.',
    'Failing the people who rely on {them}.',
    'Enclosed spaces with no way out.',
    'Becoming like {rival}.',
  ];
  if (i.caster) fearsPool.push('Losing control of {their} own power.');
  if (e.events[0]) fearsPool.unshift(`Living through ${e.events[0]} again.`);
  const motivationsPool: string[] = [];
  if (e.enemies) motivationsPool.push(`See ${e.enemies} answer for what they have done.`);
  if (e.pursuit) motivationsPool.push(`Finish what {they} started: ${e.pursuit}.`);
  if (e.deed) motivationsPool.push(`Be remembered as the one who ${e.deed}.`);
  if (motivationsPool.length === 0)
    motivationsPool.push(
      `Find out what really happened in ${place}.`,
      'Prove {themself} worthy of {tradition}.',
    );
  const relationships: Relationship[] = [
    { name: i.mentor, relation: 'mentor', note: say('Taught {them}; expects much.', slots, p) },
    { name: i.rival, relation: 'rival', note: say('Wants the same prize as {them}.', slots, p) },
  ];
  if (e.liege)
    relationships.push({
      name: capital(e.liege),
      relation: cls === 'warlock' ? 'patron' : 'liege',
      note: 'Asks more each year.',
    });
  const ideals = [pick(rng, IDEALS)];
  return {
    backstory: sentences.join(' '),
    personality,
    ideals,
    bonds: [say(pick(rng, bondsPool.slice(0, Math.max(1, bondsPool.length - 1))), slots, p)],
    flaws: [
      say(
        pick(rng, [...(FLAWS[mood] ?? []), ...(FLAWS['none'] ?? [])].slice(0, mood === 'none' ? 4 : 1)),
        slots,
        p,
      ),
    ],
    fears: [say(pick(rng, fearsPool.slice(0, e.events[0] ? 1 : fearsPool.length)), slots, p)],
    secrets: [say(pick(rng, SECRETS), slots, p)],
    motivations: [say(pick(rng, motivationsPool), slots, p)],
    relationships,
    appearance: appearanceOf(rng, i, slots),
  };
}

/** Lairs, hungers and masters by creature type (monsters get their own story, not a PC's). */
const LAIRS: Readonly<Record<string, readonly string[]>> = {
  undead: ['a crypt whose door was never meant to open', 'the ruins of a chapel'],
  construct: ['a sealed vault', 'a workshop whose makers are long dead'],
  beast: ['a thorn-choked den', 'a cave littered with gnawed bones'],
  monstrosity: ['a lair of gnawed bones', 'a flooded cave'],
  dragon: ['a cavern of heaped coins', 'a mountain hollowed by fire'],
  fiend: ['a rift that smells of brimstone', 'a cellar where the walls weep'],
  humanoid: ['a raiders’ camp', 'a hideout in the hills'],
  fey: ['a drowned glade', 'a circle of pale mushrooms'],
  giant: ['a hall of rough-hewn stone', 'a cave under a crag'],
  ooze: ['flooded tunnels', 'the sewers'],
  plant: ['the oldest part of the wood', 'a glade where nothing else grows'],
  elemental: ['the heart of its element', 'a scar of scorched or frozen ground'],
  aberration: ['lightless caves', 'a pit that hums at night'],
  celestial: ['a ruined shrine', 'a mountaintop above the clouds'],
};
const HUNGERS: Readonly<Record<string, string>> = {
  undead: 'the warmth of the living',
  construct: 'nothing at all; it only obeys',
  beast: 'fresh meat',
  monstrosity: 'anything that wanders close',
  dragon: 'treasure and the fear of lesser things',
  fiend: 'souls and suffering',
  humanoid: 'plunder and a reputation',
  fey: 'bargains, names and stolen years',
  giant: 'respect, and failing that, food',
  ooze: 'whatever it can dissolve',
  plant: 'sunlight and the silence of the wood',
  elemental: 'to spread its element',
  aberration: 'thoughts, memories and minds',
  celestial: 'justice',
};
const MASTERS: Readonly<Record<string, string>> = {
  undead: 'whatever curse raised it',
  construct: 'the last command its makers gave',
  humanoid: 'a warlord who pays in loot',
  fiend: 'a greater power below',
};

export interface MonsterStoryInput {
  readonly name: string;
  readonly reading: ConceptReading;
  readonly type: string;
  readonly baseName: string;
  readonly size: string;
  readonly place: string;
  readonly flavour: string;
}

export function composeMonsterStory(rng: Rng, m: MonsterStoryInput): Narrative {
  const e = m.reading.elements;
  const type = m.type.toLowerCase();
  const key = Object.keys(LAIRS).find((t) => type.includes(t)) ?? 'monstrosity';
  const lair = e.places[0] ?? pick(rng, LAIRS[key] ?? []);
  const territory = e.places[1] ?? m.place;
  const hunger = HUNGERS[key] ?? 'anything that wanders close';
  const master = e.liege ?? MASTERS[key];
  const role = e.role !== '' ? e.role : m.baseName.toLowerCase();
  const called =
    normalizeName(withArticle(role)) === normalizeName(m.reading.concept)
      ? `what folk call the ${role}`
      : withArticle(role);
  const lines = [
    `${m.name} is ${called} that lairs in ${lair}.`,
    `Its hunting grounds run out across ${territory}, and it hungers for ${hunger}.`,
  ];
  if (e.deed) lines.push(`The people nearby know it as the thing that ${e.deed}.`);
  if (e.pursuit) lines.push(`Those who have seen it say it is ${e.pursuit}.`);
  if (e.state) lines.push(`It is ${e.state}.`);
  if (e.events[0]) lines.push(`It first appeared after ${e.events[0]}.`);
  lines.push(master ? `It answers to ${master}.` : 'It answers to no one.');
  const sizeWord = m.size.toLowerCase();
  return {
    backstory: lines.join(' '),
    personality: [
      pick(rng, [
        'Patient until the moment it strikes.',
        'Circles its prey before it commits.',
        'Fights hardest near its lair.',
      ]),
      pick(rng, [
        'Flees when badly hurt, and remembers.',
        'Never leaves a wounded foe behind.',
        'Toys with what it catches.',
      ]),
    ],
    ideals: [`Hunger: ${hunger}.`],
    bonds: [`Its lair in ${lair}.`],
    flaws: [
      pick(rng, [
        'Cannot resist bait that smells of its hunger.',
        'Will not stray far from its lair.',
        'Underestimates small foes.',
      ]),
    ],
    fears: [
      pick(rng, ['Fire and bright light.', 'Whatever drove it here in the first place.', 'Losing its lair.']),
    ],
    secrets: [
      pick(rng, [
        'Something older shares its lair.',
        'It guards something it does not understand.',
        'It was not always like this.',
      ]),
    ],
    motivations: [`Keep ${territory} for itself.`],
    relationships: [
      { name: 'Local hunters', relation: 'enemy', note: `Have lost friends to it near ${lair}.` },
      ...(master ? [{ name: capital(master), relation: 'master', note: 'Its will comes first.' }] : []),
    ],
    appearance: `${capital(withArticle(sizeWord))} ${type} shaped like ${withArticle(m.baseName.toLowerCase())}, ${m.flavour} and scarred${e.marks[0] ? `, with ${e.marks[0]} plain to see` : ''}.`,
  };
}

/** Pick two different items (for personality lines that must not repeat). */
export function pickTwo(rng: Rng, items: readonly string[]): string[] {
  return weightedSample(
    rng,
    items.map((value) => ({ value, weight: 1 })),
    2,
  );
}
