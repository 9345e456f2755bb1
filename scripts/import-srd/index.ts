/**
 * SRD 5.2.1 importer: turns the Open5e (srd-2024) and 5e-bits (2024) JSON exports into our content schema.
 *
 *   pnpm import-srd                        (reads the vendored resources/srd-source/, writes resources/srd)
 *   pnpm exec tsx scripts/import-srd/index.ts [<open5e-dir> <5e-bits-dir>] [--out resources/srd]
 *
 * Every output file is validated with the zod schemas of @loreforge/rules-5e before it is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContentData } from '@loreforge/rules-5e';
import { ContentDataSchema, indexContent } from '@loreforge/rules-5e';
import { importBackgrounds, importFeats } from './backgrounds-feats';
import { importClasses } from './classes';
import { importCreatures } from './creatures';
import { importItems } from './items';
import { importSpecies } from './species';
import { importSpells } from './spells';
import { readmeText } from './readme';
import type { Sources } from './util';
import { FixLog, vendoredSources } from './util';

export function importSrd(src: Sources, fixes: FixLog = new FixLog()): ContentData {
  const species = importSpecies(src, fixes);
  const backgrounds = importBackgrounds(src, fixes);
  const { classes, subclasses } = importClasses(src, fixes);
  const feats = importFeats(src, fixes);
  const items = importItems(src, fixes);
  const spells = importSpells(src, fixes);
  const creatures = importCreatures(src, new Set(spells.map((s) => s.id)), fixes);
  const data = { species, backgrounds, classes, subclasses, feats, items, spells, creatures };
  const parsed = ContentDataSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 20)
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new Error(`import-srd: generated data does not match the content schema:\n${issues}`);
  }
  indexContent(parsed.data); // throws on duplicate ids
  return parsed.data;
}

function parseArgs(argv: string[]): { open5e: string; bits: string; out: string } {
  const positional: string[] = [];
  let out = 'resources/srd';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error('import-srd: --out needs a directory');
      out = v;
    } else if (a.startsWith('--')) {
      throw new Error(`import-srd: unknown option ${a}`);
    } else positional.push(a);
  }
  if (positional.length === 0) {
    const vendored = vendoredSources(resolve(import.meta.dirname, '../..'));
    return { ...vendored, out: resolve(out) };
  }
  const [open5e, bits] = positional;
  if (!open5e || !bits || positional.length !== 2) {
    throw new Error(
      'usage: tsx scripts/import-srd/index.ts [<open5e-dir> <5e-bits-dir>] [--out resources/srd]',
    );
  }
  return { open5e: resolve(open5e), bits: resolve(bits), out: resolve(out) };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const fixes = new FixLog();
  const data = importSrd({ open5e: args.open5e, bits: args.bits }, fixes);
  mkdirSync(args.out, { recursive: true });
  for (const [name, rows] of Object.entries(data)) {
    writeFileSync(join(args.out, `${name}.json`), `${JSON.stringify(rows, null, 2)}\n`);
  }
  writeFileSync(join(args.out, 'README.md'), readmeText(data, fixes.list()));
  const counts = Object.entries(data)
    .map(([k, v]) => `${k} ${(v as unknown[]).length}`)
    .join(', ');
  process.stdout.write(`import-srd: wrote ${args.out} (${counts}); ${fixes.list().length} data fixes\n`);
}

if (
  import.meta.url === `file://${process.argv[1] ?? ''}` ||
  process.argv[1]?.endsWith('import-srd/index.ts')
) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
