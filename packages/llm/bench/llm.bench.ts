/**
 * Overhead of the llm layer itself (no model time): JSON extraction, strict-schema adaptation,
 * cache keys, and a full generateObject round trip against the fake servers on loopback
 * (real npm clients, real HTTP, instant answers). Run with `pnpm bench llm`.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { OllamaProvider, OpenAiProvider, cacheKey, extractJson, toStrictJsonSchema } from '../src/index';
import { startFakeOllama, startFakeOpenAi } from '../test/fakes/index';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  detail?: string;
}

const Character = z.object({
  name: z.string(),
  species: z.string(),
  classes: z.array(
    z.object({ name: z.string(), level: z.number().int().min(1).max(20), subclass: z.string().optional() }),
  ),
  background: z.string(),
  abilityScores: z.object({
    str: z.number(),
    dex: z.number(),
    con: z.number(),
    int: z.number(),
    wis: z.number(),
    cha: z.number(),
  }),
  skills: z.array(z.string()),
  equipment: z.array(z.object({ name: z.string(), lore: z.string().optional() })),
  spells: z.array(z.object({ name: z.string(), lore: z.string().optional() })),
  backstory: z.object({
    history: z.string(),
    traits: z.array(z.string()),
    ideals: z.array(z.string()),
    flaws: z.array(z.string()),
  }),
});

const sample = {
  name: 'Mira Vale',
  species: 'Elf',
  classes: [{ name: 'Wizard', level: 5 }],
  background: 'Sage',
  abilityScores: { str: 8, dex: 14, con: 13, int: 17, wis: 12, cha: 10 },
  skills: ['Arcana', 'History', 'Investigation'],
  equipment: Array.from({ length: 12 }, (_, i) => ({
    name: `Item ${i}`,
    lore: 'A keepsake from the river town library. '.repeat(3),
  })),
  spells: Array.from({ length: 15 }, (_, i) => ({
    name: `Spell ${i}`,
    lore: 'Learned from a drowned grimoire. '.repeat(3),
  })),
  backstory: {
    history: 'Raised among scrolls. '.repeat(30),
    traits: ['curious'],
    ideals: ['knowledge'],
    flaws: ['proud'],
  },
};

function perOp(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) / iterations) * 1000;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function roundTrips(call: () => Promise<unknown>, n: number): Promise<number[]> {
  for (let i = 0; i < 10; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return times;
}

export async function run(): Promise<BenchResult[]> {
  const answer = `Here is the character:\n\`\`\`json\n${JSON.stringify(sample, null, 2)}\n\`\`\`\nEnjoy!`;
  const request = {
    schema: Character,
    system: 'sys',
    messages: [{ role: 'user' as const, content: 'concept' }],
  };
  const results: BenchResult[] = [
    {
      name: 'extractJson, fenced ~6 KB answer',
      value: perOp(() => extractJson(answer), 2000),
      unit: 'µs/op',
    },
    {
      name: 'toStrictJsonSchema, character schema, first conversion',
      value: perOp(() => toStrictJsonSchema(Character.extend({})), 500),
      unit: 'µs/op',
    },
    {
      name: 'cacheKey (sha256), character schema',
      value: perOp(() => cacheKey('p', 'm', request), 2000),
      unit: 'µs/op',
    },
  ];

  const ollama = await startFakeOllama();
  const openai = await startFakeOpenAi();
  try {
    ollama.chat.fallback = { content: answer, chunkSize: 64 };
    openai.chat.fallback = { content: JSON.stringify(sample) };
    const o = new OllamaProvider({ host: ollama.url, model: 'm' });
    const a = new OpenAiProvider({ baseURL: openai.baseURL, model: 'm' });
    const n = 200;
    for (const [name, call] of [
      ['generateObject via fake Ollama (stream, 64-char chunks)', () => o.generateObject(request)],
      ['generateObject via fake OpenAI (strict schema)', () => a.generateObject(request)],
    ] as const) {
      const times = await roundTrips(call, n);
      results.push({
        name: `${name}, p95`,
        value: percentile(times, 95),
        unit: 'ms',
        detail: `p50 ${percentile(times, 50).toFixed(2)} ms over ${n} calls, loopback HTTP included`,
      });
    }
  } finally {
    await Promise.all([ollama.close(), openai.close()]);
  }
  return results;
}
