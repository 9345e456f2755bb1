/** Helpers shared by CLI commands: reading JSON inputs, option access, output. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ZodError } from 'zod';
import { CoreError } from '../errors';
import { parseBoundedJson } from '../input/limits';
import { CliError, type CliIo, type OptionValues } from './registry';

/** Read `<file|->` as text; `-` reads standard input. */
export async function readInput(
  arg: string | undefined,
  io: CliIo,
  field = 'file',
): Promise<{ text: string; source: string }> {
  if (arg === undefined) throw new CliError(`${field}: missing (give a path, or - for standard input)`);
  if (arg === '-') return { text: await io.readStdin(), source: 'stdin' };
  const path = isAbsolute(arg) ? arg : join(io.cwd, arg);
  try {
    return { text: await readFile(path, 'utf8'), source: arg };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${field}: cannot read ${arg} (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`,
    );
  }
}

/**
 * Read and parse a JSON input within the input limits (`INPUT_LIMITS`: depth, array and string lengths, no
 * `__proto__`/`constructor`/`prototype` keys); the error names the source and the reason.
 */
export async function readJsonInput(arg: string | undefined, io: CliIo, field = 'file'): Promise<unknown> {
  const { text, source } = await readInput(arg, io, field);
  try {
    return parseBoundedJson(text, field);
  } catch (err) {
    if (err instanceof CoreError) {
      const msg = err.message.startsWith(`${field}: not valid JSON`)
        ? `${field}: ${source} is not valid JSON${err.message.slice(`${field}: not valid JSON`.length)}`
        : err.message;
      throw new CliError(msg, 2);
    }
    throw err;
  }
}

/** `a.b.0.c: message` for each zod issue, prefixed by what was being read. */
export function formatZodError(err: ZodError, what: string): string {
  const lines = err.issues.slice(0, 8).map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : '(root)';
    return `${what}.${path}: ${i.message}`.replace(`${what}.(root)`, what);
  });
  if (err.issues.length > 8) lines.push(`… and ${err.issues.length - 8} more`);
  return lines.join('\n');
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireOption(values: OptionValues, name: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new CliError(`--${name}: required`);
  return v;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
