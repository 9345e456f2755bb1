/** Change log shared by the repair steps, and the id-replacement helper they use. */
import type { RepairChange } from './types';
import { closestId } from './closest-id';

export class RepairLog {
  readonly changes: RepairChange[] = [];

  change(path: string, from: unknown, to: unknown, reason: string): void {
    this.changes.push({ path, from, to, reason });
  }
}

type Named = ReadonlyMap<string, { id: string; name: string }>;

/**
 * Resolve an id against `candidates`: itself when known, else the closest match (logged), else `fallback`
 * (logged as a default), else undefined (the caller removes the entry and logs that).
 */
export function resolveId(
  log: RepairLog,
  path: string,
  id: string,
  candidates: Named,
  what: string,
  opts: { allow?: (id: string) => boolean; fallback?: string | undefined } = {},
): string | undefined {
  const allow = opts.allow ?? (() => true);
  if (candidates.has(id) && allow(id)) return id;
  const match = closestId(id, candidates, allow);
  if (match) {
    log.change(path, id, match, `unknown ${what} "${id}" replaced by the closest known id "${match}"`);
    return match;
  }
  if (opts.fallback !== undefined) {
    log.change(
      path,
      id,
      opts.fallback,
      `unknown ${what} "${id}" has no close match; using the default "${opts.fallback}"`,
    );
    return opts.fallback;
  }
  return undefined;
}

/** A preferred default id if content has it, else the first id in content. */
export function defaultId(candidates: ReadonlyMap<string, unknown>, preferred: string): string | undefined {
  if (candidates.has(preferred)) return preferred;
  return candidates.keys().next().value;
}
