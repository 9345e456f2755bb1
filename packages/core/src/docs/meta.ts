import { z } from 'zod';
import type { EntityKind } from './doc-type';

export function metaSchema<K extends EntityKind>(kind: K) {
  return z.object({
    schemaVersion: z.number().int().min(1),
    entity: z.literal(kind),
    id: z.string().uuid(),
    createdAt: z.number().int().nonnegative(),
  });
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
