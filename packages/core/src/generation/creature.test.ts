import { describe, expect, it } from 'vitest';
import { CreatureSchema, estimateCr, type Content } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import { adaptCreature, crRow, hitPointsFor, scaleDamage, snapCr } from './creature';
import { generateOffline } from './generate-offline';

const content: Content = loadSrdContent();
const LADDER = [0, 0.125, 0.25, 0.5, ...Array.from({ length: 30 }, (_, i) => i + 1)];
const step = (cr: number): number => LADDER.indexOf(snapCr(cr));

describe('creature adaptation helpers', () => {
  it.each([
    [0.3, 0.25],
    [0.1, 0.125],
    [7.4, 7],
    [40, 30],
    [-1, 0],
  ])('snapCr(%d) = %d', (input, expected) => {
    expect(snapCr(input)).toBe(expected);
  });

  it('reads the CR table row', () => {
    expect(crRow(5)).toMatchObject({ ac: 15, hpMin: 131, hpMax: 145, attack: 6, dc: 15 });
  });

  it('builds consistent hit-point formulas and damage', () => {
    expect(hitPointsFor(45, 'medium', 14)).toEqual({ average: 45, formula: '7d8+14' });
    expect(hitPointsFor(1, 'tiny', 3)).toEqual({ average: 1, formula: '1d4-4' });
    expect(scaleDamage({ dice: '2d6+3', average: 10, type: 'slashing' }, 2)).toEqual({
      dice: '4d6+3',
      average: 17,
      type: 'slashing',
    });
    expect(scaleDamage({ dice: '1', average: 1, type: 'piercing' }, 0.1)).toEqual({
      dice: '1',
      average: 1,
      type: 'piercing',
    });
  });

  it('keeps a creature unchanged (bar name) at its own CR', () => {
    const wolf = content.creatures.get('wolf');
    if (!wolf) throw new Error('no wolf');
    const same = adaptCreature(wolf, wolf.cr, 'Grey Wolf', 'A grey wolf.');
    expect({ ...same, id: wolf.id, name: wolf.name, summary: wolf.summary }).toEqual(wolf);
  });
});

describe('rescaled stat blocks', () => {
  it('rewrite action summaries from the new numbers (never the old bonus, damage or DC)', () => {
    const hag = content.creatures.get('green-hag');
    if (!hag) throw new Error('no green hag');
    const big = adaptCreature(hag, 8, 'Moon Hag', 'A hag of the moon.');
    const lines = [...big.actions, ...big.bonusActions, ...big.reactions];
    let checked = 0;
    for (const a of lines) {
      if (a.attack) {
        expect(a.summary).toContain(`+${a.attack.bonus}`);
        for (const d of a.attack.damage) expect(a.summary).toContain(`${d.average} (${d.dice}) ${d.type}`);
        checked++;
      }
      if (a.save) {
        expect(a.summary).toContain(`DC ${a.save.dc}`);
        checked++;
      }
      if (/spellcasting/i.test(a.name) && big.spellcasting?.dc) {
        expect(a.summary).toContain(`DC ${big.spellcasting.dc}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1);
  });
});

describe('monster drafts land near the target CR (rules engine estimate)', () => {
  const concepts = [
    'a goblin raider gang',
    'a cyber wolf',
    'an undead knight',
    'a giant spider queen',
    'an ancient red dragon',
    'a swamp hag',
    'a clockwork robot sentinel',
    'a demon from the abyss',
    'a plague rat swarm',
    'a storm giant',
  ];
  const targets = [0.25, 1, 3, 5, 8, 12, 17, 22];

  it('over 10 concepts × 8 CRs: mean miss ≤ 0.75 steps, none beyond 3 steps', () => {
    const misses: number[] = [];
    for (const concept of concepts) {
      for (const cr of targets) {
        const d = generateOffline({ concept, seed: 1, kind: 'monster', cr }, content);
        const block = d.creature?.statBlock;
        expect(CreatureSchema.safeParse(block).success).toBe(true);
        if (!block) throw new Error('no stat block');
        expect(block.cr).toBe(cr);
        misses.push(Math.abs(step(estimateCr(block, { spells: content.spells }).cr) - step(cr)));
      }
    }
    expect(misses.reduce((a, b) => a + b, 0) / misses.length).toBeLessThanOrEqual(0.75);
    expect(Math.max(...misses)).toBeLessThanOrEqual(3);
  });

  it('picks a base by keyword: dragons for dragons, wolves for wolves', () => {
    const dragon = generateOffline(
      { concept: 'an ancient red dragon', seed: 1, kind: 'monster', cr: 20 },
      content,
    );
    expect(dragon.creature?.basedOn).toMatch(/red-dragon/);
    const wolf = generateOffline({ concept: 'a cyber wolf', seed: 1, kind: 'monster', cr: 1 }, content);
    expect(wolf.creature?.basedOn).toMatch(/wolf/);
    expect(wolf.creature?.statBlock.name).toMatch(/Wolf/);
  });
});

describe('sci-fi re-skins of monster attacks', () => {
  it('renames weapon attacks after the theme and keeps Multiattack references consistent', () => {
    const d = generateOffline(
      { concept: 'a veteran space trooper', seed: 2, kind: 'monster', cr: 3 },
      content,
    );
    const block = d.creature?.statBlock;
    if (!block) throw new Error('no stat block');
    const names = new Set(block.actions.map((a) => a.name));
    for (const a of block.actions)
      for (const m of a.multiattack ?? []) expect(names.has(m.action), m.action).toBe(true);
    const base = content.creatures.get(d.creature?.basedOn ?? '');
    const baseWeapons = (base?.actions ?? []).filter(
      (a) => a.attack && [...content.items.values()].some((i) => i.kind === 'weapon' && i.name === a.name),
    );
    expect(baseWeapons.length).toBeGreaterThan(0);
    expect(block.actions.some((a) => /Energy Blade|Blaster/.test(a.name))).toBe(true);
    // Mechanics are untouched: the same concept in a fantasy setting has the same attacks under SRD names.
    const plain = generateOffline(
      { concept: 'a veteran space trooper', seed: 2, kind: 'monster', cr: 3, theme: 'fantasy' },
      content,
    );
    const numbers = (b: typeof block | undefined) =>
      (b?.actions ?? []).map((a) => [a.attack?.bonus, a.attack?.damage]);
    expect(plain.creature?.basedOn).toBe(d.creature?.basedOn);
    expect(numbers(block)).toEqual(numbers(plain.creature?.statBlock));
    expect(plain.creature?.statBlock.actions.map((a) => a.name)).toEqual(base?.actions.map((a) => a.name));
    expect(d.lore.some((l) => l.kind === 'weapon')).toBe(true);
  });
});
