/**
 * The repository is self-contained: the SRD source JSON that `pnpm import-srd` reads is vendored under
 * `resources/srd-source/` with its licences, regenerates every committed `resources/srd/` file, and no code,
 * test, script or CI file reaches outside the repository for data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSrd } from './index';
import { readmeText } from './readme';
import { FixLog, vendoredSources } from './util';

const repoRoot = resolve(import.meta.dirname, '../..');
const resources = join(repoRoot, 'resources/srd');

describe('vendored SRD source', () => {
  it('regenerates every committed resources/srd file from resources/srd-source alone', () => {
    const fixes = new FixLog();
    const data = importSrd(vendoredSources(repoRoot), fixes);
    const names = Object.keys(data);
    expect(names.length).toBeGreaterThan(0);
    for (const [name, rows] of Object.entries(data)) {
      const committed = JSON.parse(readFileSync(join(resources, `${name}.json`), 'utf8')) as unknown;
      expect(rows, `${name}.json`).toEqual(committed);
    }
    expect(readmeText(data, fixes.list())).toBe(readFileSync(join(resources, 'README.md'), 'utf8'));
  });

  it('`import-srd` with no source arguments reads the vendored folders', () => {
    const out = mkdtempSync(join(tmpdir(), 'lf-import-srd-'));
    try {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'scripts/import-srd/index.ts'), '--out', out],
        { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^import-srd: wrote .* creatures 331\)/);
      for (const f of readdirSync(resources))
        expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(resources, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('keeps the licence and attribution files beside the data', () => {
    const { open5e, bits } = vendoredSources(repoRoot);
    const attribution = readFileSync(join(open5e, 'ATTRIBUTION.md'), 'utf8');
    expect(attribution).toMatch(/CC-BY-4\.0/);
    expect(attribution).toMatch(/Wizards of the Coast/);
    expect(readFileSync(join(bits, 'LICENSE-and-ATTRIBUTION.md'), 'utf8')).toMatch(
      /Creative Commons Attribution 4\.0/,
    );
    expect(readFileSync(join(bits, 'LICENSE-5e-database.txt'), 'utf8')).toMatch(/^MIT License/);
    expect(readFileSync(join(repoRoot, 'resources/srd-source/README.md'), 'utf8')).toMatch(
      /licensed under the Creative Commons Attribution 4\.0/,
    );
  });

  it('holds only a few megabytes of source', () => {
    let bytes = 0;
    for (const dir of Object.values(vendoredSources(repoRoot)))
      for (const f of readdirSync(dir)) bytes += statSync(join(dir, f)).size;
    expect(bytes).toBeLessThan(6_000_000);
  });
});

describe('the repository reads nothing outside itself', () => {
  // Built at run time so this file does not match its own search.
  const sharedRef = new RegExp(`(?:\\.\\./)+${'shared'}(?:/[\\w.-]+)*`, 'g');
  const machine = ['', 'work', 'shared'].join('/');
  const skip = new Set([
    'node_modules',
    '.git',
    'dist',
    'dist-types',
    'out',
    'release',
    'test-results',
    'resources',
  ]);
  const code = /\.(ts|tsx|mts|mjs|cjs|js|json|sh|ya?ml)$/;

  function* files(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* files(path);
      else if (code.test(entry.name) || path === join(repoRoot, '.ci/run')) yield path;
    }
  }

  /** A parent-relative path to a `shared` folder is fine only when it names a folder of the repository next to the file (a module import). */
  function outside(file: string, ref: string): boolean {
    const target = resolve(dirname(file), ref);
    const inside = !relative(repoRoot, target).startsWith('..');
    return !inside || !(existsSync(target) || existsSync(`${target}.ts`) || existsSync(`${target}.tsx`));
  }

  it('no code, test, script, package.json or CI file names a shared folder outside the repository', () => {
    expect(existsSync(join(repoRoot, '.ci/run'))).toBe(true);
    const offenders: string[] = [];
    let scanned = 0;
    for (const f of files(repoRoot)) {
      scanned++;
      const text = readFileSync(f, 'utf8');
      const refs = [...text.matchAll(sharedRef)].map((m) => m[0]).filter((ref) => outside(f, ref));
      if (text.includes(machine)) refs.push(machine);
      for (const ref of refs) offenders.push(`${relative(repoRoot, f)}: ${ref}`);
    }
    expect(scanned).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
