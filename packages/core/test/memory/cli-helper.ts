/** Runs the `loreforge` CLI in-process against one data folder, for the memory tests. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/registry';
import { tempDir } from '../helpers';

export function memoryCli(prefix: string) {
  const t = tempDir(prefix);
  const dataDir = join(t.dir, 'data');
  async function run(args: string[], author = 'dm-ana') {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (x) => out.push(x),
      stderr: (x) => err.push(x),
      readStdin: async () => '',
      env: { LOREFORGE_AUTHOR: author },
      cwd: t.dir,
    };
    const code = await runCli([...args, '--data-dir', dataDir, '--json'], io);
    return { code, out: out.join(''), err: err.join('') };
  }
  async function j<T = unknown>(args: string[], author?: string): Promise<T> {
    const r = await run(args, author);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as T;
  }
  return { dataDir, run, j, cleanup: () => t.cleanup() };
}
