import { z } from 'zod';
import type { ProgressEvent, Sleep } from '../src/index';

export const HeroSchema = z.object({
  name: z.string().min(1),
  className: z.string().min(1),
  level: z.number().int().min(1).max(20),
  scores: z.object({ str: z.number().int(), dex: z.number().int() }),
  spells: z.array(z.string()),
  epithet: z.string().optional(),
});
export type Hero = z.infer<typeof HeroSchema>;

export const GOOD_HERO: Hero = {
  name: 'Mira Vale',
  className: 'Wizard',
  level: 3,
  scores: { str: 8, dex: 14 },
  spells: ['Magic Missile', 'Shield'],
};

export const SYSTEM = 'You design characters. Answer with JSON.';
export const MESSAGES = [{ role: 'user' as const, content: 'A bookish wizard from a river town.' }];

/** A `sleep` that records the delays and returns at once: no real waiting in tests. */
export function recordingSleep(): { delays: number[]; sleep: Sleep } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms, signal) => {
      delays.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
  };
}

export function progressLog(): { events: ProgressEvent[]; onProgress: (e: ProgressEvent) => void } {
  const events: ProgressEvent[] = [];
  return { events, onProgress: (e) => events.push(e) };
}

/** Await a promise that must reject, returning the error for assertions. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
