import { describe, expect, it } from 'vitest';
import type { Content } from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import type { DraftChoices } from './draft-schema';
import { generateOffline } from './generate-offline';
import { say } from './story';
import { normalizeName } from './text';

const content: Content = loadSrdContent();

function story(d: DraftChoices): string {
  const n = d.narrative;
  return [n.backstory, n.appearance, ...n.bonds, ...n.fears, ...n.motivations, ...n.personality].join(' ');
}

function pc(concept: string, seed = 1, level = 5, kind: 'pc' | 'npc' = 'pc'): DraftChoices {
  return generateOffline({ concept, kind, level, seed }, content);
}

const words = (text: string, set: readonly string[]) =>
  normalizeName(text)
    .split(' ')
    .filter((w) => set.includes(w)).length;

describe('say: pronouns and verb agreement', () => {
  it('conjugates for he, she and they', () => {
    const t = '{They} carr[y|ies] {their} lute; {they} [are|is] never without {them}.';
    expect(say(t, {}, 'she')).toBe('She carries her lute; she is never without her.');
    expect(say(t, {}, 'he')).toBe('He carries his lute; he is never without him.');
    expect(say(t, {}, 'they')).toBe('They carry their lute; they are never without them.');
  });
});

describe('stories that tell the concept', () => {
  it('uses the concept’s own places, props, events and liege, without copying the concept', () => {
    const concept =
      'a knight sworn to a fallen king, who survived the plague in a harbour town, with a shield';
    for (let seed = 1; seed <= 5; seed++) {
      const d = pc(concept, seed);
      const text = story(d);
      expect(text).toContain('a fallen king');
      expect(text).toContain('the plague');
      expect(text).toContain('harbour town');
      expect(normalizeName(text)).not.toContain(normalizeName(concept));
    }
  });

  it('writes gendered concepts with their pronouns, and unstated ones as they', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const her = story(pc('a gladiator who won her freedom', seed));
      expect(words(her, ['she', 'her'])).toBeGreaterThan(0);
      expect(words(her, ['he', 'him', 'his', 'they', 'them', 'their'])).toBe(0);
      const him = story(pc('a prince who ran away from his throne', seed));
      expect(words(him, ['he', 'him', 'his'])).toBeGreaterThan(0);
      expect(words(him, ['she', 'her', 'they', 'them', 'their'])).toBe(0);
      const them = story(pc('a wandering alchemist', seed));
      expect(words(them, ['she', 'her', 'he', 'him', 'his'])).toBe(0);
    }
  });

  it('stays consistent with the build: small folk are Small, no magic means no fear of one’s power', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const d = pc('a halfling burglar', seed);
      expect(d.narrative.appearance).toMatch(/^Small/);
      expect(d.narrative.appearance).not.toMatch(/\btall\b/i);
      const fighter = pc('a grizzled mercenary soldier', seed, 3);
      expect(fighter.build?.spells ?? []).toHaveLength(0);
      expect(JSON.stringify(fighter.narrative)).not.toMatch(/own power/);
    }
    expect(pc('a tall halfling', 1).narrative.appearance).toMatch(/^Tall for a halfling, with/);
  });

  it('names fit the species, and the rival never shares the hero’s family name', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = pc('a dwarven miner from the deep mines', seed);
      const family = d.build?.name.split(' ').slice(1).join(' ') ?? '';
      expect(family).toMatch(
        /^(Stone|Iron|Anvil|Deep|Gold|Copper|Flint|Granite|Coal|Axe)(hammer|beard|forge|delve|shield|fist|helm|mantle|vein|brow)$/,
      );
      const rival = d.narrative.relationships.find((r) => r.relation === 'rival');
      expect(rival?.name.split(' ').slice(1).join(' ')).not.toBe(family);
    }
  });

  it('famous figures keep their name and their story words', () => {
    const d = pc('Sherlock Holmes', 2);
    expect(d.build?.name).toBe('Sherlock Holmes');
    expect(d.narrative.backstory).toContain('London');
  });

  it('monsters get a monster story (lair, hunger, master), not a PC backstory', () => {
    const d = generateOffline(
      { concept: 'an undead knight cursed to guard a ruined chapel', kind: 'monster', cr: 5, seed: 3 },
      content,
    );
    const text = d.narrative.backstory;
    expect(text).toMatch(/lairs in/);
    expect(text).toMatch(/hungers for/);
    expect(text).toMatch(/answers to/);
    expect(text).toContain('ruined chapel');
    expect(text).not.toMatch(/walks the roads|as a \w+ with more courage/);
    expect(d.creature?.statBlock.type.toLowerCase()).toContain('undead');
  });

  it('NPCs get a place in their community instead of a travelling adventurer’s ending', () => {
    const d = pc('a tavern keeper with a shady past', 2, 2, 'npc');
    expect(d.narrative.backstory).toMatch(/know where to find/);
    expect(d.narrative.backstory).not.toMatch(/wander|sell .* skills|set out on/);
    expect(story(d)).toContain('shady past');
  });
});
