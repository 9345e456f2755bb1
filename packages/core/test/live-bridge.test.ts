/**
 * Issue 10 item 2 (bridge): the rich-text editor's own Y.Doc kept in step with core's live journal document
 * through `live.open` / `live.update` / the `live.update` event / `live.close`, with the same permissions as every
 * edit (a reader's updates are refused, private journals never open for a player), mentions typed as nodes
 * becoming backlinks, and labels following renames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CoreEvents } from '../src/api/contract';
import { disposeHandlers } from '../src/api/handlers';
import { invokeHandler } from '../src/api/invoke';
import type { Core } from '../src/core';
import { readRichText, RICH_TEXT_FIELD } from '../src/docs/rich-text';
import { openTestBridge } from './bridge-helper';
import { openCore } from './helpers';

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('live.* bridge for the journal editor', { timeout: 60_000 }, () => {
  let dir = '';
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setup() {
    dir = mkdtempSync(join(tmpdir(), 'lf-live-bridge-'));
    core = await openCore(dir);
    const bridge = await openTestBridge(core, { dataDir: dir });
    const events: CoreEvents['live.update'][] = [];
    bridge.bus.subscribe((event, payload) => {
      if (event === 'live.update') events.push(payload as CoreEvents['live.update']);
    });
    const h = bridge.handlers;
    const { id: campaign } = await core.campaigns.create({ name: 'Saltmarsh' });
    return { core, h, campaign, events };
  }

  /** The renderer's side: a Y.Doc filled from `live.open`, sending its own updates through `live.update`. */
  function editorDoc(state: string) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, bytes(state), 'core');
    const out: string[] = [];
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'core') out.push(b64(u));
    });
    return { doc, out, fragment: doc.getXmlFragment(RICH_TEXT_FIELD) };
  }

  it('opens a journal, applies the editor updates, pushes other changes, and mention nodes become backlinks', async () => {
    const { core, h, campaign, events } = await setup();
    try {
      const duke = await core.memory.entities.create(campaign, { kind: 'npc', name: 'Duke Varo' });
      const made = await h['journals.create']({
        campaign,
        title: 'Recap',
        text: 'The duke paid.\nWe left at dawn.',
        private: false,
      });
      const opened = await h['live.open']({ id: made.id });
      expect(opened.access).toBe('write');
      expect(opened.canCreateStubs).toBe(true);
      expect(opened.user).toBe('me'); // the settings' user name, written by the editor's client as its author
      expect(opened.field).toBe(RICH_TEXT_FIELD);
      const ed = editorDoc(opened.update);
      expect(readRichText(ed.doc)).toBe('The duke paid.\nWe left at dawn.');

      // The editor types into the first paragraph (what y-prosemirror does) and inserts a mention node.
      ed.doc.transact(() => {
        const p = ed.fragment.get(0) as Y.XmlElement;
        (p.get(0) as Y.XmlText).insert(13, ' 50 gold to');
        const m = new Y.XmlElement('mention');
        m.setAttribute('id', duke.id);
        m.setAttribute('label', 'Duke Varo');
        m.setAttribute('mentionSuggestionChar', '@');
        const after = new Y.XmlText();
        after.insert(0, ' in secret');
        p.insert(p.length, [m, after]);
      });
      for (const u of ed.out.splice(0)) await h['live.update']({ session: opened.session, update: u });
      const shown = (await core.journals.show(made.id)).text;
      expect(shown).toBe(`The duke paid 50 gold to.@[Duke Varo](${duke.id}) in secret\nWe left at dawn.`);
      // The renderer's own updates are not echoed back to it.
      expect(events.filter((e) => e.session === opened.session)).toHaveLength(0);
      await core.live.flush();
      const backlinks = await h['memory.mentions']({ id: duke.id });
      expect(backlinks.map((b) => b.journalId)).toEqual([made.id]);

      // A change made elsewhere (the text channel: the command line's path) reaches the editor as an event.
      const cur = (await core.journals.show(made.id)).text;
      await h['journals.editText']({
        id: made.id,
        base: cur,
        text: cur.replace('at dawn', 'at first light'),
      });
      const pushed = events.filter((e) => e.session === opened.session);
      expect(pushed.length).toBeGreaterThan(0);
      for (const e of pushed) Y.applyUpdate(ed.doc, bytes(e.update), 'core');
      expect(readRichText(ed.doc)).toBe(cur.replace('at dawn', 'at first light'));

      // Concurrent: the editor types in paragraph 2 while the text channel edits paragraph 1; both survive.
      events.length = 0;
      const base = (await core.journals.show(made.id)).text;
      ed.doc.transact(() => ((ed.fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Then '));
      await h['journals.editText']({ id: made.id, base, text: base.replace('The duke', 'The old duke') });
      for (const u of ed.out.splice(0)) await h['live.update']({ session: opened.session, update: u });
      for (const e of events.filter((x) => x.session === opened.session))
        Y.applyUpdate(ed.doc, bytes(e.update), 'core');
      const final = (await core.journals.show(made.id)).text;
      expect(final).toContain('The old duke paid 50 gold');
      expect(final).toContain('Then We left at first light.');
      expect(readRichText(ed.doc)).toBe(final);

      // Labels follow renames: live.open shows the current name; the stored label is the fallback.
      await core.memory.entities.edit(duke.id, { name: 'Archduke Varo' });
      const again = await h['live.open']({ id: made.id });
      expect(again.names[duke.id]).toBe('Archduke Varo');
      expect(again.journal.text).toContain(`@[Archduke Varo](${duke.id})`);
      expect((await core.journals.show(made.id)).text).toContain(`@[Duke Varo](${duke.id})`);

      expect(await h['live.close']({ session: again.session })).toEqual({ closed: true });
      expect(await h['live.close']({ session: opened.session })).toEqual({ closed: true });
      const gone = await invokeHandler(h, 'live.update', {
        session: opened.session,
        update: ed.out[0] ?? 'AAA=',
      });
      expect(gone.ok).toBe(false);
      if (!gone.ok) expect(gone.error).toMatchObject({ code: 'not-found' });
    } finally {
      disposeHandlers(h);
    }
  });

  it('refuses bad input, a reader’s updates and private journals for a player', async () => {
    const { core, h, campaign } = await setup();
    try {
      const pub = await h['journals.create']({ campaign, title: 'Recap', text: 'hello', private: false });
      const secret = await h['journals.create']({ campaign, title: 'Secret', text: 'shh', private: true });
      const opened = await h['live.open']({ id: pub.id });
      const bad = await invokeHandler(h, 'live.update', { session: opened.session, update: 'not base64!' });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.message).toMatch(/update.*base64/);
      const junk = await invokeHandler(h, 'live.update', { session: opened.session, update: 'AQ==' });
      expect(junk.ok).toBe(false);
      if (!junk.ok) expect(junk.error).toMatchObject({ code: 'invalid-input' });
      const noId = await invokeHandler(h, 'live.open', { id: ' ' });
      expect(noId.ok).toBe(false);
      if (!noId.ok) expect(noId.error.message).toMatch(/id.*must not be empty/);
      await h['live.close']({ session: opened.session });

      // A private journal (the DM's notes, dmnotes/2) opens in the same editor for the DM and takes its typing.
      const mine = await h['live.open']({ id: secret.id });
      expect([mine.access, mine.field]).toEqual(['write', RICH_TEXT_FIELD]);
      const notes = editorDoc(mine.update);
      notes.doc.transact(() =>
        ((notes.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(3, ', the duke lies'),
      );
      for (const u of notes.out.splice(0)) await h['live.update']({ session: mine.session, update: u });
      expect((await core.journals.show(secret.id)).text).toBe('shh, the duke lies');
      await h['live.close']({ session: mine.session });

      // This data folder becomes a player of the campaign that owns neither journal.
      await core.campaigns.setMembership(campaign, { role: 'player', user: 'bo', owns: [] });
      const ro = await h['live.open']({ id: pub.id });
      expect(ro.access).toBe('read');
      expect(ro.canCreateStubs).toBe(false);
      const ed = editorDoc(ro.update);
      ed.doc.transact(() => ((ed.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'X'));
      const refused = await invokeHandler(h, 'live.update', { session: ro.session, update: ed.out[0]! });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error).toMatchObject({ code: 'read-only' });
      expect((await core.journals.show(pub.id)).text).toBe('hello');
      await h['live.close']({ session: ro.session });
      const priv = await invokeHandler(h, 'live.open', { id: secret.id });
      expect(priv.ok).toBe(false);
      if (!priv.ok) expect(priv.error).toMatchObject({ code: 'read-only' });
    } finally {
      disposeHandlers(h);
    }
  });
});
