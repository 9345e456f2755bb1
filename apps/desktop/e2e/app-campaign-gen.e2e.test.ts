/**
 * Issue 13 in the app, offline: a pitch → a checked outline → a chapter opened from the outline drawing, its goal
 * edited and a new choice added (a structural change by hand, checked) → a session journal → adaptation proposals
 * accepted → an evolved nemesis → the next session's prep (with its Markdown download). axe finds nothing on each
 * screen. (The same flow with a model: app-campaign-gen-model.e2e.test.ts.)
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, nav, sessions } from './app-helpers';
import { launchChromium } from './browser';
import { acceptStoryProposals, evolveNemesis, lieutenantName, saveJournal } from './campaign-gen-steps';
import { generateDraft } from './fixtures';

let browser: Browser;
const s = sessions();
/** Each step waits for core (a reload also re-estimates every foe's CR); the machine is shared. */
const T = { timeout: 30_000 };
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(() => s.close());

describe('campaign generation in the app', () => {
  it('pitch to next session prep, offline', async () => {
    const { page } = await s.open(browser);

    // A player character in the library, to be the party.
    const name = await generateDraft(page, 'a stubborn dwarf lamplighter who hates the dark');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();

    // The pitch form.
    await nav(page, 'Campaigns').click();
    await page.getByRole('button', { name: 'New campaign from a pitch…' }).click();
    await page.getByRole('heading', { level: 1, name: 'New campaign from a pitch' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/pitch');
    await page
      .getByLabel('Pitch', { exact: true })
      .fill('A drowned bell tolls under the harbour and the dead walk the docks');
    await page.getByRole('checkbox', { name }).check();
    await page.getByRole('combobox', { name: /^Theme/ }).selectOption('gothic horror');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Generate campaign' }).click();

    // The checked outline, as a graph of chapters and choices.
    const graph = page.getByRole('list', { name: 'Chapter graph' });
    await graph.waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/campaigns\/[^/]+\/story$/);
    await expect(page.getByLabel('Check', { exact: true }).textContent()).resolves.toContain('Check passed');
    const chapters = await graph.locator(':scope > li').count();
    expect(chapters).toBeGreaterThanOrEqual(3);
    expect(await axeViolations(page)).toEqual([]);

    // The chapter editor, opened from the drawing: the first chapter's goal changed by hand.
    const firstTitle = (await graph.locator(':scope > li').first().getByRole('button').textContent()) ?? '';
    const lastTitle = (await graph.locator(':scope > li').last().getByRole('button').textContent()) ?? '';
    await page
      .getByRole('group', { name: /^Outline drawing/ })
      .getByRole('button', { name: `Open chapter ${firstTitle} (start)` })
      .click();
    await page.getByRole('heading', { level: 2, name: `Chapter: ${firstTitle}` }).waitFor();
    await page.getByRole('textbox', { name: /^Goal/ }).fill('Find who rings the drowned bell');
    await page.getByRole('button', { name: 'Save chapter' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Save chapter' }).isDisabled(), T).toBe(true);
    await expect(page.getByRole('textbox', { name: /^Goal/ }).inputValue()).resolves.toBe(
      'Find who rings the drowned bell',
    );
    expect(await axeViolations(page)).toEqual([]);

    // A structural change by hand: a new choice from the first chapter straight to the last one (a shortcut that
    // rejoins the story); the check still passes and the drawing has one more arrow.
    const arrows = await page.locator('[data-edge]').count();
    await page.getByRole('textbox', { name: 'New choice', exact: true }).fill('Take the drowned stair');
    await page.getByRole('combobox', { name: 'New choice leads to' }).selectOption({ label: lastTitle });
    await page.getByRole('button', { name: 'Save chapter' }).click();
    await expect
      .poll(() => graph.getByRole('list', { name: `Choices of ${firstTitle}` }).textContent(), T)
      .toContain('Take the drowned stair');
    await expect.poll(() => page.locator('[data-edge]').count(), T).toBe(arrows + 1);
    await expect(page.getByLabel('Check', { exact: true }).textContent()).resolves.toContain('Check passed');

    // Session 1's journal: a lieutenant defeated, fire used.
    const lieutenant = await lieutenantName(page);
    expect(lieutenant).not.toBe('');
    await saveJournal(
      page,
      `We played "${firstTitle}". We defeated ${lieutenant} and burned the chapel with fire.`,
    );

    // Adaptation review: the proposals, each accepted.
    await page.getByRole('button', { name: 'Propose adaptations' }).click();
    const proposals = page.getByRole('list', { name: 'Proposals' });
    await proposals.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // Story changes accepted; the nemesis's are left to its evolution (rejected here).
    await acceptStoryProposals(page, proposals);
    await expect(proposals.getByText('applied').count()).resolves.toBeGreaterThan(0);
    await expect.poll(() => graph.locator(':scope > li').first().textContent(), T).toContain('played');

    // The nemesis evolves from the session.
    await evolveNemesis(page);
    expect(await axeViolations(page)).toEqual([]);

    // The next session's prep, with ten sourced secrets and a Markdown download.
    await page.getByRole('button', { name: 'Prep next session' }).click();
    await page.getByRole('heading', { level: 2, name: /^Prep for session 2/ }).waitFor();
    await expect(
      page.getByRole('list', { name: 'Secrets and clues' }).locator(':scope > li').count(),
    ).resolves.toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Markdown' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('prep-session-2.md');
  });
});
