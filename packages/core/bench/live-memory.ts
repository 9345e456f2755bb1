/**
 * Child process for the store bench: the memory of a peer that holds a whole campaign open through live
 * documents (what a DM's app with sync attached does): open the core, open every document of the campaign with
 * `core.live.open`, then report RSS and heap before and after, and how long opening took. Prints JSON.
 */
import { performance } from 'node:perf_hooks';
import { createCore } from '../src/core';

const [dataDir, campaign] = process.argv.slice(2);
if (!dataDir || !campaign) throw new Error('usage: live-memory <dataDir> <campaignId>');
const gc = (globalThis as { gc?: () => void }).gc;
const core = await createCore({ dataDir });
await core.characters.list({ campaign });
gc?.();
const before = process.memoryUsage();
const t0 = performance.now();
const refs = await core.live.list(campaign);
const handles = [];
for (const ref of refs) handles.push(await core.live.open(ref));
const ms = performance.now() - t0;
gc?.();
const after = process.memoryUsage();
for (const h of handles) h.release();
await core.close();
process.stdout.write(
  `${JSON.stringify({
    docs: handles.length,
    ms,
    rssBeforeMb: before.rss / 2 ** 20,
    rssAfterMb: after.rss / 2 ** 20,
    heapAfterMb: after.heapUsed / 2 ** 20,
  })}\n`,
);
