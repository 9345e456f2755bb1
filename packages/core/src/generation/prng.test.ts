import { describe, expect, it } from 'vitest';
import { createRng, hashString, mulberry32, shuffle, weightedPick, weightedSample } from './prng';
import { editDistance, editSimilarity, normalizeName, toId, tokenOverlap } from './text';

describe('seeded PRNG', () => {
  it('mulberry32 is deterministic, in [0, 1) and roughly uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('createRng separates seeds, concepts and salts; ignores case and outer spaces of the concept', () => {
    const first = (concept: string, seed: number, salt = ''): number => createRng(concept, seed, salt)();
    expect(first('Wizard ', 1)).toBe(first('wizard', 1));
    expect(first('wizard', 1)).not.toBe(first('wizard', 2));
    expect(first('wizard', 1)).not.toBe(first('knight', 1));
    expect(first('wizard', 1, 'pc')).not.toBe(first('wizard', 1, 'npc'));
    expect(hashString('abc')).toBe(hashString('abc'));
  });

  it('weighted draws follow the weights and never repeat in a sample', () => {
    const rng = mulberry32(7);
    let heavy = 0;
    for (let i = 0; i < 2000; i++)
      if (
        weightedPick(rng, [
          { value: 'a', weight: 9 },
          { value: 'b', weight: 1 },
        ]) === 'a'
      )
        heavy++;
    expect(heavy / 2000).toBeGreaterThan(0.85);
    const sample = weightedSample(
      rng,
      ['a', 'b', 'c', 'd'].map((value) => ({ value, weight: 1 })),
      3,
    );
    expect(new Set(sample).size).toBe(3);
    expect(shuffle(rng, [1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => weightedPick(rng, [])).toThrow(/empty/);
  });
});

describe('text helpers', () => {
  it.each([
    ['Fire-Bolt!', 'fire bolt'],
    ['  Mage   Hand ', 'mage hand'],
    ["Cloud's Jaunt", 'clouds jaunt'],
    ['Épée', 'epee'],
  ])('normalizeName(%j) = %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('toId, edit distance and token overlap', () => {
    expect(toId('Studded Leather Armor')).toBe('studded-leather-armor');
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editSimilarity('Firebolt', 'Fire Bolt')).toBe(1);
    expect(tokenOverlap('Greater Fireball', 'Fireball')).toBeCloseTo(2 / 3);
    expect(tokenOverlap('the', 'a')).toBe(0);
  });
});
