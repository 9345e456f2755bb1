/** Character creation as a conversation: concept → draft (with rule check and repairs) → feedback → finalize. */
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { ChangeList } from '../components/ChangeList';
import { SheetView } from '../components/SheetView';
import { crText, StatBlockView } from '../components/StatBlockView';
import { useDraft } from '../stores/draft';
import { useData } from '../stores/data';
import { attempt, useUi } from '../stores/ui';
import { displayName } from '../words';

const show = (v: unknown) => {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
};

type Kind = 'pc' | 'npc' | 'monster';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'pc', label: 'Player character' },
  { value: 'npc', label: 'NPC' },
  { value: 'monster', label: 'Monster' },
];
const CR_STEPS = [0, 0.125, 0.25, 0.5, ...Array.from({ length: 30 }, (_, i) => i + 1)];

export function Create() {
  const { draft, busy, stage, generate, refine, finalize, reset, resume, discard } = useDraft();
  const draftId = useUi((s) => s.draftId);
  const campaigns = useData((s) => s.campaigns);
  const loadCampaigns = useData((s) => s.loadCampaigns);
  const preselected = useUi((s) => s.campaignId);
  const go = useUi((s) => s.go);
  const [concept, setConcept] = useState('');
  const [feedback, setFeedback] = useState('');
  const [kind, setKind] = useState<Kind>('pc');
  const [level, setLevel] = useState(1);
  const [cr, setCr] = useState('');
  const [campaign, setCampaign] = useState(preselected ?? '');
  const [llmNote, setLlmNote] = useState<string | null>(null);

  // `#/drafts/<id>` is that draft (resumed with its conversation); `#/create` is a new, empty one.
  useEffect(() => {
    if (draftId) void resume(draftId);
    else if (useDraft.getState().draft && !useDraft.getState().busy) reset();
  }, [draftId, resume, reset]);

  useEffect(() => {
    if (!campaigns) void loadCampaigns();
    void attempt(() => call('llm.status', {})).then((s) => s && setLlmNote(s.message));
  }, [campaigns, loadCampaigns]);

  const realCampaigns = (campaigns ?? []).filter((c) => !c.isLibrary);

  return (
    <div className="screen create">
      <h1>New character</h1>
      {llmNote && (
        <p className="banner" role="note">
          {llmNote}
        </p>
      )}
      <form
        className="card"
        aria-label="Concept"
        onSubmit={(e) => {
          e.preventDefault();
          if (!concept.trim() || busy) return;
          void generate({
            concept: concept.trim(),
            kind,
            ...(kind === 'monster' ? (cr !== '' ? { cr: Number(cr) } : {}) : { level }),
            ...(campaign ? { campaign } : {}),
          }).then((d) => d && go('create', { draftId: d.draftId, campaignId: campaign || null }));
        }}
      >
        <label className="block">
          Character concept
          <textarea
            value={concept}
            onChange={(e) => setConcept(e.target.value)}
            rows={3}
            placeholder="A retired dwarven soldier who now brews ale and protects her village"
          />
        </label>
        <div className="row wrap">
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          {kind === 'monster' ? (
            <label>
              Target CR
              <select value={cr} onChange={(e) => setCr(e.target.value)}>
                <option value="">Any (the generator chooses)</option>
                {CR_STEPS.map((c) => (
                  <option key={c} value={String(c)}>
                    {crText(c)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              Level
              <select value={level} onChange={(e) => setLevel(Number(e.target.value))}>
                {Array.from({ length: 20 }, (_, i) => i + 1).map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Campaign
            <select value={campaign} onChange={(e) => setCampaign(e.target.value)}>
              <option value="">Library (no campaign)</option>
              {realCampaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!concept.trim() || busy !== null}>
            Generate
          </button>
          {draft && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                reset();
                go('create', { campaignId: preselected ?? null, draftId: null });
              }}
              disabled={busy !== null}
            >
              Start over
            </button>
          )}
        </div>
      </form>

      {busy && (
        <div className="progress" role="status" aria-live="polite" aria-label="Generating">
          <progress aria-label="Generation progress" />
          <span>
            {busy === 'finalize'
              ? 'Saving…'
              : busy === 'resume'
                ? 'Opening the draft…'
                : `Working: ${stage}…`}
          </span>
        </div>
      )}

      {draft && (
        <div className="draft" aria-label="Draft">
          <h2 className="sr-only">Conversation</h2>
          <ol className="conversation" aria-label="Conversation">
            {draft.turns.map((t, i) => (
              <li key={i} className={`turn ${t.role}`}>
                <span className="who">{t.role === 'concept' ? 'Concept' : 'Feedback'}</span>
                <p>{t.text}</p>
                {t.role === 'feedback' && (
                  <details open className="changes" aria-label={`Changes from feedback ${i}`}>
                    <summary>
                      {t.semantic.length} change{t.semantic.length === 1 ? '' : 's'}
                      {t.description ? `: ${t.description}` : ''}
                    </summary>
                    <ChangeList rows={t.semantic} label={`What feedback ${i} changed`} level={3} />
                  </details>
                )}
              </li>
            ))}
          </ol>

          <section className="card draft-head" aria-label="Draft summary">
            <h2 data-testid="draft-name">{draft.name}</h2>
            {draft.monster ? (
              <p>
                Monster · {draft.monster.statBlock.size} {draft.monster.statBlock.type} · CR{' '}
                {crText(draft.monster.challenge.cr)}
              </p>
            ) : (
              <p>
                {draft.elements
                  .filter((e) => ['species', 'class', 'subclass', 'background'].includes(e.kind))
                  .map((e) => `${displayName(e.name)}${e.tag !== 'srd' ? ` (${e.tag})` : ''}`)
                  .join(' · ')}
                {draft.derived ? ` · level ${draft.derived.level.value}` : ''}
              </p>
            )}
            <p className="muted">
              Revision {draft.revision} · {draft.note}
            </p>
          </section>

          <section className="card" aria-label="Validation report">
            <h3>Rules check</h3>
            {draft.validation.valid ? (
              <p className="ok">Valid: the {draft.monster ? 'stat block' : 'build'} follows the rules.</p>
            ) : (
              <p className="bad">Problems remain after repair:</p>
            )}
            {draft.validation.issues.length > 0 && (
              <ul>
                {draft.validation.issues.map((iss, i) => (
                  <li key={i} className={iss.severity}>
                    {iss.message}
                  </li>
                ))}
              </ul>
            )}
            <h3>Repairs</h3>
            {draft.repairs.length === 0 ? (
              <p className="muted">Nothing needed repair.</p>
            ) : (
              <ul aria-label="Repair report">
                {draft.repairs.map((r, i) => (
                  <li key={i}>
                    {show(r.from)} → {show(r.to)}: {r.reason}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {draft.monster && <StatBlockView monster={draft.monster} />}
          {draft.derived && <SheetView derived={draft.derived} />}

          {draft.backstory && (
            <section className="card" aria-label="Backstory">
              <h3>Backstory</h3>
              <p>{draft.backstory}</p>
            </section>
          )}

          {draft.finalized ? (
            <div className="card row">
              <span className="ok">Saved.</span>
              <button type="button" onClick={() => go('character', { characterId: draft.finalized })}>
                Open character
              </button>
            </div>
          ) : (
            <form
              className="card"
              aria-label="Refine"
              onSubmit={(e) => {
                e.preventDefault();
                if (!feedback.trim() || busy) return;
                void refine(feedback.trim()).then(() => setFeedback(''));
              }}
            >
              <label className="block">
                Feedback
                <textarea
                  value={feedback}
                  onChange={(e) => setFeedback(e.target.value)}
                  rows={2}
                  disabled={!draft.refinable}
                  {...(!draft.refinable ? { 'aria-describedby': 'refine-unsupported' } : {})}
                  placeholder={
                    draft.mode === 'offline'
                      ? 'The offline generator understands: rename to NAME · add ITEM · remove ITEM · replace A with B'
                      : 'Make them a spellcaster who studied in a temple'
                  }
                />
              </label>
              {!draft.refinable && (
                <p id="refine-unsupported" className="muted" role="note">
                  Refining is not available for monsters yet: the pipeline only refines character builds, not
                  stat blocks. Finalize this one as it is, or change the concept and generate again.
                </p>
              )}
              <div className="row">
                <button type="submit" disabled={!draft.refinable || !feedback.trim() || busy !== null}>
                  Refine
                </button>
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void finalize().then((id) => id && go('character', { characterId: id }))}
                >
                  Finalize
                </button>
                <button
                  type="button"
                  className="secondary danger"
                  disabled={busy !== null}
                  onClick={() => {
                    if (
                      !window.confirm(
                        `Discard the draft “${draft.name}”? It leaves your drafts and the library.`,
                      )
                    )
                      return;
                    void discard().then((ok) => {
                      if (!ok) return;
                      useUi.getState().notify('info', `Draft “${draft.name}” discarded.`);
                      go('drafts');
                    });
                  }}
                >
                  Discard draft
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </div>
  );
}
