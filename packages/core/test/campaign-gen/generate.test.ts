/** Issue 13, part 1–2: a campaign from a pitch and a real party, stored in memory and history; story-graph checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterDifficulty2024 } from '@loreforge/rules-5e';
import { checkCampaign, type CampaignGen } from '../../src/campaign-gen';
import { dmNotesStorageId } from '../../src/live/types';
import { createPlay } from '../../src/play/service';
import type { Core } from '../../src/index';
import { partyCore } from './helpers';

const PITCH = 'A cult of the drowned god floods the river city to wake its sleeping master';

describe('campaign generate (offline)', { timeout: 120_000 }, () => {
  let core: Core;
  let gen: Awaited<ReturnType<typeof partyCore>>['gen'];
  let party: string[];
  let id = '';
  let outline: CampaignGen;
  let result: Awaited<ReturnType<typeof gen.generate>>;

  beforeAll(async () => {
    ({ core, gen, party } = await partyCore());
    result = await gen.generate({ pitch: PITCH, party, theme: 'gothic horror', chapters: 6, seed: 7 });
    id = result.id;
    outline = await gen.load(id);
  });
  afterAll(async () => core.close());

  it('returns the contract shape: chapters with 2–5 choices (endings none), nemesis with a CR, entity count', () => {
    expect(result.chapters).toHaveLength(6);
    for (const c of result.chapters) {
      const ch = outline.chapters.find((x) => x.id === c.id)!;
      if (ch.ending) expect(c.choices).toHaveLength(0);
      else {
        expect(c.choices.length).toBeGreaterThanOrEqual(2);
        expect(c.choices.length).toBeLessThanOrEqual(5);
        for (const x of c.choices) expect(result.chapters.map((y) => y.id)).toContain(x.next);
      }
    }
    expect(result.nemesis.cr).toBeGreaterThan(0);
    expect(result.entities).toBe(outline.entities.length);
    // Branches rejoin: some chapter is the target of two different chapters.
    const into = new Map<string, Set<string>>();
    for (const c of outline.chapters)
      for (const x of c.choices) into.set(x.next, (into.get(x.next) ?? new Set()).add(c.id));
    expect([...into.values()].some((s) => s.size >= 2)).toBe(true);
  });

  it('creates factions, locations and NPCs as campaign-memory entities with relations in the graph', async () => {
    const rows = await core.memory.entities.list(id);
    const kinds = new Set(rows.map((r) => r.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['faction', 'location', 'npc']));
    for (const e of outline.entities.filter((x) => x.kind !== 'npc' || x.role !== 'nemesis'))
      expect(rows.map((r) => r.id)).toContain(e.id);
    const relations = await core.memory.graph.relationsOf(id);
    expect(relations.length).toBeGreaterThan(10);
    const boss = outline.nemesis.id;
    const near = await core.memory.graph.neighbors(boss);
    expect(near.map((n) => n.relation).join(' ')).toMatch(/leads|serves|threatens/);
    // The nemesis threatens the party's bonds: an edge to every party member.
    for (const p of party) expect(near.map((n) => n.id)).toContain(p);
  });

  it('keeps the secrets in the DM-only part: public pages never name the villain or its faction’s role', async () => {
    const villainFaction = outline.entities.find((e) => e.role === 'villain-faction')!;
    const page = await core.memory.entities.show(villainFaction.id);
    expect(page.dm?.text).toMatch(/villain-faction/);
    for (const e of outline.entities.filter(
      (x) => x.kind !== 'npc' || !['nemesis', 'lieutenant', 'minion'].includes(x.role),
    )) {
      const v = await core.memory.entities.show(e.id);
      expect(`${v.text} ${v.tags.join(' ')}`).not.toMatch(/villain/i);
      expect(v.text).not.toContain(outline.nemesis.name);
    }
  });

  it('sizes every encounter for the real party at the difficulty it asks for', () => {
    const levels = outline.party.map((p) => p.level);
    expect(levels).toEqual([5, 5, 5]);
    for (const c of outline.chapters) {
      expect(c.encounters.length).toBeGreaterThan(0);
      for (const e of c.encounters) {
        const crs = e.creatures.flatMap((x) => Array<number>(x.count).fill(x.cr));
        expect(encounterDifficulty2024(levels, crs).difficulty).toBe(e.difficulty);
      }
    }
  });

  it('stores the outline in the DM notes with a history commit, and is deterministic by seed', async () => {
    const log = await core.history.log(dmNotesStorageId(id));
    expect(log[0]!.message).toMatch(/^campaign generated: 6 chapters/);
    const again = await gen.generate({ pitch: PITCH, party, theme: 'gothic horror', chapters: 6, seed: 7 });
    const o2 = await gen.load(again.id);
    expect(o2.chapters.map((c) => [c.title, c.choices, c.encounters.map((e) => e.creatures)])).toEqual(
      outline.chapters.map((c) => [c.title, c.choices, c.encounters.map((e) => e.creatures)]),
    );
    const other = await gen.generate({ pitch: PITCH, party, theme: 'gothic horror', chapters: 6, seed: 8 });
    expect((await gen.load(other.id)).chapters.map((c) => c.title)).not.toEqual(
      outline.chapters.map((c) => c.title),
    );
  });

  it('registers every encounter with live play, so combat starts from it with the party and its creatures', async () => {
    const play = createPlay(core, { rng: () => 0.5 });
    const listed = await play.encounters.list(id);
    const enc = outline.chapters[0]!.encounters[0]!;
    expect(enc.play).toBeDefined();
    const prepared = listed.find((e) => e.id === enc.play)!;
    expect(prepared.difficulty).toBe(enc.difficulty);
    expect(prepared.rated['2024']).toBe(enc.difficulty);
    expect(listed).toHaveLength(outline.chapters.reduce((n, c) => n + c.encounters.length, 0));
    const view = await play.combat.start({ campaign: id, encounter: enc.play!, seed: 1 });
    const names = JSON.stringify(view);
    for (const p of outline.party) expect(names).toContain(p.name);
    for (const c of enc.creatures) expect(names).toContain(c.name);
  });

  it('passes its own story-graph check', async () => {
    expect(await gen.check(id)).toEqual({ ok: true, problems: [] });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = (await core.campaigns.list()).length;
    await expect(gen.generate({ pitch: ' ', party })).rejects.toThrow(/--pitch: must not be empty/);
    await expect(gen.generate({ pitch: PITCH, party: [] })).rejects.toThrow(/--party/);
    await expect(
      gen.generate({ pitch: PITCH, party: ['00000000-0000-4000-8000-00000000dead'] }),
    ).rejects.toThrow(/--party: no character/);
    await expect(gen.generate({ pitch: PITCH, party, chapters: 2 })).rejects.toThrow(/--chapters: 2 is not/);
    await expect(gen.generate({ pitch: PITCH, party, chapters: 13 })).rejects.toThrow(/--chapters/);
    expect((await core.campaigns.list()).length).toBe(before);
  });
});

describe('story-graph check finds what fails', () => {
  const base = (): Parameters<typeof checkCampaign>[0] => ({
    start: 'a',
    entities: [
      { id: 'n1', kind: 'npc', name: 'N', role: 'x' },
      { id: 'l1', kind: 'location', name: 'L', role: 'x' },
    ],
    chapters: [
      ch('a', [
        ['b', 'go b'],
        ['c', 'go c'],
      ]),
      ch('b', [
        ['d', 'go d'],
        ['d', 'sneak d'],
      ]),
      ch('c', [
        ['d', 'go d'],
        ['b', 'back to b'],
      ]),
      { ...ch('d', []), ending: true },
    ],
    conclusions: [
      {
        id: 'k1',
        chapter: 'b',
        text: 'the mayor did it',
        clues: [
          { id: 'c1', text: 'x', where: { kind: 'scene', id: 'b-s1' } },
          { id: 'c2', text: 'y', where: { kind: 'npc', id: 'n1' } },
          { id: 'c3', text: 'z', where: { kind: 'location', id: 'l1' } },
        ],
      },
    ],
  });
  function ch(id: string, choices: [string, string][]): CampaignGen['chapters'][number] {
    return {
      id,
      title: `Chapter ${id}`,
      goal: 'g',
      scenes: [{ id: `${id}-s1`, title: 's', text: 't', entities: [] }],
      encounters: [],
      choices: choices.map(([next, text]) => ({ next, text })),
      ending: false,
      status: 'planned',
    };
  }

  it('a sound graph passes', () => {
    expect(checkCampaign(base())).toEqual({ ok: true, problems: [] });
  });

  it('an unreachable chapter and ending, a dangling choice, too few or too many choices', () => {
    const g = base();
    g.chapters[0]!.choices = [
      { text: 'only b', next: 'b' },
      { text: 'nowhere', next: 'zz' },
    ];
    g.chapters[1]!.choices = [{ text: 'one', next: 'b' }];
    g.chapters[2]!.choices = Array.from({ length: 6 }, () => ({ text: 'd', next: 'd' }));
    const codes = checkCampaign(g).problems.map((p) => `${p.code}@${p.where}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'dangling-choice@chapter:a/choices/1',
        'choice-count@chapter:b',
        'unreachable-chapter@chapter:c',
        'choice-count@chapter:c',
        'unreachable-ending@chapter:d',
      ]),
    );
    expect(checkCampaign(g).ok).toBe(false);
  });

  it('the three-clue rule: fewer than three placed clues fails, a clue at an unknown place is named', () => {
    const g = base();
    g.conclusions[0]!.clues[2] = { id: 'c3', text: 'z', where: { kind: 'location', id: 'n1' } };
    const res = checkCampaign(g);
    expect(res.problems.map((p) => p.code)).toEqual(['clue-misplaced', 'too-few-clues']);
    expect(res.problems[1]!.message).toMatch(/has 2 placed clue\(s\); the three-clue rule needs at least 3/);
    g.conclusions[0]!.clues.pop();
    expect(checkCampaign(g).problems.map((p) => p.code)).toEqual(['too-few-clues']);
  });

  it('an ending with choices and an outline without ending', () => {
    const g = base();
    g.chapters[3]!.choices = [{ text: 'x', next: 'a' }];
    expect(checkCampaign(g).problems.map((p) => p.code)).toContain('ending-with-choices');
    g.chapters[3]!.ending = false;
    g.chapters[3]!.choices = [
      { text: 'x', next: 'a' },
      { text: 'y', next: 'b' },
    ];
    expect(checkCampaign(g).problems.map((p) => p.code)).toEqual(['no-ending']);
  });
});
