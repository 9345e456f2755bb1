import { describe, expect, it } from 'vitest';
import { createCore } from '../src/index';
import { build, openCore } from './helpers';

describe('history milestones, themes and variants', { timeout: 30_000 }, () => {
  it('tags level-ups automatically and keeps ordered theme memory across theme branches', async () => {
    const core = await openCore(null);
    try {
      const ch = await core.characters.import({ ...build(), narrative: { theme: 'High fantasy' } });
      const up = await core.characters.edit(ch.id, { set: [{ path: '/build/classes/0/level', value: 6 }] });
      expect(up.tags).toEqual(['level-6']);
      const t1 = await core.characters.changeTheme(ch.id, 'Gothic horror');
      expect(t1.themeBranch).toBe('theme/gothic-horror');
      expect(t1.branch).toBe('main');
      const t2 = await core.characters.changeTheme(ch.id, 'Space opera');
      const shown = await core.characters.show(ch.id);
      // The live branch never switches: the theme is written into it; the theme branch records where it began.
      expect(shown.branch).toBe('main');
      expect((await core.characters.show(ch.id, { ref: 'theme/gothic-horror' })).doc.narrative.theme).toBe(
        'Gothic horror',
      );
      expect(shown.doc.narrative.theme).toBe('Space opera');
      expect(shown.doc.themeHistory.map((h) => [h.theme, h.branch])).toEqual([
        ['High fantasy', 'main'],
        ['Gothic horror', 'theme/gothic-horror'],
        ['Space opera', 'theme/space-opera'],
      ]);
      expect(shown.doc.themeHistory[2]?.from).toBe(t1.commit);
      // The old theme stays in history, unchanged.
      expect((await core.characters.show(ch.id, { ref: up.commit })).doc.narrative.theme).toBe(
        'High fantasy',
      );
      const log = await core.history.log(ch.id);
      expect(log[0]).toMatchObject({ commit: t2.commit, tags: ['theme-space-opera'] });
      expect(log.find((c) => c.commit === up.commit)?.tags).toEqual(['level-6']);
      const rows = await core.characters.list();
      expect(rows[0]).toMatchObject({ branch: 'main', commit: t2.commit });
    } finally {
      await core.close();
    }
  });

  it('death creates a memorial tag; resurrection continues on the live branch (recorded as a branch)', async () => {
    const core = await openCore(null);
    try {
      const ch = await core.characters.import(build({ name: 'Bram Ironfoot' }));
      const death = await core.characters.recordDeath(ch.id, { cause: 'dragon fire' });
      expect(death.tag).toBe('memorial-bram-ironfoot');
      await expect(core.characters.recordDeath(ch.id)).rejects.toThrow(/already dead/);
      const back = await core.characters.resurrect(ch.id);
      expect(back.recordBranch).toBe('resurrected');
      expect(back.branch).toBe('main');
      expect((await core.characters.show(ch.id)).doc.status).toBe('alive');
      expect((await core.characters.show(ch.id, { ref: 'memorial-bram-ironfoot' })).doc.status).toBe('dead');
      const log = await core.history.log(ch.id);
      expect(log.map((c) => c.message)).toEqual([
        'resurrection',
        'death: dragon fire',
        'import Bram Ironfoot',
      ]);
      expect(log[1]?.tags).toEqual(['memorial-bram-ironfoot']);
      expect((await core.history.log(ch.id, { branch: 'resurrected' }))[0]?.commit).toBe(back.commit);
      expect((await core.history.log(ch.id, { branch: 'main' }))[0]?.commit).toBe(back.commit);
    } finally {
      await core.close();
    }
  });

  it('what-if branches fork from any past commit; diff reports paths and a summary', async () => {
    const core = await openCore(null);
    try {
      const ch = await core.characters.import(build());
      await core.characters.edit(ch.id, { set: [{ path: '/build/abilityScores/wis', value: 14 }] });
      await core.characters.edit(ch.id, { set: [{ path: '/narrative/fears/-', value: 'deep water' }] });
      const w = await core.history.branch(ch.id, 'what-if/no-magic', { from: ch.commit });
      expect(w.commit).toBe(ch.commit);
      const d = await core.history.diff(ch.id, 'what-if/no-magic', 'main');
      expect(d.changes).toEqual([
        { path: '/build/abilityScores/wis', from: 12, to: 14 },
        { path: '/narrative/fears', from: [], to: ['deep water'] },
      ]);
      expect(d.summary).toBe(
        '2 changes\n~ /build/abilityScores/wis: 12 → 14\n~ /narrative/fears: [] → ["deep water"]',
      );
      await expect(core.history.branch(ch.id, 'bad name!')).rejects.toThrow(/branch "bad name!"/);
      await expect(core.history.branch(ch.id, 'what-if/no-magic')).rejects.toThrow(/already exists/);
    } finally {
      await core.close();
    }
  });

  it('resolves unique commit id prefixes and refuses ambiguous ones', async () => {
    const core = await createCore({ dataDir: null });
    try {
      const ch = await core.characters.import(build());
      await core.characters.edit(ch.id, { set: [{ path: '/build/abilityScores/wis', value: 14 }] });
      expect((await core.history.checkout(ch.id, ch.commit.slice(0, 8))).commit).toBe(ch.commit);
      await expect(core.history.checkout(ch.id, ch.commit.slice(0, 2))).rejects.toThrow(/ref/);
    } finally {
      await core.close();
    }
  });

  it('item re-themes always fork from the base commit, even when asked on a variant', async () => {
    const core = await openCore(null);
    try {
      const it1 = await core.items.import({ name: 'Sunspear', category: 'weapon' });
      const a = await core.items.retheme(it1.id, { theme: 'Frost' });
      await core.history.setDefaultBranch(it1.id, a.branch);
      const b = await core.items.retheme(it1.id, { theme: 'Frost' });
      expect(b.branch).toBe('variant/frost-2');
      expect(b.baseCommit).toBe(it1.commit);
      const logB = await core.history.log(it1.id, { branch: b.branch });
      expect(logB.map((c) => c.commit)).toEqual([b.commit, it1.commit]);
      const shown = await core.items.show(it1.id, { ref: b.branch });
      expect(shown.doc.item.name).toBe('Sunspear (Frost)');
      expect(shown.doc.variant).toEqual({ baseId: it1.id, baseCommit: it1.commit, theme: 'Frost' });
      expect((await core.items.variants(it1.id)).map((v) => v.branch)).toEqual([
        'variant/frost',
        'variant/frost-2',
      ]);
      expect(await core.references.usedBy(it1.id)).toEqual([
        expect.objectContaining({ from: it1.id, relation: 'variant-of' }),
      ]);
    } finally {
      await core.close();
    }
  });
});

describe('concurrent operations on one entity', { timeout: 30_000 }, () => {
  it('two edits started together both survive (the later commit absorbs the earlier one)', async () => {
    const core = await openCore(null);
    try {
      const ch = await core.characters.import(build());
      const [a, b] = await Promise.all([
        core.characters.edit(ch.id, { set: [{ path: '/build/abilityScores/str', value: 17 }] }),
        core.characters.edit(ch.id, { set: [{ path: '/narrative/fears/-', value: 'heights' }] }),
      ]);
      const shown = await core.characters.show(ch.id);
      expect(shown.doc.build.abilityScores.str).toBe(17);
      expect(shown.doc.narrative.fears).toEqual(['heights']);
      const log = await core.history.log(ch.id);
      expect(
        log
          .map((c) => c.commit)
          .slice(0, 2)
          .sort(),
      ).toEqual([a.commit, b.commit].sort());
      expect(log[0]?.parents).toEqual([log[1]?.commit]);
    } finally {
      await core.close();
    }
  });
});
