/** Issue 13: the DM refines parts of the outline; only what is named changes, every change is a commit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignGen } from '../../src/campaign-gen';
import { dmNotesStorageId } from '../../src/live/types';
import type { Core } from '../../src/index';
import { partyCore } from './helpers';
import { memoryCli } from '../memory/cli-helper';

describe('campaign refine', { timeout: 120_000 }, () => {
  let core: Core;
  let gen: Awaited<ReturnType<typeof partyCore>>['gen'];
  let id = '';
  let before: CampaignGen;
  beforeAll(async () => {
    const p = await partyCore(6);
    ({ core, gen } = p);
    id = (await gen.generate({ pitch: 'Goblin kings feud over a cursed crown', party: p.party, seed: 2 })).id;
    before = await gen.load(id);
  });
  afterAll(async () => core.close());

  it('changes only the named parts and commits what changed', async () => {
    const res = await gen.refine(id, [
      { path: '/chapters/1/goal', value: 'Win the goblin queen to your side' },
      {
        path: '/chapters/0/scenes/-',
        value: { id: 'ch1-s4', title: 'A feast', text: 'Goblins dine.', entities: [] },
      },
    ]);
    expect(res.changes[0]).toEqual({
      path: '/chapters/1/goal',
      from: before.chapters[1]!.goal,
      to: 'Win the goblin queen to your side',
    });
    const after = await gen.load(id);
    expect(after.chapters[1]!.goal).toBe('Win the goblin queen to your side');
    expect(after.chapters[0]!.scenes.at(-1)!.title).toBe('A feast');
    // Everything else as it was.
    expect({ ...after, chapters: after.chapters.map((c, i) => (i < 2 ? null : c)) }).toEqual({
      ...before,
      chapters: before.chapters.map((c, i) => (i < 2 ? null : c)),
    });
    expect(after.chapters[0]!.encounters).toEqual(before.chapters[0]!.encounters);
    expect((await core.history.log(dmNotesStorageId(id)))[0]!.message).toBe(
      'outline refined: /chapters/1/goal, /chapters/0/scenes/-',
    );
  });

  it('refuses a change that breaks the story graph or the schema, naming it, and changes nothing', async () => {
    const cur = await gen.load(id);
    await expect(
      gen.refine(id, [{ path: '/chapters/0/choices', value: [{ text: 'only one', next: 'ch2' }] }]),
    ).rejects.toThrow(/--set: the change breaks the story graph: choice-count chapter:ch1/);
    await expect(
      gen.refine(id, [
        { path: '/conclusions/0/clues/0', value: null },
        { path: '/conclusions/0/clues/0', value: null },
      ]),
    ).rejects.toThrow(/too-few-clues conclusion:ch1-c/);
    await expect(gen.refine(id, [{ path: '/chapters/0/title', value: 42 }])).rejects.toThrow(
      /--set: \/chapters\/0\/title: /,
    );
    await expect(gen.refine(id, [{ path: '/nemesis/cr', value: 30 }])).rejects.toThrow(
      /only \/setting, \/start, \/chapters, \/conclusions/,
    );
    await expect(gen.refine(id, [{ path: '/chapters/99/title', value: 'x' }])).rejects.toThrow(
      /\/chapters\/99 does not exist/,
    );
    expect(await gen.load(id)).toEqual(cur);
  });

  it('from the command line', async () => {
    const cli = memoryCli('lf-campaign-refine-');
    try {
      const r = await cli.run([
        'campaign',
        'refine',
        '00000000-0000-4000-8000-000000000bad',
        '--set',
        '/start="ch2"',
      ]);
      expect(r.code).not.toBe(0);
      const bad = await cli.run(['campaign', 'refine', 'x', '--set', '/start=ch2']);
      expect(bad.err).toMatch(/the value must be JSON/);
    } finally {
      cli.cleanup();
    }
  });
});
