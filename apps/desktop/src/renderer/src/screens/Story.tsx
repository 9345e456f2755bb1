/**
 * A generated campaign (issue 13): the outline as a graph (chapters and their choices) with the check's problems,
 * a chapter editor, the nemesis page, the session journal and adaptation review, and the prep sheet with a
 * Markdown download. Everything goes through the `campaignGen.*`, `nemesis.*`, `adapt.*` and `prep.build` channels.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HandlerOutput } from '@loreforge/core';
import { call } from '../bridge';
import { OutlineDiagram } from '../components/OutlineGraph';
import { attempt, useUi } from '../stores/ui';

export type Outline = HandlerOutput<'campaignGen.outline'>;
export type Check = HandlerOutput<'campaignGen.check'>;
export type NemesisView = HandlerOutput<'nemesis.show'>;
export type Prep = HandlerOutput<'prep.build'>;
type Chapter = Outline['chapters'][number];
type Proposal = Outline['proposals'][number];

/** The outline as a graph: one item per chapter (in order), its choices as arrows to the chapter they lead to. */
export function OutlineGraph({
  outline,
  check,
  onOpen,
}: {
  outline: Outline;
  check: Check | null;
  onOpen: (chapterId: string) => void;
}) {
  const title = new Map(outline.chapters.map((c) => [c.id, c.title]));
  return (
    <section aria-labelledby="outline-h">
      <h2 id="outline-h">Outline</h2>
      {check && (
        <div aria-label="Check" role="status">
          {check.ok ? (
            <p>Check passed: every chapter and ending is reachable, every conclusion has three clues.</p>
          ) : (
            <>
              <p>
                Check found {check.problems.length} problem{check.problems.length === 1 ? '' : 's'}:
              </p>
              <ul aria-label="Check problems">
                {check.problems.map((p, i) => (
                  <li key={i}>
                    <strong>{p.code}</strong> at {p.where}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <OutlineDiagram outline={outline} onOpen={onOpen} />
      <ol aria-label="Chapter graph" className="chapter-graph">
        {outline.chapters.map((c) => (
          <li key={c.id} aria-label={c.title}>
            <button type="button" className="secondary" onClick={() => onOpen(c.id)}>
              {c.title}
            </button>{' '}
            <span className="muted">
              {c.id === outline.start ? 'start · ' : ''}
              {c.ending ? 'ending · ' : ''}
              {c.status}
              {c.id === outline.current ? ' · current' : ''}
            </span>
            {c.choices.length > 0 && (
              <ul aria-label={`Choices of ${c.title}`}>
                {c.choices.map((x, i) => (
                  <li key={i}>
                    {x.text} <span aria-hidden="true">→</span>
                    <span className="sr-only"> leads to </span> {title.get(x.next) ?? x.next}
                    {c.taken === i ? ' (taken)' : ''}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

type StoryChange = { path: string; from: unknown; to: unknown };

/**
 * The refine conversation on the whole story with a model: it may add, remove or rename chapters and choices,
 * retarget choices and add clues. The answer is checked (story graph, three clues) before it is stored, so a
 * broken structure never lands; the changes are listed afterwards.
 */
export function StoryRefine({ campaign, onSaved }: { campaign: string; onSaved: () => void }) {
  const [feedback, setFeedback] = useState('');
  const [provider, setProvider] = useState<'ollama' | 'openai'>('ollama');
  const [busy, setBusy] = useState(false);
  const [changes, setChanges] = useState<StoryChange[] | null>(null);
  const show = (v: unknown): string =>
    v === null || v === undefined ? '(none)' : Array.isArray(v) ? v.join('; ') : String(v);
  return (
    <section aria-labelledby="story-refine-h">
      <h2 id="story-refine-h">Refine the story with a model</h2>
      <form
        aria-label="Refine the story"
        onSubmit={(e) => {
          e.preventDefault();
          if (!feedback.trim() || busy) return;
          setBusy(true);
          void attempt(() =>
            call('campaignGen.refine', { campaign, feedback: feedback.trim(), provider }),
          ).then((r) => {
            setBusy(false);
            if (!r) return;
            setFeedback('');
            setChanges(r.changes);
            onSaved();
          });
        }}
      >
        <label>
          Story feedback
          <textarea
            value={feedback}
            rows={2}
            maxLength={4000}
            onChange={(e) => setFeedback(e.target.value)}
            placeholder="Add an ambush on the road, and let both paths meet again at the fortress"
          />
        </label>
        <label>
          Story model
          <select value={provider} onChange={(e) => setProvider(e.target.value as 'ollama' | 'openai')}>
            <option value="ollama">ollama</option>
            <option value="openai">openai</option>
          </select>
        </label>
        <button type="submit" disabled={!feedback.trim() || busy}>
          {busy ? 'Refining…' : 'Refine story with model'}
        </button>
      </form>
      {changes !== null && changes.length === 0 && <p role="status">The model changed nothing.</p>}
      {changes !== null && changes.length > 0 && (
        <ul aria-label="Story changes">
          {changes.map((c, i) => (
            <li key={i}>
              {c.path}: {show(c.from)} → {show(c.to)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Edit one chapter: its title and goal, where its choices lead and a new choice, by hand (offline; a change that
 * would break the story graph is refused with the problem), or its words from feedback for a model.
 */
export function ChapterEditor({
  campaign,
  chapter,
  index,
  chapters,
  onSaved,
}: {
  campaign: string;
  chapter: Chapter;
  index: number;
  /** Every chapter (id, title): where a choice may lead. */
  chapters: { id: string; title: string }[];
  onSaved: () => void;
}) {
  const [title, setTitle] = useState(chapter.title);
  const [goal, setGoal] = useState(chapter.goal);
  const [targets, setTargets] = useState(chapter.choices.map((c) => c.next));
  const [newText, setNewText] = useState('');
  const [newNext, setNewNext] = useState('');
  const [feedback, setFeedback] = useState('');
  const [provider, setProvider] = useState<'ollama' | 'openai'>('ollama');
  const notify = useUi((s) => s.notify);
  const heading = useRef<HTMLHeadingElement>(null);
  const choiceKey = chapter.choices.map((c) => c.next).join();
  useEffect(() => {
    setTitle(chapter.title);
    setGoal(chapter.goal);
  }, [chapter.id, chapter.title, chapter.goal]);
  useEffect(() => {
    setTargets(choiceKey ? choiceKey.split(',') : []);
    setNewText('');
    setNewNext('');
  }, [chapter.id, choiceKey]);
  // Opened from the list or the drawing: the editor takes the focus (and comes into view).
  useEffect(() => heading.current?.focus(), [chapter.id]);
  const set = [
    ...(title.trim() !== chapter.title ? [{ path: `/chapters/${index}/title`, value: title.trim() }] : []),
    ...(goal.trim() !== chapter.goal ? [{ path: `/chapters/${index}/goal`, value: goal.trim() }] : []),
    ...chapter.choices.flatMap((c, j) =>
      targets[j] && targets[j] !== c.next
        ? [{ path: `/chapters/${index}/choices/${j}/next`, value: targets[j] }]
        : [],
    ),
    ...(newText.trim() && newNext
      ? [{ path: `/chapters/${index}/choices/-`, value: { text: newText.trim(), next: newNext } }]
      : []),
  ];
  const others = chapters.filter((c) => c.id !== chapter.id);
  return (
    <section aria-labelledby="chapter-h">
      <h2 id="chapter-h" ref={heading} tabIndex={-1}>
        Chapter: {chapter.title}
      </h2>
      <form
        aria-label="Chapter fields"
        onSubmit={(e) => {
          e.preventDefault();
          if (!set.length) return;
          void attempt(() => call('campaignGen.refine', { campaign, set })).then((r) => {
            if (!r) return;
            notify('info', `Saved ${r.changes.length} change${r.changes.length === 1 ? '' : 's'}.`);
            onSaved();
          });
        }}
      >
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Goal
          <textarea value={goal} rows={2} onChange={(e) => setGoal(e.target.value)} />
        </label>
        {chapter.choices.map((c, j) => (
          <label key={j}>
            {`Choice ${j + 1} “${c.text}” leads to`}
            <select
              value={targets[j] ?? c.next}
              onChange={(e) => setTargets((t) => t.map((x, k) => (k === j ? e.target.value : x)))}
            >
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                </option>
              ))}
            </select>
          </label>
        ))}
        {!chapter.ending && chapter.choices.length < 5 && (
          <div className="row">
            <label>
              New choice
              <input
                value={newText}
                maxLength={200}
                onChange={(e) => setNewText(e.target.value)}
                placeholder="Take the secret passage"
              />
            </label>
            <label>
              New choice leads to
              <select value={newNext} onChange={(e) => setNewNext(e.target.value)}>
                <option value="">(pick a chapter)</option>
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.title}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <button type="submit" disabled={!set.length}>
          Save chapter
        </button>
      </form>
      <h3>Scenes</h3>
      <ul aria-label="Scenes">
        {chapter.scenes.map((s) => (
          <li key={s.id}>
            <strong>{s.title}</strong> {s.text}
          </li>
        ))}
      </ul>
      <h3>Encounters</h3>
      <ul aria-label="Encounters">
        {chapter.encounters.map((e) => (
          <li key={e.id}>
            {e.name}: {e.difficulty} asked, rated {e.rated} ({e.xp} XP) —{' '}
            {e.creatures.map((c) => `${c.count}× ${c.name} (CR ${c.cr})`).join(', ')}
          </li>
        ))}
      </ul>
      <form
        aria-label="Refine with a model"
        onSubmit={(e) => {
          e.preventDefault();
          if (!feedback.trim()) return;
          void attempt(() =>
            call('campaignGen.refine', {
              campaign,
              chapter: chapter.id,
              feedback: feedback.trim(),
              provider,
            }),
          ).then((r) => {
            if (!r) return;
            setFeedback('');
            onSaved();
          });
        }}
      >
        <label>
          Feedback
          <input
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
            placeholder="Darker, and the goal should be a rescue"
          />
        </label>
        <label>
          Model
          <select value={provider} onChange={(e) => setProvider(e.target.value as 'ollama' | 'openai')}>
            <option value="ollama">ollama</option>
            <option value="openai">openai</option>
          </select>
        </label>
        <button type="submit" disabled={!feedback.trim()}>
          Refine with model
        </button>
      </form>
    </section>
  );
}

/** The nemesis: mirror answers, threats, tactics, tiers with CR (and AC/HP), sessions it evolved from. */
export function NemesisPage({
  nemesis,
  changes,
}: {
  nemesis: NemesisView;
  /** The last evolution's changes (null: none asked for on this page). */
  changes: { path: string; from?: unknown; to?: unknown; reason: string }[] | null;
}) {
  return (
    <section aria-labelledby="nemesis-h">
      <h2 id="nemesis-h">
        Nemesis: {nemesis.name} (CR {nemesis.cr})
      </h2>
      <h3>Answers the party</h3>
      <ul aria-label="Answers">
        {nemesis.answers.map((a, i) => (
          <li key={i}>
            {a.strength}: {a.answer}
          </li>
        ))}
      </ul>
      {nemesis.threatens.length > 0 && (
        <>
          <h3>Threatens</h3>
          <ul aria-label="Threats">
            {nemesis.threatens.map((t, i) => (
              <li key={i}>
                {t.bond}: {t.threat}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Tactics</h3>
      <ul aria-label="Tactics">
        {nemesis.tactics.map((t, i) => (
          <li key={i}>{t}</li>
        ))}
      </ul>
      <table aria-label="Tiers">
        <caption>Tiers</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Name</th>
            <th scope="col">CR</th>
            <th scope="col">AC</th>
            <th scope="col">HP</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {nemesis.tiers.map((t) => (
            <tr key={t.id}>
              <td>{t.tier}</td>
              <td>{t.name}</td>
              <td>{t.cr}</td>
              <td>{'ac' in t ? String(t.ac) : ''}</td>
              <td>{'hp' in t ? String(t.hp) : ''}</td>
              <td>{t.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Evolution</h3>
      <p>
        {nemesis.evolved.length
          ? `Evolved after session${nemesis.evolved.length === 1 ? '' : 's'} ${nemesis.evolved.join(', ')}.`
          : 'Not evolved yet.'}
      </p>
      {changes !== null && changes.length === 0 && <p>The last evolution changed nothing.</p>}
      {changes !== null && changes.length > 0 && (
        <ul aria-label="Evolution changes">
          {changes.map((c, i) => (
            <li key={i}>
              {c.path}: {JSON.stringify(c.from)} → {JSON.stringify(c.to)} ({c.reason})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Adaptation proposals of a session, accepted or rejected one by one. */
export function AdaptationReview({
  proposals,
  onDecide,
}: {
  proposals: Proposal[];
  onDecide: (id: string, accept: boolean) => void;
}) {
  return (
    <ul aria-label="Proposals">
      {proposals.map((p) => (
        <li key={p.id} aria-label={p.id}>
          <strong>{p.kind}</strong> {p.change.path}: {JSON.stringify(p.change.from)} →{' '}
          {JSON.stringify(p.change.to)} — {p.reason}{' '}
          <span className="muted">(sources: {p.sources.join(', ')})</span>{' '}
          {p.status === 'proposed' ? (
            <>
              <button type="button" onClick={() => onDecide(p.id, true)}>
                Accept {p.id}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => onDecide(p.id, false)}>
                Reject {p.id}
              </button>
            </>
          ) : (
            <span>{p.status}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function downloadText(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The prep sheet of a session, each item with its sources; Markdown download. */
export function PrepSheet({ prep, onDownload }: { prep: Prep; onDownload?: (md: string) => void }) {
  const s = prep.sheet;
  const list = (label: string, items: { text: string; sources: string[] }[]) => (
    <>
      <h3>{label}</h3>
      <ul aria-label={label}>
        {items.map((x, i) => (
          <li key={i}>
            {x.text} <span className="muted">(sources: {x.sources.join(', ')})</span>
          </li>
        ))}
      </ul>
    </>
  );
  return (
    <section aria-labelledby="prep-h">
      <h2 id="prep-h">
        Prep for session {s.session}: {s.chapter.title}
      </h2>
      <button
        type="button"
        onClick={() =>
          onDownload ? onDownload(prep.markdown) : downloadText(`prep-session-${s.session}.md`, prep.markdown)
        }
      >
        Download Markdown
      </button>
      {list('Strong start', [s.strongStart])}
      {list('Scenes', s.scenes)}
      {list('Secrets and clues', s.secrets)}
      {list('Locations', s.locations)}
      {list('NPCs', s.npcs)}
      {list(
        'Encounters',
        s.encounters.map((e) => ({ ...e, text: `${e.text} — ${e.difficulty}` })),
      )}
      {list('Treasure', s.treasure)}
      {s.quests.length > 0 && list('Open quests', s.quests)}
    </section>
  );
}

/** The screen: `#/campaigns/<id>/story`. */
export function Story() {
  const campaign = useUi((s) => s.campaignId);
  const go = useUi((s) => s.go);
  const notify = useUi((s) => s.notify);
  const [outline, setOutline] = useState<Outline | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [missing, setMissing] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [nemesis, setNemesis] = useState<NemesisView | null>(null);
  const [changes, setChanges] = useState<NemesisPageChanges | null>(null);
  const [session, setSession] = useState(1);
  const [journal, setJournal] = useState('');
  const [prep, setPrep] = useState<Prep | null>(null);
  const [theme, setTheme] = useState('');

  const reload = useCallback(async () => {
    if (!campaign) return;
    try {
      const o = await call('campaignGen.outline', { campaign });
      setOutline(o);
      setCheck(await call('campaignGen.check', { campaign }));
      setNemesis(await call('nemesis.show', { id: campaign }));
    } catch (e) {
      setMissing(e instanceof Error ? e.message : String(e));
    }
  }, [campaign]);
  useEffect(() => {
    void reload();
  }, [reload]);

  if (!campaign) return <p>No campaign selected.</p>;
  if (missing)
    return (
      <div className="screen">
        <h1>Story</h1>
        <p>{missing}</p>
        <button type="button" onClick={() => go('pitch')}>
          New campaign from a pitch
        </button>
      </div>
    );
  if (!outline) return <p role="status">Loading the outline…</p>;
  const idx = outline.chapters.findIndex((c) => c.id === open);
  const proposals = outline.proposals.filter((p) => p.id.startsWith(`s${session}-`));
  return (
    <div className="screen">
      <h1>{outline.setting.name}</h1>
      <p className="muted">
        {outline.pitch} · theme {outline.theme}
      </p>
      <div className="row">
        <button type="button" className="secondary" onClick={() => go('campaign', { campaignId: campaign })}>
          Campaign page
        </button>
      </div>
      <form
        className="row"
        aria-label="Retheme"
        onSubmit={(e) => {
          e.preventDefault();
          if (!theme.trim() || theme.trim() === outline.theme) return;
          void attempt(() => call('campaignGen.retheme', { campaign, theme: theme.trim() })).then((r) => {
            if (!r) return;
            notify(
              'info',
              `Rethemed ${r.from} → ${r.theme}: ${r.characters.length} characters, ${r.items.length} items.`,
            );
            return reload();
          });
        }}
      >
        <label>
          New theme
          <input value={theme} onChange={(e) => setTheme(e.target.value)} placeholder="cyberpunk" />
        </label>
        <button type="submit" disabled={!theme.trim() || theme.trim() === outline.theme}>
          Retheme campaign
        </button>
      </form>
      <OutlineGraph outline={outline} check={check} onOpen={setOpen} />
      <StoryRefine campaign={campaign} onSaved={() => void reload()} />
      {idx >= 0 && (
        <ChapterEditor
          campaign={campaign}
          chapter={outline.chapters[idx]!}
          index={idx}
          chapters={outline.chapters.map((c) => ({ id: c.id, title: c.title }))}
          onSaved={() => void reload()}
        />
      )}
      <section aria-labelledby="session-h">
        <h2 id="session-h">After a session</h2>
        <label>
          Session
          <input
            type="number"
            min={0}
            value={session}
            onChange={(e) => setSession(Math.max(0, Number(e.target.value) || 0))}
          />
        </label>
        <form
          aria-label="Session journal"
          onSubmit={(e) => {
            e.preventDefault();
            if (!journal.trim()) return;
            void attempt(() =>
              call('campaignGen.journal', {
                campaign,
                session,
                title: `Session ${session}`,
                text: journal.trim(),
              }),
            ).then((r) => {
              if (!r) return;
              setJournal('');
              notify('info', `Journal of session ${session} saved.`);
            });
          }}
        >
          <label>
            Journal
            <textarea value={journal} rows={4} onChange={(e) => setJournal(e.target.value)} />
          </label>
          <button type="submit" disabled={!journal.trim()}>
            Save journal
          </button>
        </form>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void attempt(() => call('adapt.propose', { campaign, session })).then(() => reload())
            }
          >
            Propose adaptations
          </button>
          <button
            type="button"
            onClick={() =>
              void attempt(() => call('nemesis.evolve', { campaign, session })).then((r) => {
                if (r) setChanges(r.changes);
                return reload();
              })
            }
          >
            Evolve nemesis
          </button>
          <button
            type="button"
            onClick={() =>
              void attempt(() => call('prep.build', { campaign, session: session + 1 })).then(
                (p) => p && setPrep(p),
              )
            }
          >
            Prep next session
          </button>
        </div>
        <h3>Adaptation review</h3>
        {proposals.length === 0 ? (
          <p className="muted">No proposals for session {session}.</p>
        ) : (
          <AdaptationReview
            proposals={proposals}
            onDecide={(id, accept) =>
              void attempt(() =>
                call(accept ? 'adapt.apply' : 'adapt.reject', { campaign, proposals: [id] }),
              ).then(() => reload())
            }
          />
        )}
      </section>
      {nemesis && <NemesisPage nemesis={nemesis} changes={changes} />}
      {prep && <PrepSheet prep={prep} />}
    </div>
  );
}

type NemesisPageChanges = { path: string; from?: unknown; to?: unknown; reason: string }[];
