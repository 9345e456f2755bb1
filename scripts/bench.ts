/**
 * `pnpm bench`: runs every `packages/<pkg>/bench/*.bench.ts`, `apps/<app>/bench/*.bench.ts` and
 * `scripts/bench/*.bench.ts` module (or only those whose path contains one of the CLI arguments) and prints one
 * table. Each module exports
 * `run(): Promise<BenchResult[]>`. With `--write`, the results are appended to docs/benchmarks.md with the date
 * and the machine.
 */
import { readdirSync, existsSync, appendFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

const root = resolve(import.meta.dirname, '..');

function benchFiles(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const pkg of readdirSync(groupDir)) {
      const dir = join(groupDir, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
    }
  }
  // Benchmarks of the repository's own commands (start-up of the built CLI and web mode).
  const scriptsDir = join(root, 'scripts/bench');
  if (existsSync(scriptsDir))
    for (const f of readdirSync(scriptsDir).sort())
      if (f.endsWith('.bench.ts')) files.push(join(scriptsDir, f));
  return files;
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const filters = args.filter((a) => !a.startsWith('--'));
  const files = benchFiles().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  if (files.length === 0) throw new Error(`bench: no bench files match ${filters.join(', ') || '(any)'}`);
  const rows: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    process.stderr.write(`bench: ${rel}\n`);
    const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<BenchResult[]> };
    if (typeof mod.run !== 'function') throw new Error(`bench: ${rel} does not export run()`);
    for (const r of await mod.run()) {
      const value = Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4);
      rows.push(`| ${rel} | ${r.name} | ${value} ${r.unit} | ${r.goal ?? ''} | ${r.detail ?? ''} |`);
    }
  }
  const header = '| file | benchmark | result | goal | detail |\n|---|---|---|---|---|';
  const table = `${header}\n${rows.join('\n')}`;
  process.stdout.write(`${table}\n`);
  if (write) {
    const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
    appendFileSync(
      join(root, 'docs/benchmarks.md'),
      `\n## ${stamp} UTC — ${machine()}\n\nCommand: \`pnpm bench ${args.join(' ')}\`\n\n${table}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
