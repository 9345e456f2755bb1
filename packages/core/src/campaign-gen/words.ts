/** Word banks for offline campaign generation, by theme. A theme not listed uses `fantasy` with its own name as flavour. */
export interface ThemeWords {
  id: string;
  keywords: string[];
  first: string[];
  last: string[];
  settlements: string[];
  wilds: string[];
  factionNouns: string[];
  factionAdjectives: string[];
  titles: string[];
  /** SRD creature words the encounter builder may match (type or name words). */
  creatureTheme: string;
  /** SRD ids used as bases for the nemesis tiers: boss, lieutenants, minions. */
  bases: { nemesis: string[]; lieutenant: string[]; minion: string[] };
}

const FANTASY: ThemeWords = {
  id: 'fantasy',
  keywords: ['fantasy', 'kingdom', 'dragon', 'elf', 'dwarf', 'castle', 'sword', 'wizard'],
  first: ['Ael', 'Bran', 'Cor', 'Dar', 'Eri', 'Fen', 'Gal', 'Hal', 'Ili', 'Jor', 'Kael', 'Lyr', 'Mor', 'Ner'],
  last: ['wyn', 'dric', 'iel', 'ora', 'mund', 'thas', 'venn', 'ric', 'elle', 'gar'],
  settlements: ['river town', 'walled city', 'hill fort', 'market crossing', 'harbour town'],
  wilds: ['old forest', 'sunken ruin', 'mountain pass', 'haunted barrow', 'dragon-scarred moor'],
  factionNouns: ['Order', 'Guild', 'Circle', 'Company', 'Brotherhood', 'Court'],
  factionAdjectives: ['Silver', 'Ashen', 'Iron', 'Verdant', 'Hollow', 'Gilded'],
  titles: ['the Unbowed', 'the Pale', 'of the Ninth Gate', 'the Oathbreaker', 'the Gilded Hand'],
  creatureTheme: 'humanoid beast monstrosity',
  bases: {
    nemesis: ['mage', 'archmage', 'gladiator', 'assassin'],
    lieutenant: ['warrior-veteran', 'knight', 'priest', 'spy', 'bandit-captain'],
    minion: ['bandit', 'cultist', 'guard', 'tough', 'scout'],
  },
};

const GOTHIC: ThemeWords = {
  id: 'gothic horror',
  keywords: ['gothic', 'horror', 'vampire', 'undead', 'haunted', 'curse', 'mist', 'grave'],
  first: ['Ves', 'Mor', 'Aus', 'Ilse', 'Vlad', 'Cas', 'Ele', 'Greg', 'Ana', 'Stra'],
  last: ['ka', 'imir', 'ova', 'hardt', 'ula', 'ovich', 'ane', 'eth', 'or'],
  settlements: ['fog-bound village', 'crumbling abbey town', 'gaslit city', 'bell-tower hamlet'],
  wilds: ['grave moor', 'drowned chapel', 'black pine forest', 'ruined manor', 'bone crypt'],
  factionNouns: ['Covenant', 'Vigil', 'Coven', 'Household', 'Brotherhood', 'Lodge'],
  factionAdjectives: ['Crimson', 'Ashen', 'Weeping', 'Hollow', 'Midnight', 'Pale'],
  titles: ['the Deathless', 'of the Long Night', 'the Mourning Count', 'the Hollow Saint'],
  creatureTheme: 'undead fiend aberration',
  bases: {
    nemesis: ['mage', 'priest', 'assassin', 'archmage'],
    lieutenant: ['cultist-fanatic', 'vampire-familiar', 'priest', 'spy'],
    minion: ['cultist', 'tough', 'bandit', 'guard'],
  },
};

const CYBERPUNK: ThemeWords = {
  id: 'cyberpunk',
  keywords: ['cyberpunk', 'neon', 'corporate', 'hacker', 'chrome', 'cyber', 'megacity'],
  first: ['Kiro', 'Nyx', 'Dex', 'Vale', 'Rook', 'Zane', 'Mira', 'Jax', 'Sable', 'Echo'],
  last: ['-7', ' Voss', ' Tanaka', ' Kade', ' Okoro', ' Reyes', ' Lin', ' Marr'],
  settlements: ['undercity stack', 'corporate arcology', 'flooded data-slum', 'neon night market'],
  wilds: ['dead-zone sprawl', 'server vault', 'orbital elevator base', 'toxic canal'],
  factionNouns: ['Syndicate', 'Corp', 'Collective', 'Crew', 'Directorate', 'Cartel'],
  factionAdjectives: ['Chrome', 'Black', 'Neon', 'Zero', 'Ghost', 'Iron'],
  titles: ['the CEO', 'of Zero Day', 'the Ghost in the Grid', 'the Architect'],
  creatureTheme: 'humanoid construct',
  bases: {
    nemesis: ['mage', 'assassin', 'gladiator', 'archmage'],
    lieutenant: ['spy', 'warrior-veteran', 'bandit-captain', 'tough-boss'],
    minion: ['tough', 'bandit', 'guard', 'scout'],
  },
};

const NAUTICAL: ThemeWords = {
  id: 'nautical',
  keywords: ['pirate', 'sea', 'ship', 'island', 'nautical', 'ocean', 'harbour', 'harbor'],
  first: ['Cal', 'Mar', 'Bel', 'Tor', 'Isa', 'Red', 'Sal', 'Nan', 'Gil', 'Ros'],
  last: ['lowe', 'ina', 'bane', 'eck', 'ara', 'wick', 'mora', 'ter'],
  settlements: ['free port', 'smugglers cove', 'lighthouse town', 'floating market'],
  wilds: ['reef maze', 'sunken fleet', 'storm isle', 'sea cave', 'kraken deep'],
  factionNouns: ['Fleet', 'Company', 'Brethren', 'Admiralty', 'Crew', 'League'],
  factionAdjectives: ['Black', 'Salt', 'Crimson', 'Tide', 'Gale', 'Drowned'],
  titles: ['the Tidebreaker', 'of the Black Sails', 'the Drowned Admiral', 'the Storm Queen'],
  creatureTheme: 'humanoid beast monstrosity elemental',
  bases: {
    nemesis: ['pirate-captain', 'mage', 'gladiator', 'assassin'],
    lieutenant: ['bandit-captain', 'warrior-veteran', 'spy', 'priest'],
    minion: ['pirate', 'bandit', 'tough', 'scout'],
  },
};

export const THEME_WORDS: ThemeWords[] = [FANTASY, GOTHIC, CYBERPUNK, NAUTICAL];

/** The word bank for a theme (by id, then by a keyword of the theme or the pitch), else fantasy. */
export function themeWords(theme: string, pitch = ''): ThemeWords {
  const t = theme.toLowerCase();
  const exact = THEME_WORDS.find((w) => w.id === t);
  if (exact) return exact;
  const words = `${t} ${pitch.toLowerCase()}`.split(/[^a-z]+/);
  const byTheme = THEME_WORDS.find((w) => w.keywords.some((k) => t.split(/[^a-z]+/).includes(k)));
  if (byTheme) return byTheme;
  return THEME_WORDS.find((w) => w !== FANTASY && w.keywords.some((k) => words.includes(k))) ?? FANTASY;
}

const STOP = new Set(
  'the a an and or of to in on at for with from into their they them that this these those is are was were be been by as it its his her who what when where which while must will would should could have has had not but every under above after before about there other another always never until again rings walks stops turns finds wants keeps makes takes gives comes goes buys sells'.split(
    ' ',
  ),
);

/** The pitch's motifs: its longer content words, most specific first (longest), at most `n`. */
export function motifs(pitch: string, n = 4): string[] {
  const words = pitch
    .toLowerCase()
    .split(/[^a-z'-]+/)
    .filter((w) => w.length >= 5 && !STOP.has(w));
  return [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, n);
}
