/** Issue 10: search (prefix, fuzzy, facets, snippets, SRD), kept from the change feed and persisted; semantic. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/index';
import { createIndex, query, selective } from '../../src/memory/search';
import { build } from '../helpers';
import { memoryCli } from './cli-helper';

interface Hit {
  id: string;
  kind: string;
  name: string;
  score: number;
  snippet: string;
  session?: number;
  author?: string;
}

/** A fake Ollama `/api/embed`: bag-of-words vectors over a fixed vocabulary (deterministic, meaning-free). */
function fakeOllama(): Promise<{ server: Server; url: string; calls: number[] }> {
  const vocab = ['cult', 'drowned', 'sea', 'duke', 'gold', 'keep', 'smugglers', 'harbour', 'water', 'priest'];
  const calls: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url !== '/api/embed') {
        res.writeHead(404).end('{}');
        return;
      }
      const input = (JSON.parse(body) as { input: string[] }).input;
      calls.push(input.length);
      const embeddings = input.map((t) => {
        const words = t.toLowerCase().split(/[^a-z]+/);
        // "water" and "sea" mean "drowned" here: a toy notion of meaning the keyword index lacks.
        return vocab.map(
          (v) =>
            words.filter((w) => w === v || (v === 'drowned' && (w === 'water' || w === 'sea'))).length + 0.01,
        );
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ model: 'nomic-embed-text', embeddings }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }),
    ),
  );
}

describe('common words in a query', () => {
  it('are dropped when a selective word remains (the answer keeps the selective word)', () => {
    const index = createIndex();
    index.addAll(
      Array.from({ length: 1200 }, (_, i) => ({
        id: `d${i}`,
        kind: 'journal',
        name: `Night ${i}`,
        text: i === 7 ? 'The ship met the kraken.' : i % 2 ? 'The ship sailed on.' : 'A ship in port.',
      })),
    );
    expect(selective(index, 'ship kraken')).toBe('kraken');
    expect(selective(index, 'ship')).toBe('ship');
    expect(selective(index, 'ship sailed')).toBe('ship sailed'); // both common: nothing to prefer
    expect(query(index, 'ship kraken').hits.map((h) => h.id)).toEqual(['d7']);
  });
});

describe('search', { timeout: 120_000 }, () => {
  const cli = memoryCli('lf-memory-search-');
  let campaign = '';
  const ids: Record<string, string> = {};
  let ollama: Awaited<ReturnType<typeof fakeOllama>>;

  beforeAll(async () => {
    ollama = await fakeOllama();
    campaign = (await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Search'])).id;
    ids['marsh'] = (
      await cli.j<{ id: string }>([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'location',
        '--name',
        'Saltmarsh',
        '--text',
        'A fishing town on the coast.',
        '--tag',
        'town',
      ])
    ).id;
    ids['cult'] = (
      await cli.j<{ id: string }>([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'faction',
        '--name',
        'Cult of the Drowned',
        '--text',
        'Priests of the sea.',
      ])
    ).id;
    ids['j1'] = (
      await cli.j<{ id: string }>(
        [
          'journal',
          'add',
          '--campaign',
          campaign,
          '--title',
          'Arrival',
          '--session',
          '1',
          '--text',
          'We rode into @Saltmarsh at dusk. The duke paid 50 gold.',
        ],
        'ana',
      )
    ).id;
    ids['j2'] = (
      await cli.j<{ id: string }>(
        [
          'journal',
          'add',
          '--campaign',
          campaign,
          '--title',
          'The keep',
          '--session',
          '2',
          '--text',
          'Bo saw the smugglers near the harbour and the water.',
        ],
        'bo',
      )
    ).id;
    const core = await createCore({ dataDir: cli.dataDir });
    try {
      ids['pc'] = (
        await core.characters.import({ build: build({ name: 'Thorne Saltwhistle' }) }, { campaign })
      ).id;
    } finally {
      await core.close();
    }
  });
  afterAll(async () => {
    await new Promise((r) => ollama.server.close(r));
    cli.cleanup();
  });

  it('finds by prefix and misspelt names, with snippets and filters', async () => {
    const fuzzy = await cli.j<Hit[]>(['search', 'Saltmrsh', '--campaign', campaign]);
    expect(fuzzy[0]).toMatchObject({ id: ids['marsh'], kind: 'location', name: 'Saltmarsh' });
    expect(fuzzy.map((h) => h.id)).toContain(ids['j1']);
    const j1 = fuzzy.find((h) => h.id === ids['j1'])!;
    expect(j1.snippet).toBe('We rode into Saltmarsh at dusk. The duke paid 50 gold.');
    const prefix = await cli.j<Hit[]>(['search', 'salt', '--campaign', campaign]);
    expect(prefix.map((h) => h.id)).toEqual(expect.arrayContaining([ids['marsh'], ids['j1'], ids['pc']]));
    expect(prefix.find((h) => h.id === ids['pc'])!.kind).toBe('pc');
    const journals = await cli.j<Hit[]>(['search', 'salt', '--campaign', campaign, '--kind', 'journal']);
    expect(journals.map((h) => h.id)).toEqual([ids['j1']]);
    expect(
      await cli.j<Hit[]>(['search', 'harbor', '--campaign', campaign, '--session', '2', '--author', 'bo']),
    ).toMatchObject([{ id: ids['j2'], kind: 'journal', session: 2, author: 'bo' }]);
    expect(await cli.j<Hit[]>(['search', 'harbor', '--campaign', campaign, '--author', 'ana'])).toEqual([]);
    const faceted = await cli.j<{
      facets: { kind: Record<string, number>; author: Record<string, number> };
      total: number;
    }>(['search', 'salt', '--campaign', campaign, '--kind', 'journal', '--facets']);
    expect(faceted.total).toBe(1);
    expect(faceted.facets.kind).toEqual({ location: 1, journal: 1, pc: 1 });
    expect(faceted.facets.author).toEqual({ ana: 1 });
    const srd = await cli.j<Hit[]>(['search', 'fireball', '--campaign', campaign, '--srd']);
    expect(srd[0]).toMatchObject({ kind: 'srd-spell', name: 'Fireball' });
    const empty = await cli.run(['search', ' ', '--campaign', campaign]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/<query>: must not be empty/);
  });

  it('follows the change feed and starts cold from the saved index', async () => {
    const core = await createCore({ dataDir: cli.dataDir });
    try {
      const ci = await core.memory.search.indexFor(campaign);
      expect(ci.loaded).toBe(true);
      expect(ci.reindexed).toBe(0);
      const { id } = await core.journals.create(campaign, {
        title: 'Later',
        text: 'The lighthouse keeper vanished.',
      });
      await core.live.flush();
      await new Promise((r) => setTimeout(r, 20));
      const res = await core.memory.search.search(campaign, 'lighthouse');
      expect(res.hits.map((h) => h.id)).toEqual([id]);
      expect(ci.reindexed).toBe(1);
      await core.journals.edit(id, { text: 'The lamplighter vanished.' });
      await core.live.flush();
      await new Promise((r) => setTimeout(r, 20));
      expect((await core.memory.search.search(campaign, 'lighthouse')).hits).toEqual([]);
      expect((await core.memory.search.search(campaign, 'lamplighter')).hits.map((h) => h.id)).toEqual([id]);
    } finally {
      await core.close();
    }
    // Another process (here: a CLI run) changes one document; the next cold start re-indexes only that one.
    await cli.j([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'Elsewhere',
      '--text',
      'A quiet night.',
    ]);
    const again = await createCore({ dataDir: cli.dataDir });
    try {
      const ci = await again.memory.search.indexFor(campaign);
      expect(ci.loaded).toBe(true);
      expect(ci.reindexed).toBe(1); // only the new journal, not the whole campaign
      expect((await again.memory.search.search(campaign, 'quiet')).hits).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('semantic search embeds through a provider, stores embeddings, and says when none answers', async () => {
    const env = { OLLAMA_HOST: ollama.url };
    const core = await createCore({ dataDir: cli.dataDir });
    try {
      const first = await core.memory.semantic.search(campaign, 'drowned', { env });
      // "water" in Bo's journal counts as "drowned" for the fake model: meaning, not keywords.
      expect(first.hits.slice(0, 2).map((h) => h.id)).toEqual(
        expect.arrayContaining([ids['cult'], ids['j2']]),
      );
      expect(first.provider).toBe('ollama:nomic-embed-text');
      expect(first.embedded).toBeGreaterThan(4);
      const second = await core.memory.semantic.search(campaign, 'drowned', { env });
      expect(second.embedded).toBe(0);
      expect(second.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    } finally {
      await core.close();
    }
    // Ollama down, an OpenAI-compatible server up: its embeddings are used (and stored under their own model).
    const openai = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const input = (JSON.parse(body) as { input: string[] }).input;
        const data = input.map((t, index) => ({
          object: 'embedding',
          index,
          embedding: ['cult', 'drowned', 'gold'].map((w) => (t.toLowerCase().includes(w) ? 1 : 0) + 0.01),
        }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            object: 'list',
            data,
            model: 'text-embedding-3-small',
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((r) => openai.listen(0, '127.0.0.1', r));
    const downPort = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const viaOpenai = await createCore({ dataDir: cli.dataDir });
    try {
      const res = await viaOpenai.memory.semantic.search(campaign, 'the drowned cult', {
        env: {
          OLLAMA_HOST: `http://127.0.0.1:${downPort}`,
          OPENAI_BASE_URL: `http://127.0.0.1:${(openai.address() as AddressInfo).port}/v1`,
          OPENAI_API_KEY: 'k',
        },
      });
      expect(res.provider).toBe('openai:text-embedding-3-small');
      expect(res.hits[0]!.id).toBe(ids['cult']);
      expect(res.embedded).toBeGreaterThan(4);
    } finally {
      await viaOpenai.close();
      await new Promise((r) => openai.close(r));
    }
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const out: string[] = [];
    const err: string[] = [];
    const { runCli } = await import('../../src/cli/main');
    const code = await runCli(
      ['search', 'salt', '--campaign', campaign, '--semantic', '--data-dir', cli.dataDir, '--json'],
      {
        stdout: (x) => out.push(x),
        stderr: (x) => err.push(x),
        readStdin: async () => '',
        env: { OLLAMA_HOST: `http://127.0.0.1:${closed}` },
        cwd: process.cwd(),
      },
    );
    expect(code).toBe(0);
    expect(err.join('')).toMatch(
      /semantic search: no embeddings provider answered \(ollama: .*\).*showing keyword results/,
    );
    expect((JSON.parse(out.join('')) as Hit[]).map((h) => h.id)).toContain(ids['marsh']);
  });
});
