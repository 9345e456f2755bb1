/** The live change feed reaches the api event bus: handlers no longer emit entity changes by hand. */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editJournal } from '../src/docs/journal-doc';
import { createCore } from '../src/index';
import { openTestBridge } from './bridge-helper';
import { build } from './helpers';

describe('change feed → event bus', { timeout: 30_000 }, () => {
  it('emits entity.changed (and characters.changed) for local edits, remote updates and direct live writes', async () => {
    const bridge = await openTestBridge(await createCore({ dataDir: null, author: 'dm' }));
    const { core, handlers, events } = bridge;
    try {
      const c = await core.campaigns.create({ name: 'Bus' });
      const ch = await core.characters.import(build({ name: 'Aria' }), { campaign: c.id });
      events.length = 0;
      await handlers['characters.edit']({ id: ch.id, set: [{ path: '/build/name', value: 'Aria Vale' }] });
      expect(events).toContainEqual({
        event: 'entity.changed',
        payload: { campaign: c.id, id: ch.id, kind: 'character', origin: 'local-user' },
      });
      expect(events).toContainEqual({ event: 'characters.changed', payload: { id: ch.id, source: 'local' } });

      // A journal written straight into its live document (as the UI's editor or the sync client would).
      const { id: jid } = await core.journals.create(c.id, { title: 'Log', text: 'Day one.' });
      events.length = 0;
      const h = await core.live.open({ campaign: c.id, kind: 'journal', docId: jid });
      editJournal(h.doc, (j) => ({ ...j, text: 'Day one. Storm.' }), { kind: 'remote', author: 'bob' });
      await core.live.flush();
      expect(events).toEqual([
        {
          event: 'entity.changed',
          payload: { campaign: c.id, id: jid, kind: 'journal', origin: 'remote:bob' },
        },
      ]);
      // Text merges per character: a concurrent insert elsewhere keeps both.
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(h.doc));
      editJournal(other, (j) => ({ ...j, text: `Log: ${String(j['text'])}` }), {
        kind: 'local-user',
        author: 'x',
      });
      editJournal(h.doc, (j) => ({ ...j, text: `${String(j['text'])} Calm.` }), {
        kind: 'local-user',
        author: 'dm',
      });
      Y.applyUpdate(h.doc, Y.encodeStateAsUpdate(other), { kind: 'remote', author: 'x' });
      h.release();
      await core.live.flush();
      expect((await core.journals.show(jid)).text).toBe('Log: Day one. Storm. Calm.');
    } finally {
      await bridge.close();
    }
  });
});
