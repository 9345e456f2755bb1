/**
 * The outline drawing (issue 13): one box per chapter laid out by breadth-first depth from the start, one arrow per
 * choice with its text as a tooltip, endings and played chapters marked, the taken branch highlighted, and a
 * `role="img"` summary label.
 */
// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  layoutOutline,
  OutlineDiagram,
  type GraphOutline,
} from '../src/renderer/src/components/OutlineGraph';
import { OutlineGraph, type Outline } from '../src/renderer/src/screens/Story';
import { fire, render, type Rendered } from './render';

const ch = (
  id: string,
  choices: [string, string][],
  extra: Partial<GraphOutline['chapters'][number]> = {},
) => ({
  id,
  title: `Chapter ${id.toUpperCase()}`,
  ending: false,
  status: 'planned' as const,
  choices: choices.map(([text, next]) => ({ text, next })),
  ...extra,
});

const outline: GraphOutline = {
  start: 'a',
  current: 'c',
  chapters: [
    ch(
      'a',
      [
        ['Take the road', 'b'],
        ['Sail the river', 'c'],
      ],
      { status: 'played', taken: 1 },
    ),
    ch('b', [['Storm the keep', 'd']]),
    ch('c', [
      ['Storm the keep', 'd'],
      ['Flee north', 'e'],
      ['Go back', 'a'],
    ]),
    ch('d', [], { ending: true }),
    ch('e', [], { ending: true }),
    ch('orphan', [['Somewhere', 'nowhere']]),
  ],
};

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('OutlineGraph drawing', () => {
  it('layers chapters by breadth-first depth from the start; unreachable ones last', () => {
    const { layer, layers, edges } = layoutOutline(outline);
    expect(Object.fromEntries(layer)).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 2, orphan: 3 });
    expect(layers).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['orphan']]);
    // The choice to a chapter that does not exist draws no arrow.
    expect(edges).toHaveLength(6);
    expect(edges.filter((e) => e.taken)).toEqual([
      { from: 'a', to: 'c', text: 'Sail the river', taken: true },
    ]);
  });

  it('draws one node per chapter and one arrow per choice, endings and played marked', () => {
    r = render(<OutlineDiagram outline={outline} />);
    const svg = r.container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Outline drawing: 6 chapters in 4 layers, 6 choices, 2 endings, 1 played.',
    );
    const nodes = [...svg.querySelectorAll('[data-chapter]')];
    expect(nodes.map((n) => n.getAttribute('data-chapter'))).toEqual(['a', 'b', 'c', 'd', 'e', 'orphan']);
    const edges = [...svg.querySelectorAll('[data-edge]')];
    expect(edges).toHaveLength(6);
    expect(edges.map((e) => e.getAttribute('data-edge'))).toContain('c->a');
    expect(edges.every((e) => e.querySelector('path')?.getAttribute('marker-end')?.startsWith('url(#'))).toBe(
      true,
    );
    expect([...svg.querySelectorAll('[data-ending]')].map((n) => n.getAttribute('data-chapter'))).toEqual([
      'd',
      'e',
    ]);
    // An ending has a second (inner) border; others have one.
    expect(svg.querySelectorAll('[data-chapter="d"] rect')).toHaveLength(2);
    expect(svg.querySelectorAll('[data-chapter="b"] rect')).toHaveLength(1);
    expect([...svg.querySelectorAll('[data-played]')].map((n) => n.getAttribute('data-chapter'))).toEqual([
      'a',
    ]);
    const taken = svg.querySelector('[data-taken]')!;
    expect(taken.getAttribute('data-edge')).toBe('a->c');
    expect(taken.querySelector('title')!.textContent).toBe('Sail the river (taken)');
    expect(svg.querySelector('[data-edge="b->d"] title')!.textContent).toBe('Storm the keep');
    expect(svg.querySelector('[data-chapter="d"] title')!.textContent).toContain('(ending)');
    // Columns by layer: b and c share a column right of a; d below-right of b.
    const x = (id: string) =>
      Number(
        /translate\(([\d.]+),/.exec(
          svg.querySelector(`[data-chapter="${id}"]`)!.getAttribute('transform')!,
        )![1],
      );
    expect(x('b')).toBe(x('c'));
    expect(x('b')).toBeGreaterThan(x('a'));
    expect(x('d')).toBeGreaterThan(x('b'));
    expect(x('orphan')).toBeGreaterThan(x('e'));
  });

  it('with onOpen the chapter boxes are buttons: click, Enter and Space open the chapter; focus is drawn', () => {
    const opened: string[] = [];
    r = render(<OutlineDiagram outline={outline} onOpen={(id) => opened.push(id)} />);
    const svg = r.container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('group');
    expect(svg.getAttribute('aria-label')).toMatch(/Each chapter box opens that chapter\.$/);
    const buttons = [...svg.querySelectorAll('[role="button"]')];
    // One per chapter, in outline order (the Tab order), each named after its chapter.
    expect(buttons.map((b) => b.getAttribute('data-chapter'))).toEqual(['a', 'b', 'c', 'd', 'e', 'orphan']);
    expect(buttons.every((b) => b.getAttribute('tabindex') === '0')).toBe(true);
    expect(buttons[0]!.getAttribute('aria-label')).toBe('Open chapter Chapter A (start, played)');
    expect(buttons[3]!.getAttribute('aria-label')).toBe('Open chapter Chapter D (ending)');
    fire(buttons[1]!, 'click');
    const key = (el: Element, k: string) =>
      act(() => {
        el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      });
    key(buttons[2]!, 'Enter');
    key(buttons[3]!, ' ');
    key(buttons[4]!, 'a');
    expect(opened).toEqual(['b', 'c', 'd']);
    act(() => (buttons[4] as SVGGElement).focus());
    expect(document.activeElement).toBe(buttons[4]);
    expect(buttons[4]!.getAttribute('data-focused')).toBe('true');
    expect(buttons[4]!.querySelector('rect')!.getAttribute('stroke-dasharray')).toBe('6 3');
    act(() => (buttons[4] as SVGGElement).blur());
    expect(buttons[4]!.getAttribute('data-focused')).toBeNull();
  });

  it('without onOpen nothing in the drawing is focusable', () => {
    r = render(<OutlineDiagram outline={outline} />);
    expect(r.container.querySelectorAll('[tabindex], [role="button"]')).toHaveLength(0);
  });

  it('draws an empty outline without failing', () => {
    r = render(<OutlineDiagram outline={{ start: 'x', chapters: [] }} />);
    expect(r.container.querySelector('svg')!.getAttribute('aria-label')).toBe(
      'Outline drawing: 0 chapters in 0 layers, 0 choices, 0 endings, 0 played.',
    );
  });

  it("the Story screen's outline section shows the drawing beside the chapter list; a box opens its chapter", () => {
    const opened: string[] = [];
    r = render(
      <OutlineGraph
        outline={{ ...outline, proposals: [] } as unknown as Outline}
        check={null}
        onOpen={(id) => opened.push(id)}
      />,
    );
    const section = r.container.querySelector('section')!;
    const svg = section.querySelector('svg[role="group"]')!;
    expect(svg.querySelectorAll('[data-chapter]')).toHaveLength(6);
    expect(svg.querySelectorAll('[data-edge]')).toHaveLength(6);
    // The list stays the accessible equivalent.
    expect(section.querySelectorAll('[aria-label="Chapter graph"] > li')).toHaveLength(6);
    fire(svg.querySelector('[data-chapter="e"]')!, 'click');
    expect(opened).toEqual(['e']);
  });
});
