/**
 * Test/bench-only loader for the generated SRD 5.2.1 content in `resources/srd/`. The engine itself does no
 * I/O; tests and benches use this to get the real SRD set. Results are cached per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Content, ContentData } from '../src/index';
import { ContentDataSchema, indexContent } from '../src/index';

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

/** `resources/srd/` at the repo root (this file lives in packages/rules-5e/test/). */
export const SRD_DIR = join(import.meta.dirname, '..', '..', '..', 'resources', 'srd');

let dataCache: ContentData | undefined;
let contentCache: Content | undefined;

/** The raw SRD content arrays, validated with `ContentDataSchema` (defaults applied). */
export function loadSrdData(): ContentData {
  if (!dataCache) {
    const raw: Record<string, unknown> = {};
    for (const f of FILES) raw[f] = JSON.parse(readFileSync(join(SRD_DIR, `${f}.json`), 'utf8')) as unknown;
    dataCache = ContentDataSchema.parse(raw);
  }
  return dataCache;
}

/** The SRD content indexed for the engine (same result as `parseContent` on the files). */
export function loadSrd(): Content {
  contentCache ??= indexContent(loadSrdData());
  return contentCache;
}
