/**
 * Issue 14 item 2: what text that merges costs. `textHunks` (the character diff every text save writes) and
 * `mergeText` (a form's save from an older base) on backstories of 300, 1200 and 5000 words with one edit per 50
 * words (each side edits different words), and a whole `editCharacter` of a 5000-word backstory (one sentence
 * typed) through the Y.Text. Run with `pnpm bench text-merge`.
 */
import * as Y from 'yjs';
import { createCharacterDoc, editCharacter, readCharacter } from '../src/docs/character-doc';
import { mergeText, textHunks } from '../src/docs/text-merge';
import type { JsonObject } from '../src/docs/y-json';
import { type BenchResult, time } from './common';

const text = (len: number, every: number, offset: number) =>
  Array.from({ length: len }, (_, i) =>
    every > 0 && i % every === offset ? `edited${i}` : `word${(i * 7919) % 503}`,
  ).join(' ');

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const len of [300, 1200, 5000]) {
    const base = text(len, 0, 0);
    const mine = text(len, 50, 0);
    const theirs = text(len, 50, 25);
    results.push({
      name: `textHunks ${len} words, one edit per 50`,
      value: time(10, () => textHunks(base, mine)),
      unit: 'ms',
      detail: `${textHunks(base, mine).length} hunks, ${base.length} characters`,
    });
    results.push({
      name: `mergeText ${len} words, each side one edit per 50`,
      value: time(10, () => mergeText(base, mine, theirs)),
      unit: 'ms',
    });
  }
  const base = text(5000, 0, 0);
  const doc = new Y.Doc();
  createCharacterDoc(
    doc,
    {
      id: '00000000-0000-4000-8000-0000000000b1',
      createdAt: 1,
      kind: 'pc',
      build: {
        ruleset: '2024',
        name: 'Bench',
        species: 'human',
        background: 'soldier',
        classes: [{ class: 'fighter', level: 1 }],
        abilityScores: { str: 15, dex: 14, con: 13, int: 12, wis: 10, cha: 8 },
      },
      narrative: { backstory: base },
    },
    { kind: 'import', author: 'bench' },
  );
  let n = 0;
  results.push({
    name: 'editCharacter, 5000-word backstory, one sentence typed in the middle',
    value: time(20, () => {
      n++;
      const cur = readCharacter(doc).narrative.backstory;
      const mid = Math.floor(cur.length / 2);
      editCharacter(
        doc,
        (j) => ({
          ...j,
          narrative: {
            ...(j['narrative'] as JsonObject),
            backstory: `${cur.slice(0, mid)} typed ${n}${cur.slice(mid)}`,
          },
        }),
        { kind: 'local-user', author: 'bench' },
      );
    }),
    unit: 'ms',
    detail: 'read, validate, diff, write (Y.Text)',
  });
  return results;
}
