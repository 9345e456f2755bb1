import { seededRng } from '@loreforge/rules-5e/dice';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { readCharacter } from '../../src/docs/character-doc';
import { createPlay, type Play } from '../../src/play/service';
import { build, openCore } from '../helpers';

let core: Core;
let play: Play;
let campaign: string;
let aria: string;

beforeEach(async () => {
  core = await openCore(null);
  play = createPlay(core, { author: 'pia', rng: seededRng(1) });
  campaign = (await core.campaigns.create({ name: 'Sheets' })).id;
  aria = (await core.characters.import(build({ name: 'Aria' }), { campaign })).id; // wizard 5
});
afterEach(async () => {
  await core.close();
});

describe('play sheet', () => {
  it('starts fresh from the build and applies table actions through the rules', async () => {
    const fresh = await play.sheet.get(aria);
    expect(fresh).toMatchObject({ hp: fresh.maxHp, tempHp: 0, status: 'conscious', inspiration: false });
    expect(fresh.slots.max.slice(0, 3)).toEqual([4, 3, 2]);
    expect(fresh.hitDice).toEqual({ d6: { max: 5, spent: 0 } });

    await play.sheet.act(aria, { kind: 'temp-hp', amount: 5 });
    await play.sheet.act(aria, { kind: 'concentrate', effect: 'Web' });
    let v = await play.sheet.act(aria, { kind: 'damage', amount: 12, type: 'fire' });
    expect([v.hp, v.tempHp, v.concentrationDc]).toEqual([fresh.maxHp - 7, 0, 10]);
    await play.sheet.act(aria, { kind: 'spend-slot', level: 3 });
    v = await play.sheet.act(aria, { kind: 'spend-slot', level: 3 });
    expect(v.slots.expended[2]).toBe(2);
    await expect(play.sheet.act(aria, { kind: 'spend-slot', level: 3 })).rejects.toThrow(
      /spellSlots\[2\]: no level-3 slot left/,
    );
    v = await play.sheet.act(aria, { kind: 'short-rest', dice: [{ die: 'd6', roll: 4 }] });
    expect(v.hp).toBe(fresh.maxHp - 7 + 4 + 2); // roll + Con modifier (+2)
    expect(v.hitDice['d6']).toEqual({ max: 5, spent: 1 });
    await play.sheet.act(aria, { kind: 'condition', op: 'add', name: 'poisoned' });
    await play.sheet.act(aria, { kind: 'exhaustion', delta: 2 });
    v = await play.sheet.act(aria, { kind: 'inspiration', value: true });
    expect(v).toMatchObject({ exhaustion: 2, inspiration: true });
    expect(v.conditions).toEqual(expect.arrayContaining(['poisoned', 'exhaustion']));
    v = await play.sheet.act(aria, { kind: 'long-rest' });
    expect(v).toMatchObject({ hp: fresh.maxHp, exhaustion: 1 });
    expect(v.slots.expended).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await expect(play.sheet.act(aria, { kind: 'condition', op: 'add', name: 'grumpy' })).rejects.toThrow(
      /--condition: "grumpy" is not a condition/,
    );
  });

  it('is live state in the character document, not a history commit per click', async () => {
    const commits = (await core.history.log(aria)).length;
    await play.sheet.act(aria, { kind: 'damage', amount: 3 });
    await play.sheet.act(aria, { kind: 'damage', amount: 2 });
    expect((await core.history.log(aria)).length).toBe(commits);
    const h = await core.live.open({ campaign, kind: 'character', docId: aria });
    const doc = readCharacter(h.doc);
    h.release();
    expect(doc.play?.hp).toBe((await play.sheet.get(aria)).maxHp - 5);
    const pending = await core.history.uncommitted(aria);
    expect(JSON.stringify(pending)).toContain('/play');
  });

  it('a player may not write another player’s sheet; combat carries the sheet over and writes it back', async () => {
    const bo = (await core.characters.import(build({ name: 'Bo' }), { campaign })).id;
    await play.sheet.act(bo, { kind: 'damage', amount: 10 });
    const start = await play.combat.start({
      campaign,
      party: [bo],
      creatures: [{ id: 'goblin-warrior', count: 1 }],
      seed: 2,
    });
    const dm = await play.combat.view(start.session, 'dm');
    const boMax = (await play.sheet.get(bo)).maxHp;
    expect(dm.order.find((o) => o.id === bo)!.hp).toBe(boMax - 10);
    await play.combat.damage(start.session, bo, 4);
    expect((await play.sheet.get(bo)).hp).toBe(boMax - 14);

    await core.campaigns.setMembership(campaign, { role: 'player', user: 'pia', owns: [aria] });
    await expect(play.sheet.act(bo, { kind: 'heal', amount: 1 })).rejects.toMatchObject({
      code: 'read-only',
    });
    await expect(play.sheet.act(aria, { kind: 'heal', amount: 1 })).resolves.toMatchObject({
      status: 'conscious',
    });
  });
});
