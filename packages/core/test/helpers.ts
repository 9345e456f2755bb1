import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_BUILD, type BuildInput } from '@loreforge/rules-5e';
import { createCore, type Core, type CoreOptions } from '../src/index';

/** A deterministic clock (+1 s per call) and UUID source, so runs are repeatable. */
export function deterministic(seed = 1): Pick<CoreOptions, 'clock' | 'ids'> {
  let t = Date.UTC(2026, 0, 1);
  let n = seed * 1_000_000;
  return {
    clock: () => (t += 1000),
    ids: () => {
      n++;
      const hex = n.toString(16).padStart(12, '0');
      return `00000000-0000-4000-8000-${hex}`;
    },
  };
}

export function tempDir(prefix = 'lf-core-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function build(overrides: Partial<BuildInput> = {}): BuildInput {
  return { ...structuredClone(EXAMPLE_BUILD), ...overrides };
}

export async function openCore(dataDir: string | null, seed = 1): Promise<Core> {
  return createCore({ dataDir, ...deterministic(seed) });
}
