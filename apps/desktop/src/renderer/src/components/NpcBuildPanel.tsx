/**
 * The build of an NPC stub, on its entity page (Journals › entity). A stub is public lore; its mechanics are a
 * DM-only npc character linked from the DM notes (core `memory/npc-build.ts`). The DM sees "No build yet" with
 * "Generate a build", or a link to the build's sheet (the Character screen). A player's app shows nothing of it:
 * the panel renders only where this data folder is the campaign's DM (`play.sessions` role: a local campaign or a
 * DM membership), and a player's folder never holds the link anyway (no DM notes, so `memory.entity` has no
 * `build`).
 *
 * Generating goes through the bridge's own channels: `drafts.generate` (kind npc, concept = the stub's name and
 * page; the app's configured provider, the offline generator when no model answers), the draft's document
 * (`characters.sheet` on its `draft` branch), `memory.npcBuild` (imported as the stub's build under the stub's
 * name, linked in the DM notes), then `drafts.discard` (the draft is not listed any more).
 */
import { useCallback, useEffect, useState } from 'react';
import { call } from '../bridge';
import { attempt, formatRoute, emptyRoute, useUi } from '../stores/ui';

export interface NpcStubEntity {
  id: string;
  campaign: string;
  kind: string | null;
  name: string;
  /** The stub's page in plain words (mentions shown as names). */
  text: string;
  /** Present only where this data folder holds the DM notes: the build's character, or null. */
  build?: { characterId: string } | null;
}

/** The concept the generator gets: the stub's name and page (what `entity build --generate` sends). */
export function npcConcept(name: string, page: string): string {
  const p = page.trim();
  return `${name}${p ? `: ${p}` : ''}`.slice(0, 2000);
}

export function NpcBuildPanel({ entity }: { entity: NpcStubEntity }) {
  const go = useUi((s) => s.go);
  const notify = useUi((s) => s.notify);
  const [role, setRole] = useState<string | null>(null);
  const [characterId, setCharacterId] = useState<string | null>(entity.build?.characterId ?? null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void attempt(() => call('play.sessions', { campaign: entity.campaign })).then(
      (s) => s && setRole(s.role),
    );
  }, [entity.campaign]);

  const generate = useCallback(async () => {
    setBusy(true);
    try {
      const draft = await attempt(() =>
        call('drafts.generate', {
          concept: npcConcept(entity.name, entity.text),
          kind: 'npc',
        }),
      );
      if (!draft) return;
      try {
        const doc = await attempt(() => call('characters.sheet', { id: draft.draftId, ref: 'draft' }));
        if (!doc) return;
        const { build, narrative, elements, provenance } = doc.doc;
        const res = await attempt(() =>
          call('memory.npcBuild', {
            id: entity.id,
            // The build takes the stub's name (the name players know).
            build: {
              build: { ...build, name: entity.name },
              narrative,
              ...(elements ? { elements } : {}),
              ...(provenance ? { provenance } : {}),
            },
          }),
        );
        if (!res) return;
        setCharacterId(res.characterId);
        notify('info', `${entity.name} has a build now (DM only).`);
      } finally {
        await attempt(() => call('drafts.discard', { draftId: draft.draftId }));
      }
    } finally {
      setBusy(false);
    }
  }, [entity.id, entity.name, entity.text, notify]);

  if (entity.kind !== 'npc' || role !== 'dm') return null;
  const href = formatRoute({ ...emptyRoute('character'), characterId, tab: 'sheet' });
  return (
    <section aria-labelledby="npc-build-h" className="card">
      <h3 id="npc-build-h">Build (DM only)</h3>
      {characterId ? (
        <p>
          <a
            href={href}
            onClick={(e) => {
              e.preventDefault();
              go('character', { characterId, tab: 'sheet' });
            }}
          >
            Open {entity.name}&rsquo;s character sheet
          </a>
        </p>
      ) : (
        <>
          <p className="muted">No build yet. Players only ever see this page, never the build.</p>
          <button type="button" disabled={busy} onClick={() => void generate()}>
            {busy ? 'Generating a build…' : 'Generate a build'}
          </button>
        </>
      )}
    </section>
  );
}
