/**
 * Issue 10 (app part): the `journals.*` bridge channels the Journals screen uses — create with mentions resolved
 * to `@[Label](ID)`, typing merged into the live text without losing a remote edit, private journals, and bad
 * input refused with the field named and nothing written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeHandlers } from '../src/api/handlers';
import { openTestBridge } from './bridge-helper';
import { invokeHandler } from '../src/api/invoke';
import type { Core } from '../src/core';
import { openCore } from './helpers';

describe('journals.* channels', { timeout: 30_000 }, () => {
  let dir = '';
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('create resolves mentions, editText merges, private stays private, bad input is refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-journals-'));
    core = await openCore(dir);
    const h = (await openTestBridge(core, { dataDir: dir })).handlers;
    try {
      const { id: campaign } = await core.campaigns.create({ name: 'Saltmarsh' });
      const made = await h['journals.create']({
        campaign,
        title: 'Recap',
        text: 'We met @[Gregor](new:npc) at the inn.',
        private: false,
        session: 1,
      });
      const gregor = made.mentions.find((m) => m.name === 'Gregor');
      expect(gregor).toBeDefined();
      expect(made.text).toBe(`We met @[Gregor](${gregor?.id ?? ''}) at the inn.`);
      expect((await h['memory.mentions']({ id: gregor?.id ?? '' })).map((b) => b.journalId)).toEqual([
        made.id,
      ]);

      // Two forms typed from the same base: both edits are kept.
      const base = made.text;
      const one = await h['journals.editText']({ id: made.id, base, text: `Late at night, ${base}` });
      expect(one.text).toBe(`Late at night, ${base}`);
      const two = await h['journals.editText']({ id: made.id, base, text: `${base} He paid 200 gold.` });
      expect(two.text).toBe(`Late at night, ${base} He paid 200 gold.`);
      // A plain `@Name` typed in the form is stored as `@[Name](ID)`.
      const three = await h['journals.editText']({
        id: made.id,
        base: two.text,
        text: `${two.text} @Gregor left.`,
      });
      expect(three.text).toContain(`@[Gregor](${gregor?.id ?? ''}) left.`);
      expect((await core.journals.show(made.id)).text).toBe(three.text);

      const secret = await h['journals.create']({ campaign, title: 'Notes', text: 'shh', private: true });
      const rows = await h['journals.list']({ campaign });
      expect(rows.map((r) => [r.title, r.private, r.session])).toEqual(
        expect.arrayContaining([
          ['Recap', false, 1],
          ['Notes', true, undefined],
        ]),
      );
      expect((await h['journals.show']({ id: secret.id })).private).toBe(true);

      // Bad input: the field and the reason; nothing is written.
      const noTitle = await invokeHandler(h, 'journals.create', { campaign, title: '  ' });
      expect(noTitle.ok).toBe(false);
      if (!noTitle.ok) expect(noTitle.error.message).toMatch(/title.*must not be empty/);
      const unknown = await invokeHandler(h, 'journals.create', {
        campaign,
        title: 'Bad',
        text: 'We met @Nobodyatall.',
      });
      expect(unknown.ok).toBe(false);
      if (!unknown.ok) expect(unknown.error.message).toMatch(/text: .*Nobodyatall/);
      const badEdit = await invokeHandler(h, 'journals.editText', {
        id: made.id,
        base: three.text,
        text: `${three.text} @Nobodyatall`,
      });
      expect(badEdit.ok).toBe(false);
      expect((await core.journals.show(made.id)).text).toBe(three.text);
      expect((await h['journals.list']({ campaign })).length).toBe(2);
    } finally {
      disposeHandlers(h);
    }
  });
});
