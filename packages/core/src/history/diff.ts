/** JSON diffs over documents' JSON views: `[{ path, from, to }]` with JSON-pointer paths, and a human summary. */
import { formatPointer, getJsonPointer, isJsonObject, jsonEqual, type Json } from '../docs/y-json';

export interface Change {
  path: string;
  /** `null` when the path did not exist on the `from` side. */
  from: Json;
  /** `null` when the path does not exist on the `to` side. */
  to: Json;
}

/**
 * Objects are compared key by key, arrays of equal length element by element; anything else that differs is one
 * change at that path. Paths are sorted.
 */
export function diffJson(a: Json | undefined, b: Json | undefined): Change[] {
  const out: Change[] = [];
  walk(a, b, [], out);
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

function walk(a: Json | undefined, b: Json | undefined, path: string[], out: Change[]): void {
  if (jsonEqual(a, b)) return;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) walk(a[k], b[k], [...path, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], [...path, String(i)], out));
    return;
  }
  out.push({ path: formatPointer(path), from: a ?? null, to: b ?? null });
}

function show(v: Json): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function summarizeChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return 'no changes';
  const lines = changes.map((c) => {
    if (c.from === null) return `+ ${c.path} = ${show(c.to)}`;
    if (c.to === null) return `- ${c.path} (was ${show(c.from)})`;
    return `~ ${c.path}: ${show(c.from)} → ${show(c.to)}`;
  });
  return `${changes.length} change${changes.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

export interface MergeConflict {
  path: string;
  ours: Json;
  theirs: Json;
  kept: Json;
}

function overlaps(p: string, q: string): boolean {
  return p === q || q.startsWith(`${p}/`) || p.startsWith(`${q}/`);
}

/**
 * The fields a merge must report: every field both sides changed since the merge base (paths equal, or one
 * inside the other, reported at the shorter path), plus every field one side changed whose merged value is not
 * that side's value (the other side wrote it too, even if back to the base value). Each comes with both sides'
 * values and the value the merge kept.
 */
export function findConflicts(base: Json, ours: Json, theirs: Json, merged: Json): MergeConflict[] {
  const mine = diffJson(base, ours).map((c) => c.path);
  const yours = diffJson(base, theirs).map((c) => c.path);
  const paths = new Set<string>();
  for (const p of mine) for (const q of yours) if (overlaps(p, q)) paths.add(p.length <= q.length ? p : q);
  for (const p of mine) if (!jsonEqual(getJsonPointer(merged, p), getJsonPointer(ours, p))) paths.add(p);
  for (const q of yours) if (!jsonEqual(getJsonPointer(merged, q), getJsonPointer(theirs, q))) paths.add(q);
  // Drop paths inside another reported path.
  const list = [...paths].sort();
  const top = list.filter((p) => !list.some((q) => q !== p && p.startsWith(`${q}/`)));
  return top.map((path) => ({
    path,
    ours: getJsonPointer(ours, path) ?? null,
    theirs: getJsonPointer(theirs, path) ?? null,
    kept: getJsonPointer(merged, path) ?? null,
  }));
}
