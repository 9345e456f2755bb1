import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RelayStore } from '../src/index';
import { mapOf, tempDir, updateSetting } from './helpers';

describe('RelayStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('keeps an update log, folds it into the compacted state on load, and survives reopening', () => {
    const s1 = new RelayStore(tmp.dir);
    expect(s1.load('c/campaign/a')).toBeUndefined();
    s1.append('c/campaign/a', updateSetting('x', '1'));
    s1.append('c/campaign/a', updateSetting('y', '2'));
    s1.append('c/campaign/b', updateSetting('other', 'doc'));
    expect(s1.pendingUpdates('c/campaign/a')).toBe(2);
    expect(mapOf(s1.load('c/campaign/a'))).toEqual({ x: '1', y: '2' });
    expect(s1.pendingUpdates('c/campaign/a')).toBe(0); // merged into doc_states
    s1.append('c/campaign/a', updateSetting('z', '3'));
    s1.close(); // flushes the queued append

    const s2 = new RelayStore(tmp.dir);
    expect(mapOf(s2.load('c/campaign/a'))).toEqual({ x: '1', y: '2', z: '3' });
    expect(mapOf(s2.load('c/campaign/b'))).toEqual({ other: 'doc' });
    s2.close();
  });

  it('compact replaces the state and drops the log', () => {
    const s = new RelayStore(tmp.dir);
    const d = new Y.Doc();
    d.getMap('m').set('k', 'v');
    s.append('c/item/i', updateSetting('old', 'gone-from-log'));
    s.compact('c/item/i', Y.encodeStateAsUpdate(d));
    expect(s.pendingUpdates('c/item/i')).toBe(0);
    expect(mapOf(s.load('c/item/i'))).toEqual({ k: 'v' });
    s.close();
  });

  it('records audit entries', () => {
    const s = new RelayStore(tmp.dir, () => 1234);
    s.audit({ event: 'write.refused', doc: 'c/session/s', user: 'u', role: 'player', detail: '12 bytes' });
    s.audit({ event: 'conn.open', doc: 'c/session/s' });
    expect(s.auditLog({ event: 'write.refused' })).toEqual([
      {
        id: 1,
        at: 1234,
        event: 'write.refused',
        doc: 'c/session/s',
        user: 'u',
        role: 'player',
        detail: '12 bytes',
      },
    ]);
    expect(s.auditLog()).toHaveLength(2);
    s.close();
  });

  it('refuses a database from a newer relay', () => {
    new RelayStore(tmp.dir).close();
    const db = new Database(join(tmp.dir, 'relay.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => new RelayStore(tmp.dir)).toThrow(/schema 99 is newer/);
  });
});
