import { describe, expect, it } from 'vitest';
import { normDice, pbForLevel, slug } from './util';

describe('import-srd helpers', () => {
  it('slugs SRD names into ids', () => {
    expect(slug('Longsword (+1)')).toBe('longsword-1');
    expect(slug('Studded Leather Armor')).toBe('studded-leather-armor');
    expect(slug("Hunter's Mark")).toBe('hunters-mark');
    expect(slug('Wand of the War Mage +2')).toBe('wand-of-the-war-mage-2');
  });

  it('normalises dice into the DiceSchema form', () => {
    expect(normDice('2d6 + 5')).toBe('2d6+5');
    expect(normDice('1d4 − 1')).toBe('1d4-1');
  });

  it('gives PB by character level', () => {
    expect([1, 4, 5, 8, 9, 12, 13, 16, 17, 20].map(pbForLevel)).toEqual([2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });
});
