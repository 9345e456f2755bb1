/**
 * Issue 13 with a model: the planner fixes the structure, the model (a fake OpenAI-compatible server on
 * 127.0.0.1 through the real client) writes the words; bad answers are repaired by the router's loop, a failing
 * provider saves nothing.
 */
import { startFakeOpenAi, type FakeOpenAi } from '@loreforge/llm/test-fakes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dmNotesStorageId } from '../../src/live/types';
import type { Core } from '../../src/index';
import { narrate, openAiRouter, userText } from './fake-model';
import { partyCore } from './helpers';

const PITCH = 'A clockwork saint walks out of the cathedral and the bells stop';

interface Skeleton {
  setting: { name: string; text: string };
  chapters: {
    id: string;
    title: string;
    goal: string;
    scenes: { id: string; title: string; text: string }[];
  }[];
  clues: { id: string; text: string }[];
}

/** A model that writes its own words over every part, keeping the ids. */
function writer(body: unknown): { content: string } {
  return narrate(body, {
    setting: { name: 'The Brass Diocese', text: 'A city of bells and gears.' },
    chapter: (i) => ({ title: `Bell ${i + 1}`, goal: `Silence bell ${i + 1}` }),
    scene: (i, j, id) => ({ title: `Gear ${i + 1}.${j + 1}`, text: `Cogs turn (${id}).` }),
    clue: (id) => `Oil stain (${id})`,
  });
}

describe('campaign generate with a model', { timeout: 180_000 }, () => {
  let openai: FakeOpenAi;
  let core: Core;
  let gen: Awaited<ReturnType<typeof partyCore>>['gen'];
  let party: string[];
  beforeAll(async () => {
    openai = await startFakeOpenAi();
  });
  afterAll(async () => openai.close());
  beforeEach(async () => {
    ({ core, gen, party } = await partyCore(5));
  });
  afterEach(async () => core.close());
  const router = () => openAiRouter(openai.baseURL);

  it('the model writes the words; ids, choices, encounters and clue places stay the planner’s', async () => {
    const offline = await gen.load((await gen.generate({ pitch: PITCH, party, seed: 9 })).id);
    openai.chat.push(writer);
    const r = await gen.generate({ pitch: PITCH, party, seed: 9 }, { llm: await router() });
    const o = await gen.load(r.id);
    expect(o.setting.name).toBe('The Brass Diocese');
    expect(o.chapters.map((c) => c.title)).toEqual(o.chapters.map((_, i) => `Bell ${i + 1}`));
    expect(o.chapters[0]!.scenes[0]!.text).toBe(`Cogs turn (${o.chapters[0]!.scenes[0]!.id}).`);
    expect(o.conclusions[0]!.clues[0]!.text).toMatch(/^Oil stain/);
    // Structure unchanged.
    // (Only the live-play encounter ids differ: each campaign has its own.)
    const shape = (g: typeof o) =>
      g.chapters.map((c) => [
        c.id,
        c.choices.map((x) => x.next),
        c.encounters.map(({ play: _p, ...e }) => e),
      ]);
    expect(shape(o)).toEqual(shape(offline));
    expect(o.conclusions.map((k) => k.clues.map((c) => c.where.kind))).toEqual(
      offline.conclusions.map((k) => k.clues.map((c) => c.where.kind)),
    );
    // Choices name the model's titles.
    expect(o.chapters[0]!.choices[0]!.text).toMatch(/"Bell \d+"$/);
    expect(o.provenance).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', attempts: 1 });
    expect(await gen.check(r.id)).toEqual({ ok: true, problems: [] });
    // The pitch went out fenced as untrusted text.
    const body = openai.chatRequests().at(-1)?.body as { messages: { content: string }[] };
    expect(JSON.stringify(body.messages)).toContain('<<<BEGIN UNTRUSTED pitch>>>');
  });

  it('an answer missing a chapter goes back with the problem; the second answer is used', async () => {
    openai.chat.push((body) => {
      const good = JSON.parse(writer(body).content) as Skeleton;
      good.chapters.pop();
      return { content: JSON.stringify(good) };
    }, writer);
    const r = await gen.generate({ pitch: PITCH, party, seed: 9 }, { llm: await router() });
    expect((await gen.load(r.id)).provenance?.attempts).toBe(2);
    const body = openai.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(body.messages.at(-1)!.content).toMatch(/must be the chapters ch1, ch2/);
  });

  it('refine one chapter in conversation: only that chapter’s words change, choices follow its new title', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 9 })).id;
    const before = await gen.load(id);
    openai.chat.push((body) => {
      const user = userText(body);
      expect(user).toContain('<<<BEGIN UNTRUSTED feedback>>>\nMake the rival a former friend of the party');
      const ch = JSON.parse(
        user.slice(user.indexOf('Chapter (JSON):\n') + 16),
      ) as Skeleton['chapters'][number];
      return {
        content: JSON.stringify({
          ...ch,
          title: 'The Friend Who Turned',
          scenes: ch.scenes.map((s, i) => (i === 1 ? { ...s, text: 'An old friend waits, changed.' } : s)),
        }),
      };
    });
    const res = await gen.refineChapter(
      id,
      'ch2',
      'Make the rival a former friend of the party',
      await router(),
    );
    expect(res.changes.map((c) => c.path)).toEqual(['/chapters/1/title', '/chapters/1/scenes/1/text']);
    const after = await gen.load(id);
    expect(after.chapters[1]!.title).toBe('The Friend Who Turned');
    expect(after.chapters[1]!.goal).toBe(before.chapters[1]!.goal);
    expect(after.chapters.filter((_, i) => i !== 1).map(({ choices: _c, ...c }) => c)).toEqual(
      before.chapters.filter((_, i) => i !== 1).map(({ choices: _c, ...c }) => c),
    );
    expect(after.chapters[0]!.choices.find((c) => c.next === 'ch2')!.text).toMatch(
      /"The Friend Who Turned"$/,
    );
    expect(after.conclusions).toEqual(before.conclusions);
    expect((await core.history.log(dmNotesStorageId(id)))[0]!.message).toBe(
      'chapter ch2 refined (openai/gpt-4o-mini): Make the rival a former friend of the party',
    );
    await expect(gen.refineChapter(id, 'ch99', 'x', await router())).rejects.toThrow(
      /--chapter: no chapter "ch99"/,
    );
  });

  it('a provider that keeps failing saves nothing', async () => {
    const before = (await core.campaigns.list()).length;
    openai.chat.push({ status: 400, error: 'bad request' });
    await expect(gen.generate({ pitch: PITCH, party, seed: 9 }, { llm: await router() })).rejects.toThrow();
    expect((await core.campaigns.list()).length).toBe(before);
  });
});
