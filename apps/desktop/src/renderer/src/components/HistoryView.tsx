/**
 * A character's history: a branch graph (one lane per branch, newest on top), diff between any two commits,
 * branch from any commit, merge one branch into another, and tags. Presentational: actions come in as props.
 */
import { useMemo, useState } from 'react';
import { ChangeList, type ChangeRow } from './ChangeList';

export interface GraphCommit {
  commit: string;
  parents: string[];
  branch: string;
  message: string;
  author: string;
  timestamp: number;
  tags: string[];
}
export interface GraphBranch {
  name: string;
  head: string;
  forkedFrom: string | null;
  isDefault: boolean;
}
export interface DiffResult {
  changes: { path: string; from: unknown; to: unknown }[];
  summary: string;
  /** The changes by meaning (what is shown). */
  semantic: ChangeRow[];
}

export interface HistoryViewProps {
  branches: GraphBranch[];
  commits: GraphCommit[];
  onDiff(from: string, to: string): Promise<DiffResult | undefined>;
  onBranch(name: string, from: string): Promise<unknown>;
  onMerge(from: string, into: string): Promise<unknown>;
  onTag(name: string, ref: string): Promise<unknown>;
}

const ROW = 34;
const LANE = 18;
const short = (c: string) => c.slice(0, 8);

/** A commit message's first line without the generator bookkeeping ("via offline/procedural (1 attempt, …)"). */
export function commitTitle(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.replace(/ via \S+ \([^)]*\)$/, '').replace(/ \(\d+ repairs?\)$/, '');
}

export function layoutGraph(branches: GraphBranch[], commits: GraphCommit[]) {
  const order = [...branches].sort(
    (a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name),
  );
  const lane = new Map(order.map((b, i) => [b.name, i]));
  const rows = [...commits].sort((a, b) => b.timestamp - a.timestamp || b.commit.localeCompare(a.commit));
  const y = new Map(rows.map((c, i) => [c.commit, i]));
  const laneOf = (c: GraphCommit) => lane.get(c.branch) ?? order.length;
  const edges = rows.flatMap((c) =>
    c.parents
      .filter((p) => y.has(p))
      .map((p) => ({
        from: c.commit,
        to: p,
        x1: laneOf(c),
        y1: y.get(c.commit) as number,
        x2: laneOf(rows[y.get(p) as number] as GraphCommit),
        y2: y.get(p) as number,
      })),
  );
  return { rows, lanes: Math.max(order.length, 1), laneOf, edges };
}

export function HistoryView(props: HistoryViewProps) {
  const { rows, lanes, laneOf, edges } = useMemo(
    () => layoutGraph(props.branches, props.commits),
    [props.branches, props.commits],
  );
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [branchFrom, setBranchFrom] = useState<string | null>(null);
  const [branchName, setBranchName] = useState('');
  const [tagName, setTagName] = useState('');
  const defaultBranch = props.branches.find((x) => x.isDefault)?.name ?? 'main';
  const [mergeFrom, setMergeFrom] = useState('');
  const [mergeInto, setMergeInto] = useState(defaultBranch);
  const headOf = new Map(props.branches.map((x) => [x.head, x.name]));
  const width = lanes * LANE + 12;

  const runDiff = async (from: string, to: string) => {
    const r = await props.onDiff(from, to);
    if (r) setDiff(r);
  };

  return (
    <div className="history">
      <section aria-label="Branch graph" className="graph">
        <h3>
          Commits{' '}
          <small className="muted">
            ({rows.length} on {props.branches.length} branches)
          </small>
        </h3>
        <div className="graph-body">
          <svg width={width} height={rows.length * ROW} aria-hidden="true" className="graph-svg">
            {edges.map((e) => (
              <path
                key={`${e.from}-${e.to}`}
                d={`M ${e.x1 * LANE + 10} ${e.y1 * ROW + ROW / 2} C ${e.x1 * LANE + 10} ${e.y2 * ROW}, ${e.x2 * LANE + 10} ${e.y1 * ROW + ROW}, ${e.x2 * LANE + 10} ${e.y2 * ROW + ROW / 2}`}
                className={`edge lane-${e.x1 % 6}`}
                fill="none"
              />
            ))}
            {rows.map((c, i) => (
              <circle
                key={c.commit}
                cx={laneOf(c) * LANE + 10}
                cy={i * ROW + ROW / 2}
                r={c.parents.length > 1 ? 6 : 5}
                className={`dot lane-${laneOf(c) % 6}`}
              />
            ))}
          </svg>
          <ol className="commits" aria-label="Commits, newest first">
            {rows.map((c) => (
              <li key={c.commit} style={{ height: ROW }} data-commit={c.commit}>
                <span className="radio-pair">
                  <label title="Diff from this commit">
                    <input
                      type="radio"
                      name="diff-a"
                      checked={a === c.commit}
                      onChange={() => setA(c.commit)}
                      aria-label={`Diff from ${short(c.commit)}`}
                    />
                    A
                  </label>
                  <label title="Diff to this commit">
                    <input
                      type="radio"
                      name="diff-b"
                      checked={b === c.commit}
                      onChange={() => setB(c.commit)}
                      aria-label={`Diff to ${short(c.commit)}`}
                    />
                    B
                  </label>
                </span>
                <code>{short(c.commit)}</code>
                <span className="msg" title={c.message.split('\n')[0]}>
                  {commitTitle(c.message)}
                </span>
                <span className="branch-chip">{c.branch}</span>
                {headOf.has(c.commit) && <span className="head-chip">head of {headOf.get(c.commit)}</span>}
                {c.tags.map((t) => (
                  <span key={t} className="tag-chip">
                    #{t}
                  </span>
                ))}
                {c.parents.length > 1 && <span className="merge-chip">merge</span>}
                <button
                  type="button"
                  className="small"
                  onClick={() => setBranchFrom(c.commit)}
                  aria-label={`Branch from ${short(c.commit)}`}
                >
                  Branch from here
                </button>
              </li>
            ))}
          </ol>
        </div>
        <div className="row">
          <button type="button" disabled={!a || !b || a === b} onClick={() => a && b && void runDiff(a, b)}>
            Diff A → B
          </button>
          {a && b && (
            <span className="muted">
              {short(a)} → {short(b)}
            </span>
          )}
        </div>
      </section>

      {branchFrom && (
        <form
          className="card"
          aria-label="New branch"
          onSubmit={(e) => {
            e.preventDefault();
            if (!branchName.trim()) return;
            void props.onBranch(branchName.trim(), branchFrom).then(() => {
              setBranchFrom(null);
              setBranchName('');
            });
          }}
        >
          <label>
            Branch name
            <input
              value={branchName}
              onChange={(e) => setBranchName(e.target.value)}
              autoFocus
              placeholder="what-if"
            />
          </label>
          <span className="muted">from {short(branchFrom)}</span>
          <button type="submit">Create branch</button>
          <button type="button" className="secondary" onClick={() => setBranchFrom(null)}>
            Cancel
          </button>
        </form>
      )}

      <div className="row wrap">
        <form
          className="card"
          aria-label="Merge"
          onSubmit={(e) => {
            e.preventDefault();
            if (mergeFrom && mergeInto && mergeFrom !== mergeInto) void props.onMerge(mergeFrom, mergeInto);
          }}
        >
          <label>
            Merge branch
            <select value={mergeFrom} onChange={(e) => setMergeFrom(e.target.value)}>
              <option value="">(choose)</option>
              {props.branches.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            into
            <select value={mergeInto} onChange={(e) => setMergeInto(e.target.value)}>
              {props.branches.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!mergeFrom || mergeFrom === mergeInto}>
            Merge
          </button>
        </form>
        <form
          className="card"
          aria-label="Tag"
          onSubmit={(e) => {
            e.preventDefault();
            const ref = b ?? a ?? defaultBranch;
            if (tagName.trim()) void props.onTag(tagName.trim(), ref).then(() => setTagName(''));
          }}
        >
          <label>
            Tag name
            <input value={tagName} onChange={(e) => setTagName(e.target.value)} placeholder="session-3" />
          </label>
          <span className="muted">on {b ? short(b) : a ? short(a) : defaultBranch}</span>
          <button type="submit">Add tag</button>
        </form>
      </div>

      {diff && (
        <section aria-label="Diff" className="diff card">
          <h3>
            Changes{' '}
            <small className="muted">
              {diff.semantic.length} change{diff.semantic.length === 1 ? '' : 's'}
            </small>
          </h3>
          <ChangeList rows={diff.semantic} label="Changes between the two commits" />
        </section>
      )}
    </div>
  );
}
