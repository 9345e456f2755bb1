/** Issue 11 command line: `encounter build`, `combat start|next|damage|heal|condition|death-save|view|intent…`. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/registry';
import { createCore } from '../../src/index';
import { build, tempDir } from '../helpers';

describe('encounter and combat CLI', { timeout: 120_000 }, () => {
  const t = tempDir('lf-play-cli-');
  const dataDir = join(t.dir, 'data');
  afterAll(() => t.cleanup());

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (x) => out.push(x),
      stderr: (x) => err.push(x),
      readStdin: async () => '',
      env: { LOREFORGE_AUTHOR: 'dm' },
      cwd: t.dir,
    };
    const code = await runCli([...args, '--data-dir', dataDir, '--json'], io);
    return { code, out: out.join(''), err: err.join('') };
  }
  async function j<T = Record<string, unknown>>(args: string[]): Promise<T> {
    const r = await run(args);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as T;
  }

  it('builds an encounter, runs a combat and answers with the contract shapes', async () => {
    const core = await createCore({ dataDir, author: 'dm' });
    const campaign = (await core.campaigns.create({ name: 'Keep' })).id;
    const a = (await core.characters.import(build({ name: 'Aria' }), { campaign })).id;
    const b = (await core.characters.import(build({ name: 'Bram' }), { campaign })).id;
    await core.close();

    const enc = await j<{
      id: string;
      creatures: { srd: string; name: string; cr: number; count: number }[];
      xp: number;
      budget: Record<string, number>;
      difficulty: string;
    }>([
      'encounter',
      'build',
      '--campaign',
      campaign,
      '--party',
      `${a},${b}`,
      '--difficulty',
      'high',
      '--seed',
      '3',
    ]);
    expect(enc.difficulty).toBe('high');
    expect(enc.budget).toEqual({ low: 1000, moderate: 1500, high: 2200 });
    expect(enc.xp).toBeGreaterThan(1500);
    expect(enc.xp).toBeLessThanOrEqual(2200);
    for (const c of enc.creatures)
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['srd', 'name', 'cr', 'count']));
    const list = await j<{ id: string }[]>(['encounter', 'list', '--campaign', campaign]);
    expect(list.map((e) => e.id)).toEqual([enc.id]);

    const bad = await run([
      'encounter',
      'build',
      '--campaign',
      campaign,
      '--party',
      a,
      '--difficulty',
      'deadly',
      '--ruleset',
      '2024',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--difficulty: "deadly" is not a 2024 difficulty/);
    const e2014 = await j<{ difficulty: string }>([
      'encounter',
      'build',
      '--campaign',
      campaign,
      '--party',
      a,
      '--difficulty',
      'deadly',
      '--ruleset',
      '2014',
      '--seed',
      '1',
    ]);
    expect(e2014.difficulty).toBe('deadly');

    const start = await j<{
      session: string;
      round: number;
      turn: string;
      order: { id: string; name: string; side: string; initiative: number; hidden: boolean }[];
    }>([
      'combat',
      'start',
      '--campaign',
      campaign,
      '--party',
      `${a},${b}`,
      '--creatures',
      'goblin-warrior x 2',
      '--hidden',
      'goblin-warrior-2',
      '--lair',
      '--seed',
      '8',
    ]);
    expect(start.round).toBe(1);
    expect(start.turn).toBe(start.order[0]!.id);
    expect(Object.keys(start.order[0]!).sort()).toEqual(['hidden', 'id', 'initiative', 'name', 'side']);
    expect(start.order.find((o) => o.id === 'lair')).toMatchObject({ initiative: 20, side: 'foe' });
    const S = start.session;

    const hit = await j(['combat', 'damage', S, a, '5', '--type', 'fire']);
    expect(Object.keys(hit).sort()).toEqual(['conditions', 'hp', 'id', 'status', 'tempHp']);
    expect(hit['status']).toBe('conscious');
    const temp = await j(['combat', 'heal', S, a, '4', '--temp']);
    expect(temp['tempHp']).toBe(4);
    const cond = await j<{ conditions: string[] }>([
      'combat',
      'condition',
      S,
      'goblin-warrior-1',
      'add',
      'prone',
      '--rounds',
      '1',
    ]);
    expect(cond.conditions).toEqual(['prone']);
    const badCond = await run(['combat', 'condition', S, 'goblin-warrior-1', 'add', 'sleepy']);
    expect(badCond.err).toMatch(/<name>: "sleepy" is not a condition/);
    await j(['combat', 'concentrate', S, b, '--spell', 'Bless']);
    const conc = await j(['combat', 'damage', S, b, '22']);
    expect(conc['concentrationDc']).toBe(11);
    const down = await j(['combat', 'damage', S, a, '1000']);
    expect(down['status']).toBe('dead');
    const bHp = conc['hp'] as number;
    await j(['combat', 'damage', S, b, String(bHp)]);
    const ds = await j(['combat', 'death-save', S, b, '--roll', '20']);
    expect(ds).toMatchObject({ hp: 1, status: 'conscious' });
    const badRoll = await run(['combat', 'death-save', S, b, '--roll', '25']);
    expect(badRoll.err).toMatch(/--roll: "25" must be a whole number from 1 to 20/);
    const next = await j<{ turn: string; round: number }>(['combat', 'next', S]);
    expect(next.turn).not.toBe(start.turn);

    const dmView = await j<{ order: Record<string, unknown>[] }>(['combat', 'view', S, '--as', 'dm']);
    expect(dmView.order.find((o) => o['id'] === 'goblin-warrior-2')).toMatchObject({
      hidden: true,
      hp: expect.any(Number),
    });
    const pView = await j<{ order: Record<string, unknown>[] }>(['combat', 'view', S, '--as', 'player']);
    expect(pView.order.map((o) => o['id'])).not.toContain('goblin-warrior-2');
    const gob = pView.order.find((o) => o['id'] === 'goblin-warrior-1')!;
    expect(gob['health']).toBe('healthy');
    expect(gob).not.toHaveProperty('hp');
    expect(gob).not.toHaveProperty('tempHp');
    expect(pView.order.find((o) => o['id'] === b)).toMatchObject({ hp: 1 });

    // In a local campaign the same folder is DM and player: an own request is answered at once.
    const intent = await j(['combat', 'intent', S, '--character', b, '--action', 'heal', '--amount', '3']);
    expect(intent).toMatchObject({ status: 'applied' });
    const late = await j(['combat', 'intent', S, '--character', b, '--action', 'initiative']);
    expect(late).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/already rolled initiative/),
    });
    const rows = await j<{ id: string; status: string }[]>(['combat', 'intents', S]);
    expect(rows.map((r) => r.status)).toEqual(['applied', 'refused']);
    // The tracker wrote the table state back to the sheets; the sheet acts on its own too.
    const sheet = await j<{ hp: number; status: string }>(['play', 'sheet', b]);
    expect(sheet).toMatchObject({ hp: 4, status: 'conscious' });
    const slot = await j<{ slots: { expended: number[] } }>(['play', 'act', b, 'spend-slot', '2']);
    expect(slot.slots.expended[1]).toBe(1);
    const insp = await j(['play', 'act', b, 'inspiration', 'on']);
    expect(insp['inspiration']).toBe(true);
    const badAct = await run(['play', 'act', b, 'juggle']);
    expect(badAct.err).toMatch(/<action>: "juggle" is not one of/);
    const missing = await run(['combat', 'view', '00000000-0000-4000-8000-00000000abcd']);
    expect(missing.err).toMatch(/<session>: no session/);
  });
});
