import { describe, expect, it } from 'vitest';
import { buildSrdIndex, crText, nameTier } from '../../src/api/srd-search';
import { inputSchemas } from '../../src/api/contract';
import { loadSrdContent } from '../../src/content/load-srd';

const index = buildSrdIndex(loadSrdContent());
const top = (query: string, type?: 'item' | 'spell' | 'creature') =>
  index.search({ query, limit: 20, ...(type ? { type } : {}) }).map((h) => h.name);

describe('SRD search ranking', () => {
  it('exact names come first', () => {
    expect(top('longsword')[0]).toBe('Longsword');
    expect(top('chain mail')[0]).toBe('Chain Mail');
    expect(top('Fireball')[0]).toBe('Fireball');
    expect(top('owlbear')[0]).toBe('Owlbear');
    expect(top('shield', 'item')[0]).toBe('Shield');
  });
  it('prefix matches come before fuzzy and other-field matches', () => {
    const tiers = index.search({ query: 'long', limit: 40 }).map((h) => nameTier(h.name, 'long'));
    expect(tiers[0]).toBe(1);
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    const fuzzy = index.search({ query: 'longswrd', limit: 5 }).map((h) => h.name);
    expect(fuzzy).toContain('Longsword');
  });
  it('tiers', () => {
    expect(nameTier('Chain Mail', 'chain mail')).toBe(0);
    expect(nameTier('Chain Shirt', 'chain')).toBe(1);
    expect(nameTier('Potion of Healing', 'pot heal')).toBe(2);
    expect(nameTier('Longbow', 'sword')).toBe(3);
  });
});

describe('SRD filters cover the whole range', () => {
  it('creature levels include fractional CRs and the highest CR; summaries show fractions', () => {
    const levels = index.levels({ type: 'creature' });
    expect(levels.slice(0, 4)).toEqual([0, 0.125, 0.25, 0.5]);
    expect(Math.max(...levels)).toBe(30);
    const eighth = index.search({ query: '', type: 'creature', level: 0.125, limit: 200 });
    expect(eighth.length).toBeGreaterThan(0);
    expect(eighth.every((h) => h.summary.includes('CR 1/8'))).toBe(true);
    expect(index.search({ query: '', type: 'creature', level: 30, limit: 5 }).length).toBeGreaterThan(0);
  });
  it('spell levels 0–9', () => {
    expect(index.levels({ type: 'spell' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(index.levels({ type: 'spell', class: 'paladin' })).toEqual([1, 2, 3, 4, 5]);
  });
  it('the input accepts CR fractions and names the field for others', () => {
    expect(inputSchemas['srd.search'].safeParse({ level: 0.25 }).success).toBe(true);
    const bad = inputSchemas['srd.search'].safeParse({ level: 0.3 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['level']);
  });
  it('crText', () => {
    expect([0.125, 0.25, 0.5, 2].map(crText)).toEqual(['1/8', '1/4', '1/2', '2']);
  });
});
