/** A model answer for a level-1 dwarf cleric, written the way a model writes it: names, not ids. */
export const GOOD_DRAFT = {
  build: {
    name: 'Brakka Stonefist',
    species: 'Dwarf',
    background: 'Acolyte',
    classes: [{ class: 'Cleric', level: 1 }],
    abilityScores: { str: 14, dex: 8, con: 15, int: 10, wis: 16, cha: 12 },
    skills: ['insight', 'religion', 'history', 'medicine'],
    feats: ['Magic Initiate'],
    equipment: [
      { item: 'Mace', equipped: true },
      { item: 'Chain Shirt', equipped: true },
      { item: 'Shield', equipped: true },
    ],
    spells: [
      {
        class: 'Cleric',
        cantrips: ['Sacred Flame', 'Guidance', 'Thaumaturgy'],
        prepared: ['Cure Wounds', 'Bless', 'Healing Word', 'Shield of Faith'],
      },
    ],
  },
  narrative: {
    backstory: 'Raised in a mountain shrine, Brakka left to mend what war had broken.',
    personality: ['Blunt but kind'],
    ideals: ['Duty'],
    bonds: ['The shrine of the forge'],
    flaws: ['Stubborn'],
    fears: ['Deep water'],
    secrets: ['Doubts the old oaths'],
    motivations: ['Rebuild the shrine'],
    relationships: [{ name: 'Old Harl', relation: 'mentor', note: 'taught her the rites' }],
    appearance: 'Stocky, soot-streaked, with a braided red beard.',
  },
  lore: [{ element: 'Mace', kind: 'weapon', text: 'Forged from a shrine bell.' }],
  elements: [{ kind: 'item', name: 'Mace' }],
};
