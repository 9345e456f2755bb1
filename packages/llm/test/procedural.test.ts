import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmError, ProceduralProvider, hashedEmbedding, type ProceduralRequest } from '../src/index';
import { progressLog, rejection } from './helpers';

/** A tiny deterministic generator: picks a class from keywords and a name from the seed. */
const Npc = z.object({
  name: z.string(),
  className: z.enum(['Fighter', 'Wizard', 'Rogue']),
  level: z.number().int().min(1),
});
const NAMES = ['Ash', 'Brin', 'Cora', 'Dov'];
function tinyGenerator(request: ProceduralRequest) {
  const concept = request.messages
    .map((m) => m.content)
    .join(' ')
    .toLowerCase();
  const className = concept.includes('spell') ? 'Wizard' : concept.includes('sneak') ? 'Rogue' : 'Fighter';
  return { name: NAMES[(request.seed ?? 0) % NAMES.length], className, level: 1 };
}

describe('ProceduralProvider', () => {
  it('sits behind the provider port: same request in, validated result out', async () => {
    const seen: ProceduralRequest[] = [];
    const provider = new ProceduralProvider({
      generate: (r) => {
        seen.push(r);
        return tinyGenerator(r);
      },
    });
    const { events, onProgress } = progressLog();
    const result = await provider.generateObject({
      schema: Npc,
      schemaName: 'npc',
      system: 'sys',
      messages: [{ role: 'user', content: 'a sneaky thief' }],
      seed: 2,
      onProgress,
    });
    expect(result).toEqual({
      object: { name: 'Cora', className: 'Rogue', level: 1 },
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      attempts: 1,
      raw: JSON.stringify({ name: 'Cora', className: 'Rogue', level: 1 }),
      provider: 'offline',
      model: 'procedural',
    });
    expect(seen[0]).toMatchObject({
      system: 'sys',
      seed: 2,
      schemaName: 'npc',
      jsonSchema: { type: 'object' },
    });
    expect(events.map((e) => e.phase)).toEqual(['request', 'validating']);
  });

  it('is deterministic for the same seed', async () => {
    const provider = new ProceduralProvider({ generate: tinyGenerator });
    const request = {
      schema: Npc,
      system: '',
      messages: [{ role: 'user' as const, content: 'casts a spell' }],
      seed: 5,
    };
    const a = await provider.generateObject(request);
    const b = await provider.generateObject(request);
    expect(a).toEqual(b);
    expect(a.object.className).toBe('Wizard');
  });

  it('reports generator output that fails the schema as invalid_output, once', async () => {
    let calls = 0;
    const provider = new ProceduralProvider({
      id: 'offline-v2',
      generate: () => {
        calls++;
        return { name: 'X', className: 'Bard', level: 0 };
      },
    });
    const error = await rejection(provider.generateObject({ schema: Npc, system: '', messages: [] }));
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'invalid_output', provider: 'offline-v2' });
    expect((error as Error).message).toContain('$.className');
    expect((error as Error).message).toContain('$.level');
    expect(calls).toBe(1);
  });

  it('wraps a throwing generator and honours an aborted signal', async () => {
    const provider = new ProceduralProvider({
      generate: () => {
        throw new Error('no table for that');
      },
    });
    const failed = await rejection(provider.generateObject({ schema: Npc, system: '', messages: [] }));
    expect((failed as Error).message).toBe(
      'offline: invalid_output (the generator failed: no table for that)',
    );
    const aborted = await rejection(
      provider.generateObject({ schema: Npc, system: '', messages: [], signal: AbortSignal.abort() }),
    );
    expect(aborted).toMatchObject({ code: 'aborted' });
  });

  it('embeds offline with a normalised hashed bag of words', async () => {
    const provider = new ProceduralProvider({ generate: tinyGenerator, dimensions: 64 });
    const [a, b, c] = await provider.embed(['the red dragon', 'The RED dragon!', 'a quiet library']);
    expect(a).toHaveLength(64);
    expect(a).toEqual(b);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    expect(dot(a ?? [], a ?? [])).toBeCloseTo(1, 10);
    expect(dot(a ?? [], c ?? [])).toBeLessThan(0.5);
    expect(hashedEmbedding('', 4)).toEqual([0, 0, 0, 0]);
  });
});
