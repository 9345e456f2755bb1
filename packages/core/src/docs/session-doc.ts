/** `session` documents: the public live state of a play session (minimal; live play extends it). */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineDocType, editDoc, initDoc, readDoc } from './doc-type';
import { metaSchema } from './meta';
import type { TransactionOrigin } from './origin';
import type { JsonObject } from './y-json';
import { PublicCombatantSchema } from '../play/schema';

export const SessionDocSchema = z.object({
  meta: metaSchema('session'),
  campaign: z.string().min(1),
  number: z.number().int().nonnegative().default(0),
  status: z.enum(['planned', 'live', 'ended']).default('planned'),
  round: z.number().int().nonnegative().default(0),
  /** Public combatants in initiative order (hidden ones stay in dmnotes). */
  combatants: z.array(PublicCombatantSchema).default([]),
  /** Live play (issue 11): whose turn it is (null while a hidden combatant acts), public log and prompts. */
  active: z.string().nullable().optional(),
  log: z
    .array(
      z.object({
        at: z.number().int().nonnegative(),
        round: z.number().int().nonnegative(),
        text: z.string(),
      }),
    )
    .optional(),
  prompts: z
    .array(
      z.object({
        kind: z.enum(['concentration', 'death-save']),
        combatant: z.string().min(1),
        dc: z.number().int().optional(),
      }),
    )
    .optional(),
});
export type SessionDoc = z.infer<typeof SessionDocSchema>;

export const sessionDocType = defineDocType({
  kind: 'session',
  schema: SessionDocSchema,
  migrations: [{ id: 'session/1', description: 'initial shape', up: (json) => json }],
  summarize: (s) => ({ name: `session ${s.number}`, subkind: s.status }),
  references: () => [],
});

export function createSessionDoc(
  doc: Y.Doc,
  init: { id: string; createdAt: number; campaign: string; number?: number },
  origin: TransactionOrigin,
): SessionDoc {
  return initDoc(
    sessionDocType,
    doc,
    {
      meta: {
        schemaVersion: sessionDocType.currentVersion,
        entity: 'session',
        id: init.id,
        createdAt: init.createdAt,
      },
      campaign: init.campaign,
      number: init.number ?? 0,
    },
    origin,
  );
}

export const readSession = (doc: Y.Doc): SessionDoc => readDoc(sessionDocType, doc);
export const editSession = (
  doc: Y.Doc,
  change: (current: JsonObject) => JsonObject,
  origin: TransactionOrigin,
): SessionDoc => editDoc(sessionDocType, doc, change, origin);
