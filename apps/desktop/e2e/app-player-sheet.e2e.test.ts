/**
 * The sheet for players (issue 14 item 7): a wizard who carries a longsword sees a warning next to that attack
 * (no proficiency), the features gained at each level up to 5, the spells with their cards and the inventory.
 */
import { createCore, type Core } from '@loreforge/core';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './app-helpers';
import { launchChromium } from './browser';
import { startWeb, tempDataDir, type WebProcess } from './fixtures';

let browser: Browser;
const stops: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('the sheet for players', () => {
  it('shows features by level, spell cards, the inventory and a proficiency warning', async () => {
    const tmp = tempDataDir('lf-player-sheet-');
    stops.push(tmp.cleanup);
    const core: Core = await createCore({ dataDir: tmp.dir });
    const { id } = await core.characters.import({
      ...EXAMPLE_BUILD,
      name: 'Aria Swordwhisper',
      equipment: [
        { item: 'quarterstaff', equipped: true },
        { item: 'longsword', equipped: true },
        { item: 'spellbook' },
      ],
    });
    await core.close();
    const web: WebProcess = await startWeb(tmp.dir);
    stops.push(() => web.stop());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    stops.push(() => page.close());
    await page.goto(`${web.url}#/characters/${id}`);
    await page.getByTestId('character-name').filter({ hasText: 'Aria Swordwhisper' }).waitFor();

    // The longsword (martial) lacks proficiency; the quarterstaff (simple) does not.
    const attacks = page.getByRole('region', { name: 'Attacks' });
    const longsword = attacks.getByRole('row').filter({ hasText: 'Longsword' });
    await expect(longsword.textContent()).resolves.toContain('Not proficient: no proficiency bonus to hit');
    const staff = attacks.getByRole('row').filter({ hasText: 'Quarterstaff' });
    await expect(staff.textContent()).resolves.not.toContain('Not proficient');

    // Features by level, up to level 5.
    const features = page.getByRole('region', { name: 'Features by level' });
    await features.getByRole('listitem', { name: 'Level 5' }).waitFor();
    await expect(features.getByRole('listitem', { name: 'Level 3' }).textContent()).resolves.toContain(
      'Evocation Savant',
    );
    expect(await features.getByRole('listitem', { name: 'Level 6' }).count()).toBe(0);

    // Spells with their cards.
    const spells = page.getByRole('region', { name: 'Spells' });
    await spells
      .locator('summary')
      .filter({ hasText: /^Fireball/ })
      .click();
    const card = spells.getByRole('article', { name: 'Fireball card' });
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/Casting time.*Range/);

    // The inventory with weights and a total.
    const inventory = page.getByRole('region', { name: 'Inventory' });
    await expect(
      inventory.getByRole('row').filter({ hasText: 'Longsword' }).textContent(),
    ).resolves.toContain('Equipped');
    await expect(inventory.locator('tfoot').textContent()).resolves.toContain('10 lb.');
    expect(await axeViolations(page)).toEqual([]);
  });
});
