import { BuildSchema, repair } from '@loreforge/rules-5e';
import { describe, expect, it } from 'vitest';
import { loadSrdContent } from '../../src/content/load-srd';
import { characterToCreature, processBuild } from '../../src/pipeline/process';
import { derive } from '@loreforge/rules-5e';
import { build } from '../helpers';

const content = loadSrdContent();

function npc(classes: { class: string; level: number; subclass?: string }[], scores: Record<string, number>) {
  const b = repair(BuildSchema.parse(build({ classes, abilityScores: scores as never })), content).build;
  return {
    b,
    creature: characterToCreature(b, derive(b, content), content),
    cr: processBuild(b, [], [], 'npc', content).challenge?.cr ?? 0,
  };
}

describe('NPC CR counts class features', () => {
  it('a level-18 monk strikes with Martial Arts and Flurry of Blows and is well above CR 5', () => {
    const { creature, cr } = npc([{ class: 'monk', level: 18 }], {
      str: 10,
      dex: 20,
      con: 14,
      int: 10,
      wis: 18,
      cha: 8,
    });
    const strike = creature.actions.find((a) => a.name === 'Unarmed Strike');
    expect(strike?.attack?.damage[0]?.dice).toBe('1d12+5');
    expect(creature.bonusActions.find((a) => a.name === 'Flurry of Blows')?.multiattack?.[0]?.count).toBe(3);
    expect(cr).toBeGreaterThanOrEqual(7);
  });

  it('rogues add Sneak Attack, barbarians Rage (damage and B/P/S resistance), fighters Action Surge', () => {
    const rogue = npc([{ class: 'rogue', level: 9 }], {
      str: 10,
      dex: 18,
      con: 14,
      int: 12,
      wis: 12,
      cha: 10,
    });
    expect(rogue.creature.bonusActions.find((a) => a.name === 'Sneak Attack')?.attack?.damage[0]?.dice).toBe(
      '5d6',
    );
    const barbarian = npc([{ class: 'barbarian', level: 9 }], {
      str: 18,
      dex: 14,
      con: 16,
      int: 8,
      wis: 12,
      cha: 10,
    });
    expect(barbarian.creature.resistances).toEqual(['bludgeoning', 'piercing', 'slashing']);
    expect(barbarian.creature.traits.map((t) => t.name)).toContain('Rage');
    const fighter = npc([{ class: 'fighter', level: 9 }], {
      str: 18,
      dex: 14,
      con: 16,
      int: 8,
      wis: 12,
      cha: 10,
    });
    expect(fighter.creature.bonusActions.find((a) => a.name === 'Action Surge')?.usage).toEqual({
      type: 'rest',
      rest: 'short',
    });
  });
});
