/**
 * The whole role × doc kind × read/write matrix of issue 4, one test per cell, against a real relay. The
 * expectations are written out here by hand (not derived from core's PERMISSION_TABLE).
 */
import {
  DOC_KINDS,
  MESSAGE_AUTH,
  SYNC_STEP2,
  SYNC_UPDATE,
  docName,
  type DocKind,
  type Role,
} from '@loreforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/index';
import { CAMPAIGN, RawClient, makeRelay, mapOf, syncFrame, tempDir, token, updateSetting } from './helpers';

type Cell = 'rw' | 'r' | 'none';
/** [dm, player owning the doc, player not owning it, spectator]; journals readable by all since issue 9. */
const EXPECTED: Record<DocKind, [Cell, Cell, Cell, Cell]> = {
  campaign: ['rw', 'r', 'r', 'r'],
  item: ['rw', 'r', 'r', 'r'],
  character: ['rw', 'rw', 'r', 'r'],
  journal: ['rw', 'rw', 'r', 'r'],
  dmnotes: ['rw', 'none', 'none', 'none'],
  session: ['rw', 'r', 'r', 'r'],
  intents: ['rw', 'rw', 'none', 'none'],
  lore: ['rw', 'r', 'r', 'r'],
};

interface Case {
  kind: DocKind;
  role: Role;
  owned: boolean;
  expected: Cell;
}

const cases: Case[] = [];
for (const kind of DOC_KINDS) {
  const [dm, playerOwned, playerOther, spectator] = EXPECTED[kind];
  for (const owned of [true, false]) {
    cases.push({ kind, role: 'dm', owned, expected: dm });
    cases.push({ kind, role: 'player', owned, expected: owned ? playerOwned : playerOther });
    cases.push({ kind, role: 'spectator', owned, expected: spectator });
  }
}

describe('permission matrix', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: Relay;
  beforeAll(async () => {
    tmp = tempDir();
    relay = (await makeRelay(tmp.dir)).relay;
  });
  afterAll(async () => {
    await relay.close();
    tmp.cleanup();
  });

  /** A DM connection that seeded the document and stays connected to observe forwarding. */
  async function seeded(name: string): Promise<RawClient> {
    const dm = await RawClient.forDoc(relay, name, token('dm', { user: 'observer' }));
    dm.send(syncFrame(SYNC_UPDATE, updateSetting('seed', 'by-dm')));
    await dm.roundTrip();
    return dm;
  }

  function subjectToken(c: Case, docId: string): string {
    return token(c.role, { owns: c.owned ? [docId] : ['someone-else'], user: `${c.role}-subject` });
  }

  it.each(cases)('$role (owns doc: $owned) on $kind: read, expected $expected', async (c) => {
    const docId = `${c.kind}-${c.role}-${c.owned ? 'own' : 'other'}-read`;
    const name = docName(CAMPAIGN, c.kind, docId);
    const dm = await seeded(name);
    try {
      const connecting = RawClient.forDoc(relay, name, subjectToken(c, docId));
      if (c.expected === 'none') {
        await expect(connecting).rejects.toMatchObject({ status: 403 });
        return;
      }
      const subject = await connecting;
      const state = await subject.roundTrip();
      expect(mapOf(state)).toEqual({ seed: 'by-dm' });
      subject.close();
    } finally {
      dm.close();
    }
  });

  it.each(cases)('$role (owns doc: $owned) on $kind: write, expected $expected', async (c) => {
    const docId = `${c.kind}-${c.role}-${c.owned ? 'own' : 'other'}-write`;
    const name = docName(CAMPAIGN, c.kind, docId);
    const dm = await seeded(name);
    try {
      const connecting = RawClient.forDoc(relay, name, subjectToken(c, docId));
      if (c.expected === 'none') {
        await expect(connecting).rejects.toMatchObject({ status: 403 });
        expect(mapOf(relay.store.load(name))).toEqual({ seed: 'by-dm' });
        return;
      }
      const subject = await connecting;
      // Both kinds of write frame: sync step 2 and a plain update.
      subject.send(syncFrame(SYNC_STEP2, updateSetting('step2', 'by-subject')));
      subject.send(syncFrame(SYNC_UPDATE, updateSetting('update', 'by-subject')));
      await subject.roundTrip(); // the relay has processed both
      await dm.roundTrip(); // anything forwarded to the observer has arrived
      const stored = mapOf(relay.store.load(name));
      const forwarded = Object.assign({}, ...dm.updatesReceived().map((u) => mapOf(u))) as Record<
        string,
        unknown
      >;
      if (c.expected === 'rw') {
        expect(stored).toEqual({ seed: 'by-dm', step2: 'by-subject', update: 'by-subject' });
        expect(forwarded).toEqual({ step2: 'by-subject', update: 'by-subject' });
      } else {
        expect(stored).toEqual({ seed: 'by-dm' });
        expect(forwarded).toEqual({});
        // Refusals are audited aggregated: the first at once, the rest in one later row.
        expect(relay.store.auditLog({ event: 'write.refused', doc: name })).toHaveLength(1);
        expect(relay.stats().refusedWrites).toBeGreaterThanOrEqual(2);
        expect(subject.received.filter((m) => m.type === MESSAGE_AUTH)).toHaveLength(1);
        expect(subject.closeCode).toBeUndefined(); // dropped, not disconnected
      }
      subject.close();
    } finally {
      dm.close();
    }
  });

  it('covers every cell: every kind × 3 roles × owned/not owned', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...DOC_KINDS].sort());
    expect(new Set(cases.map((c) => `${c.kind}/${c.role}/${c.owned}`)).size).toBe(DOC_KINDS.length * 3 * 2);
  });
});
