/** A stored character: sheet, story (backstory and lore, editable) and history. */
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { ConflictList, type ConflictRow } from '../components/ChangeList';
import { HistoryView } from '../components/HistoryView';
import { LoreEditor } from '../components/LoreEditor';
import { PlayerSheet } from '../components/PlayerSheet';
import { SheetView } from '../components/SheetView';
import { StatBlockView } from '../components/StatBlockView';
import { StoryForm } from '../components/StoryForm';
import { useData, type StatBlockDoc } from '../stores/data';
import { attempt, useUi, type CharacterTab } from '../stores/ui';
import { displayName, humanize, KIND_NAMES } from '../words';

type Tab = CharacterTab;
const TABS: Tab[] = ['sheet', 'story', 'history'];

export function Character() {
  const id = useUi((s) => s.characterId);
  const notify = useUi((s) => s.notify);
  const sheet = useData((s) => (id ? s.sheets[id] : undefined));
  const statBlock = useData((s) => (id ? s.statBlocks[id] : undefined));
  const graph = useData((s) => (id ? s.graphs[id] : undefined));
  const missing = useData((s) => (id ? s.missing[id] : undefined));
  const loadSheet = useData((s) => s.loadSheet);
  const loadGraph = useData((s) => s.loadGraph);
  const tab = useUi((s) => s.tab) ?? 'sheet';
  const go = useUi((s) => s.go);
  const setTab = (t: Tab) => go('character', { characterId: id, tab: t });
  const [merged, setMerged] = useState<{ from: string; into: string; conflicts: ConflictRow[] } | null>(null);

  useEffect(() => {
    if (id) {
      void loadSheet(id);
      void loadGraph(id);
    }
  }, [id, loadSheet, loadGraph]);

  if (!id) return <p>No character selected.</p>;
  if (missing !== undefined && !sheet && !statBlock)
    return (
      <div className="screen">
        <h1>Character not found</h1>
        <p>
          This address names a character that is not in this data folder (it may have been in another one, or
          the address is incomplete).
        </p>
        <button type="button" onClick={() => go('campaigns')}>
          Go to campaigns
        </button>
      </div>
    );
  if (!sheet && statBlock) return <MonsterCharacter doc={statBlock} />;
  if (!sheet) return <p role="status">Loading…</p>;
  const n = sheet.doc.narrative;
  const b = sheet.doc.build;

  return (
    <div className="screen">
      <h1 data-testid="character-name">{b.name}</h1>
      <p className="muted" data-testid="character-line">
        {elementName(sheet.doc.elements, 'species', b.species)}
        {b.lineage ? ` (${elementName(sheet.doc.elements, 'lineage', b.lineage)})` : ''} ·{' '}
        {b.classes
          .map(
            (c) =>
              `${elementName(sheet.doc.elements, 'class', c.class)} ${c.level}${c.subclass ? ` (${elementName(sheet.doc.elements, 'subclass', c.subclass)})` : ''}`,
          )
          .join(' / ')}{' '}
        · {elementName(sheet.doc.elements, 'background', b.background)} · branch{' '}
        <strong>{sheet.branch}</strong>
        {sheet.branch === 'draft' ? ' (a draft, not finalized)' : ''}
        {sheet.doc.status === 'dead' ? ' · fallen' : ''}
      </p>
      {sheet.branch === 'draft' && (
        <p className="banner" role="note">
          This character is still a draft.{' '}
          <button type="button" className="link" onClick={() => go('create', { draftId: id })}>
            Continue the conversation
          </button>
        </p>
      )}
      <div role="tablist" aria-label="Character views" className="tabs">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              const i = TABS.indexOf(t);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length] as Tab;
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {t === 'sheet' ? 'Sheet' : t === 'story' ? 'Story' : 'History'}
          </button>
        ))}
      </div>

      {tab === 'sheet' && (
        <div role="tabpanel" id="panel-sheet" aria-labelledby="tab-sheet">
          <h2 className="sr-only">Sheet</h2>
          {!sheet.validation.valid && (
            <p className="banner bad">
              This build breaks {sheet.validation.issues.filter((i) => i.severity === 'error').length}{' '}
              rule(s).
            </p>
          )}
          <SheetView derived={sheet.derived} />
          <PlayerSheet build={b} elements={sheet.doc.elements} />
        </div>
      )}

      {tab === 'story' && (
        <div role="tabpanel" id="panel-story" aria-labelledby="tab-story" className="story">
          <h2 className="sr-only">Story</h2>
          <StoryForm
            key={id}
            id={id}
            name={b.name}
            backstory={n.backstory}
            appearance={n.appearance}
            branch={sheet.branch}
            branches={(graph?.branches ?? []).filter((x) => !x.isDefault).map((x) => x.name)}
            onSaved={() => {
              // The sheet and graph reload now, whether or not core announces the change.
              void loadSheet(id);
              void loadGraph(id);
            }}
          />
          <section className="card" aria-label="Personality">
            {(
              [
                ['Personality', n.personalityTraits],
                ['Ideals', n.ideals],
                ['Bonds', n.bonds],
                ['Flaws', n.flaws],
                ['Fears', n.fears],
                ['Motivations', n.motivations],
              ] as const
            ).map(([label, lines]) =>
              lines.length ? (
                <p key={label}>
                  <strong>{label}:</strong> {lines.join(' ')}
                </p>
              ) : null,
            )}
          </section>
          <LoreEditor
            key={id}
            id={id}
            lore={n.lore}
            title={loreTitle}
            onSaved={() => {
              void loadSheet(id);
              void loadGraph(id);
            }}
          />
        </div>
      )}

      {tab === 'history' && (
        <div role="tabpanel" id="panel-history" aria-labelledby="tab-history">
          <h2 className="sr-only">History</h2>
          {graph ? (
            <HistoryView
              branches={graph.branches}
              commits={graph.commits}
              onDiff={(from, to) => attempt(() => call('history.diff', { id, from, to }))}
              onBranch={(name, from) =>
                attempt(() => call('history.branch', { id, name, from })).then((r) => {
                  if (!r) return;
                  notify('info', `Branch "${r.branch}" created.`);
                  void loadGraph(id);
                })
              }
              onMerge={(from, into) =>
                attempt(() => call('history.merge', { id, from, into })).then((r) => {
                  if (!r) return;
                  setMerged({ from, into, conflicts: r.conflicts as ConflictRow[] });
                  void loadSheet(id);
                  void loadGraph(id);
                  notify(
                    'info',
                    `Merged ${from} into ${into}.${r.conflicts.length ? ` ${r.conflicts.length} field${r.conflicts.length === 1 ? ' was' : 's were'} changed on both; see below.` : ''}`,
                  );
                })
              }
              onTag={(name, ref) =>
                attempt(() => call('history.tag', { id, name, ref })).then((r) => {
                  if (r) void loadGraph(id);
                  return r;
                })
              }
            />
          ) : (
            <p role="status">Loading history…</p>
          )}
          {merged && <ConflictList conflicts={merged.conflicts} into={merged.into} from={merged.from} />}
        </div>
      )}
    </div>
  );
}

/** An element's name as the character knows it (re-skins included), else the content id in words. */
function elementName(
  elements: readonly { kind: string; name: string; id?: string | undefined }[],
  kind: string,
  id: string,
) {
  const named = elements.find((e) => e.kind === kind && e.id === id)?.name;
  return named ? displayName(named) : humanize(id);
}

/** Lore keys (`species`, `class:wizard`, `spell:fire-bolt`) as titles: "Species", "Wizard", "Fire Bolt". */
export function loreTitle(key: string): string {
  return humanize(key.includes(':') ? (key.split(':')[1] ?? key) : key);
}

/** Lore for each element of a character (keys like `spell:fire-bolt` show without their kind prefix). */
function LoreSection({ lore }: { lore: Record<string, string> }) {
  const entries = Object.entries(lore);
  if (entries.length === 0) return null;
  return (
    <section className="card" aria-label="Lore">
      <h3>Lore</h3>
      <dl>
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{loreTitle(k)}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A stored monster (or stat-block-only npc): its stat block, CR estimate and story, read-only. */
function MonsterCharacter({ doc }: { doc: StatBlockDoc }) {
  const n = doc.narrative;
  return (
    <div className="screen">
      <h1 data-testid="character-name">{doc.name}</h1>
      <p className="muted">
        {KIND_NAMES[doc.kind] ?? doc.kind} · branch <strong>{doc.branch}</strong>
      </p>
      <h2 className="sr-only">Stat block</h2>
      <StatBlockView monster={doc.statBlock} />
      {(n.backstory || n.appearance) && (
        <section className="card" aria-label="Story">
          {n.backstory && <p>{n.backstory}</p>}
          {n.appearance && (
            <p>
              <strong>Appearance:</strong> {n.appearance}
            </p>
          )}
        </section>
      )}
      <LoreSection lore={n.lore} />
    </div>
  );
}
