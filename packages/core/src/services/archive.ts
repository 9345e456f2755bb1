/**
 * Campaign archives: one file holding a campaign's documents, updates, commits, branches and tags.
 *
 * Layout: the line `LOREFORGE-CAMPAIGN-ARCHIVE\n`, one line of JSON header (format version, campaign id and
 * name, payload SHA-256 and size), then the gzipped JSON payload. Import checks the magic line, the header, the
 * checksum and the payload's shape before writing anything, builds the new database beside its final place and
 * renames it in only when complete: a corrupt or foreign file changes nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { CoreError } from '../errors';
import { CAMPAIGN_MIGRATIONS } from '../store/migrations';
import { CampaignStore } from '../store/campaign-store';
import type { CampaignsService } from './campaigns';
import type { Engine } from './engine';

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

const b64 = z.string().transform((s) => new Uint8Array(Buffer.from(s, 'base64')));

const PayloadSchema = z.object({
  migrations: z.array(z.string()),
  docs: z.array(
    z.object({ id: z.string(), entity: z.string(), default_branch: z.string(), created_at: z.number() }),
  ),
  doc_updates: z.array(
    z.object({
      seq: z.number().int(),
      doc_id: z.string(),
      branch: z.string(),
      data: b64,
      origin: z.string(),
      author: z.string(),
      ts: z.number(),
    }),
  ),
  commits: z.array(
    z.object({
      seq: z.number().int(),
      id: z.string(),
      doc_id: z.string(),
      branch: z.string(),
      parents: z.string(),
      author: z.string(),
      message: z.string(),
      ts: z.number(),
      state: b64,
    }),
  ),
  branches: z.array(
    z.object({
      doc_id: z.string(),
      name: z.string(),
      head: z.string(),
      forked_from: z.string().nullable(),
      created_at: z.number(),
    }),
  ),
  tags: z.array(
    z.object({
      doc_id: z.string(),
      name: z.string(),
      commit_id: z.string(),
      kind: z.string(),
      author: z.string(),
      created_at: z.number(),
    }),
  ),
});

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
      let payloadJson: unknown;
      try {
        payloadJson = JSON.parse(gunzipSync(body).toString('utf8'));
      } catch {
        return refuse('archive payload cannot be decompressed');
      }
      const parsed = PayloadSchema.safeParse(payloadJson);
      if (!parsed.success)
        return refuse(`archive payload is invalid at ${parsed.error.issues[0]?.path.join('.') ?? '?'}`);
      const p = parsed.data;
      const known = CAMPAIGN_MIGRATIONS.map((m) => m.id);
      if (!p.migrations.every((id, i) => known[i] === id)) {
        return refuse(
          `archive was written with database migrations [${p.migrations.join(', ')}] this version does not know`,
        );
      }
      const root = p.docs.find((d) => d.id === h.campaignId && d.entity === 'campaign');
      if (!root) return refuse('archive holds no campaign document for its campaign id');
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
          if (p.docs.length) await tx.insertInto('docs').values(p.docs).execute();
          for (const u of p.doc_updates) await tx.insertInto('doc_updates').values(u).execute();
          for (const c of p.commits) await tx.insertInto('commits').values(c).execute();
          if (p.branches.length) await tx.insertInto('branches').values(p.branches).execute();
          if (p.tags.length) await tx.insertInto('tags').values(p.tags).execute();
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
