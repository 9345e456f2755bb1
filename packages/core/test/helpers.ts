import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_BUILD, type BuildInput } from '@loreforge/rules-5e';
import { runCli } from '../src/cli/main';
import type { CliIo } from '../src/cli/registry';
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

export interface CliRunResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the `loreforge` CLI in-process with captured output: `author` becomes `LOREFORGE_AUTHOR` (none when
 * `env` is given instead), `stdin` is what `readStdin` returns.
 */
export async function runCliCaptured(
  args: string[],
  opts: { cwd: string; author?: string; env?: Record<string, string | undefined>; stdin?: string },
): Promise<CliRunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (x) => out.push(x),
    stderr: (x) => err.push(x),
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? { LOREFORGE_AUTHOR: opts.author ?? 'tester' },
    cwd: opts.cwd,
  };
  const code = await runCli(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

/** A command's JSON output: the whole text as one value, else its last line (`sync --json` prints a line a step). */
export function lastJson(text: string): unknown {
  const lines = text.split('\n').filter(Boolean);
  try {
    return JSON.parse(text);
  } catch {
    return lines.length ? JSON.parse(lines.at(-1) as string) : null;
  }
}

/** Every file below `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file under `dir` containing `marker` (as UTF-8 or UTF-16 bytes). */
export function filesHolding(dir: string, marker: string): string[] {
  const utf8 = Buffer.from(marker, 'utf8');
  const utf16 = Buffer.from(marker, 'utf16le');
  return filesUnder(dir).filter((f) => {
    const bytes = readFileSync(f);
    return bytes.includes(utf8) || bytes.includes(utf16);
  });
}
