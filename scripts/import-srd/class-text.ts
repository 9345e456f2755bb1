/** Our own short summaries for classes, subclasses and their features (never SRD prose). */

export const CLASS_SUMMARY: Record<string, string> = {
  barbarian: 'A primal warrior who rages to hit harder and shrug off blows.',
  bard: 'A performer whose music and words inspire allies and weave magic.',
  cleric: 'A priest who channels divine power to heal, protect and smite.',
  druid: 'A keeper of nature who casts primal spells and takes beast shapes.',
  fighter: 'A master of weapons and armor with unmatched stamina in battle.',
  monk: 'A martial artist who fights unarmored with speed and focus.',
  paladin: 'A sworn champion who blends martial skill with holy magic.',
  ranger: 'A wilderness hunter who mixes archery or blades with nature magic.',
  rogue: 'A skilled opportunist who strikes precisely at weak points.',
  sorcerer: 'An innate caster who bends spells with raw sorcery.',
  warlock: 'A caster whose pact with a patron grants eldritch power.',
  wizard: 'A scholar who masters arcane magic through study.',
};

export const SUBCLASS_SUMMARY: Record<string, string> = {
  'path-of-the-berserker': 'Barbarians whose rage becomes a relentless, damaging frenzy.',
  'college-of-lore': 'Bards who collect knowledge, skills and spells from every source.',
  'life-domain': 'Clerics devoted to healing and preserving life.',
  'circle-of-the-land': 'Druids drawing spells from the land they are tied to.',
  champion: 'Fighters honed for raw athletic power and critical hits.',
  'warrior-of-the-open-hand': 'Monks who master unarmed techniques to push, trip and stun.',
  'oath-of-devotion': 'Paladins sworn to honesty, courage and protection.',
  hunter: 'Rangers who specialise in bringing down dangerous prey.',
  thief: 'Rogues skilled in burglary, climbing and using magic items.',
  'draconic-sorcery': 'Sorcerers whose magic comes from draconic blood.',
  'fiend-patron': 'Warlocks bound to a fiend who rewards destruction.',
  evoker: 'Wizards who shape destructive evocation spells.',
};

/** Summaries shared by every class that has the feature. */
const SHARED: Record<string, string> = {
  'ability-score-improvement': 'Take the Ability Score Improvement feat or another feat you qualify for.',
  'epic-boon': 'Gain an Epic Boon feat or another feat you qualify for.',
  'extra-attack': 'Attack twice when you take the Attack action.',
  'weapon-mastery': 'Use the mastery property of a number of weapon kinds (see the weapon-mastery column).',
  spellcasting: 'Cast spells from the class list, with prepared spells and slots from the class table.',
  'fighting-style': 'Gain a Fighting Style feat of your choice.',
  evasion: 'Take no damage on a successful Dex save for half damage, half on a failure.',
  expertise: 'Double proficiency bonus on two skills you are proficient in.',
  'channel-divinity':
    'Spend Channel Divinity uses (see column) on divine effects; regain one on a short rest.',
  'unarmored-defense': 'Without armor, AC uses extra ability modifiers.',
};

const FEATURES: Record<string, string> = {
  // Barbarian
  'barbarian/rage':
    'Bonus action rage: bonus damage on Str attacks, resistance to weapon damage, advantage on Str checks and saves.',
  'barbarian/unarmored-defense': 'Without armor, AC is 10 + Dex + Con; a shield still counts.',
  'barbarian/danger-sense': 'Advantage on Dex saves while not incapacitated.',
  'barbarian/reckless-attack':
    'Gain advantage on Str attacks this turn; attacks against you gain advantage too.',
  'barbarian/primal-knowledge': 'Gain a barbarian skill and use Str for some skill checks while raging.',
  'barbarian/fast-movement': '+10 ft speed when not wearing heavy armor.',
  'barbarian/feral-instinct': 'Advantage on initiative rolls.',
  'barbarian/instinctive-pounce': 'Move half your speed when you enter a rage.',
  'barbarian/brutal-strike':
    'Forgo reckless advantage to add 1d10 damage and a forceful or hamstring effect.',
  'barbarian/relentless-rage': 'While raging, a Con save can keep you at a few hit points instead of 0.',
  'barbarian/improved-brutal-strike':
    'More Brutal Strike options; at 17 the extra damage is 2d10 and two effects apply.',
  'barbarian/persistent-rage':
    'Rage lasts 10 minutes without upkeep and regain all rages on initiative once per long rest.',
  'barbarian/indomitable-might': 'Str checks and saves use at least your Strength score.',
  'barbarian/primal-champion': '+4 Strength and Constitution, maximum 25.',
  // Bard
  'bard/bardic-inspiration':
    'Bonus action: give an ally a Bardic die to add to a failed D20 Test, uses equal to Cha modifier.',
  'bard/jack-of-all-trades':
    'Add half proficiency bonus to ability checks using skills you lack proficiency in.',
  'bard/font-of-inspiration': 'Regain Bardic Inspiration on a short rest; spend a slot to regain a use.',
  'bard/countercharm': 'Reaction: let an ally reroll a failed save against charm or fear with advantage.',
  'bard/magical-secrets': 'Prepare spells from the Cleric, Druid and Wizard lists as bard spells.',
  'bard/superior-inspiration': 'Regain Bardic Inspiration up to two uses on initiative.',
  'bard/words-of-creation':
    'Always have Power Word Heal and Power Word Kill prepared; they can target two creatures.',
  // Cleric
  'cleric/divine-order':
    'Choose Protector (heavy armor and martial weapons) or Thaumaturge (extra cantrip, religion bonus).',
  'cleric/sear-undead': 'Turn Undead also deals radiant damage to undead that fail.',
  'cleric/blessed-strikes':
    'Choose Divine Strike (extra 1d8 weapon damage) or Potent Spellcasting (Wis to cantrip damage).',
  'cleric/divine-intervention': 'Once per long rest, cast a cleric spell of level 5 or lower without a slot.',
  'cleric/improved-blessed-strikes':
    'Blessed Strikes improves: 2d8 strike damage or temporary HP with cantrips.',
  'cleric/greater-divine-intervention':
    'Divine Intervention may cast Wish (then unusable for 2d4 long rests).',
  // Druid
  'druid/druidic': 'Know the secret Druidic language and always have Speak with Animals prepared.',
  'druid/primal-order':
    'Choose Magician (extra cantrip, nature bonus) or Warden (medium armor and martial weapons).',
  'druid/wild-shape': 'Bonus action: turn into a known beast form, uses from the wild-shape column.',
  'druid/wild-companion': 'Spend a slot or Wild Shape use to cast Find Familiar without components.',
  'druid/wild-resurgence': 'Trade spell slots and Wild Shape uses for each other.',
  'druid/elemental-fury':
    'Choose Potent Spellcasting (Wis to cantrip damage) or Primal Strike (extra 1d8 elemental).',
  'druid/improved-elemental-fury': 'Longer cantrip range or 2d8 Primal Strike.',
  'druid/beast-spells': 'Cast spells while in Wild Shape.',
  'druid/archdruid': 'Regain a Wild Shape use on initiative, convert uses into slots, and age slowly.',
  // Fighter
  'fighter/second-wind': 'Bonus action: regain 1d10 + fighter level HP, uses from the second-wind column.',
  'fighter/action-surge': 'Take one extra action on your turn; two uses between rests from level 17.',
  'fighter/tactical-mind': 'Spend a Second Wind use to add 1d10 to a failed ability check.',
  'fighter/tactical-shift': 'Move half speed without opportunity attacks when using Second Wind.',
  'fighter/indomitable': 'Reroll a failed save adding fighter level; more uses at 13 and 17.',
  'fighter/tactical-master': 'Swap a weapon’s mastery for Push, Sap or Slow on an attack.',
  'fighter/two-extra-attacks': 'Attack three times when you take the Attack action.',
  'fighter/studied-attacks': 'After missing a creature, gain advantage on your next attack against it.',
  'fighter/three-extra-attacks': 'Attack four times when you take the Attack action.',
  // Monk
  'monk/martial-arts':
    'Unarmed and monk weapons use Dex and the martial-arts die; bonus-action unarmed strike.',
  'monk/unarmored-defense': 'Without armor or shield, AC is 10 + Dex + Wis.',
  'monk/monks-focus': 'Spend focus points on Flurry of Blows, Patient Defense or Step of the Wind.',
  'monk/unarmored-movement': 'Speed bonus without armor or shield, from the unarmored-movement column.',
  'monk/uncanny-metabolism': 'On initiative, once per long rest, regain all focus points and some HP.',
  'monk/deflect-attacks': 'Reaction: reduce attack damage and possibly redirect it.',
  'monk/slow-fall': 'Reaction: reduce falling damage by five times monk level.',
  'monk/stunning-strike': 'Spend a focus point on a hit to force a Con save or stun the target.',
  'monk/empowered-strikes': 'Unarmed strikes may deal force damage.',
  'monk/evasion': 'Take no damage on a successful Dex save for half damage, half on a failure.',
  'monk/acrobatic-movement': 'Move along walls and across liquids without armor.',
  'monk/heightened-focus':
    'Focus abilities become stronger (extra flurry strike, temp HP, carrying a partner).',
  'monk/self-restoration':
    'End charmed, frightened or poisoned on yourself each turn; no exhaustion from hunger.',
  'monk/deflect-energy': 'Deflect Attacks works against any damage type.',
  'monk/disciplined-survivor':
    'Proficiency in all saving throws and reroll a failed save with a focus point.',
  'monk/perfect-focus': 'Regain up to 4 focus points on initiative when low.',
  'monk/superior-defense': 'Spend 3 focus points for resistance to all damage but force for a minute.',
  'monk/body-and-mind': '+4 Dexterity and Wisdom, maximum 25.',
  // Paladin
  'paladin/lay-on-hands': 'A pool of 5 × paladin level HP to heal by touch or cure poison.',
  'paladin/paladins-smite': 'Always have Divine Smite prepared and cast it once free per long rest.',
  'paladin/channel-divinity': 'Spend Channel Divinity uses (see column), e.g. Divine Sense.',
  'paladin/faithful-steed': 'Always have Find Steed prepared and cast it once free per long rest.',
  'paladin/aura-of-protection': 'You and allies within 10 ft add your Cha modifier to saves.',
  'paladin/abjure-foes': 'Channel Divinity: frighten nearby creatures that fail a Wis save.',
  'paladin/aura-of-courage': 'You and allies in your aura cannot be frightened.',
  'paladin/radiant-strikes': 'Melee weapon and unarmed hits deal an extra 1d8 radiant damage.',
  'paladin/restoring-touch': 'Lay on Hands can also remove several conditions.',
  'paladin/aura-expansion': 'Your aura reaches 30 ft.',
  // Ranger
  'ranger/favored-enemy':
    'Always have Hunter’s Mark prepared; cast it free a number of times from the favored-enemy column.',
  'ranger/deft-explorer': 'Expertise in one skill and two extra languages.',
  'ranger/roving': '+10 ft speed and climb/swim speeds without heavy armor.',
  'ranger/tireless': 'Gain temporary HP as a magic action and lose exhaustion on short rests.',
  'ranger/relentless-hunter': 'Damage cannot break your concentration on Hunter’s Mark.',
  'ranger/natures-veil': 'Bonus action: become invisible until the end of your next turn.',
  'ranger/precise-hunter': 'Advantage on attacks against your Hunter’s Mark target.',
  'ranger/feral-senses': 'Blindsight 30 ft.',
  'ranger/foe-slayer': 'Hunter’s Mark damage die becomes a d10.',
  // Rogue
  'rogue/sneak-attack':
    'Once per turn add the sneak-attack dice to a finesse or ranged hit with advantage or a nearby ally.',
  'rogue/thieves-cant': 'Know Thieves’ Cant and one extra language.',
  'rogue/cunning-action': 'Dash, Disengage or Hide as a bonus action.',
  'rogue/steady-aim': 'Bonus action: gain advantage on your next attack if you have not moved.',
  'rogue/cunning-strike': 'Trade Sneak Attack dice for poison, trip or withdraw effects.',
  'rogue/uncanny-dodge': 'Reaction: halve the damage of an attack that hits you.',
  'rogue/reliable-talent': 'Treat d20 rolls of 9 or lower as 10 on proficient ability checks.',
  'rogue/improved-cunning-strike': 'Apply two Cunning Strike effects at once.',
  'rogue/devious-strikes': 'New Cunning Strike options: daze, knock out, obscure.',
  'rogue/slippery-mind': 'Proficiency in Wisdom and Charisma saving throws.',
  'rogue/elusive': 'Attack rolls against you cannot have advantage.',
  'rogue/stroke-of-luck': 'Once per short rest, turn a failed D20 Test into a 20.',
  // Sorcerer
  'sorcerer/innate-sorcery':
    'Bonus action: for a minute, +1 spell save DC and advantage on sorcerer spell attacks.',
  'sorcerer/font-of-magic': 'Convert sorcery points and spell slots into each other.',
  'sorcerer/metamagic':
    'Learn Metamagic options that alter spells for sorcery points; more options at 10 and 17.',
  'sorcerer/sorcerous-restoration': 'Regain some sorcery points on a short rest.',
  'sorcerer/sorcery-incarnate': 'Use Innate Sorcery with sorcery points and apply two Metamagic options.',
  'sorcerer/arcane-apotheosis': 'During Innate Sorcery, one Metamagic per turn is free.',
  // Warlock
  'warlock/eldritch-invocations': 'Learn invocations (count from the invocations column).',
  'warlock/pact-magic':
    'Cast warlock spells with pact slots that all share one level and return on short rests.',
  'warlock/magical-cunning': 'Once per long rest, recover half your pact slots with a short ritual.',
  'warlock/contact-patron': 'Always have Contact Other Plane prepared and cast it free once per long rest.',
  'warlock/mystic-arcanum':
    'Choose one spell each of levels 6–9 (at 11, 13, 15, 17) castable once per long rest.',
  'warlock/eldritch-master': 'Magical Cunning recovers all pact slots.',
  // Wizard
  'wizard/ritual-adept': 'Cast ritual spells from your spellbook without preparing them.',
  'wizard/arcane-recovery': 'Once a day on a short rest, recover slots totalling half your wizard level.',
  'wizard/scholar': 'Expertise in one of Arcana, History, Investigation, Medicine, Nature or Religion.',
  'wizard/memorize-spell': 'Swap one prepared spell on a short rest.',
  'wizard/spell-mastery': 'Cast a chosen level 1 and level 2 spell at their lowest level without slots.',
  'wizard/signature-spells': 'Two level 3 spells are always prepared and castable once each per short rest.',
  // Subclasses
  'path-of-the-berserker/frenzy':
    'While raging with Reckless Attack, the first hit each turn deals extra d6s equal to rage damage.',
  'path-of-the-berserker/mindless-rage': 'Immune to charmed and frightened while raging.',
  'path-of-the-berserker/retaliation': 'Reaction: melee attack a creature within 5 ft that damaged you.',
  'path-of-the-berserker/intimidating-presence':
    'Bonus action: frighten creatures in a 30-ft emanation (Wis save).',
  'college-of-lore/bonus-proficiencies': 'Proficiency in three skills of your choice.',
  'college-of-lore/cutting-words': 'Reaction: subtract a Bardic die from an enemy’s damage or roll.',
  'college-of-lore/magical-discoveries':
    'Two spells from the Cleric, Druid or Wizard lists are always prepared.',
  'college-of-lore/peerless-skill': 'Add a Bardic die to a failed ability check or attack roll.',
  'life-domain/disciple-of-life': 'Healing spells restore an extra 2 + spell level HP.',
  'life-domain/life-domain-spells': 'Healing spells such as Cure Wounds are always prepared.',
  'life-domain/preserve-life': 'Channel Divinity: split 5 × cleric level healing among nearby creatures.',
  'life-domain/blessed-healer': 'Healing others also heals you.',
  'life-domain/supreme-healing': 'Healing dice always roll their maximum.',
  'circle-of-the-land/circle-of-the-land-spells': 'Spells tied to your chosen land are always prepared.',
  'circle-of-the-land/lands-aid': 'Spend Wild Shape for a 10-ft sphere that damages foes and heals an ally.',
  'circle-of-the-land/natural-recovery': 'Cast a circle spell free and recover slots on a short rest.',
  'circle-of-the-land/natures-ward': 'Immune to poisoned and resistant to your land’s damage type.',
  'circle-of-the-land/natures-sanctuary': 'Spend Wild Shape to create a protective cube of spectral trees.',
  'champion/improved-critical': 'Weapon and unarmed attacks crit on 19–20.',
  'champion/remarkable-athlete': 'Advantage on initiative and Athletics; move after a critical hit.',
  'champion/additional-fighting-style': 'Gain another Fighting Style feat.',
  'champion/heroic-warrior': 'Gain Heroic Inspiration at the start of each turn in combat if you lack it.',
  'champion/superior-critical': 'Weapon and unarmed attacks crit on 18–20.',
  'champion/survivor': 'Advantage on death saves and regain HP each turn while bloodied.',
  'warrior-of-the-open-hand/open-hand-technique': 'Flurry of Blows hits can addle, push or topple.',
  'warrior-of-the-open-hand/wholeness-of-body':
    'Bonus action: heal a martial-arts die + Wis modifier, uses per long rest.',
  'warrior-of-the-open-hand/fleet-step': 'Step of the Wind accompanies other bonus actions.',
  'warrior-of-the-open-hand/quivering-palm':
    'Spend focus to plant vibrations that later deal 10d12 force (Con save for half).',
  'oath-of-devotion/oath-of-devotion-spells':
    'Oath spells such as Protection from Evil and Good are always prepared.',
  'oath-of-devotion/sacred-weapon':
    'Channel Divinity: add Cha modifier to weapon attacks and shed light for 10 minutes.',
  'oath-of-devotion/aura-of-devotion': 'You and allies in your aura cannot be charmed.',
  'oath-of-devotion/smite-of-protection': 'Divine Smite grants half cover to allies in your aura.',
  'oath-of-devotion/holy-nimbus': 'Bonus action: aura of sunlight that damages enemies and aids saves.',
  'hunter/hunters-lore':
    'Learn the immunities, resistances and vulnerabilities of your Hunter’s Mark target.',
  'hunter/hunters-prey': 'Choose Colossus Slayer (extra 1d8) or Horde Breaker (extra attack).',
  'hunter/defensive-tactics': 'Choose Escape the Horde or Multiattack Defense.',
  'hunter/superior-hunters-prey': 'Hunter’s Mark damage also hits a second nearby creature.',
  'hunter/superior-hunters-defense': 'Reaction: resistance to the damage of a hit.',
  'thief/fast-hands': 'Cunning Action can Sleight of Hand, use thieves’ tools or Utilize.',
  'thief/second-story-work': 'Climb speed equal to speed and Dex-based jumping.',
  'thief/supreme-sneak': 'New Cunning Strike option: stealth attack.',
  'thief/use-magic-device': 'More attunement slots and better odds with charged items and scrolls.',
  'thief/thiefs-reflexes': 'Take two turns in the first round of combat.',
  'draconic-sorcery/draconic-resilience': 'HP +1 per sorcerer level and unarmored AC 10 + Dex + Cha.',
  'draconic-sorcery/draconic-spells': 'Dragon-themed spells are always prepared.',
  'draconic-sorcery/elemental-affinity':
    'Resistance to a chosen damage type and add Cha to spell damage of that type.',
  'draconic-sorcery/dragon-wings': 'Bonus action: sprout wings with a 60-ft fly speed for an hour.',
  'draconic-sorcery/dragon-companion': 'Summon Dragon without material components, once free per long rest.',
  'fiend-patron/dark-ones-blessing': 'Gain temporary HP when you reduce an enemy to 0 HP.',
  'fiend-patron/fiend-spells': 'Fiendish spells such as Burning Hands are always prepared.',
  'fiend-patron/dark-ones-own-luck': 'Add 1d10 to an ability check or save, uses per long rest.',
  'fiend-patron/fiendish-resilience': 'Choose a damage type to resist after each rest.',
  'fiend-patron/hurl-through-hell':
    'On a hit, send the target through the lower planes for 8d10 psychic damage.',
  'evoker/evocation-savant': 'Add evocation spells to your spellbook for free.',
  'evoker/potent-cantrip': 'Cantrips deal half damage on a missed attack or a successful save.',
  'evoker/sculpt-spells': 'Protect chosen creatures from your evocation spells.',
  'evoker/empowered-evocation': 'Add Int modifier to one damage roll of a wizard evocation spell.',
  'evoker/overchannel': 'Maximise a level 1–5 spell’s damage, with necrotic backlash on later uses.',
};

/** Summary for a feature: hand-written where we have one, else a neutral template. */
export function featureSummary(owner: string, fid: string, name: string, level: number): string {
  const own = FEATURES[`${owner}/${fid}`];
  if (own) return own;
  if (/-subclass$/.test(fid)) return 'Choose a subclass; it grants features at the listed levels.';
  const shared = SHARED[fid];
  if (shared) return shared;
  return `${name}: a level ${level} feature.`;
}
