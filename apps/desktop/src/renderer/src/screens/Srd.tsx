/** SRD browser: fuzzy search (minisearch in core) with filters by type, level and class. */
import type { HandlerOutput, SrdType } from '@loreforge/core';
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { attempt } from '../stores/ui';

const TYPES: SrdType[] = ['spell', 'class', 'subclass', 'species', 'background', 'feat', 'item', 'creature'];
const CLASSES = [
  'barbarian',
  'bard',
  'cleric',
  'druid',
  'fighter',
  'monk',
  'paladin',
  'ranger',
  'rogue',
  'sorcerer',
  'warlock',
  'wizard',
];

type Hits = HandlerOutput<'srd.search'>;
type Detail = HandlerOutput<'srd.get'>;

export function Srd() {
  const [query, setQuery] = useState('');
  const [type, setType] = useState<SrdType | ''>('');
  const [level, setLevel] = useState('');
  const [klass, setKlass] = useState('');
  const [hits, setHits] = useState<Hits | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      void attempt(() =>
        call('srd.search', {
          query,
          limit: 60,
          ...(type ? { type } : {}),
          ...(level !== '' ? { level: Number(level) } : {}),
          ...(klass ? { class: klass } : {}),
        }),
      ).then((r) => live && r && setHits(r));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, type, level, klass]);

  return (
    <div className="screen srd">
      <h1>SRD browser</h1>
      <form
        className="row wrap card"
        role="search"
        aria-label="Search the SRD"
        onSubmit={(e) => e.preventDefault()}
      >
        <label>
          Search
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="fireball, owlbear, chain mail…"
          />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as SrdType | '')}>
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level / CR
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">any</option>
            {Array.from({ length: 10 }, (_, i) => i).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Class
          <select value={klass} onChange={(e) => setKlass(e.target.value)}>
            <option value="">any</option>
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </form>
      <div className="split">
        <ul className="srd-results" aria-label="Results">
          {hits?.hits.map((h) => (
            <li key={`${h.type}:${h.id}`}>
              <button
                type="button"
                className="result"
                onClick={() =>
                  void attempt(() => call('srd.get', { type: h.type, id: h.id })).then(
                    (d) => d && setDetail(d),
                  )
                }
              >
                <span className="title">{h.name}</span> <span className="type-chip">{h.type}</span>
                <span className="muted block">{h.summary}</span>
              </button>
            </li>
          ))}
          {hits && hits.hits.length === 0 && <li className="muted">Nothing found.</li>}
        </ul>
        {detail && (
          <section className="card srd-detail" aria-label="Details">
            <h2>{(detail.data as { name?: string }).name ?? detail.id}</h2>
            <dl>
              {Object.entries(detail.data as Record<string, unknown>)
                .filter(
                  ([k, v]) =>
                    k !== 'name' && k !== 'id' && v !== null && !(Array.isArray(v) && v.length === 0),
                )
                .slice(0, 24)
                .map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>
                      {typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
                        ? String(v)
                        : JSON.stringify(v).slice(0, 400)}
                    </dd>
                  </div>
                ))}
            </dl>
          </section>
        )}
      </div>
      {hits && <p className="muted">{hits.total} entries indexed.</p>}
    </div>
  );
}
