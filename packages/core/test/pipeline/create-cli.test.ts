/** `loreforge character create|refine|finalize|levelup|retheme|bulk`, in-process through `runCli`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closedPortUrl, startFakeOpenAi, type FakeOpenAi } from '@loreforge/llm/test-fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/registry';
import { tempDir } from '../helpers';
import { GOOD_DRAFT } from './fixtures';

interface Json {
  [k: string]: unknown;
}

describe('character pipeline CLI', () => {
  const t = tempDir('lf-create-cli-');
  const dataDir = join(t.dir, 'data');
  let openai: FakeOpenAi;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
  });
  afterAll(async () => {
    await openai.close();
    t.cleanup();
  });

  async function run(args: string[], dir = dataDir) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      readStdin: async () => '',
      env: { LOREFORGE_AUTHOR: 'tester' },
      cwd: t.dir,
    };
    const code = await runCli([...args, '--data-dir', dir, '--json'], io);
    const text = out.join('');
    return { code, err: err.join(''), json: () => JSON.parse(text) as Json };
  }

  let id = '';

  it('create --provider offline prints the documented fields', async () => {
    const r = await run([
      'character',
      'create',
      '--concept',
      'a cyberpunk netrunner',
      '--level',
      '3',
      '--provider',
      'offline',
      '--seed',
      '4',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = r.json();
    for (const key of ['id', 'branch', 'commit', 'build', 'derived', 'validation', 'repairs', 'provenance'])
      expect(j).toHaveProperty(key);
    expect(j['branch']).toBe('draft');
    expect((j['validation'] as { valid: boolean }).valid).toBe(true);
    expect(j['provenance']).toMatchObject({ provider: 'offline', model: 'procedural', attempts: 1 });
    id = j['id'] as string;
  });

  it('create through an OpenAI-compatible server', async () => {
    openai.chat.push({ content: JSON.stringify(GOOD_DRAFT) });
    const r = await run([
      'character',
      'create',
      '--concept',
      'a dwarf cleric',
      '--provider',
      'openai',
      '--openai-base-url',
      openai.baseURL,
      '--model',
      'local-model',
    ]);
    expect(r.err).toBe('');
    expect(r.json()['provenance']).toMatchObject({ provider: 'openai', model: 'local-model' });
  });

  it('a provider that is down: exit 3, stderr names it and the cause, nothing saved', async () => {
    const fresh = join(t.dir, 'fresh');
    const down = await closedPortUrl();
    const r = await run(
      [
        'character',
        'create',
        '--concept',
        'a dwarf',
        '--provider',
        'ollama',
        '--ollama-host',
        down,
        '--model',
        'llama3.1:8b',
      ],
      fresh,
    );
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/provider "ollama" failed \(unavailable\)/);
    expect(r.err).toMatch(/nothing was saved/);
    const list = await run(['character', 'list'], fresh);
    expect(list.json()).toEqual([]);
    expect(existsSync(join(fresh, 'llm-cache.sqlite'))).toBe(false);
  }, 30_000);

  it('a timeout: exit 3 and nothing saved', async () => {
    const fresh = join(t.dir, 'fresh-timeout');
    openai.chat.push({ hang: true });
    const r = await run(
      [
        'character',
        'create',
        '--concept',
        'a dwarf',
        '--provider',
        'openai',
        '--openai-base-url',
        openai.baseURL,
        '--timeout-ms',
        '150',
      ],
      fresh,
    );
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/provider "openai" failed \(timeout\)/);
    expect((await run(['character', 'list'], fresh)).json()).toEqual([]);
  });

  it('refine, levelup, retheme, finalize', async () => {
    const refined = await run([
      'character',
      'refine',
      id,
      '--feedback',
      'add a dagger',
      '--provider',
      'offline',
    ]);
    expect(refined.err).toBe('');
    const rj = refined.json();
    expect(
      (rj['diff'] as { changes: { path: string }[] }).changes.some((c) =>
        c.path.startsWith('/build/equipment'),
      ),
    ).toBe(true);
    const proposal = await run(['character', 'levelup', id]);
    expect(proposal.err).toBe('');
    const options = proposal.json()['options'] as { index: number; label: string }[];
    expect(options.length).toBeGreaterThan(0);
    const applied = await run(['character', 'levelup', id, '--choice', '0']);
    expect(applied.err).toBe('');
    expect((applied.json()['applied'] as { tags: string[] }).tags).toContain('level-4');
    const themed = await run([
      'character',
      'retheme',
      id,
      '--theme',
      'gothic horror',
      '--provider',
      'offline',
    ]);
    expect(themed.err).toBe('');
    // The theme is written into the live branch (the draft while drafting); the live branch never switches.
    expect(themed.json()['branch']).toBe('draft');
    // `theme/<slug>` stays as a local record of where the theme began.
    const record = await run(['history', 'log', id, '--branch', 'theme/gothic-horror']);
    expect(record.err).toBe('');
    expect((record.json() as unknown as { message: string }[])[0]?.message).toBe(
      'theme change: gothic horror',
    );
    const fin = await run(['character', 'finalize', id]);
    expect(fin.err).toBe('');
    expect(fin.json()).toMatchObject({ id, tag: 'baseline' });
  });

  it('offline refine with feedback it cannot follow fails with the reason and saves nothing', async () => {
    const before = (await run(['history', 'log', id])).json();
    const r = await run([
      'character',
      'refine',
      id,
      '--feedback',
      'make her more mysterious',
      '--provider',
      'offline',
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/provider "offline" failed \(invalid_output\)/);
    expect((await run(['history', 'log', id])).json()).toEqual(before);
  });

  it('bulk creates a squad', async () => {
    const r = await run([
      'character',
      'bulk',
      '--role',
      'cult fanatic',
      '--count',
      '3',
      '--party',
      '3,3,3,3',
      '--provider',
      'offline',
    ]);
    expect(r.err).toBe('');
    const j = r.json();
    expect(j['members']).toHaveLength(3);
    expect(typeof j['targetCr']).toBe('number');
  });

  it('a monster: create → show (CR estimate + stat block) → list → history log', async () => {
    const created = await run([
      'character',
      'create',
      '--concept',
      'a swamp troll',
      '--kind',
      'monster',
      '--cr',
      '5',
      '--provider',
      'offline',
      '--seed',
      '2',
    ]);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const c = created.json();
    const monsterId = c['id'] as string;
    expect(monsterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(c['branch']).toBe('draft');
    expect(typeof c['commit']).toBe('string');
    expect(c['build']).toBeNull();
    const creature = c['creature'] as { name: string; cr: number };

    const shown = await run(['character', 'show', monsterId]);
    expect(shown.code).toBe(0);
    const s = shown.json();
    expect(s).toMatchObject({
      id: monsterId,
      branch: 'draft',
      commit: c['commit'],
      kind: 'monster',
      build: null,
    });
    expect(s['creature']).toEqual(c['creature']);
    const derived = s['derived'] as {
      challenge: { cr: number; xp: number; method: string };
      statBlock: unknown;
    };
    expect(derived.statBlock).toEqual(c['creature']);
    expect(derived.challenge.cr).toBe(creature.cr);
    expect(derived.challenge.xp).toBe((c['challenge'] as { xp: number }).xp);
    expect(s['elements']).toEqual(c['elements']);
    expect(s['provenance']).toMatchObject({ provider: 'offline', model: 'procedural', attempts: 1 });

    const listed = (await run(['character', 'list'])).json() as unknown as { id: string; kind: string }[];
    expect(listed.find((r) => r.id === monsterId)).toMatchObject({ kind: 'monster', branch: 'draft' });

    const log = (await run(['history', 'log', monsterId])).json() as unknown as {
      commit: string;
      branch: string;
      message: string;
    }[];
    expect(log.map((e) => e.branch)).toEqual(['draft', 'main']);
    expect(log[0]?.commit).toBe(c['commit']);
    expect(log[0]?.message).toMatch(/^create: .* via offline\/procedural/);
    expect(log[1]?.message).toBe(`start ${creature.name}`);

    // The human form names the stat block.
    const out: string[] = [];
    const code = await runCli(['character', 'show', monsterId, '--data-dir', dataDir], {
      stdout: (x) => out.push(x),
      stderr: () => {},
      readStdin: async () => '',
      env: {},
      cwd: t.dir,
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain(`${creature.name} (monster) —`);
    expect(out.join('')).toContain(`CR ${creature.cr}`);
  });

  it('bulk --preview saves nothing', async () => {
    const before = (await run(['character', 'list'])).json();
    const r = await run([
      'character',
      'bulk',
      '--role',
      'bandit',
      '--count',
      '2',
      '--party',
      '2,2',
      '--preview',
      '--provider',
      'offline',
    ]);
    expect(r.err).toBe('');
    const members = r.json()['members'] as { id: unknown; commit: unknown }[];
    expect(members.map((m) => [m.id, m.commit])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect((await run(['character', 'list'])).json()).toEqual(before);
  });

  it('bad input names the flag', async () => {
    const r = await run(['character', 'create', '--concept', 'x', '--level', '42', '--provider', 'offline']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--level 42: expected a whole number 1–20/);
  });
});
