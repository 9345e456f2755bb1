/** New campaign from a pitch (issue 13): pitch, party from the library's characters, theme, chapters, provider. */
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { attempt, useUi } from '../stores/ui';

type Row = { id: string; name: string; kind: string; branch: string };
const THEMES = ['fantasy', 'gothic horror', 'cyberpunk', 'nautical'];

export function Pitch() {
  const go = useUi((s) => s.go);
  const notify = useUi((s) => s.notify);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [pitch, setPitch] = useState('');
  const [party, setParty] = useState<string[]>([]);
  const [theme, setTheme] = useState('fantasy');
  const [chapters, setChapters] = useState(5);
  const [provider, setProvider] = useState<'offline' | 'ollama' | 'openai'>('offline');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void attempt(() => call('characters.list', {})).then((r) =>
      setRows((r ?? []).filter((c) => c.kind === 'pc' && c.branch !== 'draft')),
    );
    // Core gets ready for the first generation while the DM writes the pitch (nothing is written; a failure here
    // only means the first generation does that work itself).
    call('campaignGen.prepare', {}).catch(() => undefined);
  }, []);

  const ready = pitch.trim().length > 0 && party.length > 0 && !busy;
  return (
    <div className="screen">
      <h1>New campaign from a pitch</h1>
      <form
        className="card"
        aria-label="Campaign pitch"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready) return;
          setBusy(true);
          void attempt(() =>
            call('campaignGen.generate', { pitch: pitch.trim(), party, theme, chapters, provider }),
          ).then((g) => {
            setBusy(false);
            if (!g) return;
            notify('info', `Campaign generated: ${g.chapters.length} chapters, nemesis ${g.nemesis.name}.`);
            go('story', { campaignId: g.id });
          });
        }}
      >
        <label>
          Pitch
          <textarea
            value={pitch}
            rows={4}
            maxLength={4000}
            onChange={(e) => setPitch(e.target.value)}
            placeholder="A drowned bell tolls under the harbour and the dead walk the docks"
          />
        </label>
        <fieldset>
          <legend>Party</legend>
          {rows === null && <p role="status">Loading characters…</p>}
          {rows?.length === 0 && <p className="muted">No player characters yet: make some first.</p>}
          {rows?.map((c) => (
            <label key={c.id} className="row">
              <input
                type="checkbox"
                checked={party.includes(c.id)}
                onChange={(e) =>
                  setParty((p) => (e.target.checked ? [...p, c.id] : p.filter((x) => x !== c.id)))
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="row">
          <label>
            Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value)}>
              {THEMES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Chapters
            <input
              type="number"
              min={3}
              max={12}
              value={chapters}
              onChange={(e) => setChapters(Math.max(3, Math.min(12, Number(e.target.value) || 3)))}
            />
          </label>
          <label>
            Provider
            <select
              value={provider}
              onChange={(e) => setProvider(e.target.value as 'offline' | 'ollama' | 'openai')}
            >
              <option value="offline">offline</option>
              <option value="ollama">ollama</option>
              <option value="openai">openai</option>
            </select>
          </label>
        </div>
        <button type="submit" disabled={!ready}>
          {busy ? 'Generating…' : 'Generate campaign'}
        </button>
      </form>
    </div>
  );
}
