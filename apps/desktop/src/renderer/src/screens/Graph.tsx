/**
 * The Graph screen (issue 10): a campaign's relationship graph drawn (`GraphView`, laid out in a Web Worker),
 * with a filter by kind, a time slider by session (relations valid then, co-mentions of journals up to then),
 * a picked entity's neighbours and page summary, and "how is X connected to Y" highlighted on the drawing.
 * Data: `memory.graphView` (once for the whole campaign, which is what gets laid out, then once per slider stop),
 * `memory.path` and `memory.entity`. A player's app holds no typed relations (they live in the DM's notes), so
 * its graph is co-mentions only, and the screen says so.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HandlerOutput } from '@loreforge/core';
import { bridge, call } from '../bridge';
import { GRAPH_CSS, GraphView, kindColour, useGraphLayout, type ViewEdge } from '../components/GraphView';
import { useData } from '../stores/data';
import { attempt, useUi } from '../stores/ui';

type View = HandlerOutput<'memory.graphView'>;

/** Kinds of documents whose changes can change the graph (as core's graph cache counts them). */
const GRAPH_KINDS = new Set(['campaign', 'character', 'item', 'journal', 'dmnotes', 'lore']);
type PathStep = HandlerOutput<'memory.path'>[number];
type Entity = HandlerOutput<'memory.entity'>;

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const linkLabel = (e: ViewEdge) =>
  e.relations.length
    ? [...new Set(e.relations.map((r) => r.type))].join(', ')
    : `mentioned together ×${e.coMentionCount}`;

function CampaignPicker() {
  const { campaigns, loadCampaigns } = useData();
  const go = useUi((s) => s.go);
  useEffect(() => void loadCampaigns(), [loadCampaigns]);
  return (
    <div className="screen">
      <h1>Graph</h1>
      <p>Choose a campaign to see who is connected to whom.</p>
      {campaigns && campaigns.length === 0 && <p className="muted">No campaigns yet.</p>}
      <ul aria-label="Campaigns for the graph" className="plain">
        {(campaigns ?? []).map((c) => (
          <li key={c.id}>
            <button type="button" className="link" onClick={() => go('graph', { campaignId: c.id })}>
              {c.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Graph() {
  const campaignId = useUi((s) => s.campaignId);
  if (!campaignId) return <CampaignPicker />;
  return <CampaignGraph key={campaignId} campaign={campaignId} />;
}

function CampaignGraph({ campaign }: { campaign: string }) {
  const { campaignDetail, loadCampaign } = useData();
  const name = campaignDetail[campaign]?.info.name;
  // The whole graph (laid out once) and the graph at the slider's session (what is drawn).
  const [full, setFull] = useState<View | null>(null);
  const [atView, setAtView] = useState<View | null>(null);
  const [stop, setStop] = useState<number | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [path, setPath] = useState<PathStep[] | null>(null);
  const [pathError, setPathError] = useState<string | null>(null);
  const [entity, setEntity] = useState<Entity | null>(null);

  useEffect(() => void loadCampaign(campaign), [campaign, loadCampaign]);
  const loadFull = useCallback(async () => {
    const v = await attempt(() => call('memory.graphView', { campaign }));
    if (v) setFull(v);
  }, [campaign]);
  useEffect(() => void loadFull(), [loadFull]);
  // A journal, a relation, an entity of the campaign changed: ask again (live play's session documents never).
  useEffect(
    () =>
      bridge().on('entity.changed', (e) => {
        if (e.campaign === campaign && GRAPH_KINDS.has(e.kind)) void loadFull();
      }),
    [campaign, loadFull],
  );

  const sessions = full?.sessions ?? [];
  const session = stop === null ? undefined : sessions[stop];
  useEffect(() => {
    if (session === undefined) {
      setAtView(null);
      return;
    }
    let live = true;
    void attempt(() => call('memory.graphView', { campaign, at: session })).then(
      (v) => live && v && setAtView(v),
    );
    return () => {
      live = false;
    };
  }, [campaign, session, full]);
  // The graph at the slider's stop once it has come; meanwhile the last one stays drawn (the status says so).
  const view = session === undefined ? full : atView?.session === session ? atView : null;
  const drawn = view ?? atView ?? full;

  const layout = useGraphLayout(full?.nodes ?? null, full?.edges ?? null);
  const kinds = useMemo(() => {
    const counts = new Map<string, number>();
    for (const n of full?.nodes ?? [])
      counts.set(n.kind ?? 'other', (counts.get(n.kind ?? 'other') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [full]);
  const byId = useMemo(() => new Map((full?.nodes ?? []).map((n) => [n.id, n])), [full]);
  const nameOf = (id: string) => byId.get(id)?.name ?? id;

  // The path, asked again when the ends or the session change.
  useEffect(() => {
    setPath(null);
    setPathError(null);
    if (!from || !to || from === to) return;
    let live = true;
    void call('memory.path', { from, to, ...(session !== undefined ? { at: session } : {}) }).then(
      (r) => live && setPath(r),
      (err: unknown) =>
        live && setPathError(err instanceof Error ? err.message.replace(/^[a-z-]+: /, '') : String(err)),
    );
    return () => {
      live = false;
    };
  }, [from, to, session]);

  useEffect(() => {
    setEntity(null);
    if (!selected) return;
    let live = true;
    void attempt(() => call('memory.entity', { id: selected })).then((r) => live && r && setEntity(r));
    return () => {
      live = false;
    };
  }, [selected]);

  const edges = drawn?.edges ?? [];
  const visibleEdges = edges.filter((e) => {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    return a && b && !hidden.has(a.kind ?? 'other') && !hidden.has(b.kind ?? 'other');
  });
  const shownNodes = (full?.nodes ?? []).filter((n) => !hidden.has(n.kind ?? 'other'));
  const typedCount = visibleEdges.filter((e) => e.relations.length > 0).length;
  const near = selected
    ? edges
        .filter((e) => e.source === selected || e.target === selected)
        .map((e) => ({
          id: e.source === selected ? e.target : e.source,
          label: linkLabel(e),
          weight: e.weight,
        }))
        .sort((a, b) => b.weight - a.weight)
    : [];

  const pick = (id: string) => setSelected(id);
  const toggleKind = (k: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  const pickList = (value: string, set: (v: string) => void, label: string, idAttr: string) => (
    <>
      <label htmlFor={idAttr}>{label}</label>
      <select id={idAttr} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">Choose…</option>
        {[...(full?.nodes ?? [])]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
      </select>
    </>
  );

  return (
    <div className="screen graph-screen">
      <style>{GRAPH_CSS}</style>
      <h1>Graph{name ? `: ${name}` : ''}</h1>
      {full && !full.relations && (
        <p className="muted" role="note">
          Typed relations are kept in the DM’s notes, so this graph shows only who is mentioned together in
          the journals and pages you can read.
        </p>
      )}
      <div className="graph-controls">
        <fieldset>
          <legend>Kinds</legend>
          {kinds.map(([k, count]) => (
            <label key={k} className="graph-kind">
              <input type="checkbox" checked={!hidden.has(k)} onChange={() => toggleKind(k)} />
              <span
                className="swatch"
                style={{ background: kindColour(k === 'other' ? null : k) }}
                aria-hidden="true"
              />
              {k} ({count})
            </label>
          ))}
        </fieldset>
        <div className="graph-slider">
          <label htmlFor="graph-session">Up to session</label>
          <input
            id="graph-session"
            type="range"
            min={0}
            max={sessions.length}
            step={1}
            value={stop ?? sessions.length}
            disabled={sessions.length === 0}
            aria-valuetext={session === undefined ? 'all sessions' : `session ${session}`}
            onChange={(e) => {
              const v = Number(e.target.value);
              setStop(v >= sessions.length ? null : v);
            }}
          />
          <output htmlFor="graph-session">
            {session === undefined ? 'All sessions' : `Session ${session}`}
          </output>
        </div>
      </div>
      <p role="status" className="graph-summary">
        {!full
          ? 'Loading the graph…'
          : !view
            ? `Loading session ${session ?? ''}…`
            : !layout.positions
              ? layout.error
                ? `The layout failed: ${layout.error}`
                : 'Laying out the graph…'
              : `${count(shownNodes.length, 'entity', 'entities')}, ${count(visibleEdges.length, 'link')} (${count(
                  typedCount,
                  'typed relation',
                )}, ${count(visibleEdges.length - typedCount, 'co-mention')})${
                  session === undefined ? '' : ` up to session ${session}`
                }.`}
      </p>
      <div className="graph-body">
        <div className="graph-canvas">
          {full && layout.positions && (
            <GraphView
              nodes={full.nodes}
              edges={edges}
              positions={layout.positions}
              hidden={hidden}
              selected={selected}
              path={path?.map((p) => p.id) ?? []}
              onPick={pick}
              label={`Relationship graph of ${name ?? 'the campaign'}`}
            />
          )}
          <ul className="graph-legend" aria-label="Legend">
            <li>
              <svg width="28" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="28" y2="4" className="graph-edge typed" strokeWidth="2" />
              </svg>
              typed relation
            </li>
            <li>
              <svg width="28" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="28" y2="4" className="graph-edge co-mention" strokeWidth="2" />
              </svg>
              mentioned together
            </li>
          </ul>
        </div>
        <aside className="graph-side">
          <section aria-labelledby="graph-path-h">
            <h2 id="graph-path-h">How are they connected?</h2>
            <div className="stack">
              {pickList(from, setFrom, 'From', 'graph-from')}
              {pickList(to, setTo, 'To', 'graph-to')}
            </div>
            {pathError && <p role="alert">{pathError}</p>}
            {path && (
              <ol aria-label="Connection path">
                {path.map((p) => (
                  <li key={p.id}>
                    {p.name}
                    {p.relation ? ` (${p.relation})` : ''}
                  </li>
                ))}
              </ol>
            )}
          </section>
          {selected && (
            <section aria-labelledby="graph-entity-h">
              <h2 id="graph-entity-h">{nameOf(selected)}</h2>
              <p className="muted">
                {byId.get(selected)?.kind ?? byId.get(selected)?.entity}
                {entity
                  ? ` · ${entity.backlinks.length} mention${entity.backlinks.length === 1 ? '' : 's'}`
                  : ''}
              </p>
              {entity?.text && <p>{entity.text.replace(/@\[([^\]]+)\]\([^)]+\)/g, '$1').slice(0, 280)}</p>}
              <div className="row">
                <button type="button" className="small" onClick={() => setFrom(selected)}>
                  Connect from here
                </button>
                <button type="button" className="small" onClick={() => setTo(selected)}>
                  Connect to here
                </button>
              </div>
              <h3>Neighbours</h3>
              {near.length === 0 ? (
                <p className="muted">Linked to nothing{session === undefined ? '' : ' yet'}.</p>
              ) : (
                <ul aria-label="Neighbours">
                  {near.map((n) => (
                    <li key={n.id}>
                      <button type="button" className="link" onClick={() => pick(n.id)}>
                        {nameOf(n.id)}
                      </button>{' '}
                      — {n.label}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </aside>
      </div>
      <details className="graph-links">
        <summary>Links as a table</summary>
        <table aria-label="Links">
          <thead>
            <tr>
              <th scope="col">Entity</th>
              <th scope="col">Entity</th>
              <th scope="col">Link</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {visibleEdges.map((e) => (
              <tr key={`${e.source}|${e.target}`}>
                <td>{nameOf(e.source)}</td>
                <td>{nameOf(e.target)}</td>
                <td>{linkLabel(e)}</td>
                <td>{e.weight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
