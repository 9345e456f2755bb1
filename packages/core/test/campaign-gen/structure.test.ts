/**
 * Issue 13: the DM's refine conversation with a model may change the outline's STRUCTURE (a fake
 * OpenAI-compatible server on 127.0.0.1 through the real client): chapters added, renamed and removed, choices
 * retargeted so branches rejoin, clues added; the answer is repaired where that is mechanical, checked by zod and
 * the story graph, re-asked when it breaks the graph, never stored when it keeps breaking it; one commit per
 * accepted change with the feedback as the reason.
 */
import { startFakeOpenAi, type FakeOpenAi } from '@loreforge/llm/test-fakes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StructureAnswer } from '../../src/campaign-gen';
import { readDmNotes } from '../../src/docs/dmnotes-doc';
import { dmNotesStorageId } from '../../src/live/types';
import type { Core } from '../../src/index';
import { openAiRouter, structureShown } from './fake-model';
import { partyCore } from './helpers';

const PITCH = 'Smugglers hide a drowned god under the lighthouse';

type View = StructureAnswer & { chapters: (StructureAnswer['chapters'][number] & { played?: boolean })[] };
interface Place {
  id: string;
  kind: string;
  name: string;
}

/** The outline and the places the model was shown. */
const shown = (body: unknown) => structureShown<View, Place>(body);

/** A model answer made by editing what it was shown. */
const answer =
  (edit: (v: View, places: Place[]) => void) =>
  (body: unknown): { content: string } => {
    const { view, places } = shown(body);
    edit(view, places);
    return { content: JSON.stringify(view) };
  };

/** Add an ambush chapter on the start's first branch, which rejoins the chapter it used to lead to. */
const addAmbush = answer((v, places) => {
  const start = v.chapters.find((c) => c.id === v.start)!;
  const target = start.choices[0]!.next;
  const other = v.chapters.find((c) => !c.ending && c.id !== v.start && c.id !== target) ?? start;
  start.choices[0] = { text: 'Cut through the smugglers’ caves', next: 'ambush' };
  v.chapters.splice(1, 0, {
    id: 'ambush',
    title: 'Ambush in the Caves',
    goal: 'Survive the smugglers’ trap',
    ending: false,
    scenes: [{ id: 'ambush-s1', title: 'Dripping dark', text: 'Lanterns go out one by one.' }],
    choices: [
      { text: 'Press on to the lighthouse', next: target },
      { text: 'Double back', next: other.id },
    ],
  });
  const npc = places.find((p) => p.kind === 'npc')!;
  const loc = places.find((p) => p.kind === 'location')!;
  v.conclusions.push({
    chapter: 'ambush',
    text: 'The smugglers were warned by someone in town',
    clues: [
      { text: 'A signal lantern, still warm.', where: { kind: 'scene', id: 'ambush-s1' } },
      { text: `${npc.name} knew the hour.`, where: { kind: 'npc', id: npc.id } },
      { text: 'Fresh boot prints from town.', where: { kind: 'location', id: loc.id } },
    ],
  });
  const last = v.chapters.find((c) => c.ending)!;
  last.title = 'The Drowned God Wakes';
  v.conclusions[0]!.clues.push({
    id: 'extra-clue',
    text: 'A tide chart with one date circled.',
    where: { kind: 'scene', id: v.chapters[0]!.scenes[0]!.id! },
  });
});

describe('refine the outline’s structure with a model', { timeout: 180_000 }, () => {
  let openai: FakeOpenAi;
  let core: Core;
  let gen: Awaited<ReturnType<typeof partyCore>>['gen'];
  let party: string[];
  beforeAll(async () => {
    openai = await startFakeOpenAi();
  });
  afterAll(async () => openai.close());
  beforeEach(async () => {
    ({ core, gen, party } = await partyCore(7));
  });
  afterEach(async () => core.close());
  const router = () => openAiRouter(openai.baseURL);

  it('adds a chapter whose branch rejoins, renames one, adds clues: checked, with an encounter, one commit', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 3 })).id;
    const before = await gen.load(id);
    const commitsBefore = (await core.history.log(dmNotesStorageId(id))).length;
    openai.chat.push(addAmbush);
    const res = await gen.refineStructure(id, 'Add an ambush in the caves on the first path', await router());
    const after = await gen.load(id);
    expect(after.chapters.length).toBe(before.chapters.length + 1);
    const ambush = after.chapters.find((c) => c.id === 'ambush')!;
    const start = after.chapters.find((c) => c.id === after.start)!;
    expect(start.choices[0]!.next).toBe('ambush');
    // The branch rejoins: the chapter the start led to is reached from the ambush.
    expect(ambush.choices[0]!.next).toBe(before.chapters[0]!.choices[0]!.next);
    // The new chapter got an encounter sized for the party, registered with live play.
    expect(ambush.encounters).toHaveLength(1);
    expect(ambush.encounters[0]!.difficulty).toBe('moderate');
    expect(ambush.encounters[0]!.rated).toBe('moderate');
    const play = ambush.encounters[0]!.play!;
    const h = await core.live.open({ campaign: id, kind: 'dmnotes', docId: id });
    try {
      expect(readDmNotes(h.doc).play?.encounters?.[play]?.name).toMatch(/^ambush: /);
    } finally {
      h.release();
    }
    // Old chapters keep what the model does not write (encounters, scene entities).
    const kept = after.chapters.find((c) => c.id === before.chapters[0]!.id)!;
    expect(kept.encounters).toEqual(before.chapters[0]!.encounters);
    expect(kept.scenes.map((s) => s.entities)).toEqual(before.chapters[0]!.scenes.map((s) => s.entities));
    expect(after.chapters.find((c) => c.ending)!.title).toBe('The Drowned God Wakes');
    expect(after.conclusions.find((k) => k.chapter === 'ambush')!.clues).toHaveLength(3);
    expect(after.conclusions[0]!.clues.map((c) => c.id)).toContain('extra-clue');
    expect(await gen.check(id)).toEqual({ ok: true, problems: [] });
    const paths = res.changes.map((c) => c.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/chapters/ambush',
        `/chapters/${after.start}/choices`,
        `/chapters/${after.chapters.find((c) => c.ending)!.id}/title`,
        '/clues/extra-clue',
      ]),
    );
    expect(res.provenance).toEqual({ provider: 'openai', model: 'gpt-4o-mini', attempts: 1 });
    const log = await core.history.log(dmNotesStorageId(id));
    expect(log.length).toBe(commitsBefore + 1);
    expect(log[0]!.message).toBe(
      'outline restructured (openai/gpt-4o-mini): Add an ambush in the caves on the first path',
    );
    expect(res.commit).toBe(log[0]!.commit);
  });

  it('removes a chapter and merges its branch: choices retargeted, its conclusion dropped', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 3, chapters: 6 })).id;
    const before = await gen.load(id);
    // A middle chapter that is not the only way on.
    openai.chat.push(
      answer((v) => {
        const victim = v.chapters.find(
          (c) => !c.ending && c.id !== v.start && v.chapters.filter((x) => !x.ending).length > 2,
        )!;
        const heir = victim.choices[0]!.next;
        v.chapters = v.chapters.filter((c) => c.id !== victim.id);
        for (const c of v.chapters)
          c.choices = c.choices.map((x) => (x.next === victim.id ? { ...x, next: heir } : x));
        // Choices that now lead to the same place twice stay (2–5 still), or get another way.
        v.conclusions = v.conclusions.filter((k) => k.chapter !== victim.id);
      }),
    );
    const res = await gen.refineStructure(
      id,
      'Cut a middle chapter; its paths go straight on',
      await router(),
    );
    const after = await gen.load(id);
    expect(after.chapters.length).toBe(before.chapters.length - 1);
    const removed = res.changes.find((c) => c.to === null && c.path.startsWith('/chapters/'))!;
    expect(removed).toBeDefined();
    const gone = removed.path.split('/')[2]!;
    expect(after.chapters.some((c) => c.choices.some((x) => x.next === gone))).toBe(false);
    expect(after.conclusions.some((k) => k.chapter === gone)).toBe(false);
    expect((await gen.check(id)).ok).toBe(true);
  });

  it('an answer that breaks the story graph goes back with its problems; the second answer is stored', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 3 })).id;
    openai.chat.push(
      answer((v) => {
        // One choice left on the start (needs 2–5), a conclusion with two clues, an unreachable chapter.
        const start = v.chapters.find((c) => c.id === v.start)!;
        start.choices = start.choices.slice(0, 1);
        v.conclusions[1]!.clues = v.conclusions[1]!.clues.slice(0, 2);
        v.chapters.push({
          id: 'orphan',
          title: 'Nowhere',
          goal: 'None',
          ending: true,
          scenes: [{ title: 'Empty', text: 'Nothing.' }],
          choices: [],
        });
      }),
      addAmbush,
    );
    const res = await gen.refineStructure(id, 'Add an ambush in the caves', await router());
    expect(res.provenance.attempts).toBe(2);
    const repair = (openai.chatRequests().at(-1)!.body as { messages: { content: string }[] }).messages.at(
      -1,
    )!.content;
    expect(repair).toMatch(/choice-count/);
    expect(repair).toMatch(/too-few-clues/);
    expect(repair).toMatch(/unreachable-ending/);
    expect(repair).toMatch(/chapter orphan has no conclusion/);
    const after = await gen.load(id);
    expect(after.chapters.some((c) => c.id === 'orphan')).toBe(false);
    expect(after.chapters.some((c) => c.id === 'ambush')).toBe(true);
  });

  it('the branch the party took follows its choice when choices are reordered; a moved scene keeps its places', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 3 })).id;
    const o = await gen.load(id);
    const si = o.chapters.findIndex((c) => c.id === o.start);
    await gen.refine(id, [
      { path: `/chapters/${si}/status`, value: 'played' },
      { path: `/chapters/${si}/taken`, value: 1 },
    ]);
    const took = o.chapters[si]!.choices[1]!.next;
    const donor = o.chapters.find((c) => c.id !== o.start && c.scenes.length > 1)!;
    const moved = donor.scenes.at(-1)!;
    openai.chat.push(
      answer((v) => {
        const start = v.chapters.find((c) => c.id === v.start)!;
        start.choices.reverse();
        const from = v.chapters.find((c) => c.id === donor.id)!;
        start.scenes.push(from.scenes.pop()!);
      }),
    );
    await gen.refineStructure(
      id,
      'Swap the order of the first choices; the last scene happens earlier',
      await router(),
    );
    const after = await gen.load(id);
    const start = after.chapters.find((c) => c.id === after.start)!;
    expect(start.choices[start.taken!]!.next).toBe(took);
    expect(start.taken).toBe(start.choices.length - 2);
    const again = start.scenes.find((x) => x.id === moved.id)!;
    expect(again.entities).toEqual(moved.entities);
    expect(after.chapters.find((c) => c.id === donor.id)!.scenes.some((x) => x.id === moved.id)).toBe(false);
    expect((await gen.check(id)).ok).toBe(true);
  });

  it('missing scene and clue ids are made; a played chapter cannot be removed; a structure that stays broken is never stored', async () => {
    const id = (await gen.generate({ pitch: PITCH, party, seed: 3 })).id;
    // Repair: the model leaves out ids.
    openai.chat.push(
      answer((v) => {
        const c = v.chapters[0]!;
        c.scenes.push({ title: 'A quiet harbour', text: 'Gulls and rope.' });
        v.conclusions[0]!.clues.push({
          text: 'Salt on the ledger.',
          where: { kind: 'scene', id: c.scenes[0]!.id! },
        });
      }),
    );
    await gen.refineStructure(id, 'Add a harbour scene and one more clue at the start', await router());
    const o = await gen.load(id);
    const added = o.chapters[0]!.scenes.at(-1)!;
    expect(added.id).toMatch(new RegExp(`^${o.chapters[0]!.id}-s\\d+$`));
    expect(new Set(o.chapters.flatMap((c) => c.scenes.map((s) => s.id))).size).toBe(
      o.chapters.flatMap((c) => c.scenes).length,
    );
    expect(o.conclusions[0]!.clues.at(-1)!.id).toMatch(/-k\d+$/);
    // A played chapter stays.
    const start = o.chapters.find((c) => c.id === o.start)!;
    await gen.refine(id, [{ path: `/chapters/${o.chapters.indexOf(start)}/status`, value: 'played' }]);
    const commits = (await core.history.log(dmNotesStorageId(id))).length;
    const dropStart = answer((v) => {
      const next = v.chapters.find((c) => c.id === v.start)!.choices[0]!.next;
      v.chapters = v.chapters.filter((c) => c.id !== v.start);
      v.conclusions = v.conclusions.filter((k) => k.chapter !== v.start);
      v.start = next;
    });
    openai.chat.push(dropStart, dropStart, dropStart);
    const kept = await gen.load(id);
    await expect(gen.refineStructure(id, 'Skip the first chapter', await router())).rejects.toThrow(
      /was played; it cannot be removed/,
    );
    expect(await gen.load(id)).toEqual(kept);
    expect((await core.history.log(dmNotesStorageId(id))).length).toBe(commits);
    await expect(gen.refineStructure(id, '  ', await router())).rejects.toThrow(
      /--feedback: must not be empty/,
    );
  });
});
