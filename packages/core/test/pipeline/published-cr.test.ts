import { estimateCr } from '@loreforge/rules-5e';
import { describe, expect, it } from 'vitest';
import { loadSrdContent } from '../../src/content/load-srd';
import { processMonster } from '../../src/pipeline/process';
import { toCreatureChoices } from '../../src/pipeline/schemas';

const content = loadSrdContent();
const narrative = {
  backstory: 'It drags ships under.',
  personality: ['Patient.'],
  ideals: ['Hunger.'],
  bonds: ['The deep.'],
  flaws: ['Greedy.'],
  fears: ['Fire.'],
  secrets: ['Old.'],
  motivations: ['Eat.'],
  relationships: [],
  appearance: 'Vast.',
};

describe('processMonster: official SRD creatures keep their published CR', () => {
  it('the Kraken unchanged (bar name) is CR 23 with its published XP and PB, not the estimate', () => {
    const kraken = content.creatures.get('kraken');
    if (!kraken) throw new Error('no kraken in the SRD content');
    expect(estimateCr(kraken).cr).not.toBe(23);
    const r = processMonster(
      {
        creature: toCreatureChoices({ ...kraken, name: 'The Drowner' }),
        basedOn: 'kraken',
        narrative,
        lore: [],
      },
      content,
    );
    expect(r.creature.cr).toBe(23);
    expect(r.creature.xp).toBe(kraken.xp);
    expect(r.creature.proficiencyBonus).toBe(kraken.proficiencyBonus);
    expect(r.challenge).toMatchObject({ cr: 23, from: 'published' });
  });

  it('a changed stat block is judged by the estimate', () => {
    const kraken = content.creatures.get('kraken');
    if (!kraken) throw new Error('no kraken in the SRD content');
    const weaker = { ...kraken, hp: { average: 100, formula: '10d20' } };
    const r = processMonster(
      { creature: toCreatureChoices(weaker), basedOn: 'kraken', narrative, lore: [] },
      content,
    );
    expect(r.challenge?.from).toBe('stat-block');
    expect(r.creature.cr).toBe(estimateCr(weaker).cr);
  });
});
