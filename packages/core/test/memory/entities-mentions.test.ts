/** Issue 10: lore entities (`entity create|show|list`), mention resolution in `journal add`, backlinks. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/index';
import { createAutocomplete, fold, matchLabel } from '../../src/memory/fuzzy';
import { mentionRefs, parseMentions, plainText } from '../../src/memory/mention-syntax';
import { memoryCli } from './cli-helper';

describe('mention syntax', () => {
  it('parses links, stubs, quoted and bare names, and ignores e-mail addresses', () => {
    const id = '0b7c8f7e-6a3e-4f0e-9d1e-2a7b1c3d4e5f';
    const t = `Met @Varo's men and @"Iron Duke" at @[the keep](${id}); @[Sly Pete](new:npc) ran. mail a@b.com`;
    const m = parseMentions(t);
    expect(m.map((x) => x.form)).toEqual(['name', 'name', 'link', 'new']);
    expect(m[0]).toMatchObject({ name: 'Varo', raw: '@Varo' });
    expect(m[1]).toMatchObject({ name: 'Iron Duke' });
    expect(m[2]).toMatchObject({ id, label: 'the keep' });
    expect(m[3]).toMatchObject({ kind: 'npc', label: 'Sly Pete' });
    expect(mentionRefs(t)).toEqual([id]);
    expect(plainText(`at @[the keep](${id}).`)).toBe('at the keep.');
  });
});

describe('autocomplete', () => {
  it('ranks by match tier, then recency of use; finds misspelt names', () => {
    const ents = [
      { id: 'a', name: 'Duke Varo', aliases: ['Iron Duke'], entity: 'lore', kind: 'npc' },
      { id: 'b', name: 'Dukan Marsh', aliases: [], entity: 'lore', kind: 'location' },
      { id: 'c', name: 'Old Duke Road', aliases: [], entity: 'lore', kind: 'location' },
      { id: 'd', name: 'Saltmarsh', aliases: [], entity: 'lore', kind: 'location' },
    ];
    const now = Date.UTC(2026, 0, 30);
    const plain = createAutocomplete(ents, new Map(), now);
    // Prefix matches first (the shorter name first), then a word's prefix.
    expect(plain.suggest('duk').map((s) => s.id)).toEqual(['a', 'b', 'c']);
    // Recently mentioned entities rise within their tier, never above a better tier.
    const recent = createAutocomplete(
      ents,
      new Map([
        ['b', now - 3_600_000],
        ['c', now - 3_600_000],
      ]),
      now,
    );
    expect(recent.suggest('duk').map((s) => s.id)).toEqual(['b', 'a', 'c']);
    expect(plain.suggest('saltmrsh').map((s) => s.id)).toEqual(['d']);
    expect(plain.suggest('iron').map((s) => s.id)).toEqual(['a']);
  });

  it('the letter-mask shortcut finds exactly what comparing every label finds', () => {
    const names = [
      'Duke Varo',
      'Varrow Keep',
      'Mira Vell',
      'Saltmarsh',
      'Iron Duke',
      'Ölmund Fjord',
      'Kesh 9',
      'Ravel',
    ];
    const ents = names.map((name, i) => ({
      id: `e${i}`,
      name,
      aliases: i === 0 ? ['Iron Duke'] : [],
      entity: 'lore',
      kind: 'npc',
    }));
    const ac = createAutocomplete(ents, new Map(), 0);
    for (const q of [
      'varo',
      'vraro',
      'duek',
      'olmund',
      'olmnd',
      'saltmrsh',
      'kesh9',
      'ravle',
      'mira vel',
      'xyz',
      'vell',
    ]) {
      const brute = ents
        .map((e) => ({
          id: e.id,
          m: Math.max(...[e.name, ...e.aliases].map((l) => matchLabel(fold(q), fold(l), true))),
        }))
        .filter((x) => x.m > 0)
        .sort((a, b) => b.m - a.m || a.id.localeCompare(b.id));
      const got = ac.suggest(q, 100);
      expect(got.map((g) => [g.id, g.score]).sort(), q).toEqual(brute.map((b) => [b.id, b.m]).sort());
    }
  });

  it('a recent mention lifts an equally good match', () => {
    const ents = [
      { id: 'x', name: 'Mira Vell', aliases: [], entity: 'lore', kind: 'npc' },
      { id: 'y', name: 'Mira Vale', aliases: [], entity: 'lore', kind: 'npc' },
    ];
    const now = 1_000_000_000_000;
    expect(createAutocomplete(ents, new Map(), now).suggest('mira')[0]!.id).toBe('y');
    expect(createAutocomplete(ents, new Map([['x', now - 1000]]), now).suggest('mira')[0]!.id).toBe('x');
  });
});

describe('entity and mentions CLI', { timeout: 120_000 }, () => {
  const cli = memoryCli('lf-memory-entities-');
  afterAll(() => cli.cleanup());

  it('creates, shows and lists lore entities; the DM-only part stays in the DM notes', async () => {
    const c = await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Saltmarsh']);
    const keep = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'location',
      '--name',
      'Black Keep',
      '--alias',
      'the Keep',
      '--tag',
      'ruin',
      '--text',
      'An old keep on the cliffs.',
      '--dm-text',
      'The cult meets in the cellar.',
    ]);
    await cli.j(['entity', 'create', '--campaign', c.id, '--kind', 'faction', '--name', 'Sea Princes']);
    const shown = await cli.j<Record<string, unknown>>(['entity', 'show', keep.id]);
    expect(shown).toMatchObject({
      id: keep.id,
      campaign: c.id,
      entity: 'lore',
      kind: 'location',
      name: 'Black Keep',
      aliases: ['the Keep'],
      tags: ['ruin'],
      text: 'An old keep on the cliffs.',
      dm: { text: 'The cult meets in the cellar.', tags: [] },
      backlinks: [],
    });
    const locs = await cli.j<{ id: string }[]>(['entity', 'list', '--campaign', c.id, '--kind', 'location']);
    expect(locs.map((r) => r.id)).toEqual([keep.id]);
    expect((await cli.j<unknown[]>(['entity', 'list', '--campaign', c.id])).length).toBe(2);
    // The public lore document holds no byte of the DM-only part.
    const core = await createCore({ dataDir: cli.dataDir });
    try {
      const h = await core.live.open({ campaign: c.id, kind: 'lore', docId: keep.id });
      expect(
        JSON.stringify(h.doc.getMap('entity').toJSON()) + h.doc.getText('text').toString(),
      ).not.toContain('cellar');
      h.release();
      expect((await core.campaigns.dmNotes(c.id)).lore?.[keep.id]?.text).toBe(
        'The cult meets in the cellar.',
      );
    } finally {
      await core.close();
    }
  });

  it('edits an entity; mentions and search follow the new name at once', async () => {
    const c = await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Edits']);
    const e = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'npc',
      '--name',
      'Mira',
    ]);
    expect((await cli.j<unknown[]>(['search', 'Mira', '--campaign', c.id])).length).toBe(1);
    await cli.j([
      'entity',
      'edit',
      e.id,
      '--name',
      'Mirabel Vane',
      '--alias',
      'the Widow',
      '--dm-text',
      'a spy',
    ]);
    const shown = await cli.j<{ name: string; aliases: string[]; dm: { text: string } }>([
      'entity',
      'show',
      e.id,
    ]);
    expect(shown).toMatchObject({ name: 'Mirabel Vane', aliases: ['the Widow'], dm: { text: 'a spy' } });
    const added = await cli.j<{ mentions: { id: string; name: string }[] }>([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'T',
      '--text',
      'Met @"the Widow" and @Mirabel.',
    ]);
    expect(added.mentions).toEqual([{ id: e.id, name: 'Mirabel Vane', kind: 'npc' }]);
    expect((await cli.j<{ id: string }[]>(['search', 'Mirabel', '--campaign', c.id]))[0]!.id).toBe(e.id);
    const bad = await cli.run(['entity', 'edit', e.id, '--name', ' ']);
    expect(bad.err).toMatch(/--name: must not be empty/);
    const notLore = await cli.run(['entity', 'edit', c.id, '--name', 'X']);
    expect(notLore.code).toBe(1);
    expect(notLore.err).toMatch(/lore/);
  });

  it('refuses bad input naming the field', async () => {
    const c = await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Bad']);
    const k = await cli.run(['entity', 'create', '--campaign', c.id, '--kind', 'castle', '--name', 'X']);
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/--kind: "castle" is not one of location, faction/);
    const n = await cli.run(['entity', 'create', '--campaign', c.id, '--kind', 'note', '--name', '  ']);
    expect(n.err).toMatch(/--name: must not be empty/);
    const l = await cli.run(['entity', 'list', '--campaign', c.id, '--kind', 'castle']);
    expect(l.err).toMatch(/kind: "castle" is not one of/);
  });

  it('journal add resolves mentions (exact, alias, quoted, misspelt, new stub) and backlinks find them', async () => {
    const c = await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Mentions']);
    const duke = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'npc',
      '--name',
      'Duke Varo',
      '--alias',
      'Iron Duke',
    ]);
    const marsh = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'location',
      '--name',
      'Saltmarsh',
    ]);
    const cult = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'faction',
      '--name',
      'Cult of the Drowned',
    ]);
    const added = await cli.j<{ id: string; mentions: { id: string; name: string; kind: string }[] }>([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Session 1',
      '--session',
      '1',
      '--text',
      'We reached @Saltmrsh. The @"Iron Duke" paid 50 gold. @[Sly Pete](new:npc) warned us about @"cult of the drowned".',
    ]);
    const names = added.mentions.map((m) => m.name);
    expect(names).toEqual(['Saltmarsh', 'Duke Varo', 'Sly Pete', 'Cult of the Drowned']);
    expect(added.mentions[0]).toEqual({ id: marsh.id, name: 'Saltmarsh', kind: 'location' });
    expect(added.mentions[1]!.id).toBe(duke.id);
    expect(added.mentions[3]!.id).toBe(cult.id);
    const pete = added.mentions[2]!;
    expect(pete.kind).toBe('npc');
    expect(await cli.j(['entity', 'show', pete.id])).toMatchObject({
      name: 'Sly Pete',
      kind: 'npc',
      entity: 'lore',
    });
    const j = await cli.j<{ text: string }>(['journal', 'show', added.id]);
    expect(j.text).toContain(`@[Iron Duke](${duke.id})`);
    expect(j.text).toContain(`@[Sly Pete](${pete.id})`);
    // A private journal may not create stubs (lore is public): the name would reach the players.
    const leak = await cli.run([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Secret',
      '--private',
      '--text',
      'The spy @[Lady Black](new:npc) waits.',
    ]);
    expect(leak.code).toBe(2);
    expect(leak.err).toMatch(/@\[Lady Black\]\(new:npc\): a private journal cannot create a stub/);
    // The same stub is reused by a later `new:npc` of the same name.
    const reuse = await cli.j<{ mentions: { id: string }[] }>([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Later',
      '--text',
      '@[Sly Pete](new:npc) came back.',
    ]);
    expect(reuse.mentions.map((m) => m.id)).toEqual([pete.id]);
    const again = await cli.j<{ id: string; mentions: { id: string }[] }>([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'Bo',
      '--session',
      '1',
      '--private',
      '--text',
      'Asked @"Sly Pete" about @Varo.',
    ]);
    expect(again.mentions.map((m) => m.id)).toEqual([pete.id, duke.id]);
    const back = await cli.j<{ journalId: string; title: string; snippet: string; from: string }[]>([
      'mentions',
      duke.id,
    ]);
    expect(back).toEqual([
      {
        journalId: added.id,
        title: 'Session 1',
        snippet: 'The Iron Duke paid 50 gold.',
        from: 'journal',
        session: 1,
      },
      {
        journalId: again.id,
        title: 'Bo',
        snippet: 'Asked Sly Pete about Varo.',
        from: 'private',
        session: 1,
      },
    ]);
    expect((await cli.j<{ backlinks: unknown[] }>(['entity', 'show', duke.id])).backlinks).toHaveLength(2);
  });

  it('ambiguous and unknown names fail with candidates and write nothing', async () => {
    const c = await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Ambiguous']);
    const a = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'npc',
      '--name',
      'Duke Varo',
    ]);
    const b = await cli.j<{ id: string }>([
      'entity',
      'create',
      '--campaign',
      c.id,
      '--kind',
      'npc',
      '--name',
      'Duke Orrin',
    ]);
    const r = await cli.run([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'T',
      '--text',
      'Saw @Duke and @[Nobody](new:npc) and @Zzyzx.',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--text: @Duke is ambiguous');
    expect(r.err).toContain(`Duke Varo (npc, ${a.id})`);
    expect(r.err).toContain(`Duke Orrin (npc, ${b.id})`);
    expect(r.err).toContain('@Zzyzx: no entity of that name');
    expect(await cli.j(['journal', 'list', '--campaign', c.id])).toEqual([]);
    const blank = await cli.run([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      '  ',
      '--text',
      '@[Nobody](new:npc)',
    ]);
    expect(blank.err).toMatch(/--title: must not be empty/);
    // The stubs asked for were not created either.
    expect((await cli.j<unknown[]>(['entity', 'list', '--campaign', c.id])).length).toBe(2);
    const unknown = await cli.run([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'T',
      '--text',
      'Met @Varro.',
    ]);
    expect(unknown.code).toBe(0);
    expect(JSON.parse(unknown.out).mentions[0].id).toBe(a.id);
    // A whole word of one name wins over prefixes of others ("@Orrin" is not "Orrinsford").
    await cli.j(['entity', 'create', '--campaign', c.id, '--kind', 'location', '--name', 'Orrinsford']);
    const word = await cli.run([
      'journal',
      'add',
      '--campaign',
      c.id,
      '--title',
      'W',
      '--text',
      'Asked @Orrin.',
    ]);
    expect(JSON.parse(word.out).mentions[0].id).toBe(b.id);
    const bad = await cli.run(['mentions', '00000000-0000-4000-8000-000000000000']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not found/);
  });
});
