/**
 * The Graph screen (issue 10) in web mode: a DM's campaign (entities, journals of sessions 1–3 with mentions,
 * two typed relations in the DM notes) is seeded through the CLI and synced to a player through a real relay.
 * The DM opens the Graph screen and sees the drawn nodes, filters by kind, moves the time slider, picks two
 * nodes and sees the path highlighted; the player's graph holds the co-mentions but none of the DM-only
 * relations. axe finds nothing on the screen.
 */
import { createRelayToken } from '@loreforge/core';
import { runCli } from '@loreforge/core/cli';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations } from './app-helpers';
import { tempDataDir } from './fixtures';
import { nav, useTable } from './table-fixture';

// Registered before the table's hooks, so it runs after them (after hooks run in reverse): the web servers
// holding these folders are stopped first.
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const table = useTable();

async function cli<T = { id: string }>(dir: string, args: string[]): Promise<T> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dir, '--json'], {
    stdout: (x) => out.push(x),
    stderr: (x) => err.push(x),
    readStdin: async () => '',
    env: { LOREFORGE_AUTHOR: 'dm' },
    cwd: process.cwd(),
  });
  if (code !== 0) throw new Error(`${args.join(' ')}: ${err.join('')}`);
  // The whole output is one JSON value, except `sync --json`, which prints a line a step.
  const text = out.join('');
  try {
    return JSON.parse(text) as T;
  } catch {
    return JSON.parse(text.split('\n').filter(Boolean).at(-1)!) as T;
  }
}

async function openGraph(page: Page, campaign: string) {
  await nav(page, 'Graph');
  await page.getByRole('heading', { level: 1, name: 'Graph' }).waitFor();
  await page
    .getByRole('list', { name: 'Campaigns for the graph' })
    .getByRole('button', { name: campaign })
    .click();
  await page.getByRole('heading', { level: 1, name: `Graph: ${campaign}` }).waitFor();
  await page.getByRole('group', { name: `Relationship graph of ${campaign}` }).waitFor();
}

const drawing = (page: Page) => page.getByRole('group', { name: /^Relationship graph of/ });
const node = (page: Page, name: string) =>
  drawing(page).getByRole('button', { name: new RegExp(`^${name},`) });
const summary = (page: Page) => page.locator('p.graph-summary');
const drawnEdges = async (page: Page) => Number(await drawing(page).getAttribute('data-edges'));

describe('the Graph screen', () => {
  it('draws the DM’s graph (filter, slider, path) and a player’s graph without the DM-only relations', async () => {
    const dmDir = tempDataDir('lf-graph-dm-');
    const playerDir = tempDataDir('lf-graph-player-');
    cleanups.push(dmDir.cleanup, playerDir.cleanup);
    const campaign = (await cli(dmDir.dir, ['campaign', 'create', '--name', 'Saltmarsh'])).id;
    const ids: Record<string, string> = {};
    for (const [kind, name] of [
      ['npc', 'Duke Varo'],
      ['faction', 'Iron Council'],
      ['location', 'Black Keep'],
      ['npc', 'Sly Pete'],
      ['location', 'Harbour'],
    ] as const)
      ids[name] = (
        await cli(dmDir.dir, ['entity', 'create', '--campaign', campaign, '--kind', kind, '--name', name])
      ).id;
    const journal = (session: number, text: string) =>
      cli(dmDir.dir, [
        'journal',
        'add',
        '--campaign',
        campaign,
        '--title',
        `Session ${session}`,
        '--session',
        String(session),
        '--text',
        text,
      ]);
    await journal(1, '@Varo rode to the @"Black Keep".');
    await journal(2, '@"Sly Pete" sold @Varo a map.');
    await journal(3, '@"Sly Pete" hid at the @Harbour.');
    await cli(dmDir.dir, [
      'relate',
      ids['Duke Varo']!,
      ids['Iron Council']!,
      '--type',
      'member-of',
      '--since',
      '2',
    ]);
    await cli(dmDir.dir, ['relate', ids['Iron Council']!, ids['Black Keep']!, '--type', 'secretly-funds']);

    // The player gets the campaign through the relay (public lore and journals; never the DM notes).
    const token = (role: 'dm' | 'player') =>
      createRelayToken(
        { campaign, user: role, role, owns: [], ttlSeconds: 3600, nowMs: Date.now() },
        table.secret,
      );
    await cli(dmDir.dir, [
      'sync',
      '--relay',
      table.relay.url,
      '--token',
      token('dm'),
      '--once',
      '--campaign',
      campaign,
    ]);
    await cli(playerDir.dir, ['sync', '--relay', table.relay.url, '--token', token('player'), '--once']);

    // The DM: every entity drawn, both kinds of links.
    const dm = await table.openApp(dmDir.dir, { bypassCSP: true });
    await openGraph(dm, 'Saltmarsh');
    for (const name of Object.keys(ids)) await node(dm, name).waitFor();
    await expect
      .poll(() => summary(dm).textContent())
      .toBe('5 entities, 5 links (2 typed relations, 3 co-mentions).');
    expect(await drawnEdges(dm)).toBe(5);
    expect(await drawing(dm).locator('line[data-typed="yes"]').count()).toBe(2);
    expect(await axeViolations(dm)).toEqual([]);

    // Filter by kind: without locations, the keep and the harbour and their links are gone.
    await dm
      .getByRole('group', { name: 'Kinds' })
      .getByRole('checkbox', { name: /^location/ })
      .uncheck();
    await expect.poll(() => node(dm, 'Black Keep').count()).toBe(0);
    expect(await node(dm, 'Harbour').count()).toBe(0);
    await expect
      .poll(() => summary(dm).textContent())
      .toBe('3 entities, 2 links (1 typed relation, 1 co-mention).');
    expect(await drawnEdges(dm)).toBe(2);
    await dm
      .getByRole('group', { name: 'Kinds' })
      .getByRole('checkbox', { name: /^location/ })
      .check();
    await node(dm, 'Black Keep').waitFor();

    // The time slider: at session 1 only the first journal's co-mention and the relation without dates.
    const slider = dm.getByRole('slider', { name: 'Up to session' });
    await slider.focus();
    await dm.keyboard.press('Home');
    await expect
      .poll(() => summary(dm).textContent())
      .toBe('5 entities, 2 links (1 typed relation, 1 co-mention) up to session 1.');
    expect(await drawnEdges(dm)).toBe(2);
    await dm.keyboard.press('ArrowRight');
    await expect
      .poll(() => summary(dm).textContent())
      .toBe('5 entities, 4 links (2 typed relations, 2 co-mentions) up to session 2.');
    await dm.keyboard.press('End');
    await expect
      .poll(() => summary(dm).textContent())
      .toBe('5 entities, 5 links (2 typed relations, 3 co-mentions).');

    // Pick two nodes: how is Sly Pete connected to the Iron Council?
    await node(dm, 'Sly Pete').locator('circle').click();
    const side = dm.getByRole('region', { name: 'Sly Pete' });
    await side.getByRole('list', { name: 'Neighbours' }).waitFor();
    expect(await side.getByRole('list', { name: 'Neighbours' }).textContent()).toContain('Duke Varo');
    await side.getByRole('button', { name: 'Connect from here' }).click();
    await node(dm, 'Iron Council').locator('circle').click();
    await dm
      .getByRole('region', { name: 'Iron Council' })
      .getByRole('button', { name: 'Connect to here' })
      .click();
    const path = dm.getByRole('list', { name: 'Connection path' });
    await expect
      .poll(() => path.getByRole('listitem').allTextContents())
      .toEqual(['Sly Pete', 'Duke Varo (co-mention)', 'Iron Council (member-of)']);
    await expect.poll(() => drawing(dm).locator('line.on-path').count()).toBe(2);
    expect(await drawing(dm).locator('g.graph-node.on-path').count()).toBe(3);
    // At session 1 the duke was not yet a member, and Pete had not met him: no connection.
    await slider.focus();
    await dm.keyboard.press('Home');
    await dm
      .getByRole('alert')
      .filter({ hasText: /no connection between Sly Pete and Iron Council/ })
      .waitFor();

    // The player: the co-mentions are there, the DM-only relations are not.
    const player = await table.openApp(playerDir.dir, { bypassCSP: true });
    await openGraph(player, 'Saltmarsh');
    for (const name of Object.keys(ids)) await node(player, name).waitFor();
    await expect
      .poll(() => summary(player).textContent())
      .toBe('5 entities, 3 links (0 typed relations, 3 co-mentions).');
    expect(await drawing(player).locator('line[data-typed="yes"]').count()).toBe(0);
    await player
      .getByRole('note')
      .filter({ hasText: /kept in the DM’s notes/ })
      .waitFor();
    const text = (await player.content()) + (await player.locator('table[aria-label="Links"]').innerHTML());
    expect(text).not.toContain('secretly-funds');
    expect(text).not.toContain('member-of');
    await player.getByLabel('From', { exact: true }).selectOption({ label: 'Duke Varo' });
    await player.getByLabel('To', { exact: true }).selectOption({ label: 'Iron Council' });
    await player
      .getByRole('alert')
      .filter({ hasText: /no connection between Duke Varo and Iron Council/ })
      .waitFor();
    expect(await axeViolations(player)).toEqual([]);
  });
});
