/**
 * Text that merges (issue 14 item 2): two pages on one character type into its backstory at once. A save on one
 * page reaches the other while its user is still typing: the other page keeps the unsaved typing and adds the
 * saved change (with a notice), never replacing it. Both save (one after the other, then both at the same
 * moment): every word each typed is in the backstory, on both pages and after a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, sessions } from './app-helpers';
import { launchChromium } from './browser';
import { generateDraft } from './fixtures';

let browser: Browser;
const s = sessions();
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(() => s.close());

const backstory = (p: Page) => p.getByLabel('Backstory');

/** Type into the backstory at its start or its end, key by key. */
async function typeAt(p: Page, where: 'start' | 'end', text: string, box = backstory(p)) {
  await box.focus();
  await p.keyboard.press(where === 'start' ? 'Control+Home' : 'Control+End');
  await p.keyboard.type(text, { delay: 15 });
}

async function save(p: Page) {
  await p.getByRole('button', { name: 'Save changes' }).click();
}

describe('two pages typing into one backstory', () => {
  it('merge per character; unsaved typing is never replaced by the other page’s save', async () => {
    const { page: one } = await s.open(browser);
    await generateDraft(one, 'a weathered half-elf sailor who charts forgotten coasts');
    await one.getByRole('button', { name: 'Finalize' }).click();
    await one.getByTestId('character-name').waitFor();
    await one.getByRole('tab', { name: 'Story', exact: true }).click();
    await backstory(one).waitFor();
    const original = await backstory(one).inputValue();
    expect(original.length).toBeGreaterThan(20);

    // The second page opens the same character's story at its address.
    const two = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      await two.goto(one.url());
      await backstory(two).waitFor();
      expect(await backstory(two).inputValue()).toBe(original);

      // Both type at once: page one at the start, page two at the end.
      await Promise.all([typeAt(one, 'start', 'ANA-WROTE-FIRST. '), typeAt(two, 'end', ' BEN-WROTE-LAST.')]);
      // Page one saves; page two, still unsaved, gets page one's words added to its own.
      await save(one);
      await expect
        .poll(() => backstory(two).inputValue(), { timeout: 15_000, interval: 200 })
        .toBe(`ANA-WROTE-FIRST. ${original} BEN-WROTE-LAST.`);
      await two.getByRole('status').filter({ hasText: 'changed elsewhere' }).waitFor();
      expect(await axeViolations(two)).toEqual([]);
      // Page two saves: both pages show everything.
      await save(two);
      const both = `ANA-WROTE-FIRST. ${original} BEN-WROTE-LAST.`;
      await expect.poll(() => backstory(one).inputValue(), { timeout: 15_000, interval: 200 }).toBe(both);
      await expect.poll(() => backstory(two).inputValue(), { timeout: 15_000, interval: 200 }).toBe(both);

      // Again, and this time both save at the same moment, in the middle of each other's words.
      await Promise.all([typeAt(one, 'end', ' Ana again.'), typeAt(two, 'start', 'Ben again. ')]);
      await Promise.all([save(one), save(two)]);
      const final = `Ben again. ${both} Ana again.`;
      await expect.poll(() => backstory(one).inputValue(), { timeout: 15_000, interval: 200 }).toBe(final);
      await expect.poll(() => backstory(two).inputValue(), { timeout: 15_000, interval: 200 }).toBe(final);

      // Lore merges the same way, each entry with its own save.
      const loreForm = (p: Page) => p.getByRole('form', { name: /^Lore: / }).first();
      const lore = (p: Page) => loreForm(p).getByRole('textbox');
      const loreBefore = await lore(one).inputValue();
      await Promise.all([
        typeAt(one, 'start', 'ANA-LORE ', lore(one)),
        typeAt(two, 'end', ' BEN-LORE', lore(two)),
      ]);
      await loreForm(one)
        .getByRole('button', { name: /^Save .* lore$/ })
        .click();
      const loreBoth = `ANA-LORE ${loreBefore} BEN-LORE`;
      await expect.poll(() => lore(two).inputValue(), { timeout: 15_000, interval: 200 }).toBe(loreBoth);
      await loreForm(two)
        .getByRole('button', { name: /^Save .* lore$/ })
        .click();
      await expect.poll(() => lore(one).inputValue(), { timeout: 15_000, interval: 200 }).toBe(loreBoth);
      expect(await axeViolations(one)).toEqual([]);

      // What is stored: a reload shows the merged text; the history has the save points.
      await one.reload();
      await expect.poll(() => backstory(one).inputValue(), { timeout: 15_000, interval: 200 }).toBe(final);
      await one.getByRole('tab', { name: 'History', exact: true }).click();
      const commits = one.getByRole('list', { name: 'Commits, newest first' });
      await commits.waitFor();
      expect(await commits.getByText('rewrite backstory', { exact: true }).count()).toBeGreaterThanOrEqual(2);
    } finally {
      await two.close();
    }
  });
});
