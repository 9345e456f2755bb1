/**
 * An NPC stub's build from its entity page (Journals › Search › the stub), on real core handlers (in-memory core,
 * offline generator): the DM sees "No build yet", generates one (a DM-only npc character named after the stub,
 * linked in the DM notes), and opens its sheet on the Character screen. In a player's copy of the campaign
 * (membership role player) the page shows no build control and nothing of a build, with or without one.
 */
// @vitest-environment jsdom
import { act } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, invokeHandler, type Core } from '@loreforge/core';
import { Character } from '../src/renderer/src/screens/Character';
import { Journals } from '../src/renderer/src/screens/Journals';
import { useUi } from '../src/renderer/src/stores/ui';
import { installCoreBridge, until as waitUntil } from './real-core';
import { change, render, type Rendered } from './render';

let core: Core;
let h: ReturnType<typeof installCoreBridge>;
let r: Rendered | null = null;
let campaign = '';
let gregor = '';
let pete = '';
const calls: { channel: string; input: unknown }[] = [];

const until = (what: string, ok: () => boolean) => waitUntil(what, ok, 60_000);

const q = <T extends Element = HTMLElement>(sel: string) => r!.container.querySelector<T>(sel);
const buttons = () => [...r!.container.querySelectorAll('button')];
const button = (name: string) => buttons().find((b) => b.textContent === name);
const buildPanel = () => q('section[aria-labelledby="npc-build-h"]');

/** Journals › Search: find `name` and open its entity page. */
async function openEntity(name: string) {
  change(q<HTMLInputElement>('#memory-q')!, name);
  await act(async () => {
    q<HTMLFormElement>('section[aria-labelledby="search-h"] form')!.requestSubmit();
  });
  await until(`a search hit for ${name}`, () =>
    [...r!.container.querySelectorAll('ul[aria-label="Search results"] button')].some(
      (b) => b.textContent === name,
    ),
  );
  const hit = [...r!.container.querySelectorAll('ul[aria-label="Search results"] button')].find(
    (b) => b.textContent === name,
  ) as HTMLButtonElement;
  await act(async () => hit.click());
  await until(`${name}'s entity page`, () => q('#entity-h')?.textContent === name);
}

const roleAsks = () => calls.filter((c) => c.channel === 'play.sessions').length;
/** Waits until the page has asked for the campaign's role since `before` asks (the panel renders, or not, after). */
async function settled(before: number) {
  await until('the role question', () => roleAsks() > before);
  await act(async () => {
    await new Promise((res) => setTimeout(res, 200));
  });
}

beforeAll(async () => {
  core = await createCore({ dataDir: null });
  campaign = (await core.campaigns.create({ name: 'Saltmarsh' })).id;
  const m = core.memory;
  gregor = (
    await m.entities.create(campaign, {
      kind: 'npc',
      name: 'Gregor Vantassel',
      text: 'A dockhand who runs the smugglers of the Salty Eel.',
    } as never)
  ).id;
  pete = (await m.entities.create(campaign, { kind: 'npc', name: 'Sly Pete' })).id;
  h = installCoreBridge(core, (channel, input) => calls.push({ channel, input }));
}, 120_000);

afterEach(() => {
  r?.unmount();
  r = null;
});

afterAll(() => h.close());

describe('an NPC stub gets a build from its entity page', { timeout: 120_000 }, () => {
  it('the DM generates a build and opens its sheet', async () => {
    useUi.setState({ screen: 'journals', campaignId: campaign, characterId: null });
    r = render(<Journals />);
    await openEntity('Gregor Vantassel');
    await until('the build panel', () => buildPanel() !== null);
    expect(buildPanel()!.textContent).toContain('No build yet');
    const gen = button('Generate a build');
    expect(gen).toBeDefined();

    calls.length = 0;
    await act(async () => gen!.click());
    await until('the link to the sheet', () => buildPanel()?.querySelector('a') !== null);

    // One bridge call generated and linked the build of this stub (core builds the concept from its name and
    // page); no draft channel was used.
    expect(calls.filter((c) => c.channel === 'memory.npcGenerate').map((c) => c.input)).toEqual([
      { id: gregor },
    ]);
    expect(calls.filter((c) => /^drafts\.|^memory\.npcBuild$/.test(c.channel))).toEqual([]);

    // Core holds the link (DM notes) to an npc character named after the stub, with a valid build.
    const npc = (await invokeHandler(h.handlers, 'memory.npc', { id: gregor })) as {
      ok: true;
      value: { characterId: string; build: { name: string } | null };
    };
    expect(npc.ok).toBe(true);
    const characterId = npc.value.characterId;
    expect(characterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(npc.value.build?.name).toBe('Gregor Vantassel');
    // No draft is left in the drafts list, and the build is the only character stored; it is not a second
    // entity of the campaign.
    const drafts = (await invokeHandler(h.handlers, 'drafts.list', {})) as { value: { draftId: string }[] };
    expect(drafts.value).toEqual([]);
    expect((await core.characters.list()).map((c) => c.id)).toEqual([characterId]);
    const npcs = (await invokeHandler(h.handlers, 'memory.npcs', { campaign })) as {
      value: { id: string; build?: { characterId: string } | null }[];
    };
    expect(npcs.value.find((x) => x.id === gregor)?.build).toEqual({ characterId });
    expect(npcs.value.some((x) => x.id === characterId)).toBe(false);

    // The link opens the existing Character screen on that character.
    const link = buildPanel()!.querySelector('a')!;
    expect(link.textContent).toBe('Open Gregor Vantassel’s character sheet');
    expect(link.getAttribute('href')).toBe(`#/characters/${characterId}`);
    expect(button('Generate a build')).toBeUndefined();
    await act(async () => link.click());
    expect(useUi.getState().screen).toBe('character');
    expect(useUi.getState().characterId).toBe(characterId);
    r.unmount();
    r = render(<Character />);
    await until('the sheet', () => q('[data-testid="character-name"]') !== null);
    expect(q('[data-testid="character-name"]')!.textContent).toBe('Gregor Vantassel');

    // Back on the stub's page later: the link, read from core (the DM notes).
    r.unmount();
    useUi.setState({ screen: 'journals', campaignId: campaign, characterId: null });
    r = render(<Journals />);
    await openEntity('Gregor Vantassel');
    await until('the link', () => buildPanel()?.querySelector('a') !== null);
    expect(buildPanel()!.querySelector('a')!.getAttribute('href')).toBe(`#/characters/${characterId}`);
  });

  it("a player's copy shows no build control and nothing of a build", async () => {
    const npc = (await invokeHandler(h.handlers, 'memory.npc', { id: gregor })) as {
      value: { characterId: string };
    };
    const characterId = npc.value.characterId;
    expect(characterId).toBeTruthy();
    await core.campaigns.setMembership(campaign, { role: 'player', user: 'ana', owns: [] });
    useUi.setState({ screen: 'journals', campaignId: campaign, characterId: null });
    r = render(<Journals />);
    for (const [name, id] of [
      ['Gregor Vantassel', gregor],
      ['Sly Pete', pete],
    ] as const) {
      const before = roleAsks();
      await openEntity(name);
      await settled(before);
      expect(calls.filter((c) => c.channel === 'play.sessions').at(-1)?.input).toEqual({ campaign });
      expect(q('#entity-h')!.textContent).toBe(name);
      expect(buildPanel()).toBeNull();
      expect(button('Generate a build')).toBeUndefined();
      expect(r.container.textContent).not.toMatch(/No build yet|character sheet|Build \(DM only\)/);
      expect(r.container.innerHTML).not.toContain(characterId);
      expect(calls.some((c) => c.channel === 'memory.entity' && (c.input as { id: string }).id === id)).toBe(
        true,
      );
    }
    // Nothing was generated or linked from the player's page.
    expect(calls.filter((c) => c.channel === 'memory.npcGenerate')).toHaveLength(1);
  });
});
