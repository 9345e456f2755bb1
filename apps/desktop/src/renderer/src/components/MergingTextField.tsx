/**
 * A long text field (backstory, appearance) that never loses what its user typed. It keeps the text it started
 * from (`base`: the document's text when the form last took it in). When the document's text changes elsewhere
 * (another window, another player), the change is merged into the form character by character — the user's
 * unsaved typing stays, the other edit is added — and a notice says so. Saving sends `base` with the text, so
 * core merges the form's changes into whatever the document holds by then (`characters.editText`).
 */
import { mergeText } from '@loreforge/core/text-merge';
import { useCallback, useEffect, useId, useRef, useState } from 'react';

export interface MergingText {
  /** What the field shows (the user's text, with remote changes merged in). */
  value: string;
  /** The document's text the form is based on. */
  base: string;
  /** Whether the field holds typing that is not saved. */
  dirty: boolean;
  /** Set when a remote change was merged into unsaved typing (cleared by the next save or reset). */
  mergedRemote: boolean;
  setValue(v: string): void;
  /** After a save: the document now holds `text` (core's merged result); the field shows it, unchanged. */
  saved(text: string): void;
  /** Drop unsaved typing: the field shows the document's text again. */
  reset(): void;
}

/**
 * The state of a merging text field. `remote` is the document's current text (from the sheet, reloaded on every
 * change event); each new value is merged into the field instead of replacing it.
 */
export function useMergingText(remote: string): MergingText {
  const baseRef = useRef(remote);
  const [base, setBase] = useState(remote);
  const [value, setValueState] = useState(remote);
  const valueRef = useRef(remote);
  const [mergedRemote, setMergedRemote] = useState(false);

  useEffect(() => {
    const prev = baseRef.current;
    if (remote === prev) return;
    baseRef.current = remote;
    setBase(remote);
    const mine = valueRef.current;
    const next = mine === prev ? remote : mergeText(prev, mine, remote);
    valueRef.current = next;
    setValueState(next);
    if (mine !== prev) setMergedRemote(true);
  }, [remote]);

  const setValue = useCallback((v: string) => {
    valueRef.current = v;
    setValueState(v);
  }, []);
  const saved = useCallback((text: string) => {
    baseRef.current = text;
    valueRef.current = text;
    setBase(text);
    setValueState(text);
    setMergedRemote(false);
  }, []);
  const reset = useCallback(() => {
    valueRef.current = baseRef.current;
    setValueState(baseRef.current);
    setMergedRemote(false);
  }, []);

  return { value, base, dirty: value !== base, mergedRemote, setValue, saved, reset };
}

export function MergingTextField({
  label,
  text,
  rows = 5,
}: {
  label: string;
  text: MergingText;
  rows?: number;
}) {
  const noteId = useId();
  return (
    <div className="block merging-text">
      <label className="block">
        {label}
        <textarea
          value={text.value}
          rows={rows}
          onChange={(e) => text.setValue(e.target.value)}
          aria-describedby={text.mergedRemote ? noteId : undefined}
        />
      </label>
      {text.mergedRemote && (
        <p id={noteId} className="muted" role="status">
          {label} was changed elsewhere while you typed; the change was added to your unsaved text.{' '}
          <button type="button" className="link" onClick={() => text.reset()}>
            Discard my unsaved changes
          </button>
        </p>
      )}
    </div>
  );
}
