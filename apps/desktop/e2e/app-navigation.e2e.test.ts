/**
 * Navigation: every screen and open character has a URL; reload and Back keep the place; focus moves to the new
 * screen's heading; the page without its token explains where the right URL is. axe finds nothing on any screen.
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

const hashOf = (url: string) => new URL(url).hash;

describe('navigation', () => {
  it('every screen has a URL, focus lands on its heading, reload and Back keep the place', async () => {
    const { page, web } = await s.open(browser);
    expect(hashOf(page.url())).toBe('#/campaigns');
    expect(await axeViolations(page)).toEqual([]);

    for (const [label, hash, heading] of [
      ['SRD', '#/srd', 'SRD browser'],
      ['Settings', '#/settings', 'Settings'],
      ['Drafts', '#/drafts', 'Drafts'],
      ['New character', '#/create', 'New character'],
    ] as const) {
      await nav(page, label).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(hashOf(page.url())).toBe(hash);
      await expect.poll(() => focused(page)).toBe(`H1 ${heading}`);
      expect(await axeViolations(page)).toEqual([]);
    }

    // A draft has its own URL, and a reload brings it back with its conversation.
    const name = await generateDraft(page, 'a one-eyed gnome tinkerer who builds clockwork birds');
    await expect.poll(() => hashOf(page.url())).toMatch(/^#\/drafts\/.+/);
    const draftUrl = page.url();
    await page.reload();
    await expect(page.getByTestId('draft-name').textContent()).resolves.toBe(name);
    await expect(page.getByRole('list', { name: 'Conversation' }).textContent()).resolves.toContain(
      'clockwork birds',
    );
    expect(await axeViolations(page)).toEqual([]);

    // The finalized character and each of its tabs have URLs.
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();
    const charHash = hashOf(page.url());
    expect(charHash).toMatch(/^#\/characters\/[^/]+$/);
    await expect.poll(() => focused(page)).toBe(`H1 ${name}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    expect(hashOf(page.url())).toBe(`${charHash}/history`);
    await page.getByRole('list', { name: 'Commits, newest first' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('list', { name: 'Commits, newest first' }).waitFor();
    await expect(
      page.getByRole('tab', { name: 'History', exact: true }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await expect(page.getByTestId('character-name').textContent()).resolves.toBe(name);

    // Back walks the app's own places (never about:blank).
    await page.goBack();
    await expect.poll(() => hashOf(page.url())).toBe(charHash);
    await expect(
      page.getByRole('tab', { name: 'Sheet', exact: true }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.goBack();
    await expect.poll(() => page.url()).toBe(draftUrl);
    await page.getByTestId('draft-name').waitFor();
    await page.goBack();
    await expect.poll(() => hashOf(page.url())).toBe('#/create');
    await page.getByRole('heading', { level: 1, name: 'New character' }).waitFor();
    await page.goBack();
    await expect.poll(() => hashOf(page.url())).toBe('#/drafts');
    await page.goForward();
    await expect.poll(() => hashOf(page.url())).toBe('#/create');
    expect(page.url().startsWith(`http://127.0.0.1:${web.port}/`)).toBe(true);

    // Settings and campaigns survive a reload too.
    await nav(page, 'Settings').click();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await nav(page, 'Campaigns').click();
    await page.getByRole('button', { name: /Library/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    const campaignHash = hashOf(page.url());
    expect(campaignHash).toMatch(/^#\/campaigns\/.+/);
    await expect.poll(() => focused(page)).toBe('H1 Library');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    await page.getByRole('list', { name: 'Characters' }).getByRole('button', { name }).click();
    await page.getByTestId('character-name').waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // An address naming no character says so (instead of loading forever).
    await page.goto(`${web.url}#/characters/no-such-character`);
    await page.getByRole('heading', { level: 1, name: 'Character not found' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('without its token the page explains that the terminal URL carries one; a wrong token says it expired', async () => {
    const { page, web } = await s.open(browser);
    await page.goto(`http://127.0.0.1:${web.port}/`);
    await page.getByRole('heading', { level: 1, name: 'Open Loreforge from its link' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('printed in the terminal');
    expect(text).toContain('?token=');
    await page.waitForTimeout(1500);
    await expect(page.locator('.notice').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`http://127.0.0.1:${web.port}/?token=not-the-token`);
    await page.getByRole('heading', { level: 1, name: 'This link has expired' }).waitFor();
    await expect(page.locator('.notice').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The app open when Loreforge stops: after a few reconnects it says the link has expired (a new start makes a
    // new token) instead of piling up "lost the connection" notices.
    await page.goto(web.url);
    await page.getByRole('list', { name: 'Campaign list' }).waitFor();
    await web.stop();
    await page.getByRole('heading', { level: 1, name: 'This link has expired' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.notice').count()).toBeLessThanOrEqual(1);
  });
});
