/**
 * The live bridge (`live.*` channels): the app's rich-text editor keeps its own `Y.Doc` in step with core's live
 * document of one journal. `live.open` returns the document's state (and the fragment to bind, `body`);
 * `live.update` applies the renderer's updates to the live document (origin `local-user`, the app's user as
 * author, so they are stored, synced and announced like any local edit); every other change to that document
 * (a remote peer, the command line, another window) is pushed to the renderer as a `live.update` event.
 * `live.close` releases the document.
 *
 * Permissions: only journals (public, or private ones in the DM's notes) open here; a private journal never opens
 * for a member that is not the DM; an update is refused (`read-only`) unless this data folder may write the
 * document (the live handle's access, from the campaign membership) and the document is at the current journal
 * version (journal/3, or dmnotes/2 for a private journal; an older one waits for the DM's peer to migrate it).
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Core } from '../core';
import { docVersion } from '../docs/doc-type';
import { dmnotesDocType } from '../docs/dmnotes-doc';
import { journalDocType } from '../docs/journal-doc';
import type { TransactionOrigin } from '../docs/origin';
import { relabelMentions, RICH_TEXT_FIELD } from '../docs/rich-text';
import { mentionLabels } from '../memory/labels';
import { CoreError } from '../errors';
import type { LiveHandle } from '../live/types';
import type { EventBus } from './events';

const id = z.string().trim().min(1, 'must not be empty').max(200);
/** One update at most 8 MiB as base64 (a pasted long journal); the bridge's message limit applies first. */
const update = z
  .string()
  .max(8 * 1024 * 1024, 'at most 8 MiB of base64')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const liveInputSchemas = {
  /** Open a journal's live document for the editor: `{ session, update, access, field, … }`. */
  'live.open': z.object({ id }),
  /** A Yjs update made by the renderer's editor (base64), applied to the live document. */
  'live.update': z.object({ session: id, update }),
  'live.close': z.object({ session: id }),
};

type In<C extends keyof typeof liveInputSchemas> = z.output<(typeof liveInputSchemas)[C]>;

interface BridgeSession {
  handle: LiveHandle;
  /** This session's origin object: its own updates are not echoed back to it. */
  origin: TransactionOrigin;
  stop(): void;
}

const toBase64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

export function createLiveBridge(core: Core, deps: { bus: EventBus; author: () => string }) {
  const sessions = new Map<string, BridgeSession>();

  function sessionOf(session: string): BridgeSession {
    const s = sessions.get(session);
    if (!s)
      throw new CoreError('not-found', `session: no open live document "${session}" (opened and not closed)`);
    return s;
  }

  /** Names by id, so mentions show the entity's current name (the stored label is the fallback). */
  async function currentNames(campaign: string): Promise<Map<string, string>> {
    try {
      return (await mentionLabels(core, campaign)).names;
    } catch {
      return new Map();
    }
  }

  const handlers = {
    'live.open': async ({ id: journalId }: In<'live.open'>) => {
      const j = await core.journals.show(journalId);
      const kind = j.private ? ('dmnotes' as const) : ('journal' as const);
      const membership = await core.campaigns.membership(j.campaign);
      if (kind === 'dmnotes' && membership && membership.role !== 'dm') {
        throw new CoreError(
          'read-only',
          `journal ${journalId}: a private journal is the DM's; this data folder is a ${membership.role} of campaign ${j.campaign}`,
        );
      }
      const handle = await core.live.open({ campaign: j.campaign, kind, docId: journalId });
      const version = docVersion(handle.doc);
      const current = kind === 'journal' ? journalDocType.currentVersion : dmnotesDocType.currentVersion;
      const rich = version === current;
      const access = handle.access === 'write' && rich ? 'write' : 'read';
      const reason =
        handle.access !== 'write'
          ? `this data folder is a ${membership?.role ?? 'reader'} of campaign ${j.campaign} and may only read this journal`
          : !rich
            ? `the journal is at ${kind}/${version}; the DM's peer updates it to ${kind}/${current}`
            : null;
      const session = randomUUID();
      const origin: TransactionOrigin = { kind: 'local-user', author: deps.author() || 'local' };
      const onUpdate = (u: Uint8Array, from: unknown) => {
        if (from === origin) return;
        deps.bus.emit('live.update', { session, update: toBase64(u) });
      };
      handle.doc.on('update', onUpdate);
      sessions.set(session, {
        handle,
        origin,
        stop: () => {
          handle.doc.off('update', onUpdate);
          handle.release();
        },
      });
      const names = await currentNames(j.campaign);
      return {
        session,
        journal: { ...j, text: relabelMentions(j.text, names) },
        /** The whole document's state (apply it to a fresh Y.Doc). */
        update: toBase64(Y.encodeStateAsUpdate(handle.doc)),
        /** The `Y.XmlFragment` the editor binds (Tiptap Collaboration's `field`); null: show `journal.text`. */
        field: rich ? RICH_TEXT_FIELD : null,
        access,
        reason,
        /** Current entity names of the campaign by id, for mention labels. */
        names: Object.fromEntries(names),
        /** The app's user: the editor's own Yjs client writes it into the document's `authors` map. */
        user: origin.author,
        /** Whether this data folder may create lore (an NPC stub from the `@` menu): a local campaign or the DM. */
        canCreateStubs: !membership || membership.role === 'dm',
      };
    },

    'live.update': async ({ session, update: u }: In<'live.update'>) => {
      const s = sessionOf(session);
      // The same check as every edit (the registry's write guard, from the membership), before anything applies.
      if (s.handle.access !== 'write') {
        throw new CoreError(
          'read-only',
          `journal ${s.handle.ref.docId}: this data folder may only read it; nothing was changed`,
        );
      }
      const { kind, docId } = s.handle.ref;
      const current = kind === 'journal' ? journalDocType.currentVersion : dmnotesDocType.currentVersion;
      if (docVersion(s.handle.doc) !== current) {
        throw new CoreError(
          'read-only',
          `journal ${docId}: only a ${kind}/${current} document takes editor updates; nothing was changed`,
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(Buffer.from(u, 'base64'));
        Y.applyUpdate(s.handle.doc, bytes, s.origin);
      } catch (err) {
        throw new CoreError(
          'invalid-input',
          `update: not a Yjs update (${err instanceof Error ? err.message : 'unreadable'})`,
        );
      }
      return { applied: bytes.length };
    },

    'live.close': async ({ session }: In<'live.close'>) => {
      const s = sessions.get(session);
      if (!s) return { closed: false };
      sessions.delete(session);
      s.stop();
      return { closed: true };
    },
  };

  return {
    handlers,
    /** Release every open session (the host is closing). */
    dispose(): void {
      for (const s of sessions.values()) s.stop();
      sessions.clear();
    },
    /** Open sessions (tests). */
    get open(): number {
      return sessions.size;
    },
  };
}
