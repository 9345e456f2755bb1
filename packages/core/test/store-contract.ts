/**
 * The store contract: every storage backend (SQLite files, SQLite in memory) must pass the same suite.
 * `reopen` closes and reopens the core on the same storage; the memory backend cannot outlive its core, so
 * its `reopen` returns the same core (the suite then checks the same things without a restart).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/index';
import { build } from './helpers';

export interface ContractEnv {
  core: Core;
  reopen(): Promise<Core>;
  /** Damage the projection tables behind the core's back, where the backend allows it (files). */
  damageProjections?(): void;
  dispose(): Promise<void>;
}

export function storeContract(name: string, make: () => Promise<ContractEnv>): void {
  describe(`store contract: ${name}`, { timeout: 30_000 }, () => {
    let env: ContractEnv;
    beforeEach(async () => {
      env = await make();
    });
    afterEach(async () => {
      await env.dispose();
    });

    it('starts empty on a fresh store', async () => {
      expect(await env.core.characters.list()).toEqual([]);
      expect(await env.core.items.list()).toEqual([]);
      // Reading creates nothing (not even the library campaign).
      expect(await env.core.campaigns.list()).toEqual([]);
    });

    it('keeps campaigns, documents, commits, branches and tags across a reopen', async () => {
      const c = await env.core.campaigns.create({ name: 'Curse of the Tides' });
      const ch = await env.core.characters.import(
        { ...build(), narrative: { backstory: 'Raised by gulls.' } },
        { campaign: c.id },
      );
      const e = await env.core.characters.edit(ch.id, {
        set: [{ path: '/build/abilityScores/str', value: 12 }],
        message: 'train',
      });
      await env.core.history.branch(ch.id, 'what-if', { from: ch.commit });
      await env.core.history.tag(ch.id, 'session-1', { kind: 'session-checkpoint' });
      const logBefore = await env.core.history.log(ch.id);
      const core = await env.reopen();
      expect((await core.campaigns.list()).map((x) => x.name)).toContain('Curse of the Tides');
      const shown = await core.characters.show(ch.id);
      expect(shown.commit).toBe(e.commit);
      expect(shown.doc.build.abilityScores.str).toBe(12);
      expect(shown.doc.narrative.backstory).toBe('Raised by gulls.');
      expect(await core.history.log(ch.id)).toEqual(logBefore);
      expect(logBefore[0]?.tags).toEqual(['session-1']);
      expect((await core.history.branches(ch.id)).map((b) => b.name).sort()).toEqual(['main', 'what-if']);
      const list = await core.characters.list({ campaign: c.id });
      expect(list).toEqual([
        { id: ch.id, name: 'Aria Moonwhisper', kind: 'pc', campaign: c.id, branch: 'main', commit: e.commit },
      ]);
    });

    it('keeps uncommitted working changes (campaign roster) across a reopen', async () => {
      const c = await env.core.campaigns.create({ name: 'A' });
      const lib = await env.core.characters.import(build({ name: 'Wanderer' }));
      await env.core.campaigns.addToRoster(c.id, lib.id, { entity: 'character', role: 'guest' });
      const core = await env.reopen();
      expect((await core.campaigns.doc(c.id)).roster[lib.id]).toEqual({ entity: 'character', role: 'guest' });
      expect(await core.characters.list({ campaign: c.id })).toEqual([
        expect.objectContaining({ id: lib.id, name: 'Wanderer', campaign: null }),
      ]);
    });

    it('rebuilds projections from the documents alone', async () => {
      const c = await env.core.campaigns.create({ name: 'B' });
      const a = await env.core.characters.import(build({ name: 'Bram' }), { campaign: c.id });
      const it1 = await env.core.items.import(
        { name: 'Lantern of Truth', category: 'gear' },
        { campaign: c.id },
      );
      await env.core.characters.edit(a.id, {
        set: [{ path: '/build/equipment/-', value: { item: it1.id } }],
      });
      await env.core.campaigns.addEncounter(c.id, { name: 'Ambush', participants: [a.id] });
      const before = {
        chars: await env.core.characters.list(),
        items: await env.core.items.list(),
        usedBy: await env.core.references.usedBy(it1.id),
        usedByA: await env.core.references.usedBy(a.id),
        contents: await env.core.references.contents(c.id),
      };
      expect(before.usedBy).toEqual(
        expect.arrayContaining([
          { campaign: c.id, from: a.id, to: it1.id, relation: 'equips', via: '' },
          { campaign: c.id, from: c.id, to: it1.id, relation: 'contains', via: '' },
        ]),
      );
      expect(before.usedBy).toHaveLength(2);
      expect(before.usedByA.map((r) => r.relation).sort()).toEqual(['contains', 'encounter']);
      expect([...new Set(before.contents.map((x) => x.id))].sort()).toEqual([a.id, it1.id].sort());
      env.damageProjections?.();
      const counts = await env.core.rebuildProjections();
      // campaign, character, item and the campaign's dmnotes (which holds the encounter).
      expect(counts.entities).toBe(4);
      const after = {
        chars: await env.core.characters.list(),
        items: await env.core.items.list(),
        usedBy: await env.core.references.usedBy(it1.id),
        usedByA: await env.core.references.usedBy(a.id),
        contents: await env.core.references.contents(c.id),
      };
      expect(after).toEqual(before);
    });

    it('refuses unknown ids and refs with errors that name them', async () => {
      await expect(env.core.characters.show('00000000-0000-4000-8000-00000000dead')).rejects.toThrow(
        /not found/,
      );
      const ch = await env.core.characters.import(build());
      await expect(env.core.history.diff(ch.id, 'main', 'nope')).rejects.toThrow(/ref "nope"/);
      await expect(env.core.characters.import({ name: 'x' })).rejects.toThrow(/character file: .*species/);
    });
  });
}
