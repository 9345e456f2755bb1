/**
 * Several app pages at one table: one real relay, one Chromium, one web-mode server and data folder per page.
 * `useTable()` registers the suite's beforeAll/afterAll (relay and browser up; every server, the browser, the relay
 * and the temporary folders stopped and removed afterwards).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateRelaySecret } from '@loreforge/core';
import { startRelay, silentLogger, type Relay } from '@loreforge/sync-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser';
import { startWeb, tempDataDir, type WebProcess } from './fixtures';

export interface Table {
  readonly relay: Relay;
  readonly secret: string;
  /** The web-mode server and data folder behind each page opened by `openApp`. */
  readonly servers: Map<Page, WebProcess>;
  readonly dirs: Map<Page, string>;
  /** A new app page on `dir` (else a new temporary data folder), waited until its campaign list shows. */
  openApp(dir?: string, opts?: { bypassCSP?: boolean }): Promise<Page>;
  /** Settings → Sync: the relay URL, the user's name and (for the DM) the relay secret, saved. */
  saveRelaySettings(page: Page, user: string, withSecret: boolean): Promise<void>;
  /** The DM's invite for `player` to the campaign whose list button matches `campaign` (playing `plays`, a name). */
  invite(dm: Page, campaign: RegExp, player: string, plays?: string): Promise<string>;
  /** A new app page for `user` (relay settings saved, `opts` as for `openApp`) that has joined with `invite`. */
  join(user: string, invite: string, opts?: { bypassCSP?: boolean }): Promise<Page>;
}

export function useTable(): Table {
  let browser: Browser | undefined;
  let relay: Relay | undefined;
  let secret = '';
  const servers = new Map<Page, WebProcess>();
  const dirs = new Map<Page, string>();
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    const relayDir = tempDataDir('lf-relay-');
    cleanups.push(relayDir.cleanup);
    secret = generateRelaySecret();
    relay = await startRelay({ dataDir: relayDir.dir, secret, port: 0, logger: silentLogger });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await relay?.close();
    for (const c of cleanups) c();
  });

  const table: Table = {
    get relay() {
      if (!relay) throw new Error('table: the relay starts in beforeAll');
      return relay;
    },
    get secret() {
      return secret;
    },
    servers,
    dirs,
    async openApp(dir, opts = {}) {
      if (!browser) throw new Error('table: the browser starts in beforeAll');
      let dataDir = dir;
      if (dataDir === undefined) {
        const tmp = tempDataDir();
        cleanups.push(tmp.cleanup);
        dataDir = tmp.dir;
      }
      const web = await startWeb(dataDir);
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        ...(opts.bypassCSP ? { bypassCSP: true } : {}),
      });
      const page = await context.newPage();
      await page.goto(web.url);
      await page.getByRole('list', { name: 'Campaign list' }).waitFor();
      servers.set(page, web);
      dirs.set(page, dataDir);
      return page;
    },
    async saveRelaySettings(page, user, withSecret) {
      await nav(page, 'Settings');
      const sync = page.getByRole('region', { name: 'Sync' });
      await sync.getByLabel('Relay URL').fill(table.relay.url);
      await sync.getByLabel('Your name').fill(user);
      if (withSecret) await sync.getByLabel(/^Relay secret/).fill(secret);
      await sync.getByRole('button', { name: 'Save relay settings' }).click();
      await page.getByText('Settings saved.').first().waitFor();
    },
    async invite(dm, campaign, player, plays) {
      await nav(dm, 'Campaigns');
      await dm.getByRole('button', { name: campaign }).click();
      const share = dm.getByRole('region', { name: 'Share campaign' });
      await share.getByLabel('Player name').fill(player);
      if (plays !== undefined) await share.getByLabel('Plays character').selectOption({ label: plays });
      await share.getByRole('button', { name: 'Create invite' }).click();
      await expect.poll(() => share.getByLabel(/^Invite/).inputValue()).toMatch(/^loreforge:\/\/join\?.*/);
      return share.getByLabel(/^Invite/).inputValue();
    },
    async join(user, invite, opts) {
      const p = await table.openApp(undefined, opts);
      await table.saveRelaySettings(p, user, false);
      await p.getByLabel('Invite', { exact: true }).fill(invite);
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByText('Joined the shared campaign.').waitFor();
      return p;
    },
  };
  return table;
}

export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Files under `dir` holding `marker` (UTF-8 or UTF-16LE bytes). */
export const holders = (dir: string, marker: string) =>
  filesUnder(dir).filter((f) => {
    const b = readFileSync(f);
    return b.includes(Buffer.from(marker, 'utf8')) || b.includes(Buffer.from(marker, 'utf16le'));
  });
