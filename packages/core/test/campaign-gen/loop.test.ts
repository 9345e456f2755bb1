/** Issue 13, parts 3–5: nemesis tiers and evolution, session prep, adaptation proposals, retheme. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCr } from '@loreforge/rules-5e';
import { loadSrdContent } from '../../src/content/load-srd';
import { prepMarkdown, type CampaignGen } from '../../src/campaign-gen';
import { favouriteDamage } from '../../src/campaign-gen/nemesis';
import { dmNotesStorageId } from '../../src/live/types';
import type { Core } from '../../src/index';
import { partyCore } from './helpers';

describe('nemesis, prep, adapt, retheme', { timeout: 180_000 }, () => {
  let core: Core;
  let gen: Awaited<ReturnType<typeof partyCore>>['gen'];
  let party: string[];
  let id = '';
  let outline: CampaignGen;
  const srd = loadSrdContent();

  beforeAll(async () => {
    ({ core, gen, party } = await partyCore(2));
    id = (
      await gen.generate({ pitch: 'Smugglers sell a stolen star-map to a pirate admiral', party, seed: 4 })
    ).id;
    outline = await gen.load(id);
  });
  afterAll(async () => core.close());

  it('the nemesis mirrors the party: its strengths answered, its bonds threatened, tiers with stat blocks and CR', async () => {
    const n = await gen.nemesisShow(id);
    expect(n.answers.map((a) => a.strength).join(' ')).toMatch(/arcane spells \(Aria Moonwhisper\)/);
    expect(n.answers.map((a) => a.strength).join(' ')).toMatch(/martial might \(Borin Stonefist\)/);
    expect(n.answers.map((a) => a.strength).join(' ')).toMatch(/stealth and speed \(Sel Quickstep\)/);
    expect(n.threatens.map((t) => t.bond)).toContain('his sister Hilda, a smith in the river town');
    // The stat block mirrors them too: it resists a damage type the party deals.
    const resist = n.answers.find((a) => a.answer.startsWith('resists '))!;
    const type = /^resists (\w+) damage$/.exec(resist.answer)![1]!;
    expect((await core.characters.showAny(n.id)).doc.creature!.resistances).toContain(type);
    expect(resist.strength).toMatch(new RegExp(`^${type} damage \\(`));
    expect(n.tiers.map((t) => t.tier)).toEqual(['nemesis', 'lieutenant', 'lieutenant', 'minion', 'minion']);
    for (const t of n.tiers) {
      const doc = (await core.characters.showAny(t.id)).doc;
      expect(doc.kind).toBe('npc');
      expect(doc.creature).toBeDefined();
      expect(t.cr).toBe(estimateCr(doc.creature!, { spells: srd.spells }).cr);
    }
    // The boss outranks its lieutenants, who outrank the minions.
    expect(n.tiers[0]!.cr).toBeGreaterThan(n.tiers[1]!.cr);
    expect(n.tiers[1]!.cr).toBeGreaterThan(n.tiers[3]!.cr);
    // Showing by a foe's id finds the same nemesis.
    expect((await gen.nemesisShow(n.tiers[2]!.id)).id).toBe(n.id);
  });

  it('prep: strong start, scenes, ten secrets, locations, NPCs, encounters rated for the party, treasure; all sourced', async () => {
    const open = await core.memory.entities.create(id, { kind: 'quest', name: 'Recover the star-map' });
    await core.memory.entities.create(id, { kind: 'quest', name: 'Pay the harbour tax', tags: ['done'] });
    const p = await gen.prep(id, 1);
    expect(p.quests).toEqual([{ id: open.id, text: 'Recover the star-map', sources: [open.id] }]);
    expect(p.chapter.id).toBe(outline.start);
    expect(p.secrets).toHaveLength(10);
    const all = [
      p.strongStart,
      ...p.scenes,
      ...p.secrets,
      ...p.locations,
      ...p.npcs,
      ...p.encounters,
      ...p.treasure,
    ];
    for (const i of all) expect(i.sources.length).toBeGreaterThan(0);
    expect(p.locations.length).toBeGreaterThan(0);
    expect(p.npcs.length).toBeGreaterThan(0);
    for (const l of p.locations) expect(outline.entities.find((e) => e.id === l.id)?.kind).toBe('location');
    for (const e of p.encounters) expect(e.difficulty).toBe(e.asked);
    expect(p.treasure.length).toBeGreaterThan(1);
    const md = prepMarkdown(p);
    expect(md).toMatch(/^# Session 1 prep/);
    expect(md).toContain('## Secrets and clues');
  });

  it('evolve after a session: a defeated lieutenant is replaced, a CR step, new tactics, committed with reasons', async () => {
    const n = await gen.nemesisShow(id);
    const lt = n.tiers[1]!;
    const j1 = await core.journals.create(id, {
      title: 'Session 1',
      session: 1,
      text: `We stormed the docks. Borin slew ${lt.name} on the pier. Aria burned the smugglers' ship with a fireball.`,
    });
    await expect(gen.evolve(id, 2)).rejects.toThrow(/--session: no journal of session 2/);
    // The session is consolidated first: evolution reads the summary note too and says so.
    const summary = await core.memory.consolidation.consolidate(id, { session: 1 });
    const res = await gen.evolve(id, 1);
    expect(res.read).toEqual({ journals: [j1.id], summary: summary.id });
    const byPath = new Map(res.changes.map((c) => [c.path, c]));
    expect(byPath.get('/nemesis/tiers/1/status')).toMatchObject({
      from: 'active',
      to: 'replaced',
      // The journal and the session summary (its key events repeat the defeat) are both cited.
      sources: [j1.id, summary.id],
    });
    expect(byPath.get('/nemesis/cr')!.from).toBe(n.cr);
    expect(byPath.get('/nemesis/cr')!.to).toBeGreaterThan(n.cr);
    const tactic = res.changes.find(
      (c) => c.path === '/nemesis/tactics/-' && /fire fails/.test(String(c.to)),
    );
    expect(tactic?.reason).toMatch(/used fire/);
    const after = await gen.nemesisShow(id);
    expect(after.tiers[1]!.status).toBe('replaced');
    expect(after.tiers.filter((t) => t.tier === 'lieutenant' && t.status === 'active')).toHaveLength(2);
    expect(after.cr).toBeGreaterThan(n.cr);
    const bossLog = await core.history.log(n.id);
    expect(bossLog[0]!.message).toMatch(/nemesis CR .* → .*: .*grows stronger/);
    const notesLog = await core.history.log(dmNotesStorageId(id));
    expect(notesLog[0]!.message).toMatch(/^nemesis evolved after session 1: .*defeated/);
    await expect(gen.evolve(id, 1)).rejects.toThrow(/already evolved from session 1/);
  });

  it('adapt proposes the chapter played and the branch taken; apply records them with a commit', async () => {
    const cur = outline.chapters.find((c) => c.id === outline.start)!;
    const target = outline.chapters.find((c) => c.id === cur.choices[1]!.next)!;
    const place = outline.entities.find((e) => e.id === target.scenes[0]!.entities[0])!;
    const j = await core.journals.create(id, {
      title: 'Session 1, later',
      session: 1,
      text: `At the end we set sail for ${place.name}.`,
    });
    const { proposals } = await gen.adapt(id, 1);
    const played = proposals.find((p) => p.kind === 'mark-played')!;
    expect(played.change).toMatchObject({ to: 'played' });
    const branch = proposals.find((p) => p.kind === 'branch-taken')!;
    expect(branch.change.to).toBe(1);
    expect(branch.sources).toContain(j.id);
    await expect(gen.applyProposals(id, ['s1-p999'])).rejects.toThrow(/--proposal: no proposal s1-p999/);
    const res = await gen.applyProposals(id, [played.id, branch.id]);
    expect(res.applied).toEqual([played.id, branch.id]);
    const o = await gen.load(id);
    const ch = o.chapters.find((c) => c.id === cur.id)!;
    expect(ch.status).toBe('played');
    expect(ch.taken).toBe(1);
    expect((await core.history.log(dmNotesStorageId(id)))[0]!.message).toMatch(/^adaptation applied: s1-p/);
    // The next prep follows the branch the party took.
    expect((await gen.prep(id, 2)).chapter.id).toBe(target.id);
    await expect(gen.applyProposals(id, [played.id])).rejects.toThrow(/already applied/);
  });

  it('a clue-giver the party killed: its clue moves to a scene still ahead; reject leaves the rest as proposed', async () => {
    const o = await gen.load(id);
    const k = o.conclusions.find((c) => {
      const ch = o.chapters.find((x) => x.id === c.chapter)!;
      return ch.status !== 'played' && c.clues.some((x) => x.where.kind === 'npc');
    })!;
    const ci = o.conclusions.indexOf(k);
    const clue = k.clues.find((x) => x.where.kind === 'npc')!;
    const npc = o.entities.find((e) => e.id === clue.where.id)!;
    const j = await core.journals.create(id, {
      title: 'Session 2',
      session: 2,
      text: `In the alley ${npc.name} was killed by a stray bolt.`,
    });
    const { proposals } = await gen.adapt(id, 2);
    const move = proposals.find(
      (p) => p.kind === 'move-clue' && p.change.path.startsWith(`/conclusions/${ci}/`),
    )!;
    expect(move.sources).toEqual([j.id]);
    expect(move.reason).toContain(npc.name);
    const other = proposals.find((p) => p.kind === 'mark-played')!;
    await gen.applyProposals(id, [other.id], { reject: true });
    await gen.applyProposals(id, [move.id]);
    const after = await gen.load(id);
    const moved = after.conclusions[ci]!.clues.find((x) => x.id === clue.id)!;
    expect(moved.where.kind).toBe('scene');
    expect(after.proposals.find((p) => p.id === other.id)!.status).toBe('rejected');
    expect(after.chapters.filter((c) => c.status === 'played')).toHaveLength(1);
    expect(await gen.check(id)).toEqual({ ok: true, problems: [] });
  });

  it('retheme: party and foes on theme branches keeping their memory; the outline records the theme', async () => {
    const before = (await core.characters.show(party[0]!)).doc.narrative;
    const item = await core.items.import({ name: 'Star-map Compass', category: 'gear' }, { campaign: id });
    const res = await gen.retheme(id, 'cyberpunk');
    expect(res.items).toEqual([
      expect.objectContaining({ id: item.id, baseCommit: item.commit, branch: 'variant/cyberpunk' }),
    ]);
    expect(res.from).toBe('fantasy');
    expect(res.characters.length).toBe(3 + outline.nemesis.tiers.length + 1 - 1);
    const after = (await core.characters.show(party[0]!)).doc;
    expect(after.narrative.theme).toBe('cyberpunk');
    expect(after.narrative.bonds).toEqual(before.bonds);
    const branches = (await core.history.branches(party[0]!)).map((b) => b.name);
    expect(branches).toContain('theme/cyberpunk');
    const o = await gen.load(id);
    expect(o.theme).toBe('cyberpunk');
    expect(o.themes).toEqual(['fantasy', 'cyberpunk']);
    // A second retheme starts the items from their base again, never from the cyberpunk variant.
    const again = await gen.retheme(id, 'gothic horror');
    expect(again.items).toEqual([
      expect.objectContaining({ baseCommit: item.commit, branch: 'variant/gothic-horror' }),
    ]);
    const shown = await core.items.show(item.id, { ref: 'variant/gothic-horror' });
    expect(shown.doc.item.name).not.toMatch(/cyberpunk/i);
    // Journals and relations (memory) are untouched by the retheme.
    expect((await core.journals.list(id)).length).toBe(3);
    await expect(gen.retheme(id, '  ')).rejects.toThrow(/--theme: must not be empty/);
  });
});

describe('the mirror’s damage answer', () => {
  it('is the damage type most members deal', () => {
    const m = (name: string, damageTypes: string[]) => ({
      id: name,
      name,
      level: 5,
      classes: [],
      bonds: [],
      best: 'str',
      damageTypes,
    });
    expect(favouriteDamage([m('A', ['fire', 'slashing']), m('B', ['fire']), m('C', ['piercing'])])).toEqual({
      type: 'fire',
      who: ['A', 'B'],
    });
    expect(favouriteDamage([m('A', [])])).toBeNull();
  });
});
