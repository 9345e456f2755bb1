/**
 * The campaign outline drawn as an SVG graph (issue 13): chapters as boxes in columns by layer (depth from the
 * start chapter by breadth-first search; chapters the start cannot reach go in a last column), choices as arrows
 * with their text as a tooltip, endings drawn with a double border, played chapters and taken choices
 * highlighted. Static, the drawing is one `role="img"` with a summary label. With `onOpen` it is a labelled group
 * whose chapter boxes are buttons: a click, or Enter or Space on a box reached with Tab (in outline order), opens
 * that chapter; the focused box is drawn with a thicker, dashed border. The chapter list beside it stays the
 * accessible equivalent either way.
 */
import { useId, useState, type KeyboardEvent } from 'react';

export interface GraphChapter {
  id: string;
  title: string;
  ending: boolean;
  status: 'planned' | 'played';
  taken?: number | undefined;
  choices: { text: string; next: string }[];
}

export interface GraphOutline {
  start: string;
  current?: string | undefined;
  chapters: GraphChapter[];
}

export interface LaidOut {
  /** Layer (column) of each chapter id. */
  layer: Map<string, number>;
  /** Chapter ids of each layer, in outline order. */
  layers: string[][];
  /** Choices whose `next` names an existing chapter, with whether the party took them. */
  edges: { from: string; to: string; text: string; taken: boolean }[];
}

/** Layers by breadth-first search from the start chapter (the first one if `start` is unknown). */
export function layoutOutline(outline: GraphOutline): LaidOut {
  const byId = new Map(outline.chapters.map((c) => [c.id, c]));
  const first = byId.has(outline.start) ? outline.start : outline.chapters[0]?.id;
  const layer = new Map<string, number>();
  if (first !== undefined) {
    layer.set(first, 0);
    const queue = [first];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      for (const ch of byId.get(id)!.choices) {
        if (byId.has(ch.next) && !layer.has(ch.next)) {
          layer.set(ch.next, layer.get(id)! + 1);
          queue.push(ch.next);
        }
      }
    }
  }
  const reached = Math.max(-1, ...layer.values());
  for (const c of outline.chapters) if (!layer.has(c.id)) layer.set(c.id, reached + 1);
  const layers: string[][] = [];
  for (const c of outline.chapters) (layers[layer.get(c.id)!] ??= []).push(c.id);
  const edges = outline.chapters.flatMap((c) =>
    c.choices
      .map((x, i) => ({ from: c.id, to: x.next, text: x.text, taken: c.taken === i }))
      .filter((e) => byId.has(e.to)),
  );
  return { layer, layers: layers.filter(Boolean), edges };
}

const W = 150;
const H = 44;
const GAP_X = 70;
const GAP_Y = 24;
const PAD = 12;

function short(s: string, n = 20): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function OutlineDiagram({
  outline,
  onOpen,
}: {
  outline: GraphOutline;
  /** Makes the chapter boxes buttons that open the chapter (click, Enter, Space). */
  onOpen?: ((chapterId: string) => void) | undefined;
}) {
  const marker = `arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const [focused, setFocused] = useState<string | null>(null);
  const { layer, layers, edges } = layoutOutline(outline);
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((ids, col) =>
    ids.forEach((id, row) => pos.set(id, { x: PAD + col * (W + GAP_X), y: PAD + row * (H + GAP_Y) })),
  );
  const rows = Math.max(1, ...layers.map((l) => l.length));
  const width = PAD * 2 + Math.max(1, layers.length) * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + rows * (H + GAP_Y) - GAP_Y;
  const endings = outline.chapters.filter((c) => c.ending).length;
  const played = outline.chapters.filter((c) => c.status === 'played').length;
  const label =
    `Outline drawing: ${outline.chapters.length} chapters in ${layers.length} layers, ` +
    `${edges.length} choices, ${endings} endings, ${played} played.`;
  return (
    <svg
      className="outline-drawing"
      role={onOpen ? 'group' : 'img'}
      aria-label={onOpen ? `${label} Each chapter box opens that chapter.` : label}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      style={{ maxWidth: '100%', height: 'auto' }}
    >
      <defs>
        <marker
          id={marker}
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
        </marker>
      </defs>
      {edges.map((e, i) => {
        const a = pos.get(e.from)!;
        const b = pos.get(e.to)!;
        const forward = layer.get(e.to)! > layer.get(e.from)!;
        const x1 = a.x + W;
        const y1 = a.y + H / 2;
        const x2 = forward ? b.x : b.x + W / 2;
        const y2 = forward ? b.y + H / 2 : b.y + (b.y >= a.y ? 0 : H);
        const mx = (x1 + x2) / 2 + (forward ? 0 : GAP_X / 2);
        const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
        return (
          <g key={i} data-edge={`${e.from}->${e.to}`} data-taken={e.taken || undefined}>
            <title>{`${e.text}${e.taken ? ' (taken)' : ''}`}</title>
            <path
              d={d}
              fill="none"
              stroke="currentColor"
              strokeWidth={e.taken ? 3 : 1.2}
              strokeOpacity={e.taken ? 1 : 0.6}
              markerEnd={`url(#${marker})`}
            />
          </g>
        );
      })}
      {outline.chapters.map((c) => {
        const p = pos.get(c.id)!;
        const isPlayed = c.status === 'played';
        const marks = [c.id === outline.start && 'start', c.ending && 'ending', isPlayed && 'played']
          .filter(Boolean)
          .join(', ');
        const open = onOpen
          ? {
              role: 'button',
              tabIndex: 0,
              'aria-label': `Open chapter ${c.title}${marks ? ` (${marks})` : ''}`,
              style: { cursor: 'pointer', outline: 'none' },
              onClick: () => onOpen(c.id),
              onKeyDown: (e: KeyboardEvent<SVGGElement>) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                onOpen(c.id);
              },
              onFocus: () => setFocused(c.id),
              onBlur: () => setFocused((f) => (f === c.id ? null : f)),
            }
          : {};
        const isFocused = focused === c.id;
        return (
          <g
            key={c.id}
            data-chapter={c.id}
            data-ending={c.ending || undefined}
            data-played={isPlayed || undefined}
            data-focused={isFocused || undefined}
            transform={`translate(${p.x},${p.y})`}
            {...open}
          >
            <title>
              {`${c.title}${c.id === outline.start ? ' (start)' : ''}${c.ending ? ' (ending)' : ''} — ${c.status}` +
                (c.id === outline.current ? ', current' : '')}
            </title>
            <rect
              width={W}
              height={H}
              rx={6}
              fill={isPlayed ? 'rgba(80, 160, 110, 0.25)' : 'rgba(128, 128, 128, 0.08)'}
              stroke="currentColor"
              strokeWidth={isFocused ? 4 : c.id === outline.current ? 3 : 1.2}
              strokeDasharray={isFocused ? '6 3' : undefined}
            />
            {c.ending && (
              <rect x={4} y={4} width={W - 8} height={H - 8} rx={4} fill="none" stroke="currentColor" />
            )}
            <text x={W / 2} y={H / 2 - 3} textAnchor="middle" fontSize={12} fill="currentColor">
              {short(c.title)}
            </text>
            <text x={W / 2} y={H / 2 + 12} textAnchor="middle" fontSize={10} fill="currentColor">
              {[c.id === outline.start && 'start', c.ending && 'ending', isPlayed && 'played']
                .filter(Boolean)
                .join(' · ')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
