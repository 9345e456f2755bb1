/**
 * Child process for the store bench: measures a cold open in a fresh process (new V8, new SQLite connections):
 * open the core, list a campaign's characters from SQLite rows, open one character document. Prints JSON.
 */
import { performance } from 'node:perf_hooks';
import { createCore } from '../src/core';

const [dataDir, campaign] = process.argv.slice(2);
if (!dataDir || !campaign) throw new Error('usage: cold-open <dataDir> <campaignId>');
const t0 = performance.now();
const core = await createCore({ dataDir });
const list = await core.characters.list({ campaign });
const shown = await core.characters.show(list[0]?.id as string);
const ms = performance.now() - t0;
await core.close();
process.stdout.write(`${JSON.stringify({ ms, listed: list.length, name: shown.doc.build.name })}\n`);
