/** The stat-block view shows the creature's own numbers and the rules engine's CR estimate. */
import { loadSrdContent } from '@loreforge/core';
import { estimateCr, type Creature } from '@loreforge/rules-5e';
import { afterEach, describe, expect, it } from 'vitest';
import { crText, modifier, signed, StatBlockView } from '../src/renderer/src/components/StatBlockView';
import { byLabel, render, type Rendered } from './render';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

function monsterOf(c: Creature) {
  const e = estimateCr(c);
  return {
    statBlock: c,
    challenge: {
      cr: e.cr,
      xp: e.xp,
      defensiveCr: e.defensiveCr,
      offensiveCr: e.offensiveCr,
      method: e.method,
      stored: c.cr,
    },
  };
}

const text = (el: Element) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('StatBlockView', () => {
  const content = loadSrdContent();
  // A legendary creature with saves, skills, resistances/immunities, attacks and save effects.
  const dragon = [...content.creatures.values()].find(
    (c) =>
      c.legendaryActions &&
      Object.keys(c.saves).length > 0 &&
      c.actions.some((a) => a.save) &&
      c.immunities.length > 0,
  );

  it('shows AC, HP, speeds, abilities with modifiers, saves, skills, senses and defenses of the creature', () => {
    expect(dragon).toBeDefined();
    if (!dragon) return;
    const m = monsterOf(dragon);
    r = render(<StatBlockView monster={m} />);
    const c = r.container;
    expect(text(byLabel(c, `Armor Class: ${dragon.ac}`))).toBe(String(dragon.ac));
    expect(text(byLabel(c, `Hit Points: ${dragon.hp.average}`))).toBe(String(dragon.hp.average));
    expect(text(byLabel(c, 'Vitals'))).toContain(dragon.hp.formula);
    const speed = text(c.querySelector('[aria-label^="Speed: "]') as Element);
    expect(speed).toContain(`${dragon.speed.walk} ft.`);
    if (dragon.speed.fly) expect(speed).toContain(`fly ${dragon.speed.fly} ft.`);

    for (const [k, name] of [
      ['str', 'Strength'],
      ['dex', 'Dexterity'],
      ['con', 'Constitution'],
      ['int', 'Intelligence'],
      ['wis', 'Wisdom'],
      ['cha', 'Charisma'],
    ] as const) {
      const score = dragon.abilities[k];
      expect(text(byLabel(c, `${name} score`))).toBe(String(score));
      expect(text(byLabel(c, `${name} modifier`))).toBe(signed(Math.floor((score - 10) / 2)));
      const save = dragon.saves[k];
      expect(text(byLabel(c, `${name} saving throw`))).toBe(
        save === undefined ? signed(modifier(score)) : `${signed(save)}P`,
      );
    }
    for (const [skill, bonus] of Object.entries(dragon.skills)) {
      const label = skill.replace(/-/g, ' ').replace(/\b\w/g, (x) => x.toUpperCase());
      expect(text(byLabel(c, `${label}: ${signed(bonus)}`))).toBe(signed(bonus));
    }
    expect(text(byLabel(c, 'Senses'))).toContain(`passive Perception ${dragon.senses.passivePerception}`);
    if (dragon.senses.darkvision)
      expect(text(byLabel(c, 'Senses'))).toContain(`darkvision ${dragon.senses.darkvision} ft.`);
    const imm = text(byLabel(c, 'Immunities')).toLowerCase();
    for (const t of dragon.immunities) expect(imm).toContain(t);
  });

  it('shows actions with attack bonus, damage and save DC, legendary actions and the CR halves', () => {
    if (!dragon) throw new Error('no legendary SRD creature with saves found');
    const m = monsterOf(dragon);
    r = render(<StatBlockView monster={m} />);
    const c = r.container;
    const attack = dragon.actions.find((a) => a.attack);
    expect(attack).toBeDefined();
    if (attack?.attack) {
      expect(text(byLabel(c, `${attack.name} attack bonus`))).toBe(signed(attack.attack.bonus));
      const first = attack.attack.damage[0];
      if (first)
        expect(text(byLabel(c, `${attack.name} damage`))).toContain(
          `${first.average} (${first.dice}) ${first.type}`,
        );
    }
    const saveAction = dragon.actions.find((a) => a.save);
    if (saveAction?.save)
      expect(text(byLabel(c, `${saveAction.name} save DC`))).toBe(`DC ${saveAction.save.dc}`);

    const legendary = text(byLabel(c, 'Legendary actions'));
    expect(legendary).toContain(`(${dragon.legendaryActions?.uses} per round)`);
    for (const a of dragon.legendaryActions?.actions ?? []) expect(legendary).toContain(a.name);
    for (const t of dragon.traits) expect(text(byLabel(c, 'Traits'))).toContain(t.name);

    expect(text(c.querySelector('[data-testid="monster-cr"]') as Element)).toBe(crText(m.challenge.cr));
    expect(text(byLabel(c, `Defensive CR: ${crText(m.challenge.defensiveCr)}`))).toBe(
      crText(m.challenge.defensiveCr),
    );
    expect(text(byLabel(c, `Offensive CR: ${crText(m.challenge.offensiveCr)}`))).toBe(
      crText(m.challenge.offensiveCr),
    );
    expect(text(byLabel(c, 'Challenge'))).toContain(`${m.challenge.xp.toLocaleString('en')} XP`);
    expect(text(byLabel(c, 'Challenge'))).toMatch(
      m.challenge.method === 'calibrated' ? /calibrated method/ : /DMG 2014/,
    );
  });

  it('writes fractional CRs as fractions', () => {
    expect([0, 0.125, 0.25, 0.5, 3].map(crText)).toEqual(['0', '1/8', '1/4', '1/2', '3']);
  });
});
