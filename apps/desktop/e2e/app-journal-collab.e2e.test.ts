/**
 * Collaborative rich-text journals (issue 10 item 2) in two apps at one table (a DM and a player, two data
 * folders, one real relay): the DM creates an NPC stub from the `@` menu's "Create NPC" item; the player's journal
 * is open on both pages and both type into its paragraph at the same time — both pages end with every character
 * each typed; a mention the player picks from the `@` menu becomes a mention node and a backlink of the entity.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './app-helpers';
import { journalText, newJournal, openJournals } from './journal-editor';
import { nav, useTable } from './table-fixture';

const table = useTable();
const openApp = () => table.openApp(undefined, { bypassCSP: true });
const mentionMenu = (p: Page) => p.getByRole('list', { name: 'Mention suggestions' });

describe('two people in one rich-text journal', () => {
  it('type at the same time and merge per character; an @ mention becomes a backlink', async () => {
    const dm = await openApp();
    await table.saveRelaySettings(dm, 'dungeon-master', true);
    await nav(dm, 'Campaigns');
    await dm.getByLabel('Campaign name').fill('Saltmarsh');
    await dm.getByRole('button', { name: 'Create campaign' }).click();
    await dm.getByRole('heading', { name: 'Saltmarsh' }).waitFor();

    // The DM's recap: "@Gregor" offers "Create NPC “Gregor”", which creates the stub and inserts its mention.
    await openJournals(dm);
    await newJournal(dm, 'DM recap 1');
    const recap = journalText(dm);
    await recap.click();
    await dm.keyboard.type('We hired @Gregor', { delay: 10 });
    await mentionMenu(dm).getByRole('button', { name: 'Create NPC “Gregor”' }).click();
    await expect.poll(() => recap.locator('.mention').allTextContents()).toEqual(['@Gregor']);
    await dm.keyboard.type('for 200 gold.', { delay: 10 });
    await expect.poll(() => recap.textContent()).toBe('We hired @Gregor for 200 gold.');

    // Ana joins the campaign.
    const ana = await table.join('ana', await table.invite(dm, /^Saltmarsh/, 'ana'), { bypassCSP: true });
    await nav(ana, 'Campaigns');
    await ana
      .getByRole('button', { name: /^Saltmarsh/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await openJournals(ana);

    // Ana's journal, opened on the DM's page too.
    await newJournal(ana, 'Ana, session 1');
    const mine = journalText(ana);
    await mine.click();
    await ana.keyboard.type('The duke paid us.', { delay: 10 });
    await openJournals(dm);
    const rows = dm.getByRole('table', { name: 'Journal list' });
    await rows.getByRole('button', { name: 'Ana, session 1' }).waitFor({ timeout: 20_000 });
    await rows.getByRole('button', { name: 'Ana, session 1' }).click();
    const theirs = journalText(dm);
    await expect.poll(() => theirs.textContent(), { timeout: 20_000 }).toBe('The duke paid us.');

    // Both type into the same paragraph at once: Ana at its end, the DM at its start.
    await theirs
      .locator('p')
      .first()
      .click({ position: { x: 1, y: 4 } });
    await dm.keyboard.press('Home');
    await mine.click();
    await ana.keyboard.press('Control+End');
    const caret = (p: Page) =>
      p.evaluate(() => {
        const s = window.getSelection();
        return s ? `${s.anchorNode?.textContent ?? ''}@${s.anchorOffset}` : 'none';
      });
    expect(await caret(dm)).toBe('The duke paid us.@0');
    await Promise.all([
      ana.keyboard.type(' Then we left at dawn.', { delay: 40 }),
      dm.keyboard.type('Late at night, ', { delay: 40 }),
    ]);
    const merged = 'Late at night, The duke paid us. Then we left at dawn.';
    for (const box of [mine, theirs])
      await expect.poll(() => box.textContent(), { timeout: 20_000 }).toBe(merged);

    // Ana mentions Gregor through the @ menu (ranked suggestions): a mention node, and a backlink.
    await mine.click();
    await ana.keyboard.press('Control+End');
    await ana.keyboard.type(' We met @Greg', { delay: 10 });
    await mentionMenu(ana)
      .getByRole('button', { name: /^Gregor/ })
      .click();
    await expect.poll(() => mine.locator('.mention').allTextContents()).toEqual(['@Gregor']);
    await expect
      .poll(() => theirs.locator('.mention').allTextContents(), { timeout: 20_000 })
      .toEqual(['@Gregor']);
    const search = dm.getByRole('region', { name: 'Search' });
    await search.getByLabel('Search the campaign').fill('Gregor');
    await search.getByRole('button', { name: 'Search' }).click();
    await search
      .getByRole('list', { name: 'Search results' })
      .getByRole('button', { name: 'Gregor' })
      .first()
      .click();
    const backlinks = dm.getByRole('list', { name: 'Backlinks' });
    await expect
      .poll(async () => (await backlinks.textContent()) ?? '', { timeout: 20_000 })
      .toContain('Ana, session 1');
    expect((await backlinks.textContent()) ?? '').toContain('DM recap 1');

    expect(await axeViolations(dm)).toEqual([]);
  });
});
