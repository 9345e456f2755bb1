/**
 * Live play in three app pages (a DM and two players, three data folders, one real relay): the DM builds an
 * encounter from the real party and starts combat with a hidden foe; the players never get the hidden foe or a
 * foe's HP (not in their page, not in any file of their data folder); a player's "I attack" request is applied by
 * the DM's app; a death save is prompted on every page; a player who drops and comes back catches up.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateDraft } from './fixtures';
import { holders, nav, useTable } from './table-fixture';

const table = useTable();
const { openApp, saveRelaySettings, servers, dirs } = table;

async function openTable(page: Page) {
  await nav(page, 'Campaigns');
  await page
    .getByRole('button', { name: /^Round Table/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Table', exact: true }).click();
  await page.getByRole('heading', { name: 'Table', exact: true }).waitFor();
}

/** The name cell of the row whose turn it is ('' when none is shown, e.g. a hidden foe acting). */
const currentName = async (page: Page) => {
  const row = page
    .locator('section[aria-label="Initiative"]')
    .locator('tr[aria-current="true"] td:nth-child(2)');
  return (await row.count()) ? ((await row.textContent()) ?? '') : '';
};

/** Next turn on the DM's page until `name` has it, waiting for each turn to show before the next click. */
async function turnTo(dm: Page, name: string) {
  for (let i = 0; i < 16 && !(await currentName(dm)).includes(name); i++) {
    const before = await currentName(dm);
    await dm.getByRole('button', { name: 'Next turn (N)' }).click();
    await expect.poll(() => currentName(dm), { timeout: 20_000 }).not.toBe(before);
  }
  expect(await currentName(dm)).toContain(name);
}

describe('live play at one table', () => {
  it('DM referees two players; hidden foes and foes’ HP never reach them', async () => {
    const dm = await openApp();
    await saveRelaySettings(dm, 'dungeon-master', true);
    await nav(dm, 'Campaigns');
    await dm.getByLabel('Campaign name').fill('Round Table');
    await dm.getByRole('button', { name: 'Create campaign' }).click();
    await dm.getByRole('heading', { name: 'Round Table' }).waitFor();
    const names: string[] = [];
    for (const concept of [
      'a stoic human fighter who guards caravans',
      'a cheerful halfling cleric of the hearth',
    ]) {
      await dm
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'New character' })
        .click();
      await dm.getByLabel('Campaign').selectOption({ label: 'Round Table' });
      names.push(await generateDraft(dm, concept));
      await dm.getByRole('button', { name: 'Finalize' }).click();
      await dm.getByTestId('character-name').waitFor();
    }
    const [nameA, nameB] = names as [string, string];

    // Invite both players, each playing one character.
    const invites: string[] = [];
    for (const [player, name] of [
      ['ana', nameA],
      ['bob', nameB],
    ] as const)
      invites.push(await table.invite(dm, /^Round Table/, player, name));
    const players: Page[] = [];
    for (const [i, user] of ['ana', 'bob'].entries())
      players.push(await table.join(user, invites[i] as string));
    const [ana, bob] = players as [Page, Page];

    // The DM builds an encounter from the party and starts combat with its first creature kind hidden.
    await openTable(dm);
    const builder = dm.locator('section[aria-label="Encounter builder"]');
    await builder.getByRole('checkbox', { name: nameA }).check();
    await builder.getByRole('checkbox', { name: nameB }).check();
    await builder.getByRole('button', { name: 'Build encounter' }).click();
    const first = builder.getByRole('list', { name: 'Creatures' }).getByRole('listitem').first();
    const hiddenName = /× (.+?) \(CR/.exec((await first.textContent()) ?? '')?.[1] ?? '';
    expect(hiddenName).not.toBe('');
    await first.getByRole('checkbox', { name: 'hidden' }).check();
    await builder.getByRole('button', { name: 'Start combat' }).click();
    const dmTracker = dm.locator('section[aria-label="Initiative"]');
    await dmTracker.waitFor();
    expect(await dmTracker.textContent()).toContain(`${hiddenName}`);
    expect(await dmTracker.textContent()).toContain('(hidden)');

    // Players see the combat without the hidden foe; foes' HP as labels.
    for (const p of players) {
      await openTable(p);
      const tracker = p.locator('section[aria-label="Initiative"]');
      await tracker.waitFor({ timeout: 20_000 });
      const text = (await tracker.textContent()) ?? '';
      expect(text).not.toContain(hiddenName);
      expect(text).toContain(nameA);
      const foeCells = await tracker.locator('tr:has-text("· foe") td:nth-child(3)').allTextContents();
      expect(foeCells.length).toBeGreaterThan(0);
      for (const c of foeCells) expect(c).toMatch(/^(healthy|bloodied|critical|down)$/);
      expect(await p.content()).not.toContain(hiddenName);
    }

    // Presence: the DM's table lists both players online (through the relay's awareness).
    const onlineUsers = (page: Page) =>
      page.getByTestId('online-user').evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    await expect
      .poll(async () => (await onlineUsers(dm)).sort(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['ana', 'bob']));
    await expect
      .poll(async () => await onlineUsers(bob), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['ana', 'bob']));

    // Ana asks to attack a visible foe on her turn; the DM's app applies it.
    await turnTo(dm, nameA);
    // Whose turn: Ana's, on her page and on the DM's list.
    await expect
      .poll(async () => (await ana.getByTestId('whose-turn').textContent()) ?? '', { timeout: 20_000 })
      .toBe(`Turn: ${nameA} (ana)`);
    await expect
      .poll(
        async () => (await dm.locator('[data-testid="online-user"][data-user="ana"]').textContent()) ?? '',
        {
          timeout: 20_000,
        },
      )
      .toContain('their turn');
    const requests = ana.locator('section[aria-label="Requests"]');
    await requests.getByLabel('My character').selectOption({ label: nameA });
    const target = requests.getByLabel('Target');
    const foe = (await target.locator('option').allTextContents()).find((t) => t !== '(target)') as string;
    await target.selectOption({ label: foe });
    await requests.getByLabel('Request amount').fill('1');
    await requests.getByRole('button', { name: 'I attack' }).click();
    const dmRequests = dm.locator('section[aria-label="Requests"]');
    await dmRequests.getByRole('button', { name: 'Apply' }).first().click({ timeout: 20_000 });
    await expect
      .poll(async () => (await requests.textContent()) ?? '', { timeout: 20_000, interval: 250 })
      .toMatch(/attack .* — applied/);

    // Ana concentrates on Bless and takes a hit: the concentration save is prompted with its DC on both pages.
    const anaRow = dmTracker.locator('tr', { hasText: nameA });
    await anaRow.click();
    await dm.getByLabel('Concentrate on').fill('Bless');
    await dm.getByRole('button', { name: 'Concentrate', exact: true }).click();
    await expect
      .poll(async () => (await anaRow.textContent()) ?? '', { timeout: 20_000 })
      .toContain('concentrating: Bless');
    await dm.getByLabel('Amount', { exact: true }).fill('2');
    await dm.getByRole('button', { name: 'Damage (D)' }).click();
    await dm
      .locator('ul[aria-label="Prompts"]')
      .getByText(`${nameA}: concentration save, DC 10`)
      .waitFor({ timeout: 20_000 });
    await ana
      .locator('ul[aria-label="Prompts"]')
      .getByText(`${nameA}: concentration save, DC 10`)
      .waitFor({ timeout: 20_000 });

    // Bob's character drops to 0: a death save is prompted on every page at his turn.
    const bobRow = dmTracker.locator('tr', { hasText: nameB });
    const bobHp = Number((await bobRow.locator('td').nth(2).textContent())?.split(' ')[0]);
    await bobRow.click();
    await dm.getByLabel('Amount', { exact: true }).fill(String(bobHp));
    await dm.getByRole('button', { name: 'Damage (D)' }).click();
    await expect
      .poll(async () => (await bobRow.locator('td').nth(3).textContent()) ?? '', { timeout: 20_000 })
      .toBe('unconscious');
    await turnTo(dm, nameB);
    await dm
      .locator('ul[aria-label="Prompts"]')
      .getByText(`${nameB}: death save`)
      .waitFor({ timeout: 20_000 });
    await bob
      .locator('ul[aria-label="Prompts"]')
      .getByText(`${nameB}: death save`)
      .waitFor({ timeout: 20_000 });

    // Ana drops out; the DM moves on; she comes back and catches up.
    const anaDir = dirs.get(ana) as string;
    await ana.context().close();
    await servers.get(ana)?.stop();
    servers.delete(ana);
    // She is no longer online on the DM's table.
    await expect.poll(() => onlineUsers(dm), { timeout: 20_000 }).not.toContain('ana');
    const beforeDrop = await currentName(dm);
    await dm.getByRole('button', { name: 'Next turn (N)' }).click();
    await expect.poll(() => currentName(dm), { timeout: 20_000 }).not.toBe(beforeDrop);
    const dmTurn = await currentName(dm);
    const round = (await dmTracker.getByRole('heading').textContent()) ?? '';
    const again = await openApp(anaDir);
    await openTable(again);
    await expect
      .poll(
        async () =>
          (await again.locator('section[aria-label="Initiative"]').getByRole('heading').textContent()) ?? '',
        {
          timeout: 20_000,
        },
      )
      .toBe(round);
    if (!dmTurn.includes('(hidden)'))
      await expect.poll(() => currentName(again), { timeout: 20_000 }).toBe(dmTurn);

    // No byte of the hidden foe in any player's data folder; the DM's folder has it.
    expect(holders(dirs.get(dm) as string, hiddenName)).not.toEqual([]);
    for (const p of [again, bob]) expect(holders(dirs.get(p) as string, hiddenName)).toEqual([]);
  });
});
