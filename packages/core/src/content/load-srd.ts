/**
 * Loads rules content (SRD 5.2.1) from `resources/srd/*.json` and indexes it for the rules engine.
 * The resources folder is found via `LOREFORGE_RESOURCES_DIR`, else relative to this source file (repo layout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContentDataSchema, indexContent, type Content } from '@loreforge/rules-5e';

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

/** Parse and index the SRD content in `<resourcesDir>/srd`. Cached per folder (content is immutable). */
export function loadSrdContent(resourcesDir: string = defaultResourcesDir()): Content {
  const dir = join(resourcesDir, 'srd');
  const hit = cache.get(dir);
  if (hit) return hit;
  const raw: Record<string, unknown> = {};
  for (const name of FILES) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) throw new Error(`SRD content: missing ${file} (run pnpm import-srd)`);
    raw[name] = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  }
  const parsed = ContentDataSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `SRD content in ${dir} is invalid at ${first?.path.join('.') ?? '?'}: ${first?.message ?? ''}`,
    );
  }
  const content = indexContent(parsed.data);
  cache.set(dir, content);
  return content;
}
