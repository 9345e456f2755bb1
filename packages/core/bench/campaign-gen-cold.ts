/**
 * Child process for the campaign-gen bench: a cold generation in a fresh process (new V8, new SQLite
 * connections, nothing cached). Opens the core on the data folder given (with its party already imported),
 * then times the first `generate` (which loads the SRD content it needs itself, like the CLI and the app do)
 * and a second one in the same process. Module loading is excluded (it is the app's or CLI's start-up; the
 * CLI's whole-process time is measured by the bench separately). The fourth argument: `source` (SRD content
 * validated in full, as under tsx and in tests), `built` (as the built CLI and web host run: SRD content a build
 * validated once is not validated again — the same global store `scripts/build/run.mjs` installs, kept in a file
 * beside the data folder), `prepare` (built, and `gen.prepare()` first, as the app does when the pitch screen
 * opens, timed on its own). Prints JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCampaignGen } from '../src/campaign-gen';
import { createCore, silentLogger } from '../src/core';

const [dataDir, partyArg, seedArg, mode] = process.argv.slice(2);
if (!dataDir || !partyArg) throw new Error('usage: campaign-gen-cold <dataDir> <partyId,…> [seed] [prepare]');
const party = partyArg.split(',');
if (mode === 'built' || mode === 'prepare') {
  const file = join(dataDir, '..', 'srd-validated.json');
  const read = (): string[] => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as string[];
    } catch {
      return [];
    }
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for('loreforge.srdValidated')] = {
    has: (key: string) => read().includes(key),
    add: (key: string) => writeFileSync(file, JSON.stringify([...read(), key])),
  };
}
const seed = Number(seedArg ?? '1');
const t0 = performance.now();
const core = await createCore({ dataDir, log: silentLogger });
const openMs = performance.now() - t0;
const gen = createCampaignGen(core);
const prepareMs = mode === 'prepare' ? (await gen.prepare()).ms : 0;
const c1 = process.cpuUsage();
const t1 = performance.now();
await gen.generate({ pitch: `A stolen crown and a drowned city, cold ${seed}`, party, seed });
const firstMs = performance.now() - t1;
const firstCpu = process.cpuUsage(c1);
const c2 = process.cpuUsage();
const t2 = performance.now();
await gen.generate({ pitch: `A stolen crown and a drowned city, warm ${seed}`, party, seed: seed + 1 });
const secondMs = performance.now() - t2;
const secondCpu = process.cpuUsage(c2);
const cpu = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
await core.close();
process.stdout.write(
  `${JSON.stringify({ openMs, prepareMs, firstMs, secondMs, firstCpuMs: cpu(firstCpu), secondCpuMs: cpu(secondCpu) })}\n`,
);
