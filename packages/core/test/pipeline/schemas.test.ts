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
    const pc = draftToAnswer(generateOffline({ concept: 'an elven wizard', level: 5, seed: 1 }, content));
    expect(CharacterDraftSchema.safeParse(pc).success).toBe(true);
    expect(estimateTokens(pc)).toBeLessThanOrEqual(1500);
    const monster = draftToAnswer(
      generateOffline({ concept: 'a swamp troll', kind: 'monster', cr: 5, seed: 1 }, content),
    );
    expect(MonsterDraftSchema.safeParse(monster).success).toBe(true);
  });
});
