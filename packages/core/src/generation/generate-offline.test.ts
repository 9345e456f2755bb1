import { describe, expect, it } from 'vitest';
import {
  CreatureSchema,
  indexContent,
  invocationSlots,
  validate,
  type Build,
  type Content,
  type ContentData,
} from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import { maxSpellLevel, featSlots, isSlotFeature, featureCounts } from './class-rules';
import { TEST_CONCEPTS } from './concepts.fixture';
import { DraftChoicesSchema, estimateTokens, withoutIds, type DraftChoices } from './draft-schema';
import { generateOffline } from './generate-offline';

const content: Content = loadSrdContent();

function buildOf(d: DraftChoices): Build {
  if (!d.build) throw new Error('draft has no build');
  return d.build;
}

/** Our own invariants (independent of validate): known ids, counts from the class table, scores in range. */
function checkInvariants(build: Build, c: Content): string[] {
  const problems: string[] = [];
  if (!c.species.has(build.species)) problems.push(`species ${build.species}`);
  if (!c.backgrounds.has(build.background)) problems.push(`background ${build.background}`);
  for (const [k, v] of Object.entries(build.abilityScores))
    if (v < 3 || v > 20) problems.push(`score ${k}=${v}`);
  for (const cl of build.classes) {
    const cls = c.classes.get(cl.class);
    if (!cls) {
      problems.push(`class ${cl.class}`);
      continue;
    }
    if (cl.level >= cls.subclassLevel && cls.subclasses.length > 0 && !cl.subclass)
      problems.push('missing subclass');
    if (cl.subclass && c.subclasses.get(cl.subclass)?.class !== cls.id)
      problems.push(`subclass ${cl.subclass}`);
  }
  const slots = build.classes.reduce((n, cl) => {
    const cls = c.classes.get(cl.class);
    return n + (cls ? featSlots(cls, cl.level).length : 0);
  }, 1);
  // The Human's Versatile trait adds an Origin feat.
  const versatile = c.species.get(build.species)?.traits.some((t) => t.id === 'versatile') ? 1 : 0;
  if (build.feats.length !== slots + versatile)
    problems.push(`feats ${build.feats.length} != ${slots + versatile}`);
  for (const f of build.feats) if (!c.feats.has(f)) problems.push(`feat ${f}`);
  for (const e of build.equipment) if (!c.items.has(e.item)) problems.push(`item ${e.item}`);
  for (const s of build.spells ?? []) {
    const cls = c.classes.get(s.class);
    const cl = build.classes.find((x) => x.class === s.class);
    if (!cls || !cl) {
      problems.push(`spell class ${s.class}`);
      continue;
    }
    const row = cls.levels[cl.level - 1];
    const max = maxSpellLevel(cls, cl.level);
    if (s.cantrips.length > (row?.cantrips ?? 0)) problems.push('too many cantrips');
    if (s.prepared.length > (row?.prepared ?? 0)) problems.push('too many prepared');
    for (const id of [...s.cantrips, ...s.prepared]) {
      const spell = c.spells.get(id);
      if (!spell || !spell.classes.includes(s.class)) problems.push(`spell ${id} not on the ${s.class} list`);
      else if (spell.level > max) problems.push(`spell ${id} level ${spell.level} > ${max}`);
    }
    if (new Set([...s.cantrips, ...s.prepared]).size !== s.cantrips.length + s.prepared.length)
      problems.push('duplicate spell');
  }
  if (new Set(build.skills).size !== build.skills.length) problems.push('duplicate skill');
  for (const e of build.expertise)
    if (!build.skills.includes(e)) problems.push(`expertise ${e} without proficiency`);
  return problems;
}

describe('generateOffline: determinism and variety', () => {
  it('returns deep-equal drafts for the same concept and seed (pc, npc, monster)', () => {
    for (const req of [
      { concept: 'a wizard', seed: 7, level: 5 },
      { concept: 'a tavern keeper', seed: 7, kind: 'npc' as const },
      { concept: 'an undead knight', seed: 7, kind: 'monster' as const, cr: 4 },
    ]) {
      expect(generateOffline(req, content)).toEqual(generateOffline({ ...req }, content));
    }
  });

  it('varies across seeds', () => {
    const drafts = Array.from({ length: 12 }, (_, seed) =>
      generateOffline({ concept: 'a wizard', seed, level: 5 }, content),
    );
    expect(new Set(drafts.map((d) => buildOf(d).name)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(drafts.map((d) => JSON.stringify(buildOf(d).spells))).size).toBeGreaterThanOrEqual(10);
    expect(new Set(drafts.map((d) => d.narrative.backstory)).size).toBeGreaterThanOrEqual(8);
  });

  it('varies with the concept for the same seed', () => {
    const a = generateOffline({ concept: 'a knight', seed: 1 }, content);
    const b = generateOffline({ concept: 'a knight!', seed: 1 }, content);
    expect(a).not.toEqual(b);
  });
});

describe('generateOffline: keyword affinity', () => {
  const classesFor = (concept: string, theme?: string): string[] =>
    Array.from(
      { length: 20 },
      (_, seed) =>
        buildOf(generateOffline({ concept, seed, level: 3, ...(theme ? { theme } : {}) }, content)).classes[0]
          ?.class ?? '',
    );
  const share = (list: string[], ok: readonly string[]): number =>
    list.filter((x) => ok.includes(x)).length / list.length;

  it.each([
    ['an old wizard', ['wizard', 'sorcerer']],
    ['a knight in shining armour', ['fighter', 'paladin']],
    ['a cyberpunk netrunner', ['rogue', 'wizard']],
    ['a temple priest and healer', ['cleric']],
    ['a wild beast-speaker of the forest', ['druid', 'ranger']],
    ['a thief in the night', ['rogue']],
  ])('%s → mostly %j', (concept, expected) => {
    expect(share(classesFor(concept), expected)).toBeGreaterThanOrEqual(0.7);
  });

  it('Yoda: small species, monk/wizard/cleric/druid, high Wisdom or Intelligence', () => {
    const drafts = Array.from({ length: 20 }, (_, seed) =>
      buildOf(generateOffline({ concept: 'Yoda', seed, level: 9 }, content)),
    );
    const small = drafts.filter(
      (b) => b.size === 'small' || content.species.get(b.species)?.sizes.join() === 'small',
    );
    expect(small.length).toBeGreaterThanOrEqual(16);
    expect(
      drafts.filter((b) => ['monk', 'wizard', 'cleric', 'druid'].includes(b.classes[0]?.class ?? '')).length,
    ).toBeGreaterThanOrEqual(16);
    for (const b of drafts)
      expect(Math.max(b.abilityScores.wis, b.abilityScores.int)).toBeGreaterThanOrEqual(14);
  });

  it('a cyberpunk netrunner gets re-skinned gear tagged adapted with basedOn', () => {
    const d = generateOffline({ concept: 'a cyberpunk netrunner', seed: 3, level: 3 }, content);
    const adapted = d.elements.filter((e) => e.tag === 'adapted');
    expect(adapted.length).toBeGreaterThan(0);
    for (const e of adapted) {
      expect(e.basedOn).toBeDefined();
      expect(content.items.has(e.basedOn ?? '')).toBe(true);
      expect(buildOf(d).equipment.some((x) => x.item === e.basedOn)).toBe(true);
    }
  });

  it('a Force-wielder’s tradition is re-skinned as an order of mystic guardians', () => {
    const d = generateOffline({ concept: 'a jedi knight of the force', seed: 2, level: 3 }, content);
    expect(d.lore.find((l) => l.kind === 'tradition')?.element).toBe('Order of mystic guardians');
  });

  it('fire-themed casters lean to fire spells', () => {
    let fire = 0;
    let total = 0;
    for (let seed = 0; seed < 10; seed++) {
      const b = buildOf(generateOffline({ concept: 'a fire mage pyromancer', seed, level: 5 }, content));
      for (const s of b.spells ?? []) {
        for (const id of [...s.cantrips, ...s.prepared]) {
          const spell = content.spells.get(id);
          if (!spell?.damage) continue;
          total++;
          if (spell.damage.types.includes('fire')) fire++;
        }
      }
    }
    expect(total).toBeGreaterThan(0);
    expect(fire / total).toBeGreaterThan(0.3);
  });
});

describe('generateOffline: 50 varied concepts are rules-valid', () => {
  it.each(TEST_CONCEPTS.map((r) => [r.concept, r] as const))('%s', (_concept, req) => {
    const draft = generateOffline(req, content);
    expect(DraftChoicesSchema.safeParse(draft).success).toBe(true);
    if (req.kind === 'monster') {
      const c = draft.creature;
      expect(c?.tag).toBe('adapted');
      expect(content.creatures.has(c?.basedOn ?? '')).toBe(true);
      expect(CreatureSchema.safeParse(c?.statBlock).success).toBe(true);
      expect(c?.statBlock.cr).toBe(req.cr);
      expect(c?.statBlock.name).not.toBe(content.creatures.get(c?.basedOn ?? '')?.name);
      expect(draft.lore.some((l) => l.kind === 'creature')).toBe(true);
      return;
    }
    const build = buildOf(draft);
    expect(checkInvariants(build, content)).toEqual([]);
    const result = validate(build, content);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('every class at every level validates with zero errors and full spell counts', () => {
    const concepts = [
      'a wizard',
      'a knight',
      'a thief',
      'a priest',
      'a druid',
      'a monk',
      'a bard',
      'a warlock',
      'a barbarian',
      'a paladin',
      'a ranger',
      'a sorcerer',
    ];
    const seen = new Set<string>();
    for (const concept of concepts) {
      for (let level = 1; level <= 20; level++) {
        const build = buildOf(generateOffline({ concept, seed: level, level }, content));
        const errors = validate(build, content).issues.filter((i) => i.severity === 'error');
        expect(errors, `${concept} L${level}`).toEqual([]);
        expect(checkInvariants(build, content), `${concept} L${level}`).toEqual([]);
        const cl = build.classes[0];
        const cls = content.classes.get(cl?.class ?? '');
        if (!cl || !cls) throw new Error('no class');
        seen.add(cls.id);
        for (const choice of build.spells ?? []) {
          const entry = build.classes.find((x) => x.class === choice.class);
          const row = content.classes.get(choice.class)?.levels[(entry?.level ?? 0) - 1];
          expect(row, `${concept} L${level} ${choice.class}`).toBeDefined();
          expect(choice.cantrips.length).toBe(row?.cantrips);
          expect(choice.prepared.length).toBe(row?.prepared);
        }
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });
});

describe('generateOffline: granted spells', () => {
  const drafts = [
    ...TEST_CONCEPTS.filter((r) => r.kind !== 'monster'),
    ...['a sage wizard', 'a temple acolyte', 'a high elf mage', 'an elf scholar'].flatMap((concept) =>
      [1, 2, 3, 4, 5].map((seed) => ({ concept, seed, level: seed })),
    ),
  ].map((req) => buildOf(generateOffline(req, content)));

  it('Sage and Acolyte characters get their Magic Initiate spells from the background list', () => {
    const origin = drafts.filter((b) => b.background === 'sage' || b.background === 'acolyte');
    expect(origin.length).toBeGreaterThan(0);
    for (const b of origin) {
      const list = content.backgrounds.get(b.background)?.featOption ?? '';
      const mi = b.grantedSpells?.find((g) => g.source.kind === 'feat' && g.source.id === 'magic-initiate');
      expect(mi, b.name).toBeDefined();
      expect(mi?.cantrips).toHaveLength(2);
      expect(mi?.spells).toHaveLength(1);
      for (const id of [...(mi?.cantrips ?? []), ...(mi?.spells ?? [])])
        expect(content.spellLists.get(list)?.has(id), `${id} on the ${list} list`).toBe(true);
      expect(validate(b, content).issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('Humans get the Origin feat of their Versatile trait (no spell-list feat), and validate sees no extra feat', () => {
    let humans = 0;
    for (let seed = 1; seed <= 30 && humans < 8; seed++) {
      const d = generateOffline({ concept: 'a human sellsword', level: 2, seed }, content);
      const b = buildOf(d);
      if (b.species !== 'human') continue;
      humans++;
      const origin = b.feats.filter((id) => content.feats.get(id)?.category === 'origin');
      expect(origin.length, `seed ${seed}`).toBe(2);
      const bgFeat = content.backgrounds.get(b.background)?.feat;
      expect(origin.filter((id, i) => id !== bgFeat || origin.indexOf(id) !== i)).not.toContain(
        'magic-initiate',
      );
      const v = validate(b, content);
      expect(v.issues.filter((i) => i.code === 'too-many-feats')).toEqual([]);
      expect(v.valid).toBe(true);
    }
    expect(humans).toBeGreaterThanOrEqual(8);
  });

  it('Warlocks get their Eldritch Invocations and Mystic Arcanum, and validate accepts them', () => {
    for (const [level, arcanum] of [
      [1, 0],
      [5, 0],
      [13, 2],
      [20, 4],
    ] as const) {
      const b = buildOf(
        generateOffline({ concept: 'a warlock bound to a devil', level, seed: level }, content),
      );
      expect(b.invocations?.length, `level ${level}`).toBe(invocationSlots(content, level));
      expect(b.mysticArcanum ?? []).toHaveLength(arcanum);
      expect(validate(b, content).issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('High Elves get their lineage cantrip, Detect Magic from level 3 and Misty Step from level 5', () => {
    const elves = drafts.filter((b) => b.lineage === 'high-elf');
    expect(elves.length).toBeGreaterThan(0);
    for (const b of elves) {
      const level = b.classes.reduce((n, c) => n + c.level, 0);
      expect(b.grantedSpells).toContainEqual({
        source: { kind: 'lineage', id: 'high-elf' },
        cantrips: ['prestidigitation'],
        spells: level >= 5 ? ['detect-magic', 'misty-step'] : level >= 3 ? ['detect-magic'] : [],
      });
      expect(validate(b, content).issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
    expect(elves.some((b) => b.classes.reduce((n, c) => n + c.level, 0) >= 5)).toBe(true);
  });
});

describe('generateOffline: multiclass', () => {
  it.each([
    ['a fighter wizard', ['fighter', 'wizard']],
    ['a paladin warlock bound to a devil', ['paladin', 'warlock']],
    ['a ranger druid', ['ranger', 'druid']],
    ['a monk cleric', ['monk', 'cleric']],
  ])('%s splits levels between %j when the scores allow it', (concept, pair) => {
    for (const level of [3, 8, 20]) {
      const build = buildOf(generateOffline({ concept, seed: level, level }, content));
      expect(build.classes.map((c) => c.class).sort()).toEqual([...pair].sort());
      expect(build.classes.reduce((n, c) => n + c.level, 0)).toBe(level);
      expect(checkInvariants(build, content)).toEqual([]);
      expect(validate(build, content).issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('stays single-class below level 3', () => {
    expect(
      buildOf(generateOffline({ concept: 'a fighter wizard', seed: 1, level: 2 }, content)).classes,
    ).toHaveLength(1);
  });
});

describe('generateOffline: narrative, lore and elements', () => {
  const draft = generateOffline(
    { concept: 'an elven wizard obsessed with fire', seed: 11, level: 5 },
    content,
  );
  const build = buildOf(draft);

  it('fills every narrative field', () => {
    const n = draft.narrative;
    for (const list of [n.personality, n.ideals, n.bonds, n.flaws, n.fears, n.secrets, n.motivations])
      expect(list.length).toBeGreaterThan(0);
    expect(n.backstory.length).toBeGreaterThan(40);
    expect(n.relationships.length).toBeGreaterThan(0);
    expect(n.appearance.length).toBeGreaterThan(10);
  });

  it('lists every build element with an SRD id and gives lore to each weapon, armor, spell, feature and the tradition', () => {
    const ids = new Set(draft.elements.map((e) => `${e.kind}:${e.id ?? ''}`));
    expect(ids.has(`species:${build.species}`)).toBe(true);
    expect(ids.has(`background:${build.background}`)).toBe(true);
    for (const c of build.classes) expect(ids.has(`class:${c.class}`)).toBe(true);
    for (const f of build.feats) expect(ids.has(`feat:${f}`)).toBe(true);
    for (const e of build.equipment) expect(ids.has(`item:${e.item}`)).toBe(true);
    const loreNames = new Set(draft.lore.map((l) => l.element));
    for (const s of build.spells ?? []) {
      for (const id of [...s.cantrips, ...s.prepared]) {
        expect(ids.has(`spell:${id}`)).toBe(true);
        expect(loreNames.has(content.spells.get(id)?.name ?? '')).toBe(true);
      }
    }
    for (const e of draft.elements) {
      const item = e.kind === 'item' ? content.items.get(e.id ?? '') : undefined;
      if (item && item.kind === 'gear') continue;
      expect(loreNames.has(e.name), e.name).toBe(true);
    }
    const cls = content.classes.get(build.classes[0]?.class ?? '');
    for (const id of featureCounts(cls ?? ({ levels: [], features: [] } as never), 5).keys()) {
      if (isSlotFeature(id)) continue;
      const name = cls?.features.find((f) => f.id === id)?.name;
      if (name) expect(loreNames.has(name), name).toBe(true);
    }
    expect(draft.lore.some((l) => l.kind === 'tradition')).toBe(true);
  });

  it('keeps typical drafts (levels 1–5) within 1,500 output tokens (chars / 4)', () => {
    const sizes: number[] = [];
    for (const req of TEST_CONCEPTS.filter((r) => r.kind !== 'monster')) {
      for (const level of [1, 3, 5])
        sizes.push(estimateTokens(withoutIds(generateOffline({ ...req, level }, content))));
    }
    for (const req of TEST_CONCEPTS.filter((r) => r.kind === 'monster'))
      sizes.push(estimateTokens(generateOffline(req, content)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1500);
  });
});

describe('generateOffline: input errors and partial content', () => {
  it.each([
    [{ concept: '', seed: 1 }, 'concept'],
    [{ concept: 'x', seed: 1, level: 0 }, 'level'],
    [{ concept: 'x', seed: 1, level: 21 }, 'level'],
    [{ concept: 'x', seed: 1.5 }, 'seed'],
    [{ concept: 'x', seed: 1, kind: 'dragon' }, 'kind'],
  ])('rejects %j naming %s', (req, field) => {
    expect(() => generateOffline(req as never, content)).toThrow(new RegExp(`"${field}"`));
  });

  it('still builds valid characters from reduced content (one class, one species)', () => {
    const pick = <T extends { id: string }>(m: ReadonlyMap<string, T>, ids: string[]): T[] =>
      [...m.values()].filter((x) => ids.includes(x.id));
    const data: ContentData = {
      species: pick(content.species, ['human']),
      backgrounds: [...content.backgrounds.values()],
      classes: pick(content.classes, ['fighter']),
      subclasses: [...content.subclasses.values()].filter((s) => s.class === 'fighter'),
      feats: [...content.feats.values()],
      items: [...content.items.values()],
      spells: [...content.spells.values()],
      creatures: [],
    };
    const small = indexContent(data);
    const d = generateOffline({ concept: 'an old wizard', seed: 1, level: 6 }, small);
    expect(buildOf(d).classes[0]?.class).toBe('fighter');
    expect(validate(buildOf(d), small).issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(() => generateOffline({ concept: 'a wolf', seed: 1, kind: 'monster' }, small)).toThrow(
      /no creatures/,
    );
  });
});
