/**
 * Readable changes, one renderer everywhere: a refine that swaps one item for another is one row; a backstory
 * edit shows its words with the changed ones marked in the history diff; a merge where both branches renamed the
 * character lists the conflict with the same rows. Notices dismiss themselves.
 */
import type { Browser } from 'playwright-core';
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

describe('readable changes', () => {
  it('refine swaps, history word diffs and merge conflicts read by meaning', async () => {
    const { page } = await s.open(browser);
    await generateDraft(page, 'a stern human knight sworn to a fallen order');
    const feedback = page.getByRole('textbox', { name: 'Feedback', exact: true });
    await feedback.fill('add light hammer');
    await page.getByRole('button', { name: 'Refine' }).click();
    await page.getByRole('group', { name: 'Changes from feedback 1' }).waitFor();
    await feedback.fill('replace light hammer with trident');
    await page.getByRole('button', { name: 'Refine' }).click();
    const second = page.getByRole('group', { name: 'Changes from feedback 2' });
    await second.waitFor();
    // One row for the swap, in words, under Equipment; no JSON pointers anywhere.
    const equipment = second.getByRole('group', { name: 'Equipment' });
    await expect(equipment.getByRole('listitem').count()).resolves.toBe(1);
    await expect(equipment.getByRole('listitem').textContent()).resolves.toBe(
      'was: Light Hammer → now: Trident',
    );
    await expect(second.locator('summary').textContent()).resolves.toContain('swap light hammer for trident');
    await expect(page.getByRole('list', { name: 'Conversation' }).textContent()).resolves.not.toMatch(
      /\/build\//,
    );
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();
    // Words, not ids: the character line and the skills read as the book writes them.
    const line = ((await page.getByTestId('character-line').textContent()) ?? '').split(' · branch')[0] ?? '';
    expect(line).toMatch(/^[A-Z][a-z]+/);
    expect(line).not.toMatch(/\b[a-z]+-[a-z]+\b|· [a-z]/);
    const skills = page.getByRole('region', { name: 'Skills' });
    await expect(skills.getByText(/^Sleight of Hand/).count()).resolves.toBe(1);
    await expect(skills.textContent()).resolves.not.toMatch(/Of Hand|sleight-of-hand/);

    // A backstory edit on a branch, then a rename on both branches: the merge shows the conflict.
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const commits = page.getByRole('list', { name: 'Commits, newest first' });
    await commits.waitFor();
    await commits
      .getByRole('button', { name: /^Branch from / })
      .first()
      .click();
    await page.getByLabel('Branch name').fill('what-if');
    await page.getByRole('button', { name: 'Create branch' }).click();
    const created = page.getByText('Branch "what-if" created.');
    await created.waitFor();
    await page.getByRole('tab', { name: 'Story', exact: true }).click();
    const old = (await page.getByLabel('Backstory').inputValue()) ?? '';
    const words = old.split(' ');
    expect(words.length).toBeGreaterThan(6);
    const edited = [...words.slice(0, 3), 'stormbound', ...words.slice(4)].join(' ');
    await page.getByLabel('Backstory').fill(edited);
    await page.getByLabel('Name').fill('Sir Aldric Vane');
    await page.getByLabel('On branch').selectOption('what-if');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByLabel('Name').fill('Dame Elowen Marsh');
    await page.getByLabel('On branch').selectOption('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Saved on main: the heading follows; the same notice again is never shown twice.
    await page.getByTestId('character-name').filter({ hasText: 'Dame Elowen Marsh' }).waitFor();
    expect(await page.getByText('Saved.').count()).toBe(1);

    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const merge = page.getByRole('form', { name: 'Merge' });
    await merge.getByLabel('Merge branch').selectOption('what-if');
    await merge.getByLabel('into').selectOption('main');
    await merge.getByRole('button', { name: 'Merge' }).click();
    const conflicts = page.getByRole('region', { name: 'Merge conflicts' });
    await conflicts.waitFor();
    const nameConflict = conflicts.getByRole('group', { name: 'Conflict at Name' });
    await expect(nameConflict.textContent()).resolves.toContain('main: Dame Elowen Marsh');
    await expect(nameConflict.textContent()).resolves.toContain('what-if: Sir Aldric Vane');
    expect(await axeViolations(page)).toEqual([]);

    // Commit messages say what changed.
    const messages = await commits.locator('.msg').allTextContents();
    expect(messages).toContain('refine: swap light hammer for trident');
    expect(messages.some((m) => /^rename .+ to Sir Aldric Vane, rewrite backstory$/.test(m))).toBe(true);
    expect(messages.join('\n')).not.toMatch(/via offline|tokens|repairs\)/);

    // The diff from the first commit to the merge: backstory words marked, sections named.
    const items = commits.getByRole('listitem');
    await items
      .last()
      .getByRole('radio', { name: /^Diff from / })
      .check();
    await items
      .first()
      .getByRole('radio', { name: /^Diff to / })
      .check();
    await page.getByRole('button', { name: 'Diff A → B' }).click();
    const diff = page.getByRole('region', { name: 'Diff' });
    await diff.waitFor();
    const story = diff.getByRole('group', { name: 'Backstory' });
    await expect(story.locator('ins').allTextContents()).resolves.toContain('[added: stormbound]');
    await expect(story.locator('del').count()).resolves.toBeGreaterThan(0);
    await expect(diff.textContent()).resolves.not.toMatch(/\/narrative|\/build/);
    expect(await axeViolations(page)).toEqual([]);

    // Notices go away by themselves.
    await expect.poll(() => page.locator('.notice').count(), { timeout: 15_000 }).toBe(0);
  });
});
