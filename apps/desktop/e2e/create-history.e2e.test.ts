/** Web mode in Chromium: create a character offline, refine it and see the diff, then history, branch, merge. */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { generateDraft, sawElement, startWeb, tempDataDir, watchFor, type WebProcess } from './fixtures';

let browser: Browser;
let web: WebProcess | null = null;
const started: WebProcess[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
  for (const c of cleanups.splice(0)) c();
  web = null;
});

async function open(): Promise<Page> {
  const tmp = tempDataDir();
  cleanups.push(tmp.cleanup);
  web = await startWeb(tmp.dir);
  started.push(web);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(web.url);
  await page.getByRole('list', { name: 'Campaign list' }).waitFor();
  return page;
}

describe('web mode', () => {
  it('prints exactly one ready line and refuses the bridge without the token', async () => {
    const page = await open();
    expect(web?.stdout).toEqual([`Loreforge web: ${web?.url}`]);
    const refused = await page.evaluate(
      (port) =>
        new Promise<string>((res) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=wrong`);
          ws.onopen = () => res('open');
          ws.onerror = () => res('refused');
        }),
      web?.port,
    );
    expect(refused).toBe('refused');
    // The SRD's CC-BY-4.0 attribution is part of the app itself.
    await expect(
      page.getByText('SRD 5.2.1 by Wizards of the Coast LLC, CC-BY-4.0').isVisible(),
    ).resolves.toBe(true);
  });

  it('creates a character from a concept, refines it with a visible diff, and finalizes it', async () => {
    const page = await open();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'New character' })
      .click();
    await expect(page.getByRole('note').first().textContent()).resolves.toContain('offline generator');
    await watchFor(page, '[aria-label="Generating"]', 'sawProgress');
    const name = await generateDraft(page, 'a grumpy dwarf blacksmith who swings a heavy hammer');
    expect(name.length).toBeGreaterThan(1);
    expect(await sawElement(page, 'sawProgress')).toBe(true);

    const report = page.getByRole('region', { name: 'Validation report' });
    await expect(report.textContent()).resolves.toMatch(/Valid: the build follows the rules|Problems remain/);
    // The draft sheet explains its numbers on hover.
    const ac = page.getByRole('button', { name: /^Armor Class: \d+$/ }).first();
    await ac.hover();
    const tip = page.getByRole('tooltip');
    await expect(tip.textContent()).resolves.toMatch(/Armor Class.*Total/);

    await page.getByLabel('Feedback').fill('rename to Brakka Stonefist');
    await watchFor(page, '[aria-label="Generating"]', 'sawRefine');
    await page.getByRole('button', { name: 'Refine' }).click();
    const changes = page.getByRole('group', { name: 'Changes from feedback 1' });
    await changes.waitFor();
    const summary = await changes.locator('summary').textContent();
    expect(Number(summary?.split(' ')[0])).toBeGreaterThan(0);
    await expect(changes.locator('.add').allTextContents()).resolves.toContain('now: Brakka Stonefist');
    expect(await sawElement(page, 'sawRefine')).toBe(true);
    const refinedName = (await page.getByTestId('draft-name').textContent()) ?? '';
    expect(refinedName).toBe('Brakka Stonefist');

    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();
    expect(await page.getByTestId('character-name').textContent()).toBe(refinedName);
    // Every number on the stored sheet explains itself when focused (keyboard).
    const hp = page.getByRole('button', { name: /^Hit Point maximum: \d+$/ });
    await hp.focus();
    await expect(page.getByRole('tooltip').textContent()).resolves.toContain('Hit Point maximum');

    // A monster with a target CR: the stat block and the CR estimate with its two halves; refine is off.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'New character' })
      .click();
    // New character is an empty form (the finished draft is in its character page, unfinished ones in Drafts).
    await expect(page.getByTestId('draft-name').count()).resolves.toBe(0);
    await page.getByLabel('Character concept').fill('a swamp troll that guards a rotten bridge');
    await page.getByLabel('Kind').selectOption('monster');
    await page.getByLabel('Target CR').selectOption('4');
    await page.getByRole('button', { name: 'Generate' }).click();
    const statBlock = page.getByRole('region', { name: 'Challenge' });
    await statBlock.waitFor();
    const crShown = (await page.getByTestId('monster-cr').textContent()) ?? '';
    const [num = '', den = '1'] = crShown.split('/');
    const cr = Number(num) / Number(den);
    expect(Math.abs(cr - 4)).toBeLessThanOrEqual(2);
    await expect(statBlock.textContent()).resolves.toMatch(/Defensive CR.*Offensive CR.*Method/);
    await expect(page.getByLabel(/^Armor Class: \d+$/).textContent()).resolves.toMatch(/^\d+$/);
    await expect(page.getByLabel(/^Hit Points: \d+$/).textContent()).resolves.toMatch(/^\d+$/);
    await expect(page.getByLabel('Feedback').isDisabled()).resolves.toBe(true);
    await expect(page.getByText('Refining is not available for monsters yet').isVisible()).resolves.toBe(
      true,
    );
    const monster = (await page.getByTestId('draft-name').textContent()) ?? '';
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').filter({ hasText: monster }).waitFor();
    await expect(page.getByTestId('monster-cr').textContent()).resolves.toBe(crShown);

    // Opened again from the library's character list, it is still a stat block.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: /Library/ }).click();
    await page.getByRole('list', { name: 'Characters' }).getByRole('button', { name: monster }).click();
    await statBlock.waitFor();
    await expect(page.getByTestId('monster-cr').textContent()).resolves.toBe(crShown);
    await expect(page.getByTestId('character-name').textContent()).resolves.toBe(monster);
  });

  it('opens the history, branches from a commit, edits the branch, merges it and diffs two commits', async () => {
    const page = await open();
    await generateDraft(page, 'a cheerful halfling bard who collects songs from sailors');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();

    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const commits = page.getByRole('list', { name: 'Commits, newest first' });
    await commits.waitFor();
    // Generate → a start commit on main and the draft commit on `draft`; Finalize → a merge into main.
    const n0 = await commits.getByRole('listitem').count();
    const merges0 = await commits.getByText('merge', { exact: true }).count();
    expect(n0).toBeGreaterThanOrEqual(2);
    await commits
      .getByRole('button', { name: /^Branch from / })
      .last()
      .click();
    await page.getByLabel('Branch name').fill('what-if');
    await page.getByRole('button', { name: 'Create branch' }).click();
    await page.getByText('Branch "what-if" created.').waitFor();

    // Edit the backstory on the new branch.
    await page.getByRole('tab', { name: 'Story', exact: true }).click();
    await page
      .getByLabel('Backstory')
      .fill('Raised by lighthouse keepers, she learned every shanty of the coast.');
    await page.getByLabel('On branch').selectOption('what-if');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();

    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect.poll(() => commits.getByRole('listitem').count(), { timeout: 10_000 }).toBe(n0 + 1);
    const merge = page.getByRole('form', { name: 'Merge' });
    await merge.getByLabel('Merge branch').selectOption('what-if');
    await merge.getByLabel('into').selectOption('main');
    await merge.getByRole('button', { name: 'Merge' }).click();
    await page.getByText(/Merged what-if into main/).waitFor();
    await expect.poll(() => commits.getByRole('listitem').count(), { timeout: 10_000 }).toBe(n0 + 2);
    expect(await commits.getByText('merge', { exact: true }).count()).toBe(merges0 + 1);

    // Diff the first commit against the merge commit.
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
    await expect(diff.getByRole('group', { name: 'Backstory' }).textContent()).resolves.toContain(
      'lighthouse keepers',
    );
    await expect(diff.textContent()).resolves.not.toContain('/narrative/backstory');

    // The merged backstory is on the default branch's sheet.
    await page.getByRole('tab', { name: 'Story', exact: true }).click();
    await expect(page.getByLabel('Backstory').inputValue()).resolves.toContain('lighthouse keepers');

    // Tag the merge commit.
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await page.getByLabel('Tag name').fill('session-1');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await commits.getByText('session-1').waitFor();
  });

  it('exports a campaign and imports it into another data folder', async () => {
    const page = await open();
    await page.getByLabel('Campaign name').fill('Export Me');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Export Me' }).waitFor();
    await page.getByRole('button', { name: 'New character' }).last().click();
    await page.getByLabel('Character concept').fill('a nervous gnome tinkerer');
    await page.getByRole('button', { name: 'Generate' }).click();
    const name = (await page.getByTestId('draft-name').textContent()) ?? '';
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: /^Export Me/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export campaign' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Export-Me.lfcampaign');
    const archive = join(web?.dataDir ?? '', 'export.lfcampaign');
    await download.saveAs(archive);
    await page.close();

    // A second app with its own data folder imports the archive.
    const other = await open();
    await other.getByLabel('Campaign archive file').setInputFiles(archive);
    await other.getByText(/Imported campaign "Export Me"/).waitFor();
    await other.getByRole('button', { name: /^Export Me/ }).click();
    await other.getByRole('list', { name: 'Characters' }).getByRole('button', { name }).waitFor();
  });

  it('works from the keyboard: generate, finalize, explained numbers on focus, tabs with arrow keys', async () => {
    const page = await open();
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // Campaigns
    await page.keyboard.press('Tab'); // Graph
    await page.keyboard.press('Tab'); // New character
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('New character');
    await page.keyboard.press('Enter');
    await page.getByLabel('Character concept').focus();
    await page.keyboard.type('a patient orc monk who tends a mountain garden');
    await page.keyboard.press('Tab'); // kind
    await expect(page.evaluate(() => document.activeElement?.parentElement?.textContent)).resolves.toMatch(
      /^Kind/,
    );
    await page.keyboard.press('Tab'); // level
    await page.keyboard.press('Tab'); // campaign
    await page.keyboard.press('Tab'); // Generate
    await page.keyboard.press('Enter');
    await page.getByTestId('draft-name').waitFor();
    await page.getByRole('button', { name: 'Finalize' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('character-name').waitFor();
    // Tab through the sheet until a number has focus; its explanation appears.
    await page.getByRole('tab', { name: 'Sheet', exact: true }).focus();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('explained'))) break;
    }
    await expect(page.getByRole('tooltip').textContent()).resolves.toContain('Total');
    await page.getByRole('tab', { name: 'Sheet', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(
      page.getByRole('tab', { name: 'Story', exact: true }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('list', { name: 'Commits, newest first' }).waitFor();
  });

  it('searches the SRD fuzzily with filters', async () => {
    const page = await open();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'SRD' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('firebal');
    const results = page.getByRole('list', { name: 'Results' });
    await expect
      .poll(async () => (await results.getByRole('button').first().textContent()) ?? '')
      .toContain('Fireball');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByLabel('Type').selectOption('spell');
    await page.getByLabel('Spell level').selectOption('1');
    await page.getByRole('combobox', { name: /^Class/ }).selectOption('wizard');
    await expect
      .poll(async () => (await results.getByRole('button').allTextContents()).join('|'), { timeout: 10_000 })
      .toContain('Magic Missile');
    const all = await results.getByRole('button').allTextContents();
    expect(all.every((t) => t.includes('spell') && t.includes('Level 1'))).toBe(true);
  });
});
