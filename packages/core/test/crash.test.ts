/**
 * Crash safety: a child process writing commits is killed with SIGKILL at random points. After each kill the
 * store opens cleanly (SQLite integrity check, migrations, projections) and every commit the child reported as
 * done is present in its entity's history. The writer is the node process itself (`node --import tsx`, no `tsx`
 * wrapper whose child would outlive a kill), started in its own process group; the group is killed and the
 * test checks that nothing of it is left running.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCore } from '../src/index';
import { tempDir } from './helpers';

const repoRoot = resolve(import.meta.dirname, '../../..');
const writer = join(import.meta.dirname, 'fixtures/crash-writer.ts');

/** Whether any process of the group `pgid` is still there (zombies included, until they are reaped). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

async function waitGroupGone(pgid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

function runAndKill(
  dataDir: string,
  seed: number,
  killAfterMs: number,
): Promise<{ done: [string, string][]; signal: string | null; pid: number }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, String(seed)], {
      cwd: repoRoot,
      detached: true, // its own process group: the kill reaches anything it started
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid as number;
    const kill = () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const done: [string, string][] = [];
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^DONE (\S+) (\S+)$/.exec(line);
        if (m) done.push([m[1] as string, m[2] as string]);
        // Start the kill timer once the writer is past start-up and committing.
        if (!timer) timer = setTimeout(kill, killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', rej);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        kill();
        rej(new Error(`writer exited without being killed (signal ${signal}): ${err}`));
      } else res({ done, signal, pid });
    });
  });
}

describe('crash safety', () => {
  it('keeps every reported commit when the writer is killed with SIGKILL at random points', async () => {
    const { dir, cleanup } = tempDir('lf-crash-');
    try {
      const delays = fc.sample(fc.integer({ min: 5, max: 700 }), { numRuns: 3, seed: 42 });
      const reported: [string, string][] = [];
      for (const [i, delay] of delays.entries()) {
        const { done, pid } = await runAndKill(dir, i + 1, delay);
        expect(done.length).toBeGreaterThan(0);
        expect(await waitGroupGone(pid), `writer process group ${pid} still running`).toBe(true);
        reported.push(...done);

        for (const f of readdirSync(join(dir, 'campaigns')).filter((x) => x.endsWith('.sqlite'))) {
          const db = new Database(join(dir, 'campaigns', f));
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          db.close();
        }
        const core = await createCore({ dataDir: dir });
        try {
          const byEntity = new Map<string, Set<string>>();
          for (const [id] of reported) {
            if (!byEntity.has(id)) {
              const commits = new Set<string>();
              for (const b of await core.history.branches(id))
                for (const c of await core.history.log(id, { branch: b.name })) commits.add(c.commit);
              byEntity.set(id, commits);
            }
          }
          for (const [id, commit] of reported)
            expect(byEntity.get(id)?.has(commit), `commit ${commit} of ${id}`).toBe(true);
          // Every entity opens and the projections can be rebuilt from the documents.
          for (const id of byEntity.keys())
            expect((await core.characters.show(id)).doc.build.name).toMatch(/^Crash /);
          const counts = await core.rebuildProjections();
          expect(counts.entities).toBeGreaterThan(0);
        } finally {
          await core.close();
        }
      }
    } finally {
      cleanup();
    }
  }, 240_000);
});
