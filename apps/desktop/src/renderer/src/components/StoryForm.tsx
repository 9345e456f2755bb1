/**
 * The character's story form: name, backstory and appearance. The long texts are merging fields: a change made
 * elsewhere while the user types is merged into the form (never replacing the typing), and saving on the live
 * branch merges the form's changes into the document's current text (`characters.editText`), so two people
 * writing one backstory at once both keep what they wrote. Saving on another branch writes that branch.
 */
import { useEffect, useRef, useState } from 'react';
import { call } from '../bridge';
import { attempt, useUi } from '../stores/ui';
import { MergingTextField, useMergingText, type MergingText } from './MergingTextField';

export interface StoryFormProps {
  id: string;
  name: string;
  backstory: string;
  appearance: string;
  /** The live (default) branch the sheet shows. */
  branch: string;
  /** Other branches the user may save to. */
  branches: readonly string[];
  onSaved(): void;
}

const TEXTS = [
  { path: '/narrative/backstory', label: 'Backstory', words: 'rewrite backstory' },
  { path: '/narrative/appearance', label: 'Appearance', words: 'rewrite appearance' },
] as const;

export function StoryForm(props: StoryFormProps) {
  const notify = useUi((s) => s.notify);
  const [name, setName] = useState(props.name);
  const [nameBase, setNameBase] = useState(props.name);
  const [editBranch, setEditBranch] = useState('');
  const [busy, setBusy] = useState(false);
  const backstory = useMergingText(props.backstory);
  const appearance = useMergingText(props.appearance);
  const texts: [MergingText, (typeof TEXTS)[number]][] = [
    [backstory, TEXTS[0]],
    [appearance, TEXTS[1]],
  ];

  // A rename made elsewhere shows unless the user is editing the name.
  const nameBaseRef = useRef(props.name);
  useEffect(() => {
    const prev = nameBaseRef.current;
    if (props.name === prev) return;
    nameBaseRef.current = props.name;
    setNameBase(props.name);
    setName((cur) => (cur === prev ? props.name : cur));
  }, [props.name]);

  async function save() {
    const renamed = name.trim() !== '' && name.trim() !== nameBase;
    const changed = texts.filter(([t]) => t.dirty);
    if (!renamed && changed.length === 0) return;
    const message = [
      ...(renamed ? [`rename ${nameBase} to ${name.trim()}`] : []),
      ...changed.map(([, f]) => f.words),
    ].join(', ');
    if (editBranch) {
      // Another branch: its own document, written as given; the form goes back to the live text afterwards.
      const r = await attempt(() =>
        call('characters.edit', {
          id: props.id,
          branch: editBranch,
          set: [
            ...(renamed ? [{ path: '/build/name', value: name.trim() }] : []),
            ...changed.map(([t, f]) => ({ path: f.path, value: t.value })),
          ],
          message,
        }),
      );
      if (!r) return;
      for (const [t] of changed) t.reset();
      setName(nameBase);
    } else {
      // The live branch: each text merged into what the document holds now; one save point for everything.
      for (const [i, [t, f]] of changed.entries()) {
        const last = i === changed.length - 1 && !renamed;
        const r = await attempt(() =>
          call('characters.editText', {
            id: props.id,
            path: f.path,
            base: t.base,
            text: t.value,
            ...(last ? { message } : {}),
          }),
        );
        if (!r) return;
        t.saved(r.text);
      }
      if (renamed) {
        const r = await attempt(() =>
          call('characters.edit', {
            id: props.id,
            set: [{ path: '/build/name', value: name.trim() }],
            message,
          }),
        );
        if (!r) return;
      }
    }
    notify('info', 'Saved.');
    props.onSaved();
  }

  return (
    <form
      className="card"
      aria-label="Edit character"
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        void save().finally(() => setBusy(false));
      }}
    >
      <label className="block">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <MergingTextField label="Backstory" text={backstory} />
      <MergingTextField label="Appearance" text={appearance} rows={3} />
      <div className="row">
        <label>
          On branch
          <select value={editBranch} onChange={(e) => setEditBranch(e.target.value)}>
            <option value="">{props.branch} (default)</option>
            {props.branches.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" aria-busy={busy}>
          Save changes
        </button>
      </div>
    </form>
  );
}
