/**
 * The app as people use it: changes by meaning (one renderer), hash routes, notices in plain words that dismiss
 * themselves and never duplicate, the tokenless page, words instead of ids, and SRD entries as a player reads them.
 */
import { contentNames, loadSrdContent, semanticDiff, semanticDiffAt } from '@loreforge/core';
import { BuildSchema, derive, EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/renderer/src/App';
import { setBridge } from '../src/renderer/src/bridge';
import { ChangeList, ConflictList } from '../src/renderer/src/components/ChangeList';
import { commitTitle } from '../src/renderer/src/components/HistoryView';
import { SheetView } from '../src/renderer/src/components/SheetView';
import { SrdEntry } from '../src/renderer/src/components/SrdEntry';
import {
  emptyRoute,
  formatRoute,
  NOTICE_MS,
  parseHash,
  useUi,
  type Route,
} from '../src/renderer/src/stores/ui';
import { humanize, plainError } from '../src/renderer/src/words';
import { flush, render, type Rendered } from './render';
import { Drafts } from '../src/renderer/src/screens/Drafts';
import type { DesktopBridge } from '@loreforge/core';

const content = loadSrdContent();
const names = contentNames(content);
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
  useUi.setState({ notices: [] });
  vi.useRealTimers();
});

const build = (
  equipment: { item: string; equipped?: boolean }[],
  backstory = 'A quiet life by the sea.',
) => ({
  build: { ...BuildSchema.parse(EXAMPLE_BUILD), equipment },
  narrative: { backstory },
});

describe('ChangeList: changes by meaning', () => {
  it('a weapon swap is one "Longsword → Warhammer" row, not a list of shifted positions', () => {
    const kit = [{ item: 'chain-mail' }, { item: 'longsword' }, { item: 'shield' }, { item: 'rope' }];
    const swapped = [{ item: 'chain-mail' }, { item: 'shield' }, { item: 'warhammer' }, { item: 'rope' }];
    const rows = semanticDiff(build(kit), build(swapped), { names });
    r = render(<ChangeList rows={rows} label="Changes" />);
    const items = r.container.querySelectorAll('li');
    expect(items).toHaveLength(1);
    expect(r.container.querySelector('h4')?.textContent).toBe('Equipment');
    expect(items[0]?.textContent).toBe('was: Longsword → now: Warhammer');
    expect(r.container.textContent).not.toMatch(/\/build|equipment\/\d/);
  });

  it('long text shows every word, the changed ones marked; sections follow the sheet', () => {
    const a = build(
      [{ item: 'dagger' }],
      'She kept the lighthouse on the northern cape for twenty long winters.',
    );
    const b = {
      ...build([{ item: 'dagger' }], 'She kept the lighthouse on the southern cape for twenty long winters.'),
    };
    b.build.name = 'Brakka';
    const rows = semanticDiff(a, b, { names });
    r = render(<ChangeList rows={rows} label="Changes" />);
    expect([...r.container.querySelectorAll('h4')].map((h) => h.textContent)).toEqual(['Name', 'Backstory']);
    expect(r.container.querySelector('del')?.textContent).toBe('[removed: northern]');
    expect(r.container.querySelector('ins')?.textContent).toBe('[added: southern]');
    expect(r.container.querySelector('.words')?.textContent).toContain('for twenty long winters.');
  });

  it('merge conflicts use the same rows and say which side was kept', () => {
    const ours = [{ item: 'longsword' }];
    const theirs = [{ item: 'warhammer' }];
    r = render(
      <ConflictList
        into="main"
        from="what-if"
        conflicts={[
          {
            path: '/build/equipment',
            ours,
            theirs,
            kept: theirs,
            semantic: semanticDiffAt('/build/equipment', ours, theirs, { names }),
          },
        ]}
      />,
    );
    expect(r.container.querySelector('li')?.textContent).toBe('main: Longsword → what-if: Warhammer');
    expect(r.container.querySelector('.kept')?.textContent).toBe('Kept: “what-if”');
  });

  it('commit titles drop the generator bookkeeping', () => {
    expect(
      commitTitle('refine: Aria via offline/procedural (1 attempt, 0+0 tokens, 0 repairs)\n\npipeline: {}'),
    ).toBe('refine: Aria');
    expect(commitTitle('refine: swap longsword for warhammer')).toBe('refine: swap longsword for warhammer');
  });
});

describe('routes', () => {
  const cases: [string, Partial<Route>][] = [
    ['#/campaigns', { screen: 'campaigns' }],
    ['#/campaigns/c1', { screen: 'campaign', campaignId: 'c1' }],
    ['#/characters/ch%201/history', { screen: 'character', characterId: 'ch 1', tab: 'history' }],
    ['#/characters/ch1', { screen: 'character', characterId: 'ch1', tab: 'sheet' }],
    ['#/create?campaign=c1', { screen: 'create', campaignId: 'c1' }],
    ['#/drafts', { screen: 'drafts' }],
    ['#/drafts/d1', { screen: 'create', draftId: 'd1' }],
    ['#/settings', { screen: 'settings' }],
  ];
  it.each(cases)('%s parses and formats back', (hash, want) => {
    const route = parseHash(hash);
    expect(route).toMatchObject(want);
    expect(formatRoute(route)).toBe(hash);
  });
  it('SRD search and the open entry are in the URL', () => {
    const route = parseHash('#/srd/creature/owlbear?q=owl&type=creature&level=0.125');
    expect(route.srd).toEqual({
      q: 'owl',
      type: 'creature',
      level: '0.125',
      class: '',
      open: { type: 'creature', id: 'owlbear' },
    });
    expect(formatRoute(route)).toBe('#/srd/creature/owlbear?q=owl&type=creature&level=0.125');
    expect(parseHash('#/nowhere')).toEqual(emptyRoute());
  });
  it('go() makes a history entry; following the URL (Back) restores the place', () => {
    window.history.replaceState(null, '', '/#/campaigns');
    useUi.getState().syncFromLocation();
    const before = window.history.length;
    useUi.getState().go('character', { characterId: 'x1', tab: 'story' });
    expect(window.location.hash).toBe('#/characters/x1/story');
    expect(window.history.length).toBe(before + 1);
    // What Back does: the URL changes, the app follows it.
    window.history.replaceState(null, '', '/#/campaigns/c9');
    useUi.getState().syncFromLocation();
    expect(useUi.getState()).toMatchObject({ screen: 'campaign', campaignId: 'c9' });
    useUi.getState().replace({ srd: { ...emptyRoute().srd, q: 'fire' }, screen: 'srd' });
    expect(window.location.hash).toBe('#/srd?q=fire');
    expect(window.history.length).toBe(before + 1);
  });
});

describe('notices', () => {
  beforeEach(() => vi.useFakeTimers());
  it('dismiss themselves, never duplicate, and wait while hovered', () => {
    const ui = useUi.getState();
    ui.notify('info', 'Saved.');
    ui.notify('info', 'Saved.');
    expect(useUi.getState().notices.map((n) => n.text)).toEqual(['Saved.']);
    vi.advanceTimersByTime(NOTICE_MS.info - 100);
    ui.notify('info', 'Saved.'); // seen again: stays longer, still once
    vi.advanceTimersByTime(200);
    expect(useUi.getState().notices).toHaveLength(1);
    const id = useUi.getState().notices[0]?.id as number;
    ui.hold(id);
    vi.advanceTimersByTime(NOTICE_MS.info * 3);
    expect(useUi.getState().notices).toHaveLength(1);
    ui.release(id);
    vi.advanceTimersByTime(NOTICE_MS.info + 1);
    expect(useUi.getState().notices).toEqual([]);
    ui.notify('error', 'Boom');
    vi.advanceTimersByTime(NOTICE_MS.error + 1);
    expect(useUi.getState().notices).toEqual([]);
  });
  it('errors in plain words', () => {
    expect(plainError('disconnected', 'lost the connection to Loreforge')).toMatch(
      /^Loreforge stopped answering/,
    );
    expect(plainError('not-found', 'draftId: no draft abc in this session')).toBe(
      'No draft abc in this session',
    );
    expect(plainError('invalid-input', 'name: must not be empty')).toBe('Name: must not be empty');
  });
});

describe('words, not ids', () => {
  it('humanize', () => {
    expect(humanize('sleight-of-hand')).toBe('Sleight of Hand');
    expect(humanize('life-domain')).toBe('Life Domain');
    expect(humanize('spell:fire-bolt')).toBe('Fire Bolt');
  });
  it('the sheet names skills as the book does', () => {
    r = render(<SheetView derived={derive(BuildSchema.parse(EXAMPLE_BUILD), content)} />);
    const skills = [...r.container.querySelectorAll('[aria-label="Skills"] li > span')].map(
      (s) => s.textContent ?? '',
    );
    expect(skills.some((s) => s.startsWith('Sleight of Hand (Dex'))).toBe(true);
    expect(skills.join(' ')).not.toMatch(/Of Hand|sleight-of-hand/);
    const casting = r.container.querySelector('[aria-label="Spellcasting"] p')?.textContent ?? '';
    expect(casting).toMatch(/^Wizard \(Intelligence\)/);
    r.unmount();
    const fighter = BuildSchema.parse({
      ...EXAMPLE_BUILD,
      classes: [{ class: 'fighter', level: 1 }],
      equipment: [{ item: 'longsword', equipped: true }],
      spells: [],
    });
    r = render(<SheetView derived={derive(fighter, content)} />);
    const masteries = [...r.container.querySelectorAll('[aria-label="Attacks"] small')].map(
      (x) => x.textContent,
    );
    expect(masteries).toEqual([' · mastery: Sap']);
  });
});

describe('the tokenless page', () => {
  it('explains that the terminal URL carries a token, and never opens a connection', () => {
    setBridge(null);
    window.history.replaceState(null, '', '/#/campaigns');
    const sockets = vi.fn();
    vi.stubGlobal(
      'WebSocket',
      class {
        constructor() {
          sockets();
        }
      },
    );
    r = render(<App />);
    expect(r.container.querySelector('h1')?.textContent).toBe('Open Loreforge from its link');
    expect(r.container.textContent).toContain('printed in the terminal');
    expect(r.container.textContent).toContain('?token=');
    expect(sockets).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});

describe('SRD entries as a player reads them', () => {
  it('a spell card', () => {
    r = render(<SrdEntry type="spell" data={content.spells.get('fireball')} monster={null} />);
    const t = r.container.textContent ?? '';
    expect(r.container.querySelector('.entry-kind')?.textContent).toBe('3rd-level evocation');
    expect(t).toContain('Casting time1 action');
    expect(t).toContain('ComponentsV, S, M (a ball of bat guano and sulfur)');
    expect(t).toContain('Saving throwDexterity');
    expect(t).toContain('At higher levels.');
    expect(t).toContain('Spell listsSorcerer, Wizard');
    expect(t).not.toMatch(/[{}"]/);
  });
  it('an item page and a class page', () => {
    r = render(<SrdEntry type="item" data={content.items.get('longsword')} monster={null} />);
    expect(r.container.querySelector('.entry-kind')?.textContent).toBe('Martial melee weapon');
    expect(r.container.textContent).toContain('Damage1d8 slashing (1d10 two-handed)');
    expect(r.container.textContent).toContain('MasterySap');
    r.unmount();
    r = render(<SrdEntry type="class" data={content.classes.get('wizard')} monster={null} />);
    const rows = r.container.querySelectorAll('.class-table tbody tr');
    expect(rows).toHaveLength(20);
    expect(rows[0]?.textContent).toContain('Spellcasting');
    expect(rows[0]?.textContent).toContain('1st: 2');
    expect(r.container.textContent).toContain('Saving throwsIntelligence, Wisdom');
  });
});

describe('the drafts screen', () => {
  it('lists drafts and offers the old ones for clean-up', async () => {
    const discarded: string[] = [];
    const day = 24 * 3600 * 1000;
    const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
      'drafts.list': () =>
        [
          {
            draftId: 'd1',
            name: 'Fresh',
            kind: 'pc',
            campaign: null,
            concept: 'new',
            revisions: 1,
            updatedAt: Date.now(),
            stale: false,
          },
          {
            draftId: 'd2',
            name: 'Dusty',
            kind: 'npc',
            campaign: null,
            concept: 'old',
            revisions: 3,
            updatedAt: Date.now() - 40 * day,
            stale: true,
          },
        ].filter((d) => !discarded.includes(d.draftId)),
      'settings.get': () => ({ drafts: { cleanupAfterDays: 30 } }),
      'drafts.discard': (input) => {
        discarded.push(String(input['draftId']));
        return { draftId: input['draftId'], discarded: true };
      },
    };
    setBridge({
      invoke: async (channel: string, input: Record<string, unknown>) => {
        const fn = answers[channel];
        return fn
          ? { ok: true, value: fn(input) }
          : { ok: false, error: { code: 'not-found', message: channel } };
      },
      on: () => () => undefined,
      versions: { app: 't', electron: null, chrome: null, node: null },
    } as unknown as DesktopBridge);
    vi.stubGlobal('confirm', () => true);
    r = render(<Drafts />);
    await flush();
    await flush();
    const items = r.container.querySelectorAll('[aria-label="Draft list"] > li');
    expect([...items].map((li) => li.getAttribute('aria-label'))).toEqual(['Fresh', 'Dusty']);
    expect(items[1]?.textContent).toContain('NPC · 3 revisions · changed 40 days ago · old');
    const offer = r.container.querySelector('[aria-label="Clean up"]');
    expect(offer?.textContent).toContain('One draft has not been touched for more than 30 days.');
    const button = offer?.querySelector('button') as HTMLButtonElement;
    expect(button.textContent).toBe('Discard it');
    button.click();
    await flush();
    await flush();
    expect(discarded).toEqual(['d2']);
    expect(r.container.querySelectorAll('[aria-label="Draft list"] > li')).toHaveLength(1);
    expect(r.container.querySelector('[aria-label="Clean up"]')).toBeNull();
    vi.unstubAllGlobals();
    setBridge(null);
  });
});
