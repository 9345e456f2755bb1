import { describe, expect, it } from 'vitest';
import { derive } from '../../src/index';
import { makeBuild, scores } from '../fixtures/builds';
import { loadSrd } from '../srd';

const content = loadSrd();

describe('Draconic Resilience (SRD): +1 HP per Sorcerer level from level 3', () => {
  it('adds 3 at Sorcerer 3 and 1 per Sorcerer level after, not for other classes’ levels', () => {
    const hp = (classes: { class: string; level: number; subclass?: string }[]) =>
      derive(makeBuild({ classes, abilityScores: scores({ con: 10, cha: 16 }) }), content).hitPoints.max;
    const plain3 = hp([{ class: 'sorcerer', level: 3 }]).value;
    const drac3 = hp([{ class: 'sorcerer', level: 3, subclass: 'draconic-sorcery' }]);
    expect(drac3.value - plain3).toBe(3);
    expect(drac3.parts.some((p) => p.source.includes('draconic-resilience') && p.value === 3)).toBe(true);
    const drac5 = hp([{ class: 'sorcerer', level: 5, subclass: 'draconic-sorcery' }]).value;
    const plain5 = hp([{ class: 'sorcerer', level: 5 }]).value;
    expect(drac5 - plain5).toBe(5);
    // Fighter levels on top add their own HP but nothing to the resilience bonus.
    const multi = hp([
      { class: 'sorcerer', level: 3, subclass: 'draconic-sorcery' },
      { class: 'fighter', level: 2 },
    ]).value;
    const multiPlain = hp([
      { class: 'sorcerer', level: 3 },
      { class: 'fighter', level: 2 },
    ]).value;
    expect(multi - multiPlain).toBe(3);
  });
});
