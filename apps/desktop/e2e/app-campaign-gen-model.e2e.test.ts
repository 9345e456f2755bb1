/**
 * Issue 13 in the app WITH a model: web mode configured (Settings) to use an OpenAI-compatible server on
 * 127.0.0.1 — the fake of packages/llm speaking the real wire protocol, started in this test process and closed by
 * it. The DM goes pitch → an outline in the model's words → a story refine in which the model changes the structure
 * (its first, broken answer is sent back and never stored) → the check passes → the new chapter opened from the
 * drawing → a session's journal → adaptation proposals accepted → the nemesis evolved → the next session's prep.
 */
import { narrate, structureShown } from '@loreforge/core/campaign-gen-fakes';
import { startFakeOpenAi, type FakeOpenAi } from '@loreforge/llm/test-fakes';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, nav, sessions } from './app-helpers';
import { launchChromium } from './browser';
import { acceptStoryProposals, evolveNemesis, lieutenantName, saveJournal } from './campaign-gen-steps';
import { generateDraft } from './fixtures';

let browser: Browser;
let openai: FakeOpenAi;
const s = sessions();
const T = { timeout: 30_000 };
beforeAll(async () => {
  browser = await launchChromium();
  openai = await startFakeOpenAi();
});
afterAll(async () => {
  await browser.close();
  await openai.close();
});
afterEach(() => s.close());

/** The model's words over the planner's ids (the narration of a new outline). */
function narrator(body: unknown) {
  return narrate(body, {
    setting: { name: 'The Brass Diocese', text: 'A city of bells and gears.' },
    chapter: (i) => ({ title: `Bell ${i + 1}`, goal: `Silence bell ${i + 1}` }),
    scene: (i, j) => ({ title: `Gear ${i + 1}.${j + 1}`, text: 'Cogs turn.' }),
    clue: (id) => `Oil stain (${id})`,
  });
}

interface Shown {
  start: string;
  chapters: {
    id: string;
    title: string;
    goal: string;
    ending: boolean;
    scenes: { id?: string; title: string; text: string }[];
    choices: { text: string; next: string }[];
  }[];
  conclusions: {
    chapter: string;
    text: string;
    clues: { id?: string; text: string; where: { kind: string; id: string } }[];
  }[];
}

function shown(body: unknown): { v: Shown; places: { id: string; kind: string }[] } {
  const { view, places } = structureShown<Shown, { id: string; kind: string }>(body);
  return { v: view, places };
}

/** A broken structure: the start keeps one choice (it needs 2–5). */
function broken(body: unknown) {
  const { v } = shown(body);
  const start = v.chapters.find((c) => c.id === v.start)!;
  start.choices = start.choices.slice(0, 1);
  return { content: JSON.stringify(v) };
}

/** A new chapter on the start's first branch that rejoins where that branch went, with three clues. */
function ambush(body: unknown) {
  const { v, places } = shown(body);
  const start = v.chapters.find((c) => c.id === v.start)!;
  const target = start.choices[0]!.next;
  start.choices[0] = { text: 'Climb the clock tower', next: 'tower' };
  v.chapters.splice(1, 0, {
    id: 'tower',
    title: 'The Clock Tower',
    goal: 'Stop the bell-ringer',
    ending: false,
    scenes: [{ id: 'tower-s1', title: 'Stairs', text: 'Four hundred steps.' }],
    choices: [
      { text: 'Follow the gears down', next: target },
      { text: 'Jump to the roofs', next: v.start },
    ],
  });
  const npc = places.find((x) => x.kind === 'npc')!;
  const loc = places.find((x) => x.kind === 'location')!;
  v.conclusions.push({
    chapter: 'tower',
    text: 'The bell-ringer was paid by the diocese',
    clues: [
      { text: 'A purse with the diocese seal.', where: { kind: 'scene', id: 'tower-s1' } },
      { text: 'The verger saw the payment.', where: { kind: 'npc', id: npc.id } },
      { text: 'Coins hidden in the belfry.', where: { kind: 'location', id: loc.id } },
    ],
  });
  return { content: JSON.stringify(v) };
}

describe('campaign generation in the app with a model', () => {
  it('pitch to next session prep through an OpenAI-compatible server', async () => {
    const { page } = await s.open(browser);
    // The party, made offline before any model is configured.
    const name = await generateDraft(page, 'a stubborn dwarf lamplighter who hates the dark');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByTestId('character-name').waitFor();

    // Settings: the OpenAI-compatible server at 127.0.0.1; every task's routing stays offline.
    await nav(page, 'Settings').click();
    const models = page.getByRole('region', { name: 'Language models' });
    await models.getByLabel('OpenAI base URL').fill(openai.baseURL);
    await models.getByLabel('OpenAI model').fill('gpt-4o-mini');
    for (const select of await models.locator('select').all()) await select.selectOption('offline');
    await models.getByRole('button', { name: 'Save model settings' }).click();
    await page.getByText('Settings saved.').first().waitFor();

    // The pitch, generated with the model: the outline is in its words.
    await nav(page, 'Campaigns').click();
    await page.getByRole('button', { name: 'New campaign from a pitch…' }).click();
    await page.getByLabel('Pitch', { exact: true }).fill('A clockwork saint walks out and the bells stop');
    await page.getByRole('checkbox', { name }).check();
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('openai');
    openai.chat.push(narrator);
    await page.getByRole('button', { name: 'Generate campaign' }).click();
    const graph = page.getByRole('list', { name: 'Chapter graph' });
    await graph.waitFor(T);
    await page.getByRole('heading', { level: 1, name: 'The Brass Diocese' }).waitFor();
    await expect(graph.getByRole('button', { name: 'Bell 1', exact: true }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Check', { exact: true }).textContent()).resolves.toContain('Check passed');
    const before = await graph.locator(':scope > li').count();

    // The story refine: the model's first answer breaks the graph and goes back; the second adds a chapter.
    openai.chat.push(broken, ambush);
    await page
      .getByLabel('Story feedback')
      .fill('Add a clock tower on the first path; it meets the old road again');
    await page.getByRole('combobox', { name: 'Story model' }).selectOption('openai');
    await page.getByRole('button', { name: 'Refine story with model' }).click();
    const changes = page.getByRole('list', { name: 'Story changes' });
    await changes.waitFor(T);
    await expect(changes.textContent()).resolves.toContain('/chapters/tower: (none) → The Clock Tower');
    await expect.poll(() => graph.locator(':scope > li').count(), T).toBe(before + 1);
    await expect(page.getByLabel('Check', { exact: true }).textContent()).resolves.toContain('Check passed');
    const repair = openai.chatRequests().at(-1)!.body as { messages: { content: string }[] };
    expect(repair.messages.at(-1)!.content).toMatch(/choice-count/);
    expect(await axeViolations(page)).toEqual([]);

    // The new chapter opened from the drawing (a click), the start from the keyboard.
    await page.getByRole('button', { name: /^Open chapter The Clock Tower/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Chapter: The Clock Tower' }).waitFor();
    await expect(page.getByRole('list', { name: 'Encounters' }).locator('li').count()).resolves.toBe(1);
    await page.getByRole('button', { name: /^Open chapter Bell 1 \(start/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Chapter: Bell 1' }).waitFor();

    // Session 1's journal: a lieutenant defeated, fire used.
    const lieutenant = await lieutenantName(page);
    await saveJournal(
      page,
      `We played "Bell 1" and climbed the clock tower. We defeated ${lieutenant} with fire.`,
    );

    // Adaptation: story proposals accepted, the nemesis's left to its evolution.
    await page.getByRole('button', { name: 'Propose adaptations' }).click();
    const proposals = page.getByRole('list', { name: 'Proposals' });
    await proposals.waitFor(T);
    await acceptStoryProposals(page, proposals);
    await expect.poll(() => graph.locator(':scope > li').first().textContent(), T).toContain('played');

    await evolveNemesis(page);

    // The prep for session 2 carries the model's clues.
    await page.getByRole('button', { name: 'Prep next session' }).click();
    await page.getByRole('heading', { level: 2, name: /^Prep for session 2/ }).waitFor(T);
    const secrets = page.getByRole('list', { name: 'Secrets and clues' });
    await expect(secrets.locator(':scope > li').count()).resolves.toBe(10);
    await expect(secrets.textContent()).resolves.toMatch(/Oil stain|diocese/);
    expect(await axeViolations(page)).toEqual([]);
    // Three model calls, each to the configured model: the narration, the broken answer, its repair.
    expect(openai.chatRequests().map((r) => (r.body as { model: string }).model)).toEqual([
      'gpt-4o-mini',
      'gpt-4o-mini',
      'gpt-4o-mini',
    ]);
  });
});
