/** Backgrounds (Open5e BackgroundBenefit) and feats (Open5e Feat + FeatBenefit, 5e-bits for prerequisites). */
import type { Ability, Background, Effect, Feat } from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import { ability, key, readBits, readOpen5e, skill, slug } from './util';

interface BenefitFields {
  name: string;
  desc: string;
  parent: string;
  type: string | null;
}

const BACKGROUND_SUMMARY: Record<string, string> = {
  acolyte: 'Raised in temple service: insight, religion and a gift for divine magic.',
  criminal: 'A life outside the law: quick hands, quiet feet and constant alertness.',
  sage: 'Years of study: arcane and historical lore plus a dabbling in wizardry.',
  soldier: 'Trained for battle: athletic, intimidating and ferocious in a fight.',
};

/** Option A equipment packages mapped to our item ids (the SRD lists them as names). */
const BACKGROUND_EQUIPMENT: Record<string, { items: [string, number][]; gold: number }> = {
  acolyte: {
    items: [
      ['calligraphers-supplies', 1],
      ['book', 1],
      ['holy-symbol-amulet', 1],
      ['parchment', 10],
      ['robe', 1],
    ],
    gold: 8,
  },
  criminal: {
    items: [
      ['dagger', 2],
      ['thieves-tools', 1],
      ['crowbar', 1],
      ['pouch', 2],
      ['clothes-travelers', 1],
    ],
    gold: 16,
  },
  sage: {
    items: [
      ['quarterstaff', 1],
      ['calligraphers-supplies', 1],
      ['book', 1],
      ['parchment', 8],
      ['robe', 1],
    ],
    gold: 8,
  },
  soldier: {
    items: [
      ['spear', 1],
      ['shortbow', 1],
      ['arrows-20', 1],
      ['gaming-set-dice', 1],
      ['healers-kit', 1],
      ['quiver', 1],
      ['clothes-travelers', 1],
    ],
    gold: 14,
  },
};

export function importBackgrounds(src: Sources, fixes: FixLog): Background[] {
  const bgs = readOpen5e<{ name: string }>(src, 'Background');
  const benefits = readOpen5e<BenefitFields>(src, 'BackgroundBenefit');
  return bgs.map((bg) => {
    const id = key(bg.pk);
    const mine = benefits.filter((b) => b.fields.parent === bg.pk);
    const get = (type: string): string => {
      const b = mine.find((x) => x.fields.type === type);
      if (!b) throw new Error(`import-srd: background ${id} lacks a ${type} benefit`);
      return b.fields.desc.trim();
    };
    const abilities = get('ability_score')
      .split(',')
      .map((s) => ability(s));
    const skills = get('skill_proficiency')
      .split(/\s+and\s+|,/)
      .map((s) => skill(s));
    const featText = get('feat');
    const fm = /^(.+?)(?:\s*\((\w+)\))?$/.exec(featText);
    const feat = slug(fm?.[1] ?? featText);
    const featOption = fm?.[2] ? slug(fm[2]) : undefined;
    let tool = get('tool_proficiency');
    if (/gaming set/i.test(tool)) tool = 'gaming-set';
    else tool = slug(tool);
    const equipment = BACKGROUND_EQUIPMENT[id];
    const summary = BACKGROUND_SUMMARY[id];
    if (!equipment || !summary)
      throw new Error(`import-srd: no equipment/summary mapping for background ${id}`);
    if (id === 'soldier') {
      fixes.add(
        'backgrounds',
        'Soldier: the "Gaming Set (same as above)" in option A is stored as gaming-set-dice.',
      );
    }
    if (id === 'acolyte') {
      fixes.add(
        'backgrounds',
        'Acolyte: the generic "Holy Symbol" in option A is stored as holy-symbol-amulet.',
      );
    }
    return {
      id,
      name: bg.fields.name,
      abilities,
      feat,
      ...(featOption ? { featOption } : {}),
      skills,
      tool,
      equipment: equipment.items.map(([item, quantity]) => ({ item, quantity })),
      gold: equipment.gold,
      summary,
    };
  });
}

interface BitsFeat {
  index: string;
  type: string;
  repeatable?: string;
  prerequisites?: { minimum_level?: number; feature_named?: string };
  prerequisite_options?: {
    desc: string;
    choose: number;
    from: { options: { ability_score: { index: string }; minimum_score: number }[] };
  };
}

const FEATS: Record<string, { summary: string; effects: Effect[] }> = {
  alert: {
    summary: 'Add your proficiency bonus to initiative and may swap initiative with a willing ally.',
    effects: [{ type: 'initiative-proficiency' }],
  },
  'magic-initiate': {
    summary:
      'Learn two cantrips and one level 1 spell from the Cleric, Druid or Wizard list; cast the spell once free per long rest.',
    effects: [{ type: 'grant-spells', cantrips: 2, spells: 1 }],
  },
  'savage-attacker': {
    summary: 'Once per turn, roll a weapon hit’s damage dice twice and keep either result.',
    effects: [],
  },
  skilled: { summary: 'Gain three skill or tool proficiencies of your choice.', effects: [] },
  'ability-score-improvement': {
    summary: 'Raise one ability by 2 or two abilities by 1 (maximum 20).',
    effects: [
      { type: 'ability-increase', amount: 2, from: ['str', 'dex', 'con', 'int', 'wis', 'cha'], max: 20 },
    ],
  },
  grappler: {
    summary:
      '+1 Str or Dex; damage and grab with one unarmed strike, advantage against creatures you grapple.',
    effects: [{ type: 'ability-increase', amount: 1, from: ['str', 'dex'], max: 20 }],
  },
  archery: {
    summary: '+2 to attack rolls with ranged weapons.',
    effects: [{ type: 'attack-bonus', value: 2, appliesTo: 'ranged' }],
  },
  defense: {
    summary: '+1 AC while wearing light, medium or heavy armor.',
    effects: [{ type: 'ac-bonus', value: 1, condition: 'armored' }],
  },
  'great-weapon-fighting': {
    summary: 'Treat 1s and 2s on damage dice as 3s with two-handed melee weapons.',
    effects: [],
  },
  'two-weapon-fighting': {
    summary: 'Add your ability modifier to the damage of the Light weapon extra attack.',
    effects: [],
  },
};
const ALL: Ability[] = ['str', 'dex', 'con', 'int', 'wis', 'cha'];
const BOONS: Record<string, string> = {
  'boon-of-combat-prowess': 'Once per turn, turn a missed attack into a hit.',
  'boon-of-dimensional-travel': 'Teleport up to 30 ft right after taking the Attack or Magic action.',
  'boon-of-fate': 'Add or subtract 2d4 to a nearby D20 Test once per short or long rest.',
  'boon-of-irresistible-offense':
    'Your bludgeoning, piercing and slashing damage ignores resistance; extra damage on a natural 20.',
  'boon-of-spell-recall':
    'Casting with a level 1–4 slot may not spend the slot (1d4 roll matches its level).',
  'boon-of-the-night-spirit': 'Turn invisible in dim light or darkness and resist most damage there.',
  'boon-of-truesight': 'Truesight out to 60 ft.',
};

export function importFeats(src: Sources, fixes: FixLog): Feat[] {
  const feats = readOpen5e<{ name: string; prerequisite: string; type: string }>(src, 'Feat');
  const benefits = readOpen5e<BenefitFields>(src, 'FeatBenefit');
  const bits = new Map(readBits<BitsFeat>(src, 'Feats').map((f) => [f.index, f]));
  void fixes;
  return feats.map((f) => {
    const id = key(f.pk);
    const b = bits.get(id);
    if (!b) throw new Error(`import-srd: feat ${id} missing from 5e-bits`);
    const category = slug(f.fields.type) as Feat['category'];
    const repeatable = benefits.some((x) => x.fields.parent === f.pk && x.fields.name === 'Repeatable');
    let prerequisite: Feat['prerequisite'] = null;
    const text = f.fields.prerequisite.trim();
    if (text) {
      const p: NonNullable<Feat['prerequisite']> = { text };
      const lvl = /Level (\d+)\+/.exec(text);
      if (lvl) p.level = Number(lvl[1]);
      if (b.prerequisite_options) {
        p.abilities = b.prerequisite_options.from.options.map((o) => ({
          ability: ability(o.ability_score.index),
          min: o.minimum_score,
        }));
        p.anyAbility = b.prerequisite_options.choose === 1 && p.abilities.length > 1;
      }
      const feature = b.prerequisites?.feature_named ?? /(\w[\w ]*?) Feature/.exec(text)?.[1] ?? undefined;
      if (feature) p.feature = slug(feature);
      prerequisite = p;
    }
    let def = FEATS[id];
    if (!def && BOONS[id]) {
      def = {
        summary: `${BOONS[id]} Also +1 to one ability (maximum 30).`,
        effects: [{ type: 'ability-increase', amount: 1, from: ALL, max: 30 }],
      };
    }
    if (!def) throw new Error(`import-srd: no summary written for feat ${id}`);
    return {
      id,
      name: f.fields.name,
      category,
      prerequisite,
      repeatable,
      summary: def.summary,
      effects: def.effects,
    };
  });
}
