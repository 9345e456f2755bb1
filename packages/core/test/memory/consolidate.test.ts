/** Issue 10: `journal consolidate` — extractive summary, events, timeline, discrepancies, sources checked. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { checkSources, consolidate, type Consolidation } from '../../src/memory/consolidate';
import { memoryCli } from './cli-helper';

const journals = [
  {
    id: 'a',
    title: 'Ana',
    author: 'ana',
    text: 'We arrived in Saltmarsh at dusk. The duke paid us 50 gold for the map. Mira led us to the Black Keep. The smugglers fled by boat.',
  },
  {
    id: 'b',
    title: 'Bo',
    author: 'bo',
    text: 'At dusk we reached Saltmarsh. The duke paid 100 gold for the map, which seemed generous. Captain Osk led us to the Black Keep. I bought a new sword.',
  },
  {
    id: 'c',
    title: 'Cy',
    author: 'cy',
    text: 'Saltmarsh at dusk, finally. Mira guided us to the Black Keep. The smugglers escaped by boat in the night.',
  },
];

describe('offline consolidation', () => {
  it('finds events told by several journals, the numbers and names they disagree on, and cites sources', () => {
    const c = consolidate(journals, { session: 3 });
    expect(c.discrepancies).toEqual([
      {
        topic: expect.stringMatching(/^how many gold/),
        claims: [
          { journalId: 'a', text: 'The duke paid us 50 gold for the map.' },
          { journalId: 'b', text: 'The duke paid 100 gold for the map, which seemed generous.' },
        ],
      },
      {
        topic: 'who: mira or captain osk',
        claims: [
          { journalId: 'a', text: 'Mira led us to the Black Keep.' },
          { journalId: 'b', text: 'Captain Osk led us to the Black Keep.' },
          { journalId: 'c', text: 'Mira guided us to the Black Keep.' },
        ],
      },
    ]);
    // An event cites only the journals that tell it the same way.
    expect(c.keyEvents).toContainEqual({ text: 'Mira led us to the Black Keep.', sources: ['a', 'c'] });
    expect(c.keyEvents).toContainEqual({
      text: 'We arrived in Saltmarsh at dusk.',
      sources: ['a', 'b', 'c'],
    });
    expect(c.timeline[0]).toMatchObject({
      when: 'session 3, at dusk',
      text: 'We arrived in Saltmarsh at dusk.',
    });
    expect(c.summary).toBe(c.summarySources.map((s) => s.text).join(' '));
    for (const item of [...c.keyEvents, ...c.timeline, ...c.summarySources])
      expect(item.sources.length).toBeGreaterThan(0);
    expect(checkSources(c, journals).unsupported).toEqual([]);
  });

  it('the source check drops anything a cited journal does not say', () => {
    const forged: Consolidation = {
      summary: '',
      summarySources: [{ text: 'The duke paid us 50 gold for the map.', sources: ['b'] }],
      keyEvents: [
        { text: 'The dragon burnt the harbour.', sources: ['a'] },
        { text: 'Mira led us to the Black Keep.', sources: [] },
        { text: 'Mira led us to the Black Keep.', sources: ['a', 'zz'] },
        { text: 'Mira led us to the Black Keep.', sources: ['a', 'c'] },
      ],
      timeline: [{ when: 'x', text: 'Captain Osk led us to the Black Keep.', sources: ['a'] }],
      discrepancies: [
        {
          topic: 'made up',
          claims: [
            { journalId: 'a', text: 'The duke paid 70 gold.' },
            { journalId: 'b', text: 'The duke paid 100 gold for the map, which seemed generous.' },
          ],
        },
        { topic: 'one side', claims: [{ journalId: 'a', text: 'Mira led us to the Black Keep.' }] },
      ],
    };
    const { result, unsupported } = checkSources(forged, journals);
    expect(result.keyEvents).toEqual([{ text: 'Mira led us to the Black Keep.', sources: ['a', 'c'] }]);
    expect(result.summarySources).toEqual([]);
    expect(result.timeline).toEqual([]);
    expect(result.discrepancies).toEqual([]);
    expect(unsupported).toHaveLength(7);
  });
});

describe('journal consolidate CLI', { timeout: 120_000 }, () => {
  const cli = memoryCli('lf-memory-consolidate-');
  afterAll(() => cli.cleanup());

  it('consolidates a session, saves and regenerates the summary, and refuses bad input', async () => {
    const campaign = (await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Consolidate'])).id;
    const duke = (
      await cli.j<{ id: string }>([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'npc',
        '--name',
        'Duke Varo',
      ])
    ).id;
    const add = async (author: string, text: string, extra: string[] = []) =>
      (
        await cli.j<{ id: string }>(
          [
            'journal',
            'add',
            '--campaign',
            campaign,
            '--title',
            `${author}'s notes`,
            '--session',
            '3',
            '--text',
            text,
            ...extra,
          ],
          author,
        )
      ).id;
    const a = await add('ana', 'We reached the harbour at dawn. @"Duke Varo" paid us 50 gold for the map.');
    const b = await add('bo', 'At dawn we reached the harbour. @"Duke Varo" paid 100 gold for the map.');
    await add('dm', 'The duke secretly paid 500 gold for the map.', ['--private']);
    await cli.j([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'other',
      '--session',
      '4',
      '--text',
      'The duke paid 7 gold for the map.',
    ]);
    const c = await cli.j<{
      id: string;
      summary: string;
      keyEvents: { sources: string[] }[];
      discrepancies: { topic: string; claims: { journalId: string; text: string }[] }[];
    }>(['journal', 'consolidate', '--campaign', campaign, '--session', '3']);
    expect(c.discrepancies).toEqual([
      {
        topic: expect.stringMatching(/^how many gold/),
        claims: [
          { journalId: a, text: 'Duke Varo paid us 50 gold for the map.' },
          { journalId: b, text: 'Duke Varo paid 100 gold for the map.' },
        ],
      },
    ]);
    expect(c.summary).toContain('We reached the harbour at dawn.');
    expect(c.summary).not.toMatch(/500|7 gold/);
    for (const e of c.keyEvents) for (const s of e.sources) expect([a, b]).toContain(s);
    const saved = await cli.j<{ kind: string; tags: string[]; session: number; text: string }>([
      'entity',
      'show',
      c.id,
    ]);
    expect(saved).toMatchObject({ kind: 'note', tags: ['session-summary'], session: 3 });
    expect(saved.text).toContain('Where the journals disagree:');
    // Regenerating rewrites the same summary document.
    await add('cy', 'At dawn we reached the harbour, tired.');
    const again = await cli.j<{ id: string }>([
      'journal',
      'consolidate',
      '--campaign',
      campaign,
      '--session',
      '3',
    ]);
    expect(again.id).toBe(c.id);
    void duke;

    const p = await cli.run([
      'journal',
      'consolidate',
      '--campaign',
      campaign,
      '--session',
      '3',
      '--provider',
      'gpt',
    ]);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(
      /--provider: "gpt" is not available for consolidation \(available: offline, ollama, openai\)/,
    );
    const none = await cli.run(['journal', 'consolidate', '--campaign', campaign, '--session', '9']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/session: no public journal of session 9/);
    const bad = await cli.run(['journal', 'consolidate', '--campaign', campaign, '--session', 'x']);
    expect(bad.err).toMatch(/--session: "x" is not a session number/);
  });
});

describe('journal consolidate with a model', { timeout: 120_000 }, () => {
  const cli = memoryCli('lf-memory-consolidate-llm-');
  afterAll(() => cli.cleanup());

  it('keeps what the journals support and drops what the model made up', async () => {
    const campaign = (await cli.j<{ id: string }>(['campaign', 'create', '--name', 'Model'])).id;
    const add = async (author: string, text: string) =>
      (
        await cli.j<{ id: string }>(
          ['journal', 'add', '--campaign', campaign, '--title', author, '--session', '1', '--text', text],
          author,
        )
      ).id;
    const a = await add('ana', 'We reached the harbour at dawn. The duke paid us 50 gold for the map.');
    const b = await add('bo', 'At dawn we reached the harbour. The duke paid 100 gold for the map.');
    let asked = '';
    const answer = {
      summary: [
        { text: 'We reached the harbour at dawn.', sources: [a, b] },
        { text: 'A dragon burnt the harbour.', sources: [a] },
      ],
      keyEvents: [
        { text: 'The duke paid 50 gold for the map.', sources: [a] },
        { text: 'The duke paid 50 gold for the map.', sources: [a, b] },
      ],
      timeline: [{ when: 'dawn', text: 'We reached the harbour at dawn.', sources: [a, b] }],
      discrepancies: [
        {
          topic: 'gold paid',
          claims: [
            { journalId: a, text: 'The duke paid us 50 gold for the map.' },
            { journalId: b, text: 'The duke paid 100 gold for the map.' },
          ],
        },
        {
          topic: 'invented',
          claims: [
            { journalId: a, text: 'The duke paid 10 gold.' },
            { journalId: b, text: 'The duke paid 100 gold for the map.' },
          ],
        },
      ],
    };
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        asked = body;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            created: 0,
            model: 'fake-model',
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: { role: 'assistant', content: JSON.stringify(answer) },
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        [
          'journal',
          'consolidate',
          '--campaign',
          campaign,
          '--session',
          '1',
          '--provider',
          'openai',
          '--model',
          'fake-model',
          '--data-dir',
          cli.dataDir,
          '--json',
        ],
        {
          stdout: (x) => out.push(x),
          stderr: (x) => err.push(x),
          readStdin: async () => '',
          env: { OPENAI_BASE_URL: url, OPENAI_API_KEY: 'k' },
          cwd: process.cwd(),
        },
      );
      expect(err.join(''), err.join('')).toBe('');
      expect(code).toBe(0);
      expect(asked).toContain('We reached the harbour at dawn.');
      const c = JSON.parse(out.join('')) as {
        id: string;
        summary: string;
        keyEvents: unknown[];
        timeline: unknown[];
        discrepancies: { topic: string }[];
      };
      expect(c.summary).toBe('We reached the harbour at dawn.');
      expect(c.keyEvents).toEqual([{ text: 'The duke paid 50 gold for the map.', sources: [a] }]);
      expect(c.timeline).toHaveLength(1);
      expect(c.discrepancies.map((d) => d.topic)).toEqual(['gold paid']);
      const saved = await cli.j<{ text: string }>(['entity', 'show', c.id]);
      expect(saved.text).not.toContain('dragon');
    } finally {
      await new Promise((r) => server.close(r));
    }
    // No model answering: a plain error naming the provider, nothing saved beyond the earlier summary.
    const down = await cli.run([
      'journal',
      'consolidate',
      '--campaign',
      campaign,
      '--session',
      '1',
      '--provider',
      'openai',
      '--model',
      'm',
    ]);
    expect(down.code).not.toBe(0);
    expect(down.err).toMatch(/provider: openai:m did not answer/);
  });
});
