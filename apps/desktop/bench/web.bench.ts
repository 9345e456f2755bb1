/**
 * Web-mode benchmarks (`pnpm bench web`): launch → interactive campaign list, and "Generate" → shown draft with
 * the offline generator, measured in Debian Chromium through playwright-core.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/browser';
import { startWeb, tempDataDir } from '../e2e/fixtures';
import { buildRenderer } from '../src/web/build-renderer';
import { rendererOutDir } from '../src/web/renderer-paths';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const CONCEPTS = [
  'a grumpy dwarf blacksmith who swings a heavy hammer',
  'an elf wizard who studies fire magic in a tower library',
  'a halfling rogue who picks pockets at the harbour',
  'a dragonborn paladin sworn to protect a mountain shrine',
  'a human druid raised by wolves in a frozen forest',
];

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(rendererOutDir, 'index.html'))) await buildRenderer();
  const browser = await launchChromium();
  const tmp = tempDataDir('lf-bench-');
  try {
    const launches: { ready: number; interactive: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const web = await startWeb(join(tmp.dir, `launch-${i}`));
      const ready = performance.now() - t0;
      const page = await browser.newPage();
      await page.goto(web.url);
      await page.locator('[aria-label="Campaign list"][data-ready="true"]').waitFor();
      launches.push({ ready, interactive: performance.now() - t0 });
      await page.close();
      await web.stop();
    }

    const web = await startWeb(join(tmp.dir, 'generate'));
    const page = await browser.newPage();
    await page.goto(web.url);
    await page.getByRole('list', { name: 'Campaign list' }).waitFor();
    const gen: number[] = [];
    for (const concept of CONCEPTS) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'New character' })
        .click();
      const startOver = page.getByRole('button', { name: 'Start over' });
      if (await startOver.isVisible()) await startOver.click();
      await page.getByLabel('Character concept').fill(concept);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.getByTestId('draft-name').waitFor();
      await page.getByRole('region', { name: 'Validation report' }).waitFor();
      gen.push(performance.now() - t0);
    }
    await page.close();
    await web.stop();

    const load = `load average ${loadavg()[0]?.toFixed(1)}`;
    return [
      {
        name: 'web mode: launch → interactive campaign list (median of 3)',
        value: Math.round(median(launches.map((l) => l.interactive))),
        unit: 'ms',
        detail: `server ready line after ${Math.round(median(launches.map((l) => l.ready)))} ms (tsx transpile + core + SQLite open); runs ${launches.map((l) => Math.round(l.interactive)).join(', ')} ms; ${load}`,
      },
      {
        name: 'web mode: "Generate" → draft shown, offline (median of 5)',
        value: Math.round(median(gen)),
        unit: 'ms',
        detail: `first ${Math.round(gen[0] as number)} ms (loads SRD content, builds the router), then ${gen
          .slice(1)
          .map((g) => Math.round(g))
          .join(', ')} ms; each draft is saved by the pipeline; ${load}`,
      },
    ];
  } finally {
    await browser.close();
    tmp.cleanup();
  }
}
