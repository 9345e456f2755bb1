/**
 * Campaign memory in three app pages (a DM and two players, three data folders, one real relay): everyone writes
 * a journal of session 1 with `@` mentions; public journals show up live on the other pages; the DM's private
 * notes never reach a player (not in the page, not in any file of the data folder); search finds an entity by a
 * misspelt name; the graph answers how two entities are connected; consolidation shows the planted disagreement
 * with the journals it comes from; the DM gives the NPC stub Gregor a build from his page and opens its sheet,
 * while a player's page shows no build control and nothing of the build. axe finds nothing on the Journals screen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './app-helpers';
import { journalText, newJournal, openJournals, writeAndResolve } from './journal-editor';
import { holders, nav, useTable } from './table-fixture';

const table = useTable();
const { saveRelaySettings, dirs } = table;
// bypassCSP only so the axe script can be injected; the app itself runs under its CSP everywhere else.
const openApp = () => table.openApp(undefined, { bypassCSP: true });

const journalRows = (page: Page) =>
  page.getByRole('table', { name: 'Journal list' }).locator('tbody tr').allTextContents();

const SECRET = 'Gregor-is-the-smuggler-king';

describe('campaign memory at one table', () => {
  it('journals, mentions, privacy, search, graph and consolidation across three apps', async () => {
    const dm = await openApp();
    await saveRelaySettings(dm, 'dungeon-master', true);
    await nav(dm, 'Campaigns');
    await dm.getByLabel('Campaign name').fill('Saltmarsh');
    await dm.getByRole('button', { name: 'Create campaign' }).click();
    await dm.getByRole('heading', { name: 'Saltmarsh' }).waitFor();

    // The DM's public recap creates two entities through mentions; a private note holds the secret.
    await openJournals(dm);
    await newJournal(dm, 'DM recap 1');
    await writeAndResolve(
      dm,
      'The heroes met @[Gregor Vantassel](new:npc) at the @[Salty Eel](new:location) tavern and took his offer of 200 gold.',
    );
    // Typed in the import syntax, resolved by core into mention nodes (the stubs created).
    await expect
      .poll(() => journalText(dm).locator('.mention').allTextContents())
      .toEqual(['@Gregor Vantassel', '@Salty Eel']);
    await newJournal(dm, 'DM secrets', { private: true });
    await writeAndResolve(dm, `Only for me: ${SECRET}.`);
    await expect.poll(() => journalText(dm).textContent()).toBe(`Only for me: ${SECRET}.`);
    await expect.poll(() => journalRows(dm)).toHaveLength(2);

    // Invite both players.
    const invites: string[] = [];
    for (const player of ['ana', 'bob']) invites.push(await table.invite(dm, /^Saltmarsh/, player));
    const players: Page[] = [];
    for (const [i, user] of ['ana', 'bob'].entries())
      players.push(await table.join(user, invites[i] as string, { bypassCSP: true }));
    const [ana, bob] = players as [Page, Page];
    await openJournals(dm);

    // Each player sees the DM's public recap, never the private note.
    for (const p of players) {
      await nav(p, 'Campaigns');
      await p
        .getByRole('button', { name: /^Saltmarsh/ })
        .first()
        .waitFor({ timeout: 20_000 });
      await openJournals(p);
      await expect.poll(() => journalRows(p), { timeout: 20_000 }).toHaveLength(1);
      expect((await journalRows(p)).join(' ')).toContain('DM recap 1');
    }

    // Ana writes with an @ mention picked from the suggestions (the entity the DM created).
    await newJournal(ana, 'Ana, session 1');
    const text = journalText(ana);
    await text.click();
    await ana.keyboard.type('We met old @Greg', { delay: 10 });
    await ana
      .getByRole('list', { name: 'Mention suggestions' })
      .getByRole('button', { name: /Gregor Vantassel/ })
      .click();
    await expect.poll(() => text.locator('.mention').allTextContents()).toEqual(['@Gregor Vantassel']);
    await ana.keyboard.insertText(
      'in the Salty Eel tavern. He offered 200 gold for the haunted house. Inside the house we found 3 skeletons in the cellar.',
    );
    await expect
      .poll(() => text.textContent())
      .toMatch(/^We met old @Gregor Vantassel in the Salty Eel.*cellar\.$/);

    // The DM's and Bob's pages get Ana's journal live.
    for (const p of [dm, bob])
      await expect
        .poll(async () => (await journalRows(p)).join(' '), { timeout: 20_000 })
        .toContain('Ana, session 1');

    await newJournal(bob, "Bob's log");
    await writeAndResolve(
      bob,
      'The party gathered at the Salty Eel tavern. @Gregor Vantassel offered 200 gold if we cleared the haunted house. In the cellar there were 5 skeletons.',
    );
    await expect
      .poll(async () => (await journalRows(ana)).join(' '), { timeout: 20_000 })
      .toContain("Bob's log");
    await expect.poll(async () => (await journalRows(dm)).length, { timeout: 20_000 }).toBe(4);

    // The DM opens Ana's journal and reads what she wrote.
    await dm
      .getByRole('table', { name: 'Journal list' })
      .getByRole('button', { name: 'Ana, session 1' })
      .click();
    await expect.poll(() => journalText(dm).textContent(), { timeout: 20_000 }).toContain('3 skeletons');

    // Search by a misspelt name, then the entity page with its backlinks.
    const search = bob.getByRole('region', { name: 'Search' });
    await search.getByLabel('Search the campaign').fill('Gregr Vantasel');
    await search.getByRole('button', { name: 'Search' }).click();
    const hit = search
      .getByRole('list', { name: 'Search results' })
      .getByRole('button', { name: 'Gregor Vantassel' });
    await hit.first().click();
    const backlinks = bob.getByRole('list', { name: 'Backlinks' });
    await expect
      .poll(async () => (await backlinks.textContent()) ?? '', { timeout: 20_000 })
      .toContain('Ana, session 1');
    // Its neighbours in the graph (mentioned together in the journals).
    await expect
      .poll(async () => (await bob.getByRole('list', { name: 'Neighbours' }).textContent()) ?? '', {
        timeout: 20_000,
      })
      .toContain('Salty Eel');
    // Gregor is an NPC stub: a player's page has no build control.
    expect(await bob.getByRole('region', { name: 'Build (DM only)' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Generate a build' }).count()).toBe(0);

    // The graph: how is Gregor connected to the Salty Eel?
    const graph = dm.getByRole('region', { name: 'Connections' });
    await graph.getByLabel('From').selectOption({ label: 'Gregor Vantassel' });
    await graph.getByLabel('To').selectOption({ label: 'Salty Eel' });
    await graph.getByRole('button', { name: 'How are they connected?' }).click();
    const path = graph.getByRole('list', { name: 'Connection path' });
    await path.waitFor();
    const steps = await path.getByRole('listitem').allTextContents();
    expect(steps[0]).toContain('Gregor Vantassel');
    expect(steps[steps.length - 1]).toContain('Salty Eel');

    // Consolidation of session 1: the skeleton count disagreement, with Ana's and Bob's journals as sources.
    const summary = dm.getByRole('region', { name: 'Session summary' });
    await summary.getByLabel('Session').selectOption('1');
    await summary.getByRole('button', { name: 'Consolidate' }).click();
    const disc = summary.getByRole('list', { name: 'Discrepancies' });
    await disc.waitFor({ timeout: 20_000 });
    const discText = (await disc.textContent()) ?? '';
    expect(discText).toContain('3 skeletons');
    expect(discText).toContain('5 skeletons');
    expect(discText).toContain('Ana, session 1 (ana)');
    expect(discText).toContain("Bob's log (bob)");

    // The DM gives Gregor a build from his page (the offline generator, his name and page as the concept).
    const dmSearch = dm.getByRole('region', { name: 'Search' });
    await dmSearch.getByLabel('Search the campaign').fill('Gregor Vantassel');
    await dmSearch.getByRole('button', { name: 'Search' }).click();
    await dmSearch
      .getByRole('list', { name: 'Search results' })
      .getByRole('button', { name: 'Gregor Vantassel' })
      .first()
      .click();
    const buildPanel = dm.getByRole('region', { name: 'Build (DM only)' });
    await buildPanel.getByText(/No build yet/).waitFor({ timeout: 20_000 });
    await buildPanel.getByRole('button', { name: 'Generate a build' }).click();
    const sheetLink = buildPanel.getByRole('link', { name: 'Open Gregor Vantassel’s character sheet' });
    await sheetLink.waitFor({ timeout: 60_000 });
    const buildId = ((await sheetLink.getAttribute('href')) ?? '').replace('#/characters/', '');
    expect(buildId).toMatch(/^[0-9a-f-]{36}$/);
    // Bob opens Gregor's page again: still no build control, nothing of the build on the page or in his folder.
    await bob.getByRole('list', { name: 'Neighbours' }).getByRole('button', { name: 'Salty Eel' }).click();
    await bob.getByRole('heading', { name: 'Salty Eel', level: 2 }).waitFor();
    await hit.first().click();
    await bob.getByRole('heading', { name: 'Gregor Vantassel', level: 2 }).waitFor();
    await expect
      .poll(async () => (await bob.getByRole('list', { name: 'Backlinks' }).textContent()) ?? '')
      .toContain('Ana, session 1');
    expect(await bob.getByRole('region', { name: 'Build (DM only)' }).count()).toBe(0);
    expect(await bob.content()).not.toContain(buildId);
    expect(holders(dirs.get(bob) as string, buildId)).toEqual([]);

    // The DM's private note: on the DM's page only; no byte of it in a player's page or data folder.
    expect((await journalRows(dm)).join(' ')).toContain('DM secrets');
    for (const p of players) {
      expect((await journalRows(p)).join(' ')).not.toContain('DM secrets');
      expect(await p.content()).not.toContain(SECRET);
      expect(holders(dirs.get(p) as string, SECRET)).toEqual([]);
    }
    expect(holders(dirs.get(dm) as string, SECRET).length).toBeGreaterThan(0);

    // Accessibility of the screen with every panel filled in.
    expect(await axeViolations(dm)).toEqual([]);
    expect(await axeViolations(bob)).toEqual([]);

    // The link opens the build's sheet on the Character screen.
    await sheetLink.click();
    await expect.poll(() => dm.getByTestId('character-name').textContent()).toBe('Gregor Vantassel');
    expect(dm.url()).toContain(`#/characters/${buildId}`);
  });
});
