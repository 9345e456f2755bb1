/**
 * Property: peers syncing live documents through the real relay converge. 3–5 peers on separate data folders
 * (the DM host and one player in this process; a second DM device and players as child processes), random
 * edits to every kind (campaign, character, item, journal Y.Text, dmnotes, session, player-created intents;
 * concurrent appends to the same lists and texts, concurrent edits of the same text fields), random partitions
 * (offline/online), SIGKILLs of peer processes by their real pid and of the relay (restarted on its port and
 * data folder), then heal: every peer ends with the same JSON for every document it shares, under the same ids,
 * no acknowledged append is lost, every text field holds one of the values written to it, and nothing is
 * duplicated.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/index';
import { createRelayToken } from '../src/sync/token';
import { dumpShared, openPeer, type Peer, type PeerConfig, type PeerEdit } from './fixtures/sync-peer';
import { killGroup, spawnNode, startRelayProcess, type RelayProcess } from './fixtures/relay-process';
import { build, tempDir } from './helpers';

const peerScript = resolve(import.meta.dirname, 'fixtures/sync-peer.ts');

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess();
});
afterAll(async () => {
  await relay?.stop();
});

/** A peer in a child process, driven over stdin/stdout. */
class ChildPeer {
  private child: ChildProcessWithoutNullStreams | undefined;
  private waiting: ((line: string) => void)[] = [];
  private stderr = '';
  alive = false;

  constructor(readonly cfg: PeerConfig) {}

  async start(): Promise<void> {
    const child = spawnNode(peerScript, [JSON.stringify(this.cfg)]) as ChildProcessWithoutNullStreams;
    this.child = child;
    this.waiting = [];
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    const ready = new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`peer did not start: ${this.stderr}`)), 90_000);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        rej(new Error(`peer exited (${code ?? sig}): ${this.stderr}`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'READY') {
          clearTimeout(timer);
          res();
        } else this.waiting.shift()?.(line);
      });
    });
    await ready;
    this.alive = true;
  }

  async send(cmd: PeerEdit | { op: 'offline' | 'online' | 'dump' }): Promise<string> {
    const child = this.child as ChildProcessWithoutNullStreams;
    const answer = new Promise<string>((res, rej) => {
      this.waiting.push(res);
      child.once('exit', () => rej(new Error(`peer died: ${this.stderr}`)));
    });
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const line = await answer;
    if (line.startsWith('ERR ')) throw new Error(`peer: ${line.slice(4)}`);
    return line;
  }

  async kill(): Promise<void> {
    this.alive = false;
    if (this.child) await killGroup(this.child, 'SIGKILL');
  }
}

type AnyPeer =
  { kind: 'in'; peer: Peer; online: boolean } | { kind: 'child'; peer: ChildPeer; online: boolean };

interface World {
  campaign: string;
  pcA: string;
  pcB: string;
  item: string;
  journal: string;
  session: string;
  npc: string;
}

/** What each peer may write: DM devices everything, players their own character and intents. */
function editsFor(role: 'dm' | 'player', own: string, w: World): ((v: string) => PeerEdit)[] {
  const character = [
    (v: string): PeerEdit => ({ op: 'edit', what: 'fear', id: own, value: v }),
    (v: string): PeerEdit => ({ op: 'edit', what: 'backstory', id: own, value: v }),
  ];
  if (role === 'player')
    return [...character, (v) => ({ op: 'edit', what: 'intent', campaign: w.campaign, value: v })];
  return [
    ...character,
    (v) => ({ op: 'edit', what: 'dm-secret', campaign: w.campaign, value: v }),
    (v) => ({ op: 'edit', what: 'session-combatant', campaign: w.campaign, id: w.session, value: v }),
    (v) => ({ op: 'edit', what: 'fear', id: w.pcB, value: v }),
    (v) => ({ op: 'edit', what: 'campaign-description', campaign: w.campaign, value: v }),
    (v) => ({ op: 'edit', what: 'item-tag', campaign: w.campaign, id: w.item, value: v }),
    (v) => ({ op: 'edit', what: 'journal-append', id: w.journal, value: v }),
  ];
}

const stepArb = fc.record({
  peer: fc.nat(4),
  action: fc.constantFrom('edit', 'edit', 'edit', 'edit', 'edit', 'partition', 'heal', 'kill', 'relay'),
  pick: fc.nat(7),
});

describe('sync convergence (fast-check, real relay, killed peer processes)', () => {
  it('all peers converge to the same JSON under the same ids and lose nothing acknowledged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 5 }),
        fc.array(stepArb, { minLength: 8, maxLength: 24 }),
        async (n, steps) => {
          const dirs = Array.from({ length: n }, () => tempDir('lf-conv-'));
          const peers: AnyPeer[] = [];
          try {
            // The DM's world: two player characters, an NPC (never shared), an item and a journal.
            const host = await createCore({ dataDir: dirs[0]!.dir, author: 'dm' });
            const w: World = await (async () => {
              const campaign = (await host.campaigns.create({ name: 'Converging Vale' })).id;
              const pcA = (await host.characters.import({ build: build({ name: 'Ash' }) }, { campaign })).id;
              const pcB = (await host.characters.import({ build: build({ name: 'Birch' }) }, { campaign }))
                .id;
              const npc = (
                await host.characters.import({ build: build({ name: 'Vex' }), kind: 'npc' }, { campaign })
              ).id;
              const item = (await host.items.import({ name: 'Lantern', category: 'gear' }, { campaign })).id;
              const journal = (await host.journals.create(campaign, { title: 'Session 1', text: 'Notes:' }))
                .id;
              const session = (await host.campaigns.createSession(campaign, { number: 1 })).id;
              // DM-only: the encounter lives in the campaign's dmnotes document.
              await host.campaigns.addEncounter(campaign, { name: 'Ambush', participants: [npc] });
              return { campaign, pcA, pcB, item, journal, session, npc };
            })();
            await host.close();

            const tok = (role: 'dm' | 'player', user: string, owns: string[]) =>
              createRelayToken(
                { campaign: w.campaign, user, role, owns, ttlSeconds: 3600, nowMs: Date.now() },
                relay.secret,
              );
            // Peer layout: 0 DM host (here), 1 DM's second device (child), 2 player of A (child),
            // 3 player of B (here), 4 player of A (child).
            const layout: { role: 'dm' | 'player'; own: string; child: boolean }[] = [
              { role: 'dm', own: w.pcA, child: false },
              { role: 'dm', own: w.pcA, child: true },
              { role: 'player', own: w.pcA, child: true },
              { role: 'player', own: w.pcB, child: false },
              { role: 'player', own: w.pcA, child: true },
            ];
            const roles = layout.slice(0, n);
            for (const [i, r] of roles.entries()) {
              const cfg: PeerConfig = {
                dataDir: dirs[i]!.dir,
                relayUrl: relay.url,
                token: tok(r.role, `${r.role}-${i}`, r.role === 'player' ? [r.own] : []),
                author: `peer-${i}`,
                ...(i === 0 ? { campaign: w.campaign } : {}),
              };
              if (r.child) {
                const c = new ChildPeer(cfg);
                await c.start();
                peers.push({ kind: 'child', peer: c, online: true });
              } else {
                const p = await openPeer(cfg);
                await p.online();
                peers.push({ kind: 'in', peer: p, online: true });
              }
            }

            const acked = { lists: new Map<string, Set<string>>(), texts: new Map<string, Set<string>>() };
            const note = (e: PeerEdit) => {
              const listKey =
                e.what === 'fear'
                  ? `fear:${e.id}`
                  : e.what === 'item-tag'
                    ? 'tags'
                    : e.what === 'journal-append'
                      ? 'journal'
                      : e.what === 'dm-secret'
                        ? 'secrets'
                        : e.what === 'session-combatant'
                          ? 'combatants'
                          : undefined;
              if (listKey) {
                if (!acked.lists.has(listKey)) acked.lists.set(listKey, new Set());
                acked.lists.get(listKey)!.add(e.value);
                return;
              }
              const key = e.what === 'backstory' ? `backstory:${e.id}` : e.what;
              if (!acked.texts.has(key)) acked.texts.set(key, new Set());
              acked.texts.get(key)!.add(e.value);
            };
            /** Acknowledged requests per player (its intents document is found by owner at the end). */
            const intents = new Map<string, Set<string>>();
            const noteIntent = (author: string, v: string) => {
              if (!intents.has(author)) intents.set(author, new Set());
              intents.get(author)!.add(v);
            };
            const pending: Promise<void>[] = [];

            for (const [s, step] of steps.entries()) {
              const i = step.peer % n;
              const p = peers[i]!;
              const r = roles[i]!;
              if (step.action === 'edit') {
                const choices = editsFor(r.role, r.own, w);
                const e = choices[step.pick % choices.length]!(`p${i}-s${s}`);
                const ack = () => (e.what === 'intent' ? noteIntent(`peer-${i}`, e.value) : note(e));
                if (p.kind === 'in') {
                  await p.peer.edit(e);
                  ack();
                } else {
                  if (!p.peer.alive) await p.peer.start();
                  // Sent without waiting for the previous edits to travel: edits are concurrent.
                  pending.push(p.peer.send(e).then(ack));
                  await Promise.all(pending.splice(0));
                }
              } else if (step.action === 'relay') {
                // The relay itself is SIGKILLed and restarted on its port and data folder.
                await relay.restart();
              } else if (step.action === 'partition') {
                if (p.kind === 'in') p.peer.offline();
                else if (p.peer.alive) await p.peer.send({ op: 'offline' });
                p.online = false;
              } else if (step.action === 'heal') {
                if (p.kind === 'in') await p.peer.online();
                else if (p.peer.alive) await p.peer.send({ op: 'online' });
                else await p.peer.start();
                p.online = true;
              } else if (p.kind === 'child') {
                await p.peer.kill();
              } else {
                p.peer.offline();
                p.online = false;
              }
            }

            // Heal everything: restart killed processes, bring every peer online.
            for (const p of peers) {
              if (p.kind === 'in') await p.peer.online();
              else if (!p.peer.alive) await p.peer.start();
              else await p.peer.send({ op: 'online' });
            }
            const dumpOf = async (p: AnyPeer) =>
              p.kind === 'in'
                ? p.peer.dump()
                : (JSON.parse((await p.peer.send({ op: 'dump' })).slice(5)) as Record<string, unknown>);
            const shared = [
              `${w.campaign}/campaign/${w.campaign}`,
              `${w.campaign}/character/${w.pcA}`,
              `${w.campaign}/character/${w.pcB}`,
              `${w.campaign}/item/${w.item}`,
              `${w.campaign}/journal/${w.journal}`,
              `${w.campaign}/session/${w.session}`,
            ];
            const dmOnly = `${w.campaign}/dmnotes/${w.campaign}`;
            let dumps: Record<string, unknown>[] = [];
            const deadline = Date.now() + 60_000;
            for (;;) {
              dumps = await Promise.all(peers.map(dumpOf));
              const ref = dumps[0]!;
              const same = dumps.every(
                (d) =>
                  shared.every((k) => k in d) &&
                  Object.keys(d).every((k) => JSON.stringify(d[k]) === JSON.stringify(ref[k])),
              );
              if (same || Date.now() > deadline) break;
              await new Promise((r) => setTimeout(r, 250));
            }

            // Same documents under the same ids; equal JSON for every document two peers share.
            for (const [i, d] of dumps.entries()) {
              for (const k of shared) expect(d, `peer ${i} has ${k}`).toHaveProperty([k]);
              expect(
                Object.keys(d).some((k) => k.includes(w.npc)),
                `peer ${i} never gets the NPC`,
              ).toBe(false);
              for (const k of Object.keys(d)) expect(d[k], `peer ${i}: ${k}`).toEqual(dumps[0]![k]);
            }
            // DM devices hold the same set of documents, DM notes included; players never get DM notes, nor
            // another player's intents.
            if (n > 1) expect(Object.keys(dumps[1]!).sort()).toEqual(Object.keys(dumps[0]!).sort());
            for (const i of [0, 1].filter((x) => x < n)) expect(dumps[i], `DM ${i}`).toHaveProperty([dmOnly]);
            const intentsOf = (d: Record<string, unknown>) =>
              Object.entries(d).filter(([k]) => k.includes('/intents/')) as [
                string,
                Record<string, unknown>,
              ][];
            for (const [i, d] of dumps.entries()) {
              if (roles[i]!.role !== 'player') continue;
              expect(
                Object.keys(d).filter((k) => k.includes('/dmnotes/')),
                `player ${i}`,
              ).toEqual([]);
              for (const [k, doc] of intentsOf(d))
                expect(doc['owner'], `player ${i}: ${k}`).toBe(`peer-${i}`);
            }
            // Every acknowledged request is in its player's one intents document, at every DM device.
            for (const [author, values] of intents) {
              const docs = intentsOf(dumps[0]!).filter(([, doc]) => doc['owner'] === author);
              expect(docs.length, `${author} has one intents document`).toBe(1);
              const ids = (docs[0]![1]['requests'] as { id: string }[]).map((r) => r.id);
              for (const v of values)
                expect(
                  ids.filter((x) => x === v),
                  `request ${v}`,
                ).toEqual([v]);
            }

            const final = dumps[0]! as Record<string, Record<string, unknown>>;
            const narrative = (id: string) =>
              final[`${w.campaign}/character/${id}`]!['narrative'] as { fears: string[]; backstory?: string };
            for (const [key, values] of acked.lists) {
              if (key === 'journal') {
                // Concurrent appends to one Y.Text: every acknowledged word is in the merged text, once.
                const text = final[`${w.campaign}/journal/${w.journal}`]!['text'] as string;
                for (const v of values) expect(text.split(' ').filter((x) => x === v)).toEqual([v]);
                continue;
              }
              const list =
                key === 'tags'
                  ? (final[`${w.campaign}/item/${w.item}`]!['tags'] as string[])
                  : key === 'secrets'
                    ? (final[dmOnly]!['secrets'] as string[])
                    : key === 'combatants'
                      ? (final[`${w.campaign}/session/${w.session}`]!['combatants'] as { id: string }[]).map(
                          (c) => c.id,
                        )
                      : narrative(key.slice('fear:'.length)).fears;
              for (const v of values) expect(list, `acknowledged append ${v} in ${key}`).toContain(v);
              // Nothing doubled.
              expect(list.filter((x) => values.has(x)).length).toBe(values.size);
            }
            for (const [key, values] of acked.texts) {
              const value =
                key === 'campaign-description'
                  ? final[`${w.campaign}/campaign/${w.campaign}`]!['description']
                  : narrative(key.slice('backstory:'.length)).backstory;
              if (key.startsWith('backstory:') && !values.has(value as string)) {
                // A backstory is a Y.Text since character/4: devices that wrote it concurrently merge per
                // character, so the result holds the writes' characters (every one from a written value).
                const written = new Set([...values].join(''));
                expect(String(value).length, `${key} holds merged writes`).toBeGreaterThan(0);
                expect(
                  [...String(value)].filter((c) => !written.has(c)),
                  `${key} holds only written characters`,
                ).toEqual([]);
              } else expect([...values], `${key} holds a written value`).toContain(value);
            }

            // Stop the processes, then check what is on disk: nothing duplicated, same state after a reopen.
            for (const p of peers) if (p.kind === 'child') await p.peer.kill();
            for (const p of peers) if (p.kind === 'in') await p.peer.close();
            for (const [i, dir] of dirs.entries()) {
              const core = await createCore({ dataDir: dir.dir, author: 'check' });
              try {
                expect((await core.campaigns.list()).map((c) => c.id)).toEqual([w.campaign]);
                const chars = (await core.characters.list({ campaign: w.campaign })).map((c) => c.id).sort();
                expect(chars).toEqual((i === 0 ? [w.pcA, w.pcB, w.npc] : [w.pcA, w.pcB]).sort());
                const disk = await dumpShared(core, w.campaign);
                for (const k of shared) expect(disk[k], `peer ${i} on disk: ${k}`).toEqual(dumps[0]![k]);
              } finally {
                await core.close();
              }
            }
          } finally {
            for (const p of peers) {
              if (p.kind === 'child') await p.peer.kill();
              else await p.peer.close().catch(() => undefined);
            }
            for (const d of dirs) d.cleanup();
          }
        },
      ),
      { numRuns: 2, endOnFailure: true },
    );
  }, 600_000);
});
