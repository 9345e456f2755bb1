/**
 * SRD browser: search (exact and prefix names first, then fuzzy), filters by type, level or challenge rating
 * (every value the content has) and class, and each entry as a player reads it. Search and the open entry are in
 * the URL, so reload and Back keep them.
 */
import type { HandlerOutput, SrdType } from '@loreforge/core';
import { useEffect, useRef, useState } from 'react';
import { call } from '../bridge';
import { SrdEntry } from '../components/SrdEntry';
import { attempt, useUi } from '../stores/ui';
import { crText, humanize } from '../words';

const TYPES: { value: SrdType; label: string }[] = [
  { value: 'spell', label: 'Spells' },
  { value: 'creature', label: 'Creatures' },
  { value: 'item', label: 'Equipment and magic items' },
  { value: 'class', label: 'Classes' },
  { value: 'subclass', label: 'Subclasses' },
  { value: 'species', label: 'Species' },
  { value: 'background', label: 'Backgrounds' },
  { value: 'feat', label: 'Feats' },
];
const TYPE_NAME: Record<string, string> = {
  spell: 'spell',
  creature: 'creature',
  item: 'item',
  class: 'class',
  subclass: 'subclass',
  species: 'species',
  background: 'background',
  feat: 'feat',
};
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

function levelLabel(type: string): string {
  return type === 'creature' ? 'Challenge rating' : type === 'spell' ? 'Spell level' : 'Level or CR';
}
function levelText(type: string, l: number): string {
  if (type === 'spell') return l === 0 ? 'Cantrip' : String(l);
  return crText(l);
}

export function Srd() {
  const srd = useUi((s) => s.srd);
  const replace = useUi((s) => s.replace);
  const [query, setQuery] = useState(srd.q);
  const [hits, setHits] = useState<Hits | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const focusDetail = useRef(false);
  const { type, level, class: klass, open } = srd;
  const setSrd = (patch: Partial<typeof srd>, push = false) =>
    replace({ srd: { ...useUi.getState().srd, ...patch } }, { push });

  // The search box writes the URL (without a history entry per key).
  useEffect(() => {
    const t = setTimeout(() => {
      if (useUi.getState().srd.q !== query) setSrd({ q: query });
    }, 150);
    return () => clearTimeout(t);
  }, [query]);
  useEffect(() => setQuery(srd.q), [srd.q]);

  useEffect(() => {
    let live = true;
    void attempt(() =>
      call('srd.search', {
        query: srd.q,
        limit: 80,
        ...(type ? { type: type as SrdType } : {}),
        ...(level !== '' ? { level: Number(level) } : {}),
        ...(klass ? { class: klass } : {}),
      }),
    ).then((r) => live && r && setHits(r));
    return () => {
      live = false;
    };
  }, [srd.q, type, level, klass]);

  useEffect(() => {
    if (!open) {
      setDetail(null);
      return;
    }
    let live = true;
    void attempt(() => call('srd.get', { type: open.type as SrdType, id: open.id })).then((d) => {
      if (!live || !d) return;
      setDetail(d);
    });
    return () => {
      live = false;
    };
  }, [open?.type, open?.id]);

  useEffect(() => {
    if (detail && focusDetail.current) {
      focusDetail.current = false;
      heading.current?.focus();
    }
  }, [detail]);

  const levels = hits?.levels ?? [];
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
          <select value={type} onChange={(e) => setSrd({ type: e.target.value, level: '' })}>
            <option value="">Everything</option>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {levelLabel(type)}
          <select value={level} onChange={(e) => setSrd({ level: e.target.value })}>
            <option value="">Any</option>
            {(levels.length > 0 || level === '' ? levels : [Number(level)]).map((l) => (
              <option key={l} value={String(l)}>
                {levelText(type, l)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Class
          <select value={klass} onChange={(e) => setSrd({ class: e.target.value })}>
            <option value="">Any</option>
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                {humanize(c)}
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
                aria-current={open?.type === h.type && open.id === h.id ? 'true' : undefined}
                onClick={() => {
                  focusDetail.current = true;
                  setSrd({ open: { type: h.type, id: h.id } }, true);
                }}
              >
                <span className="title">{h.name}</span> <span className="type-chip">{TYPE_NAME[h.type]}</span>
                <span className="muted block">{h.summary}</span>
              </button>
            </li>
          ))}
          {hits && hits.hits.length === 0 && <li className="muted">Nothing found.</li>}
        </ul>
        {detail && open && (
          <SrdEntry
            type={detail.type}
            data={detail.data}
            monster={detail.monster as Parameters<typeof SrdEntry>[0]['monster']}
            headingRef={heading}
          />
        )}
      </div>
      {hits && <p className="muted">{hits.total} entries indexed.</p>}
    </div>
  );
}
