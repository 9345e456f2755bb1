/** The sheet explains every number: hovering or focusing shows its parts, which sum to the shown value. */
import { loadSrdContent } from '@loreforge/core';
import { BuildSchema, derive, EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { afterEach, describe, expect, it } from 'vitest';
import { Explained } from '../src/renderer/src/components/Explained';
import { SheetView } from '../src/renderer/src/components/SheetView';
import { byLabel, fire, render, type Rendered } from './render';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('Explained', () => {
  it('shows the parts and total on hover and hides them on leave', () => {
    r = render(
      <Explained
        label="Armor Class"
        value={{
          value: 18,
          parts: [
            { source: 'chain-mail', value: 16 },
            { source: 'shield', value: 2 },
          ],
        }}
      />,
    );
    const num = byLabel(r.container, 'Armor Class: 18');
    expect(r.container.querySelector('[role="tooltip"]')).toBeNull();
    fire(num, 'mouseover');
    const tip = r.container.querySelector('[role="tooltip"]');
    expect(tip?.textContent).toContain('Chain mail+16');
    expect(tip?.textContent).toContain('Shield+2');
    expect(tip?.textContent).toContain('Total18');
    expect(num.getAttribute('aria-describedby')).toBe(tip?.id);
    fire(num, 'mouseout');
    expect(r.container.querySelector('[role="tooltip"]')).toBeNull();
  });

  it('opens on keyboard focus and signs modifiers', () => {
    r = render(
      <Explained
        label="Dexterity modifier"
        sign
        value={{ value: -1, parts: [{ source: 'dex', value: -1 }] }}
      />,
    );
    const num = byLabel(r.container, 'Dexterity modifier: -1');
    expect(num.tabIndex).toBe(0);
    fire(num, 'focusin');
    expect(r.container.querySelector('[role="tooltip"]')?.textContent).toContain('Dex-1');
    fire(num, 'focusout');
    expect(r.container.querySelector('[role="tooltip"]')).toBeNull();
  });
});

describe('SheetView', () => {
  const derived = derive(BuildSchema.parse(EXAMPLE_BUILD), loadSrdContent());

  it('renders every derived number with an explanation whose parts sum to it', () => {
    r = render(<SheetView derived={derived} />);
    const numbers = [...r.container.querySelectorAll<HTMLElement>('.explained')];
    // 6 vitals + 6 modifiers + 6 saves + 18 skills + passive + 2 per attack + 2 per caster class.
    const expected =
      6 + 6 + 6 + 18 + 1 + derived.attacks.length * 2 + derived.spellcasting.classes.length * 2;
    expect(numbers).toHaveLength(expected);
    for (const el of numbers) {
      fire(el, 'mouseover');
      const tip = el.querySelector('[role="tooltip"]');
      expect(tip, el.getAttribute('aria-label') ?? '').not.toBeNull();
      const parts = [...(tip as Element).querySelectorAll('.part:not(.total) span:last-child')].map((s) =>
        Number(s.textContent),
      );
      const shown = Number((el.getAttribute('aria-label') ?? '').split(': ').at(-1));
      if (parts.length > 0 && !Number.isNaN(parts[0])) expect(parts.reduce((a, b) => a + b, 0)).toBe(shown);
      fire(el, 'mouseout');
    }
  });

  it('shows AC and HP with the values derive computed', () => {
    r = render(<SheetView derived={derived} />);
    byLabel(r.container, `Armor Class: ${derived.armorClass.value}`);
    byLabel(r.container, `Hit Point maximum: ${derived.hitPoints.max.value}`);
    expect(r.container.textContent).toContain('Spellcasting');
    expect(r.container.textContent).toContain('Skills');
  });
});
