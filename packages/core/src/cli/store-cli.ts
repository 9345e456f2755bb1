/** Shared plumbing for the store commands: `--data-dir`/`--json` options, opening the core, output, errors. */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { createCore, type Core } from '../core';
import { CoreError } from '../errors';
import { printJson } from './args';
import { CliError, type CliIo, type OptionValues } from './registry';

export const storeOptions = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `--data-dir`, else `LOREFORGE_DATA_DIR`, else the OS app-data folder. */
export function resolveDataDir(
  values: OptionValues,
  io: CliIo,
  platform: NodeJS.Platform = process.platform,
): string {
  const given = values['data-dir'];
  const raw = typeof given === 'string' && given !== '' ? given : io.env['LOREFORGE_DATA_DIR'];
  if (raw) return isAbsolute(raw) ? raw : resolve(io.cwd, raw);
  const home = io.env['HOME'] ?? io.env['USERPROFILE'] ?? homedir();
  if (platform === 'win32') return join(io.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Loreforge');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Loreforge');
  return join(io.env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'), 'loreforge');
}

/** Open the core on the resolved data folder, run `fn`, always close; core errors become CLI errors. */
export async function withCore<T>(
  values: OptionValues,
  io: CliIo,
  fn: (core: Core) => Promise<T>,
): Promise<T> {
  const author = io.env['LOREFORGE_AUTHOR'] ?? io.env['USER'] ?? 'cli';
  let core: Core | undefined;
  try {
    core = await createCore({ dataDir: resolveDataDir(values, io), author });
    return await fn(core);
  } catch (err) {
    if (err instanceof CoreError) throw new CliError(err.message, err.code === 'invalid-input' ? 2 : 1);
    throw err;
  } finally {
    await core?.close();
  }
}

/** JSON with `--json`, else the human text. */
export function output(io: CliIo, values: OptionValues, json: unknown, human: string): number {
  if (values['json'] === true) printJson(io, json);
  else io.stdout(human.endsWith('\n') ? human : `${human}\n`);
  return 0;
}

/** `output` for a list: the rows as JSON, or one line a row (`empty` when there are none). */
export function outputList<T>(
  io: CliIo,
  values: OptionValues,
  rows: T[],
  line: (row: T) => string,
  empty: string,
): number {
  return output(io, values, rows, rows.length ? rows.map(line).join('\n') : empty);
}

export function positional(positionals: string[], index: number, name: string): string {
  const v = positionals[index];
  if (v === undefined || v === '') throw new CliError(`<${name}>: missing`);
  return v;
}

export const short = (id: string | null): string => (id ? id.slice(0, 8) : '-');

export function fileArg(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}
