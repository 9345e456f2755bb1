// Runs one built entry in this process: the current build when it is fresh, else a rebuild first (the build
// module, and esbuild with it, is loaded only then). The entry's exit code is the process's.
//
// A CommonJS entry (`*.cjs`) runs through vm.Script with a V8 code cache kept beside it (`*.cjs.v8cache`): later
// runs skip most parsing and compiling. The cache is written when the first run exits (so it holds the functions
// that run used) and again whenever V8 rejects it (another node version).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script, constants } from 'node:vm';
import { freshBuild } from './fresh.mjs';

/** @param {string} file */
function runCommonJs(file) {
  const cacheFile = `${file}.v8cache`;
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this build
  }
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only build folder: run without a cache
      }
    });
  }
  const mod = { exports: {} };
  const fn = script.runInThisContext();
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
}

/**
 * The hashes of SRD content this build has validated (`<build>/srd-validated.json`, the newest eight), for
 * core's `loadSrdContent`: a build is one fixed version of the schemas, so content it validated once is not
 * validated again by its later commands (a new build starts empty).
 * @param {string} dir the build folder
 */
function installSrdValidatedStore(dir) {
  const file = join(dir, 'srd-validated.json');
  /** @type {string[] | undefined} */
  let keys;
  const read = () => {
    try {
      const list = JSON.parse(readFileSync(file, 'utf8'));
      return Array.isArray(list) ? list.filter((k) => typeof k === 'string') : [];
    } catch {
      return [];
    }
  };
  /** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for('loreforge.srdValidated')] = {
    has: (/** @type {string} */ key) => (keys ??= read()).includes(key),
    add(/** @type {string} */ key) {
      keys = [...(keys ?? read()).filter((k) => k !== key), key].slice(-8);
      try {
        const tmp = `${file}.${process.pid}`;
        writeFileSync(tmp, JSON.stringify(keys));
        renameSync(tmp, file);
      } catch {
        // a read-only build folder: validate every time
      }
    },
  };
}

/** @param {string} name an entry of productEntries() in build.mjs */
export async function runEntry(name) {
  let current = freshBuild();
  if (!current) {
    const { ensureBuilt } = await import('./build.mjs');
    try {
      current = await ensureBuilt();
    } catch (err) {
      process.stderr.write(`loreforge: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  }
  const file = current.entries[name];
  if (!file) {
    process.stderr.write(`loreforge: the build has no entry ${name}\n`);
    process.exit(1);
  }
  installSrdValidatedStore(current.dir);
  const path = join(current.dir, file);
  if (path.endsWith('.cjs')) runCommonJs(path);
  else await import(pathToFileURL(path).href);
}
