/**
 * Loads rules content (SRD 5.2.1) from `resources/srd/*.json` and indexes it for the rules engine.
 * The resources folder is found via `LOREFORGE_RESOURCES_DIR`, else relative to this source file (repo layout).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ContentDataSchema, indexContent, type Content, type ContentData } from '@loreforge/rules-5e';

const FILES = [
  'species',
  'backgrounds',
  'classes',
  'subclasses',
  'feats',
  'items',
  'spells',
  'creatures',
] as const;

export function defaultResourcesDir(env: Record<string, string | undefined> = process.env): string {
  return env['LOREFORGE_RESOURCES_DIR'] ?? resolve(import.meta.dirname, '../../../../resources');
}

const cache = new Map<string, Content>();

/**
 * Hashes of SRD content that this exact build of the code has validated before. The built `loreforge` bin
 * (`scripts/build/run.mjs`) keeps one per build under this global symbol; without it (tsx, tests, the app)
 * content is always validated. Only content whose validated form equals the files is recorded, so skipping the
 * validation for it changes nothing.
 */
interface ValidatedStore {
  has(key: string): boolean;
  add(key: string): void;
}
const VALIDATED = Symbol.for('loreforge.srdValidated');

/** Parse and index the SRD content in `<resourcesDir>/srd`. Cached per folder (content is immutable). */
export function loadSrdContent(resourcesDir: string = defaultResourcesDir()): Content {
  const dir = join(resourcesDir, 'srd');
  const hit = cache.get(dir);
  if (hit) return hit;
  const store = (globalThis as Record<symbol, unknown>)[VALIDATED] as ValidatedStore | undefined;
  const hash = store ? createHash('sha256') : undefined;
  const raw: Record<string, unknown> = {};
  for (const name of FILES) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) throw new Error(`SRD content: missing ${file} (run pnpm import-srd)`);
    const text = readFileSync(file, 'utf8');
    hash?.update(`${name}\0${text}\0`);
    raw[name] = JSON.parse(text) as unknown;
  }
  const key = hash?.digest('hex');
  let data: ContentData;
  if (store && key && store.has(key)) data = raw as unknown as ContentData;
  else {
    const parsed = ContentDataSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(
        `SRD content in ${dir} is invalid at ${first?.path.join('.') ?? '?'}: ${first?.message ?? ''}`,
      );
    }
    data = parsed.data;
    if (store && key && isDeepStrictEqual(data, raw)) store.add(key);
  }
  const content = indexContent(data);
  cache.set(dir, content);
  return content;
}
