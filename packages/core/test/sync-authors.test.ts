/**
 * Remote updates are stored with the person who made them (issue 9, item 5): each peer names its Yjs client id in
 * the document's `authors` map with its first write, and the DM's peer, receiving a player's edit through the real
 * relay, stores it as `remote:<user>` so `history log` says which player changed what. A forged `authors` entry
 * for another client id is ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import type { CliIo } from '../src/cli/registry';
import { createCore } from '../src/index';
import { AUTHORS_MAP } from '../src/live/authors';
import { createRelayToken } from '../src/sync/token';
import { startRelayProcess, type RelayProcess } from './fixtures/relay-process';
import { build, tempDir } from './helpers';

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess();
});
afterAll(async () => {
  await relay?.stop();
});

async function cli(args: string[], author = 'dm') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => '',
    // The local author differs from the relay user: attribution must use the token's user.
    env: { LOREFORGE_AUTHOR: `${author}-laptop` },
    cwd: process.cwd(),
  };
  const code = await runCli(args, io);
  const text = out.join('');
  const lines = text.split('\n').filter(Boolean);
  let last: unknown = {};
  try {
    last = JSON.parse(text);
  } catch {
    if (lines.length) last = JSON.parse(lines.at(-1) as string);
  }
  return { code, err: err.join(''), last };
}

type Change = { origin: string; author: string; paths: string[] };

describe('sync authors', { timeout: 120_000 }, () => {
  it("a player's edit reaches the DM's history as remote:<player>; a forged authors entry is ignored", async () => {
    const dm = tempDir('lf-auth-dm-');
    const ana = tempDir('lf-auth-ana-');
    const mal = tempDir('lf-auth-mal-');
    try {
      const core = await createCore({ dataDir: dm.dir, author: 'dm' });
      let campaign: string;
      let pcAna: string;
      let pcMal: string;
      try {
        campaign = (await core.campaigns.create({ name: 'Ledger' })).id;
        pcAna = (await core.characters.import(build({ name: 'Ana' }), { campaign })).id;
        pcMal = (await core.characters.import(build({ name: 'Mal' }), { campaign })).id;
      } finally {
        await core.close();
      }
      const tok = (user: string, role: 'dm' | 'player', owns: string[]) =>
        createRelayToken({ campaign, user, role, owns, ttlSeconds: 3600, nowMs: Date.now() }, relay.secret);
      const sync = async (dir: string, token: string, who: string, extra: string[] = []) => {
        const r = await cli(
          ['sync', '--relay', relay.url, '--token', token, '--once', '--json', '--data-dir', dir, ...extra],
          who,
        );
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
      };
      const dmToken = tok('dm', 'dm', []);
      await sync(dm.dir, dmToken, 'dm', ['--campaign', campaign]);
      await sync(ana.dir, tok('ana', 'player', [pcAna]), 'ana');
      await sync(mal.dir, tok('mallory', 'player', [pcMal]), 'mallory');

      // Ana edits her character offline, then syncs.
      const edit = await cli(
        [
          'character',
          'edit',
          pcAna,
          '--set',
          '/narrative/backstory="Raised by smugglers"',
          '--data-dir',
          ana.dir,
          '--json',
        ],
        'ana',
      );
      expect(edit.err).toBe('');
      expect(edit.code).toBe(0);
      await sync(ana.dir, tok('ana', 'player', [pcAna]), 'ana');

      // Mallory edits her own character once honestly, then forges: she writes an authors entry naming "ana" for
      // a client id that is not hers and makes an edit under that client id.
      const mcore = await createCore({ dataDir: mal.dir, author: 'mallory-laptop' });
      try {
        await mcore.characters.edit(pcMal, { set: [{ path: '/narrative/backstory', value: 'Honest work' }] });
        const h = await mcore.live.open({ campaign, kind: 'character', docId: pcMal });
        try {
          const fake = h.doc.clientID + 1;
          h.doc.transact(() => h.doc.getMap(AUTHORS_MAP).set(String(fake), 'ana'), {
            kind: 'local-user',
            author: 'mallory',
          });
          h.doc.clientID = fake;
          await mcore.characters.edit(pcMal, {
            set: [{ path: '/narrative/backstory', value: 'Framed Ana' }],
          });
        } finally {
          h.release();
        }
        // She may only read Ana's character: an authors entry written into it never leaves her peer.
        const other = await mcore.live.open({ campaign, kind: 'character', docId: pcAna });
        try {
          expect(other.access).toBe('read');
          other.doc.transact(
            () => other.doc.getMap(AUTHORS_MAP).set(String(other.doc.clientID), 'forged-in-read-only'),
            { kind: 'local-user', author: 'mallory' },
          );
        } finally {
          other.release();
        }
      } finally {
        await mcore.close();
      }
      await sync(mal.dir, tok('mallory', 'player', [pcMal]), 'mallory');

      // The DM's peer receives both through the relay.
      await sync(dm.dir, dmToken, 'dm', ['--campaign', campaign]);
      const dcore = await createCore({ dataDir: dm.dir, author: 'dm' });
      try {
        const anaChanges = await dcore.history.uncommitted(pcAna);
        expect(anaChanges).toContainEqual({
          origin: 'remote:ana',
          author: 'ana',
          paths: ['/narrative/backstory'],
        });
        expect(anaChanges.some((c) => c.origin.startsWith('remote:relay:'))).toBe(false);

        const malChanges = await dcore.history.uncommitted(pcMal);
        expect(malChanges.length).toBeGreaterThan(0);
        // Nothing of Mallory's is attributed to Ana; her own client id is named (the forged one is unknown).
        for (const c of malChanges) expect(c.origin).not.toContain('ana');
        expect(malChanges.some((c) => c.origin.includes('mallory'))).toBe(true);
        expect((await dcore.characters.show(pcMal)).doc).toMatchObject({
          narrative: { backstory: 'Framed Ana' },
        });

        const anaDoc = await dcore.live.open({ campaign, kind: 'character', docId: pcAna });
        try {
          const names = [...anaDoc.doc.getMap<string>(AUTHORS_MAP).values()];
          expect(names).toContain('ana');
          expect(names).not.toContain('forged-in-read-only');
        } finally {
          anaDoc.release();
        }

        await dcore.history.commit(pcAna, { message: 'after session 3' });
      } finally {
        await dcore.close();
      }
      const log = await cli(['history', 'log', pcAna, '--data-dir', dm.dir, '--json']);
      expect(log.code).toBe(0);
      const head = (log.last as { message: string; changes: Change[] }[])[0];
      expect(head?.message).toBe('after session 3');
      expect(head?.changes).toContainEqual({
        origin: 'remote:ana',
        author: 'ana',
        paths: ['/narrative/backstory'],
      });
    } finally {
      dm.cleanup();
      ana.cleanup();
      mal.cleanup();
    }
  });
});
