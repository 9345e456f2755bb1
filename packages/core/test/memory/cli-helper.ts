/** Runs the `loreforge` CLI in-process against one data folder, for the memory tests. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCliCaptured, tempDir } from '../helpers';

export function memoryCli(prefix: string) {
  const t = tempDir(prefix);
  const dataDir = join(t.dir, 'data');
  async function run(args: string[], author = 'dm-ana') {
    return runCliCaptured([...args, '--data-dir', dataDir, '--json'], { cwd: t.dir, author });
  }
  async function j<T = unknown>(args: string[], author?: string): Promise<T> {
    const r = await run(args, author);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as T;
  }
  return { dataDir, run, j, cleanup: () => t.cleanup() };
}
