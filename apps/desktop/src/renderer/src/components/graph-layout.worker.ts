/**
 * The Web Worker that lays out the relationship graph (`forceLayout`, `src/shared/graph-layout.ts`) off the UI
 * thread: it answers one message `{ seq, input }` with `{ seq, x, y, ms }` (the arrays transferred, not copied).
 */
import { forceLayout, type LayoutInput } from '../../../shared/graph-layout';

// This file is only ever a worker's entry (`new Worker(new URL(…))` in GraphView), so `self` is its scope.
interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ seq: number; input: LayoutInput }>) => void) | null;
  postMessage(msg: unknown, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (ev) => {
  const t = performance.now();
  const out = forceLayout(ev.data.input);
  scope.postMessage({ seq: ev.data.seq, x: out.x, y: out.y, ms: performance.now() - t }, [
    out.x.buffer,
    out.y.buffer,
  ]);
};
