/**
 * Store benchmark: a synthetic 5-year campaign — 300 characters × 50 commits, 260 session checkpoints on the
 * campaign document, 2,000 journal-sized documents — then cold open, disk size and commit / diff / merge /
 * checkout times. `LOREFORGE_BENCH_SCALE=0.1` scales the counts (not the commits per character) for quick runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import * as Y from 'yjs';
import { coreFor, createCore, openEngine } from '../src/core';
import { createCharacterDoc, editCharacter } from '../src/docs/character-doc';
import { createJournalDoc } from '../src/docs/journal-doc';
import { editCampaign } from '../src/docs/campaign-doc';
import { setJsonPointer } from '../src/docs/y-json';
import { type BenchResult, median } from './common';

const repoRoot = resolve(import.meta.dirname, '../../..');
const WORDS =
  'storm harbor oath ember lantern crown shadow river vow relic thorn moon forge ash gate tide'.split(' ');

/** A small deterministic PRNG (mulberry32) so every run builds the same campaign. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] as string);
  return out.join(' ');
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env['LOREFORGE_BENCH_SCALE'] ?? '1');
  const nChars = Math.max(2, Math.round(300 * scale));
  const nJournals = Math.round(2000 * scale);
  const nSessions = Math.max(1, Math.round(260 * scale));
  const commitsPerChar = 50;
  const dir = mkdtempSync(join(tmpdir(), 'lf-bench-store-'));
  const rand = prng(7);
  let now = Date.UTC(2021, 0, 1);
  const clock = () => (now += 60_000);
  const results: BenchResult[] = [];
  const scaleNote = scale === 1 ? '' : ` (scale ${scale})`;

  try {
    // ---- generate -------------------------------------------------------------------------------------------
    // History is written in bulk (one SQLite transaction per document) with the same rows the engine writes;
    // each commit is still a separate Yjs session (a fresh Y.Doc, so a fresh client id), as in real use.
    const genStart = performance.now();
    const engine = await openEngine({ dataDir: dir, clock, author: 'bench' });
    const core = coreFor(engine);
    const campaign = await core.campaigns.create({ name: 'Five Years of Storms' });
    const store = await engine.campaignStore(campaign.id);
    const raw = store.opened.raw;
    const insDoc = raw.prepare(
      'insert into docs (id, entity, default_branch, created_at) values (?, ?, ?, ?)',
    );
    const insCommit = raw.prepare(
      'insert into commits (id, doc_id, branch, parents, author, message, ts, state) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insBranch = raw.prepare(
      'insert into branches (doc_id, name, head, forked_from, created_at) values (?, ?, ?, null, ?)',
    );
    const setHead = raw.prepare('update branches set head = ? where doc_id = ? and name = ?');
    const delUpdates = raw.prepare('delete from doc_updates where doc_id = ? and branch = ?');
    const insUpdate = raw.prepare(
      "insert into doc_updates (doc_id, branch, data, origin, author, ts) values (?, 'main', ?, 'compaction', 'loreforge', ?)",
    );
    const insTag = raw.prepare(
      "insert into tags (doc_id, name, commit_id, kind, author, created_at) values (?, ?, ?, ?, 'bench', ?)",
    );
    const insHome = engine.library.opened.raw.prepare(
      'insert into entity_homes (entity_id, campaign_id, entity) values (?, ?, ?)',
    );
    let idn = 0;
    const newId = () => `00000000-0000-4000-8000-${(++idn).toString(16).padStart(12, '0')}`;

    interface Row {
      id: string;
      message: string;
      ts: number;
      state: Uint8Array;
      tag?: [string, string];
    }
    const writeHistory = (docId: string, entity: string, rows: Row[], fresh: boolean) => {
      raw.transaction(() => {
        if (fresh) insDoc.run(docId, entity, 'main', rows[0]?.ts ?? 0);
        let parent: string | null = fresh
          ? null
          : (
              raw.prepare('select head from branches where doc_id = ? and name = ?').get(docId, 'main') as {
                head: string;
              }
            ).head;
        for (const r of rows) {
          insCommit.run(
            r.id,
            docId,
            'main',
            JSON.stringify(parent ? [parent] : []),
            'bench',
            r.message,
            r.ts,
            r.state,
          );
          if (r.tag) insTag.run(docId, r.tag[0], r.id, r.tag[1], r.ts);
          parent = r.id;
        }
        const last = rows[rows.length - 1] as Row;
        if (fresh) insBranch.run(docId, 'main', last.id, rows[0]?.ts ?? 0);
        else setHead.run(last.id, docId, 'main');
        delUpdates.run(docId, 'main');
        insUpdate.run(docId, last.state, last.ts);
      })();
      if (fresh) insHome.run(docId, campaign.id, entity);
    };
    const user = engine.origin('local-user');

    const charIds: string[] = [];
    for (let c = 0; c < nChars; c++) {
      const id = newId();
      const kind = c % 10 === 0 ? 'monster' : c % 3 === 0 ? 'npc' : 'pc';
      const rows: Row[] = [];
      let doc = new Y.Doc();
      createCharacterDoc(
        doc,
        {
          id,
          createdAt: clock(),
          kind,
          build: { ...EXAMPLE_BUILD, name: `Hero ${c}`, classes: [{ class: 'wizard', level: 1 }] },
          narrative: { backstory: text(rand, 80), appearance: text(rand, 30), theme: 'high fantasy' },
        },
        engine.origin('import'),
      );
      let state = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      rows.push({ id: newId(), message: 'import', ts: clock(), state });
      for (let k = 1; k < commitsPerChar; k++) {
        doc = new Y.Doc();
        Y.applyUpdate(doc, state);
        const r = rand();
        const levelUp = k % 5 === 0;
        editCharacter(
          doc,
          (json) => {
            if (levelUp) return setJsonPointer(json, '/build/classes/0/level', Math.min(20, 1 + k / 5));
            if (r < 0.3)
              return setJsonPointer(
                json,
                `/build/abilityScores/${['str', 'dex', 'con', 'int', 'wis', 'cha'][k % 6]}`,
                8 + Math.floor(rand() * 11),
              );
            if (r < 0.6)
              return setJsonPointer(
                json,
                `/narrative/${['secrets', 'fears', 'bonds', 'motivations'][k % 4]}/-`,
                text(rand, 8),
              );
            if (r < 0.8) return setJsonPointer(json, '/narrative/backstory', text(rand, 80));
            return setJsonPointer(
              json,
              `/narrative/lore/${['species', 'class', 'item'][k % 3]}`,
              text(rand, 25),
            );
          },
          user,
        );
        state = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        rows.push({
          id: newId(),
          message: `session edit ${k}`,
          ts: clock(),
          state,
          ...(levelUp ? { tag: [`level-${1 + k / 5}`, 'level-up'] as [string, string] } : {}),
        });
      }
      writeHistory(id, 'character', rows, true);
      charIds.push(id);
    }
    for (let j = 0; j < nJournals; j++) {
      const id = newId();
      const doc = new Y.Doc();
      createJournalDoc(
        doc,
        { id, createdAt: clock(), title: `Journal ${j}`, text: text(rand, 450), session: j % 260 },
        user,
      );
      writeHistory(
        id,
        'journal',
        [{ id: newId(), message: 'journal', ts: clock(), state: Y.encodeStateAsUpdate(doc) }],
        true,
      );
      doc.destroy();
    }
    {
      const campaignLoc = await engine.locate(campaign.id, 'campaign');
      const session = await engine.openBranch(campaignLoc, 'main');
      let state = session.state();
      session.close();
      const rows: Row[] = [];
      for (let s = 1; s <= nSessions; s++) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, state);
        editCampaign(
          doc,
          (json) => ({ ...json, description: `After session ${s}: ${text(rand, 40)}` }),
          user,
        );
        state = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        rows.push({
          id: newId(),
          message: `session ${s}`,
          ts: clock(),
          state,
          tag: [`session-${s}`, 'session-checkpoint'],
        });
      }
      writeHistory(campaign.id, 'campaign', rows, false);
    }
    const [, rebuildMs] = await timed(() => core.rebuildProjections());
    await core.close();
    const genMs = performance.now() - genStart - rebuildMs;
    const totalCommits = nChars * commitsPerChar + nJournals + nSessions + 1;
    results.push({
      name: 'generate synthetic campaign',
      value: genMs / 1000,
      unit: 's',
      detail: `${nChars} characters × ${commitsPerChar} commits, ${nSessions} session checkpoints, ${nJournals} journals = ${totalCommits} commits${scaleNote}; load average ${loadavg()[0]?.toFixed(1)}`,
    });
    results.push({
      name: 'disk size',
      value: dirSize(dir) / 2 ** 20,
      unit: 'MB',
      goal: '≤ 200 MB',
      detail: `all commits stored as full Yjs states${scaleNote}`,
    });

    // ---- cold open: open the store, list the campaign's characters, open one character -----------------------
    const [opened, openMs] = await timed(async () => {
      const c = await createCore({ dataDir: dir });
      const list = await c.characters.list({ campaign: campaign.id });
      const shown = await c.characters.show(list[0]?.id as string);
      return { c, list, shown };
    });
    const core2 = opened.c;
    results.push({
      name: 'cold open, same process',
      value: openMs,
      unit: 'ms',
      goal: '≤ 1500 ms',
      detail: `listed ${opened.list.length} characters from SQLite rows; in-process (modules already loaded)`,
    });

    // Fresh process: no warm JIT, no open connections (module loading is excluded: it is the app's start-up).
    const child = spawnSync(
      join(repoRoot, 'node_modules/.bin/tsx'),
      [join(import.meta.dirname, 'cold-open.ts'), dir, campaign.id],
      {
        encoding: 'utf8',
      },
    );
    if (child.status !== 0) throw new Error(`cold-open child failed: ${child.stderr}`);
    const cold = JSON.parse(child.stdout) as { ms: number; listed: number };
    results.push({
      name: 'cold open in a fresh process',
      value: cold.ms,
      unit: 'ms',
      goal: '≤ 1500 ms',
      detail: `open + list ${cold.listed} characters + open one document; excludes module loading`,
    });

    // ---- a peer holding the whole campaign open through live documents (fresh process, GC exposed) ----------
    const live = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'live-memory.ts'), dir, campaign.id],
      { encoding: 'utf8', cwd: join(import.meta.dirname, '..') },
    );
    if (live.status !== 0) throw new Error(`live-memory child failed: ${live.stderr}`);
    const mem = JSON.parse(live.stdout) as {
      docs: number;
      ms: number;
      rssBeforeMb: number;
      rssAfterMb: number;
      heapAfterMb: number;
    };
    results.push({
      name: 'memory with the campaign open as live documents',
      value: mem.rssAfterMb,
      unit: 'MB RSS',
      detail: `${mem.docs} live docs opened in ${(mem.ms / 1000).toFixed(1)} s; RSS ${mem.rssBeforeMb.toFixed(0)} MB before, heap ${mem.heapAfterMb.toFixed(0)} MB after${scaleNote}`,
    });

    // ---- per-operation timings on characters with full histories --------------------------------------------
    const sample = charIds.slice(0, 20);
    const commitMs: number[] = [];
    const diffMs: number[] = [];
    const checkoutMs: number[] = [];
    const mergeMs: number[] = [];
    const logMs: number[] = [];
    for (const id of sample) {
      const [, tc] = await timed(() =>
        core2.characters.edit(id, {
          set: [{ path: '/build/abilityScores/str', value: 13 }],
          message: 'bench',
        }),
      );
      commitMs.push(tc);
      const [log, tl] = await timed(() => core2.history.log(id));
      logMs.push(tl);
      const oldest = log[log.length - 1]?.commit as string;
      const [, td] = await timed(() => core2.history.diff(id, oldest, 'main'));
      diffMs.push(td);
      const [, tk] = await timed(() => core2.history.checkout(id, log[25]?.commit as string));
      checkoutMs.push(tk);
      await core2.history.branch(id, 'bench-what-if', { from: log[10]?.commit as string });
      await core2.characters.edit(id, {
        branch: 'bench-what-if',
        set: [
          { path: '/build/abilityScores/str', value: 9 },
          { path: '/narrative/fears/-', value: 'bench' },
        ],
      });
      const [, tm] = await timed(() => core2.history.merge(id, 'bench-what-if'));
      mergeMs.push(tm);
    }
    const [rows, listMs] = await timed(() => core2.characters.list());
    await core2.close();
    const n = `median of ${sample.length} characters with ${commitsPerChar} commits`;
    results.push({ name: 'commit (edit + save point)', value: median(commitMs), unit: 'ms', detail: n });
    results.push({ name: 'history log', value: median(logMs), unit: 'ms', detail: n });
    results.push({ name: 'diff first ↔ head', value: median(diffMs), unit: 'ms', detail: n });
    results.push({ name: 'checkout old commit', value: median(checkoutMs), unit: 'ms', detail: n });
    results.push({
      name: 'merge what-if branch',
      value: median(mergeMs),
      unit: 'ms',
      detail: `${n}; branch forked 40 commits back`,
    });
    results.push({ name: 'list all characters', value: listMs, unit: 'ms', detail: `${rows.length} rows` });
    results.push({
      name: 'rebuildProjections',
      value: rebuildMs / 1000,
      unit: 's',
      detail: `${nChars + nJournals + 1} documents, from their stored states`,
    });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
