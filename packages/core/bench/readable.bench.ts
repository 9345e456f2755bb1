/**
 * Issue 14: how long reading changes and searching the SRD take. Word diffs of backstories of 300, 1200 and
 * 5000 words with one edit per 50 words; a semantic diff of a character with 60 items and a 1200-word backstory;
 * SRD searches (exact, prefix, multi-word, typo). Run with `pnpm bench readable`.
 */
import { performance } from 'node:perf_hooks';
import { buildSrdIndex } from '../src/api/srd-search';
import { loadSrdContent } from '../src/content/load-srd';
import { contentNames, semanticDiff, wordDiff } from '../src/history/semantic-diff';
import { type BenchResult, time } from './common';

const text = (len: number, edit: boolean) =>
  Array.from({ length: len }, (_, i) => (edit && i % 50 === 0 ? 'changed' : `word${(i * 7919) % 503}`)).join(
    ' ',
  );

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const len of [300, 1200, 5000]) {
    const a = text(len, false);
    const b = text(len, true);
    results.push({
      name: `wordDiff ${len} words, one edit per 50`,
      value: time(10, () => wordDiff(a, b)),
      unit: 'ms',
    });
  }
  const content = loadSrdContent();
  const names = contentNames(content);
  const items = [...content.items.keys()].slice(0, 60);
  const doc = (eq: string[], backstory: string) => ({
    build: {
      name: 'Aria',
      species: 'human',
      background: 'soldier',
      classes: [{ class: 'fighter', level: 5 }],
      abilityScores: { str: 15, dex: 12, con: 14, int: 10, wis: 10, cha: 8 },
      skills: ['athletics', 'perception'],
      expertise: [],
      feats: ['alert'],
      equipment: eq.map((item) => ({ item })),
    },
    narrative: {
      backstory,
      lore: Object.fromEntries(eq.map((e) => [`item:${e}`, `Lore of ${e}. `.repeat(20)])),
    },
  });
  const before = doc(items, text(1200, false));
  const after = doc([...items.slice(0, 30), 'warhammer', ...items.slice(31)], text(1200, true));
  results.push({
    name: 'semanticDiff character, 60 items + 1200-word backstory',
    value: time(20, () => semanticDiff(before, after, { names })),
    unit: 'ms',
  });
  const build = performance.now();
  const index = buildSrdIndex(content);
  results.push({
    name: 'SRD index build',
    value: performance.now() - build,
    unit: 'ms',
    detail: `${index.size} entries`,
  });
  const queries = ['longsword', 'chain mail', 'fireball', 'owl', 'potion of heal', 'longswrd'];
  const idx = index;
  results.push({
    name: 'SRD search, 6 queries (exact, prefix, words, typo)',
    value: time(20, () => queries.forEach((q) => idx.search({ query: q, limit: 80 }))) / queries.length,
    unit: 'ms',
    detail: 'per query, limit 80',
  });
  return results;
}
