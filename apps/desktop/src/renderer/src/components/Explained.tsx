/** A number that explains itself: hover or focus it to see the parts it is the sum of. */
import { useId, useState } from 'react';

export interface ExplainedLike {
  value: number;
  parts: readonly { source: string; value: number }[];
}

export const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

function sourceLabel(s: string): string {
  const t = s.replace(/[-_]/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function Explained(props: {
  label: string;
  value: ExplainedLike;
  sign?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const { value, parts } = props.value;
  const shown = props.sign ? signed(value) : String(value);
  return (
    <span
      className={`explained ${props.className ?? ''}`}
      tabIndex={0}
      role="button"
      aria-label={`${props.label}: ${shown}`}
      aria-describedby={open ? id : undefined}
      aria-expanded={open}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      {shown}
      {open && (
        <span role="tooltip" id={id} className="tooltip">
          <strong>{props.label}</strong>
          <span className="parts">
            {parts.length === 0 ? (
              <span className="part">no modifiers</span>
            ) : (
              parts.map((p, i) => (
                <span className="part" key={`${p.source}-${i}`}>
                  <span>{sourceLabel(p.source)}</span>
                  <span>{signed(p.value)}</span>
                </span>
              ))
            )}
            <span className="part total">
              <span>Total</span>
              <span>{shown}</span>
            </span>
          </span>
        </span>
      )}
    </span>
  );
}
