/** Issue 13, app bridge: the campaign-generation channels, pitch → check → journal → adapt → evolve → prep. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/api/events';
import { createHandlers, disposeHandlers } from '../../src/api/handlers';
import { invokeHandler } from '../../src/api/invoke';
import type { Core } from '../../src/index';
import { createCampaignGen } from '../../src/campaign-gen';
import { partyCore } from './helpers';

const log = { debug() {}, info() {}, warn() {}, error() {} };

describe('campaign-generation bridge channels', { timeout: 180_000 }, () => {
  let core: Core;
  let party: string[];
  let h: ReturnType<typeof createHandlers>;
  const call = async (channel: string, input: unknown) => {
    const r = await invokeHandler(h, channel, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    ({ core, party } = await partyCore(3));
    h = createHandlers(core, {
      dataDir: null,
      bus: createEventBus(),
      log,
      appVersion: 'test',
      host: 'test',
      llmProvider: 'offline',
    });
  });
  afterAll(async () => {
    disposeHandlers(h);
    await core.close();
  });

  it('prepare gets ready for a first generation and writes nothing', async () => {
    const before = await core.campaigns.list();
    const characters = await core.characters.list({});
    const r = (await call('campaignGen.prepare', {})) as { ms: number };
    expect(r.ms).toBeGreaterThan(0);
    expect(await core.campaigns.list()).toEqual(before);
    expect(await core.characters.list({})).toEqual(characters);
    // A generation after it is the same as without it (same seed → same outline).
    const a = await call('campaignGen.generate', { pitch: 'A bell under the sea', party, seed: 5 });
    const plain = createCampaignGen(core);
    const b = await plain.generate({ pitch: 'A bell under the sea', party, seed: 5 });
    const shape = (g: { chapters: unknown[]; nemesis: { name: string; cr: number } }) => ({
      chapters: g.chapters,
      nemesis: { name: g.nemesis.name, cr: g.nemesis.cr },
    });
    expect(shape(a)).toEqual(shape(b));
  });

  it('bad input names the field and writes nothing', async () => {
    const before = (await core.campaigns.list()).length;
    const r = await invokeHandler(h, 'campaignGen.generate', { pitch: '  ', party });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!r.ok && r.error.message).toMatch(/pitch: must not be empty/);
    const p = await invokeHandler(h, 'campaignGen.generate', { pitch: 'A heist', party: [] });
    expect(!p.ok && p.error.message).toMatch(/party: pick at least one character/);
    const f = await invokeHandler(h, 'campaignGen.refine', { campaign: 'x', feedback: 'darker' });
    expect(!f.ok && f.error.message).toMatch(/provider: refining with feedback needs a model provider/);
    expect((await core.campaigns.list()).length).toBe(before);
  });

  it('a pitch becomes a checked outline; a journal leads to accepted proposals, an evolved nemesis and prep', async () => {
    const g = await call('campaignGen.generate', {
      pitch: 'A drowned bell tolls under the harbour and the dead walk the docks',
      party,
      theme: 'gothic horror',
      chapters: 5,
      seed: 7,
    });
    expect(g.chapters.length).toBeGreaterThanOrEqual(3);
    const check = await call('campaignGen.check', { campaign: g.id });
    expect(check).toEqual({ ok: true, problems: [] });
    const outline = await call('campaignGen.outline', { campaign: g.id });
    expect(outline.current).toBe(outline.start);
    expect(outline.chapters.map((c: { id: string }) => c.id)).toEqual(
      g.chapters.map((c: { id: string }) => c.id),
    );

    // Hand refinement: only the named field changes.
    const ref = await call('campaignGen.refine', {
      campaign: g.id,
      set: [{ path: '/chapters/0/goal', value: 'Find who rings the bell' }],
    });
    expect(ref.changes).toEqual([
      { path: '/chapters/0/goal', from: outline.chapters[0].goal, to: 'Find who rings the bell' },
    ]);

    const nem = await call('nemesis.show', { id: g.id });
    const lieutenant = nem.tiers.find((t: { tier: string }) => t.tier === 'lieutenant');
    const first = outline.chapters.find((c: { id: string }) => c.id === outline.start);
    await call('campaignGen.journal', {
      campaign: g.id,
      session: 1,
      title: 'Session 1',
      text: `We played "${first.title}". We defeated ${lieutenant.name} and burned the warehouse with fire. We chose: ${first.choices[0].text}.`,
    });

    const { proposals } = await call('adapt.propose', { campaign: g.id, session: 1 });
    expect(proposals.length).toBeGreaterThan(0);
    const played = proposals.find((p: { change: { path: string } }) => p.change.path.endsWith('/status'));
    expect(played).toBeDefined();
    const others = proposals.filter((p: { id: string }) => p.id !== played.id);
    const applied = await call('adapt.apply', { campaign: g.id, proposals: [played.id] });
    expect(applied.applied).toEqual([played.id]);
    if (others.length) {
      const rej = await call('adapt.reject', { campaign: g.id, proposals: [others[0].id] });
      expect(rej.rejected).toEqual([others[0].id]);
    }
    const after = await call('campaignGen.outline', { campaign: g.id });
    expect(after.chapters.find((c: { id: string }) => c.id === outline.start).status).toBe('played');

    const ev = await call('nemesis.evolve', { campaign: g.id, session: 1 });
    expect(ev.changes.length).toBeGreaterThan(0);
    const again = await invokeHandler(h, 'nemesis.evolve', { campaign: g.id, session: 1 });
    expect(!again.ok && again.error.message).toMatch(/already evolved from session 1/);

    const prep = await call('prep.build', { campaign: g.id, session: 2 });
    expect(prep.sheet.secrets).toHaveLength(10);
    expect(prep.markdown).toContain(prep.sheet.strongStart.text.slice(0, 20));
    for (const s of prep.sheet.secrets) expect(s.sources.length).toBeGreaterThan(0);
  });
});
