import { z } from 'zod';
import type { Usage } from './types';

export const ModelPriceSchema = z.object({
  /** US dollars per million input (prompt) tokens. */
  inputPerMTok: z.number().nonnegative(),
  /** US dollars per million output (completion) tokens. */
  outputPerMTok: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * A small starting table (list prices in USD per million tokens when this was written).
 * Prices change: pass your own table (router config `prices`) to override or extend it.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'text-embedding-3-small': { inputPerMTok: 0.02, outputPerMTok: 0 },
};

/**
 * Look a model up in the table: exact id first, then the longest key that prefixes it
 * (so `gpt-4o-mini-2024-07-18` prices as `gpt-4o-mini`).
 */
export function findPrice(model: string, prices: PriceTable): ModelPrice | undefined {
  const exact = prices[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}

export function costUsd(inputTokens: number, outputTokens: number, price: ModelPrice): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}

/** Build a Usage, with a cost when a price is known. */
export function makeUsage(inputTokens: number, outputTokens: number, price: ModelPrice | undefined): Usage {
  return price === undefined
    ? { inputTokens, outputTokens }
    : { inputTokens, outputTokens, costUsd: costUsd(inputTokens, outputTokens, price) };
}

export interface UsageTotals {
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum of the costs that were known; `unpricedCalls` counts the calls without a price. */
  costUsd: number;
  unpricedCalls: number;
}

export interface UsageRecord {
  readonly task: string;
  readonly provider: string;
  readonly model: string;
  readonly usage: Usage;
  readonly cached?: boolean;
}

function emptyTotals(): UsageTotals {
  return { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0 };
}

/** Accumulates token usage and cost per task (and overall). Not persisted: core stores what it needs. */
export class UsageMeter {
  readonly #byTask = new Map<string, UsageTotals>();

  record(entry: UsageRecord): void {
    const totals = this.#byTask.get(entry.task) ?? emptyTotals();
    totals.calls += 1;
    if (entry.cached) totals.cachedCalls += 1;
    totals.inputTokens += entry.usage.inputTokens;
    totals.outputTokens += entry.usage.outputTokens;
    if (entry.usage.costUsd === undefined) totals.unpricedCalls += 1;
    else totals.costUsd += entry.usage.costUsd;
    this.#byTask.set(entry.task, totals);
  }

  forTask(task: string): UsageTotals {
    return { ...(this.#byTask.get(task) ?? emptyTotals()) };
  }

  byTask(): Record<string, UsageTotals> {
    return Object.fromEntries([...this.#byTask].map(([task, totals]) => [task, { ...totals }]));
  }

  total(): UsageTotals {
    const sum = emptyTotals();
    for (const t of this.#byTask.values()) {
      sum.calls += t.calls;
      sum.cachedCalls += t.cachedCalls;
      sum.inputTokens += t.inputTokens;
      sum.outputTokens += t.outputTokens;
      sum.costUsd += t.costUsd;
      sum.unpricedCalls += t.unpricedCalls;
    }
    return sum;
  }
}
