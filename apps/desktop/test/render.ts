/** Minimal React test rendering on jsdom (react-dom + act), without extra libraries. */
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  unmount(): void;
}

export function render(ui: ReactElement): Rendered {
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root;
  act(() => {
    root = createRoot(container);
    root.render(ui);
  });
  return {
    container,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

export function fire(el: Element, type: 'mouseover' | 'mouseout' | 'focusin' | 'focusout' | 'click'): void {
  act(() => {
    el.dispatchEvent(new (type.startsWith('focus') ? FocusEvent : MouseEvent)(type, { bubbles: true }));
  });
}

export async function flush(): Promise<void> {
  await act(async () => {
    await Promise.resolve();
  });
}

/** Set a form control's value the way React notices, then dispatch the event. */
export function change(el: HTMLInputElement | HTMLSelectElement, value: string): void {
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  act(() => {
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}

export function byLabel(root: HTMLElement, label: string): HTMLElement {
  const el = [...root.querySelectorAll('[aria-label]')].find((e) => e.getAttribute('aria-label') === label);
  if (!el) throw new Error(`no element labelled "${label}"`);
  return el as HTMLElement;
}
