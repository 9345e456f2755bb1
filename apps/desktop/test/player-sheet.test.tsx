/**
 * Issue 14 item 7, the sheet for players: features by level (up to the character's level), spells with their SRD
 * cards, the inventory with weights, and a warning next to each attack made without proficiency.
 */
import { loadSrdContent, type DesktopBridge } from '@loreforge/core';
import { BuildSchema, derive, EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../src/renderer/src/bridge';
import { PlayerSheet } from '../src/renderer/src/components/PlayerSheet';
import { SheetView } from '../src/renderer/src/components/SheetView';
import { flush, render, type Rendered } from './render';

const content = loadSrdContent();
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
  setBridge(null);
});

function region(root: HTMLElement, name: string): HTMLElement {
  const el = root.querySelector(`section[aria-label="${name}"]`);
  if (!el) throw new Error(`no section ${name}`);
  return el as HTMLElement;
}

describe('proficiency warnings on attacks', () => {
  it('marks a weapon the character is not proficient with, and only that one', () => {
    const build = BuildSchema.parse({
      ...EXAMPLE_BUILD,
      equipment: [
        { item: 'quarterstaff', equipped: true },
        { item: 'longsword', equipped: true },
      ],
    });
    const d = derive(build, content);
    expect(d.attacks.find((a) => a.item === 'longsword')?.proficient).toBe(false);
    r = render(<SheetView derived={d} />);
    const rows = [...region(r.container, 'Attacks').querySelectorAll('tbody tr')];
    const row = (name: string) => rows.find((x) => x.querySelector('th')?.textContent?.startsWith(name));
    expect(row('Longsword')?.textContent).toMatch(/Not proficient: no proficiency bonus to hit/);
    expect(row('Quarterstaff')?.textContent).not.toMatch(/Not proficient/);
  });
});

describe('PlayerSheet', () => {
  it('lists features by level, spells with their cards and the inventory from the SRD', async () => {
    const tables = {
      spell: content.spells,
      item: content.items,
      class: content.classes,
      subclass: content.subclasses,
    } as Record<string, ReadonlyMap<string, unknown>>;
    const invoke = vi.fn(async (channel: string, input: { type: string; id: string }) => {
      const row = channel === 'srd.get' ? tables[input.type]?.get(input.id) : undefined;
      return row
        ? { ok: true, value: { type: input.type, id: input.id, data: row, monster: null } }
        : { ok: false, error: { code: 'not-found', message: `id: no ${input.type} "${input.id}"` } };
    });
    setBridge({
      invoke,
      on: () => () => {},
      versions: { app: 't', electron: null, chrome: null, node: null },
    } as unknown as DesktopBridge);
    const build = BuildSchema.parse({
      ...EXAMPLE_BUILD,
      equipment: [
        ...(EXAMPLE_BUILD.equipment ?? []),
        { item: 'dagger', quantity: 2 },
        { item: 'moon-locket' },
      ],
    });
    r = render(
      <PlayerSheet build={build} elements={[{ kind: 'item', name: 'Moon Locket', id: 'moon-locket' }]} />,
    );
    await flush();
    await flush();

    // Features: level 1 … 5 of the Wizard and the Evoker's level-3 features; nothing above level 5.
    const features = region(r.container, 'Features by level');
    const levels = [...features.querySelectorAll('li[aria-label^="Level "]')].map((li) =>
      li.getAttribute('aria-label'),
    );
    expect(levels).toEqual(['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5']);
    const level3 = features.querySelector('li[aria-label="Level 3"]')?.textContent ?? '';
    expect(level3).toContain('Evocation Savant');
    expect(level3).toContain('Potent Cantrip');
    expect(features.textContent).toContain('Arcane Recovery');
    expect(features.textContent).not.toContain('Sculpt Spells');
    expect(features.textContent).not.toContain('Spell Mastery');

    // Spells: grouped, cantrips first, each with its card.
    const spells = region(r.container, 'Spells');
    const wizard = spells.querySelector('[aria-label="Wizard spells"]') as HTMLElement;
    const names = [...wizard.querySelectorAll('summary')].map((s) => s.firstChild?.textContent?.trim());
    expect(names.slice(0, 4)).toEqual(['Fire Bolt', 'Light', 'Mage Hand', 'Prestidigitation']);
    expect(names).toContain('Fireball');
    expect(spells.querySelector('[aria-label="Spells from Magic Initiate"]')?.textContent).toContain(
      'Find Familiar',
    );
    const fireball = [...wizard.querySelectorAll('details')].find((d) =>
      d.querySelector('summary')?.textContent?.startsWith('Fireball'),
    ) as HTMLDetailsElement;
    expect(fireball.querySelector('summary')?.textContent).toContain('3rd level');
    act(() => {
      fireball.open = true;
    });
    const card = fireball.querySelector('article[aria-label="Fireball card"]');
    expect(card?.querySelector('h4')?.textContent).toBe('Fireball');
    expect(card?.textContent).toMatch(/Casting time/);
    expect(card?.textContent).toMatch(/8d6 fire/);

    // Inventory: names, quantities, equipped, weights and the total; a custom item under its own name.
    const inventory = region(r.container, 'Inventory');
    const rows = [...inventory.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((c) => (c.querySelector('summary') ?? c).textContent),
    );
    expect(rows).toEqual([
      ['Quarterstaff', '1', 'Equipped', '4 lb.'],
      ['Spellbook', '1', '—', '3 lb.'],
      ['Dagger', '2', '—', '2 lb.'],
      ['Moon Locket', '1', '—', '—'],
    ]);
    expect(inventory.querySelector('tfoot')?.textContent).toContain('9 lb.');
  });
});
