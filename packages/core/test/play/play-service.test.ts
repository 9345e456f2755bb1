import { seededRng } from '@loreforge/rules-5e/dice';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { readSession } from '../../src/docs/session-doc';
import { createPlay, type Play } from '../../src/play/service';
import { build, openCore } from '../helpers';

let core: Core;
let play: Play;
let campaign: string;
let party: string[];

async function pc(name: string, level: number): Promise<string> {
  const b = build({ name, classes: [{ class: 'fighter', level }], spells: [], grantedSpells: [], feats: [] });
  return (await core.characters.import(b, { campaign })).id;
}

beforeEach(async () => {
  core = await openCore(null);
  play = createPlay(core, { author: 'dm', rng: seededRng(3), now: () => 1_000_000 });
  campaign = (await core.campaigns.create({ name: 'Table' })).id;
  party = [await pc('Aria', 5), await pc('Bo', 5), await pc('Cy', 5), await pc('Di', 5)];
});
afterEach(async () => {
  await core.close();
});

describe('encounter build', () => {
  it('fits the 2024 budget from the sheets’ levels with a leader and minions, saved DM-only', async () => {
    const e = await play.encounters.build({ campaign, party, difficulty: 'moderate', seed: 11 });
    // Level 5 ×4: low 2,000, moderate 3,000 XP.
    expect(e.budget).toEqual({ low: 2000, moderate: 3000, high: 4400 });
    expect(e.xp).toBeGreaterThan(2000);
    expect(e.xp).toBeLessThanOrEqual(3000);
    expect(e.rated['2024']).toBe('moderate');
    expect(e.creatures.length).toBeGreaterThanOrEqual(2);
    const leader = e.creatures.find((c) => c.role === 'leader')!;
    expect(leader.count).toBe(1);
    for (const m of e.creatures.filter((c) => c.role === 'minion')) expect(m.cr).toBeLessThan(leader.cr);
    expect(e.xp).toBe(e.creatures.reduce((n, c) => n + c.xp * c.count, 0));
    const notes = await core.campaigns.dmNotes(campaign);
    expect(notes.play?.encounters[e.id]?.creatures).toEqual(e.creatures);
    expect(JSON.stringify(await core.campaigns.doc(campaign))).not.toContain(e.id);
    // Same seed, same answer.
    const again = await play.encounters.build({ campaign, party, difficulty: 'moderate', seed: 11 });
    expect(again.creatures).toEqual(e.creatures);
  });

  it('reads levels from the sheets: a level-up raises the budget', async () => {
    const before = await play.encounters.build({ campaign, party: [party[0]!], difficulty: 'high', seed: 1 });
    await core.characters.edit(party[0]!, { set: [{ path: '/build/classes/0/level', value: 9 }] });
    const after = await play.encounters.build({ campaign, party: [party[0]!], difficulty: 'high', seed: 1 });
    expect(before.budget['high']).toBe(1100);
    expect(after.budget['high']).toBe(2600);
    expect(after.party[0]!.level).toBe(9);
  });

  it('rates 2014 difficulties with the group multiplier and honours a theme', async () => {
    const e = await play.encounters.build({
      campaign,
      party,
      difficulty: 'hard',
      ruleset: '2014',
      theme: 'undead',
      seed: 5,
    });
    expect(e.rated['2014']).toBe('hard');
    expect(e.adjustedXp).toBeGreaterThanOrEqual(e.budget['hard']!);
    expect(e.adjustedXp).toBeLessThan(e.budget['deadly']!);
    const types = e.creatures.map((c) => c.srd);
    expect(types.length).toBeGreaterThan(0);
    for (const t of e.creatures) expect(t.name).toBeTruthy();
  });

  it('uses only the named creatures and refuses bad input naming the field', async () => {
    const e = await play.encounters.build({
      campaign,
      party,
      difficulty: 'low',
      creatures: ['goblin-boss', 'goblin-warrior'],
      seed: 2,
    });
    expect(new Set(e.creatures.map((c) => c.srd))).toEqual(new Set(['goblin-boss', 'goblin-warrior']));
    await expect(play.encounters.build({ campaign, party, difficulty: 'deadly' })).rejects.toThrow(
      /--difficulty: "deadly" is not a 2024 difficulty/,
    );
    await expect(
      play.encounters.build({ campaign, party: ['00000000-0000-4000-8000-00000000ffff'], difficulty: 'low' }),
    ).rejects.toThrow(/--party: no character/);
    await expect(
      play.encounters.build({ campaign, party, difficulty: 'low', creatures: ['nope'] }),
    ).rejects.toThrow(/--creatures: "nope"/);
    await expect(
      play.encounters.build({ campaign, party, difficulty: 'low', theme: 'zzzzqq' }),
    ).rejects.toThrow(/--theme: no creature matches/);
  });
});

describe('combat through the documents', () => {
  it('keeps the full state DM-only and writes players a projection without hidden foes or foe HP', async () => {
    const start = await play.combat.start({
      campaign,
      party: party.slice(0, 2),
      creatures: [
        { id: 'goblin-boss', count: 1 },
        { id: 'goblin-warrior', count: 2 },
      ],
      hidden: ['goblin-warrior-2'],
      seed: 9,
    });
    expect(start.order.map((o) => o.id).sort()).toEqual(
      [...party.slice(0, 2), 'goblin-boss', 'goblin-warrior-1', 'goblin-warrior-2'].sort(),
    );
    expect(start.order.find((o) => o.id === 'goblin-warrior-2')!.hidden).toBe(true);
    const inits = start.order.map((o) => o.initiative);
    expect(inits).toEqual([...inits].sort((a, b) => b - a));

    const hit = await play.combat.damage(start.session, 'goblin-boss', 11, { type: 'slashing' });
    expect(hit).toMatchObject({ id: 'goblin-boss', status: 'conscious', tempHp: 0 });

    const h = await core.live.open({ campaign, kind: 'session', docId: start.session });
    const pub = readSession(h.doc);
    const raw = JSON.stringify(h.doc.getMap('entity').toJSON());
    h.release();
    expect(raw).not.toContain('goblin-warrior-2');
    expect(raw).not.toContain('Goblin Warrior 2');
    const boss = pub.combatants.find((c) => c.id === 'goblin-boss')!;
    expect(boss).not.toHaveProperty('hp');
    expect(boss.health).toBe('bloodied');
    expect(pub.combatants.find((c) => c.id === party[0])!.hp).toBeGreaterThan(0);

    const dm = await play.combat.view(start.session, 'dm');
    expect(dm.order.find((o) => o.id === 'goblin-warrior-2')).toMatchObject({
      hidden: true,
      hp: expect.any(Number),
    });
    const asPlayer = await play.combat.view(start.session, 'player');
    expect(asPlayer.order.map((o) => o.id)).not.toContain('goblin-warrior-2');
    expect(asPlayer.order.find((o) => o.id === 'goblin-boss')).toMatchObject({ health: 'bloodied' });
    expect(asPlayer.order.find((o) => o.id === 'goblin-boss')).not.toHaveProperty('hp');
    // The DM's notes hold the truth.
    const notes = await core.campaigns.dmNotes(campaign);
    expect(notes.play?.combats[start.session]?.order.some((c) => c.id === 'goblin-warrior-2')).toBe(true);
  });

  it('starts from a prepared encounter, runs turns and answers with the contract shape', async () => {
    const e = await play.encounters.build({ campaign, party, difficulty: 'low', seed: 4 });
    const s = await play.combat.start({ campaign, encounter: e.id, seed: 1 });
    expect(s.order.filter((o) => o.side === 'foe').length).toBe(e.creatures.reduce((n, c) => n + c.count, 0));
    const first = s.turn;
    const n = await play.combat.next(s.session);
    expect(n.turn).not.toBe(first);
    const target = party[1]!;
    const cond = await play.combat.condition(s.session, target, 'add', 'poisoned', { rounds: 2 });
    expect(cond.conditions).toContain('poisoned');
    const down = await play.combat.damage(s.session, target, 1000);
    expect(down.status).toBe('dead');
    await expect(play.combat.heal(s.session, target, 5)).rejects.toThrow(/is dead/);
    await expect(play.combat.damage(s.session, 'nobody', 5)).rejects.toThrow(/<combatant>: "nobody"/);
    await expect(play.combat.start({ campaign, encounter: 'missing' })).rejects.toThrow(
      /--encounter: no prepared encounter/,
    );
  });
});

describe('requests', () => {
  it('refuses an attack on a hidden foe without telling it exists, waits for others, resolves once', async () => {
    const s = await play.combat.start({
      campaign,
      party: [party[0]!],
      creatures: [{ id: 'goblin-warrior', count: 2 }],
      hidden: ['goblin-warrior-2'],
      seats: { [party[0]!]: 'dm' },
      seed: 3,
    });
    // Bring the party member's turn round, then ask to attack the hidden one.
    let view = await play.combat.view(s.session, 'dm');
    while (view.turn !== party[0]) view = { ...view, turn: (await play.combat.next(s.session)).turn };
    await play.combat.setAutoApply(s.session, ['attack', 'damage']);
    const hidden = await play.intents.submit(s.session, {
      character: party[0]!,
      action: 'attack',
      target: 'goblin-warrior-2',
      amount: 5,
    });
    expect(hidden).toMatchObject({
      status: 'refused',
      reason: 'target: no combatant goblin-warrior-2 to be seen',
    });
    const missing = await play.intents.submit(s.session, {
      character: party[0]!,
      action: 'attack',
      target: 'nobody',
      amount: 5,
    });
    expect(missing.reason).toBe('target: no combatant nobody to be seen');
    // Auto-apply off for heals: the request waits; the DM resolves it once.
    await play.combat.setAutoApply(s.session, []);
    const heal = await play.intents.submit(s.session, { character: party[0]!, action: 'heal', amount: 2 });
    expect(heal.status).toBe('pending');
    await expect(play.intents.resolve(s.session, heal.id, 'refuse', 'not now')).resolves.toMatchObject({
      status: 'refused',
      reason: 'not now',
    });
    await expect(play.intents.resolve(s.session, heal.id, 'apply')).rejects.toThrow(/already refused/);
    await expect(play.combat.setAutoApply(s.session, ['dance'])).rejects.toThrow(/--auto-apply: "dance"/);
    await expect(play.intents.submit(s.session, { character: party[0]!, action: 'damage' })).rejects.toThrow(
      /--amount: a damage request needs an amount/,
    );
  });
});
