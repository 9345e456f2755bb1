/**
 * The character pipeline without model time. An "instant" provider answers from drafts computed beforehand by the
 * offline generator, so the figures cover the router, zod validation, name resolution, balance checks, repair,
 * validate, derive, CR and the store commits (in-memory store) — not the generator or a model. Also: output
 * tokens of the model-facing draft JSON. Run with `pnpm bench pipeline`.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LlmRouter, ProceduralProvider, characterCreatePrompt } from '@loreforge/llm';
import { createCore } from '../src/core';
import { loadSrdContent } from '../src/content/load-srd';
import { TEST_CONCEPTS } from '../src/generation/concepts.fixture';
import { estimateTokens, generateOffline } from '../src/generation/index';
import {
  CharacterDraftSchema,
  createPipeline,
  draftToAnswer,
  fencedText,
  processCharacter,
  type CharacterDraft,
} from '../src/pipeline/index';
import { type BenchResult } from './common';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const ms = (n: number) => Math.round(n * 100) / 100;

export async function run(): Promise<BenchResult[]> {
  const content = loadSrdContent();
  const concepts = TEST_CONCEPTS.filter((c) => c.kind !== 'monster');
  const answers = new Map<string, CharacterDraft>();
  for (const c of concepts)
    answers.set(c.concept, draftToAnswer(generateOffline(c, content), content) as CharacterDraft);

  // Output size of what a model must write: compact JSON of the character drafts.
  const tokens = [...answers.values()].map((a) => estimateTokens(a)).sort((a, b) => a - b);
  const meanTokens = tokens.reduce((s, t) => s + t, 0) / tokens.length;

  // processCharacter alone (resolve → balance → repair → validate → derive → CR), no store.
  const processTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const c of concepts) {
      const draft = answers.get(c.concept) as CharacterDraft;
      const t0 = performance.now();
      processCharacter(draft, c.kind === 'npc' ? 'npc' : 'pc', content);
      if (round > 0) processTimes.push(performance.now() - t0);
    }
  }
  processTimes.sort((a, b) => a - b);

  // createDraft end to end through the router with an instant provider and an in-memory store.
  const instant = new ProceduralProvider({
    id: 'instant',
    model: 'precomputed',
    generate: (req) => {
      const concept = fencedText(req.messages.map((m) => m.content).join('\n'), 'concept') ?? '';
      return answers.get(concept);
    },
  });
  const router = new LlmRouter({
    config: { providers: { instant: { kind: 'offline' } }, routes: { default: { provider: 'instant' } } },
    providers: { instant },
  });
  // Router + zod validation + processCharacter, no store: the pipeline itself.
  const routedTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const c of concepts) {
      const prompt = characterCreatePrompt.build({
        concept: c.concept,
        kind: c.kind === 'npc' ? 'npc' : 'pc',
        ...(c.level === undefined ? {} : { level: c.level }),
      });
      const t0 = performance.now();
      const r = await router.generateObject('character.create', {
        schema: CharacterDraftSchema,
        system: prompt.system,
        messages: prompt.messages,
      });
      processCharacter(r.object, c.kind === 'npc' ? 'npc' : 'pc', content);
      if (round > 0) routedTimes.push(performance.now() - t0);
    }
  }
  routedTimes.sort((a, b) => a - b);

  const core = await createCore({ dataDir: null });
  const pipeline = createPipeline(core, { llm: router, content });
  const createTimes: number[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      for (const c of concepts) {
        const t0 = performance.now();
        await pipeline.createDraft({
          concept: c.concept,
          kind: c.kind === 'npc' ? 'npc' : 'pc',
          ...(c.level === undefined ? {} : { level: c.level }),
        });
        if (round > 0) createTimes.push(performance.now() - t0);
      }
    }
  } finally {
    await core.close();
  }
  createTimes.sort((a, b) => a - b);

  return [
    {
      name: 'createDraft without model time (instant provider, in-memory store): p95',
      value: ms(percentile(createTimes, 95)),
      unit: 'ms',
      goal: '≤ 50 ms',
      detail: `p50 ${ms(percentile(createTimes, 50))} ms, max ${ms(createTimes.at(-1) ?? 0)} ms, n=${createTimes.length}; includes 4 store writes (import, branch, default, commit); load average ${(loadavg()[0] ?? 0).toFixed(1)}`,
    },
    {
      name: 'router + schema validation + processCharacter, no store: p95',
      value: ms(percentile(routedTimes, 95)),
      unit: 'ms',
      goal: '≤ 50 ms',
      detail: `p50 ${ms(percentile(routedTimes, 50))} ms, n=${routedTimes.length}`,
    },
    {
      name: 'processCharacter (resolve, balance, repair, validate, derive, CR): p95',
      value: ms(percentile(processTimes, 95)),
      unit: 'ms',
      detail: `p50 ${ms(percentile(processTimes, 50))} ms, n=${processTimes.length}`,
    },
    {
      name: 'output tokens per character draft (compact JSON chars / 4): mean',
      value: Math.round(meanTokens),
      unit: 'tokens',
      goal: '≤ 1,500',
      detail: `p95 ${percentile(tokens, 95)}, max ${tokens.at(-1) ?? 0}; estimate = JSON characters / 4 (not a tokenizer), ${tokens.length} offline drafts`,
    },
  ];
}
