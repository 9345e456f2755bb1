/**
 * Changes by meaning, the one renderer for refine results, history diffs and merge conflicts: rows grouped by
 * sheet section (in the sheet's order), a swapped list entry as one "Longsword → Warhammer" row, long text with
 * the changed words marked. Rows come from core's semantic diff (`history/semantic-diff.ts`).
 */
export interface ChangeRow {
  section: string;
  subject: string;
  kind: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
  summary: string;
  words?: { op: 'same' | 'del' | 'add'; text: string }[];
  entry: boolean;
  path: string;
}

/** A merge conflict: both sides' rows and the value the merge kept. */
export interface ConflictRow {
  path: string;
  kept: unknown;
  ours: unknown;
  theirs: unknown;
  semantic: ChangeRow[];
}

function Words({ words }: { words: NonNullable<ChangeRow['words']> }) {
  return (
    <p className="words">
      {words.map((w, i) =>
        w.op === 'same' ? (
          <span key={i}>{w.text}</span>
        ) : w.op === 'del' ? (
          <del key={i}>
            <span className="sr-only">[removed: </span>
            {w.text}
            <span className="sr-only">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span className="sr-only">[added: </span>
            {w.text}
            <span className="sr-only">]</span>
          </ins>
        ),
      )}
    </p>
  );
}

function Row({ r, labels }: { r: ChangeRow; labels: { before: string; after: string } }) {
  const what = r.subject === r.section ? '' : r.subject;
  return (
    <li className={`change ${r.kind}`} data-path={r.path}>
      {what && <span className="subject">{what}</span>}
      {r.words ? (
        <Words words={r.words} />
      ) : r.kind === 'added' ? (
        <span>
          <span className="tag add">added</span> <span className="add">{r.after}</span>
        </span>
      ) : r.kind === 'removed' ? (
        <span>
          <span className="tag del">removed</span> <span className="del">{r.before}</span>
        </span>
      ) : (
        <span>
          <span className="del">
            <span className="sr-only">{labels.before}: </span>
            {r.before}
          </span>{' '}
          <span aria-hidden="true">→</span>{' '}
          <span className="add">
            <span className="sr-only">{labels.after}: </span>
            {r.after}
          </span>
        </span>
      )}
    </li>
  );
}

export function ChangeList({
  rows,
  label,
  empty = 'No changes.',
  before = 'was',
  after = 'now',
  level = 4,
}: {
  rows: readonly ChangeRow[];
  label: string;
  empty?: string;
  /** How the two sides are named for screen readers ("was"/"now", "this branch"/"the other branch"). */
  before?: string;
  after?: string;
  /** Heading level of the section names (the list sits under a heading one level up). */
  level?: 3 | 4;
}) {
  const H = level === 3 ? 'h3' : 'h4';
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  const sections: { name: string; rows: ChangeRow[] }[] = [];
  for (const r of rows) {
    const last = sections[sections.length - 1];
    if (last && last.name === r.section) last.rows.push(r);
    else sections.push({ name: r.section, rows: [r] });
  }
  return (
    <div className="change-list" aria-label={label} role="group">
      {sections.map((s) => (
        <div key={s.name} className="change-section" role="group" aria-label={s.name}>
          <H>{s.name}</H>
          <ul>
            {s.rows.map((r, i) => (
              <Row key={`${r.path}-${i}`} r={r} labels={{ before, after }} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** Merge conflicts: for each field both branches changed, the two versions (same renderer) and what was kept. */
export function ConflictList({
  conflicts,
  into,
  from,
}: {
  conflicts: readonly ConflictRow[];
  into: string;
  from: string;
}) {
  if (conflicts.length === 0) return null;
  return (
    <section className="card conflicts" aria-label="Merge conflicts">
      <h3>
        {conflicts.length} field{conflicts.length === 1 ? '' : 's'} changed on both branches
      </h3>
      <p className="muted">
        Each shows “{into}” first and “{from}” second; the merge kept one and the other is still in the
        history.
      </p>
      {conflicts.map((c) => (
        <div key={c.path} className="conflict">
          <ChangeList
            rows={c.semantic}
            label={`Conflict at ${c.semantic[0]?.section ?? c.path}`}
            before={into}
            after={from}
          />
          <p className="kept">
            Kept:{' '}
            <strong>
              {JSON.stringify(c.kept) === JSON.stringify(c.ours)
                ? `“${into}”`
                : JSON.stringify(c.kept) === JSON.stringify(c.theirs)
                  ? `“${from}”`
                  : 'a blend of both'}
            </strong>
          </p>
        </div>
      ))}
    </section>
  );
}
