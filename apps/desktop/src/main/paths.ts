/** Where the desktop app keeps its data: `--data-dir DIR`, else `LOREFORGE_DATA_DIR`, else the OS user-data folder. */
import { join } from 'node:path';

export function resolveDataDir(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  userData: string,
): string {
  const i = argv.indexOf('--data-dir');
  const fromArg =
    i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
  if (fromArg) return fromArg;
  if (env['LOREFORGE_DATA_DIR']) return env['LOREFORGE_DATA_DIR'];
  return join(userData, 'data');
}
