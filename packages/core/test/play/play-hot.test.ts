/**
 * The DM's combat hot path: a combat's documents stay open between actions and the combat state read from the
 * notes is reused while the notes are unchanged — never a stale state when something else wrote them.
 */
import { seededRng } from '@loreforge/rules-5e/dice';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/index';
import { rawJson } from '../../src/docs/doc-type';
import { editDmNotes, readDmNotes } from '../../src/docs/dmnotes-doc';
import { publicSession } from '../../src/play/combat';
import type { JsonObject } from '../../src/docs/y-json';
import { createPlay, type Play } from '../../src/play/service';
import { build, openCore } from '../helpers';

let core: Core;
let play: Play;
let campaign: string;
let aria: string;

beforeEach(async () => {
  core = await openCore(null);
  play = createPlay(core, { author: 'dm', rng: seededRng(1) });
  campaign = (await core.campaigns.create({ name: 'Hot' })).id;
  aria = (await core.characters.import(build({ name: 'Aria' }), { campaign })).id;
});
afterEach(async () => {
  await core.close();
});

const hpOf = async (p: Play, session: string, id: string) =>
  (await p.combat.state(session)).order.find((c) => c.id === id)!.hp;

describe('combat hot path', () => {
  it('reuses the remembered combat state, yet sees every other writer of the notes', async () => {
    const start = await play.combat.start({
      campaign,
      party: [aria],
      creatures: [{ id: 'goblin-warrior', count: 1 }],
      seed: 3,
    });
    const s = start.session;
    const full = await hpOf(play, s, aria);
    await play.combat.damage(s, aria, 2);
    expect(await hpOf(play, s, aria)).toBe(full - 2);

    // Another play service (another window, the referee) acts on the same combat: this one sees it.
    const other = createPlay(core, { author: 'dm', rng: seededRng(2) });
    await other.combat.damage(s, aria, 3);
    await play.combat.damage(s, aria, 1);
    expect(await hpOf(play, s, aria)).toBe(full - 6);
    expect(await hpOf(other, s, aria)).toBe(full - 6);

    // A direct edit of the notes (a sync update, another process) invalidates the remembered state too.
    const h = await core.live.open({ campaign, kind: 'dmnotes', docId: campaign });
    editDmNotes(
      h.doc,
      (json) => {
        const notes = structuredClone(json) as JsonObject & {
          play: { combats: Record<string, { order: { id: string; hp: number }[] }> };
        };
        notes.play.combats[s]!.order.find((c) => c.id === aria)!.hp = 5;
        return notes;
      },
      { kind: 'local-user', author: 'dm' },
    );
    h.release();
    expect(await hpOf(play, s, aria)).toBe(5);
    const after = await play.combat.damage(s, aria, 1);
    expect(after.hp).toBe(4);
    const stored = await core.live.open({ campaign, kind: 'dmnotes', docId: campaign });
    expect(readDmNotes(stored.doc).play?.combats[s]?.order.find((c) => c.id === aria)?.hp).toBe(4);
    stored.release();

    // The state handed out is a copy: changing it changes nothing remembered.
    const st = await play.combat.state(s);
    st.order.find((c) => c.id === aria)!.hp = 999;
    expect(await hpOf(play, s, aria)).toBe(4);
  });

  it('sends an action’s documents together: the public session first, then the sheet, then the DM notes', async () => {
    const start = await play.combat.start({
      campaign,
      party: [aria],
      creatures: [{ id: 'goblin-warrior', count: 2 }],
      seed: 4,
    });
    const s = start.session;
    const docs = {
      session: await core.live.open({ campaign, kind: 'session', docId: s }),
      character: await core.live.open({ campaign, kind: 'character', docId: aria }),
      dmnotes: await core.live.open({ campaign, kind: 'dmnotes', docId: campaign }),
    };
    const order: string[] = [];
    let macrotask = false;
    for (const [name, h] of Object.entries(docs))
      h.doc.on('update', () => {
        if (order.length === 0) setImmediate(() => (macrotask = true));
        order.push(`${name}${macrotask ? ' (later)' : ''}`);
      });
    await play.combat.damage(s, aria, 2);
    // One synchronous run: the sync client sends the three updates back to back, the public one first.
    expect(order).toEqual(['session', 'character', 'dmnotes']);

    // The combat is written as differences from the last write: many actions later the notes hold exactly it.
    for (let i = 0; i < 40; i++) {
      if (i % 2 === 0) await play.combat.damage(s, i % 4 === 0 ? aria : 'goblin-warrior-1', 1);
      else await play.combat.heal(s, aria, 1);
    }
    const stored = readDmNotes(docs.dmnotes.doc).play?.combats[s];
    const state = await play.combat.state(s);
    expect(stored).toEqual(state);
    // And the session document holds exactly the public projection of it.
    expect(rawJson(docs.session.doc)).toMatchObject(JSON.parse(JSON.stringify(publicSession(state))));
    for (const h of Object.values(docs)) h.release();
  });
});
