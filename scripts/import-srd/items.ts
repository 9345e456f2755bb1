/** Items: weapons, armor, gear (Open5e Item/Weapon/Armor, 5e-bits for weapon ranges and missing foci) and magic items. */
import type { Armor, Gear, Item, MagicItem, Mastery, Weapon } from '@loreforge/rules-5e';
import { MASTERIES, WEAPON_PROPERTIES } from '@loreforge/rules-5e';
import type { FixLog, Sources } from './util';
import { damageType, key, num, readBits, readOpen5e, round2, slug } from './util';

interface ItemFields {
  name: string;
  desc: string;
  category: string;
  cost: string | number;
  weight: string | number;
  weapon: string | null;
  armor: string | null;
  rarity?: string;
  requires_attunement?: boolean;
  attunement_detail?: string | null;
}
interface WeaponFields {
  name: string;
  damage_dice: string;
  damage_type: string;
  is_simple: boolean;
  range: number;
  long_range: number;
}
interface ArmorFields {
  name: string;
  ac_base: number;
  ac_add_dexmod: boolean;
  ac_cap_dexmod: number | null;
  strength_score_required: number | null;
  grants_stealth_disadvantage: boolean;
}
interface AssignmentFields {
  weapon: string;
  property: string;
  detail: string | null;
}
interface BitsEquipment {
  index: string;
  name: string;
  equipment_categories: { index: string }[];
  cost: { quantity: number; unit: string };
  weight?: number;
}

const GEAR_CATEGORY: Record<string, string> = {
  'adventuring-gear': 'adventuring-gear',
  tools: 'tools',
  'equipment-pack': 'equipment-pack',
  'spellcasting-focus': 'spellcasting-focus',
  ammunition: 'ammunition',
  mount: 'mount',
  'land-vehicle': 'vehicle',
  'waterborne-vehicle': 'vehicle',
  scroll: 'adventuring-gear',
  potion: 'adventuring-gear',
  weapon: 'adventuring-gear',
  'wondrous-item': 'vehicle',
};

/** Item.json records that are really magic items (no rarity there); the MagicItem records win or we add these. */
const MAGIC_IN_ITEM_JSON = new Set([
  'spell-scroll',
  'potion-of-healing',
  'potions-of-healing',
  'ioun-stone',
  'potion-of-giant-strength',
]);

function cleanName(name: string): string {
  let n = name.replace(/\s*\(\d+(?:\.\d+)? GP\)$/, '');
  if (n.endsWith(')') && !n.includes('(')) n = n.slice(0, -1);
  return n;
}

function weaponSummary(w: Weapon): string {
  const props = w.properties.filter((p) => p !== 'range').join(', ');
  const range = w.range ? `, range ${w.range.normal}/${w.range.long} ft` : '';
  const versatile = w.versatileDice ? ` (${w.versatileDice} two-handed)` : '';
  return `${w.category === 'simple' ? 'Simple' : 'Martial'} ${w.ranged ? 'ranged' : 'melee'} weapon: ${w.damage.dice}${versatile} ${w.damage.type}${range}${props ? `; ${props}` : ''}; mastery ${w.mastery}.`;
}

function armorSummary(a: Armor): string {
  if (a.armorType === 'shield') return `Shield: +${a.ac} AC while carried.`;
  const dex = a.dexCap === null ? ' + Dex' : a.dexCap > 0 ? ` + Dex (max ${a.dexCap})` : '';
  const str = a.strength ? `; needs Str ${a.strength}` : '';
  const stealth = a.stealthDisadvantage ? '; stealth disadvantage' : '';
  return `${a.armorType[0]?.toUpperCase()}${a.armorType.slice(1)} armor: AC ${a.ac}${dex}${str}${stealth}.`;
}

const GEAR_WORDS: Record<string, string> = {
  'adventuring-gear': 'Adventuring gear',
  tools: 'Tool kit',
  'equipment-pack': 'Equipment pack',
  'spellcasting-focus': 'Spellcasting focus',
  ammunition: 'Ammunition',
  mount: 'Mount or animal',
  vehicle: 'Vehicle',
};

export function importItems(src: Sources, fixes: FixLog): Item[] {
  const items = readOpen5e<ItemFields>(src, 'Item');
  const weapons = new Map(readOpen5e<WeaponFields>(src, 'Weapon').map((w) => [w.pk, w.fields]));
  const armors = new Map(readOpen5e<ArmorFields>(src, 'Armor').map((a) => [a.pk, a.fields]));
  const assignments = readOpen5e<AssignmentFields>(src, 'WeaponPropertyAssignment');
  const bits = readBits<BitsEquipment>(src, 'Equipment');
  const bitsById = new Map(bits.map((b) => [b.index, b]));
  const out: Item[] = [];

  for (const it of items) {
    const f = it.fields;
    const id = key(it.pk);
    if (MAGIC_IN_ITEM_JSON.has(id)) continue; // handled with the magic items
    const cost = round2(num(f.cost));
    const weight = round2(num(f.weight));
    if (f.weapon) {
      const w = weapons.get(f.weapon);
      if (!w) throw new Error(`import-srd: item ${id} links missing weapon ${f.weapon}`);
      const mine = assignments.filter((a) => a.fields.weapon === f.weapon);
      const properties: Weapon['properties'] = [];
      let mastery: Mastery | undefined;
      let versatileDice: string | undefined;
      for (const a of mine) {
        const p = key(a.fields.property);
        if (p.endsWith('-mastery')) {
          const m = p.replace(/-mastery$/, '');
          if (!(MASTERIES as readonly string[]).includes(m))
            throw new Error(`import-srd: unknown mastery ${p}`);
          mastery = m as Mastery;
        } else {
          const prop = p.replace(/-wp$/, '');
          if (!(WEAPON_PROPERTIES as readonly string[]).includes(prop))
            throw new Error(`import-srd: unknown weapon property ${p}`);
          properties.push(prop as Weapon['properties'][number]);
          if (prop === 'versatile') versatileDice = a.fields.detail ?? undefined;
        }
      }
      if (!mastery) throw new Error(`import-srd: weapon ${id} has no mastery`);
      const b = bitsById.get(id);
      const ranged = b
        ? b.equipment_categories.some((c) => c.index === 'ranged-weapons')
        : properties.includes('ammunition');
      const weapon: Weapon = {
        id,
        name: f.name,
        kind: 'weapon',
        cost,
        weight,
        summary: '',
        category: w.is_simple ? 'simple' : 'martial',
        ranged,
        damage: { dice: w.damage_dice, type: damageType(w.damage_type) },
        ...(versatileDice ? { versatileDice } : {}),
        properties: properties.sort(),
        mastery,
        ...(w.range > 0 ? { range: { normal: w.range, long: w.long_range } } : {}),
      };
      weapon.summary = weaponSummary(weapon);
      out.push(weapon);
      continue;
    }
    if (f.armor) {
      const a = armors.get(f.armor);
      if (!a) throw new Error(`import-srd: item ${id} links missing armor ${f.armor}`);
      const armorType: Armor['armorType'] =
        id === 'shield'
          ? 'shield'
          : !a.ac_add_dexmod
            ? 'heavy'
            : a.ac_cap_dexmod === null
              ? 'light'
              : 'medium';
      const armor: Armor = {
        id,
        name: f.name,
        kind: 'armor',
        cost,
        weight,
        summary: '',
        armorType,
        ac: a.ac_base,
        dexCap: armorType === 'light' ? null : armorType === 'medium' ? (a.ac_cap_dexmod ?? 2) : 0,
        strength: a.strength_score_required,
        stealthDisadvantage: a.grants_stealth_disadvantage,
      };
      armor.summary = armorSummary(armor);
      out.push(armor);
      continue;
    }
    const category = GEAR_CATEGORY[f.category];
    if (!category) throw new Error(`import-srd: unknown item category ${f.category} (${id})`);
    const name = cleanName(f.name);
    if (name !== f.name) fixes.add('items', `"${f.name}" renamed "${name}"`);
    out.push({
      id,
      name,
      kind: 'gear',
      cost,
      weight,
      category,
      summary: `${GEAR_WORDS[category] ?? 'Gear'}, ${cost} gp${weight ? `, ${weight} lb` : ''}.`,
    } satisfies Gear);
  }

  // Arcane foci and the spellbook are missing from the Open5e export; take them from 5e-bits.
  const have = new Set(out.map((i) => i.id));
  for (const b of bits) {
    const cats = b.equipment_categories.map((c) => c.index);
    let id: string | null = null;
    let name = b.name;
    if (cats.includes('arcane-foci') && !cats.includes('weapons')) {
      id = `arcane-focus-${b.index}`;
      name = `Arcane Focus, ${b.name}`;
    } else if (b.index === 'spellbook') id = 'spellbook';
    if (!id || have.has(id)) continue;
    const cost =
      b.cost.unit === 'gp'
        ? b.cost.quantity
        : b.cost.unit === 'sp'
          ? b.cost.quantity / 10
          : b.cost.quantity / 100;
    const category = id === 'spellbook' ? 'adventuring-gear' : 'spellcasting-focus';
    out.push({
      id,
      name,
      kind: 'gear',
      cost,
      weight: b.weight ?? 0,
      category,
      summary: `${GEAR_WORDS[category]}, ${cost} gp${b.weight ? `, ${b.weight} lb` : ''}.`,
    });
    fixes.add('items', `${name} is missing from the Open5e export; taken from 5e-bits.`);
  }

  out.push(...importMagicItems(src, items, out, fixes));
  return out;
}

function bonusesOf(
  name: string,
  desc: string,
  kind: 'weapon' | 'armor' | 'other',
  rarityBonus: number | undefined,
) {
  const b: MagicItem['bonuses'] = {};
  const plus = /\+(\d)\)?$/.exec(name);
  const n = plus ? Number(plus[1]) : undefined;
  if (n !== undefined) {
    if (/^Wand of the War Mage/.test(name)) b.spellAttack = n;
    else if (/^Rod of the Pact Keeper/.test(name)) {
      b.spellAttack = n;
      b.spellDc = n;
    } else if (kind === 'weapon') {
      b.attack = n;
      b.damage = n;
    } else if (kind === 'armor') b.ac = n;
  }
  void rarityBonus;
  const wd =
    /(?:You gain a|grants a) \+(\d) bonus to attack rolls and damage rolls made with (?:this|it)/.exec(desc);
  if (wd && b.attack === undefined) {
    b.attack = Number(wd[1]);
    b.damage = Number(wd[1]);
  }
  const power = /\+(\d) bonus to Armor Class, saving throws, and spell attack rolls/.exec(desc);
  if (power) {
    b.ac = Number(power[1]);
    b.saves = Number(power[1]);
    b.spellAttack = Number(power[1]);
  }
  const acSaves = /[Yy]ou gain a \+(\d) bonus to Armor Class and saving throws/.exec(desc);
  if (acSaves) {
    b.ac = Number(acSaves[1]);
    b.saves = Number(acSaves[1]);
  }
  const ac = /[Yy]ou gain a \+(\d) bonus to Armor Class(?:\.| while|,)/.exec(desc);
  if (ac && b.ac === undefined) b.ac = Number(ac[1]);
  const saves = /[Yy]ou (?:also )?gain a \+(\d) bonus to (?:ability checks and )?saving throws/.exec(desc);
  if (saves && b.saves === undefined) b.saves = Number(saves[1]);
  const spellAtk = /(?:gain|have) a \+(\d) bonus to spell attack rolls/.exec(desc);
  if (spellAtk && b.spellAttack === undefined) b.spellAttack = Number(spellAtk[1]);
  const archmagi = /spell save DC and spell attack bonus (?:each )?increase by (\d)/.exec(desc);
  if (archmagi) {
    b.spellDc = Number(archmagi[1]);
    b.spellAttack = Number(archmagi[1]);
  }
  return b;
}

const RARITY_WORD: Record<string, string> = {
  common: 'Common',
  uncommon: 'Uncommon',
  rare: 'Rare',
  'very-rare': 'Very rare',
  legendary: 'Legendary',
  artifact: 'Artifact',
};

function magicSummary(m: MagicItem): string {
  const parts: string[] = [];
  const b = m.bonuses;
  if (b.attack) parts.push(`+${b.attack} attack and damage`);
  if (b.ac) parts.push(`+${b.ac} AC`);
  if (b.saves) parts.push(`+${b.saves} saves`);
  if (b.spellAttack) parts.push(`+${b.spellAttack} spell attacks`);
  if (b.spellDc) parts.push(`+${b.spellDc} spell save DC`);
  const att = m.attunement
    ? m.attunementDetail
      ? `, attunement (${m.attunementDetail})`
      : ', attunement'
    : '';
  const base = m.baseItem ? ` based on ${m.baseItem}` : '';
  return `${RARITY_WORD[m.rarity] ?? m.rarity} ${m.category.replace(/-/g, ' ')}${base}${att}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

const VALUE_BY_RARITY: Record<MagicItem['rarity'], number> = {
  common: 100,
  uncommon: 400,
  rare: 4000,
  'very-rare': 40000,
  legendary: 200000,
  artifact: 0,
};

/** SRD 5.2.1 magic item value: by rarity, halved for consumables (not spell scrolls), plus the base item. */
function magicValue(
  id: string,
  category: string,
  rarity: MagicItem['rarity'],
  baseCost: number | undefined,
): number {
  const consumable =
    (category === 'potion' || category === 'scroll' || /^ammunition/.test(id)) && !/^spell-scroll/.test(id);
  const value = VALUE_BY_RARITY[rarity] / (consumable ? 2 : 1);
  return value + (baseCost ?? 0);
}

function importMagicItems(
  src: Sources,
  items: { pk: string; fields: ItemFields }[],
  mundane: Item[],
  fixes: FixLog,
): MagicItem[] {
  const magic = readOpen5e<ItemFields>(src, 'MagicItem');
  const baseByPk = new Map<string, string>();
  for (const it of items) {
    if (it.fields.weapon) baseByPk.set(it.fields.weapon, key(it.pk));
    if (it.fields.armor) baseByPk.set(it.fields.armor, key(it.pk));
  }
  const mundaneIds = new Set(mundane.map((m) => m.id));
  const mundaneCost = new Map(mundane.map((m) => [m.id, m.cost]));
  fixes.add(
    'items',
    'Magic item costs (all 0 in Open5e) set from the SRD 5.2.1 value-by-rarity table: common 100, uncommon 400, rare 4,000, very rare 40,000, legendary 200,000 GP (artifacts 0 = priceless); consumables other than spell scrolls at half; plus the base item cost for weapon and armor variants.',
  );
  const out: MagicItem[] = [];
  const seen = new Set<string>();
  let armorFixes = 0;
  for (const m of magic) {
    const f = m.fields;
    const id = slug(f.name);
    if (seen.has(id) || mundaneIds.has(id)) throw new Error(`import-srd: magic item id clash "${id}"`);
    seen.add(id);
    const link = f.weapon ?? f.armor;
    const baseItem = link ? baseByPk.get(link) : undefined;
    if (link && !baseItem) throw new Error(`import-srd: magic item ${id} links unknown base ${link}`);
    const kind =
      f.weapon || f.category === 'weapon' ? 'weapon' : f.armor || f.category === 'armor' ? 'armor' : 'other';
    let rarity = (f.rarity ?? 'common') as MagicItem['rarity'];
    const armorPlus = f.armor && baseItem !== 'shield' ? /\(\+(\d)\)$/.exec(f.name) : null;
    if (armorPlus) {
      // SRD 5.2.1: Armor +1/+2/+3 is Rare/Very Rare/Legendary (Open5e copies the weapon rarities).
      const fixed = (['rare', 'very-rare', 'legendary'] as const)[Number(armorPlus[1]) - 1];
      if (fixed && fixed !== rarity) {
        armorFixes++;
        rarity = fixed;
      }
    }
    const detail = f.attunement_detail?.replace(/^Requires Attunement by /i, '').trim();
    const item: MagicItem = {
      id,
      name: f.name,
      kind: 'magic-item',
      cost: magicValue(id, f.category, rarity, baseItem ? mundaneCost.get(baseItem) : undefined),
      weight: round2(num(f.weight)),
      summary: '',
      category: f.category,
      rarity,
      attunement: Boolean(f.requires_attunement),
      ...(detail ? { attunementDetail: detail.toLowerCase() } : {}),
      ...(baseItem ? { baseItem } : {}),
      bonuses: bonusesOf(f.name, f.desc, kind, undefined),
    };
    item.summary = magicSummary(item);
    out.push(item);
  }
  if (armorFixes) {
    fixes.add(
      'items',
      `Armor (+N) rarity raised one step on ${armorFixes} items: +1 rare, +2 very rare, +3 legendary (shields unchanged).`,
    );
  }
  // The five magic items that Open5e files under Item.json.
  const extra: Record<string, { rarity: MagicItem['rarity']; category: string }> = {
    'spell-scroll': { rarity: 'common', category: 'scroll' },
    'potion-of-healing': { rarity: 'common', category: 'potion' },
    'ioun-stone': { rarity: 'rare', category: 'wondrous-item' },
    'potion-of-giant-strength': { rarity: 'uncommon', category: 'potion' },
  };
  for (const it of items) {
    const id = key(it.pk);
    if (!MAGIC_IN_ITEM_JSON.has(id)) continue;
    if (id === 'potions-of-healing') {
      fixes.add(
        'items',
        '"Potions of Healing" (a table header filed as an item) dropped; Potion of Healing is kept.',
      );
      continue;
    }
    const e = extra[id];
    if (!e || seen.has(id)) continue;
    const item: MagicItem = {
      id,
      name: it.fields.name,
      kind: 'magic-item',
      cost: round2(num(it.fields.cost)),
      weight: round2(num(it.fields.weight)),
      summary: '',
      category: e.category,
      rarity: e.rarity,
      attunement: false,
      bonuses: {},
    };
    item.summary = magicSummary(item);
    out.push(item);
    fixes.add(
      'items',
      `${it.fields.name} moved from Item.json to the magic items (rarity ${e.rarity}; lowest rarity where it varies).`,
    );
  }
  return out;
}
