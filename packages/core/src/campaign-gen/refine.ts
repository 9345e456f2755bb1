/**
 * Refining the outline by hand (offline): JSON-pointer sets on the story parts (setting, start, chapters,
 * conclusions). Only the paths named change; the result must still match the outline schema (errors name the
 * path) and may not add a story-graph problem the outline did not have (like the build gate, old problems never
 * block an edit).
 */
import { CampaignGenSchema, type CampaignGen } from './schema';
import { checkCampaign } from './check';

export interface SetOp {
  path: string;
  /** `null` removes the key or array element. */
  value: unknown;
}

export interface RefineChange {
  path: string;
  from: unknown;
  to: unknown;
}

const EDITABLE = ['setting', 'start', 'chapters', 'conclusions'];

function fail(message: string): never {
  throw Object.assign(new Error(message), { code: 'invalid-input' });
}

function segments(path: string): string[] {
  if (!path.startsWith('/')) fail(`--set: ${path}: a path starts with /`);
  const segs = path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!EDITABLE.includes(segs[0] ?? ''))
    fail(`--set: ${path}: only ${EDITABLE.map((e) => `/${e}`).join(', ')} can be refined here`);
  if (segs.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype'))
    fail(`--set: ${path}: forbidden path segment`);
  return segs;
}

function get(root: unknown, segs: string[]): unknown {
  let cur: unknown = root;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(s)] : (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function set(root: Record<string, unknown>, path: string, segs: string[], value: unknown): void {
  let cur: unknown = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    const next = Array.isArray(cur) ? cur[Number(s)] : (cur as Record<string, unknown>)[s];
    if (next === null || typeof next !== 'object')
      fail(`--set: ${path}: /${segs.slice(0, i + 1).join('/')} does not exist`);
    cur = next;
  }
  const last = segs[segs.length - 1]!;
  if (Array.isArray(cur)) {
    if (last === '-') {
      if (value === null) fail(`--set: ${path}: nothing to remove at the end`);
      cur.push(value);
      return;
    }
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= cur.length)
      fail(`--set: ${path}: index ${last} is outside the list`);
    if (value === null) cur.splice(i, 1);
    else cur[i] = value;
    return;
  }
  const obj = cur as Record<string, unknown>;
  if (value === null) delete obj[last];
  else obj[last] = value;
}

export function refineOutline(
  gen: CampaignGen,
  ops: SetOp[],
): { next: CampaignGen; changes: RefineChange[] } {
  if (!ops.length) fail('--set: name at least one change');
  const draft = structuredClone(gen) as unknown as Record<string, unknown>;
  const changes: RefineChange[] = [];
  for (const op of ops) {
    const segs = segments(op.path);
    const from = get(draft, segs);
    set(draft, op.path, segs, op.value);
    changes.push({ path: op.path, from: from ?? null, to: op.value });
  }
  const parsed = CampaignGenSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`--set: /${issue.path.join('/')}: ${issue.message}`);
  }
  const key = (p: { code: string; where: string }): string => `${p.code}@${p.where}`;
  const before = new Set(checkCampaign(gen).problems.map(key));
  const added = checkCampaign(parsed.data).problems.filter((p) => !before.has(key(p)));
  if (added.length)
    fail(
      `--set: the change breaks the story graph: ${added.map((p) => `${p.code} ${p.where}: ${p.message}`).join('; ')}`,
    );
  return { next: parsed.data, changes };
}
