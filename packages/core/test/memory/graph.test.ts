/** Issue 10: the relationship graph — `relate`, `graph neighbors|path|central|communities`, co-mention decay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph, CO_MENTION_HALF_LIFE_DAYS } from '../../src/memory/graph';
import { memoryCli } from './cli-helper';

describe('co-mention edges', () => {
  it('weigh by how often two entities are mentioned together, fading with age', () => {
    const now = Date.UTC(2026, 5, 1);
    const day = 86_400_000;
    const ents = ['a', 'b', 'c'].map((id) => ({ id, name: id.toUpperCase(), kind: 'npc', entity: 'lore' }));
    const g = buildGraph(
      ents,
      [],
      [
        { ids: ['a', 'b'], at: now },
        { ids: ['a', 'b'], at: now },
        { ids: ['a', 'c'], at: now - CO_MENTION_HALF_LIFE_DAYS * day },
        { ids: ['a', 'c', 'zz-unknown'], at: now - 2 * CO_MENTION_HALF_LIFE_DAYS * day },
      ],
      { now },
    );
    expect(g.getEdgeAttribute('a', 'b', 'weight')).toBeCloseTo(2);
    expect(g.getEdgeAttribute('a', 'c', 'weight')).toBeCloseTo(0.75);
    expect(g.getEdgeAttribute('a', 'c', 'coMentionCount')).toBe(2);
    expect(g.hasEdge('b', 'c')).toBe(false);
  });
});

describe('graph CLI', { timeout: 120_000 }, () => {
  const cli = memoryCli('lf-memory-graph-');
  afterAll(() => cli.cleanup());
  const ids: Record<string, string> = {};
  let campaign = '';

  beforeAll(async () => {
    campaign = (await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Graph'])).id;
    const make = async (kind: string, name: string) => {
      ids[name] = (
        await cli.j<{ id: string }>([
          'entity',
          'create',
          '--campaign',
          campaign,
          '--kind',
          kind,
          '--name',
          name,
        ])
      ).id;
    };
    await make('npc', 'Duke Varo');
    await make('faction', 'Iron Council');
    await make('npc', 'Mira');
    await make('faction', 'Cult of the Drowned');
    await make('location', 'Black Keep');
    await make('npc', 'Sly Pete');
    await make('npc', 'Old Tom');
    await make('location', 'Harbour');
    await make('faction', 'Smugglers');
    await make('note', 'Unlinked');
  });

  it('relate refuses bad input naming the field', async () => {
    const bad = async (args: string[], re: RegExp) => {
      const r = await cli.run(['relate', ...args]);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(re);
    };
    await bad(
      [ids['Duke Varo']!, ids['Mira']!, '--type', 'Best Friend'],
      /--type: "Best Friend" must be a lower-case slug/,
    );
    await bad(
      [ids['Duke Varo']!, ids['Mira']!, '--type', 'ally', '--attitude', '150'],
      /--attitude: "150" is not a whole number from -100 to 100/,
    );
    await bad(
      [ids['Duke Varo']!, ids['Mira']!, '--type', 'ally', '--since', '5', '--until', '2'],
      /--until: session 2 is before --since 5/,
    );
    await bad(
      [ids['Duke Varo']!, '00000000-0000-4000-8000-000000000000', '--type', 'ally'],
      /B: entity 0{8}-.* is not in campaign/,
    );
    await bad(
      [ids['Duke Varo']!, ids['Duke Varo']!, '--type', 'ally'],
      /B: an entity cannot relate to itself/,
    );
  });

  it('answers neighbours, paths (typed and co-mention links), centrality and communities', async () => {
    const rel = await cli.j<{ id: string; type: string; attitude: number }>([
      'relate',
      ids['Duke Varo']!,
      ids['Iron Council']!,
      '--type',
      'member-of',
      '--attitude',
      '60',
      '--since',
      '1',
    ]);
    expect(rel).toMatchObject({
      type: 'member-of',
      attitude: 60,
      from: ids['Duke Varo'],
      to: ids['Iron Council'],
    });
    await cli.j(['relate', ids['Mira']!, ids['Iron Council']!, '--type', 'serves']);
    await cli.j([
      'relate',
      ids['Cult of the Drowned']!,
      ids['Black Keep']!,
      '--type',
      'located-in',
      '--since',
      '4',
    ]);
    // Mira and the cult are linked only by being mentioned together in a journal.
    await cli.j([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'S3',
      '--session',
      '3',
      '--text',
      '@Mira was seen with the @"Cult of the Drowned".',
    ]);
    // The smugglers' side: a cluster of its own, joined to the rest through one co-mention.
    await cli.j(['relate', ids['Sly Pete']!, ids['Smugglers']!, '--type', 'member-of']);
    await cli.j(['relate', ids['Old Tom']!, ids['Smugglers']!, '--type', 'member-of']);
    await cli.j(['relate', ids['Smugglers']!, ids['Harbour']!, '--type', 'located-in']);
    await cli.j(['relate', ids['Old Tom']!, ids['Sly Pete']!, '--type', 'family']);
    await cli.j([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'S4',
      '--session',
      '4',
      '--text',
      '@"Sly Pete" hid in the @"Black Keep".',
    ]);

    // The entity page lists its relations (both directions) and its timeline (journals mentioning it).
    const mira = await cli.j<{
      relations: { type: string; direction: string; other: { name: string } }[];
      timeline: { session: number; title: string }[];
    }>(['entity', 'show', ids['Mira']!]);
    expect(mira.relations).toEqual([
      expect.objectContaining({
        type: 'serves',
        direction: 'out',
        other: expect.objectContaining({ name: 'Iron Council' }),
      }),
    ]);
    expect(mira.timeline).toEqual([expect.objectContaining({ session: 3, title: 'S3' })]);
    const council = await cli.j<{ relations: { type: string; direction: string }[] }>([
      'entity',
      'show',
      ids['Iron Council']!,
    ]);
    expect(council.relations.map((r) => `${r.type}/${r.direction}`).sort()).toEqual([
      'member-of/in',
      'serves/in',
    ]);

    const n1 = await cli.j<{ id: string; relation: string; depth: number }[]>([
      'graph',
      'neighbors',
      ids['Iron Council']!,
    ]);
    expect(n1.map((n) => [n.id, n.relation, n.depth])).toEqual([
      [ids['Duke Varo'], 'member-of (of)', 1],
      [ids['Mira'], 'serves (of)', 1],
    ]);
    const n2 = await cli.j<{ id: string; relation: string; depth: number; via: string }[]>([
      'graph',
      'neighbors',
      ids['Iron Council']!,
      '--depth',
      '2',
    ]);
    expect(n2.find((n) => n.id === ids['Cult of the Drowned'])).toMatchObject({
      depth: 2,
      relation: 'co-mention',
      via: ids['Mira'],
    });

    // "How is the duke connected to the cult?"
    const path = await cli.j<{ id: string; name: string; relation?: string }[]>([
      'graph',
      'path',
      ids['Duke Varo']!,
      ids['Cult of the Drowned']!,
    ]);
    expect(path.map((p) => p.name)).toEqual(['Duke Varo', 'Iron Council', 'Mira', 'Cult of the Drowned']);
    expect(path.map((p) => p.relation)).toEqual([undefined, 'member-of', 'serves (of)', 'co-mention']);
    const far = await cli.j<{ name: string }[]>(['graph', 'path', ids['Duke Varo']!, ids['Harbour']!]);
    expect(far[0]!.name).toBe('Duke Varo');
    expect(far.at(-1)!.name).toBe('Harbour');
    // Before session 4 the cult was not at the keep: at session 2 nothing links the keep to the duke's side
    // except the co-mention, and at session 0 the duke was not yet a council member.
    const at0 = await cli.run(['graph', 'path', ids['Duke Varo']!, ids['Iron Council']!, '--at', '0']);
    expect(at0.code).toBe(1);
    expect(at0.err).toMatch(/no connection between Duke Varo and Iron Council/);
    const none = await cli.run(['graph', 'path', ids['Duke Varo']!, ids['Unlinked']!]);
    expect(none.err).toMatch(/no connection between Duke Varo and Unlinked/);

    const central = await cli.j<{ id: string; score: number }[]>([
      'graph',
      'central',
      '--campaign',
      campaign,
      '--top',
      '3',
    ]);
    expect(central).toHaveLength(3);
    expect(central.map((c) => c.id)).toContain(ids['Smugglers']);
    expect(central[0]!.score).toBeGreaterThanOrEqual(central[2]!.score);
    expect(central.map((c) => c.id)).not.toContain(ids['Unlinked']);

    const comms = await cli.j<{ community: number; members: { id: string }[] }[]>([
      'graph',
      'communities',
      '--campaign',
      campaign,
    ]);
    const of = (name: string) => comms.find((c) => c.members.some((m) => m.id === ids[name]))?.community;
    expect(comms.length).toBeGreaterThanOrEqual(2);
    expect(of('Old Tom')).toBe(of('Smugglers'));
    expect(of('Sly Pete')).toBe(of('Harbour'));
    expect(of('Duke Varo')).toBe(of('Iron Council'));
    expect(of('Duke Varo')).not.toBe(of('Smugglers'));
    expect(of('Unlinked')).toBeUndefined();
  });
});
