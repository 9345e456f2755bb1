// Runs one built entry in this process: the current build when it is fresh, else a rebuild first (the build
// module, and esbuild with it, is loaded only then). The entry's exit code is the process's.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshBuild } from './fresh.mjs';

/** @param {string} name an entry of productEntries() in build.mjs */
export async function runEntry(name) {
  let current = freshBuild();
  if (!current) {
    const { ensureBuilt } = await import('./build.mjs');
    try {
      current = await ensureBuilt();
    } catch (err) {
      process.stderr.write(`loreforge: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  }
  const file = current.entries[name];
  if (!file) {
    process.stderr.write(`loreforge: the build has no entry ${name}\n`);
    process.exit(1);
  }
  await import(pathToFileURL(join(current.dir, file)).href);
}
