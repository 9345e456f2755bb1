/** Kysely table types. Tables with `(projection)` are rebuilt from documents by `rebuildProjections()`. */
import type { Generated } from 'kysely';

export interface MigrationsTable {
  id: string;
  applied_at: number;
}

export interface LibraryDb {
  _migrations: MigrationsTable;
  campaigns: { id: string; name: string; file: string; is_library: number; created_at: number };
  /** (projection) where each entity's document lives. */
  entity_homes: { entity_id: string; campaign_id: string; entity: string };
  /** Truth: this data folder's membership of a shared campaign (no row: local owner). */
  memberships: {
    campaign_id: string;
    role: string;
    user: string;
    /** JSON array of owned doc ids. */
    owns: string;
    relay: string | null;
    token: string | null;
    updated_at: number;
  };
}

export interface CampaignDb {
  _migrations: MigrationsTable;
  /** Truth: one row per document stored in this campaign file. */
  docs: { id: string; entity: string; default_branch: string; created_at: number };
  /** Truth: Yjs updates per document branch, compacted into one `compaction` row at save points. */
  doc_updates: {
    seq: Generated<number>;
    doc_id: string;
    branch: string;
    data: Uint8Array;
    origin: string;
    author: string;
    ts: number;
  };
  /** Truth: commit = the full encoded Yjs state of the doc at a save point. */
  commits: {
    seq: Generated<number>;
    id: string;
    doc_id: string;
    branch: string;
    parents: string;
    author: string;
    message: string;
    ts: number;
    state: Uint8Array;
    /** `Y.encodeStateVector` of `state` (null on commits made before 0002). */
    state_vector: Uint8Array | null;
    /** JSON `[{ origin, author, paths }]`: who changed what since the previous save point (null before 0002). */
    changes: string | null;
  };
  branches: { doc_id: string; name: string; head: string; forked_from: string | null; created_at: number };
  tags: { doc_id: string; name: string; commit_id: string; kind: string; author: string; created_at: number };
  /** (projection) one index row per document, from its default branch. */
  entities: {
    id: string;
    entity: string;
    kind: string | null;
    name: string;
    default_branch: string;
    head: string | null;
    schema_version: number;
    updated_at: number;
  };
  /** (projection) cross-references found in documents' default branches. */
  xrefs: { from_id: string; to_id: string; relation: string; via: string };
}
