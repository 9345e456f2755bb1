/**
 * Human names shared by core (history's semantic diff) and the desktop renderer (`@loreforge/core/words`).
 * Pure: no Node modules, safe to bundle for the browser.
 */

/** Short words kept lower case inside a title ("Sleight of Hand"). */
export const SMALL_WORDS: ReadonlySet<string> = new Set([
  'of',
  'the',
  'and',
  'a',
  'an',
  'in',
  'on',
  'to',
  'for',
  'with',
  'from',
  'or',
  'at',
  'by',
]);

/** ["sleight", "of", "hand"] → "Sleight of Hand": each word capitalised, small words after the first kept lower. */
export function titleWords(words: readonly string[]): string {
  return words
    .map((w, i) =>
      i > 0 && SMALL_WORDS.has(w.toLowerCase()) ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join(' ');
}

export const ABILITY_NAMES: Readonly<Record<string, string>> = {
  str: 'Strength',
  dex: 'Dexterity',
  con: 'Constitution',
  int: 'Intelligence',
  wis: 'Wisdom',
  cha: 'Charisma',
};
