/** Shared by the app-*.e2e tests: one web-mode server per test, pages that bypass CSP for axe, axe scans. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { startWeb, tempDataDir, type WebProcess } from './fixtures';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AppSession {
  web: WebProcess;
  page: Page;
}

/** Servers and folders to stop and remove after each test. */
export function sessions() {
  const webs: WebProcess[] = [];
  const cleanups: (() => void)[] = [];
  return {
    async open(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<AppSession> {
      const tmp = tempDataDir('lf-app-e2e-');
      cleanups.push(tmp.cleanup);
      const web = await startWeb(tmp.dir);
      webs.push(web);
      // bypassCSP only so the axe script can be injected; the app itself runs under its CSP everywhere else.
      const page = await browser.newPage({ viewport, bypassCSP: true });
      await page.goto(web.url);
      await page.getByRole('list', { name: 'Campaign list' }).waitFor();
      return { web, page };
    },
    async close(): Promise<void> {
      await Promise.all(webs.splice(0).map((w) => w.stop()));
      for (const c of cleanups.splice(0)) c();
    },
  };
}

/** axe-core violations on the page as it is now (rule id and the first target of each), [] when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const has = await page.evaluate(() => 'axe' in window);
  if (!has) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const res = await axe.run(document);
    return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The accessible text of the focused element's tag and content, e.g. "H1 Drafts". */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName} ${el.textContent ?? ''}` : '';
  });
}

export function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}
