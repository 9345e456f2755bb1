/** Issue 13 command-line contract: campaign generate|check|retheme, nemesis show|evolve, prep, adapt, adapt apply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCli } from '../memory/cli-helper';
import { importPartyByCli } from './helpers';

describe('campaign generation CLI', { timeout: 180_000 }, () => {
  const cli = memoryCli('lf-campaign-gen-');
  afterAll(() => cli.cleanup());
  const party: string[] = [];
  let gen: {
    id: string;
    chapters: { id: string; title: string; choices: { text: string; next: string }[] }[];
    nemesis: { id: string; name: string; cr: number };
    entities: number;
  };

  beforeAll(async () => {
    party.push(...(await importPartyByCli(cli, ['Ilse', 'Toma'])));
    gen = await cli.j([
      'campaign',
      'generate',
      '--pitch',
      'A vampire count buys the debts of a dying mining town',
      '--party',
      party.join(','),
      '--theme',
      'gothic horror',
      '--chapters',
      '5',
      '--seed',
      '11',
    ]);
  });

  it('generate prints { id, chapters: [{ id, title, choices: [{ text, next }] }], nemesis: { id, name, cr }, entities }', () => {
    expect(Object.keys(gen).sort()).toEqual(['chapters', 'entities', 'id', 'nemesis']);
    expect(gen.chapters).toHaveLength(5);
    for (const c of gen.chapters) expect(Object.keys(c).sort()).toEqual(['choices', 'id', 'title']);
    expect(Object.keys(gen.nemesis).sort()).toEqual(['cr', 'id', 'name']);
    expect(gen.entities).toBeGreaterThan(10);
  });

  it('check → { ok, problems }', async () => {
    expect(await cli.j(['campaign', 'check', gen.id])).toEqual({ ok: true, problems: [] });
  });

  it('nemesis show, prep (json and md), evolve, adapt and apply', async () => {
    const n = await cli.j<{ id: string; tiers: { name: string; tier: string }[] }>([
      'nemesis',
      'show',
      gen.id,
    ]);
    expect(n.id).toBe(gen.nemesis.id);
    const prep = await cli.j<{
      secrets: unknown[];
      encounters: { id: string; difficulty: string }[];
      strongStart: { sources: string[] };
    }>(['prep', '--campaign', gen.id, '--session', '1', '--format', 'json']);
    expect(prep.secrets).toHaveLength(10);
    expect(prep.encounters[0]!.difficulty).toMatch(/low|moderate|high/);
    const md = await cli.run(['prep', '--campaign', gen.id, '--session', '1', '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Session 1 prep/);
    const lt = n.tiers.find((t) => t.tier === 'lieutenant')!;
    await cli.j([
      'journal',
      'add',
      '--campaign',
      gen.id,
      '--title',
      'S1',
      '--session',
      '1',
      '--text',
      `Toma killed ${lt.name} with arrows.`,
    ]);
    const adapt = await cli.j<{ proposals: { id: string; kind: string; change: { path: string } }[] }>([
      'adapt',
      '--campaign',
      gen.id,
      '--session',
      '1',
    ]);
    expect(adapt.proposals.map((p) => p.kind)).toEqual(expect.arrayContaining(['mark-played', 'nemesis']));
    const ids = adapt.proposals.filter((p) => p.kind === 'nemesis').map((p) => p.id);
    const applied = await cli.j<{ applied: string[] }>([
      'adapt',
      'apply',
      '--campaign',
      gen.id,
      '--proposal',
      ids.join(','),
    ]);
    expect(applied.applied).toEqual(ids);
    const after = await cli.j<{ tiers: { name: string; status: string }[] }>(['nemesis', 'show', gen.id]);
    expect(after.tiers.find((t) => t.name === lt.name)!.status).toBe('replaced');
    // The same session's evolution finds nothing left to replace, and says why it changed the rest.
    const ev = await cli.j<{ changes: { path: string; reason: string }[] }>([
      'nemesis',
      'evolve',
      '--campaign',
      gen.id,
      '--session',
      '1',
    ]);
    expect(ev.changes.some((c) => c.path.endsWith('/status'))).toBe(false);
  });

  it('errors name the flag', async () => {
    const r1 = await cli.run([
      'campaign',
      'generate',
      '--pitch',
      'x y z',
      '--party',
      party[0]!,
      '--chapters',
      'many',
    ]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/--chapters: "many" is not a whole number/);
    const r2 = await cli.run([
      'campaign',
      'generate',
      '--pitch',
      'x y z',
      '--party',
      party[0]!,
      '--provider',
      'gpt9',
    ]);
    expect(r2.err).toMatch(/--provider: "gpt9" is not one of offline, ollama, openai/);
    const r3 = await cli.run(['prep', '--campaign', gen.id, '--session', '1', '--format', 'pdf']);
    expect(r3.err).toMatch(/--format: "pdf" is not md or json/);
    const r4 = await cli.run(['adapt', 'apply', '--campaign', gen.id, '--proposal', 'nope']);
    expect(r4.err).toMatch(/--proposal: no proposal nope/);
    const r5 = await cli.run(['campaign', 'check', '00000000-0000-4000-8000-000000000bad']);
    expect(r5.code).not.toBe(0);
  });
});
