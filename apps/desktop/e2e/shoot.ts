/**
 * Dev tool: screenshots of the main screens against a running web-mode URL (for looking at the UI).
 * `tsx e2e/shoot.ts URL OUT_DIR`
 */
import { join } from 'node:path';
import { launchChromium } from './browser';
import { generateDraft } from './fixtures';

const [url, out] = process.argv.slice(2) as [string, string];
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(url);
await page.getByRole('list', { name: 'Campaign list' }).waitFor();
await generateDraft(page, 'a tiefling warlock who made a pact with a drowned god');
await page.getByLabel('Feedback').fill('rename to Ysolde Marr');
await page.getByRole('button', { name: 'Refine' }).click();
await page.getByRole('group', { name: 'Changes from feedback 1' }).waitFor();
await page.screenshot({ path: join(out, 'draft.png'), fullPage: true });
await page.getByRole('button', { name: 'Finalize' }).click();
await page.getByTestId('character-name').waitFor();
await page.getByRole('button', { name: /^Armor Class: / }).hover();
await page.screenshot({ path: join(out, 'sheet.png') });
await page.getByRole('tab', { name: 'History', exact: true }).click();
await page.screenshot({ path: join(out, 'history.png') });
await page.getByRole('button', { name: /theme/ }).click();
await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'SRD' }).click();
await page.getByRole('searchbox', { name: 'Search' }).fill('owlbear');
await page.waitForTimeout(800);
await page.getByRole('list', { name: 'Results' }).getByRole('button').first().click();
await page.waitForTimeout(300);
await page.screenshot({ path: join(out, 'srd-dark.png') });
await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
await page.getByRole('region', { name: 'Sync' }).waitFor();
await page.screenshot({ path: join(out, 'settings-dark.png'), fullPage: true });
await page.getByRole('button', { name: /theme/ }).click();
await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New character' }).click();
await page.getByLabel('Character concept').fill('an ancient bog hag who trades curses for teeth');
await page.getByLabel('Kind').selectOption('monster');
await page.getByLabel('Target CR').selectOption('8');
await page.getByRole('button', { name: 'Generate' }).click();
await page.getByRole('region', { name: 'Challenge' }).waitFor();
await page.screenshot({ path: join(out, 'monster-draft.png'), fullPage: true });
await page.getByRole('button', { name: 'Finalize' }).click();
await page.getByTestId('monster-cr').waitFor();
await page.screenshot({ path: join(out, 'monster.png'), fullPage: true });
await browser.close();
