/** Drafts: characters being created and not finalized. Resume one, discard it, or clean up the old ones. */
import type { HandlerOutput } from '@loreforge/core';
import { useCallback, useEffect, useState } from 'react';
import { bridge, call } from '../bridge';
import { attempt, useUi } from '../stores/ui';
import { ago, KIND_NAMES } from '../words';

type Draft = HandlerOutput<'drafts.list'>[number];

export function Drafts() {
  const go = useUi((s) => s.go);
  const notify = useUi((s) => s.notify);
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [days, setDays] = useState<number | null>(null);

  const load = useCallback(() => {
    void attempt(() => call('drafts.list', {})).then((d) => d && setDrafts(d));
  }, []);
  useEffect(() => {
    load();
    void attempt(() => call('settings.get', {})).then((s) => s && setDays(s.drafts.cleanupAfterDays));
    return bridge().on('characters.changed', load);
  }, [load]);

  const discard = async (list: Draft[]) => {
    let n = 0;
    for (const d of list) if (await attempt(() => call('drafts.discard', { draftId: d.draftId }))) n++;
    if (n > 0) notify('info', n === 1 ? `Draft “${list[0]?.name}” discarded.` : `${n} drafts discarded.`);
    load();
  };

  const stale = (drafts ?? []).filter((d) => d.stale);
  return (
    <div className="screen drafts">
      <h1>Drafts</h1>
      <p className="muted">
        Characters you started and have not finalized. Finalized characters are in their campaign or the
        library.
      </p>
      {stale.length > 0 && (
        <section className="card banner" aria-label="Clean up">
          <p>
            {stale.length === 1 ? 'One draft has' : `${stale.length} drafts have`} not been touched for more
            than {days ?? 14} days.
          </p>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              if (window.confirm(`Discard ${stale.length} old draft${stale.length === 1 ? '' : 's'}?`))
                void discard(stale);
            }}
          >
            Discard {stale.length === 1 ? 'it' : `these ${stale.length}`}
          </button>
        </section>
      )}
      {drafts === null ? (
        <p role="status">Loading drafts…</p>
      ) : drafts.length === 0 ? (
        <p className="muted">No drafts. Start one from New character.</p>
      ) : (
        <ul className="draft-list" aria-label="Draft list">
          {drafts.map((d) => (
            <li key={d.draftId} className="card row wrap" aria-label={d.name}>
              <div className="grow">
                <strong>{d.name}</strong>{' '}
                <span className="muted">
                  · {KIND_NAMES[d.kind] ?? d.kind} · {d.revisions} revision{d.revisions === 1 ? '' : 's'} ·
                  changed {ago(d.updatedAt)}
                  {d.stale ? ' · old' : ''}
                </span>
                {d.concept && <p className="muted concept">“{d.concept}”</p>}
              </div>
              <button type="button" onClick={() => go('create', { draftId: d.draftId })}>
                Resume
              </button>
              <button
                type="button"
                className="secondary"
                aria-label={`Discard ${d.name}`}
                onClick={() => {
                  if (window.confirm(`Discard the draft “${d.name}”?`)) void discard([d]);
                }}
              >
                Discard
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
