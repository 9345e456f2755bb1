/**
 * Forged campaign archives (issue 15 item 4): the payload is edited and its SHA-256 recomputed, so only row
 * validation can catch it. Each forgery is refused with a clear error and nothing is written.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Core } from '../src/index';
import { build, openCore, tempDir } from './helpers';

const MAGIC = 'LOREFORGE-CAMPAIGN-ARCHIVE\n';
type Row = Record<string, unknown>;
type Payload = Record<'docs' | 'doc_updates' | 'commits' | 'branches' | 'tags', Row[]> & {
  migrations: string[];
};

const t = tempDir('lf-forged-');
let original: Buffer;
let campaign = '';
let character = '';
let target: Core;
const targetDir = join(t.dir, 'target');

function split(bytes: Buffer): { header: Row; payload: Payload } {
  const nl = bytes.indexOf(0x0a, MAGIC.length);
  const header = JSON.parse(bytes.subarray(MAGIC.length, nl).toString('utf8')) as Row;
  const payload = JSON.parse(gunzipSync(bytes.subarray(nl + 1)).toString('utf8')) as Payload;
  return { header, payload };
}

/** Re-pack an edited payload with a correct checksum and size, as a forger would. */
function forge(edit: (p: Payload, h: Row) => void): string {
  const { header, payload } = split(original);
  edit(payload, header);
  const body = gzipSync(Buffer.from(JSON.stringify(payload), 'utf8'));
  header['payloadSha256'] = createHash('sha256').update(body).digest('hex');
  header['payloadBytes'] = body.length;
  const file = join(t.dir, `forged-${Math.random().toString(36).slice(2)}.lfcampaign`);
  writeFileSync(file, Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), body]));
  return file;
}

beforeAll(async () => {
  const source = await openCore(join(t.dir, 'source'));
  const c = await source.campaigns.create({ name: 'Forgery' });
  campaign = c.id;
  const ch = await source.characters.import(build(), { campaign: c.id });
  character = ch.id;
  await source.characters.edit(ch.id, { set: [{ path: '/narrative/backstory', value: 'Lost at sea.' }] });
  await source.history.tag(ch.id, 'session-1', { kind: 'session-checkpoint' });
  const file = join(t.dir, 'real.lfcampaign');
  await source.archive.export(c.id, file);
  await source.close();
  original = readFileSync(file);
  target = await openCore(targetDir, 2);
});
afterAll(async () => {
  await target.close();
  t.cleanup();
});

const commitsOf = (p: Payload, doc: string) => p.commits.filter((c) => c['doc_id'] === doc);

describe('forged campaign archives with a recomputed SHA-256', () => {
  const cases: [string, (p: Payload, h: Row) => void, RegExp][] = [
    [
      'an entity id that is a path',
      (p) => {
        for (const table of [p.docs, p.doc_updates, p.commits, p.branches, p.tags])
          for (const row of table) {
            if (row['id'] === character) row['id'] = '../../etc/passwd';
            if (row['doc_id'] === character) row['doc_id'] = '../../etc/passwd';
          }
      },
      /archive payload is invalid at docs\.\d+\.id: is not an entity id/,
    ],
    [
      'a commit whose parent does not exist',
      (p) => {
        const last = commitsOf(p, character).at(-1) as Row;
        last['parents'] = JSON.stringify(['00000000-0000-4000-8000-00000000dead']);
      },
      /commits\[\d+\] \([0-9a-f-]+\): parent 00000000-0000-4000-8000-00000000dead is not an earlier commit/,
    ],
    [
      'a branch head pointing at a missing commit',
      (p) => {
        const b = p.branches.find((x) => x['doc_id'] === character) as Row;
        b['head'] = '00000000-0000-4000-8000-00000000beef';
      },
      /head 00000000-0000-4000-8000-00000000beef is not a commit of this document/,
    ],
    [
      'a commit state that is not a Yjs update',
      (p) => {
        const c = commitsOf(p, character)[0] as Row;
        c['state'] = Buffer.from('definitely not yjs').toString('base64');
      },
      /its state is not a Yjs update/,
    ],
    [
      'a tag on another document’s commit',
      (p) => {
        const other = commitsOf(p, campaign)[0] as Row;
        const tag = p.tags.find((x) => x['doc_id'] === character) as Row;
        tag['commit_id'] = other['id'];
      },
      /tags\[\d+\] .*: commit [0-9a-f-]+ is not a commit of this document/,
    ],
    [
      'a branch head whose state is another document',
      (p) => {
        const ours = commitsOf(p, character).at(-1) as Row;
        const theirs = commitsOf(p, campaign).at(-1) as Row;
        ours['state'] = theirs['state'];
      },
      /the head's document is not the character/,
    ],
    [
      'a commit state carrying a "__proto__" key',
      (p) => {
        const c = commitsOf(p, character)[0] as Row;
        const doc = new Y.Doc();
        Y.applyUpdate(doc, Buffer.from(c['state'] as string, 'base64'));
        doc.getMap('entity').set('__proto__', 'polluted');
        c['state'] = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
      },
      /its state holds the key "__proto__", which is not allowed/,
    ],
    [
      'a document of an unknown kind',
      (p) => {
        (p.docs.find((d) => d['id'] === character) as Row)['entity'] = 'spaceship';
      },
      /archive payload is invalid at docs\.\d+\.entity/,
    ],
  ];

  for (const [label, edit, message] of cases) {
    it(`refuses ${label}; nothing is written`, async () => {
      const file = forge(edit);
      await expect(target.archive.import(file)).rejects.toThrow(message);
      await expect(target.archive.import(file)).rejects.toThrow(/nothing was imported/);
      expect((await target.campaigns.list()).map((c) => c.id)).not.toContain(campaign);
      const files = readdirSync(targetDir, { recursive: true }).map(String);
      expect(files.filter((f) => f.includes(campaign))).toEqual([]);
    });
  }

  it('an archive with 7,000 tags (more than one SQL statement can bind) imports whole', async () => {
    const dir = join(t.dir, 'many-tags');
    const core = await openCore(dir, 3);
    try {
      const file = forge((p) => {
        const commit = commitsOf(p, character).at(-1) as Row;
        for (let i = 0; i < 7_000; i++)
          p.tags.push({
            doc_id: character,
            name: `checkpoint-${i}`,
            commit_id: commit['id'],
            kind: 'label',
            author: 'dm',
            created_at: 1,
          });
      });
      await core.archive.import(file);
      const tags = (await core.history.log(character)).flatMap((e) => e.tags);
      expect(tags.filter((x) => x.startsWith('checkpoint-'))).toHaveLength(7_000);
    } finally {
      await core.close();
    }
  });

  it('the untouched archive still imports, and its history reads', async () => {
    const res = await target.archive.import(forge(() => {}));
    expect(res.id).toBe(campaign);
    const log = await target.history.log(character);
    expect(log.map((e) => e.message)).toEqual(['edit /narrative/backstory', 'import Aria Moonwhisper']);
  });
});
