// Cheap freshness check of the built command-line entries (no esbuild import: this runs on every command).
//
// `<outRoot>/current.json` names the build folder, the time the build started and every source file it read.
// The build is fresh when it was made from this checkout and no listed file is missing or newer than the build.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** Where builds go: `<outRoot>/current.json` and `<outRoot>/build-*`. */
export const defaultOutRoot = join(repoRoot, 'dist');

/**
 * The build that `<outRoot>/current.json` describes when it is fresh, else `null` (no build, a build of another
 * checkout, a missing build folder, or a source file newer than the build or gone).
 * @param {string} [outRoot]
 * @param {string} [sourceRoot] the checkout the build must come from
 * @returns {{ dir: string, entries: Record<string, string>, builtAt: number } | null}
 */
export function freshBuild(outRoot = defaultOutRoot, sourceRoot = repoRoot) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(join(outRoot, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
  if (meta?.version !== 1 || meta.root !== sourceRoot || !Array.isArray(meta.inputs)) return null;
  for (const input of meta.inputs) {
    let mtime;
    try {
      mtime = statSync(resolve(sourceRoot, input)).mtimeMs;
    } catch {
      return null; // a source was deleted or renamed
    }
    if (mtime > meta.builtAt) return null;
  }
  const dir = join(outRoot, meta.dir);
  try {
    statSync(join(dir, 'done'));
  } catch {
    return null; // the build folder was removed
  }
  return { dir, entries: meta.entries, builtAt: meta.builtAt };
}
