/**
 * The relationship graph's force layout (issue 10). The Graph screen runs it in a Web Worker
 * (`renderer/src/components/graph-layout.worker.ts`) so the UI thread never computes it; it lives here, a plain
 * function with no DOM, so the renderer, its tests and `pnpm bench graph-layout` share it.
 *
 * The method: Fruchterman–Reingold with a cooling temperature. Nodes start on a spiral grouped by community
 * (seeded, so the same graph always gets the same picture); neighbours attract by `d² / k` times the edge's
 * weight (log-scaled); every pair closer than a few `k` repels by `k² / d`, found through a grid of cells so a
 * 5,000-node graph stays fast; a weak pull to the middle keeps separate parts on screen.
 */

export interface LayoutInput {
  /** Number of nodes (indexes 0..n-1). */
  n: number;
  /** Community of each node (nodes of one community start together); 0 for none. */
  community: ArrayLike<number>;
  /** Edges as index pairs, with weights. */
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  weight: ArrayLike<number>;
  /** Iterations (default: by size, 300 for small graphs down to 60 for 5,000 nodes). */
  iterations?: number;
}

export interface LayoutOutput {
  x: Float64Array;
  y: Float64Array;
}

/** Side of the square the layout fills (the view scales it). */
export const LAYOUT_SIZE = 1000;

export function forceLayout(input: LayoutInput): LayoutOutput {
  const { n } = input;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (n === 0) return { x, y };
  if (n === 1) {
    x[0] = LAYOUT_SIZE / 2;
    y[0] = LAYOUT_SIZE / 2;
    return { x, y };
  }
  const area = LAYOUT_SIZE * LAYOUT_SIZE;
  const k = Math.sqrt(area / n);
  // Start: communities on a ring, each one's members on a small spiral around its place.
  const byCommunity = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = input.community[i] ?? 0;
    const list = byCommunity.get(c) ?? [];
    list.push(i);
    byCommunity.set(c, list);
  }
  const groups = [...byCommunity.entries()].sort((a, b) => a[0] - b[0]);
  const golden = Math.PI * (3 - Math.sqrt(5));
  groups.forEach(([, members], g) => {
    const angle = (2 * Math.PI * g) / groups.length;
    const ring = groups.length > 1 ? LAYOUT_SIZE * 0.3 : 0;
    const cx = LAYOUT_SIZE / 2 + ring * Math.cos(angle);
    const cy = LAYOUT_SIZE / 2 + ring * Math.sin(angle);
    members.forEach((i, m) => {
      const r = k * 0.6 * Math.sqrt(m + 0.5);
      x[i] = cx + r * Math.cos(m * golden);
      y[i] = cy + r * Math.sin(m * golden);
    });
  });
  const m = Math.min(input.source.length, input.target.length);
  const ew = new Float64Array(m);
  let maxW = 0;
  for (let e = 0; e < m; e++) maxW = Math.max(maxW, input.weight[e] ?? 1);
  for (let e = 0; e < m; e++) ew[e] = 0.3 + Math.log1p(input.weight[e] ?? 1) / Math.log1p(maxW || 1);
  const iterations = input.iterations ?? Math.round(Math.max(60, Math.min(300, 300 - (n - 200) / 20)));
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const cell = 2 * k;
  const reach = cell * cell;
  // The grid covers three layout squares around the middle; nodes beyond it share its edge cells.
  const cols = Math.ceil((LAYOUT_SIZE * 3) / cell) + 1;
  const cells = cols * cols;
  const cellStart = new Int32Array(cells + 1);
  const fillAt = new Int32Array(cells);
  const cellX = new Int32Array(n);
  const cellY = new Int32Array(n);
  const byCell = new Int32Array(n);
  let temp = LAYOUT_SIZE / 10;
  const cool = temp / (iterations + 1);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0);
    dy.fill(0);
    // Repulsion from the nodes in the 3 × 3 cells around each node: nodes sorted by cell (counting sort into
    // typed arrays, no allocation per iteration).
    cellStart.fill(0);
    for (let i = 0; i < n; i++) {
      const cx = Math.min(cols - 1, Math.max(0, Math.floor((x[i]! + LAYOUT_SIZE) / cell)));
      const cy = Math.min(cols - 1, Math.max(0, Math.floor((y[i]! + LAYOUT_SIZE) / cell)));
      cellX[i] = cx;
      cellY[i] = cy;
      cellStart[cx * cols + cy + 1] = cellStart[cx * cols + cy + 1]! + 1;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1] = cellStart[c + 1]! + cellStart[c]!;
    fillAt.set(cellStart.subarray(0, cells));
    for (let i = 0; i < n; i++) {
      const c = cellX[i]! * cols + cellY[i]!;
      byCell[fillAt[c]!] = i;
      fillAt[c] = fillAt[c]! + 1;
    }
    for (let i = 0; i < n; i++) {
      const cx = cellX[i]!;
      const cy = cellY[i]!;
      for (let ox = Math.max(0, cx - 1); ox <= Math.min(cols - 1, cx + 1); ox++)
        for (let oy = Math.max(0, cy - 1); oy <= Math.min(cols - 1, cy + 1); oy++) {
          const c = ox * cols + oy;
          for (let t = cellStart[c]!, end = cellStart[c + 1]!; t < end; t++) {
            const j = byCell[t]!;
            if (j <= i) continue;
            let ddx = x[i]! - x[j]!;
            let ddy = y[i]! - y[j]!;
            let d2 = ddx * ddx + ddy * ddy;
            if (d2 > reach) continue;
            if (d2 < 1e-6) {
              // Same place: push apart along a direction fixed by the indexes.
              ddx = Math.cos(i + j);
              ddy = Math.sin(i + j);
              d2 = 1;
            }
            const f = (k * k) / d2;
            dx[i] = dx[i]! + ddx * f;
            dy[i] = dy[i]! + ddy * f;
            dx[j] = dx[j]! - ddx * f;
            dy[j] = dy[j]! - ddy * f;
          }
        }
    }
    // Attraction along edges.
    for (let e = 0; e < m; e++) {
      const a = input.source[e]!;
      const b = input.target[e]!;
      if (a === b || a >= n || b >= n) continue;
      const ddx = x[a]! - x[b]!;
      const ddy = y[a]! - y[b]!;
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 1e-3;
      const f = (d / k) * ew[e]!;
      dx[a] = dx[a]! - ddx * f;
      dy[a] = dy[a]! - ddy * f;
      dx[b] = dx[b]! + ddx * f;
      dy[b] = dy[b]! + ddy * f;
    }
    // Gravity to the middle, then a step no longer than the temperature.
    for (let i = 0; i < n; i++) {
      dx[i] = dx[i]! + (LAYOUT_SIZE / 2 - x[i]!) * 0.02 * (k / 10);
      dy[i] = dy[i]! + (LAYOUT_SIZE / 2 - y[i]!) * 0.02 * (k / 10);
      const d = Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!);
      if (d > 0) {
        const step = Math.min(d, temp) / d;
        x[i] = x[i]! + dx[i]! * step;
        y[i] = y[i]! + dy[i]! * step;
      }
    }
    temp = Math.max(temp - cool, 0.5);
  }
  // Fit into the square with a margin.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]!);
    maxX = Math.max(maxX, x[i]!);
    minY = Math.min(minY, y[i]!);
    maxY = Math.max(maxY, y[i]!);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = (LAYOUT_SIZE * 0.9) / span;
  for (let i = 0; i < n; i++) {
    x[i] = LAYOUT_SIZE * 0.05 + (x[i]! - minX) * scale + (LAYOUT_SIZE * 0.9 - (maxX - minX) * scale) / 2;
    y[i] = LAYOUT_SIZE * 0.05 + (y[i]! - minY) * scale + (LAYOUT_SIZE * 0.9 - (maxY - minY) * scale) / 2;
  }
  return { x, y };
}
