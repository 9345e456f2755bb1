import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { build, openCore, tempDir } from './helpers';

function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of [
    ['docs', 'id'],
    ['doc_updates', 'seq'],
    ['commits', 'seq'],
    ['branches', 'doc_id, name'],
    ['tags', 'doc_id, name'],
    ['entities', 'id'],
    ['xrefs', 'from_id, to_id, relation, via'],
  ] as const) {
    out[table] = db
      .prepare(`select * from ${table} order by ${order}`)
      .all()
      .map((r) => {
        const row = { ...(r as Record<string, unknown>) };
        // Projection timestamps record when the row was rebuilt; everything else must be identical.
        if (table === 'entities') delete row['updated_at'];
        for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = v.toString('base64');
        return row;
      });
  }
  db.close();
  return out;
}

describe('campaign archive', { timeout: 30_000 }, () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const dir = () => {
    const t = tempDir('lf-arch-');
    cleanups.push(t.cleanup);
    return t.dir;
  };

  async function populated(dataDir: string) {
    const core = await openCore(dataDir);
    const c = await core.campaigns.create({ name: 'Round Trip' });
    const ch = await core.characters.import(build(), { campaign: c.id });
    await core.characters.edit(ch.id, { set: [{ path: '/narrative/backstory', value: 'Lost at sea.' }] });
    await core.history.branch(ch.id, 'what-if');
    await core.characters.edit(ch.id, {
      branch: 'what-if',
      set: [{ path: '/build/abilityScores/cha', value: 16 }],
    });
    await core.history.tag(ch.id, 'session-3', { kind: 'session-checkpoint' });
    await core.characters.changeTheme(ch.id, 'Solarpunk');
    const item = await core.items.import({ name: 'Compass', category: 'gear' }, { campaign: c.id });
    await core.items.retheme(item.id, { theme: 'Noir' });
    await core.campaigns.addEncounter(c.id, { name: 'Storm', participants: [ch.id] });
    await core.journals.create(c.id, { title: 'Session 1', body: 'We set sail.', session: 1 });
    return { core, campaign: c.id, character: ch.id, item: item.id };
  }

  it('exports a campaign to one file and imports it elsewhere identically', async () => {
    const a = dir();
    const { core, campaign, character } = await populated(a);
    const file = join(dir(), 'campaign.lfcampaign');
    const exp = await core.archive.export(campaign, file);
    expect(exp.bytes).toBeGreaterThan(100);
    const logA = await core.history.log(character);
    await core.close();
    const b = dir();
    const core2 = await openCore(b, 5);
    const imp = await core2.archive.import(file);
    // campaign, character, item, journal, and the campaign's dmnotes (the encounter lives there).
    expect(imp).toEqual({ id: campaign, name: 'Round Trip', entities: 5 });
    expect(await core2.history.log(character)).toEqual(logA);
    expect((await core2.characters.show(character)).doc.narrative.theme).toBe('Solarpunk');
    await core2.close();
    expect(dump(join(b, 'campaigns', `${campaign}.sqlite`))).toEqual(
      dump(join(a, 'campaigns', `${campaign}.sqlite`)),
    );
  });

  it('refuses corrupt, truncated and foreign files and changes nothing', async () => {
    const a = dir();
    const { core, campaign } = await populated(a);
    const file = join(dir(), 'c.lfcampaign');
    await core.archive.export(campaign, file);
    await core.close();
    const bytes = readFileSync(file);
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 10] = (corrupt[corrupt.length - 10] as number) ^ 0xff;
    const cases: [string, Buffer, RegExp][] = [
      ['corrupt', corrupt, /checksum mismatch/],
      ['truncated', bytes.subarray(0, bytes.length - 50), /truncated/],
      [
        'foreign',
        Buffer.from('PK\u0003\u0004 this is a zip file, not ours'),
        /not a Loreforge campaign archive/,
      ],
      ['bad header', Buffer.from('LOREFORGE-CAMPAIGN-ARCHIVE\n{"format":"x"}\n'), /header is invalid/],
    ];
    const b = dir();
    const core2 = await openCore(b);
    const before = await core2.campaigns.list();
    for (const [name, content, re] of cases) {
      const f = join(b, `${name}.bin`);
      writeFileSync(f, content);
      await expect(core2.archive.import(f), name).rejects.toThrow(re);
    }
    expect(await core2.campaigns.list()).toEqual(before);
    expect(
      readdirSync(b).filter(
        (x) => x !== 'library.sqlite' && !x.endsWith('.bin') && !x.startsWith('library.sqlite-'),
      ),
    ).toEqual([]);
    await core2.close();
  });
});
