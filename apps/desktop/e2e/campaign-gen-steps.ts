/**
 * Steps the campaign-generation e2e tests (offline and with a model) take the same way on the Story screen:
 * reading the lieutenant, saving a session's journal, answering the adaptation proposals, evolving the nemesis.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

const T = { timeout: 30_000 };

/** The name in the nemesis Tiers table's second row (the first lieutenant). */
export async function lieutenantName(page: Page): Promise<string> {
  return (
    (await page
      .getByRole('table', { name: 'Tiers' })
      .locator('tbody tr')
      .nth(1)
      .locator('td')
      .nth(1)
      .textContent()) ?? ''
  );
}

/** Writes the session's journal and saves it (the button turns disabled once saved). */
export async function saveJournal(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /^Journal/ }).fill(text);
  await page.getByRole('button', { name: 'Save journal' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Save journal' }).isDisabled(), T).toBe(true);
}

/** Accepts every open story proposal in `proposals` and rejects the nemesis's (left to its evolution). */
export async function acceptStoryProposals(page: Page, proposals: Locator): Promise<void> {
  const open = proposals.locator(':scope > li', { has: page.getByRole('button', { name: /^Accept / }) });
  const n = await open.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const item = open.first();
    const kind = (await item.locator('strong').textContent()) ?? '';
    await item.getByRole('button', { name: kind === 'nemesis' ? /^Reject / : /^Accept / }).click();
    await expect.poll(() => open.count(), T).toBe(n - i - 1);
  }
}

/** Evolves the nemesis from session 1 and waits for its changes. */
export async function evolveNemesis(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Evolve nemesis' }).click();
  await page.getByRole('list', { name: 'Evolution changes' }).waitFor(T);
  await expect.poll(() => page.getByText('Evolved after session 1.').count(), T).toBe(1);
}
