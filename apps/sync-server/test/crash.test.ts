/**
 * A relay killed with SIGKILL (no close, no compaction) restarts from its data dir with every edit that had
 * reached the other clients. Runs the real `relay start` entry in a child process: the node process itself
 * (`--import tsx`, no wrapper), in its own process group, which the test kills and then checks is gone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncProvider, docName } from '@loreforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CAMPAIGN, SECRET, tempDir, token, waitFor } from './helpers';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const DOC = docName(CAMPAIGN, 'character', 'hero');

/** Whether any process of the group `pgid` is still there. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
}

async function killAndWait(child: ChildProcess): Promise<void> {
  const exited = child.exitCode !== null || child.signalCode !== null;
  const gone = exited ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  killGroup(child);
  await gone;
  const end = Date.now() + 5000;
  while (groupAlive(child.pid as number) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function startChild(dataDir: string, secretFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(MAIN, ['start', '--port', '0', '--data-dir', dataDir, '--secret-file', secretFile], {
    execArgv: ['--import', 'tsx'],
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /relay listening on (\S+)\n/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`relay exited early (${code}): ${out}`)));
  });
}

describe('relay crash', () => {
  const cleanup: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('SIGKILL loses nothing that other clients already received', { timeout: 90_000 }, async () => {
    const tmp = tempDir();
    cleanup.push(tmp.cleanup);
    const secretFile = join(tmp.dir, 'secret');
    writeFileSync(secretFile, SECRET);
    const dataDir = join(tmp.dir, 'data');

    const first = await startChild(dataDir, secretFile);
    cleanup.push(() => killAndWait(first.child));
    const a = new Y.Doc();
    const b = new Y.Doc();
    const pa = new SyncProvider({
      relayUrl: first.url,
      docName: DOC,
      doc: a,
      token: token('dm'),
      connect: true,
    });
    const pb = new SyncProvider({ relayUrl: first.url, docName: DOC, doc: b, token: token('spectator') });
    cleanup.push(() => (pa.destroy(), pb.destroy()));
    await Promise.all([pa.whenSynced(), pb.whenSynced()]);
    for (let i = 0; i < 50; i++) a.getMap('m').set(`k${i}`, i);
    await waitFor(() => b.getMap('m').size === 50, 'edits at the other client', 20_000);
    pa.destroy(); // nobody can re-send anything after the restart: only the relay's disk is left
    pb.destroy();
    await killAndWait(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(groupAlive(first.child.pid as number), 'the killed relay left a process running').toBe(false);

    const second = await startChild(dataDir, secretFile);
    cleanup.push(async () => {
      await killAndWait(second.child);
      expect(groupAlive(second.child.pid as number), 'the relay left a process running').toBe(false);
    });
    const c = new Y.Doc();
    const pc = new SyncProvider({ relayUrl: second.url, docName: DOC, doc: c, token: token('spectator') });
    cleanup.push(() => pc.destroy());
    await pc.whenSynced();
    expect(c.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON());
  });
});
