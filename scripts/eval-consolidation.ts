/**
 * Consolidation eval (issue 10): runs the offline consolidation on the session journals in
 * `resources/eval/consolidation/sessions.json`, whose planted disagreements are listed with the journals and the
 * value each gives. Reports discrepancies found / planted, discrepancies that match nothing planted, and
 * unsupported items (those the source check drops; goal 0). `pnpm exec tsx scripts/eval-consolidation.ts [--json]`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkSources, consolidate, type JournalInput } from '../packages/core/src/memory/consolidate';

interface Planted {
  kind: 'number' | 'name';
  values: Record<string, string>;
  about: string;
}

interface EvalSession {
  session: number;
  journals: JournalInput[];
  planted: Planted[];
}

export interface ConsolidationEval {
  sessions: number;
  journals: number;
  planted: number;
  found: number;
  /** Discrepancies reported that match no planted one. */
  extra: number;
  /** Items the source check dropped (the consolidation claimed something a cited journal does not say). */
  unsupported: number;
  /** Summary, event and timeline items that cite no journal (after the check; must be 0). */
  unsourced: number;
  misses: string[];
  extras: string[];
}

const root = resolve(import.meta.dirname, '..');

function words(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

/** A reported discrepancy matches a planted one when its claims come from journals giving ≥ 2 different
 * planted values, and each such claim holds its journal's planted value. */
function matches(d: { claims: { journalId: string; text: string }[] }, p: Planted): boolean {
  const seen = new Set<string>();
  for (const c of d.claims) {
    const v = p.values[c.journalId];
    if (v === undefined || !words(c.text).has(v.toLowerCase().split(' ')[0]!)) return false;
    seen.add(v);
  }
  return seen.size >= 2;
}

export function runConsolidationEval(
  file = join(root, 'resources/eval/consolidation/sessions.json'),
): ConsolidationEval {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { sessions: EvalSession[] };
  const out: ConsolidationEval = {
    sessions: 0,
    journals: 0,
    planted: 0,
    found: 0,
    extra: 0,
    unsupported: 0,
    unsourced: 0,
    misses: [],
    extras: [],
  };
  for (const s of data.sessions) {
    out.sessions++;
    out.journals += s.journals.length;
    const raw = consolidate(s.journals, { session: s.session });
    const { result, unsupported } = checkSources(raw, s.journals);
    out.unsupported += unsupported.length;
    out.unsourced += [...result.summarySources, ...result.keyEvents, ...result.timeline].filter(
      (i) => i.sources.length === 0,
    ).length;
    for (const p of s.planted) {
      out.planted++;
      if (result.discrepancies.some((d) => matches(d, p))) out.found++;
      else out.misses.push(`session ${s.session}: ${p.about}`);
    }
    for (const d of result.discrepancies)
      if (!s.planted.some((p) => matches(d, p))) {
        out.extra++;
        out.extras.push(`session ${s.session}: ${d.topic}`);
      }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const r = runConsolidationEval();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    process.stdout.write(
      [
        `consolidation eval: ${r.sessions} sessions, ${r.journals} journals`,
        `discrepancies found / planted: ${r.found} / ${r.planted}`,
        `reported but not planted: ${r.extra}${r.extras.length ? ` (${r.extras.join('; ')})` : ''}`,
        `unsupported items: ${r.unsupported} (goal 0); unsourced items: ${r.unsourced}`,
        ...(r.misses.length ? [`missed: ${r.misses.join('; ')}`] : []),
      ].join('\n') + '\n',
    );
  }
  process.exitCode = r.unsupported === 0 && r.unsourced === 0 ? 0 : 1;
}
