/**
 * Two app pages on two data folders (two web-mode servers) joined to one real relay: the player adopts the DM's
 * campaign and character under the same ids, and both stay live-synced (each sees the other's edits within
 * seconds, with no reload and no polling of the relay).
 */
import { generateRelaySecret } from '@loreforge/core';
import { startRelay, silentLogger, type Relay } from '@loreforge/sync-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { startWeb, tempDataDir, type WebProcess } from './fixtures';

let browser: Browser;
let relay: Relay;
const servers: WebProcess[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  const relayDir = tempDataDir('lf-relay-');
  cleanups.push(relayDir.cleanup);
  const secret = generateRelaySecret();
  relay = await startRelay({ dataDir: relayDir.dir, secret, port: 0, logger: silentLogger });
  process.env['LF_E2E_RELAY_SECRET'] = secret;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.stop()));
  await relay?.close();
  for (const c of cleanups) c();
});

const dataDirs = new Map<Page, string>();

/** A web-mode app on a data folder (a new one unless given) and a page on it. */
async function openApp(dir?: string): Promise<Page> {
  let dataDir = dir;
  if (dataDir === undefined) {
    const tmp = tempDataDir();
    cleanups.push(tmp.cleanup);
    dataDir = tmp.dir;
  }
  const web = await startWeb(dataDir);
  servers.push(web);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(web.url);
  await page.getByRole('list', { name: 'Campaign list' }).waitFor();
  dataDirs.set(page, dataDir);
  return page;
}

async function nav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

async function saveRelaySettings(page: Page, user: string, secret?: string) {
  await nav(page, 'Settings');
  const sync = page.getByRole('region', { name: 'Sync' });
  await sync.getByLabel('Relay URL').fill(relay.url);
  await sync.getByLabel('Your name').fill(user);
  if (secret) await sync.getByLabel(/^Relay secret/).fill(secret);
  await sync.getByRole('button', { name: 'Save relay settings' }).click();
  await page.getByText('Settings saved.').first().waitFor();
}

async function openStory(page: Page, name: string) {
  await nav(page, 'Campaigns');
  await page
    .getByRole('button', { name: /^Table Top/ })
    .first()
    .click();
  await page.getByRole('list', { name: 'Characters' }).getByRole('button', { name }).click();
  await page.getByTestId('character-name').waitFor();
  await page.getByRole('tab', { name: 'Story', exact: true }).click();
}

describe('relay sync between two apps', () => {
  it('the player adopts the campaign under its id; edits travel live both ways', async () => {
    const secret = process.env['LF_E2E_RELAY_SECRET'] as string;
    const dm = await openApp();
    const player = await openApp();

    // The DM: relay settings, a campaign, a character in it.
    await saveRelaySettings(dm, 'dungeon-master', secret);
    await nav(dm, 'Campaigns');
    await dm.getByLabel('Campaign name').fill('Table Top');
    await dm.getByRole('button', { name: 'Create campaign' }).click();
    await dm.getByRole('heading', { name: 'Table Top' }).waitFor();
    await dm.getByRole('button', { name: 'New character' }).last().click();
    await dm.getByLabel('Campaign').selectOption({ label: 'Table Top' });
    await dm.getByLabel('Character concept').fill('a stoic human fighter who guards caravans');
    await dm.getByRole('button', { name: 'Generate' }).click();
    const name = (await dm.getByTestId('draft-name').textContent()) ?? '';
    await dm.getByRole('button', { name: 'Finalize' }).click();
    await dm.getByTestId('character-name').waitFor();

    // Invite the player, who plays that character.
    await nav(dm, 'Campaigns');
    await dm.getByRole('button', { name: /^Table Top/ }).click();
    const share = dm.getByRole('region', { name: 'Share campaign' });
    await share.getByLabel('Player name').fill('sam');
    await share.getByLabel('Plays character').selectOption({ label: name });
    await share.getByRole('button', { name: 'Create invite' }).click();
    const invite = await share.getByLabel(/^Invite/).inputValue();
    expect(invite).toMatch(/^loreforge:\/\/join\?/);

    // The player joins with the invite and adopts the DM's campaign and character.
    await saveRelaySettings(player, 'sam');
    await player.getByLabel('Invite', { exact: true }).fill(invite);
    await player.getByRole('button', { name: 'Join' }).click();
    await player.getByText('Joined the shared campaign.').waitFor();
    await nav(player, 'Campaigns');
    const shared = player.getByRole('button', { name: /^Table Top/ });
    await expect
      .poll(async () => (await shared.textContent()) ?? '', { timeout: 15_000 })
      .toContain('1 character');

    // Same campaign id on both sides (Settings lists the shared campaigns with their ids).
    const sharedId = async (page: Page) => {
      await nav(page, 'Settings');
      const id = page
        .getByRole('list', { name: 'Shared campaigns' })
        .getByTestId('shared-campaign-id')
        .first();
      await id.waitFor();
      return (await id.textContent()) ?? '';
    };
    const dmCampaign = await sharedId(dm);
    expect(dmCampaign).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sharedId(player)).toBe(dmCampaign);

    // Player edits the backstory; the DM sees it.
    await openStory(player, name);
    await player.getByLabel('Backstory').fill('Sam wrote this: a caravan guard haunted by one lost wagon.');
    await player.getByRole('button', { name: 'Save changes' }).click();
    await openStory(dm, name);
    await expect
      .poll(() => dm.getByLabel('Backstory').inputValue(), { timeout: 10_000, interval: 200 })
      .toContain('haunted by one lost wagon');

    // DM renames the character; the player's open page shows it.
    await dm.getByLabel('Name', { exact: true }).fill(`${name} the Steadfast`);
    await dm.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await player.getByTestId('character-name').textContent()) ?? '', {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(`${name} the Steadfast`);

    // The player quits; the DM writes meanwhile; the player's app, started again on its data folder, reopens
    // the shared campaign by itself (membership with relay and token) and gets the change.
    const playerDir = dataDirs.get(player) as string;
    await player.context().close();
    await servers.splice(1, 1)[0]?.stop();
    await openStory(dm, `${name} the Steadfast`);
    await dm.getByLabel('Backstory').fill('The DM wrote this while Sam was away: the wagon was found.');
    await dm.getByRole('button', { name: 'Save changes' }).click();
    const again = await openApp(playerDir);
    await openStory(again, `${name} the Steadfast`);
    await expect
      .poll(() => again.getByLabel('Backstory').inputValue(), { timeout: 15_000, interval: 250 })
      .toContain('the wagon was found');
  });
});
