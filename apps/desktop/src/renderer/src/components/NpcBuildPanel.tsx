/**
 * The build of an NPC stub, on its entity page (Journals › entity). A stub is public lore; its mechanics are a
 * DM-only npc character linked from the DM notes (core `memory/npc-build.ts`). The DM sees "No build yet" with
 * "Generate a build", or a link to the build's sheet (the Character screen). A player's app shows nothing of it:
 * the panel renders only where this data folder is the campaign's DM (`play.sessions` role: a local campaign or a
 * DM membership), and a player's folder never holds the link anyway (no DM notes, so `memory.entity` has no
 * `build`).
 *
 * Generating is one bridge call, `memory.npcGenerate` (core `generateNpcBuild`, what `entity build --generate`
 * runs): concept = the stub's name and page, the app's character-creation provider (the offline generator when
 * no model answers), the build named after the stub, finalized (no draft left) and linked in the DM notes. One
 * character is stored, nothing else.
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
      const res = await attempt(() => call('memory.npcGenerate', { id: entity.id }));
      if (!res) return;
      setCharacterId(res.characterId);
      notify('info', `${entity.name} has a build now (DM only).`);
    } finally {
      setBusy(false);
    }
  }, [entity.id, entity.name, notify]);

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
