/**
 * Eldritch Invocations (SRD 5.2.1 Warlock): id, name, the Warlock level it needs, another invocation it needs,
 * whether it needs a damaging Warlock cantrip, and whether it may be taken more than once. The SRD content files
 * have no invocation records, so the table lives here (names and prerequisites only; effects are not modelled).
 */
export interface Invocation {
  readonly id: string;
  readonly name: string;
  readonly level: number;
  readonly requires?: string;
  readonly damagingCantrip?: boolean;
  readonly repeatable?: boolean;
}

export const INVOCATIONS: readonly Invocation[] = [
  { id: 'agonizing-blast', name: 'Agonizing Blast', level: 2, damagingCantrip: true, repeatable: true },
  { id: 'armor-of-shadows', name: 'Armor of Shadows', level: 1 },
  { id: 'ascendant-step', name: 'Ascendant Step', level: 5 },
  { id: 'devils-sight', name: "Devil's Sight", level: 2 },
  { id: 'devouring-blade', name: 'Devouring Blade', level: 12, requires: 'thirsting-blade' },
  { id: 'eldritch-mind', name: 'Eldritch Mind', level: 1 },
  { id: 'eldritch-smite', name: 'Eldritch Smite', level: 5, requires: 'pact-of-the-blade' },
  { id: 'eldritch-spear', name: 'Eldritch Spear', level: 2, damagingCantrip: true, repeatable: true },
  { id: 'fiendish-vigor', name: 'Fiendish Vigor', level: 2 },
  { id: 'gaze-of-two-minds', name: 'Gaze of Two Minds', level: 5 },
  { id: 'gift-of-the-depths', name: 'Gift of the Depths', level: 5 },
  { id: 'gift-of-the-protectors', name: 'Gift of the Protectors', level: 9, requires: 'pact-of-the-tome' },
  {
    id: 'investment-of-the-chain-master',
    name: 'Investment of the Chain Master',
    level: 5,
    requires: 'pact-of-the-chain',
  },
  { id: 'lessons-of-the-first-ones', name: 'Lessons of the First Ones', level: 2, repeatable: true },
  { id: 'lifedrinker', name: 'Lifedrinker', level: 9, requires: 'pact-of-the-blade' },
  { id: 'mask-of-many-faces', name: 'Mask of Many Faces', level: 2 },
  { id: 'master-of-myriad-forms', name: 'Master of Myriad Forms', level: 5 },
  { id: 'misty-visions', name: 'Misty Visions', level: 2 },
  { id: 'one-with-shadows', name: 'One with Shadows', level: 5 },
  { id: 'otherworldly-leap', name: 'Otherworldly Leap', level: 2 },
  { id: 'pact-of-the-blade', name: 'Pact of the Blade', level: 1 },
  { id: 'pact-of-the-chain', name: 'Pact of the Chain', level: 1 },
  { id: 'pact-of-the-tome', name: 'Pact of the Tome', level: 1 },
  { id: 'repelling-blast', name: 'Repelling Blast', level: 2, damagingCantrip: true, repeatable: true },
  { id: 'thirsting-blade', name: 'Thirsting Blade', level: 5, requires: 'pact-of-the-blade' },
  { id: 'visions-of-distant-realms', name: 'Visions of Distant Realms', level: 9 },
  { id: 'whispers-of-the-grave', name: 'Whispers of the Grave', level: 7 },
  { id: 'witch-sight', name: 'Witch Sight', level: 15 },
];

/** Mystic Arcanum: the Warlock level at which each spell level's arcanum is gained. */
export const MYSTIC_ARCANUM: readonly { readonly warlockLevel: number; readonly spellLevel: number }[] = [
  { warlockLevel: 11, spellLevel: 6 },
  { warlockLevel: 13, spellLevel: 7 },
  { warlockLevel: 15, spellLevel: 8 },
  { warlockLevel: 17, spellLevel: 9 },
];
