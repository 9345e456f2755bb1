/** Window bounds persisted between launches, clamped so a window never reopens off-screen or tiny. */
export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 800, height: 560 };

/** Parse stored JSON (anything malformed → defaults). */
export function parseBounds(text: string | null): Bounds {
  if (!text) return { ...DEFAULT_BOUNDS };
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const num = (k: string) =>
      typeof v[k] === 'number' && Number.isFinite(v[k]) ? (v[k] as number) : undefined;
    const width = num('width');
    const height = num('height');
    if (width === undefined || height === undefined) return { ...DEFAULT_BOUNDS };
    const x = num('x');
    const y = num('y');
    return {
      width,
      height,
      ...(x !== undefined ? { x } : {}),
      ...(y !== undefined ? { y } : {}),
      ...(v['maximized'] === true ? { maximized: true } : {}),
    };
  } catch {
    return { ...DEFAULT_BOUNDS };
  }
}

/** Fit bounds into one of the displays' work areas; drop the position when the window would be off every one. */
export function clampBounds(b: Bounds, areas: readonly Area[]): Bounds {
  const primary = areas[0] ?? { x: 0, y: 0, width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height };
  const width = Math.max(MIN_SIZE.width, Math.min(b.width, primary.width));
  const height = Math.max(MIN_SIZE.height, Math.min(b.height, primary.height));
  const out: Bounds = { width, height, ...(b.maximized ? { maximized: true } : {}) };
  if (b.x === undefined || b.y === undefined) return out;
  const { x, y } = b;
  const visible = areas.find(
    (a) => x + 100 <= a.x + a.width && x + width - 100 >= a.x && y >= a.y && y + 40 <= a.y + a.height,
  );
  return visible ? { ...out, x, y } : out;
}
