/**
 * Dev tool: screenshots of every screen at 1440×900 and 1024×700 for the README, into docs/screenshots/.
 * Starts its own web-mode server on a temporary data folder (offline generator), makes a few characters, then
 * visits each screen by its URL. `pnpm exec tsx e2e/shoot-screens.ts [OUT_DIR]`
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '@loreforge/core/cli';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import { DESKTOP_DIR, generateDraft, startWeb, tempDataDir } from './fixtures';

const out = resolve(process.argv[2] ?? join(DESKTOP_DIR, '../../docs/screenshots'));
mkdirSync(out, { recursive: true });
const tmp = tempDataDir('lf-shots-');
const web = await startWeb(tmp.dir);
const browser = await launchChromium();
try {
  // Data: a finished character with a refine, a branch and a merge; two drafts; a campaign.
  const setup = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await setup.goto(web.url);
  await setup.getByRole('list', { name: 'Campaign list' }).waitFor();
  await setup.getByLabel('Campaign name').fill('The Sunless Citadel');
  await setup.getByRole('button', { name: 'Create campaign' }).click();
  await setup.getByRole('heading', { level: 1, name: 'The Sunless Citadel' }).waitFor();
  const campaignUrl = setup.url();
  const hero = await generateDraft(setup, 'a stern human knight sworn to a fallen order');
  const feedback = setup.getByRole('textbox', { name: 'Feedback', exact: true });
  await feedback.fill('add light hammer');
  await setup.getByRole('button', { name: 'Refine' }).click();
  await setup.getByRole('group', { name: 'Changes from feedback 1' }).waitFor();
  await feedback.fill('replace light hammer with trident');
  await setup.getByRole('button', { name: 'Refine' }).click();
  await setup.getByRole('group', { name: 'Changes from feedback 2' }).waitFor();
  const draftUrl = setup.url();
  await setup.getByRole('button', { name: 'Finalize' }).click();
  await setup.getByTestId('character-name').waitFor();
  const characterUrl = setup.url();
  await generateDraft(setup, 'a nervous elven herbalist who fears the dark');
  const openDraftUrl = setup.url();
  await generateDraft(setup, 'an ancient bog hag who trades curses for teeth');
  await setup.close();

  // The Graph screen's data: entities, journals of three sessions with mentions and typed relations, written
  // through the CLI into the server's data folder (another process; the app follows its changes).
  const campaignId = decodeURIComponent(new URL(campaignUrl).hash.split('/')[2] ?? '');
  const cli = async (args: string[]) => {
    const outText: string[] = [];
    const errText: string[] = [];
    const code = await runCli([...args, '--data-dir', tmp.dir, '--json'], {
      stdout: (x) => outText.push(x),
      stderr: (x) => errText.push(x),
      readStdin: async () => '',
      env: { LOREFORGE_AUTHOR: 'dm' },
      cwd: process.cwd(),
    });
    if (code !== 0) throw new Error(`${args.join(' ')}: ${errText.join('')}`);
    return JSON.parse(outText.join('')) as { id: string };
  };
  const lore: Record<string, string> = {};
  for (const [kind, name] of [
    ['npc', 'Belak the Outcast'],
    ['npc', 'Meepo'],
    ['npc', 'Yusdrayl'],
    ['npc', 'Calcryx'],
    ['npc', 'Sharwyn'],
    ['npc', 'Talgen'],
    ['faction', 'Twig Blights'],
    ['faction', 'Kobold Tribe'],
    ['faction', 'Goblin Clan'],
    ['location', 'Gulthias Tree'],
    ['location', 'Oakhurst'],
    ['location', 'Citadel Ravine'],
    ['quest', 'Find the Lost Heroes'],
    ['event', 'Dragon Theft'],
  ] as const)
    lore[name] = (
      await cli(['entity', 'create', '--campaign', campaignId, '--kind', kind, '--name', name])
    ).id;
  const journals: [number, string][] = [
    [
      1,
      'In @Oakhurst we took up @"Find the Lost Heroes": @Sharwyn and @Talgen went down the @"Citadel Ravine".',
    ],
    [1, '@Meepo of the @"Kobold Tribe" begged us to bring back @Calcryx after the @"Dragon Theft".'],
    [2, '@Yusdrayl rules the @"Kobold Tribe"; the @"Goblin Clan" holds @Calcryx.'],
    [2, '@Talgen was a prisoner of the @"Goblin Clan"; @Sharwyn was last seen near the @"Gulthias Tree".'],
    [3, '@"Belak the Outcast" tends the @"Gulthias Tree" and sends @"Twig Blights" to @Oakhurst.'],
    [3, '@Sharwyn rose as a vampire spawn beside @Belak at the @"Gulthias Tree".'],
  ];
  for (const [i, [session, text]] of journals.entries())
    await cli([
      'journal',
      'add',
      '--campaign',
      campaignId,
      '--title',
      `Session ${session}, part ${i + 1}`,
      '--session',
      String(session),
      '--text',
      text,
    ]);
  for (const [a, b, type, since] of [
    ['Yusdrayl', 'Kobold Tribe', 'leads', '1'],
    ['Meepo', 'Kobold Tribe', 'member-of', '1'],
    ['Belak the Outcast', 'Twig Blights', 'commands', '3'],
    ['Kobold Tribe', 'Goblin Clan', 'enemy', '1'],
    ['Sharwyn', 'Belak the Outcast', 'serves', '3'],
  ] as const)
    await cli(['relate', lore[a]!, lore[b]!, '--type', type, '--since', since]);

  const hashOf = (u: string) => new URL(u).hash;
  const shots: {
    name: string;
    hash: string;
    ready: (p: Page) => Promise<unknown>;
    act?: (p: Page) => Promise<unknown>;
  }[] = [
    {
      name: 'campaigns',
      hash: '#/campaigns',
      ready: (p) => p.getByRole('list', { name: 'Campaign list' }).waitFor(),
    },
    { name: 'new-character', hash: '#/create', ready: (p) => p.getByLabel('Character concept').waitFor() },
    {
      name: 'draft-refined',
      hash: hashOf(draftUrl),
      ready: (p) => p.getByRole('group', { name: 'Changes from feedback 2' }).waitFor(),
    },
    { name: 'draft-open', hash: hashOf(openDraftUrl), ready: (p) => p.getByTestId('draft-name').waitFor() },
    { name: 'drafts', hash: '#/drafts', ready: (p) => p.getByRole('list', { name: 'Draft list' }).waitFor() },
    {
      name: 'character-sheet',
      hash: hashOf(characterUrl),
      ready: (p) => p.getByTestId('character-name').waitFor(),
    },
    {
      name: 'character-story',
      hash: `${hashOf(characterUrl)}/story`,
      ready: (p) => p.getByLabel('Backstory').waitFor(),
    },
    {
      name: 'character-history',
      hash: `${hashOf(characterUrl)}/history`,
      ready: (p) => p.getByRole('list', { name: 'Commits, newest first' }).waitFor(),
      act: async (p) => {
        const items = p.getByRole('list', { name: 'Commits, newest first' }).getByRole('listitem');
        await items
          .last()
          .getByRole('radio', { name: /^Diff from / })
          .check();
        await items
          .first()
          .getByRole('radio', { name: /^Diff to / })
          .check();
        await p.getByRole('button', { name: 'Diff A → B' }).click();
        await p.getByRole('region', { name: 'Diff' }).waitFor();
      },
    },
    {
      name: 'srd-search',
      hash: '#/srd?q=chain%20mail',
      ready: (p) => p.getByRole('list', { name: 'Results' }).getByText('Chain Mail').first().waitFor(),
    },
    {
      name: 'srd-creature',
      hash: '#/srd/creature/owlbear?q=owlbear',
      ready: (p) => p.getByRole('article', { name: 'Details' }).waitFor(),
    },
    {
      name: 'srd-spell',
      hash: '#/srd/spell/fireball?q=fireball&type=spell',
      ready: (p) => p.getByRole('article', { name: 'Details' }).waitFor(),
    },
    {
      name: 'srd-class',
      hash: '#/srd/class/wizard?type=class',
      ready: (p) => p.getByRole('article', { name: 'Details' }).waitFor(),
    },
    {
      name: 'srd-cr-filter',
      hash: '#/srd?type=creature&level=0.125',
      ready: (p) => p.getByRole('list', { name: 'Results' }).getByRole('button').first().waitFor(),
    },
    {
      name: 'campaign',
      hash: hashOf(campaignUrl),
      ready: (p) => p.getByRole('heading', { level: 1, name: 'The Sunless Citadel' }).waitFor(),
    },
    {
      name: 'table',
      hash: `${hashOf(campaignUrl)}/table`,
      ready: (p) => p.getByRole('heading', { level: 1, name: 'Table' }).waitFor(),
    },
    {
      name: 'journals',
      hash: `${hashOf(campaignUrl)}/journals`,
      ready: (p) => p.getByRole('heading', { level: 1, name: 'Journals' }).waitFor(),
      // The first journal open in the rich-text editor (its mentions drawn as chips).
      act: async (p) => {
        await p.getByRole('table', { name: 'Journal list' }).getByRole('button').first().click();
        await p.getByRole('textbox', { name: 'Journal text' }).locator('.mention').first().waitFor();
      },
    },
    {
      name: 'graph',
      hash: `${hashOf(campaignUrl)}/graph`,
      ready: (p) => p.getByRole('group', { name: 'Relationship graph of The Sunless Citadel' }).waitFor(),
      act: async (p) => {
        await p.getByLabel('From', { exact: true }).selectOption({ label: 'Meepo' });
        await p.getByLabel('To', { exact: true }).selectOption({ label: 'Belak the Outcast' });
        await p.getByRole('list', { name: 'Connection path' }).waitFor();
        await p
          .getByRole('button', { name: /^Meepo,/ })
          .locator('circle')
          .click();
        await p.getByRole('list', { name: 'Neighbours' }).waitFor();
      },
    },
    {
      name: 'pitch',
      hash: '#/pitch',
      ready: (p) => p.getByRole('heading', { level: 1, name: 'New campaign from a pitch' }).waitFor(),
    },
    {
      name: 'settings',
      hash: '#/settings',
      ready: (p) => p.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(),
    },
  ];
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 },
  ]) {
    const page = await browser.newPage({ viewport: size });
    await page.goto(web.url);
    await page.getByRole('list', { name: 'Campaign list' }).waitFor();
    for (const s of shots) {
      await page.goto(`${web.url}${s.hash}`);
      await page.reload();
      await s.ready(page);
      await s.act?.(page);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `${s.name}-${size.width}x${size.height}.png`) });
    }
    await page.goto(`http://127.0.0.1:${web.port}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.screenshot({ path: join(out, `no-token-${size.width}x${size.height}.png`) });
    await page.close();
  }
  console.log(`screenshots of ${hero}'s world in ${out}`);
} finally {
  await browser.close();
  await web.stop();
  tmp.cleanup();
}
