/**
 * The CR estimate on independent data: the SRD 5.1 (2014) monsters vendored in `resources/eval/cr-2014/`,
 * taken through the homebrew path a user takes (`challenge_rating` removed, the dnd5eapi converter estimates it)
 * and scored against the printed CR. The 2014 calibration was fitted on the tuning half only; the held-out rate
 * is pinned (the measured value rounded down) so that a change that loses accuracy fails here.
 */
import { describe, expect, it } from 'vitest';
import { load2014Raw, splitByNameHash } from '../../bench/cr-accuracy';
import { loadSrdData } from '../../test/srd';
import { crIndex } from '../encounter/cr';
import { fromDnd5eApiMonster, statBlockRuleset } from '../formats/dnd5eapi';
import { estimateCr } from './index';

const raw = load2014Raw() as (Record<string, unknown> & { name: string })[];
const { tune, heldOut } = splitByNameHash(raw);
/** The SRD spells by id, as the CLI passes them: the converter prices a homebrew caster's spells from them. */
const spells = new Map(loadSrdData().spells.map((s) => [s.id, s]));

/**
 * Share of monsters whose estimate (homebrew path: no challenge_rating) is exact / within one step, with the SRD
 * spell data given to the converter (as the CLI does) or without it.
 */
function homebrewAccuracy(
  list: typeof raw,
  withSpells = true,
): { exact: number; withinOne: number; n: number } {
  let exact = 0;
  let within = 0;
  for (const m of list) {
    const printed = crIndex(fromDnd5eApiMonster(m).cr);
    const { challenge_rating: _cr, xp: _xp, proficiency_bonus: _pb, ...homebrew } = m;
    const notes: string[] = [];
    const estimated = fromDnd5eApiMonster(homebrew, {
      ...(withSpells ? { spells } : {}),
      onNote: (n) => notes.push(n),
    });
    expect(
      notes.some((n) => n.includes('estimated CR')),
      m.name,
    ).toBe(true);
    const d = Math.abs(crIndex(estimated.cr) - printed);
    if (d === 0) exact++;
    if (d <= 1) within++;
  }
  return { exact: exact / list.length, withinOne: within / list.length, n: list.length };
}

describe('CR estimate on the independent 2014 SRD 5.1 monsters', () => {
  it('splits the 334 monsters by name hash into fixed, disjoint halves, forms of one creature together', () => {
    expect(raw).toHaveLength(334);
    expect(tune.length + heldOut.length).toBe(334);
    expect(tune).toHaveLength(148);
    const tuneNames = new Set(tune.map((m) => m.name));
    expect(heldOut.some((m) => tuneNames.has(m.name))).toBe(false);
    const side = (name: string): boolean => tuneNames.has(name);
    const vampireForms = raw.filter((m) => m.name.startsWith('Vampire,')).map((m) => side(m.name));
    expect(vampireForms.length).toBeGreaterThan(1);
    expect(new Set(vampireForms).size).toBe(1);
  });

  it('reads every monster as a 2014 stat block', () => {
    expect(raw.filter((m) => statBlockRuleset(m) !== '2014').map((m) => m.name)).toEqual([]);
  });

  it('held-out half: at least 88% within one step through the homebrew path (pinned)', () => {
    // Measured 88.7 % within one step (165 of 186), 47.8 % exact; 86.6 % without spell data (2026-12-03, the
    // Huber-loss calibration that cross-validation on the tuning half chose). The goal of 90 % is not met.
    const held = homebrewAccuracy(heldOut);
    expect(held.n).toBe(186);
    expect(held.withinOne).toBeGreaterThanOrEqual(0.88);
    expect(held.exact).toBeGreaterThanOrEqual(0.47);
    // Without spell data each slot level counts the DMG's spell damage for its level.
    const noData = homebrewAccuracy(heldOut, false);
    expect(noData.withinOne).toBeGreaterThanOrEqual(0.86);
  });

  it('tuning half: at least 92% within one step through the homebrew path (pinned)', () => {
    const tuned = homebrewAccuracy(tune);
    expect(tuned.n).toBe(148);
    expect(tuned.withinOne).toBeGreaterThanOrEqual(0.92);
  });

  it('the 2014 calibration beats the 2024 one and the plain DMG method on the held-out half', () => {
    const converted = heldOut.map((m) => fromDnd5eApiMonster(m));
    const within = (opts: Parameters<typeof estimateCr>[1]): number =>
      converted.filter((c) => Math.abs(crIndex(estimateCr(c, opts).cr) - crIndex(c.cr)) <= 1).length;
    const r2014 = within({ ruleset: '2014' });
    expect(r2014).toBeGreaterThan(within({ ruleset: '2024' }));
    expect(r2014).toBeGreaterThan(within({ method: 'dmg2014' }));
  });

  it('legendary creatures are no longer far too low (the Lich and the Mummy Lord were CR 9 and 7 for 21 and 15)', () => {
    // Before the 2014 work the homebrew estimate fell 12, 8, 8 and 5 steps short of the printed CR. With the SRD
    // spell data (what the CLI passes) the Lich's Disintegrates are priced (3 steps low with the Huber-loss
    // calibration, 2 before it); the Mummy Lord, whose power is mostly utility spells and legendary actions
    // without damage, is still 4 steps low. Without spell data each slot level counts the DMG's spell damage for
    // that level.
    const maxShort: Record<string, [number, number]> = {
      Lich: [3, 4],
      'Mummy Lord': [4, 4],
      Kraken: [2, 2],
      'Ancient Red Dragon': [2, 2],
    };
    for (const [name, [withData, withoutData]] of Object.entries(maxShort)) {
      const m = raw.find((x) => x.name === name)!;
      const printed = crIndex(fromDnd5eApiMonster(m).cr);
      const { challenge_rating: _cr, ...homebrew } = m;
      const est = crIndex(fromDnd5eApiMonster(homebrew, { spells }).cr);
      expect(Math.abs(printed - est), name).toBeLessThanOrEqual(withData);
      const noData = crIndex(fromDnd5eApiMonster(homebrew).cr);
      expect(Math.abs(printed - noData), `${name} without spell data`).toBeLessThanOrEqual(withoutData);
    }
  });

  it('rejects an unknown ruleset, naming the option', () => {
    const c = fromDnd5eApiMonster(raw[0]!);
    expect(() => estimateCr(c, { ruleset: '5e' as '2014' })).toThrow(/^ruleset: "5e" must be/);
  });

  it('the 2024 SRD creatures keep their accuracy (the default ruleset is unchanged)', () => {
    const srd = loadSrdData().creatures;
    const heldOut2024 = srd.filter((_, i) => i % 2 === 1);
    const within = heldOut2024.filter((c) => Math.abs(crIndex(estimateCr(c).cr) - crIndex(c.cr)) <= 1).length;
    // 92.7% recorded in CONTEXT.md before the 2014 work; one point of slack allowed by the brief.
    expect(within / heldOut2024.length).toBeGreaterThanOrEqual(0.917);
  });
});
