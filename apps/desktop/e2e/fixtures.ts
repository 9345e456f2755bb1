/**
 * E2E fixtures: a web-mode server per test, started as the real command (`pnpm start:web`'s bin) with a private
 * temporary data folder, and Debian Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';

export const DESKTOP_DIR = resolve(import.meta.dirname, '..');
export const READY_LINE = /^Loreforge web: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/;

export interface WebProcess {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  /** Every stdout line the process printed (the ready line must be the only one). */
  stdout: string[];
  stop(): Promise<void>;
}

export function tempDataDir(prefix = 'lf-e2e-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Start web mode (`pnpm start:web`'s bin: the built `src/web/server.ts`, rebuilt first when a source is newer)
 * with `--data-dir DIR --port 0` and wait for its ready line.
 */
export async function startWeb(dataDir: string, extraArgs: string[] = []): Promise<WebProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(DESKTOP_DIR, '../../scripts/bin/web.mjs'), '--data-dir', dataDir, '--port', '0', ...extraArgs],
    { cwd: DESKTOP_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOREFORGE_DATA_DIR: '' } },
  );
  const stdout: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<RegExpMatchArray>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`web mode did not start in 60 s; stderr:\n${stderr}`)),
      60_000,
    );
    lines.on('line', (line) => {
      stdout.push(line);
      const m = READY_LINE.exec(line);
      if (m) {
        clearTimeout(timer);
        res(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`web mode exited with ${code}; stderr:\n${stderr}`));
    });
  });
  return {
    url: ready[1] as string,
    port: Number(ready[2]),
    token: ready[3] as string,
    dataDir,
    stdout,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Record whether an element matching `selector` ever appears (even for one frame) from now on. */
export async function watchFor(page: Page, selector: string, key: string): Promise<void> {
  await page.evaluate(
    ({ selector, key }) => {
      const w = window as unknown as Record<string, boolean>;
      w[key] = document.querySelector(selector) !== null;
      new MutationObserver(() => {
        if (document.querySelector(selector)) w[key] = true;
      }).observe(document.body, { childList: true, subtree: true });
    },
    { selector, key },
  );
}

export async function sawElement(page: Page, key: string): Promise<boolean> {
  return page.evaluate((k) => (window as unknown as Record<string, boolean>)[k] === true, key);
}

/** Create a character from a concept in the UI (offline generator), returning its name. */
export async function generateDraft(page: Page, concept: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New character' }).click();
  await page.getByLabel('Character concept').fill(concept);
  await page.getByRole('button', { name: 'Generate' }).click();
  const name = page.getByTestId('draft-name');
  await name.waitFor();
  return (await name.textContent()) ?? '';
}
