/** Build the renderer for web mode (`out/renderer`), the same output electron-vite produces for the desktop. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rendererOutDir } from './renderer-paths';

export async function buildRenderer(): Promise<string> {
  // Vite is loaded only when a build is needed, so a server with a built renderer starts fast.
  const { build } = await import('vite');
  const { rendererConfig } = await import('./renderer-config');
  await build({ ...rendererConfig(), configFile: false });
  return rendererOutDir;
}

/** Build only when there is no build yet (or `force`). */
export async function ensureRenderer(force = false): Promise<string> {
  if (!force && existsSync(join(rendererOutDir, 'index.html'))) return rendererOutDir;
  return buildRenderer();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await buildRenderer();
  process.stderr.write(`renderer built in ${rendererOutDir}\n`);
}
