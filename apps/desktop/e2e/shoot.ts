/** Dev tool: screenshot a running web-mode URL. `tsx e2e/shoot.ts URL OUT.png [script]` */
import { launchChromium } from './browser';

const [url, out] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
await page.goto(url as string);
await page.waitForSelector('[aria-label="Campaign list"]');
await page.screenshot({ path: out as string, fullPage: false });
await browser.close();
