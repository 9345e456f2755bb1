/**
 * Issue 13 "Done when", from the command line with a model (a fake Ollama server on 127.0.0.1 speaking the real
 * wire protocol, through the real client): generate (the model writes the words) → refine (the model changes the
 * structure) → check → a session's journal → adapt and apply → nemesis evolve → the next session's prep.
 */
import { startFakeOllama, type FakeOllama } from '@loreforge/llm/test-fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmNotesStorageId } from '../../src/live/types';
import { memoryCli } from '../memory/cli-helper';
import { narrate, structureShown } from './fake-model';
import { importPartyByCli } from './helpers';

interface Shown {
  start: string;
  chapters: {
    id: string;
    title: string;
    goal: string;
    ending: boolean;
    scenes: { id?: string; title: string; text: string }[];
    choices: { text: string; next: string }[];
  }[];
  conclusions: { chapter: string; text: string; clues: { id?: string; text: string; where: unknown }[] }[];
}

/** The narration: the model's own words over the planner's ids. */
function narrator(body: unknown) {
  return narrate(body, {
    setting: { name: 'The Saltglass Coast', text: 'Tides of glass and salt.' },
    chapter: (i) => ({ title: `Tide ${i + 1}`, goal: `Turn tide ${i + 1}` }),
    scene: (_i, _j, id) => ({ title: `Shore ${id}`, text: 'Waves.' }),
    clue: (id) => `Glass shard (${id})`,
  });
}

/** The structural refine: a new chapter on the start's first branch that rejoins where that branch went. */
function restructure(body: unknown) {
  const { view: v, places } = structureShown<Shown, { id: string; kind: string }>(body);
  const start = v.chapters.find((c) => c.id === v.start)!;
  const target = start.choices[0]!.next;
  start.choices[0] = { text: 'Take the sea caves', next: 'caves' };
  v.chapters.splice(1, 0, {
    id: 'caves',
    title: 'The Sea Caves',
    goal: 'Find the smugglers’ lantern',
    ending: false,
    scenes: [{ id: 'caves-s1', title: 'Low tide', text: 'The caves open for an hour.' }],
    choices: [
      { text: 'Climb to the lighthouse', next: target },
      { text: 'Swim back', next: v.start },
    ],
  });
  v.conclusions.push({
    chapter: 'caves',
    text: 'The smugglers light the false beacon',
    clues: [
      { text: 'Lamp oil on the rocks.', where: { kind: 'scene', id: 'caves-s1' } },
      { text: 'A boatman saw the light.', where: places.find((x) => x.kind === 'npc') },
      { text: 'Soot on the cave roof.', where: places.find((x) => x.kind === 'location') },
    ].map((c) => ({
      ...c,
      where: { kind: (c.where as { kind: string }).kind, id: (c.where as { id: string }).id },
    })),
  });
  return { content: JSON.stringify(v) };
}

describe('campaign generation CLI with a model', { timeout: 240_000 }, () => {
  const cli = memoryCli('lf-campaign-gen-model-');
  let ollama: FakeOllama;
  const party: string[] = [];
  beforeAll(async () => {
    ollama = await startFakeOllama();
    party.push(...(await importPartyByCli(cli, ['Ilse', 'Toma'])));
  });
  afterAll(async () => {
    await ollama.close();
    cli.cleanup();
  });
  const model = () => ['--provider', 'ollama', '--ollama-host', ollama.url, '--model', 'llama3.1:8b'];

  it('generate → refine the structure → check → journal → adapt → nemesis evolve → prep', async () => {
    ollama.chat.push(narrator);
    const gen = await cli.j<{ id: string; chapters: { id: string; title: string }[] }>([
      'campaign',
      'generate',
      '--pitch',
      'Wreckers lure ships onto the glass reefs with a false beacon',
      '--party',
      party.join(','),
      '--theme',
      'nautical',
      '--seed',
      '4',
      ...model(),
    ]);
    expect(gen.chapters.map((c) => c.title)).toEqual(gen.chapters.map((_, i) => `Tide ${i + 1}`));

    ollama.chat.push(restructure);
    const refined = await cli.j<{ commit: string; changes: { path: string }[] }>([
      'campaign',
      'refine',
      gen.id,
      '--feedback',
      'Add sea caves on the first path',
      ...model(),
    ]);
    expect(refined.changes.map((c) => c.path)).toContain('/chapters/caves');
    const outline = await cli.j<{ chapters: { id: string; encounters: unknown[] }[] }>([
      'campaign',
      'outline',
      gen.id,
    ]);
    expect(outline.chapters.find((c) => c.id === 'caves')!.encounters).toHaveLength(1);
    expect(await cli.j(['campaign', 'check', gen.id])).toEqual({ ok: true, problems: [] });
    const log = await cli.j<{ commit: string; message: string }[]>([
      'history',
      'log',
      dmNotesStorageId(gen.id),
    ]);
    expect(log[0]).toMatchObject({
      commit: refined.commit,
      message: 'outline restructured (ollama/llama3.1:8b): Add sea caves on the first path',
    });

    const n = await cli.j<{ tiers: { name: string; tier: string }[] }>(['nemesis', 'show', gen.id]);
    const lt = n.tiers.find((t) => t.tier === 'lieutenant')!;
    await cli.j([
      'journal',
      'add',
      '--campaign',
      gen.id,
      '--title',
      'Session 1',
      '--session',
      '1',
      '--text',
      `We played "Tide 1" and took the sea caves. Toma defeated ${lt.name} and we burned the boats with fire.`,
    ]);
    const adapt = await cli.j<{ proposals: { id: string; kind: string }[] }>([
      'adapt',
      '--campaign',
      gen.id,
      '--session',
      '1',
    ]);
    expect(adapt.proposals.map((p) => p.kind)).toContain('mark-played');
    const story = adapt.proposals.filter((p) => p.kind !== 'nemesis').map((p) => p.id);
    const applied = await cli.j<{ applied: string[] }>([
      'adapt',
      'apply',
      '--campaign',
      gen.id,
      '--proposal',
      story.join(','),
    ]);
    expect(applied.applied).toEqual(story);
    const ev = await cli.j<{ changes: { path: string; reason: string }[] }>([
      'nemesis',
      'evolve',
      '--campaign',
      gen.id,
      '--session',
      '1',
    ]);
    expect(ev.changes.length).toBeGreaterThan(0);
    const after = await cli.j<{ tiers: { name: string; status: string }[] }>(['nemesis', 'show', gen.id]);
    expect(after.tiers.find((t) => t.name === lt.name)!.status).toBe('replaced');
    const prep = await cli.j<{ secrets: { sources: string[] }[]; scenes: { text: string }[] }>([
      'prep',
      '--campaign',
      gen.id,
      '--session',
      '2',
      '--format',
      'json',
    ]);
    expect(prep.secrets).toHaveLength(10);
    for (const s of prep.secrets) expect(s.sources.length).toBeGreaterThan(0);
    // The model's words reach the prep (its clue texts, its scene titles).
    expect(JSON.stringify(prep)).toMatch(/Glass shard|Shore /);
    expect(ollama.chatRequests()).toHaveLength(2);
  });
});
