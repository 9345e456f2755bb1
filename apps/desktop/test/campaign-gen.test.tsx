/**
 * Issue 13 screens on real core handlers (in-memory core, offline): the pitch form generates a campaign from the
 * library's characters; the story screen shows the outline graph and its check, edits a chapter, takes a journal,
 * reviews adaptation proposals, evolves the nemesis and builds the next session's prep with a Markdown export.
 */
// @vitest-environment jsdom
import { act } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '@loreforge/core';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { call } from '../src/renderer/src/bridge';
import { Pitch } from '../src/renderer/src/screens/Pitch';
import { OutlineGraph, PrepSheet, Story } from '../src/renderer/src/screens/Story';
import { formatRoute, parseHash, useUi } from '../src/renderer/src/stores/ui';
import { installCoreBridge } from './real-core';
import { change, flush, render, type Rendered } from './render';

let core: Core;
let h: ReturnType<typeof installCoreBridge>;
let r: Rendered | null = null;
const party: string[] = [];

async function settle(times = 6) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((res) => setTimeout(res, 20));
    });
  }
}

async function until(what: string, ok: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle(1);
  }
}

function button(root: HTMLElement, text: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === text);
  if (!b) throw new Error(`no button "${text}"`);
  return b;
}

function setText(el: HTMLTextAreaElement | HTMLInputElement, value: string) {
  const proto =
    el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  act(() => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

beforeAll(async () => {
  core = await createCore({ dataDir: null });
  for (const name of ['Aria Moonwhisper', 'Borin Stonefist'])
    party.push((await core.characters.import({ build: { ...structuredClone(EXAMPLE_BUILD), name } })).id);
  h = installCoreBridge(core);
}, 120_000);

afterEach(() => {
  r?.unmount();
  r = null;
});

afterAll(() => h.close());

describe('campaign generation screens', { timeout: 120_000 }, () => {
  let campaign = '';

  it('the pitch form lists the library characters and generates a campaign, then opens its story', async () => {
    r = render(<Pitch />);
    await until(
      'party list',
      () => r!.container.querySelectorAll('fieldset input[type=checkbox]').length === 2,
    );
    const generate = button(r.container, 'Generate campaign');
    expect(generate.disabled).toBe(true);
    setText(r.container.querySelector('textarea')!, 'A drowned bell tolls under the harbour');
    for (const box of r.container.querySelectorAll<HTMLInputElement>('fieldset input[type=checkbox]'))
      act(() => box.click());
    change(r.container.querySelector('select')!, 'gothic horror');
    expect(generate.disabled).toBe(false);
    act(() => generate.click());
    await until('navigation to the story', () => useUi.getState().screen === 'story');
    campaign = useUi.getState().campaignId!;
    const outline = await call('campaignGen.outline', { campaign });
    expect(outline.theme).toBe('gothic horror');
    expect(outline.party.map((p) => p.id).sort()).toEqual([...party].sort());
  });

  it('the story screen: graph and check, chapter edit, journal, proposals accepted, nemesis evolved, prep', async () => {
    act(() => useUi.getState().go('story', { campaignId: campaign }));
    r = render(<Story />);
    await until('the outline', () => !!r!.container.querySelector('[aria-label="Chapter graph"]'));
    const c = r.container;
    const outline = await call('campaignGen.outline', { campaign });
    // One graph node per chapter, each choice an arrow to its chapter's title.
    const nodes = c.querySelectorAll('[aria-label="Chapter graph"] > li');
    expect(nodes.length).toBe(outline.chapters.length);
    const first = outline.chapters.find((x) => x.id === outline.start)!;
    const next = outline.chapters.find((x) => x.id === first.choices[0]!.next)!;
    expect(c.querySelector(`[aria-label="Choices of ${first.title}"]`)?.textContent).toContain(next.title);
    await until('check', () => !!c.querySelector('[aria-label="Check"]'));
    expect(c.querySelector('[aria-label="Check"]')?.textContent).toContain('Check passed');

    // Chapter editor: change the goal by hand.
    act(() => button(c, first.title).click());
    const goal = c.querySelector<HTMLTextAreaElement>('[aria-label="Chapter fields"] textarea')!;
    expect(goal.value).toBe(first.goal);
    setText(goal, 'Find who rings the drowned bell');
    act(() => button(c, 'Save chapter').click());
    await until('the saved goal in the graph reload', () => button(c, 'Save chapter').disabled);
    const stored = await call('campaignGen.outline', { campaign });
    expect(stored.chapters.find((x) => x.id === first.id)!.goal).toBe('Find who rings the drowned bell');

    // Session 1's journal: a lieutenant defeated with fire.
    const nem = await call('nemesis.show', { id: campaign });
    const lieutenant = nem.tiers.find((t) => t.tier === 'lieutenant')!;
    setText(
      c.querySelector<HTMLTextAreaElement>('[aria-label="Session journal"] textarea')!,
      `We played "${first.title}". We defeated ${lieutenant.name} and burned the chapel with fire. We chose: ${first.choices[0]!.text}.`,
    );
    act(() => button(c, 'Save journal').click());
    await until('journal saved', () => button(c, 'Save journal').disabled);
    expect((await core.journals.list(campaign)).filter((j) => j.session === 1)).toHaveLength(1);

    act(() => button(c, 'Propose adaptations').click());
    await until('proposals', () => !!c.querySelector('[aria-label="Proposals"]'));
    const items = [...c.querySelectorAll('[aria-label="Proposals"] > li')];
    expect(items.length).toBeGreaterThan(0);
    const ids = items.map((li) => li.getAttribute('aria-label')!);
    const played = ids.find((id) =>
      c.querySelector(`[aria-label="${id}"]`)?.textContent?.includes('mark-played'),
    )!;
    expect(played).toBeDefined();
    act(() => button(c, `Accept ${played}`).click());
    await until(
      'accepted',
      () => c.querySelector(`[aria-label="${played}"]`)?.textContent?.includes('applied') ?? false,
    );
    const rest = ids.filter((x) => x !== played);
    if (rest[0]) {
      act(() => button(c, `Reject ${rest[0]}`).click());
      await until(
        'rejected',
        () => c.querySelector(`[aria-label="${rest[0]}"]`)?.textContent?.includes('rejected') ?? false,
      );
    }
    await until('played in the graph', () =>
      [...c.querySelectorAll('[aria-label="Chapter graph"] > li')].some((li) =>
        li.textContent?.includes('played'),
      ),
    );

    act(() => button(c, 'Evolve nemesis').click());
    await until('evolution', () => !!c.querySelector('[aria-label="Evolution changes"]'));
    expect(c.textContent).toContain('Evolved after session 1.');
    expect(c.querySelector('[aria-label="Evolution changes"]')?.textContent).toMatch(
      new RegExp(lieutenant.name),
    );
    expect(c.querySelectorAll('[aria-label="Tiers"] tbody tr').length).toBeGreaterThanOrEqual(5);

    act(() => button(c, 'Prep next session').click());
    await until('prep', () => !!c.querySelector('#prep-h'));
    expect(c.querySelector('#prep-h')?.textContent).toContain('Prep for session 2');
    expect(c.querySelectorAll('[aria-label="Secrets and clues"] > li')).toHaveLength(10);
    for (const li of c.querySelectorAll('[aria-label="Secrets and clues"] > li'))
      expect(li.textContent).toMatch(/\(sources: .+\)/);

    // Retheme: the outline's theme changes and the party's characters move to a theme branch.
    setText(c.querySelector<HTMLInputElement>('[aria-label="Retheme"] input')!, 'cyberpunk');
    act(() => button(c, 'Retheme campaign').click());
    await until('rethemed', () => c.textContent?.includes('theme cyberpunk') ?? false);
    const re = await call('campaignGen.outline', { campaign });
    expect(re.themes).toContain('cyberpunk');
    const sheet = await call('characters.sheet', { id: party[0]! });
    expect((sheet.doc.narrative as { theme?: string }).theme).toBe('cyberpunk');
    const graph = await call('history.graph', { id: party[0]! });
    expect(graph.branches.map((b) => b.name)).toContain('theme/cyberpunk');
  });

  it('choices edited by hand: a retarget that strands a chapter is refused with its problem; a new choice is saved', async () => {
    const g = await call('campaignGen.generate', {
      pitch: 'A lighthouse keeper hoards drowned bells',
      party,
      seed: 21,
      provider: 'offline',
    });
    act(() => useUi.getState().go('story', { campaignId: g.id }));
    r = render(<Story />);
    await until('the outline', () => !!r!.container.querySelector('[aria-label="Chapter graph"]'));
    const c = r.container;
    const before = await call('campaignGen.outline', { campaign: g.id });
    // A choice that is the only way into its chapter.
    const incoming = (id: string) =>
      before.chapters.flatMap((x) => x.choices.filter((ch) => ch.next === id)).length;
    const from = before.chapters.find((x) =>
      x.choices.some((ch) => ch.next !== before.start && incoming(ch.next) === 1),
    )!;
    const j = from.choices.findIndex((ch) => ch.next !== before.start && incoming(ch.next) === 1);
    const elsewhere = before.chapters.find((x) => x.id !== from.id && x.id !== from.choices[j]!.next)!;
    // Opened from the drawing.
    act(() => {
      c.querySelector<SVGGElement>(`svg [data-chapter="${from.id}"]`)!.dispatchEvent(
        new MouseEvent('click', { bubbles: true }),
      );
    });
    const fields = c.querySelector<HTMLFormElement>('[aria-label="Chapter fields"]')!;
    const selects = fields.querySelectorAll<HTMLSelectElement>('select');
    change(selects[j]!, elsewhere.id);
    act(() => button(c, 'Save chapter').click());
    await until('the refusal', () =>
      useUi.getState().notices.some((n) => n.kind === 'error' && /unreachable/.test(n.text)),
    );
    expect(await call('campaignGen.outline', { campaign: g.id })).toEqual(before);
    // Back to where it led, then a new choice to an ending: saved, checked, drawn.
    change(selects[j]!, from.choices[j]!.next);
    const ending = before.chapters.find((x) => x.ending && x.id !== from.id)!;
    setText(fields.querySelector<HTMLInputElement>('input[placeholder="Take the secret passage"]')!, 'Dive');
    change(selects[selects.length - 1]!, ending.id);
    act(() => button(c, 'Save chapter').click());
    await until('the new choice', () =>
      (c.querySelector(`[aria-label="Choices of ${from.title}"]`)?.textContent ?? '').includes('Dive'),
    );
    const after = await call('campaignGen.outline', { campaign: g.id });
    expect(after.chapters.find((x) => x.id === from.id)!.choices.at(-1)).toEqual({
      text: 'Dive',
      next: ending.id,
    });
    expect(await call('campaignGen.check', { campaign: g.id })).toEqual({ ok: true, problems: [] });
    expect(c.querySelectorAll(`svg [data-edge="${from.id}->${ending.id}"]`).length).toBeGreaterThan(0);
  });

  it('the prep sheet exports its Markdown', async () => {
    const prep = await call('prep.build', { campaign, session: 2 });
    let got = '';
    r = render(<PrepSheet prep={prep} onDownload={(md) => (got = md)} />);
    act(() => button(r!.container, 'Download Markdown').click());
    await flush();
    expect(got).toBe(prep.markdown);
    expect(got).toContain(prep.sheet.secrets[0]!.text);
  });
});

describe('outline graph and routes', () => {
  it('a failing check lists each problem with its code and place', async () => {
    const campaign = (await call('campaigns.list', {})).find((c) => !c.isLibrary)!.id;
    const outline = await call('campaignGen.outline', { campaign });
    r = render(
      <OutlineGraph
        outline={outline}
        check={{
          ok: false,
          problems: [
            { code: 'unreachable-chapter', where: 'c9', message: 'no choice leads here' },
            { code: 'too-few-clues', where: 'k1', message: 'only 2 clues placed' },
          ],
        }}
        onOpen={() => undefined}
      />,
    );
    const items = [...r.container.querySelectorAll('[aria-label="Check problems"] > li')].map(
      (li) => li.textContent,
    );
    expect(items).toEqual([
      'unreachable-chapter at c9: no choice leads here',
      'too-few-clues at k1: only 2 clues placed',
    ]);
    expect(r.container.querySelector('[aria-label="Check"]')?.textContent).toContain(
      'Check found 2 problems',
    );
  });

  it('the story and pitch screens have URLs', () => {
    const story = parseHash('#/campaigns/abc/story');
    expect(story).toMatchObject({ screen: 'story', campaignId: 'abc' });
    expect(formatRoute(story)).toBe('#/campaigns/abc/story');
    expect(formatRoute(parseHash('#/pitch'))).toBe('#/pitch');
  });
});
