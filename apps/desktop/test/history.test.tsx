/** The history view: graph layout (lanes, merge edges), diff between two chosen commits, branch, merge, tag. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HistoryView,
  layoutGraph,
  type GraphBranch,
  type GraphCommit,
} from '../src/renderer/src/components/HistoryView';
import { byLabel, change, flush, render, type Rendered } from './render';

const commit = (
  id: string,
  branch: string,
  parents: string[],
  ts: number,
  extra: Partial<GraphCommit> = {},
): GraphCommit => ({
  commit: id.padEnd(12, '0'),
  parents: parents.map((p) => p.padEnd(12, '0')),
  branch,
  message: `commit ${id}`,
  author: 'local',
  timestamp: ts,
  tags: [],
  ...extra,
});

// a ← b (main) ; a ← c (what-if) ; merge d = b + c on main
const commits = [
  commit('a', 'main', [], 1),
  commit('b', 'main', ['a'], 2),
  commit('c', 'what-if', ['a'], 3, { tags: ['idea'] }),
  commit('d', 'main', ['b', 'c'], 4, { message: 'merge what-if into main' }),
];
const branches: GraphBranch[] = [
  { name: 'what-if', head: 'c'.padEnd(12, '0'), forkedFrom: 'a'.padEnd(12, '0'), isDefault: false },
  { name: 'main', head: 'd'.padEnd(12, '0'), forkedFrom: null, isDefault: true },
];

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

function props() {
  return {
    branches,
    commits,
    onDiff: vi.fn(async (_from: string, _to: string) => ({
      changes: [
        { path: '/narrative/backstory', from: 'the old tale of the north', to: 'the new tale of the north' },
      ],
      summary: '1 change',
      semantic: [
        {
          section: 'Backstory',
          subject: 'Backstory',
          kind: 'changed' as const,
          before: 'the old tale of the north',
          after: 'the new tale of the north',
          summary: 'Backstory rewritten',
          entry: false,
          path: '/narrative/backstory',
          words: [
            { op: 'same' as const, text: 'the ' },
            { op: 'del' as const, text: 'old' },
            { op: 'add' as const, text: 'new' },
            { op: 'same' as const, text: ' tale of the north' },
          ],
        },
      ],
    })),
    onBranch: vi.fn(async () => ({})),
    onMerge: vi.fn(async () => ({})),
    onTag: vi.fn(async () => ({})),
  };
}

describe('layoutGraph', () => {
  it('puts the default branch in lane 0, newest first, with one edge per parent', () => {
    const g = layoutGraph(branches, commits);
    expect(g.rows.map((c) => c.commit[0])).toEqual(['d', 'c', 'b', 'a']);
    expect(g.lanes).toBe(2);
    expect(g.laneOf(g.rows[0] as GraphCommit)).toBe(0);
    expect(g.laneOf(g.rows[1] as GraphCommit)).toBe(1);
    expect(g.edges).toHaveLength(4);
    const mergeEdges = g.edges.filter((e) => e.from.startsWith('d'));
    expect(mergeEdges.map((e) => e.x2).sort()).toEqual([0, 1]);
  });
});

describe('HistoryView', () => {
  it('draws one dot per commit and marks merges, heads and tags', () => {
    r = render(<HistoryView {...props()} />);
    expect(r.container.querySelectorAll('circle')).toHaveLength(4);
    expect(r.container.querySelectorAll('path.edge')).toHaveLength(4);
    const text = r.container.textContent ?? '';
    expect(text).toContain('head of main');
    expect(text).toContain('head of what-if');
    expect(text).toContain('idea');
    expect(r.container.querySelectorAll('.merge-chip')).toHaveLength(1);
  });

  it('diffs the two chosen commits and shows the changes', async () => {
    const p = props();
    r = render(<HistoryView {...p} />);
    const diffButton = [...r.container.querySelectorAll('button')].find(
      (b) => b.textContent === 'Diff A → B',
    ) as HTMLButtonElement;
    expect(diffButton.disabled).toBe(true);
    (byLabel(r.container, 'Diff from a0000000') as HTMLInputElement).click();
    (byLabel(r.container, 'Diff to d0000000') as HTMLInputElement).click();
    await flush();
    expect(diffButton.disabled).toBe(false);
    diffButton.click();
    await flush();
    expect(p.onDiff).toHaveBeenCalledWith('a'.padEnd(12, '0'), 'd'.padEnd(12, '0'));
    const diff = byLabel(r.container, 'Diff');
    expect(diff.querySelector('h4')?.textContent).toBe('Backstory');
    expect(diff.querySelector('del')?.textContent).toBe('[removed: old]');
    expect(diff.querySelector('ins')?.textContent).toBe('[added: new]');
    expect(diff.textContent).not.toContain('/narrative');
  });

  it('branches from any commit with the given name', async () => {
    const p = props();
    r = render(<HistoryView {...p} />);
    (byLabel(r.container, 'Branch from b0000000') as HTMLButtonElement).click();
    await flush();
    const form = byLabel(r.container, 'New branch') as HTMLFormElement;
    change(form.querySelector('input') as HTMLInputElement, 'alt-ending');
    (form.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await flush();
    expect(p.onBranch).toHaveBeenCalledWith('alt-ending', 'b'.padEnd(12, '0'));
  });

  it('merges the chosen branch into the default branch and tags a commit', async () => {
    const p = props();
    r = render(<HistoryView {...p} />);
    const merge = byLabel(r.container, 'Merge') as HTMLFormElement;
    const [from] = [...merge.querySelectorAll('select')] as HTMLSelectElement[];
    const submit = merge.querySelector('button[type="submit"]') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    change(from as HTMLSelectElement, 'what-if');
    expect(submit.disabled).toBe(false);
    submit.click();
    await flush();
    expect(p.onMerge).toHaveBeenCalledWith('what-if', 'main');

    const tag = byLabel(r.container, 'Tag') as HTMLFormElement;
    change(tag.querySelector('input') as HTMLInputElement, 'session-2');
    (tag.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await flush();
    expect(p.onTag).toHaveBeenCalledWith('session-2', 'main');
  });
});
