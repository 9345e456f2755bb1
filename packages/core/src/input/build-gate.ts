/**
 * The gate a build passes before it is stored (`character import`, `character edit`, the bridge's
 * `characters.edit`). Two kinds of findings:
 * - **refusals** (schema violations): a class level outside 1–20, a total level above 20, an ability score
 *   outside 1–30, an id that is neither SRD content nor the character's own custom content (its `elements`
 *   tagged `custom` or `adapted` with that kind and id) nor, for equipment, an item stored in the data folder
 *   (named by its UUID). The write is refused with every message.
 * - **warnings**: every other rule the rules engine's `validate` reports (too many skills, a score of 21–30, a
 *   missing prerequisite…). The write goes through; callers print them (the CLI on stderr).
 */
import { validate, type Build, type Content } from '@loreforge/rules-5e';
import type { CharacterElement } from '../docs/character-doc';
import { getJsonPointer, type Json } from '../docs/y-json';

export const BUILD_LIMITS = {
  minLevel: 1,
  maxLevel: 20,
  minScore: 1,
  maxScore: 30,
} as const;

/** Validation codes of ids the content does not hold → the element kind that can supply a custom one. */
const UNKNOWN_ID_KIND: Readonly<Record<string, CharacterElement['kind']>> = {
  'unknown-class': 'class',
  'unknown-subclass': 'subclass',
  'unknown-species': 'species',
  'unknown-lineage': 'species',
  'unknown-background': 'background',
  'unknown-feat': 'feat',
  'unknown-item': 'item',
  'unknown-spell': 'spell',
};

export interface BuildFinding {
  /** JSON pointer inside the document (`/build/classes/0/level`). */
  path: string;
  message: string;
}

export interface BuildGateResult {
  refusals: BuildFinding[];
  warnings: BuildFinding[];
}

/** `"/build/classes/0/level: level 25 is outside 1–20"` lines. */
export function formatFindings(findings: readonly BuildFinding[]): string {
  return findings.map((f) => `${f.path}: ${f.message}`).join('\n');
}

function customIds(elements: readonly CharacterElement[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of elements ?? [])
    if (e.id !== undefined && (e.tag === 'custom' || e.tag === 'adapted')) out.add(`${e.kind}:${e.id}`);
  return out;
}

/** Check `build` (already shaped by `BuildSchema`) against the limits and the content. Never throws. */
export function checkBuild(
  build: Build,
  content: Content,
  elements?: readonly CharacterElement[],
  prefix = '/build',
  /** Ids of items stored in this data folder (equipment may name a stored item by its UUID). */
  storedItems: ReadonlySet<string> = new Set(),
): BuildGateResult {
  const refusals: BuildFinding[] = [];
  const warnings: BuildFinding[] = [];
  const { minLevel, maxLevel, minScore, maxScore } = BUILD_LIMITS;
  build.classes.forEach((c, i) => {
    if (!Number.isInteger(c.level) || c.level < minLevel || c.level > maxLevel)
      refusals.push({
        path: `${prefix}/classes/${i}/level`,
        message: `level ${c.level} is outside ${minLevel}–${maxLevel}`,
      });
  });
  const total = build.classes.reduce((n, c) => n + c.level, 0);
  if (refusals.length === 0 && total > maxLevel)
    refusals.push({
      path: `${prefix}/classes`,
      message: `total level ${total} is above ${maxLevel}`,
    });
  for (const [ability, score] of Object.entries(build.abilityScores)) {
    if (!Number.isInteger(score) || score < minScore || score > maxScore)
      refusals.push({
        path: `${prefix}/abilityScores/${ability}`,
        message: `${ability} score ${score} is outside ${minScore}–${maxScore}`,
      });
  }
  const custom = customIds(elements);
  let result;
  try {
    result = validate(build, content);
  } catch (err) {
    refusals.push({ path: prefix, message: `cannot be checked (${(err as Error).message})` });
    return { refusals, warnings };
  }
  for (const issue of result.issues) {
    const path = `${prefix}${issue.path}`;
    const kind = UNKNOWN_ID_KIND[issue.code];
    if (kind) {
      const id = getJsonPointer(build as unknown as Json, issue.path);
      if (kind === 'item' && typeof id === 'string' && storedItems.has(id)) continue;
      if (typeof id === 'string' && custom.has(`${kind}:${id}`)) {
        warnings.push({ path, message: `${issue.message} (custom content of this character)` });
      } else {
        refusals.push({ path, message: issue.message });
      }
      continue;
    }
    // Ranges already refused above are not repeated as rule warnings.
    if (refusals.some((r) => r.path === path)) continue;
    if (issue.severity === 'error' || issue.severity === 'warning')
      warnings.push({ path, message: issue.message });
  }
  return { refusals, warnings };
}

/** Findings of `after` that `before` did not have (a stored character's old problems never block an edit). */
export function newFindings(after: readonly BuildFinding[], before: readonly BuildFinding[]): BuildFinding[] {
  const seen = new Set(before.map((f) => `${f.path}\u0000${f.message}`));
  return after.filter((f) => !seen.has(`${f.path}\u0000${f.message}`));
}

/** Every UUID-shaped string inside `value` (candidates for stored-item references). Iterative. */
export function uuidStrings(value: unknown, pattern: RegExp): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (pattern.test(v)) out.add(v);
    } else if (Array.isArray(v)) stack.push(...v.slice(0, 10_000));
    else if (typeof v === 'object' && v !== null) stack.push(...Object.values(v).slice(0, 10_000));
  }
  return out;
}
