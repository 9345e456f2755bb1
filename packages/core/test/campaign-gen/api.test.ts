/** Issue 13, app bridge: the campaign-generation channels, pitch → check → journal → adapt → evolve → prep. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/api/invoke';
import type { Core } from '../../src/index';
import { startFakeOpenAi } from '@loreforge/llm/test-fakes';
import { createCampaignGen } from '../../src/campaign-gen';
import { openTestBridge, type TestBridge } from '../bridge-helper';
import { structureShown } from './fake-model';
import { partyCore } from './helpers';

describe('campaign-generation bridge channels', { timeout: 180_000 }, () => {
  let core: Core;
  let party: string[];
  let h: TestBridge['handlers'];
  let bridge: TestBridge;
  const call = (channel: string, input: unknown) => bridge.call<any>(channel, input); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    ({ core, party } = await partyCore(3));
    ({ handlers: h } = bridge = await openTestBridge(core));
  });
  afterAll(() => bridge.close());

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

  it('refine with a model through the bridge (Settings: an OpenAI-compatible server): the structure changes; a model that keeps breaking the graph saves nothing and names the provider', async () => {
    const openai = await startFakeOpenAi();
    try {
      await call('settings.update', { llm: { openaiBaseURL: openai.baseURL, openaiModel: 'gpt-4o-mini' } });
      const g = await call('campaignGen.generate', {
        pitch: 'Gulls carry letters for a dead queen',
        party,
        seed: 8,
      });
      const before = await call('campaignGen.outline', { campaign: g.id });
      const shown = (body: unknown) =>
        structureShown<
          {
            start: string;
            chapters: { id: string; title: string; choices: { text: string; next: string }[] }[];
          },
          unknown
        >(body).view;
      // Renaming a chapter and reordering the start's choices.
      openai.chat.push((body) => {
        const v = shown(body);
        v.chapters[1]!.title = 'The Gull Queen';
        v.chapters.find((c) => c.id === v.start)!.choices.reverse();
        return { content: JSON.stringify(v) };
      });
      const ok = await call('campaignGen.refine', {
        campaign: g.id,
        feedback: 'Call the second chapter The Gull Queen',
        provider: 'openai',
      });
      expect(ok.changes.map((c: { path: string }) => c.path)).toContain(
        `/chapters/${before.chapters[1].id}/title`,
      );
      const mid = await call('campaignGen.outline', { campaign: g.id });
      expect(mid.chapters[1].title).toBe('The Gull Queen');
      // Every answer leaves the start with one choice: after the router's attempts, nothing is stored.
      const broken = (body: unknown) => {
        const v = shown(body);
        v.chapters.find((c) => c.id === v.start)!.choices.splice(1);
        return { content: JSON.stringify(v) };
      };
      openai.chat.push(broken, broken, broken, broken, broken);
      const r = await invokeHandler(h, 'campaignGen.refine', {
        campaign: g.id,
        feedback: 'One way only',
        provider: 'openai',
      });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.message).toMatch(
        /^provider: openai failed \(.+\): .*choice-count.*; nothing was saved$/s,
      );
      expect(await call('campaignGen.outline', { campaign: g.id })).toEqual(mid);
    } finally {
      await openai.close();
    }
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
