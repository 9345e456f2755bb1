/**
 * The `loreforge` command (`pnpm exec loreforge …` from the repo root, or `pnpm --silent loreforge …`). Routes
 * `relay …` to the sync server app and everything else to core's CLI. The process exit code is the command's.
 * The bin (`scripts/bin/loreforge.mjs`) runs this file built to JavaScript (`scripts/build/`), not through tsx.
 */
import { processIo, runCli } from '@loreforge/core/cli';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const io = processIo();
  if (argv[0] === 'relay') {
    const { runRelayCli } = await import('@loreforge/sync-server/cli');
    return runRelayCli(argv.slice(1), io);
  }
  return runCli(argv, io);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`loreforge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
