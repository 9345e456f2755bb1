/**
 * Semantic search: embeddings of every searchable document (name + text) from Ollama (`nomic-embed-text`) or an
 * OpenAI-compatible server (`text-embedding-3-small`), stored in SQLite (`<dataDir>/memory/embeddings.sqlite`,
 * keyed by document, model and a hash of the text, so only changed documents are embedded again), ranked by
 * cosine similarity. Providers are tried in order (Ollama at `OLLAMA_HOST` or 127.0.0.1:11434, then OpenAI
 * when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set); when none answers, the error says which were tried and why.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { OllamaProvider, OpenAiProvider, type LlmProvider } from '@loreforge/llm';
import { CoreError } from '../errors';
import type { Engine } from '../services/engine';
import type { SearchHit, SearchMemory, SearchFilters } from './search';
import { snippetOf } from './search';

export interface SemanticOptions extends SearchFilters {
  limit?: number;
  env?: Record<string, string | undefined>;
  /** Ready-made providers (tests); else built from `env`. */
  providers?: LlmProvider[];
  timeoutMs?: number;
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function providersFromEnv(env: Record<string, string | undefined>, timeoutMs = 15_000): LlmProvider[] {
  const out: LlmProvider[] = [
    new OllamaProvider({
      model: 'nomic-embed-text',
      host: env['OLLAMA_HOST'] || undefined,
      timeoutMs,
      retry: { maxRetries: 0 },
    }),
  ];
  if (env['OPENAI_API_KEY'] || env['OPENAI_BASE_URL'])
    out.push(
      new OpenAiProvider({
        model: 'text-embedding-3-small',
        apiKey: env['OPENAI_API_KEY'] || undefined,
        baseURL: env['OPENAI_BASE_URL'] || undefined,
        timeoutMs,
        retry: { maxRetries: 0 },
      }),
    );
  return out;
}

const BATCH = 32;

export function createSemanticMemory(engine: Engine, search: SearchMemory) {
  let db: Database.Database | null = null;
  const dbOf = (): Database.Database => {
    if (db) return db;
    const lib = engine.backend.libraryFile();
    const file = lib === ':memory:' ? ':memory:' : join(dirname(lib), 'memory', 'embeddings.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS embeddings (
      doc_id TEXT NOT NULL, model TEXT NOT NULL, campaign TEXT NOT NULL, hash TEXT NOT NULL,
      vector BLOB NOT NULL, PRIMARY KEY (doc_id, model))`);
    return db;
  };

  const toBlob = (v: readonly number[]) => Buffer.from(new Float32Array(v).buffer);
  const fromBlob = (b: Buffer) => Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));

  /** Embed with the first provider that answers; the error lists every provider tried and its failure. */
  async function embedWith(providers: readonly LlmProvider[], texts: string[]) {
    const failures: string[] = [];
    for (const p of providers) {
      try {
        const vectors: number[][] = [];
        for (let i = 0; i < texts.length; i += BATCH)
          vectors.push(...(await p.embed(texts.slice(i, i + BATCH))));
        return {
          vectors,
          provider: p,
          model: `${p.id}:${(p as { embedModel?: string }).embedModel ?? p.model}`,
        };
      } catch (err) {
        failures.push(`${p.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new CoreError(
      'not-found',
      `semantic search: no embeddings provider answered (${failures.join('; ') || 'none configured'}); start Ollama with nomic-embed-text, or set OPENAI_API_KEY / OPENAI_BASE_URL — plain search works without --semantic`,
    );
  }

  return {
    async search(
      campaignId: string,
      q: string,
      opts: SemanticOptions = {},
    ): Promise<{ hits: SearchHit[]; provider: string; embedded: number }> {
      if (!q.trim()) throw new CoreError('invalid-input', 'query: must not be empty');
      const ci = await search.indexFor(campaignId);
      const providers = opts.providers ?? providersFromEnv(opts.env ?? process.env, opts.timeoutMs);
      // The query first: when no provider answers, nothing else is attempted.
      const first = await embedWith(providers, [q]);
      const order = providers.indexOf(first.provider);
      const chosen = providers.slice(order, order + 1);
      const model = first.model;
      const qv = first.vectors[0]!;
      const d = dbOf();
      const docs: { id: string; text: string; hash: string; fields: Record<string, unknown> }[] = [];
      for (const id of ci.indexed.keys()) {
        const fields = ci.index.getStoredFields(id);
        if (!fields) continue;
        const text = `${String(fields['name'] ?? '')}\n${String(fields['text'] ?? '')}`.slice(0, 4000);
        docs.push({ id, text, hash: createHash('sha256').update(text).digest('hex').slice(0, 32), fields });
      }
      const get = d.prepare('SELECT hash, vector FROM embeddings WHERE doc_id = ? AND model = ?');
      const vectors = new Map<string, number[]>();
      const missing: typeof docs = [];
      for (const doc of docs) {
        const row = get.get(doc.id, model) as { hash: string; vector: Buffer } | undefined;
        if (row && row.hash === doc.hash) vectors.set(doc.id, fromBlob(row.vector));
        else missing.push(doc);
      }
      if (missing.length) {
        const res = await embedWith(
          chosen,
          missing.map((m) => m.text),
        );
        const put = d.prepare(
          'INSERT INTO embeddings (doc_id, model, campaign, hash, vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, model) DO UPDATE SET hash = excluded.hash, vector = excluded.vector, campaign = excluded.campaign',
        );
        d.transaction(() => {
          missing.forEach((m, i) => {
            put.run(m.id, model, campaignId, m.hash, toBlob(res.vectors[i]!));
            vectors.set(m.id, res.vectors[i]!);
          });
        })();
      }
      const hits = docs
        .filter(
          (x) =>
            (opts.kind === undefined || x.fields['kind'] === opts.kind) &&
            (opts.session === undefined || x.fields['session'] === opts.session) &&
            (opts.author === undefined || x.fields['author'] === opts.author),
        )
        .map((x) => ({ x, s: cosine(qv, vectors.get(x.id) ?? []) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, opts.limit ?? 20)
        .map(({ x, s }) => ({
          id: x.id,
          kind: String(x.fields['kind']),
          name: String(x.fields['name']),
          score: Math.round(s * 1000) / 1000,
          snippet: snippetOf(String(x.fields['text'] ?? ''), q.split(/\s+/)),
          ...(typeof x.fields['session'] === 'number' ? { session: x.fields['session'] } : {}),
        }));
      return { hits, provider: model, embedded: missing.length };
    },
    close(): void {
      db?.close();
      db = null;
    },
  };
}
