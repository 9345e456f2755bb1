/** The Journals screen in e2e tests: open it, create a journal, and the rich-text editor of the open journal. */
import type { Page } from 'playwright-core';
import { nav } from './table-fixture';

export async function openJournals(page: Page, campaign = 'Saltmarsh') {
  await nav(page, 'Campaigns');
  await page
    .getByRole('button', { name: new RegExp(`^${campaign}`) })
    .first()
    .click();
  await page.getByRole('button', { name: 'Journals', exact: true }).click();
  await page.getByRole('heading', { name: 'Journals', exact: true }).waitFor();
}

export async function newJournal(page: Page, title: string, opts: { private?: boolean } = {}) {
  const form = page.getByRole('form', { name: 'New journal' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Session').fill('1');
  if (opts.private) await form.getByRole('checkbox', { name: /Private/ }).check();
  await form.getByRole('button', { name: 'New journal' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  await journalText(page).waitFor();
}

/** The open journal's editor (a contenteditable textbox). */
export const journalText = (page: Page) => page.getByRole('textbox', { name: 'Journal text' });

/**
 * Replace the open journal's text with `text` (typed in the import syntax: `@Name`, `@[Name](new:npc)`), then
 * "Resolve mentions" turns those into mention nodes.
 */
export async function writeAndResolve(page: Page, text: string) {
  const box = journalText(page);
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Resolve mentions' }).click();
}
