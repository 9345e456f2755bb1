/** Campaign list: create, open, import an archive. */
import { useEffect, useRef, useState } from 'react';
import { call } from '../bridge';
import { useData } from '../stores/data';
import { attempt, useUi } from '../stores/ui';

export function Campaigns() {
  const campaigns = useData((s) => s.campaigns);
  const loadCampaigns = useData((s) => s.loadCampaigns);
  const go = useUi((s) => s.go);
  const notify = useUi((s) => s.notify);
  const [name, setName] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadCampaigns();
  }, [loadCampaigns]);

  const importFile = async (file: File) => {
    const buf = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    const res = await attempt(() => call('campaigns.import', { fileName: file.name, dataBase64: btoa(bin) }));
    if (res) notify('info', `Imported campaign "${res.name}" (${res.entities} documents).`);
  };

  return (
    <div className="screen">
      <h1>Campaigns</h1>
      <form
        className="row card"
        aria-label="New campaign"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          void attempt(() => call('campaigns.create', { name: name.trim() })).then((c) => {
            if (c) {
              setName('');
              go('campaign', { campaignId: c.id });
            }
          });
        }}
      >
        <label>
          Campaign name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="The Sunless Citadel" />
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create campaign
        </button>
        <button type="button" className="secondary" onClick={() => fileRef.current?.click()}>
          Import campaign…
        </button>
        <button type="button" className="secondary" onClick={() => go('pitch')}>
          New campaign from a pitch…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".lfcampaign,application/octet-stream"
          hidden
          aria-label="Campaign archive file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
            e.target.value = '';
          }}
        />
      </form>
      {campaigns === null ? (
        <p role="status">Loading campaigns…</p>
      ) : (
        <ul className="campaign-list" aria-label="Campaign list" data-ready="true">
          {campaigns.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="campaign-card"
                onClick={() => go('campaign', { campaignId: c.id })}
              >
                <span className="title">{c.name}</span>
                <span className="muted">
                  {c.isLibrary ? 'Library · ' : ''}
                  {c.characters} character{c.characters === 1 ? '' : 's'}
                  {c.drafts > 0 ? ` · ${c.drafts} draft${c.drafts === 1 ? '' : 's'}` : ''}
                </span>
              </button>
            </li>
          ))}
          {campaigns.length === 0 && (
            <li className="muted">No campaigns yet. Create one, or make a character first.</li>
          )}
        </ul>
      )}
    </div>
  );
}
