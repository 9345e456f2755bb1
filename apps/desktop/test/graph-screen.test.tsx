/**
 * The Graph screen on real core handlers (in-memory core): nodes drawn, filter by kind, the session slider, a
 * picked node's neighbours and the path between two entities highlighted. jsdom has no Web Worker, so this also
 * covers the screen laying out on the page when a worker cannot start (the browser e2e covers the worker).
 */
// @vitest-environment jsdom
import { act } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '@loreforge/core';
import { Graph } from '../src/renderer/src/screens/Graph';
import { useUi } from '../src/renderer/src/stores/ui';
import { installCoreBridge, until } from './real-core';
import { change, render, type Rendered } from './render';

let core: Core;
let h: ReturnType<typeof installCoreBridge>;
let r: Rendered | null = null;
let campaign = '';
const ids: Record<string, string> = {};

beforeAll(async () => {
  core = await createCore({ dataDir: null });
  campaign = (await core.campaigns.create({ name: 'Saltmarsh' })).id;
  const m = core.memory;
  for (const [kind, name] of [
    ['npc', 'Duke Varo'],
    ['faction', 'Iron Council'],
    ['location', 'Black Keep'],
    ['npc', 'Sly Pete'],
  ] as const)
    ids[name] = (await m.entities.create(campaign, { kind, name })).id;
  const journal = async (session: number, text: string) =>
    core.journals.create(campaign, {
      title: `S${session}`,
      text: (await m.entities.prepareText(campaign, text)).text,
      session,
    });
  await journal(1, '@Varo rode to the @"Black Keep".');
  await journal(2, '@"Sly Pete" sold @Varo a map.');
  await m.graph.relate({ from: ids['Duke Varo']!, to: ids['Iron Council']!, type: 'member-of', since: 2 });
  h = installCoreBridge(core);
}, 120_000);

afterEach(() => {
  r?.unmount();
  r = null;
});

afterAll(() => h.close());

const summary = () => r!.container.querySelector('p.graph-summary')?.textContent ?? '';
const nodeButton = (name: string) =>
  [...r!.container.querySelectorAll('g[role="button"]')].find((g) =>
    g.getAttribute('aria-label')?.startsWith(`${name},`),
  );

describe('the Graph screen', { timeout: 120_000 }, () => {
  it('draws the graph, filters by kind, moves through sessions, shows neighbours and a path', async () => {
    act(() => useUi.getState().go('graph', { campaignId: campaign }));
    r = render(<Graph />);
    await until('the drawing', () => summary().startsWith('4 entities'));
    expect(summary()).toBe('4 entities, 3 links (1 typed relation, 2 co-mentions).');
    for (const name of Object.keys(ids)) expect(nodeButton(name)).toBeDefined();
    expect(r.container.querySelectorAll('line[data-typed="yes"]')).toHaveLength(1);

    // Filter: without npcs, only the council and the keep remain, unlinked.
    const npc = [...r.container.querySelectorAll('fieldset label')].find((l) =>
      l.textContent?.startsWith('npc'),
    )!;
    act(() => npc.querySelector('input')!.click());
    await until('the filter', () => summary().startsWith('2 entities'));
    expect(nodeButton('Duke Varo')).toBeUndefined();
    expect(summary()).toBe('2 entities, 0 links (0 typed relations, 0 co-mentions).');
    act(() => npc.querySelector('input')!.click());
    await until('the filter off', () => summary().startsWith('4 entities'));

    // The slider's first stop is session 1: one co-mention, the relation not yet valid.
    const slider = r.container.querySelector<HTMLInputElement>('#graph-session')!;
    expect(slider.max).toBe('2');
    change(slider, '0');
    await until('session 1', () => summary().endsWith('up to session 1.'));
    expect(summary()).toBe('4 entities, 1 link (0 typed relations, 1 co-mention) up to session 1.');
    change(slider, '2');
    await until('all sessions', () => !summary().includes('up to'));

    // Pick a node: its neighbours; then the path from Pete to the council, highlighted.
    act(() => {
      nodeButton('Duke Varo')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    await until('the neighbours', () => !!r!.container.querySelector('ul[aria-label="Neighbours"]'));
    const near = r.container.querySelector('ul[aria-label="Neighbours"]')!.textContent!;
    expect(near).toContain('Iron Council — member-of');
    expect(near).toContain('Black Keep — mentioned together ×1');
    change(r.container.querySelector<HTMLSelectElement>('#graph-from')!, ids['Sly Pete']!);
    change(r.container.querySelector<HTMLSelectElement>('#graph-to')!, ids['Iron Council']!);
    await until('the path', () => !!r!.container.querySelector('ol[aria-label="Connection path"]'));
    const steps = [...r.container.querySelectorAll('ol[aria-label="Connection path"] li')].map(
      (li) => li.textContent,
    );
    expect(steps).toEqual(['Sly Pete', 'Duke Varo (co-mention)', 'Iron Council (member-of)']);
    expect(r.container.querySelectorAll('line.on-path')).toHaveLength(2);
    expect(r.container.querySelectorAll('g.graph-node.on-path')).toHaveLength(3);
  });

  it('without a campaign, lists the campaigns to choose from', async () => {
    act(() => useUi.getState().go('graph', { campaignId: null }));
    r = render(<Graph />);
    await until('the campaign list', () =>
      [...r!.container.querySelectorAll('ul[aria-label="Campaigns for the graph"] button')].some(
        (b) => b.textContent === 'Saltmarsh',
      ),
    );
  });
});
