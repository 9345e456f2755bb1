/** One campaign: its characters, export, and sharing over the relay. */
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { useData } from '../stores/data';
import { attempt, useUi } from '../stores/ui';
import { KIND_NAMES } from '../words';

function download(name: string, base64: string) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Campaign() {
  const id = useUi((s) => s.campaignId);
  const go = useUi((s) => s.go);
  const detail = useData((s) => (id ? s.campaignDetail[id] : undefined));
  const load = useData((s) => s.loadCampaign);
  const [player, setPlayer] = useState('');
  const [role, setRole] = useState<'player' | 'dm' | 'spectator'>('player');
  const [owns, setOwns] = useState('');
  const [invite, setInvite] = useState('');
  const [showDrafts, setShowDrafts] = useState(false);

  useEffect(() => {
    if (id) void load(id);
  }, [id, load]);

  if (!id) return <p>No campaign selected.</p>;
  if (!detail) return <p role="status">Loading…</p>;
  const { info } = detail;
  // Finalized characters by default; drafts (still on their draft branch) on request.
  const drafts = detail.characters.filter((c) => c.branch === 'draft');
  const characters = showDrafts ? detail.characters : detail.characters.filter((c) => c.branch !== 'draft');
  return (
    <div className="screen">
      <h1>{info.name}</h1>
      {detail.description && <p className="muted">{detail.description}</p>}
      <div className="row">
        <button type="button" onClick={() => go('create', { campaignId: id })}>
          New character
        </button>
        {!info.isLibrary && (
          <button type="button" onClick={() => go('table', { campaignId: id })}>
            Table
          </button>
        )}
        {!info.isLibrary && (
          <button type="button" onClick={() => go('journals', { campaignId: id })}>
            Journals
          </button>
        )}
        {!info.isLibrary && (
          <button type="button" onClick={() => go('story', { campaignId: id })}>
            Story outline
          </button>
        )}
        {!info.isLibrary && (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void attempt(() => call('campaigns.export', { id })).then(
                (r) => r && download(r.fileName, r.dataBase64),
              )
            }
          >
            Export campaign
          </button>
        )}
      </div>
      <div className="row">
        <h2>Characters</h2>
        {drafts.length > 0 && (
          <label className="inline">
            <input type="checkbox" checked={showDrafts} onChange={(e) => setShowDrafts(e.target.checked)} />
            Show drafts ({drafts.length})
          </label>
        )}
      </div>
      <ul className="character-list" aria-label="Characters">
        {characters.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="link"
              onClick={() =>
                c.branch === 'draft'
                  ? go('create', { draftId: c.id })
                  : go('character', { characterId: c.id, campaignId: id })
              }
            >
              {c.name}
            </button>{' '}
            <span className="muted">
              {KIND_NAMES[c.kind] ?? c.kind}
              {c.branch === 'draft' ? ' · draft' : c.branch !== 'main' ? ` · on ${c.branch}` : ''}
            </span>
          </li>
        ))}
        {characters.length === 0 && (
          <li className="muted">
            {drafts.length > 0
              ? 'No finished characters yet; finalize a draft to see it here.'
              : 'No characters yet.'}
          </li>
        )}
      </ul>
      {!info.isLibrary && (
        <section className="card" aria-label="Share campaign">
          <h2>Share over the relay</h2>
          <p className="muted">
            Creates an invite for another player. Needs the relay URL and secret in Settings.
          </p>
          <form
            className="row wrap"
            onSubmit={(e) => {
              e.preventDefault();
              void attempt(() =>
                call('sync.share', {
                  campaign: id,
                  user: player || 'player',
                  role,
                  owns: owns ? [owns] : [],
                }),
              ).then((r) => r && setInvite(r.invite));
            }}
          >
            <label>
              Player name
              <input value={player} onChange={(e) => setPlayer(e.target.value)} placeholder="Sam" />
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
                <option value="player">Player</option>
                <option value="dm">Dungeon Master</option>
                <option value="spectator">Spectator</option>
              </select>
            </label>
            <label>
              Plays character
              <select value={owns} onChange={(e) => setOwns(e.target.value)}>
                <option value="">(none)</option>
                {detail.characters
                  .filter((c) => c.branch !== 'draft')
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit">Create invite</button>
          </form>
          {invite && (
            <label className="block">
              Invite (send it to the player)
              <textarea readOnly value={invite} rows={3} onFocus={(e) => e.target.select()} />
            </label>
          )}
        </section>
      )}
    </div>
  );
}
