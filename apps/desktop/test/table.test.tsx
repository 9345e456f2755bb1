/** The table's tracker: the DM drives it from the keyboard; a player sees labels, not foes' HP. */
import type { HandlerOutput } from '@loreforge/core';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../src/renderer/src/bridge';
import { PlaySheetPanel, Tracker } from '../src/renderer/src/screens/Table';
import { byLabel, change, flush, render, type Rendered } from './render';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
  setBridge(null);
});

type View = HandlerOutput<'play.view'>;
const dmView: View = {
  session: 's1',
  round: 2,
  turn: 'aria',
  status: 'active',
  order: [
    {
      id: 'aria',
      name: 'Aria',
      side: 'party',
      initiative: 18,
      hidden: false,
      hp: 20,
      tempHp: 3,
      status: 'conscious',
      conditions: [],
    },
    {
      id: 'goblin-1',
      name: 'Goblin 1',
      side: 'foe',
      initiative: 12,
      hidden: false,
      hp: 4,
      tempHp: 0,
      status: 'conscious',
      conditions: ['prone'],
    },
    {
      id: 'lurker',
      name: 'Lurker',
      side: 'foe',
      initiative: 9,
      hidden: true,
      hp: 30,
      tempHp: 0,
      status: 'conscious',
      conditions: [],
    },
  ],
  prompts: [{ kind: 'concentration', combatant: 'aria', dc: 12 }],
  log: [],
};

function key(el: Element, k: string, opts: { altKey?: boolean } = {}) {
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, ...opts }));
  });
}

describe('Tracker', () => {
  it('lets the DM pick a combatant and damage, heal and advance without the mouse', () => {
    const onNext = vi.fn();
    const onDamage = vi.fn();
    const onHeal = vi.fn();
    r = render(<Tracker view={dmView} role="dm" onNext={onNext} onDamage={onDamage} onHeal={onHeal} />);
    const section = byLabel(r.container, 'Initiative');
    expect(r.container.textContent).toContain('Lurker (hidden)');
    expect(r.container.textContent).toContain('concentration save, DC 12');
    const amount = byLabel(r.container, 'Amount') as HTMLInputElement;
    change(amount, '7');
    key(section, 'ArrowDown');
    key(section, 'd');
    expect(onDamage).toHaveBeenCalledWith('goblin-1', 7);
    key(amount, 'h', { altKey: true });
    expect(onHeal).toHaveBeenCalledWith('goblin-1', 7);
    key(section, 'n');
    expect(onNext).toHaveBeenCalledTimes(1);
    // Typing in the amount field does not trigger the shortcuts.
    key(amount, 'n');
    expect(onNext).toHaveBeenCalledTimes(1);
    expect(r.container.querySelector('[aria-current="true"]')?.textContent).toContain('Aria');
  });

  it('shows a player health labels and no DM controls', () => {
    const view: View = {
      ...dmView,
      order: [
        dmView.order[0]!,
        {
          id: 'goblin-1',
          name: 'Goblin 1',
          side: 'foe',
          initiative: 12,
          hidden: false,
          health: 'bloodied',
          status: 'conscious',
          conditions: [],
        },
      ],
      prompts: [],
    };
    const onNext = vi.fn();
    r = render(<Tracker view={view} role="player" onNext={onNext} onDamage={vi.fn()} onHeal={vi.fn()} />);
    expect(byLabel(r.container, 'Goblin 1 health').textContent).toBe('bloodied');
    expect(byLabel(r.container, 'Aria health').textContent).toBe('20 +3');
    expect(r.container.querySelector('[aria-label="Amount"]')).toBeNull();
    key(byLabel(r.container, 'Initiative'), 'n');
    expect(onNext).not.toHaveBeenCalled();
  });
});

describe('PlaySheetPanel', () => {
  it('shows the live sheet and sends table actions through the bridge', async () => {
    const sheet = {
      maxHp: 30,
      hp: 12,
      tempHp: 0,
      hitDice: {},
      slots: { max: [4, 3, 0, 0, 0, 0, 0, 0, 0], expended: [1, 0, 0, 0, 0, 0, 0, 0, 0] },
      pact: null,
      conditions: [],
      exhaustion: 0,
      concentration: null,
      deathSaves: { successes: 0, failures: 0 },
      status: 'conscious',
      inspiration: false,
    };
    const calls: [string, unknown][] = [];
    setBridge({
      invoke: (async (channel: string, input: unknown) => {
        calls.push([channel, input]);
        if (channel === 'play.sheetAct')
          return {
            ok: true,
            value: { ...sheet, hp: 30, slots: { ...sheet.slots, expended: Array(9).fill(0) } },
          };
        return { ok: true, value: sheet };
      }) as never,
      on: () => () => {},
      versions: { app: 'test', electron: null, chrome: null, node: null },
    });
    r = render(<PlaySheetPanel party={[{ id: 'aria', name: 'Aria' }]} />);
    await flush();
    await flush();
    expect(byLabel(r.container, 'Hit points').textContent).toContain('HP 12/30');
    expect(byLabel(r.container, 'Spell slots').textContent).toBe('L1 3/4 · L2 3/3');
    const longRest = [...r.container.querySelectorAll('button')].find((b) => b.textContent === 'Long rest')!;
    act(() => longRest.click());
    await flush();
    await flush();
    expect(calls.at(-1)).toEqual(['play.sheetAct', { character: 'aria', action: 'long-rest' }]);
    expect(byLabel(r.container, 'Hit points').textContent).toContain('HP 30/30');
    expect(byLabel(r.container, 'Spell slots').textContent).toBe('L1 4/4 · L2 3/3');
  });
});
