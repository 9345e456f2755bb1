/**
 * Campaign archives: one file holding a campaign's documents, updates, commits, branches and tags.
 *
 * Layout: the line `LOREFORGE-CAMPAIGN-ARCHIVE\n`, one line of JSON header (format version, campaign id and
 * name, payload SHA-256 and size), then the gzipped JSON payload. Import checks the magic line, the header, the
 * checksum and the payload's shape before writing anything, builds the new database beside its final place and
 * renames it in only when complete: a corrupt or foreign file changes nothing.
 *
 * The checksum only proves the file was not damaged: anyone can recompute it. So every row is validated before
 * anything is written (`archiveProblem`): ids match the one entity-id pattern, every row's document exists,
 * commit parents exist and come earlier, branch heads, forks and tags point at commits of their own document,
 * every update and commit state decodes as a Yjs update, and each branch head's state is a document of the row's
 * kind and id. The decompressed payload and the row counts are bounded (`ARCHIVE_LIMITS`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { z } from 'zod';
import { ENTITY_KINDS, rawJson } from '../docs/doc-type';
import { isJsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { ENTITY_ID_PATTERN, isEntityId, isForbiddenKey } from '../input/limits';
import { CAMPAIGN_MIGRATIONS } from '../store/migrations';
import { CampaignStore } from '../store/campaign-store';
import type { CampaignsService } from './campaigns';
import { TAG_KINDS, type Engine } from './engine';

const MAGIC = 'LOREFORGE-CAMPAIGN-ARCHIVE\n';
const FORMAT_VERSION = 1;

const HeaderSchema = z.object({
  format: z.literal('loreforge-campaign'),
  version: z.number().int(),
  campaignId: z.string().uuid(),
  name: z.string(),
  exportedAt: z.number().int(),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  payloadBytes: z.number().int().nonnegative(),
});

/** Bounds on an archive: its file, its decompressed payload, and the rows of any one table. */
export const ARCHIVE_LIMITS = {
  maxFileBytes: 256 * 1024 * 1024,
  maxPayloadBytes: 512 * 1024 * 1024,
  maxRows: 1_000_000,
} as const;

const b64 = z.string().transform((s) => new Uint8Array(Buffer.from(s, 'base64')));
const entityId = z.string().regex(ENTITY_ID_PATTERN, 'is not an entity id (expected a UUID)');
const docId = entityId;
/** Branch and tag names: what `history branch|tag` can create (no control characters, bounded). */
const refName = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'contains control characters');
const rows = <T extends z.ZodType>(row: T) => z.array(row).max(ARCHIVE_LIMITS.maxRows);

const PayloadSchema = z.object({
  migrations: z.array(z.string()).max(1000),
  docs: rows(
    z.object({
      id: docId,
      entity: z.enum(ENTITY_KINDS),
      default_branch: refName,
      created_at: z.number(),
    }),
  ),
  doc_updates: rows(
    z.object({
      seq: z.number().int(),
      doc_id: docId,
      branch: refName,
      data: b64,
      origin: z.string(),
      author: z.string(),
      ts: z.number(),
    }),
  ),
  commits: rows(
    z.object({
      seq: z.number().int(),
      id: entityId,
      doc_id: docId,
      branch: refName,
      parents: z.string(),
      author: z.string(),
      message: z.string(),
      ts: z.number(),
      state: b64,
      /** Added by campaign migration 0002 (live history); absent in older archives. */
      state_vector: b64.nullable().default(null),
      changes: z.string().nullable().default(null),
    }),
  ),
  branches: rows(
    z.object({
      doc_id: docId,
      name: refName,
      head: entityId,
      forked_from: entityId.nullable(),
      created_at: z.number(),
    }),
  ),
  tags: rows(
    z.object({
      doc_id: docId,
      name: refName,
      commit_id: entityId,
      kind: z.enum(TAG_KINDS),
      author: z.string(),
      created_at: z.number(),
    }),
  ),
});
type Payload = z.output<typeof PayloadSchema>;

/** `rows` in slices of at most `size` (none for an empty list). */
function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * What is wrong with a stored document state, or null: it does not decode as a Yjs update, or it holds a
 * forbidden key (`__proto__`, `constructor`, `prototype`) as a map key or inside a stored value. Reads the decoded
 * structs (each map entry's key is its `parentSub`) without applying them, iteratively.
 */
function stateProblem(state: Uint8Array): string | null {
  let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
  try {
    structs = Y.decodeUpdate(state).structs;
  } catch {
    return 'is not a Yjs update';
  }
  const refuse = (k: string) => `holds the key "${k}", which is not allowed`;
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    if (s.parentSub !== null && isForbiddenKey(s.parentSub)) return refuse(s.parentSub);
    const values =
      s.content instanceof Y.ContentAny || s.content instanceof Y.ContentJSON ? s.content.getContent() : [];
    const stack: unknown[] = [...values];
    while (stack.length) {
      const v = stack.pop();
      if (Array.isArray(v)) stack.push(...(v as unknown[]));
      else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
        for (const k of Object.keys(v)) {
          if (isForbiddenKey(k)) return refuse(k);
          stack.push((v as Record<string, unknown>)[k]);
        }
      }
    }
  }
  return null;
}

/**
 * The first inconsistency among an archive's rows (as a sentence naming the table, the row and the reason), or
 * null. Runs before anything is written.
 */
export function archiveProblem(p: Payload, campaignId: string): string | null {
  const docs = new Map<string, Payload['docs'][number]>();
  for (const [i, d] of p.docs.entries()) {
    if (docs.has(d.id)) return `docs[${i}]: document ${d.id} appears twice`;
    docs.set(d.id, d);
  }
  const root = docs.get(campaignId);
  if (!root || root.entity !== 'campaign') return 'archive holds no campaign document for its campaign id';
  const commits = new Map<string, { doc: string; seq: number; state: Uint8Array }>();
  for (const [i, c] of p.commits.entries()) {
    const at = `commits[${i}] (${c.id})`;
    if (commits.has(c.id)) return `${at}: commit id appears twice`;
    if (!docs.has(c.doc_id)) return `${at}: its document ${c.doc_id} is not in the archive`;
    let parents: unknown;
    try {
      parents = JSON.parse(c.parents) as unknown;
    } catch {
      return `${at}: parents are not a JSON list`;
    }
    if (!Array.isArray(parents) || parents.length > 16 || !parents.every(isEntityId))
      return `${at}: parents must be a list of at most 16 commit ids`;
    for (const parent of parents) {
      const pc = commits.get(parent);
      if (!pc) return `${at}: parent ${parent} is not an earlier commit of the archive`;
      if (pc.doc !== c.doc_id) return `${at}: parent ${parent} belongs to another document`;
    }
    const bad = stateProblem(c.state);
    if (bad !== null) return `${at}: its state ${bad}`;
    commits.set(c.id, { doc: c.doc_id, seq: c.seq, state: c.state });
  }
  const commitOf = (id: string | null, doc: string) => id === null || commits.get(id)?.doc === doc;
  const branches = new Set<string>();
  for (const [i, b] of p.branches.entries()) {
    const at = `branches[${i}] (${b.doc_id} ${b.name})`;
    if (!docs.has(b.doc_id)) return `${at}: its document is not in the archive`;
    if (branches.has(`${b.doc_id}\u0000${b.name}`)) return `${at}: branch appears twice`;
    branches.add(`${b.doc_id}\u0000${b.name}`);
    if (!commitOf(b.head, b.doc_id)) return `${at}: head ${b.head} is not a commit of this document`;
    if (!commitOf(b.forked_from, b.doc_id))
      return `${at}: forked_from ${b.forked_from} is not a commit of this document`;
  }
  for (const [i, t] of p.tags.entries()) {
    const at = `tags[${i}] (${t.doc_id} ${t.name})`;
    if (!docs.has(t.doc_id)) return `${at}: its document is not in the archive`;
    if (!commitOf(t.commit_id, t.doc_id))
      return `${at}: commit ${t.commit_id} is not a commit of this document`;
  }
  for (const [i, u] of p.doc_updates.entries()) {
    const at = `doc_updates[${i}] (${u.doc_id} ${u.branch})`;
    if (!docs.has(u.doc_id)) return `${at}: its document is not in the archive`;
    if (!branches.has(`${u.doc_id}\u0000${u.branch}`) && u.branch !== docs.get(u.doc_id)?.default_branch)
      return `${at}: branch ${u.branch} is not in the archive`;
    const badUpdate = stateProblem(u.data);
    if (badUpdate !== null) return `${at}: its data ${badUpdate}`;
  }
  for (const d of docs.values()) {
    const heads = p.branches.filter((b) => b.doc_id === d.id);
    if (heads.length > 0 && !heads.some((b) => b.name === d.default_branch))
      return `docs (${d.id}): default branch ${d.default_branch} is not in the archive`;
    for (const b of heads) {
      const state = commits.get(b.head)?.state as Uint8Array;
      const doc = new Y.Doc();
      try {
        Y.applyUpdate(doc, state);
        const meta = rawJson(doc)['meta'];
        const id = isJsonObject(meta) ? meta['id'] : undefined;
        // A companion document of the campaign (its DM notes) is stored under its own id and carries the campaign's.
        const sameId = id === d.id || (id === campaignId && d.entity !== 'campaign');
        if (!isJsonObject(meta) || !sameId || meta['entity'] !== d.entity)
          return `branches (${d.id} ${b.name}): the head's document is not the ${d.entity} ${d.id}`;
      } catch (err) {
        return `branches (${d.id} ${b.name}): the head's state cannot be read (${(err as Error).message})`;
      } finally {
        doc.destroy();
      }
    }
  }
  return null;
}

export interface ArchiveService {
  export(
    campaignId: string,
    outFile: string,
  ): Promise<{ id: string; file: string; bytes: number; sha256: string }>;
  import(file: string): Promise<{ id: string; name: string; entities: number }>;
}

const enc = (u: Uint8Array) => Buffer.from(u).toString('base64');

export function createArchiveService(engine: Engine, campaigns: CampaignsService): ArchiveService {
  return {
    async export(campaignId, outFile) {
      const info = await campaigns.get(campaignId);
      const store = await engine.campaignStore(campaignId);
      const payload = await store.transaction(async (tx) => ({
        migrations: (await tx.selectFrom('_migrations').select('id').orderBy('id').execute()).map(
          (r) => r.id,
        ),
        docs: await tx.selectFrom('docs').selectAll().orderBy('id').execute(),
        doc_updates: (await tx.selectFrom('doc_updates').selectAll().orderBy('seq').execute()).map((r) => ({
          ...r,
          data: enc(r.data),
        })),
        commits: (await tx.selectFrom('commits').selectAll().orderBy('seq').execute()).map((r) => ({
          ...r,
          state: enc(r.state),
          state_vector: r.state_vector ? enc(r.state_vector) : null,
        })),
        branches: await tx.selectFrom('branches').selectAll().orderBy('doc_id').orderBy('name').execute(),
        tags: await tx.selectFrom('tags').selectAll().orderBy('doc_id').orderBy('name').execute(),
      }));
      const body = gzipSync(Buffer.from(JSON.stringify(payload), 'utf8'));
      const sha256 = createHash('sha256').update(body).digest('hex');
      const header = {
        format: 'loreforge-campaign',
        version: FORMAT_VERSION,
        campaignId,
        name: info.name,
        exportedAt: engine.now(),
        payloadSha256: sha256,
        payloadBytes: body.length,
      };
      const file = Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8'), body]);
      writeFileSync(`${outFile}.partial`, file);
      renameSync(`${outFile}.partial`, outFile);
      return { id: campaignId, file: outFile, bytes: file.length, sha256 };
    },

    async import(file) {
      const refuse = (why: string): never => {
        throw new CoreError('archive-invalid', `${file}: ${why}; nothing was imported`);
      };
      let bytes: Buffer;
      try {
        if (statSync(file).size > ARCHIVE_LIMITS.maxFileBytes)
          return refuse(`larger than ${ARCHIVE_LIMITS.maxFileBytes} bytes`);
        bytes = readFileSync(file);
      } catch (err) {
        return refuse(`cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC)))
        return refuse('not a Loreforge campaign archive');
      const nl = bytes.indexOf(0x0a, MAGIC.length);
      if (nl < 0) return refuse('archive header is missing');
      let headerJson: unknown;
      try {
        headerJson = JSON.parse(bytes.subarray(MAGIC.length, nl).toString('utf8'));
      } catch {
        return refuse('archive header is not valid JSON');
      }
      const header = HeaderSchema.safeParse(headerJson);
      if (!header.success)
        return refuse(`archive header is invalid at ${header.error.issues[0]?.path.join('.') ?? '?'}`);
      const h = header.data;
      if (h.version !== FORMAT_VERSION)
        return refuse(`archive format version ${h.version} is not supported (expected ${FORMAT_VERSION})`);
      const body = bytes.subarray(nl + 1);
      if (body.length !== h.payloadBytes)
        return refuse(`archive is truncated or padded (${body.length} bytes, header says ${h.payloadBytes})`);
      if (createHash('sha256').update(body).digest('hex') !== h.payloadSha256)
        return refuse('archive is corrupt (checksum mismatch)');
      let text: string;
      try {
        text = gunzipSync(body, { maxOutputLength: ARCHIVE_LIMITS.maxPayloadBytes }).toString('utf8');
      } catch (err) {
        return refuse(
          (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
            ? `archive payload decompresses to more than ${ARCHIVE_LIMITS.maxPayloadBytes} bytes`
            : 'archive payload cannot be decompressed',
        );
      }
      let payloadJson: unknown;
      try {
        payloadJson = JSON.parse(text);
      } catch {
        return refuse('archive payload is not valid JSON');
      }
      const parsed = PayloadSchema.safeParse(payloadJson);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refuse(
          `archive payload is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
        );
      }
      const p = parsed.data;
      const known = CAMPAIGN_MIGRATIONS.map((m) => m.id);
      if (!p.migrations.every((id, i) => known[i] === id)) {
        return refuse(
          `archive was written with database migrations [${p.migrations.join(', ')}] this version does not know`,
        );
      }
      const problem = archiveProblem(p, h.campaignId);
      if (problem) return refuse(`archive is inconsistent: ${problem}`);
      if (await engine.library.campaign(h.campaignId)) {
        throw new CoreError(
          'conflict',
          `campaign ${h.campaignId} ("${h.name}") already exists in this data folder; nothing was imported`,
        );
      }
      for (const d of p.docs) {
        if (await engine.library.home(d.id)) {
          throw new CoreError(
            'conflict',
            `${d.entity} ${d.id} already exists in this data folder; nothing was imported`,
          );
        }
      }

      const finalFile = engine.backend.campaignFile(h.campaignId);
      const building = engine.backend.kind === 'file' ? `${finalFile}.importing` : finalFile;
      if (engine.backend.kind === 'file') {
        if (existsSync(finalFile))
          throw new CoreError('conflict', `${finalFile} already exists; nothing was imported`);
        for (const s of ['', '-wal', '-shm']) rmSync(`${building}${s}`, { force: true });
      }
      let store: CampaignStore | undefined;
      try {
        store = await CampaignStore.open(h.campaignId, building, engine.now());
        const s = store;
        await s.transaction(async (tx) => {
          // Multi-row inserts in chunks: one statement per table would pass SQLite's bound-variable limit
          // (32,766) for a campaign with a few thousand documents, branches or tags.
          for (const rows of chunks(p.docs)) await tx.insertInto('docs').values(rows).execute();
          for (const u of p.doc_updates) await tx.insertInto('doc_updates').values(u).execute();
          for (const c of p.commits) await tx.insertInto('commits').values(c).execute();
          for (const rows of chunks(p.branches)) await tx.insertInto('branches').values(rows).execute();
          for (const rows of chunks(p.tags)) await tx.insertInto('tags').values(rows).execute();
          for (const d of p.docs) await engine.refreshProjection(s, d.id, tx);
        });
        if (engine.backend.kind === 'file') {
          await s.close();
          store = undefined;
          renameSync(building, finalFile);
        }
      } catch (err) {
        if (store) await store.close();
        if (engine.backend.kind === 'file')
          for (const s of ['', '-wal', '-shm']) rmSync(`${building}${s}`, { force: true });
        if (err instanceof CoreError) throw err;
        return refuse(`archive content could not be stored (${(err as Error).message})`);
      }
      await engine.library.db
        .insertInto('campaigns')
        .values({
          id: h.campaignId,
          name: h.name,
          file: engine.backend.campaignFileName(h.campaignId),
          is_library: 0,
          created_at: engine.now(),
        })
        .execute();
      if (store) engine.adoptStore(store);
      for (const d of p.docs) await engine.library.setHome(d.id, h.campaignId, d.entity);
      return { id: h.campaignId, name: h.name, entities: p.docs.length };
    },
  };
}
