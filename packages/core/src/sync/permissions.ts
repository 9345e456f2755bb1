/**
 * Who may read or write which document kind. The relay enforces this on every message; clients use it to know
 * which documents to open and whether to send their edits.
 */
import type { DocKind } from './doc-names';

export const ROLES = ['dm', 'player', 'spectator'] as const;
export type Role = (typeof ROLES)[number];

/** `none`: the connection is refused; `read`: receives sync, its writes are dropped; `write`: both. */
export type Access = 'none' | 'read' | 'write';

/** What a role gets on a kind: a fixed access, or `owned`/`otherwise` depending on `owns` containing the docId. */
type Rule = Access | { owned: Access; otherwise: Access };

/** The permission table of issue 4 (journals readable by the whole table since issue 9), as data. */
export const PERMISSION_TABLE = {
  campaign: { dm: 'write', player: 'read', spectator: 'read' },
  item: { dm: 'write', player: 'read', spectator: 'read' },
  character: { dm: 'write', player: { owned: 'write', otherwise: 'read' }, spectator: 'read' },
  journal: { dm: 'write', player: { owned: 'write', otherwise: 'read' }, spectator: 'read' },
  dmnotes: { dm: 'write', player: 'none', spectator: 'none' },
  session: { dm: 'write', player: 'read', spectator: 'read' },
  intents: { dm: 'write', player: { owned: 'write', otherwise: 'none' }, spectator: 'none' },
  lore: { dm: 'write', player: 'read', spectator: 'read' },
} as const satisfies Record<DocKind, Record<Role, Rule>>;

export function accessFor(role: Role, kind: DocKind, docId: string, owns: readonly string[]): Access {
  const rule: Rule = PERMISSION_TABLE[kind][role];
  if (typeof rule === 'string') return rule;
  return owns.includes(docId) ? rule.owned : rule.otherwise;
}

/**
 * Kinds a player may create on the relay (the relay records the creator, who then owns the document). Every
 * other kind is created by the DM only.
 */
export const PLAYER_CREATABLE_KINDS: ReadonlySet<DocKind> = new Set<DocKind>(['journal', 'intents']);

export const canRead = (a: Access): boolean => a !== 'none';
export const canWrite = (a: Access): boolean => a === 'write';
