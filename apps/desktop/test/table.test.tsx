/** The table's tracker: the DM drives it from the keyboard; a player sees labels, not foes' HP. */
import type { HandlerOutput } from '@loreforge/core';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Tracker } from '../src/renderer/src/screens/Table';
import { byLabel, change, render, type Rendered } from './render';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
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
