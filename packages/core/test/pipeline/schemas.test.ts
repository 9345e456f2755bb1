import { toStrictJsonSchema } from '@loreforge/llm';
import { describe, expect, it } from 'vitest';
import { estimateTokens, generateOffline } from '../../src/generation/index';
import { loadSrdContent } from '../../src/content/load-srd';
import {
  CharacterDraftSchema,
  MonsterDraftSchema,
  RefinePatchSchema,
  RethemeSchema,
  draftToAnswer,
  type CharacterDraft,
} from '../../src/pipeline/index';

describe('model-facing schemas', () => {
  it('every pipeline schema converts to an OpenAI strict JSON schema', () => {
    for (const schema of [CharacterDraftSchema, MonsterDraftSchema, RefinePatchSchema, RethemeSchema]) {
      const json = toStrictJsonSchema(schema).schema as { type?: string; additionalProperties?: boolean };
      expect(json.type).toBe('object');
      expect(json.additionalProperties).toBe(false);
    }
  });

  it('offline answers pass the schemas and a typical draft stays within the 1,500-token goal', () => {
    const content = loadSrdContent();
    const pc = draftToAnswer(
      generateOffline({ concept: 'an elven wizard', level: 5, seed: 1 }, content),
      content,
    );
    expect(CharacterDraftSchema.safeParse(pc).success).toBe(true);
    expect(estimateTokens(pc)).toBeLessThanOrEqual(1500);
    // Elements carry only names that differ from the SRD name; the build already names the rest.
    const answer = pc as CharacterDraft;
    const srdNames = [
      ...answer.build.equipment.map((e) => content.items.get(e.item)?.name),
      ...(answer.build.spells ?? []).flatMap((s) =>
        [...s.cantrips, ...s.prepared].map((id) => content.spells.get(id)?.name),
      ),
    ].filter((n): n is string => n !== undefined);
    expect(srdNames.length).toBeGreaterThan(5);
    for (const e of answer.elements)
      expect(srdNames.map((n) => n.toLowerCase())).not.toContain(e.name.toLowerCase());
    const monster = draftToAnswer(
      generateOffline({ concept: 'a swamp troll', kind: 'monster', cr: 5, seed: 1 }, content),
      content,
    );
    expect(MonsterDraftSchema.safeParse(monster).success).toBe(true);
  });
});
