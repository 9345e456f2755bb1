/**
 * Transaction origins: every change to a document is made in a transaction whose origin says who made it and
 * how. The store writes the origin kind and author next to each persisted update.
 */
export const ORIGIN_KINDS = ['local-user', 'remote', 'llm', 'import', 'migration'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

export type TransactionOrigin =
  | { kind: 'local-user'; author: string }
  | { kind: 'remote'; author: string }
  | { kind: 'llm'; author: string; model?: string }
  | { kind: 'import'; author: string }
  | { kind: 'migration'; author: string };

export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; author?: unknown };
  return (ORIGIN_KINDS as readonly unknown[]).includes(v.kind) && typeof v.author === 'string';
}

export const migrationOrigin: TransactionOrigin = { kind: 'migration', author: 'loreforge' };

/**
 * How an origin is stored next to a persisted update: its kind, except remote updates, stored as
 * `remote:<user>`; anything that is not a `TransactionOrigin` (a foreign provider) counts as `remote:unknown`.
 */
export function originLabel(origin: unknown): { origin: string; author: string } {
  if (!isTransactionOrigin(origin)) return { origin: 'remote:unknown', author: 'unknown' };
  if (origin.kind === 'remote') return { origin: `remote:${origin.author}`, author: origin.author };
  return { origin: origin.kind, author: origin.author };
}
