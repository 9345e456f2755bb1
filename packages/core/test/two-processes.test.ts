/**
 * Issue 9 item 7: two processes on one data folder. A second process (the node process itself, in its own
 * process group, killed by its real pid) and this one each hold the same character's live document; each sees
 * the other's stored writes (PRAGMA data_version polling), and nothing is lost or doubled.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawJson } from '../src/docs/doc-type';
import { createCore, type LiveChange } from '../src/index';
import { build, tempDir } from './helpers';

const script = join(import.meta.dirname, 'fixtures', 'live-process.ts');
const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of children.splice(0)) {
    try {
      if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const c of cleanups.splice(0)) c();
});

function startPeer(dir: string, campaign: string, id: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, campaign, id], {
    cwd: join(import.meta.dirname, '..'),
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let buf = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  const waitLine = async (pred: (l: string) => boolean, ms = 15_000): Promise<string> => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = lines.find(pred);
      if (hit !== undefined) {
        lines.splice(lines.indexOf(hit), 1);
        return hit;
      }
      if (child.exitCode !== null || Date.now() > end)
        throw new Error(
          `peer: no matching line (exit ${child.exitCode}); got ${JSON.stringify(lines)} ${err}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, lines, waitLine, send: (l: string) => child.stdin.write(`${l}\n`) };
}

async function until<T>(get: () => T, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('two processes, one data folder', { timeout: 60_000 }, () => {
  it('each sees the other’s writes in its open live document; concurrent appends keep both, once', async () => {
    const t = tempDir('lf-two-');
    cleanups.push(t.cleanup);
    const core = await createCore({ dataDir: t.dir, author: 'proc-a' });
    let closed = false;
    try {
      const c = await core.campaigns.create({ name: 'Two' });
      const { id } = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      const h = await core.live.open({ campaign: c.id, kind: 'character', docId: id });
      const fears = () => (rawJson(h.doc)['narrative'] as { fears: string[] }).fears;
      const events: LiveChange[] = [];
      core.live.onChange((e) => events.push(e));

      const peer = startPeer(t.dir, c.id, id);
      await peer.waitLine((l) => l === 'READY');

      // The other process writes: it shows up in this process's open document, with a change event.
      peer.send('edit heights');
      await peer.waitLine((l) => l === 'ACK');
      await until(fears, (f) => f.includes('heights'));
      await until(
        () => events,
        (e) => e.some((x) => x.id === id && x.origin !== 'local-user'),
      );

      // This process writes: the other one sees it.
      await core.characters.edit(id, { set: [{ path: '/narrative/fears/-', value: 'spiders' }] });
      await peer.waitLine((l) => l.startsWith('CHANGED') && l.includes('spiders'));

      // Both append at once.
      peer.send('edit fire');
      await core.characters.edit(id, { set: [{ path: '/narrative/fears/-', value: 'water' }] });
      await peer.waitLine((l) => l === 'ACK');
      const both = (f: string[]) => f.includes('fire') && f.includes('water');
      await until(fears, both);
      peer.send('fears');
      const theirs = JSON.parse((await peer.waitLine((l) => l.startsWith('FEARS'))).slice(6)) as string[];
      if (!both(theirs)) {
        await peer.waitLine((l) => l.startsWith('CHANGED') && l.includes('fire') && l.includes('water'));
        peer.send('fears');
      }
      h.release();

      // Stop the other process by its real pid (its own process group), then check what is stored.
      peer.child.stdin.end();
      await until(
        () => peer.child.exitCode,
        (code) => code !== null,
        10_000,
      );
      await core.close();
      closed = true;
      const again = await createCore({ dataDir: t.dir });
      const stored = (await again.characters.show(id)).doc.narrative.fears;
      await again.close();
      for (const f of ['heights', 'spiders', 'fire', 'water'])
        expect(stored.filter((x) => x === f)).toEqual([f]);
      expect(stored.length).toBe(4);
    } finally {
      if (!closed) await core.close();
    }
  });
});
