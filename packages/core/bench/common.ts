/** Scaffolding shared by the core benchmarks (`*.bench.ts`, run by `pnpm bench`; see scripts/bench.ts). */
import { performance } from 'node:perf_hooks';

/** One result row, as scripts/bench.ts prints and records it. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

/** Mean milliseconds per call of `fn` over `rounds` calls, after 3 warm-up calls. */
export function time(rounds: number, fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - start) / rounds;
}

/** The middle value (the upper one of an even count); 0 for none. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The `q` quantile (0–1) by rank: the value at index ⌊q·n⌋ of the sorted list, capped at the last; 0 for none. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}
