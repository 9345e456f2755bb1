/**
 * The relationship graph drawn as SVG (issue 10): entities as circles coloured by kind (sized by PageRank),
 * typed relations as solid lines, co-mentions as dashed lines (thicker when weightier), a picked path
 * highlighted. Positions come from `useGraphLayout`, which runs the force layout in a Web Worker
 * (`graph-layout.worker.ts`), never on the UI thread. Every node is a focusable button (Enter or Space picks it);
 * the links table beside the drawing is its text equivalent.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HandlerOutput } from '@loreforge/core';
import { forceLayout, LAYOUT_SIZE, type LayoutInput } from '../../../shared/graph-layout';

/** A node and a link as core's `memory.graphView` gives them. */
export type ViewNode = HandlerOutput<'memory.graphView'>['nodes'][number];
export type ViewEdge = HandlerOutput<'memory.graphView'>['edges'][number];

/** Colours by kind, readable on both themes. */
export const KIND_COLOURS: Record<string, string> = {
  npc: '#d9480f',
  pc: '#1c7ed6',
  monster: '#c2255c',
  location: '#2b8a3e',
  faction: '#7048e8',
  quest: '#e67700',
  event: '#0b7285',
  note: '#868e96',
  item: '#a61e4d',
};
export const kindColour = (kind: string | null) => KIND_COLOURS[kind ?? ''] ?? '#5c7cfa';

/** The graph screen's styles (kept with the component; the CSP allows inline styles). */
export const GRAPH_CSS = `
.graph-controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
.graph-controls fieldset { display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; border: 1px solid var(--border); border-radius: 6px; }
.graph-controls .graph-kind { display: inline-flex; flex-direction: row; align-items: center; gap: 0.3rem; margin: 0; }
.graph-kind .swatch { width: 0.8rem; height: 0.8rem; border-radius: 50%; display: inline-block; }
.graph-slider { display: flex; align-items: center; gap: 0.5rem; }
.graph-slider input { width: 14rem; }
.graph-body { display: flex; gap: 1rem; align-items: flex-start; margin-top: 0.5rem; }
.graph-canvas { flex: 1 1 auto; min-width: 0; }
.graph-side { flex: 0 0 18rem; }
.graph-side .stack { display: grid; grid-template-columns: auto 1fr; gap: 0.4rem; align-items: center; }
svg.graph-view { width: 100%; height: auto; max-height: 72vh; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; }
.graph-edge { stroke: var(--muted); stroke-opacity: 0.55; }
.graph-edge.typed { stroke: var(--text); stroke-opacity: 0.75; }
.graph-edge.co-mention { stroke-dasharray: 6 4; }
.graph-edge.on-path { stroke: var(--focus); stroke-opacity: 1; stroke-dasharray: none; }
.graph-node { cursor: pointer; }
.graph-node circle { stroke: var(--panel); stroke-width: 1.5; }
.graph-node.unlinked { opacity: 0.35; }
.graph-node.selected circle { stroke: var(--text); stroke-width: 3; }
.graph-node.on-path circle { stroke: var(--focus); stroke-width: 4; }
.graph-node:focus { outline: none; }
.graph-node:focus-visible circle { stroke: var(--focus); stroke-width: 4; }
.graph-label { font-size: 15px; fill: var(--text); paint-order: stroke; stroke: var(--panel); stroke-width: 3px; }
.graph-legend { display: flex; gap: 1.2rem; list-style: none; padding: 0; margin: 0.3rem 0; color: var(--muted); }
.graph-legend li { display: inline-flex; align-items: center; gap: 0.4rem; }
ul.plain { list-style: none; padding: 0; }
`;

export const edgeKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Lay the graph out in a Web Worker. Returns positions by node id (in a `LAYOUT_SIZE` square) once the worker
 * answers, and null meanwhile; a newer graph supersedes an older request.
 */
export function useGraphLayout(
  nodes: ViewNode[] | null,
  edges: ViewEdge[] | null,
): { positions: Map<string, { x: number; y: number }> | null; ms: number | null; error: string | null } {
  const [state, setState] = useState<{
    positions: Map<string, { x: number; y: number }> | null;
    ms: number | null;
    error: string | null;
  }>({ positions: null, ms: null, error: null });
  const worker = useRef<Worker | 'none' | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    let w: Worker;
    try {
      w = new Worker(new URL('./graph-layout.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      // Where the page may not start a worker (a scheme or policy refusing it), the layout runs on the page.
      worker.current = 'none';
      return;
    }
    worker.current = w;
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, []);
  useEffect(() => {
    const w = worker.current;
    if (!w || !nodes || !edges) return;
    const place = (x: Float64Array, y: Float64Array, ms: number) =>
      setState({
        positions: new Map(nodes.map((n, i) => [n.id, { x: x[i]!, y: y[i]! }])),
        ms,
        error: null,
      });
    const mine = ++seq.current;
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const pairs = edges.filter((e) => index.has(e.source) && index.has(e.target));
    const input: LayoutInput = {
      n: nodes.length,
      community: Int32Array.from(nodes.map((n) => n.community)),
      source: Int32Array.from(pairs.map((e) => index.get(e.source)!)),
      target: Int32Array.from(pairs.map((e) => index.get(e.target)!)),
      weight: Float64Array.from(pairs.map((e) => e.weight)),
    };
    // The previous positions stay drawn until the new ones come (nodes without a position are left out).
    if (w === 'none') {
      const timer = setTimeout(() => {
        const t = performance.now();
        const out = forceLayout(input);
        place(out.x, out.y, performance.now() - t);
      }, 0);
      return () => clearTimeout(timer);
    }
    const onMessage = (ev: MessageEvent<{ seq: number; x: Float64Array; y: Float64Array; ms: number }>) => {
      if (ev.data.seq === mine) place(ev.data.x, ev.data.y, ev.data.ms);
    };
    const onError = (ev: ErrorEvent) => setState({ positions: null, ms: null, error: ev.message });
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage({ seq: mine, input });
    return () => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
    };
  }, [nodes, edges]);
  return state;
}

export interface GraphViewProps {
  nodes: ViewNode[];
  edges: ViewEdge[];
  positions: Map<string, { x: number; y: number }>;
  /** Kinds hidden by the filter. */
  hidden: ReadonlySet<string>;
  selected: string | null;
  /** Node ids of the highlighted path, in order. */
  path: string[];
  onPick(id: string): void;
  label: string;
}

export function GraphView({
  nodes,
  edges,
  positions,
  hidden,
  selected,
  path,
  onPick,
  label,
}: GraphViewProps) {
  const shown = useMemo(
    () => nodes.filter((n) => !hidden.has(n.kind ?? 'other') && positions.has(n.id)),
    [nodes, hidden, positions],
  );
  const shownIds = useMemo(() => new Set(shown.map((n) => n.id)), [shown]);
  const linked = useMemo(() => {
    const s = new Set<string>();
    for (const e of edges) {
      s.add(e.source);
      s.add(e.target);
    }
    return s;
  }, [edges]);
  const onPath = useMemo(() => new Set(path), [path]);
  const pathEdges = useMemo(() => {
    const s = new Set<string>();
    for (let i = 1; i < path.length; i++) s.add(edgeKey(path[i - 1]!, path[i]!));
    return s;
  }, [path]);
  const maxScore = Math.max(1e-9, ...shown.map((n) => n.score));
  const big = shown.length > 400;
  const radius = (n: ViewNode) => (big ? 3 : 6) + (big ? 6 : 12) * Math.sqrt(n.score / maxScore);
  const pos = (id: string) => positions.get(id)!;
  return (
    <svg
      className="graph-view"
      // Room on the right for the labels of the rightmost nodes.
      viewBox={`-30 -10 ${LAYOUT_SIZE + 180} ${LAYOUT_SIZE + 20}`}
      role="group"
      aria-label={label}
      data-nodes={shown.length}
      data-edges={edges.filter((e) => shownIds.has(e.source) && shownIds.has(e.target)).length}
    >
      <g className="graph-edges" aria-hidden="true">
        {edges.map((e) => {
          if (!shownIds.has(e.source) || !shownIds.has(e.target)) return null;
          const a = pos(e.source);
          const b = pos(e.target);
          const key = edgeKey(e.source, e.target);
          const typed = e.relations.length > 0;
          const hot = pathEdges.has(key);
          return (
            <line
              key={key}
              data-edge={key}
              data-typed={typed ? 'yes' : 'no'}
              x1={a.x}
              y1={a.y}
              x2={b.x}
              y2={b.y}
              className={`graph-edge${typed ? ' typed' : ' co-mention'}${hot ? ' on-path' : ''}`}
              strokeWidth={hot ? 5 : Math.min(6, 0.8 + Math.log1p(e.weight))}
            >
              <title>
                {typed
                  ? e.relations.map((r) => r.type).join(', ')
                  : `mentioned together ×${e.coMentionCount}`}
              </title>
            </line>
          );
        })}
      </g>
      <g className="graph-nodes">
        {shown.map((n) => {
          const p = pos(n.id);
          const r = radius(n);
          const cls = [
            'graph-node',
            selected === n.id ? 'selected' : '',
            onPath.has(n.id) ? 'on-path' : '',
            linked.has(n.id) ? '' : 'unlinked',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <g
              key={n.id}
              className={cls}
              role="button"
              tabIndex={0}
              aria-label={`${n.name}, ${n.kind ?? n.entity}`}
              aria-pressed={selected === n.id}
              data-node={n.id}
              transform={`translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`}
              onClick={() => onPick(n.id)}
              onKeyDown={(ev) => {
                if (ev.key === 'Enter' || ev.key === ' ') {
                  ev.preventDefault();
                  onPick(n.id);
                }
              }}
            >
              <circle r={r} fill={kindColour(n.kind)} />
              {(!big || onPath.has(n.id) || selected === n.id) && (
                <text x={r + 3} y={4} className="graph-label">
                  {n.name}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
