/**
 * `pnpm start:desktop`: run the Electron app when its binary is installed; otherwise say so and start web mode
 * (same UI and core, in the browser). Arguments (`--data-dir DIR`, `--port P`) are passed through.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { desktopRoot } from './web/renderer-paths';

function electronBinary(): string | null {
  try {
    // The electron package's main export is the binary's path; it throws when the binary was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

async function run(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const electron = electronBinary();
  if (electron) {
    if (!existsSync(join(desktopRoot, 'out/main/index.js'))) {
      const { build } = await import('electron-vite');
      await build({ root: desktopRoot, configFile: join(desktopRoot, 'electron.vite.config.ts') });
    }
    const child = spawn(electron, [desktopRoot, ...args.filter((a) => !a.startsWith('--port'))], {
      stdio: 'inherit',
    });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  process.stderr.write(
    'Electron is not installed here (its binary download was skipped); starting web mode instead.\n' +
      'Open the printed URL in a browser. See README → "Desktop app".\n',
  );
  const { main } = await import('./web/server');
  await main();
}

run().catch((err: unknown) => {
  process.stderr.write(`loreforge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
