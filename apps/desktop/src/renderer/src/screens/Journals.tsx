/**
 * A campaign's journals and memory: the journal list and editor (Tiptap on the journal's live document,
 * `components/JournalRichEditor.tsx`: typing merges per character; `@` offers entities ranked by
 * `memory.suggest` and inserts mention nodes, or creates an NPC stub), entity pages (backlinks, relations, timeline; an
 * NPC stub's build for the DM, `components/NpcBuildPanel.tsx`), search with kind
 * facets, the graph ("how is X connected to Y", central entities, neighbours) and session consolidation.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { HandlerOutput } from '@loreforge/core';
import { bridge, call } from '../bridge';
import { NpcBuildPanel } from '../components/NpcBuildPanel';
import { attempt, useUi } from '../stores/ui';

// The editor (Tiptap, ProseMirror, Yjs) loads with the first open journal, not with the app.
const JournalRichEditor = lazy(() =>
  import('../components/JournalRichEditor').then((m) => ({ default: m.JournalRichEditor })),
);

type JournalRow = HandlerOutput<'journals.list'>[number];
type Entity = HandlerOutput<'memory.entity'>;
type Neighbor = HandlerOutput<'memory.neighbors'>[number];
type SearchResult = HandlerOutput<'memory.search'>;
type PathStep = HandlerOutput<'memory.path'>[number];
type Central = HandlerOutput<'memory.central'>[number];
type ConsolidationView = HandlerOutput<'memory.consolidate'>;

/** Shows `@[Label](ID)` as `@Label`. */
const readable = (s: string) => s.replace(/@\[([^\]]+)\]\([^)]+\)/g, '@$1');

/**
 * One journal: its title, the collaborative rich-text editor (typing is saved live and merged per character with
 * everyone else's), and "Resolve mentions": text typed in the import syntax (`@Name`, `@"Two Words"`,
 * `@[Name](new:npc)`) becomes mention nodes (resolved by core, stubs created) through `journals.editText`.
 */
function JournalEditor({ id, onSaved }: { id: string; onSaved: () => void }) {
  const [title, setTitle] = useState('');
  const campaignId = useUi((s) => s.campaignId);

  useEffect(() => {
    void attempt(() => call('journals.show', { id })).then((j) => j && setTitle(j.title));
  }, [id]);

  async function resolve() {
    const j = await attempt(() => call('journals.show', { id }));
    if (!j) return;
    const res = await attempt(() =>
      call('journals.editText', { id, base: j.text, text: j.text, message: 'edit journal' }),
    );
    if (res) onSaved();
  }

  if (!campaignId) return null;
  return (
    <section aria-labelledby="journal-editor-h">
      <h2 id="journal-editor-h">{title || 'Journal'}</h2>
      <Suspense fallback={<p role="status">Opening the journal…</p>}>
        <JournalRichEditor
          id={id}
          campaign={campaignId}
          actions={
            <button type="button" onClick={() => void resolve()}>
              Resolve mentions
            </button>
          }
        />
      </Suspense>
    </section>
  );
}

function EntityPage({ id, open }: { id: string; open: (id: string) => void }) {
  const [e, setE] = useState<Entity | null>(null);
  const [near, setNear] = useState<Neighbor[]>([]);
  useEffect(() => {
    void attempt(() => call('memory.entity', { id })).then((r) => r && setE(r));
    void attempt(() => call('memory.neighbors', { id, depth: 1 })).then((r) => r && setNear(r));
  }, [id]);
  if (!e) return <p role="status">Loading…</p>;
  return (
    <section aria-labelledby="entity-h">
      <h2 id="entity-h">{e.name}</h2>
      {e.aliases.length > 0 && <p>Also known as: {e.aliases.join(', ')}</p>}
      {e.text && <p>{readable(e.text)}</p>}
      {e.kind === 'npc' && e.entity === 'lore' && <NpcBuildPanel entity={{ ...e, text: readable(e.text) }} />}
      <h3>Mentioned in</h3>
      {e.backlinks.length === 0 ? (
        <p className="muted">No mentions yet.</p>
      ) : (
        <ul aria-label="Backlinks">
          {e.backlinks.map((b) => (
            <li key={b.journalId}>
              <strong>{b.title}</strong>
              {b.session !== undefined ? ` (session ${b.session})` : ''}: {readable(b.snippet)}
            </li>
          ))}
        </ul>
      )}
      {near.length > 0 && (
        <>
          <h3>Connected to</h3>
          <ul aria-label="Neighbours">
            {near.map((n) => (
              <li key={n.id}>
                <button type="button" className="link" onClick={() => open(n.id)}>
                  {n.name}
                </button>{' '}
                <span className="muted">{n.relation}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {e.relations && e.relations.length > 0 && (
        <>
          <h3>Relations</h3>
          <ul>
            {e.relations.map((r) => (
              <li key={r.id}>
                {r.direction === 'out' ? `${r.type} → ` : `← ${r.type} `}
                <button type="button" className="link" onClick={() => open(r.other.id)}>
                  {r.other.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {e.timeline.length > 0 && (
        <>
          <h3>Timeline</h3>
          <ol>
            {e.timeline.map((t) => (
              <li key={`${t.session}-${t.journalId}`}>
                Session {t.session}: {t.title}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function SearchPanel({ campaign, open }: { campaign: string; open: (id: string) => void }) {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [res, setRes] = useState<SearchResult | null>(null);
  async function run(k = kind) {
    const r = await attempt(() => call('memory.search', { campaign, query: q, ...(k ? { kind: k } : {}) }));
    if (r) setRes(r);
  }
  return (
    <section aria-labelledby="search-h">
      <h2 id="search-h">Search</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        className="row"
      >
        <label htmlFor="memory-q">Search the campaign</label>
        <input id="memory-q" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {res && (
        <>
          <div className="row" aria-label="Kinds">
            {Object.entries(res.facets.kind).map(([k, n]) => (
              <button
                type="button"
                key={k}
                aria-pressed={kind === k}
                onClick={() => {
                  const next = kind === k ? '' : k;
                  setKind(next);
                  void run(next);
                }}
              >
                {k} ({n})
              </button>
            ))}
          </div>
          <ul aria-label="Search results">
            {res.hits.map((h) => (
              <li key={h.id}>
                <button type="button" className="link" onClick={() => open(h.id)}>
                  {h.name}
                </button>{' '}
                <span className="muted">{h.kind}</span> — {readable(h.snippet)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function GraphPanel({ campaign }: { campaign: string }) {
  const [entities, setEntities] = useState<{ id: string; name: string }[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [path, setPath] = useState<PathStep[] | null>(null);
  const [central, setCentral] = useState<Central[]>([]);
  useEffect(() => {
    void attempt(() => call('memory.entities', { campaign })).then(
      (r) => r && setEntities(r.map((e) => ({ id: e.id, name: e.name }))),
    );
    void attempt(() => call('memory.central', { campaign, top: 5 })).then((r) => r && setCentral(r));
  }, [campaign]);
  async function ask() {
    if (!from || !to) return;
    const r = await attempt(() => call('memory.path', { from, to }));
    if (r) setPath(r);
  }
  const pickList = (value: string, set: (v: string) => void, label: string, idAttr: string) => (
    <>
      <label htmlFor={idAttr}>{label}</label>
      <select id={idAttr} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">Choose…</option>
        {entities.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
    </>
  );
  return (
    <section aria-labelledby="graph-h">
      <h2 id="graph-h">Connections</h2>
      <div className="row">
        {pickList(from, setFrom, 'From', 'path-from')}
        {pickList(to, setTo, 'To', 'path-to')}
        <button type="button" onClick={() => void ask()}>
          How are they connected?
        </button>
      </div>
      {path &&
        (path.length === 0 ? (
          <p role="status">Not connected.</p>
        ) : (
          <ol aria-label="Connection path">
            {path.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.relation ? ` (${p.relation})` : ''}
              </li>
            ))}
          </ol>
        ))}
      {central.length > 0 && (
        <>
          <h3>Most connected</h3>
          <ul aria-label="Central entities">
            {central.map((c) => (
              <li key={c.id}>{c.name}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ConsolidatePanel({ campaign, sessions }: { campaign: string; sessions: number[] }) {
  const [session, setSession] = useState('');
  const [res, setRes] = useState<ConsolidationView | null>(null);
  const [titles, setTitles] = useState<Record<string, string>>({});
  async function run() {
    const s = Number(session);
    const r = await attempt(() => call('memory.consolidate', { campaign, session: s }));
    if (!r) return;
    const list = await attempt(() => call('journals.list', { campaign }));
    setTitles(Object.fromEntries((list ?? []).map((j) => [j.id, `${j.title} (${j.author})`])));
    setRes(r);
  }
  const cite = (ids: string[]) => ids.map((i) => titles[i] ?? i).join(', ');
  return (
    <section aria-labelledby="consolidate-h">
      <h2 id="consolidate-h">Session summary</h2>
      <div className="row">
        <label htmlFor="consolidate-session">Session</label>
        <select id="consolidate-session" value={session} onChange={(e) => setSession(e.target.value)}>
          <option value="">Choose…</option>
          {sessions.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" disabled={!session} onClick={() => void run()}>
          Consolidate
        </button>
      </div>
      {res && (
        <div aria-label="Consolidation">
          <p>{readable(res.summary)}</p>
          <h3>Key events</h3>
          <ul>
            {res.keyEvents.map((e, i) => (
              <li key={i}>
                {readable(e.text)} <span className="muted">[{cite(e.sources)}]</span>
              </li>
            ))}
          </ul>
          <h3>Discrepancies</h3>
          {res.discrepancies.length === 0 ? (
            <p className="muted">The journals agree.</p>
          ) : (
            <ul aria-label="Discrepancies">
              {res.discrepancies.map((d, i) => (
                <li key={i}>
                  <strong>{d.topic}</strong>
                  <ul>
                    {d.claims.map((c, j) => (
                      <li key={j}>
                        {readable(c.text)} <span className="muted">— {cite([c.journalId])}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export function Journals() {
  const campaign = useUi((s) => s.campaignId);
  const [rows, setRows] = useState<JournalRow[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [entity, setEntity] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [session, setSession] = useState('1');
  const [priv, setPriv] = useState(false);

  const load = useCallback(async () => {
    if (!campaign) return;
    const r = await attempt(() => call('journals.list', { campaign }));
    if (r) setRows(r);
  }, [campaign]);

  useEffect(() => {
    void load();
    return bridge().on('entity.changed', (e) => {
      if (e.campaign === campaign) void load();
    });
  }, [campaign, load]);

  if (!campaign) return <p>No campaign selected.</p>;

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!campaign) return;
    const s = session.trim() === '' ? undefined : Number(session);
    const res = await attempt(() =>
      call('journals.create', {
        campaign,
        title,
        private: priv,
        ...(s !== undefined && Number.isInteger(s) ? { session: s } : {}),
      }),
    );
    if (!res) return;
    setTitle('');
    await load();
    setOpen(res.id);
  }

  const sessions = [...new Set(rows.flatMap((r) => (r.session !== undefined ? [r.session] : [])))].sort(
    (a, b) => a - b,
  );
  return (
    <div className="screen">
      <h1>Journals</h1>
      <form onSubmit={(e) => void create(e)} className="row" aria-label="New journal">
        <label htmlFor="journal-title">Title</label>
        <input id="journal-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="journal-session">Session</label>
        <input
          id="journal-session"
          inputMode="numeric"
          value={session}
          onChange={(e) => setSession(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} /> Private (DM
          only)
        </label>
        <button type="submit">New journal</button>
      </form>
      <table aria-label="Journal list">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Author</th>
            <th scope="col">Session</th>
            <th scope="col">Private</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <button type="button" className="link" onClick={() => setOpen(r.id)}>
                  {r.title}
                </button>
              </td>
              <td>{r.author}</td>
              <td>{r.session ?? ''}</td>
              <td>{r.private ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <JournalEditor key={open} id={open} onSaved={() => void load()} />}
      <SearchPanel campaign={campaign} open={setEntity} />
      {entity && <EntityPage key={entity} id={entity} open={setEntity} />}
      <GraphPanel campaign={campaign} />
      <ConsolidatePanel campaign={campaign} sessions={sessions} />
    </div>
  );
}
