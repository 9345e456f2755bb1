/** The `play.*` bridge channels, and the app host refereeing requests as they arrive. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/api/events';
import { createHandlers, disposeHandlers } from '../../src/api/handlers';
import { invokeHandler } from '../../src/api/invoke';
import { editIntents, readIntents } from '../../src/docs/intents-doc';
import type { JsonObject } from '../../src/docs/y-json';
import { createCore, type Core } from '../../src/index';
import { build } from '../helpers';

let core: Core;
let handlers: ReturnType<typeof createHandlers>;

beforeEach(async () => {
  core = await createCore({ dataDir: null, author: 'me' });
  handlers = createHandlers(core, {
    dataDir: null,
    bus: createEventBus(),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    appVersion: 'test',
    host: 'test',
    llmProvider: 'offline',
  });
});
afterEach(async () => {
  disposeHandlers(handlers);
  await core.close();
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await invokeHandler(handlers, channel, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('play channels', () => {
  it('start, act, view and sessions; bad input names the field', async () => {
    const campaign = (await core.campaigns.create({ name: 'Bridge' })).id;
    const aria = (await core.characters.import(build({ name: 'Aria' }), { campaign })).id;
    const s = await call<{ session: string; order: { id: string }[] }>('play.start', {
      campaign,
      party: [aria],
      creatures: [{ id: 'goblin-warrior', count: 2 }],
      hidden: ['goblin-warrior-2'],
    });
    const hit = await call<{ hp: number; status: string }>('play.act', {
      session: s.session,
      action: 'damage',
      combatant: 'goblin-warrior-1',
      amount: 100,
    });
    expect(hit.status).toBe('dead');
    const pv = await call<{ order: { id: string; health?: string }[] }>('play.view', {
      session: s.session,
      as: 'player',
    });
    expect(pv.order.map((o) => o.id)).not.toContain('goblin-warrior-2');
    expect(pv.order.find((o) => o.id === 'goblin-warrior-1')!.health).toBe('down');
    const list = await call<{ role: string; sessions: { id: string; status: string }[] }>('play.sessions', {
      campaign,
    });
    expect(list).toEqual({
      role: 'dm',
      sessions: [expect.objectContaining({ id: s.session, status: 'live' })],
    });
    const bad = await invokeHandler(handlers, 'play.act', {
      session: s.session,
      action: 'damage',
      combatant: aria,
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'amount: missing for this action' },
    });
    const hurt = await call<{ hp: number; maxHp: number }>('play.sheetAct', {
      character: aria,
      action: 'damage',
      amount: 4,
    });
    expect(hurt.hp).toBe(hurt.maxHp - 4);
    const rested = await call<{ hp: number; maxHp: number }>('play.sheetAct', {
      character: aria,
      action: 'long-rest',
    });
    expect(rested.hp).toBe(rested.maxHp);
    const noLevel = await invokeHandler(handlers, 'play.sheetAct', { character: aria, action: 'spend-slot' });
    expect(noLevel).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'level: missing for this action' },
    });
    const badAction = await invokeHandler(handlers, 'play.act', { session: s.session, action: 'explode' });
    expect(badAction).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('action') },
    });
  });

  it('the DM’s app applies a request that arrives in an intents document', async () => {
    const campaign = (await core.campaigns.create({ name: 'Arrivals' })).id;
    const aria = (await core.characters.import(build({ name: 'Aria' }), { campaign })).id;
    const s = await call<{ session: string }>('play.start', {
      campaign,
      party: [aria],
      creatures: [{ id: 'goblin-warrior', count: 1 }],
      seats: { [aria]: 'pia' },
    });
    // A player's intents document as sync would bring it in: a request written by someone else.
    const { id: doc } = await core.campaigns.createIntents(campaign, { owner: 'pia' });
    const h = await core.live.open({ campaign, kind: 'intents', docId: doc });
    try {
      editIntents(
        h.doc,
        (json) => ({
          ...json,
          requests: [
            {
              id: 'r1',
              kind: 'damage',
              payload: { session: s.session, character: aria, amount: 3 },
              status: 'pending',
              at: 1,
            } as JsonObject,
          ],
        }),
        { kind: 'remote', author: 'pia' },
      );
      const deadline = Date.now() + 10_000;
      while (readIntents(h.doc).requests[0]!.status === 'pending' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(readIntents(h.doc).requests[0]).toMatchObject({ status: 'applied' });
    } finally {
      h.release();
    }
    const dm = await call<{ order: { id: string; hp: number }[] }>('play.view', {
      session: s.session,
      as: 'dm',
    });
    const sheet = await call<{ maxHp: number }>('play.sheet', { character: aria });
    expect(dm.order.find((o) => o.id === aria)!.hp).toBe(sheet.maxHp - 3);
  });
});
