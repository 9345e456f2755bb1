/**
 * Drafts with a life cycle (listed, resumed after a reload with their conversation, discarded; the library shows
 * finished characters unless asked) and the SRD browser (exact names first, CR fractions, every CR in the filter,
 * entries as a player reads them, the open entry in the URL).
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, focused, nav, sessions } from './app-helpers';
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

describe('drafts', () => {
  it('are listed, resumed with their conversation, discarded, and kept out of the library by default', async () => {
    const { page } = await s.open(browser);
    page.on('dialog', (d) => void d.accept());
    const first = await generateDraft(page, 'a nervous elven herbalist who fears the dark');
    await page.getByRole('textbox', { name: 'Feedback', exact: true }).fill('rename to Ilyra Fenwhistle');
    await page.getByRole('button', { name: 'Refine' }).click();
    await page.getByRole('group', { name: 'Changes from feedback 1' }).waitFor();
    const second = await generateDraft(page, 'a booming dragonborn herald of a storm god');
    const done = await generateDraft(page, 'a silent human ranger of the high moors');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();
    expect(first).not.toBe('Ilyra Fenwhistle');

    // The library lists finished characters; drafts on request.
    await nav(page, 'Campaigns').click();
    await page.getByRole('button', { name: /Library/ }).click();
    const list = page.getByRole('list', { name: 'Characters' });
    await list.getByRole('button', { name: done }).waitFor();
    await expect(list.getByRole('listitem').count()).resolves.toBe(1);
    await page.getByLabel('Show drafts (2)').check();
    await list.getByRole('button', { name: second }).waitFor();
    await expect(list.getByRole('listitem').count()).resolves.toBe(3);

    // The drafts screen; a reload in the middle; resume brings the conversation back.
    await nav(page, 'Drafts').click();
    await page.reload();
    const drafts = page.getByRole('list', { name: 'Draft list' });
    await drafts.getByRole('listitem', { name: 'Ilyra Fenwhistle' }).waitFor();
    await expect(drafts.getByRole('listitem').count()).resolves.toBe(2);
    await expect(drafts.getByRole('listitem', { name: 'Ilyra Fenwhistle' }).textContent()).resolves.toContain(
      '2 revisions',
    );
    expect(await axeViolations(page)).toEqual([]);
    await drafts
      .getByRole('listitem', { name: 'Ilyra Fenwhistle' })
      .getByRole('button', { name: 'Resume' })
      .click();
    await expect(page.getByTestId('draft-name').textContent()).resolves.toBe('Ilyra Fenwhistle');
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await expect(conversation.textContent()).resolves.toContain(
      'a nervous elven herbalist who fears the dark',
    );
    await expect(conversation.textContent()).resolves.toContain('rename to Ilyra Fenwhistle');
    await expect(
      page.getByRole('group', { name: 'Changes from feedback 1' }).textContent(),
    ).resolves.toContain(`now: Ilyra Fenwhistle`);
    await expect(page.getByText(/^Revision 2/).count()).resolves.toBe(1);
    // It can go on: refine again after the resume.
    await page.getByRole('textbox', { name: 'Feedback', exact: true }).fill('add trident');
    await page.getByRole('button', { name: 'Refine' }).click();
    await page.getByRole('group', { name: 'Changes from feedback 2' }).waitFor();

    // Discard from the list.
    await nav(page, 'Drafts').click();
    await drafts.getByRole('button', { name: `Discard ${second}` }).click();
    await page.getByText(`Draft “${second}” discarded.`).waitFor();
    await expect.poll(() => drafts.getByRole('listitem').count()).toBe(1);
    // Discard from the draft itself.
    await drafts.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Drafts' }).waitFor();
    await page.getByText('No drafts.').waitFor();
    await nav(page, 'Campaigns').click();
    await page.getByRole('button', { name: /Library/ }).click();
    await list.getByRole('button', { name: done }).waitFor();
    await expect(page.getByLabel(/Show drafts/).count()).resolves.toBe(0);
  });
});

describe('SRD browser', () => {
  it('ranks exact names first, filters every CR, shows entries as a player reads them, keeps them in the URL', async () => {
    const { page } = await s.open(browser);
    await nav(page, 'SRD').click();
    const search = page.getByRole('searchbox', { name: 'Search' });
    const results = page.getByRole('list', { name: 'Results' });
    const firstTitle = () => results.locator('.title').first().textContent();
    for (const [q, want] of [
      ['longsword', 'Longsword'],
      ['chain mail', 'Chain Mail'],
      ['fireball', 'Fireball'],
    ] as const) {
      await search.fill(q);
      await expect.poll(firstTitle).toBe(want);
    }

    // Challenge ratings: every value, fractions as fractions.
    await search.fill('');
    await page.getByLabel('Type').selectOption('creature');
    const cr = page.getByLabel('Challenge rating');
    await expect
      .poll(() => cr.locator('option').allTextContents())
      .toEqual(expect.arrayContaining(['Any', '0', '1/8', '1/4', '1/2', '1', '10', '21', '30']));
    await cr.selectOption({ label: '1/8' });
    await expect.poll(() => results.locator('.muted').first().textContent()).toContain('CR 1/8');
    const summaries = await results.locator('.muted.block').allTextContents();
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((t) => t.includes('CR 1/8'))).toBe(true);
    await cr.selectOption({ label: '30' });
    await expect.poll(() => results.locator('.title').allTextContents()).toContain('Tarrasque');
    await cr.selectOption('');

    // A stat block; the heading takes focus; the URL keeps it over a reload; Back closes it.
    await search.fill('owlbear');
    await expect.poll(firstTitle).toBe('Owlbear');
    await results.getByRole('button').first().click();
    const entry = page.getByRole('article', { name: 'Details' });
    await entry.getByRole('heading', { name: 'Owlbear' }).waitFor();
    await expect.poll(() => focused(page)).toBe('H2 Owlbear');
    await expect(entry.getByLabel(/^Armor Class: \d+$/).count()).resolves.toBe(1);
    expect(new URL(page.url()).hash).toMatch(/^#\/srd\/creature\/owlbear\?/);
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('article', { name: 'Details' }).getByRole('heading', { name: 'Owlbear' }).waitFor();
    await expect(page.getByRole('searchbox', { name: 'Search' }).inputValue()).resolves.toBe('owlbear');
    await page.goBack();
    await expect.poll(() => page.getByRole('article', { name: 'Details' }).count()).toBe(0);

    // A spell card and a class page, no raw data.
    await page.getByLabel('Type').selectOption('spell');
    await search.fill('fireball');
    await expect.poll(firstTitle).toBe('Fireball');
    await results.getByRole('button').first().click();
    await entry.getByRole('heading', { name: 'Fireball' }).waitFor();
    const card = (await entry.textContent()) ?? '';
    expect(card).toContain('3rd-level evocation');
    expect(card).toContain('Casting time1 action');
    expect(card).toContain('Saving throwDexterity');
    expect(card).not.toMatch(/[{}[\]"]/);
    await page.getByLabel('Type').selectOption('class');
    await search.fill('wizard');
    await expect.poll(firstTitle).toBe('Wizard');
    await results.getByRole('button').first().click();
    await entry.getByRole('heading', { name: 'Wizard' }).waitFor();
    await expect(entry.getByRole('table').locator('tbody tr').count()).resolves.toBe(20);
    expect(await axeViolations(page)).toEqual([]);
  });
});
