/**
 * Everyday commands (issue 15 item 16): `item show|list`, and `character finalize` run twice adds no second
 * baseline tag (a later change on the draft still gets `baseline-2`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured, tempDir } from './helpers';

const t = tempDir('lf-everyday-');
const dataDir = join(t.dir, 'data');
afterAll(() => t.cleanup());

async function run(args: string[], json = true) {
  const r = await runCliCaptured([...args, '--data-dir', dataDir, ...(json ? ['--json'] : [])], {
    cwd: t.dir,
  });
  const text = r.out;
  return { code: r.code, text, err: r.err, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('item show | list', () => {
  let compass = '';
  it('imports two items, lists them sorted with their category, shows one (text and JSON)', async () => {
    const campaign = (await run(['campaign', 'create', '--name', 'Gear'])).json()['id'] as string;
    const file = join(t.dir, 'compass.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Storm Compass',
        category: 'wondrous',
        rarity: 'uncommon',
        description: 'Always points at the nearest storm.',
        properties: { charges: 3 },
      }),
    );
    const imported = await run(['item', 'import', file, '--campaign', campaign]);
    expect(imported.code).toBe(0);
    compass = imported.json()['id'] as string;
    writeFileSync(join(t.dir, 'rope.json'), JSON.stringify({ name: 'Rope of Climbing' }));
    expect((await run(['item', 'import', join(t.dir, 'rope.json')])).code).toBe(0);

    const list = await run(['item', 'list']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.text) as {
      id: string;
      name: string;
      category: string;
      campaign: string | null;
    }[];
    expect(rows.map((r) => [r.name, r.category])).toEqual([
      ['Rope of Climbing', 'gear'],
      ['Storm Compass', 'wondrous'],
    ]);
    const inCampaign = JSON.parse((await run(['item', 'list', '--campaign', campaign])).text) as {
      id: string;
    }[];
    expect(inCampaign.map((r) => r.id)).toEqual([compass]);

    const show = await run(['item', 'show', compass]);
    expect(show.code).toBe(0);
    expect(show.json()).toMatchObject({
      id: compass,
      branch: 'main',
      item: { name: 'Storm Compass', category: 'wondrous', rarity: 'uncommon', properties: { charges: 3 } },
      theme: '',
      tags: [],
    });
    const text = await run(['item', 'show', compass], false);
    expect(text.text).toMatch(/^Storm Compass — wondrous, uncommon\n/);
    expect(text.text).toMatch(/Always points at the nearest storm\./);
    expect(text.text).toMatch(/charges: 3/);
    const human = await run(['item', 'list'], false);
    expect(human.text).toMatch(/Rope of Climbing/);
  });

  it('item show on a re-theme branch carries the variant; an unknown id is a clear error', async () => {
    const variant = (await run(['item', 'retheme', compass, '--theme', 'Noir'])).json();
    const show = await run(['item', 'show', compass, '--ref', variant['branch'] as string]);
    expect(show.json()).toMatchObject({ theme: 'Noir', variant: { baseId: compass, theme: 'Noir' } });
    const missing = await run(['item', 'show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/00000000-0000-4000-8000-000000000000/);
  });
});

describe('character finalize twice', () => {
  it('the second finalize returns the same baseline and adds no tag', async () => {
    const created = await run([
      'character',
      'create',
      '--concept',
      'a dwarven smith',
      '--level',
      '2',
      '--provider',
      'offline',
      '--seed',
      '7',
    ]);
    expect(created.code).toBe(0);
    const id = created.json()['id'] as string;
    const first = await run(['character', 'finalize', id]);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ tag: 'baseline' });
    const second = await run(['character', 'finalize', id]);
    expect(second.code).toBe(0);
    expect(second.json()).toMatchObject({ tag: 'baseline', commit: first.json()['commit'], merged: null });
    const log = JSON.parse((await run(['history', 'log', id, '--branch', 'main'])).text) as {
      tags: string[];
    }[];
    expect(log.flatMap((e) => e.tags).filter((tag) => tag.startsWith('baseline'))).toEqual(['baseline']);
  });
});
