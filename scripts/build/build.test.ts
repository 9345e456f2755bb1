/**
 * The built command line: esbuild output that is rebuilt when a source is newer, the `loreforge` bin that runs it
 * in its own process (same answers as the in-process CLI, every command of the sources, no pnpm noise on
 * errors), and a relay started through it that is stopped by its real pid with nothing left running.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helpText, runCli, type CliIo } from '@loreforge/core/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { build, ensureBuilt } from './build.mjs';
import { freshBuild } from './fresh.mjs';

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'scripts/bin/loreforge.mjs');
const example = join(repoRoot, 'resources/examples/aria.build.json');

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function runNode(file: string): string {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Set a file's times `ms` from now (a later edit than any build started before it). */
function touch(file: string, ms: number): void {
  const t = (Date.now() + ms) / 1000;
  utimesSync(file, t, t);
}

describe('the build', () => {
  it('rebuilds when a source file is newer than the build, and picks up files new imports bring', async () => {
    const root = temp('lf-build-src-');
    const out = join(root, 'out');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/main.ts'), "import { value } from './dep';\nconsole.log(value());\n");
    writeFileSync(join(root, 'src/dep.ts'), "export const value = (): string => 'one';\n");
    const opts = {
      sourceRoot: root,
      outRoot: out,
      entries: { main: { file: 'src/main.ts' } },
      extraInputs: [],
    };

    const first = await ensureBuilt(opts);
    expect(freshBuild(out, root)?.dir).toBe(first.dir);
    expect(runNode(join(first.dir, first.entries['main'] as string))).toBe('one\n');
    // Fresh: a second call reuses the build.
    expect((await ensureBuilt(opts)).dir).toBe(first.dir);

    writeFileSync(join(root, 'src/extra.ts'), "export const extra = 'three';\n");
    writeFileSync(
      join(root, 'src/dep.ts'),
      "import { extra } from './extra';\nexport const value = (): string => `two ${extra}`;\n",
    );
    touch(join(root, 'src/dep.ts'), 1000);
    expect(freshBuild(out, root)).toBeNull();
    const second = await ensureBuilt(opts);
    expect(second.dir).not.toBe(first.dir);
    expect(runNode(join(second.dir, second.entries['main'] as string))).toBe('two three\n');

    // The file the new import brought in is watched too.
    writeFileSync(join(root, 'src/extra.ts'), "export const extra = 'four';\n");
    touch(join(root, 'src/extra.ts'), 2000);
    const third = await ensureBuilt(opts);
    expect(runNode(join(third.dir, third.entries['main'] as string))).toBe('two four\n');

    // A deleted source makes the build stale as well.
    rmSync(join(root, 'src/extra.ts'));
    expect(freshBuild(out, root)).toBeNull();
  });

  it('takes over a build lock whose builder was killed', async () => {
    const root = temp('lf-build-lock-');
    const out = join(root, 'out');
    mkdirSync(join(root, 'src'));
    mkdirSync(out);
    writeFileSync(join(root, 'src/main.ts'), "console.log('locked');\n");
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // exited and reaped: its pid is free
    writeFileSync(join(out, 'build.lock'), String(dead));
    const res = await ensureBuilt({
      sourceRoot: root,
      outRoot: out,
      entries: { main: { file: 'src/main.ts' } },
      extraInputs: [],
    });
    expect(runNode(join(res.dir, res.entries['main'] as string))).toBe('locked\n');
    expect(existsSync(join(out, 'build.lock'))).toBe(false);
  }, 20_000);

  it('keeps import.meta.dirname naming the source folder (resources are found relative to sources)', async () => {
    const root = temp('lf-build-meta-');
    mkdirSync(join(root, 'src/deep'), { recursive: true });
    writeFileSync(join(root, 'src/main.ts'), "import { where } from './deep/where';\nconsole.log(where);\n");
    writeFileSync(join(root, 'src/deep/where.ts'), 'export const where: string = import.meta.dirname;\n');
    const res = await build({
      sourceRoot: root,
      outRoot: join(root, 'out'),
      entries: { main: { file: 'src/main.ts' }, mainCjs: { file: 'src/main.ts', cjs: true } },
      extraInputs: [],
    });
    expect(res.entries['main']).toMatch(/\.mjs$/);
    expect(res.entries['mainCjs']).toMatch(/\.cjs$/);
    expect(runNode(join(res.dir, res.entries['main'] as string))).toBe(`${join(root, 'src/deep')}\n`);
    expect(runNode(join(res.dir, res.entries['mainCjs'] as string))).toBe(`${join(root, 'src/deep')}\n`);
  });

  it('loads a package listed as lazy on first use of an export, not at start-up', async () => {
    const root = temp('lf-build-lazy-');
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'node_modules/heavy'), { recursive: true });
    writeFileSync(join(root, 'node_modules/heavy/package.json'), '{ "name": "heavy", "main": "index.js" }\n');
    writeFileSync(
      join(root, 'node_modules/heavy/index.js'),
      "globalThis.heavyLoaded = true;\nexports.Heavy = class Heavy { hi() { return 'hi'; } };\nexports.n = 7;\n",
    );
    writeFileSync(
      join(root, 'src/main.ts'),
      "import { Heavy, n } from 'heavy';\n" +
        'const g = globalThis as { heavyLoaded?: boolean };\n' +
        'console.log(`at start ${g.heavyLoaded === true}`);\n' +
        'const h = new Heavy();\n' +
        'console.log(`${h.hi()} ${n} ${h instanceof Heavy} then ${g.heavyLoaded === true}`);\n',
    );
    const entries = { main: { file: 'src/main.ts' }, mainCjs: { file: 'src/main.ts', cjs: true } };
    const lazy = await build({
      sourceRoot: root,
      outRoot: join(root, 'out'),
      entries,
      extraInputs: [],
      lazy: ['heavy'],
    });
    for (const e of ['main', 'mainCjs'])
      expect(runNode(join(lazy.dir, lazy.entries[e] as string)), e).toBe(
        'at start false\nhi 7 true then true\n',
      );
    const eager = await build({
      sourceRoot: root,
      outRoot: join(root, 'out2'),
      entries,
      extraInputs: [],
      lazy: [],
    });
    expect(runNode(join(eager.dir, eager.entries['mainCjs'] as string))).toBe(
      'at start true\nhi 7 true then true\n',
    );
  });

  it('reports a source that does not compile with its file and line, and keeps the previous build', async () => {
    const root = temp('lf-build-bad-');
    const out = join(root, 'out');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/main.ts'), "console.log('ok');\n");
    const opts = {
      sourceRoot: root,
      outRoot: out,
      entries: { main: { file: 'src/main.ts' } },
      extraInputs: [],
    };
    const good = await ensureBuilt(opts);
    writeFileSync(join(root, 'src/main.ts'), 'console.log(;\n');
    touch(join(root, 'src/main.ts'), 1000);
    await expect(ensureBuilt(opts)).rejects.toThrow(/build failed:\n {2}src\/main\.ts:1: /);
    expect(JSON.parse(readFileSync(join(out, 'current.json'), 'utf8')).dir).toBe(good.dir.split('/').pop());
    expect(readdirSync(out).filter((d) => d.startsWith('build-'))).toHaveLength(1);
  });
});

function fakeIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      readStdin: () => Promise.resolve(''),
      env: {},
      cwd: repoRoot,
    },
  };
}

/**
 * Run the bin on a build that stays current for the whole run (others editing sources make the next command
 * rebuild; such a run is repeated), and return that build with the result.
 */
async function onOneBuild(args: string[]) {
  for (let i = 0; ; i++) {
    const before = await ensureBuilt();
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
    const after = freshBuild();
    if (after?.dir === before.dir || i >= 4) return { build: before, result };
  }
}

describe('the loreforge bin', () => {
  it('answers rules derive exactly as the in-process CLI does', async () => {
    const r = spawnSync(process.execPath, [bin, 'rules', 'derive', example], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const f = fakeIo();
    expect(await runCli(['rules', 'derive', example], f.io)).toBe(0);
    expect(r.stdout).toBe(f.out.join(''));
    expect((JSON.parse(r.stdout) as { level: number }).level).toBe(5);
    // The CommonJS entry leaves its V8 code cache beside it for the next run, which gives the same answer.
    const { build: used, result } = await onOneBuild(['rules', 'derive', example]);
    expect(result.stdout).toBe(r.stdout);
    expect(existsSync(join(used.dir, `${used.entries['loreforge']}.v8cache`))).toBe(true);
  }, 120_000);

  it('validates SRD content once per build, and still refuses content that changed and is invalid', async () => {
    const { build: used, result } = await onOneBuild(['rules', 'derive', example]);
    expect(result.status).toBe(0);
    const keys = JSON.parse(readFileSync(join(used.dir, 'srd-validated.json'), 'utf8')) as string[];
    expect(keys.length).toBeGreaterThan(0);
    // A copy of the resources with one invalid species: a new hash, so it is validated and refused.
    const dir = temp('lf-bin-srd-');
    cpSync(join(repoRoot, 'resources/srd'), join(dir, 'srd'), { recursive: true });
    const species = JSON.parse(readFileSync(join(dir, 'srd/species.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    (species[0] as Record<string, unknown>)['speed'] = 'fast';
    writeFileSync(join(dir, 'srd/species.json'), JSON.stringify(species));
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [bin, 'rules', 'derive', example], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, LOREFORGE_RESOURCES_DIR: dir },
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/SRD content in .* is invalid at species\.0\.speed/);
    }
  }, 120_000);

  it('does not load the dice roller (all of mathjs) for a command that rolls nothing', () => {
    const dir = temp('lf-bin-probe-');
    const probe = join(dir, 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write('loaded: ' + Object.keys(require.cache).filter((k) => /mathjs|rpg-dice-roller/.test(k)).length + '\\n'));\n",
    );
    const r = spawnSync(process.execPath, ['--require', probe, bin, 'rules', 'derive', example], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('loaded: 0\n');
  }, 60_000);

  it('lists every command of the current sources (none is hard-coded in the build)', () => {
    const r = spawnSync(process.execPath, [bin, '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    // Every command this process loaded from the sources is there (others may have been added since: the bin
    // rebuilds when a source is newer, so it can only know more).
    const commands = (text: string) => text.split('\n').filter((l) => l.startsWith('  loreforge '));
    const loaded = commands(helpText());
    expect(loaded.length).toBeGreaterThan(10);
    expect(commands(r.stdout)).toEqual(expect.arrayContaining(loaded));
  }, 60_000);

  it('pnpm exec loreforge (the installed bin): an error is the command message alone, with its exit code', () => {
    const r = spawnSync('pnpm', ['exec', 'loreforge', 'no-such-command'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^loreforge: unknown command "no-such-command"\n/);
    expect(r.stderr).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('pnpm --silent loreforge runs the same bin and passes its exit code on', () => {
    const r = spawnSync('pnpm', ['--silent', 'loreforge', 'rules', 'derive', example], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { level: number }).level).toBe(5);
    const bad = spawnSync('pnpm', ['--silent', 'loreforge', 'no-such-command'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^loreforge: unknown command "no-such-command"\n/);
  }, 60_000);

  it('runs `relay start` in its own node process, stopped by its pid with nothing left running', async () => {
    const dir = temp('lf-bin-relay-');
    const secret = join(dir, 'secret');
    writeFileSync(secret, 'x'.repeat(64));
    const child = spawn(
      process.execPath,
      [bin, 'relay', 'start', '--port', '0', '--data-dir', join(dir, 'data'), '--secret-file', secret],
      { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pid = child.pid as number;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`relay did not start: ${err}`)), 50_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/relay listening on ws:\/\/\S+\n/.test(out)) {
            clearTimeout(timer);
            res();
          }
        });
        child.once('exit', () => rej(new Error(`relay exited: ${err}`)));
      });
      // The listening process is node running the bin itself: no wrapper, no child of its own.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(0, 2)).toEqual([process.execPath, bin]);
      const children = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
          } catch {
            return false; // ended while listing
          }
        });
      expect(children).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
    // Exit 0 when the relay's SIGTERM handler is in place; a SIGTERM that lands between its ready line and the
    // handler ends it by the signal. Either way the process is gone.
    const end = await exited;
    expect(end.code === 0 || end.signal === 'SIGTERM', JSON.stringify(end)).toBe(true);
    expect(() => process.kill(-pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  }, 60_000);
});
