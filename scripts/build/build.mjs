// Builds the command-line entries (the `loreforge` CLI, the relay, the web host, `pnpm start`) from TypeScript to
// JavaScript with esbuild, so a command starts in plain node instead of compiling at run time.
//
//   node scripts/build/build.mjs            build when a source is newer than the build (what the bins do)
//   node scripts/build/build.mjs --force    build now
//   node scripts/build/build.mjs --install  `pnpm install`'s postinstall: like the first, plus the
//                                           node_modules/.bin/loreforge link; warns instead of failing
//                                           (package.json calls main() only when this file exists)
//
// Each build goes to a new `dist/build-*` folder; `dist/current.json` (written last, atomically) points to it and
// lists every source file the build read, for the freshness check in fresh.mjs. Our packages and pure-JS
// dependencies are bundled (one module graph to load); native modules and build tools stay external.
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultOutRoot, freshBuild, repoRoot } from './fresh.mjs';

/**
 * @typedef {({ file: string } | { code: string }) & { cjs?: boolean }} Entry a source file (relative to the
 * checkout) or a module's code; `cjs` builds one CommonJS file that the bins run with a V8 code cache
 */
/** @typedef {{ dir: string, entries: Record<string, string>, builtAt: number }} Build */
/**
 * @typedef {object} BuildOptions
 * @property {string} [sourceRoot] the checkout to build
 * @property {string} [outRoot] where builds go
 * @property {Record<string, Entry>} [entries]
 * @property {string[]} [extraInputs] files (relative to the checkout) that make the build stale too
 * @property {string[]} [external] packages left outside the bundle
 * @property {string[]} [lazy] CommonJS packages loaded on first use of one of their exports
 * @property {boolean} [force] build even when fresh
 */

/** Packages loaded from node_modules at run time instead of bundled: native code, or build tools. */
export const EXTERNAL = ['better-sqlite3', 'electron', 'electron-vite', 'vite', '@vitejs/plugin-react'];

/**
 * Packages that are slow to load and rarely used by one command, loaded on first use instead of at start-up:
 * the dice roller brings all of mathjs (hundreds of milliseconds), and only rolls need it.
 */
export const LAZY = ['@dice-roller/rpg-dice-roller'];

/**
 * The built entries: name → source file (relative to the checkout), or `code` of a small module of its own.
 * The servers stay ES modules (code splitting; the renderer build's top-level await needs ESM).
 * @returns {Record<string, Entry>}
 */
export function productEntries(root = repoRoot) {
  const server = join(root, 'apps/desktop/src/web/server.ts');
  return {
    // Short-lived commands: one CommonJS file each, run with a V8 code cache (run.mjs) to skip most compiling.
    loreforge: { file: 'scripts/loreforge.ts', cjs: true },
    relay: { file: 'apps/sync-server/src/main.ts', cjs: true },
    // server.ts runs main() only when it is the process's own script; the built entry calls it.
    web: {
      code:
        `import { main } from ${JSON.stringify(server)};\n` +
        'main().catch((err) => {\n' +
        '  process.stderr.write(`start:web: ${err instanceof Error ? err.message : String(err)}\\n`);\n' +
        '  process.exit(1);\n' +
        '});\n',
    },
    start: { file: 'apps/desktop/src/launch.ts' },
  };
}

/**
 * Files that change a build without being a module of it (relative to the checkout, when they exist).
 * @param {string} root
 */
function productExtraInputs(root) {
  const list = [
    'package.json',
    'pnpm-lock.yaml',
    'tsconfig.base.json',
    'node_modules/.modules.yaml',
    'scripts/build/build.mjs',
    'scripts/build/fresh.mjs',
  ];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) list.push(`${group}/${pkg}/package.json`);
  }
  return list.filter((f) => existsSync(join(root, f)));
}

/** @param {Entry | undefined} e */
function codeOf(e) {
  if (!e || !('code' in e)) throw new Error('build: no such code entry');
  return e.code;
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * One build at a time per output folder (an optimisation only: concurrent builds write separate folders and
 * `current.json` atomically). The lock holds its builder's pid; a lock whose builder is gone, or older than two
 * minutes, is taken over.
 * @template T
 * @param {string} outRoot
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(outRoot, fn) {
  mkdirSync(outRoot, { recursive: true });
  const lock = join(outRoot, 'build.lock');
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
      try {
        const holder = Number(readFileSync(lock, 'utf8'));
        const old = Date.now() - statSync(lock).mtimeMs;
        if (old > 120_000 || (holder > 0 && !alive(holder))) unlinkSync(lock);
      } catch {
        // released meanwhile
      }
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * esbuild plugin: native/tool packages resolve where they are installed and stay outside the bundle (imported
 * by file URL from ES modules, required by path from CommonJS).
 * @param {string[]} names
 * @param {boolean} cjs
 * @returns {import('esbuild').Plugin}
 */
function externalPackages(names, cjs) {
  const pattern = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`);
  return {
    name: 'loreforge-external',
    setup(build) {
      build.onResolve({ filter: pattern }, async (args) => {
        if (args.pluginData === 'loreforge-external') return undefined;
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'loreforge-external',
        });
        if (found.errors.length > 0 || !found.path) return { path: args.path, external: true };
        return { path: cjs ? found.path : pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

/**
 * The export names of the CommonJS module at `path` (and whether it sets `__esModule`), read in a child process so
 * that neither the build nor a command that rebuilds first loads it; remembered in `<outRoot>/lazy-exports.json`
 * (the path names the installed version).
 * @param {string} path
 * @param {string} outRoot
 * @returns {{ names: string[], esModule: boolean }}
 */
function exportsOf(path, outRoot) {
  const cacheFile = join(outRoot, 'lazy-exports.json');
  /** @type {Record<string, { names: string[], esModule: boolean }>} */
  let cache = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  } catch {
    // none yet
  }
  const hit = cache[path];
  if (hit) return hit;
  const probe =
    'const m = require(process.argv[1]);' +
    "process.stdout.write(JSON.stringify({ names: Object.keys(m).filter((n) => n !== '__esModule'), esModule: !!m.__esModule }));";
  const found = JSON.parse(execFileSync(process.execPath, ['-e', probe, path], { encoding: 'utf8' }));
  cache[path] = found;
  const tmp = `${cacheFile}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, cacheFile);
  return found;
}

/**
 * esbuild plugin: each of `names` becomes a small module whose exports are getters that `require()` the real
 * package (left outside the bundle) on first use.
 * @param {string[]} names
 * @param {string} outRoot
 * @returns {import('esbuild').Plugin}
 */
function lazyPackages(names, outRoot) {
  if (names.length === 0) return { name: 'loreforge-lazy', setup() {} };
  const pattern = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'loreforge-lazy',
    setup(build) {
      build.onResolve({ filter: pattern }, (args) => {
        try {
          const path = createRequire(join(args.resolveDir, 'index.js')).resolve(args.path);
          return { path, namespace: 'loreforge-lazy' };
        } catch {
          return undefined; // not installed here: let esbuild report it
        }
      });
      // The real package, from inside the lazy module: loaded at run time from where it is installed.
      build.onResolve({ filter: /.*/, namespace: 'loreforge-lazy' }, (args) => ({
        path: args.path,
        external: true,
      }));
      build.onLoad({ filter: /.*/, namespace: 'loreforge-lazy' }, (args) => {
        const { names: exported, esModule } = exportsOf(args.path, outRoot);
        const lines = [
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(args.path)}));`,
          ...(esModule ? ["Object.defineProperty(exports, '__esModule', { value: true });"] : []),
          ...exported.map(
            (n) =>
              `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => load()[${JSON.stringify(n)}] });`,
          ),
        ];
        return { contents: `${lines.join('\n')}\n`, loader: 'js' };
      });
    },
  };
}

/**
 * esbuild plugin: `import.meta.dirname|filename|url` in our own sources keep naming the source file (the SRD
 * resources and the renderer are found relative to it), not the bundle.
 * @param {string} root
 * @returns {import('esbuild').Plugin}
 */
function sourceLocations(root) {
  return {
    name: 'loreforge-source-locations',
    setup(build) {
      build.onLoad({ filter: /\.(m?ts|tsx)$/ }, (args) => {
        if (args.path.includes(`${'/'}node_modules/`) || relative(root, args.path).startsWith('..'))
          return undefined;
        let text = readFileSync(args.path, 'utf8');
        if (text.includes('import.meta.')) {
          text = text
            .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
            .replaceAll('import.meta.filename', JSON.stringify(args.path))
            .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
        }
        return { contents: text, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * esbuild plugin: entries given as `code` are modules of their own (namespace `loreforge-entry`).
 * @param {Record<string, Entry>} entries
 * @param {string} root
 * @returns {import('esbuild').Plugin}
 */
function codeEntries(entries, root) {
  return {
    name: 'loreforge-code-entries',
    setup(build) {
      build.onResolve({ filter: /^loreforge-entry:/ }, (args) => ({
        path: args.path.slice('loreforge-entry:'.length),
        namespace: 'loreforge-entry',
      }));
      build.onLoad({ filter: /.*/, namespace: 'loreforge-entry' }, (args) => ({
        contents: codeOf(entries[args.path]),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/**
 * Remove builds other than the newest three that are more than ten minutes old (a server loads the chunks of its
 * build while it starts; a CommonJS command writes its code cache there when it exits). About 20 MB a build.
 * @param {string} outRoot
 * @param {string} keep
 */
function prune(outRoot, keep) {
  const builds = readdirSync(outRoot)
    .filter((d) => d.startsWith('build-') && d !== keep)
    .map((d) => ({ d, t: statSync(join(outRoot, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { d, t } of builds.slice(2)) {
    if (Date.now() - t > 600_000) rmSync(join(outRoot, d), { recursive: true, force: true });
  }
}

/**
 * Build `entries` from `sourceRoot` into a new folder under `outRoot` and make it current.
 * @param {BuildOptions} [opts]
 * @returns {Promise<Build & { ms: number }>}
 */
export async function build({
  sourceRoot = repoRoot,
  outRoot = defaultOutRoot,
  entries = productEntries(sourceRoot),
  extraInputs = productExtraInputs(sourceRoot),
  external = EXTERNAL,
  lazy = LAZY,
} = {}) {
  const esbuild = await import('esbuild');
  const builtAt = Date.now();
  const name = `build-${builtAt}-${process.pid}`;
  const dir = join(outRoot, name);
  mkdirSync(dir, { recursive: true });
  /** @type {Record<string, string>} */
  const entryPoints = {};
  for (const [key, e] of Object.entries(entries))
    entryPoints[key] = 'code' in e ? `loreforge-entry:${key}` : resolve(sourceRoot, e.file);
  const esmKeys = Object.keys(entries).filter((k) => !entries[k]?.cjs);
  const cjsKeys = Object.keys(entries).filter((k) => entries[k]?.cjs);
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: sourceRoot,
    bundle: true,
    platform: 'node',
    target: 'node20',
    keepNames: true,
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false, // the maps point at the sources in the checkout
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  };
  /** @param {boolean} cjs */
  const plugins = (cjs) => [
    lazyPackages(lazy, outRoot),
    codeEntries(entries, sourceRoot),
    externalPackages(external, cjs),
    sourceLocations(sourceRoot),
  ];
  /** @type {import('esbuild').BuildResult[]} */
  let results;
  try {
    const jobs = [];
    if (esmKeys.length > 0)
      jobs.push(
        esbuild.build({
          ...common,
          entryPoints: Object.fromEntries(esmKeys.map((k) => [k, /** @type {string} */ (entryPoints[k])])),
          outdir: dir,
          outExtension: { '.js': '.mjs' },
          splitting: true,
          format: 'esm',
          // Bundled CommonJS dependencies call require() for node built-ins.
          banner: {
            js: "import { createRequire as __loreforgeRequire } from 'node:module';\nconst require = __loreforgeRequire(import.meta.url);",
          },
          plugins: plugins(false),
        }),
      );
    for (const k of cjsKeys)
      jobs.push(
        esbuild.build({
          ...common,
          entryPoints: { [k]: /** @type {string} */ (entryPoints[k]) },
          outdir: dir,
          outExtension: { '.js': '.cjs' },
          format: 'cjs',
          plugins: plugins(true),
        }),
      );
    results = await Promise.all(jobs);
    // A dependency reading import.meta would get an empty object in CommonJS: refuse rather than break at run time.
    const lost = results
      .slice(esmKeys.length > 0 ? 1 : 0)
      .flatMap((r) => r.warnings)
      .filter((w) => w.text.includes('import.meta'));
    if (lost.length > 0) throw Object.assign(new Error('import.meta in a CommonJS entry'), { errors: lost });
  } catch (caught) {
    rmSync(dir, { recursive: true, force: true });
    const err = /** @type {Error & { errors?: import('esbuild').Message[] }} */ (caught);
    const messages = (err.errors ?? [])
      .slice(0, 10)
      .map((m) => `  ${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`)
      .join('\n');
    throw new Error(`build failed:\n${messages || err.message}`, { cause: caught });
  } finally {
    await esbuild.stop(); // its service process ends with this one, not after it
  }
  const inputs = [];
  /** @type {Record<string, string>} */
  const builtEntries = {};
  const jobKeys = [...(esmKeys.length > 0 ? [esmKeys] : []), ...cjsKeys.map((k) => [k])];
  for (const [i, result] of results.entries()) {
    const keys = jobKeys[i] ?? [];
    const metafile = /** @type {import('esbuild').Metafile} */ (result.metafile);
    inputs.push(
      ...Object.keys(metafile.inputs).filter((f) => !f.includes(':') && !f.includes('node_modules/')),
    );
    for (const [out, info] of Object.entries(metafile.outputs)) {
      const entryPoint = info.entryPoint;
      if (!entryPoint) continue;
      const key = keys.find(
        (k) => resolve(sourceRoot, entryPoint) === entryPoints[k] || entryPoint === entryPoints[k],
      );
      if (key) builtEntries[key] = relative(dir, resolve(sourceRoot, out));
    }
  }
  inputs.push(...extraInputs);
  writeFileSync(join(dir, 'done'), '');
  const meta = {
    version: 1,
    root: sourceRoot,
    dir: name,
    builtAt,
    entries: builtEntries,
    inputs: [...new Set(inputs)],
  };
  const tmp = join(outRoot, `current.json.${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify(meta, null, 1)}\n`);
  renameSync(tmp, join(outRoot, 'current.json'));
  prune(outRoot, name);
  return { dir, entries: builtEntries, builtAt, ms: Date.now() - builtAt };
}

/**
 * The current build, rebuilt first when a source is newer (or there is none).
 * @param {BuildOptions} [opts]
 * @returns {Promise<Build>}
 */
export async function ensureBuilt(opts = {}) {
  const outRoot = opts.outRoot ?? defaultOutRoot;
  const sourceRoot = opts.sourceRoot ?? repoRoot;
  const fresh = freshBuild(outRoot, sourceRoot);
  if (fresh && !opts.force) return fresh;
  return withLock(outRoot, async () => {
    // Another process may have built while this one waited for the lock.
    const now = opts.force ? null : freshBuild(outRoot, sourceRoot);
    return now ?? build(opts);
  });
}

/** `node_modules/.bin/loreforge` → scripts/bin/loreforge.mjs, so `pnpm exec loreforge` works in the checkout. */
function linkBin() {
  const binDir = join(repoRoot, 'node_modules/.bin');
  if (!existsSync(binDir)) return;
  const link = join(binDir, 'loreforge');
  const target = relative(binDir, join(repoRoot, 'scripts/bin/loreforge.mjs'));
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {
    // no link yet
  }
  symlinkSync(target, link);
  chmodSync(join(repoRoot, 'scripts/bin/loreforge.mjs'), 0o755);
}

/**
 * The command (see the top of this file). The root `postinstall` calls `main(['--install'])` only when this file
 * exists: an install of part of the workspace (the relay's Docker image) has no scripts/ folder.
 * @param {string[]} argv
 */
export async function main(argv) {
  const install = argv.includes('--install');
  try {
    const t0 = Date.now();
    const res = await ensureBuilt({ force: argv.includes('--force') });
    if (install) linkBin();
    const built = res.builtAt >= t0;
    process.stderr.write(
      built
        ? `build: ${Object.keys(res.entries).join(', ')} → ${relative(repoRoot, res.dir)} in ${Date.now() - t0} ms\n`
        : 'build: up to date\n',
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    // A source mid-edit must not fail `pnpm install`: the bins build again on their first run.
    if (install) process.stderr.write('build: skipped for now; the first command builds it\n');
    else process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await main(process.argv.slice(2));
