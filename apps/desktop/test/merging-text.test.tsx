/**
 * Issue 14 item 2: a form never overwrites what its user typed but has not saved with a remote change. The story
 * form's long texts merge a change made elsewhere into the unsaved typing, and saving sends the base it started
 * from, so core can merge the typing into whatever the document holds by then.
 */
import { act, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mergeText } from '@loreforge/core/text-merge';
import type { DesktopBridge } from '@loreforge/core';
import { setBridge } from '../src/renderer/src/bridge';
import { MergingTextField, useMergingText } from '../src/renderer/src/components/MergingTextField';
import { StoryForm } from '../src/renderer/src/components/StoryForm';
import { byLabel, flush, render, type Rendered } from './render';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
  setBridge(null);
});

function type(el: HTMLTextAreaElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(el, value);
  act(() => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function textarea(root: HTMLElement, label: string): HTMLTextAreaElement {
  const el = [...root.querySelectorAll('label')]
    .find((l) => l.textContent?.startsWith(label))
    ?.querySelector('textarea');
  if (!el) throw new Error(`no textarea labelled ${label}`);
  return el;
}

let setRemote: (s: string) => void = () => {};
function Harness({ initial }: { initial: string }) {
  const [remote, set] = useState(initial);
  setRemote = set;
  const text = useMergingText(remote);
  return (
    <>
      <MergingTextField label="Backstory" text={text} />
      <output data-testid="base">{text.base}</output>
    </>
  );
}

describe('MergingTextField', () => {
  it('merges a remote change into unsaved typing instead of replacing it, and says so', () => {
    r = render(<Harness initial="She sailed north." />);
    const box = textarea(r.container, 'Backstory');
    expect(box.value).toBe('She sailed north.');
    type(box, 'Young, she sailed north.');
    // Another window saves an edit at the end meanwhile.
    act(() => setRemote('She sailed north. Alone.'));
    expect(box.value).toBe('Young, she sailed north. Alone.');
    expect(r.container.querySelector('[data-testid="base"]')?.textContent).toBe('She sailed north. Alone.');
    expect(r.container.querySelector('[role="status"]')?.textContent).toMatch(/changed elsewhere/);
    // The user can still drop their own typing and see the saved text.
    act(() => (r?.container.querySelector('button') as HTMLButtonElement).click());
    expect(box.value).toBe('She sailed north. Alone.');
  });

  it('without unsaved typing, a remote change simply shows', () => {
    r = render(<Harness initial="one" />);
    const box = textarea(r.container, 'Backstory');
    act(() => setRemote('one two'));
    expect(box.value).toBe('one two');
    expect(r.container.querySelector('[role="status"]')).toBeNull();
  });
});

describe('StoryForm', () => {
  it('saves with its base: core merges, the form shows the merged text and keeps typing merged with remote edits', async () => {
    // A fake core holding the live backstory; another writer appended " Alone." before this form saved.
    let live = 'She sailed north. Alone.';
    const invoke = vi.fn(async (channel: string, input: Record<string, string>) => {
      if (channel === 'characters.editText') {
        live = mergeText(input['base'] ?? '', input['text'] ?? '', live);
        return { ok: true, value: { path: input['path'], text: live, commit: 'c1' } };
      }
      return { ok: true, value: { commit: 'c2', tags: [], warnings: [] } };
    });
    setBridge({
      invoke,
      on: () => () => {},
      versions: { app: 't', electron: null, chrome: null, node: null },
    } as unknown as DesktopBridge);
    const onSaved = vi.fn();
    const props = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Mira',
      appearance: '',
      branch: 'main',
      branches: [],
      onSaved,
    };
    let rerender: (backstory: string) => void = () => {};
    function Host() {
      const [b, set] = useState('She sailed north.');
      rerender = set;
      return <StoryForm {...props} backstory={b} />;
    }
    r = render(<Host />);
    const box = textarea(r.container, 'Backstory');
    type(box, 'Young, she sailed north.');
    // The sheet reloads with another page's save: the typing stays, the other edit joins it.
    act(() => rerender('She sailed north. Alone.'));
    expect(box.value).toBe('Young, she sailed north. Alone.');
    // A third writer adds a word the form has not seen yet; saving merges, nothing is lost.
    live = 'She sailed far north. Alone.';
    act(() => (byLabel(r?.container as HTMLElement, 'Edit character') as HTMLFormElement).requestSubmit());
    await flush();
    await flush();
    expect(invoke).toHaveBeenCalledWith('characters.editText', {
      id: props.id,
      path: '/narrative/backstory',
      base: 'She sailed north. Alone.',
      text: 'Young, she sailed north. Alone.',
      message: 'rewrite backstory',
    });
    expect(box.value).toBe('Young, she sailed far north. Alone.');
    expect(onSaved).toHaveBeenCalled();
  });
});
