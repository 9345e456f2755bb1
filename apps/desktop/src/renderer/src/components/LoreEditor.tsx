/**
 * The lore of each element of a character (species, class, an item…), each entry a merging text field with its
 * own save: another window's or player's change is merged into unsaved typing, and a save merges from the base
 * into the live document (`characters.editText` on `/narrative/lore/<key>`, one save point).
 */
import { call } from '../bridge';
import { attempt, useUi } from '../stores/ui';
import { MergingTextField, useMergingText } from './MergingTextField';

const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function LoreEditor({
  id,
  lore,
  title,
  onSaved,
}: {
  id: string;
  lore: Record<string, string>;
  /** A lore key in words ("class:wizard" → "Wizard"). */
  title(key: string): string;
  onSaved(): void;
}) {
  const keys = Object.keys(lore);
  if (keys.length === 0) return null;
  return (
    <section className="card" aria-label="Lore">
      <h3>Lore</h3>
      {keys.map((k) => (
        <LoreEntry key={k} id={id} loreKey={k} label={title(k)} text={lore[k] ?? ''} onSaved={onSaved} />
      ))}
    </section>
  );
}

function LoreEntry(props: { id: string; loreKey: string; label: string; text: string; onSaved(): void }) {
  const notify = useUi((s) => s.notify);
  const text = useMergingText(props.text);
  return (
    <form
      aria-label={`Lore: ${props.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.dirty) return;
        void attempt(() =>
          call('characters.editText', {
            id: props.id,
            path: `/narrative/lore/${pointerPart(props.loreKey)}`,
            base: text.base,
            text: text.value,
            message: `rewrite the lore of ${props.label}`,
          }),
        ).then((r) => {
          if (!r) return;
          text.saved(r.text);
          notify('info', 'Saved.');
          props.onSaved();
        });
      }}
    >
      <MergingTextField label={`${props.label} lore`} text={text} rows={3} />
      {text.dirty && (
        <button type="submit" className="small">
          Save {props.label} lore
        </button>
      )}
    </form>
  );
}
