import { describe, expect, it } from 'vitest';
import type { Content } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import { DraftChoicesSchema, type DraftChoices } from './draft-schema';
import { generateOffline } from './generate-offline';
import {
  MAX_ARMOR_BONUS_BY_RARITY,
  MAX_BONUS_BY_RARITY,
  SPELL_DAMAGE,
  balanceDraft,
  checkMagicItemBonus,
  checkSpellDamage,
  checkWeaponDamage,
  comparableWeapons,
  diceAverage,
  type CustomWeapon,
} from './balance';

const content: Content = loadSrdContent();

describe('spell damage table', () => {
  it('has ten rows (cantrip + levels 1–9) per column, each growing with level', () => {
    for (const edition of Object.values(SPELL_DAMAGE)) {
      for (const column of [edition.single, edition.multiple]) {
        expect(column).toHaveLength(10);
        for (let i = 1; i < column.length; i++)
          expect(diceAverage(column[i] as string)).toBeGreaterThan(diceAverage(column[i - 1] as string));
      }
      for (const d of edition.single) expect(d).toMatch(/^\d+d10$/);
      for (const d of edition.multiple) expect(d).toMatch(/^\d+d6$/);
    }
  });

  it('matches the DMG 2014 rows and the 2024 differences (rules-facts §7a)', () => {
    expect(SPELL_DAMAGE['2014'].single).toEqual([
      '1d10',
      '2d10',
      '3d10',
      '5d10',
      '6d10',
      '8d10',
      '10d10',
      '11d10',
      '12d10',
      '15d10',
    ]);
    expect(SPELL_DAMAGE['2014'].multiple).toEqual([
      '1d6',
      '2d6',
      '4d6',
      '6d6',
      '7d6',
      '8d6',
      '11d6',
      '12d6',
      '13d6',
      '14d6',
    ]);
    expect([
      SPELL_DAMAGE['2024'].single[5],
      SPELL_DAMAGE['2024'].multiple[2],
      SPELL_DAMAGE['2024'].multiple[9],
    ]).toEqual(['7d10', '3d6', '16d6']);
  });
});

describe('checkSpellDamage', () => {
  it.each([
    // level, dice, targets, extra, ok, adjusted
    [0, '1d10', 'single', {}, true, '1d10'],
    [0, '2d10', 'single', {}, false, '1d10'],
    [0, '1d8', 'multiple', {}, false, '1d6'],
    [1, '2d6', 'multiple', {}, true, '2d6'],
    [1, '3d8', 'single', {}, false, '2d8'],
    [2, '4d6', 'multiple', {}, true, '4d6'],
    [2, '4d6', 'multiple', { ruleset: '2024' as const }, false, '3d6'],
    [3, '8d6', 'multiple', {}, false, '6d6'],
    [3, '8d6', 'multiple', { noEffectOnSave: true }, false, '7d6'],
    [3, '7d6', 'multiple', { noEffectOnSave: true }, true, '7d6'],
    [5, '8d10', 'single', {}, true, '8d10'],
    [5, '8d10', 'single', { ruleset: '2024' as const }, false, '7d10'],
    [9, '40d6', 'multiple', {}, false, '14d6'],
    [4, '6d10+10', 'single', {}, false, '6d10'],
    [1, '1d20', 'multiple', {}, false, '2d6'],
    [1, '30', 'single', {}, false, '11'],
  ] as const)('level %i %s (%s) %j → ok=%s, %s', (level, dice, targets, extra, ok, adjusted) => {
    const r = checkSpellDamage({ level, dice, targets, ...extra });
    expect(r.ok).toBe(ok);
    expect(r.adjusted).toBe(adjusted);
    expect(diceAverage(r.adjusted)).toBeLessThanOrEqual(r.budget.average);
    if (ok) expect(r.reason).toBeUndefined();
    else expect(r.reason).toMatch(/over the DMG (2014|2024) guideline/);
  });

  it('rejects bad input naming the field', () => {
    expect(() => checkSpellDamage({ level: 10, dice: '1d6', targets: 'single' })).toThrow(/level/);
    expect(() => checkSpellDamage({ level: 1, dice: 'lots', targets: 'single' })).toThrow(/dice "lots"/);
    expect(() => checkSpellDamage({ level: 1, dice: '1d6', targets: 'all' as never })).toThrow(/targets/);
  });
});

describe('checkMagicItemBonus', () => {
  it('caps static bonuses by rarity (+1 uncommon, +2 rare, +3 very rare, +4 legendary)', () => {
    expect(MAX_BONUS_BY_RARITY).toMatchObject({
      common: 0,
      uncommon: 1,
      rare: 2,
      'very-rare': 3,
      legendary: 4,
    });
    expect(MAX_ARMOR_BONUS_BY_RARITY).toMatchObject({ uncommon: 0, rare: 1, 'very-rare': 2, legendary: 3 });
  });

  it.each([
    ['uncommon', 1, 'other', true, 1],
    ['uncommon', 2, 'other', false, 1],
    ['rare', 2, 'other', true, 2],
    ['rare', 3, 'other', false, 2],
    ['very-rare', 3, 'other', true, 3],
    ['legendary', 5, 'other', false, 4],
    ['common', 1, 'other', false, 0],
    ['rare', 1, 'armor', true, 1],
    ['rare', 2, 'armor', false, 1],
    ['uncommon', 1, 'armor', false, 0],
    ['legendary', 3, 'armor', true, 3],
  ] as const)('%s +%i (%s) → ok=%s, +%i', (rarity, bonus, kind, ok, adjusted) => {
    const r = checkMagicItemBonus({ rarity, bonus, kind });
    expect([r.ok, r.adjusted]).toEqual([ok, adjusted]);
    if (!ok) expect(r.reason).toContain(`reduced to +${adjusted}`);
  });

  it('agrees with every SRD +N weapon, armor and shield', () => {
    let checked = 0;
    for (const item of content.items.values()) {
      if (item.kind !== 'magic-item') continue;
      const bonus = item.bonuses.ac ?? item.bonuses.attack;
      if (bonus === undefined || !/^(.+)-(\d)$/.test(item.id)) continue;
      const base = item.baseItem ? content.items.get(item.baseItem) : undefined;
      const kind = base?.kind === 'armor' && base.armorType !== 'shield' ? 'armor' : 'other';
      expect(checkMagicItemBonus({ rarity: item.rarity, bonus, kind }).ok, item.id).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('rejects bad input naming the field', () => {
    expect(() => checkMagicItemBonus({ rarity: 'mythic' as never, bonus: 1 })).toThrow(/rarity/);
    expect(() => checkMagicItemBonus({ rarity: 'rare', bonus: -1 })).toThrow(/bonus/);
  });
});

describe('checkWeaponDamage', () => {
  const weapon = (w: Partial<CustomWeapon>): CustomWeapon => ({
    category: 'martial',
    ranged: false,
    properties: [],
    dice: '1d8',
    ...w,
  });

  it.each([
    // name, weapon, ok, adjusted
    ['finesse martial one-hander', weapon({ properties: ['finesse'], dice: '1d10' }), false, '1d8'],
    [
      'versatile sword',
      weapon({ properties: ['versatile'], dice: '1d8', versatileDice: '1d10' }),
      true,
      '1d8',
    ],
    [
      'overtuned versatile sword',
      weapon({ properties: ['versatile'], dice: '2d6', versatileDice: '2d8' }),
      false,
      '1d8',
    ],
    ['heavy two-hander', weapon({ properties: ['heavy', 'two-handed'], dice: '2d6' }), true, '2d6'],
    ['heavy two-hander 2d8', weapon({ properties: ['heavy', 'two-handed'], dice: '2d8' }), false, '2d6'],
    [
      'simple light dagger-like',
      weapon({ category: 'simple', properties: ['finesse', 'light', 'thrown'], dice: '1d6' }),
      false,
      '1d4',
    ],
    [
      'martial ranged bow',
      weapon({ ranged: true, properties: ['ammunition', 'heavy', 'two-handed'], dice: '1d8' }),
      true,
      '1d8',
    ],
    [
      'martial light pistol',
      weapon({ ranged: true, properties: ['ammunition', 'light', 'loading'], dice: '2d6' }),
      false,
      '1d6',
    ],
  ])('%s', (_name, w, ok, adjusted) => {
    const r = checkWeaponDamage(w, content);
    expect(r.ok).toBe(ok);
    expect(r.adjusted).toBe(adjusted);
    expect(r.budget.comparedTo.length).toBeGreaterThan(0);
    if (!ok) expect(r.reason).toMatch(/SRD weapons with the same properties|two-handed/);
  });

  it('checks versatile dice separately', () => {
    const r = checkWeaponDamage(
      weapon({ name: 'Plasma Sword', properties: ['versatile'], dice: '1d8', versatileDice: '2d8' }),
      content,
    );
    expect(r.ok).toBe(false);
    expect(r.adjusted).toBe('1d8');
    expect(r.versatile).toMatchObject({ ok: false, adjusted: '1d10' });
    expect(r.reason).toContain('Plasma Sword');
  });

  it('every SRD weapon passes against its own peers', () => {
    for (const item of content.items.values()) {
      if (item.kind !== 'weapon') continue;
      const custom: CustomWeapon = {
        name: item.name,
        category: item.category,
        ranged: item.ranged,
        properties: item.properties,
        dice: item.damage.dice,
        ...(item.versatileDice ? { versatileDice: item.versatileDice } : {}),
      };
      const r = checkWeaponDamage(custom, content);
      expect(r.ok, item.id).toBe(true);
      expect(comparableWeapons(custom, content).some((w) => w.id === item.id)).toBe(true);
    }
  });

  it('rejects bad input naming the field', () => {
    expect(() => checkWeaponDamage(weapon({ dice: 'd8' }), content)).toThrow(/weapon dice/);
    expect(() => checkWeaponDamage(weapon({ category: 'exotic' as never }), content)).toThrow(/category/);
  });
});

describe('balanceDraft', () => {
  const base = generateOffline({ concept: 'a jedi', seed: 4, level: 5, theme: 'sci-fi' }, content);

  it('adjusts only over-budget custom content and explains each change', () => {
    const draft: DraftChoices = {
      ...base,
      custom: {
        spells: [
          {
            name: 'Force Storm',
            level: 3,
            dice: '10d6',
            damageType: 'lightning',
            targets: 'multiple',
            summary: 'Arcs of light.',
          },
          {
            name: 'Mind Spear',
            level: 1,
            dice: '2d10',
            damageType: 'psychic',
            targets: 'single',
            summary: 'A stab of thought.',
          },
        ],
        weapons: [
          {
            name: 'Plasma Blade',
            category: 'martial',
            ranged: false,
            properties: ['versatile'],
            dice: '2d8',
            versatileDice: '2d10',
            damageType: 'radiant',
            summary: 'Hums.',
          },
        ],
        magicItems: [
          {
            name: 'Kyber Focus',
            rarity: 'uncommon',
            bonus: 2,
            appliesTo: 'spell-attack-and-dc',
            summary: 'A glowing crystal.',
          },
          {
            name: 'Guardian Robes',
            rarity: 'rare',
            bonus: 1,
            appliesTo: 'armor-ac',
            summary: 'Woven plates.',
          },
        ],
      },
    };
    const { draft: out, adjustments } = balanceDraft(draft, content);
    expect(adjustments.map((a) => [a.path, a.from, a.to])).toEqual([
      ['/custom/spells/0/dice', '10d6', '6d6'],
      ['/custom/weapons/0/dice', '2d8', '1d8'],
      ['/custom/weapons/0/versatileDice', '2d10', '1d10'],
      ['/custom/magicItems/0/bonus', 2, 1],
    ]);
    for (const a of adjustments) expect(a.reason.length).toBeGreaterThan(20);
    expect(out.custom?.spells[1]?.dice).toBe('2d10');
    expect(out.custom?.magicItems[1]?.bonus).toBe(1);
    expect(out.build).toEqual(base.build);
    expect(DraftChoicesSchema.safeParse(out).success).toBe(true);
  });

  it('returns a draft without custom content unchanged', () => {
    expect(balanceDraft(base, content)).toEqual({ draft: base, adjustments: [] });
  });
});
