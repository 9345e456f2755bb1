/** The store commands, run in-process through `runCli` with a fake io; plus one spawn of the real command. */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import type { CliIo } from '../src/cli/registry';
import { resolveDataDir } from '../src/cli/store-cli';
import { loadSrdContent } from '../src/content/load-srd';
import { build, tempDir } from './helpers';

const repoRoot = resolve(import.meta.dirname, '../../..');

function fakeIo(env: Record<string, string | undefined>, cwd: string, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => stdin,
    env,
    cwd,
  };
  return { io, out, err };
}

describe('store CLI', { timeout: 30_000 }, () => {
  const t = tempDir('lf-cli-');
  const dataDir = join(t.dir, 'data');
  afterAll(() => t.cleanup());

  async function run(args: string[], stdin = '') {
    const f = fakeIo({ LOREFORGE_AUTHOR: 'tester' }, t.dir, stdin);
    const code = await runCli(args, f.io);
    const text = f.out.join('');
    return { code, text, err: f.err.join(''), json: () => JSON.parse(text) as unknown };
  }
  const j = async (args: string[], stdin = '') => {
    const r = await run([...args, '--data-dir', dataDir, '--json'], stdin);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return r.json() as Record<string, unknown> & unknown[];
  };

  let campaign = '';
  let charId = '';
  let firstCommit = '';
  let itemId = '';
  const charFile = join(t.dir, 'aria.json');

  beforeAll(() => {
    writeFileSync(
      charFile,
      JSON.stringify({ ...build(), narrative: { backstory: 'Studied stars.', fears: ['the dark'] } }),
    );
  });

  it('campaign create → { id, name }', async () => {
    const res = await j(['campaign', 'create', '--name', 'Ashes of Vael']);
    expect(Object.keys(res).sort()).toEqual(['id', 'name']);
    expect(res['name']).toBe('Ashes of Vael');
    campaign = res['id'] as string;
  });

  it('character import <file> --campaign → { id, branch, commit }', async () => {
    const res = await j(['character', 'import', charFile, '--campaign', campaign]);
    expect(Object.keys(res).sort()).toEqual(['branch', 'commit', 'id']);
    expect(res['branch']).toBe('main');
    charId = res['id'] as string;
    firstCommit = res['commit'] as string;
  });

  it('character import - reads standard input', async () => {
    const res = await j(
      ['character', 'import', '-'],
      JSON.stringify(build({ name: 'Stdin Steve', species: 'human', lineage: undefined })),
    );
    expect(res['branch']).toBe('main');
  });

  it('character show → { id, branch, commit, build, derived, narrative, elements }', async () => {
    const res = await j(['character', 'show', charId]);
    expect(Object.keys(res).sort()).toEqual([
      'branch',
      'build',
      'commit',
      'derived',
      'elements',
      'id',
      'narrative',
    ]);
    expect((res['build'] as { name: string }).name).toBe('Aria Moonwhisper');
    expect(res['derived']).not.toBeNull();
  });

  it('character list [--campaign] → rows', async () => {
    const all = await j(['character', 'list']);
    expect(all.map((r) => (r as { name: string }).name)).toEqual(['Aria Moonwhisper', 'Stdin Steve']);
    const inCampaign = await j(['character', 'list', '--campaign', campaign]);
    expect(inCampaign).toEqual([
      {
        id: charId,
        name: 'Aria Moonwhisper',
        kind: 'pc',
        campaign,
        branch: 'main',
        commit: expect.any(String),
      },
    ]);
  });

  it('character edit --set … -m → { commit }, and history log shows it newest first', async () => {
    const res = await j([
      'character',
      'edit',
      charId,
      '--set',
      '/build/abilityScores/str=18',
      '--set',
      '/build/name="Aria"',
      '-m',
      'stronger',
    ]);
    expect(Object.keys(res)).toEqual(['commit']);
    const log = await j(['history', 'log', charId]);
    expect(log.map((c) => (c as { message: string }).message)).toEqual([
      'stronger',
      'import Aria Moonwhisper',
    ]);
    expect(log[0]).toEqual({
      commit: res['commit'],
      parents: [firstCommit],
      branch: 'main',
      message: 'stronger',
      author: 'tester',
      timestamp: expect.any(Number),
      tags: [],
      // Who changed what since the previous save point (from the stored updates' origins).
      changes: [
        { origin: 'local-user', author: 'tester', paths: ['/build/abilityScores/str', '/build/name'] },
      ],
    });
    const shown = await j(['character', 'show', charId, '--ref', firstCommit]);
    expect((shown['build'] as { abilityScores: { str: number } }).abilityScores.str).toBe(8);
    expect(shown['commit']).toBe(firstCommit);
  });

  it('history branch / diff / merge / tag', async () => {
    const br = await j(['history', 'branch', charId, 'what-if', '--from', firstCommit]);
    expect(br).toEqual({ branch: 'what-if', commit: firstCommit });
    await j([
      'character',
      'edit',
      charId,
      '--branch',
      'what-if',
      '--set',
      '/build/abilityScores/str=10',
      '--set',
      '/build/abilityScores/dex=16',
    ]);
    const diff = await j(['history', 'diff', charId, 'main', 'what-if']);
    expect(diff).toEqual([
      { path: '/build/abilityScores/dex', from: 14, to: 16 },
      { path: '/build/abilityScores/str', from: 18, to: 10 },
      { path: '/build/name', from: 'Aria', to: 'Aria Moonwhisper' },
    ]);
    const merge = await j(['history', 'merge', charId, 'what-if']);
    expect(Object.keys(merge).sort()).toEqual(['commit', 'conflicts']);
    const conflicts = merge['conflicts'] as { path: string; ours: unknown; theirs: unknown; kept: unknown }[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ path: '/build/abilityScores/str', ours: 18, theirs: 10 });
    const shown = await j(['character', 'show', charId]);
    const scores = (shown['build'] as { abilityScores: Record<string, number> }).abilityScores;
    expect(scores['dex']).toBe(16);
    expect(scores['str']).toBe(conflicts[0]?.kept);
    const tag = await j(['history', 'tag', charId, 'session-12', '--kind', 'session-checkpoint']);
    expect(tag).toEqual({ tag: 'session-12', commit: merge['commit'], kind: 'session-checkpoint' });
    const log = await j(['history', 'log', charId]);
    expect((log[0] as { tags: string[] }).tags).toEqual(['session-12']);
    const human = await run(['history', 'diff', charId, firstCommit, 'main', '--data-dir', dataDir]);
    expect(human.text).toMatch(/^\d+ changes\n/);
  });

  it('item import and retheme: variants always fork from the base commit', async () => {
    const itemFile = join(t.dir, 'item.json');
    writeFileSync(itemFile, JSON.stringify({ name: 'Moonblade', category: 'weapon', baseItem: 'longsword' }));
    const imp = await j(['item', 'import', itemFile]);
    itemId = imp['id'] as string;
    const v1 = await j(['item', 'retheme', itemId, '--theme', 'Gothic Horror']);
    const v2 = await j(['item', 'retheme', itemId, '--theme', 'Steampunk']);
    expect(v1).toMatchObject({
      id: itemId,
      branch: 'variant/gothic-horror',
      baseId: itemId,
      baseCommit: imp['commit'],
    });
    expect(v2).toMatchObject({ branch: 'variant/steampunk', baseCommit: imp['commit'] });
    const log = await j(['history', 'log', itemId, '--branch', 'variant/steampunk']);
    expect(log.map((c) => (c as { commit: string }).commit)).toEqual([v2['commit'], imp['commit']]);
  });

  it('campaign export and import into another data folder round-trips', async () => {
    const out = join(t.dir, 'vael.lfcampaign');
    const exp = await j(['campaign', 'export', campaign, '--out', out]);
    expect(exp).toMatchObject({ id: campaign, file: out });
    const other = join(t.dir, 'other');
    const imp = await run(['campaign', 'import', out, '--data-dir', other, '--json']);
    expect(imp.code).toBe(0);
    expect(imp.json()).toMatchObject({ id: campaign, name: 'Ashes of Vael' });
    const logA = await j(['history', 'log', charId]);
    const logB = await run(['history', 'log', charId, '--data-dir', other, '--json']);
    expect(logB.json()).toEqual(logA);
    const again = await run(['campaign', 'import', out, '--data-dir', other]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
  });

  it('bad input fails with a message naming the field', async () => {
    const noSet = await run(['character', 'edit', charId, '--data-dir', dataDir]);
    expect(noSet.code).toBe(2);
    expect(noSet.err).toMatch(/--set/);
    const badJson = await run([
      'character',
      'edit',
      charId,
      '--set',
      '/build/name=Aria',
      '--data-dir',
      dataDir,
    ]);
    expect(badJson.err).toMatch(/must be JSON/);
    const badType = await run([
      'character',
      'edit',
      charId,
      '--set',
      '/build/abilityScores/str="high"',
      '--data-dir',
      dataDir,
    ]);
    expect(badType.code).toBe(2);
    expect(badType.err).toMatch(/\/build\/abilityScores\/str/);
    const unknown = await run([
      'character',
      'show',
      '00000000-0000-4000-8000-000000000000',
      '--data-dir',
      dataDir,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not found/);
    const badTag = await run(['history', 'tag', charId, 'x', '--kind', 'party', '--data-dir', dataDir]);
    expect(badTag.err).toMatch(/--kind: must be one of/);
  });

  it('resolves the data folder: --data-dir, then LOREFORGE_DATA_DIR, then the OS app-data folder', () => {
    const io = (env: Record<string, string>) => fakeIo(env, '/w').io;
    expect(resolveDataDir({ 'data-dir': 'rel' }, io({ LOREFORGE_DATA_DIR: '/env' }))).toBe('/w/rel');
    expect(resolveDataDir({}, io({ LOREFORGE_DATA_DIR: '/env' }))).toBe('/env');
    expect(resolveDataDir({}, io({ HOME: '/home/u' }), 'linux')).toBe('/home/u/.local/share/loreforge');
    expect(resolveDataDir({}, io({ HOME: '/Users/u' }), 'darwin')).toBe(
      '/Users/u/Library/Application Support/Loreforge',
    );
    expect(resolveDataDir({}, io({ HOME: 'C:/u', APPDATA: 'C:/u/AppData/Roaming' }), 'win32')).toBe(
      join('C:/u/AppData/Roaming', 'Loreforge'),
    );
  });

  it('the real loreforge command lists characters as JSON', () => {
    const script = join(repoRoot, 'scripts/loreforge.ts');
    expect(existsSync(script)).toBe(true);
    // The bin runs the built CLI (rebuilt first when a source is newer than the build).
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts/bin/loreforge.mjs'), 'character', 'list', '--json', '--data-dir', dataDir],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((c) => c.name)).toEqual(['Aria', 'Stdin Steve']);
  }, 60_000);
});

describe('stat-block characters through the CLI', { timeout: 30_000 }, () => {
  const t = tempDir('lf-cli-monster-');
  const dataDir = join(t.dir, 'data');
  afterAll(() => t.cleanup());
  const creature = loadSrdContent().creatures.get('goblin-warrior');

  async function run(args: string[]) {
    const f = fakeIo({ LOREFORGE_AUTHOR: 'tester' }, t.dir);
    const code = await runCli([...args, '--data-dir', dataDir, '--json'], f.io);
    return { code, err: f.err.join(''), json: () => JSON.parse(f.out.join('')) as Record<string, unknown> };
  }

  it('import a stat block → show (CR estimate) → edit the stat block → show again', async () => {
    expect(creature).toBeDefined();
    const file = join(t.dir, 'goblin.json');
    writeFileSync(file, JSON.stringify({ kind: 'monster', creature, narrative: { backstory: 'Ambush.' } }));
    const imported = await run(['character', 'import', file]);
    expect(imported.err).toBe('');
    const id = imported.json()['id'] as string;
    const shown = (await run(['character', 'show', id])).json();
    expect(shown['build']).toBeNull();
    expect(shown['kind']).toBe('monster');
    const derived = shown['derived'] as {
      challenge: { cr: number; stored: number };
      statBlock: { ac: number };
    };
    expect(derived.challenge.stored).toBe(creature?.cr);
    expect(typeof derived.challenge.cr).toBe('number');
    expect(derived.statBlock.ac).toBe(creature?.ac);

    const edited = await run([
      'character',
      'edit',
      id,
      '--set',
      '/creature/ac=16',
      '--set',
      '/creature/hp/average=150',
      '-m',
      'tougher',
    ]);
    expect(edited.err).toBe('');
    const after = (await run(['character', 'show', id])).json();
    const d2 = after['derived'] as { challenge: { cr: number }; statBlock: { ac: number } };
    expect(d2.statBlock.ac).toBe(16);
    // Far tougher: the engine's estimate rises (the stored CR does not change by itself).
    expect(d2.challenge.cr).toBeGreaterThan(derived.challenge.cr);

    const bad = await run(['character', 'edit', id, '--set', '/creature/ac="high"']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/\/creature\/ac/);
    const list = (await run(['character', 'list'])).json() as unknown as { id: string; kind: string }[];
    expect(list).toEqual([expect.objectContaining({ id, kind: 'monster', name: creature?.name })]);
  });

  it('a broken stat-block file is refused naming the field; a pc needs a build', async () => {
    const file = join(t.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ kind: 'monster', creature: { ...creature, ac: 'x' } }));
    const r = await run(['character', 'import', file]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/character file: creature\.ac: /);
    writeFileSync(file, JSON.stringify({ kind: 'pc', creature }));
    const pc = await run(['character', 'import', file]);
    expect(pc.code).not.toBe(0);
    expect(pc.err).toMatch(/new character is invalid at \/build/);
  });
});
