/**
 * Species: names, sizes and speeds from Open5e SpeciesTrait; lineages from 5e-bits Subspecies. Trait summaries
 * and mechanical effects are written here by hand (our words; effects are the engine-relevant mechanics).
 */
import {
  SKILL_IDS,
  type DamageType,
  type Effect,
  type Lineage,
  type Size,
  type Species,
  type Trait,
} from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import { damageType, key, readBits, readOpen5e, slug } from './util';

interface SpeciesTraitFields {
  name: string;
  desc: string;
  parent: string;
  order: number;
  type: 'SIZE' | 'SPEED' | null;
}
interface SpeciesFields {
  name: string;
}
interface BitsSubspecies {
  index: string;
  name: string;
  species: { index: string };
  damage_type?: { index: string };
}

/** Our one-line summaries and effects for every species trait (keyed "<species>/<trait-id>"). */
const TRAITS: Record<string, { summary: string; effects?: Effect[] }> = {
  'dragonborn/draconic-ancestry': {
    summary: 'Pick a dragon ancestor; it sets the damage type of your breath weapon and resistance.',
  },
  'dragonborn/breath-weapon': {
    summary:
      'Swap one attack for a 15-ft cone or 30-ft line of your ancestry damage (Dex save, 1d10 rising to 4d10 by level 17), uses equal to PB per long rest.',
  },
  'dragonborn/damage-resistance': { summary: 'Resistance to your ancestry damage type (see lineage).' },
  'dragonborn/darkvision': {
    summary: 'See in dim light up to 60 ft.',
    effects: [{ type: 'darkvision', range: 60 }],
  },
  'dragonborn/draconic-flight': {
    summary:
      'From level 5, sprout spectral wings for 10 minutes once per long rest, gaining a fly speed equal to speed.',
  },
  'dwarf/darkvision': {
    summary: 'See in dim light up to 120 ft.',
    effects: [{ type: 'darkvision', range: 120 }],
  },
  'dwarf/dwarven-resilience': {
    summary: 'Resistance to poison damage and advantage on saves against being poisoned.',
    effects: [{ type: 'resistance', damageType: 'poison' }],
  },
  'dwarf/dwarven-toughness': {
    summary: 'One extra hit point per character level.',
    effects: [{ type: 'hp-per-level', value: 1 }],
  },
  'dwarf/stonecunning': {
    summary: 'Bonus action: tremorsense 60 ft for 10 minutes while on stone, uses equal to PB per long rest.',
  },
  'elf/darkvision': {
    summary: 'See in dim light up to 60 ft.',
    effects: [{ type: 'darkvision', range: 60 }],
  },
  'elf/elven-lineage': { summary: 'Pick drow, high elf or wood elf heritage, each with its own spells.' },
  'elf/fey-ancestry': { summary: 'Advantage on saves to avoid or end being charmed.' },
  'elf/keen-senses': {
    summary: 'Proficiency in one of Insight, Perception or Survival.',
    effects: [{ type: 'skill-choice', count: 1, from: ['insight', 'perception', 'survival'] }],
  },
  'elf/trance': { summary: 'No sleep needed; a long rest takes 4 hours of meditation.' },
  'gnome/darkvision': {
    summary: 'See in dim light up to 60 ft.',
    effects: [{ type: 'darkvision', range: 60 }],
  },
  'gnome/gnomish-cunning': { summary: 'Advantage on Intelligence, Wisdom and Charisma saving throws.' },
  'gnome/gnomish-lineage': { summary: 'Pick forest or rock gnome heritage, each granting minor magic.' },
  'goliath/giant-ancestry': {
    summary: 'Pick one giant boon, usable a number of times equal to PB per long rest.',
  },
  'goliath/large-form': {
    summary: 'From level 5, become Large for 10 minutes once per long rest (+10 ft speed).',
  },
  'goliath/powerful-build': {
    summary: 'Advantage on checks to escape a grapple; counts one size larger for carrying.',
  },
  'halfling/brave': { summary: 'Advantage on saves to avoid or end being frightened.' },
  'halfling/halfling-nimbleness': { summary: 'Move through the space of creatures larger than you.' },
  'halfling/luck': { summary: 'Reroll a natural 1 on any D20 Test.' },
  'halfling/naturally-stealthy': { summary: 'Hide even when only a larger creature obscures you.' },
  'human/resourceful': { summary: 'Gain Heroic Inspiration after each long rest.' },
  'human/skillful': {
    summary: 'Proficiency in one skill of your choice.',
    effects: [
      {
        type: 'skill-choice',
        count: 1,
        from: [...SKILL_IDS],
      },
    ],
  },
  'human/versatile': { summary: 'Gain one Origin feat of your choice (Skilled is suggested).' },
  'orc/adrenaline-rush': {
    summary:
      'Dash as a bonus action and gain temporary HP equal to PB, uses equal to PB per short or long rest.',
  },
  'orc/darkvision': {
    summary: 'See in dim light up to 120 ft.',
    effects: [{ type: 'darkvision', range: 120 }],
  },
  'orc/relentless-endurance': { summary: 'Once per long rest, drop to 1 HP instead of 0.' },
  'tiefling/darkvision': {
    summary: 'See in dim light up to 60 ft.',
    effects: [{ type: 'darkvision', range: 60 }],
  },
  'tiefling/fiendish-legacy': {
    summary: 'Pick an abyssal, chthonic or infernal legacy: a resistance plus spells.',
  },
  'tiefling/otherworldly-presence': {
    summary: 'You know Thaumaturgy, cast with your legacy spellcasting ability.',
    effects: [{ type: 'grant-spells', cantrips: 1, spells: 0, spellIds: ['thaumaturgy'] }],
  },
};

const SPECIES_SUMMARY: Record<string, string> = {
  dragonborn: 'Dragon-blooded folk with a breath weapon and resistance tied to their ancestor.',
  dwarf: 'Sturdy stone-dwellers with long darkvision, poison resistance and extra hit points.',
  elf: 'Long-lived fey-touched people with keen senses and a magical lineage.',
  gnome: 'Small, clever folk with strong mental saves and a touch of magic.',
  goliath: 'Towering giant-kin with a fast stride and a giant boon.',
  halfling: 'Small, lucky and brave wanderers who slip past larger creatures.',
  human: 'Adaptable folk who gain an extra skill, an origin feat and daily inspiration.',
  orc: 'Tireless, hardy people who surge forward and refuse to fall.',
  tiefling: 'People with a fiendish legacy granting resistance and innate spells.',
};

interface LineageDef {
  id: string;
  name: string;
  summary: string;
  effects: Effect[];
}

/** Lineage ids, names and effects per 5e-bits subspecies index. */
function lineageDef(sub: BitsSubspecies, fixes: FixLog): LineageDef {
  const idx = sub.index;
  const dragon = /^draconic-ancestor-(\w+)$/.exec(idx);
  if (dragon) {
    const color = dragon[1] ?? '';
    const dt = damageType(sub.damage_type?.index ?? '');
    const name = `${color[0]?.toUpperCase() ?? ''}${color.slice(1)} Dragon`;
    return {
      id: `${color}-dragon`,
      name,
      summary: `${name} ancestry: ${dt} breath weapon and ${dt} resistance.`,
      effects: [{ type: 'resistance', damageType: dt }],
    };
  }
  const table: Record<string, Omit<LineageDef, 'effects'> & { effects?: Effect[] }> = {
    'elven-lineage-drow': {
      id: 'drow',
      name: 'Drow',
      summary:
        'Darkvision extends to 120 ft; Dancing Lights, then Faerie Fire (level 3) and Darkness (level 5).',
      effects: [
        { type: 'darkvision', range: 120 },
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['dancing-lights', 'faerie-fire', 'darkness'],
          unlocks: [
            { spell: 'faerie-fire', level: 3 },
            { spell: 'darkness', level: 5 },
          ],
        },
      ],
    },
    'elven-lineage-high-elf': {
      id: 'high-elf',
      name: 'High Elf',
      summary:
        'Prestidigitation (swappable for any Wizard cantrip), then Detect Magic (level 3) and Misty Step (level 5).',
      effects: [
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['prestidigitation', 'detect-magic', 'misty-step'],
          unlocks: [
            { spell: 'detect-magic', level: 3 },
            { spell: 'misty-step', level: 5 },
          ],
        },
      ],
    },
    'elven-lineage-wood-elf': {
      id: 'wood-elf',
      name: 'Wood Elf',
      summary: 'Speed 35 ft; Druidcraft, then Longstrider (level 3) and Pass without Trace (level 5).',
      effects: [
        { type: 'speed-base', value: 35 },
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['druidcraft', 'longstrider', 'pass-without-trace'],
          unlocks: [
            { spell: 'longstrider', level: 3 },
            { spell: 'pass-without-trace', level: 5 },
          ],
        },
      ],
    },
    'gnomish-lineage-forest-gnome': {
      id: 'forest-gnome',
      name: 'Forest Gnome',
      summary:
        'Minor Illusion, plus Speak with Animals always prepared and castable free PB times per long rest.',
      effects: [
        { type: 'grant-spells', cantrips: 1, spells: 1, spellIds: ['minor-illusion', 'speak-with-animals'] },
      ],
    },
    'gnomish-lineage-rock-gnome': {
      id: 'rock-gnome',
      name: 'Rock Gnome',
      summary: 'Mending and Prestidigitation; can build tiny clockwork devices.',
      effects: [{ type: 'grant-spells', cantrips: 2, spells: 0, spellIds: ['mending', 'prestidigitation'] }],
    },
    'giant-ancestry-clouds-jaunt': {
      id: 'clouds-jaunt',
      name: "Cloud's Jaunt",
      summary: 'Bonus action teleport up to 30 ft.',
    },
    'giant-ancestry-fires-burn': {
      id: 'fires-burn',
      name: "Fire's Burn",
      summary: 'Add 1d10 fire damage on a hit.',
    },
    'giant-ancestry-frosts-chill': {
      id: 'frosts-chill',
      name: "Frost's Chill",
      summary: 'Add 1d6 cold damage on a hit and slow the target by 10 ft.',
    },
    'giant-ancestry-hills-tumble': {
      id: 'hills-tumble',
      name: "Hill's Tumble",
      summary: 'Knock a Large or smaller creature prone on a hit.',
    },
    'giant-ancestry-stones-endurance': {
      id: 'stones-endurance',
      name: "Stone's Endurance",
      summary: 'Reaction: reduce damage taken by 1d12 + Con modifier.',
    },
    'giant-ancestry-storms-thunder': {
      id: 'storms-thunder',
      name: "Storm's Thunder",
      summary: 'Reaction: deal 1d8 thunder damage to a creature within 60 ft that damaged you.',
    },
    'fiendish-legacy-abyssal': {
      id: 'abyssal',
      name: 'Abyssal',
      summary: 'Poison resistance; Poison Spray, then Ray of Sickness (level 3) and Hold Person (level 5).',
      effects: [
        { type: 'resistance', damageType: 'poison' },
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['poison-spray', 'ray-of-sickness', 'hold-person'],
          unlocks: [
            { spell: 'ray-of-sickness', level: 3 },
            { spell: 'hold-person', level: 5 },
          ],
        },
      ],
    },
    'fiendish-legacy-chthonic': {
      id: 'chthonic',
      name: 'Chthonic',
      summary:
        'Necrotic resistance; Chill Touch, then False Life (level 3) and Ray of Enfeeblement (level 5).',
      effects: [
        { type: 'resistance', damageType: 'necrotic' },
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['chill-touch', 'false-life', 'ray-of-enfeeblement'],
          unlocks: [
            { spell: 'false-life', level: 3 },
            { spell: 'ray-of-enfeeblement', level: 5 },
          ],
        },
      ],
    },
    'fiendish-legacy-infernal': {
      id: 'infernal',
      name: 'Infernal',
      summary: 'Fire resistance; Fire Bolt, then Hellish Rebuke (level 3) and Darkness (level 5).',
      effects: [
        { type: 'resistance', damageType: 'fire' },
        {
          type: 'grant-spells',
          cantrips: 1,
          spells: 2,
          spellIds: ['fire-bolt', 'hellish-rebuke', 'darkness'],
          unlocks: [
            { spell: 'hellish-rebuke', level: 3 },
            { spell: 'darkness', level: 5 },
          ],
        },
      ],
    },
  };
  const def = table[idx];
  if (!def) throw new Error(`import-srd: no lineage definition for 5e-bits subspecies "${idx}"`);
  if (idx === 'elven-lineage-wood-elf') {
    fixes.add(
      'species',
      'Wood Elf: 5e-bits omits the level-1 Druidcraft cantrip; added from the SRD lineage table.',
    );
  }
  return { effects: [], ...def };
}

function parseSizes(desc: string): Size[] {
  const sizes: Size[] = [];
  if (/\bMedium\b/.test(desc)) sizes.push('medium');
  if (/\bSmall\b/.test(desc)) sizes.push('small');
  if (sizes.length === 0) throw new Error(`import-srd: cannot read species size from "${desc}"`);
  return sizes;
}

export function importSpecies(src: Sources, fixes: FixLog): Species[] {
  const species = readOpen5e<SpeciesFields>(src, 'Species');
  const traits = readOpen5e<SpeciesTraitFields>(src, 'SpeciesTrait');
  const subs = readBits<BitsSubspecies>(src, 'Subspecies');
  return species.map((sp) => {
    const id = key(sp.pk);
    const mine = traits
      .filter((t) => t.fields.parent === sp.pk)
      .sort((a, b) => a.fields.order - b.fields.order);
    const sizeTrait = mine.find((t) => t.fields.type === 'SIZE');
    const speedTrait = mine.find((t) => t.fields.type === 'SPEED');
    if (!sizeTrait || !speedTrait) throw new Error(`import-srd: species ${id} lacks size or speed`);
    const sizes = parseSizes(sizeTrait.fields.desc);
    const speed = Number(/(\d+)/.exec(speedTrait.fields.desc)?.[1]);
    const out: Trait[] = [];
    for (const t of mine) {
      if (t.fields.type) continue;
      const tid = slug(t.fields.name);
      const def = TRAITS[`${id}/${tid}`];
      if (!def) throw new Error(`import-srd: no summary written for species trait ${id}/${tid}`);
      out.push({ id: tid, name: t.fields.name, summary: def.summary, effects: def.effects ?? [] });
    }
    const lineages: Lineage[] = subs
      .filter((s) => s.species.index === id)
      .map((s) => {
        const def = lineageDef(s, fixes);
        const dt: DamageType | undefined = s.damage_type ? damageType(s.damage_type.index) : undefined;
        return {
          id: def.id,
          name: def.name,
          summary: def.summary,
          ...(dt ? { damageType: dt } : {}),
          effects: def.effects,
        };
      });
    const summary = SPECIES_SUMMARY[id];
    if (!summary) throw new Error(`import-srd: no summary written for species ${id}`);
    return {
      id,
      name: sp.fields.name,
      creatureType: 'humanoid',
      sizes,
      speed,
      traits: [
        {
          id: 'speed',
          name: 'Speed',
          summary: `Base walking speed ${speed} ft.`,
          effects: [{ type: 'speed-base', value: speed }],
        },
        ...out,
      ],
      lineages,
      summary,
    };
  });
}
