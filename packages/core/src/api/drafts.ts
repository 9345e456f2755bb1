/**
 * Character creation as a conversation, on top of the concept-to-character pipeline (`../pipeline`): generate a
 * draft from a concept (saved at once on the character's `draft` branch), refine it with feedback (each a commit
 * with its diff), finalize it (merged into `main`, tagged `baseline`). Adds what the UI needs beside the
 * pipeline's result: the sheet with explained numbers, the conversation turns and progress events.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  derive,
  validate,
  type Build,
  type Creature,
  type Content,
  type DerivedCharacter,
  type RepairChange,
  type ValidationIssue,
} from '@loreforge/rules-5e';
import type { ProgressEvent } from '@loreforge/llm';
import { statBlockDerived } from '../cli/character';
import type { Core } from '../core';
import { CoreError } from '../errors';
import type { Change } from '../history/diff';
import { contentNames, describeRows, semanticDiff, type SemanticChange } from '../history/semantic-diff';
import type { DraftElement } from '../generation/index';
import { DRAFT_BRANCH } from '../pipeline/index';
import type { CharacterPipeline, PipelineResult } from '../pipeline/index';
import type { EventBus } from './events';

export interface DraftTurn {
  /** `concept` for the first turn, then each feedback text. */
  role: 'concept' | 'feedback';
  text: string;
  /** What changed in the character because of this turn (empty for the first). */
  changes: Change[];
  /** The same changes by meaning, in the sheet's order with names (what the UI shows). */
  semantic: SemanticChange[];
  /** The changes in one line ("swap longsword for warhammer"). */
  description: string;
}

/** A draft as the drafts list shows it. */
export interface DraftSummary {
  draftId: string;
  name: string;
  kind: 'pc' | 'npc' | 'monster';
  campaign: string | null;
  concept: string;
  /** Number of revisions (the first generation and each refine). */
  revisions: number;
  /** When the draft last changed (ms since epoch). */
  updatedAt: number;
  /** Older than the clean-up age asked for. */
  stale: boolean;
}

export interface DraftView {
  /** The character's id (drafts are stored characters on their `draft` branch). */
  draftId: string;
  revision: number;
  concept: string;
  kind: 'pc' | 'npc' | 'monster';
  /** The character's or the monster's name. */
  name: string;
  campaign: string | null;
  mode: 'offline' | 'model';
  /** Who generated it, e.g. `offline generator (no language model answered)` or `ollama llama3.1`. */
  note: string;
  /** The build (pc and npc); null for a monster, which has a stat block instead. */
  build: Build | null;
  /** A monster's stat block and the rules engine's CR estimate; null for builds. */
  monster: MonsterView | null;
  /** Whether `refine` works on this draft (the pipeline refines builds only, not stat blocks). */
  refinable: boolean;
  backstory: string;
  elements: DraftElement[];
  validation: { valid: boolean; issues: ValidationIssue[] };
  repairs: RepairChange[];
  /** Derived numbers of the build; null for a monster. */
  derived: DerivedCharacter | null;
  turns: DraftTurn[];
  finalized: string | null;
}

/** A stat block and its CR estimate (defensive and offensive halves, method, the stored CR). */
export interface MonsterView {
  statBlock: Creature;
  challenge: ReturnType<typeof statBlockDerived>['challenge'];
}

/** Pipelines by provider choice, built lazily (they probe providers). */
export interface PipelineSource {
  forTask(
    task: 'character.create' | 'character.refine',
  ): Promise<{ pipeline: CharacterPipeline; notes: readonly string[] }>;
}

export interface DraftsService {
  generate(input: {
    concept: string;
    kind: 'pc' | 'npc' | 'monster';
    level?: number;
    /** Target challenge rating (monsters only). */
    cr?: number;
    campaign?: string;
  }): Promise<DraftView>;
  refine(input: { draftId: string; feedback: string }): Promise<DraftView>;
  get(draftId: string): DraftView;
  finalize(draftId: string): Promise<{ id: string; commit: string }>;
  /** Drafts not finalized nor discarded, newest first; `stale` marks those untouched for `staleAfterDays`. */
  list(opts?: { staleAfterDays?: number }): Promise<DraftSummary[]>;
  /** A draft from any session: its conversation (concept, each feedback and its changes) and its revisions. */
  resume(draftId: string): Promise<DraftView>;
  /** Discard a draft: it leaves the drafts list and the character lists. */
  discard(draftId: string): Promise<{ draftId: string; discarded: true }>;
  /** Whether a character is a discarded draft (hosts hide those). */
  isDiscarded(id: string): boolean;
}

interface DraftRecord {
  concept: string;
  createdAt: number;
  discardedAt?: number;
}

/** `<dataDir>/drafts.json`: each draft's concept and whether it was discarded (in memory without a folder). */
function draftRecords(dataDir: string | null) {
  const file = dataDir === null ? null : join(dataDir, 'drafts.json');
  let records: Record<string, DraftRecord> = {};
  if (file && existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { drafts?: Record<string, DraftRecord> };
      records = parsed.drafts ?? {};
    } catch {
      records = {};
    }
  }
  return {
    get: (id: string) => records[id],
    set(id: string, r: DraftRecord) {
      records = { ...records, [id]: r };
      if (!file || !dataDir) return;
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify({ v: 1, drafts: records }, null, 2));
      renameSync(`${file}.tmp`, file);
    },
  };
}

const DAY = 24 * 60 * 60 * 1000;

/** The feedback a refine commit recorded in its `pipeline:` trailer. */
function trailerOf(message: string): Record<string, unknown> | null {
  const i = message.indexOf('\npipeline: ');
  if (i < 0) return null;
  try {
    return JSON.parse(message.slice(i + '\npipeline: '.length)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const PHASE_TEXT: Record<ProgressEvent['phase'], string> = {
  request: 'asking the generator',
  streaming: 'receiving the answer',
  validating: 'checking the answer',
  retry: 'asking again',
};

export function createDraftsService(deps: {
  core: Core;
  content: () => Content;
  pipelines: PipelineSource;
  bus: EventBus;
  /** Where `drafts.json` lives (null or absent: in memory). */
  dataDir?: string | null;
  now?: () => number;
}): DraftsService {
  const drafts = new Map<string, DraftView>();
  const records = draftRecords(deps.dataDir ?? null);
  const now = deps.now ?? (() => Date.now());
  const names = () => contentNames(deps.content());
  const docOf = async (id: string, ref?: string) =>
    (await deps.core.characters.showAny(id, ref ? { ref } : {})).doc as unknown;

  function view(
    r: PipelineResult,
    base: Pick<DraftView, 'concept' | 'campaign' | 'turns' | 'revision'>,
    notes: readonly string[],
  ): DraftView {
    if (!r.id) throw new CoreError('invalid-input', 'draftId: the pipeline returned an unsaved result');
    const statBlock = r.kind === 'monster' || !r.build ? r.creature : null;
    if (!r.build && !statBlock)
      throw new CoreError('invalid-input', `kind: the ${r.kind} draft has neither a build nor a stat block`);
    const offline = r.provenance.provider === 'offline';
    return {
      draftId: r.id,
      ...base,
      kind: r.kind,
      name: statBlock?.name ?? r.build?.name ?? '',
      mode: offline ? 'offline' : 'model',
      note: offline
        ? `offline generator (${notes.find((n) => /offline|ollama/.test(n)) ?? 'no language model answered'})`
        : `${r.provenance.provider} ${r.provenance.model}`,
      build: statBlock ? null : r.build,
      monster: statBlock ? { statBlock, challenge: statBlockDerived(statBlock).challenge } : null,
      refinable: !statBlock,
      backstory: r.narrative.backstory ?? '',
      elements: [...r.elements],
      validation: { valid: r.validation.valid, issues: [...r.validation.issues] },
      repairs: [...r.repairs],
      derived: !statBlock && r.build ? derive(r.build, deps.content()) : null,
      finalized: null,
    };
  }

  function progress(draftId: () => string) {
    let mode: 'offline' | 'model' = 'offline';
    return {
      setMode: (m: 'offline' | 'model') => (mode = m),
      onProgress: (e: ProgressEvent) =>
        deps.bus.emit('llm.progress', {
          draftId: draftId(),
          stage: `${PHASE_TEXT[e.phase]}${e.tokens ? ` (${e.tokens} tokens)` : ''}${e.attempt > 1 ? `, attempt ${e.attempt}` : ''}`,
          done: false,
          mode,
        }),
      done: (id: string) => deps.bus.emit('llm.progress', { draftId: id, stage: 'done', done: true, mode }),
    };
  }

  /** Rebuild a draft from the store: the draft branch's commits are its revisions, refine trailers its feedback. */
  async function rebuild(draftId: string): Promise<DraftView> {
    const rec = records.get(draftId);
    if (rec?.discardedAt) throw new CoreError('not-found', `draftId: the draft ${draftId} was discarded`);
    const branches = await deps.core.history.branches(draftId);
    if (!branches.some((b) => b.name === DRAFT_BRANCH))
      throw new CoreError(
        'invalid-input',
        `draftId: ${draftId} is not a draft (it has no ${DRAFT_BRANCH} branch)`,
      );
    const current = await deps.core.characters.showAny(draftId);
    const doc = current.doc;
    const row = (await deps.core.characters.list()).find((r) => r.id === draftId);
    const log = [...(await deps.core.history.log(draftId, { branch: DRAFT_BRANCH }))].sort(
      (a, b) => a.timestamp - b.timestamp,
    );
    const nm = names();
    const turns: DraftTurn[] = [
      {
        role: 'concept',
        text: rec?.concept ?? '(concept not recorded)',
        changes: [],
        semantic: [],
        description: '',
      },
    ];
    let repairs: RepairChange[] = [];
    for (const c of log) {
      const t = trailerOf(c.message);
      if (!t) continue;
      if (Array.isArray(t['repairs'])) repairs = t['repairs'] as RepairChange[];
      const parent = c.parents[0];
      if (typeof t['feedback'] !== 'string' || !parent) continue;
      const [diff, before, after] = await Promise.all([
        deps.core.history.diff(draftId, parent, c.commit),
        docOf(draftId, parent),
        docOf(draftId, c.commit),
      ]);
      const semantic = semanticDiff(before, after, { names: nm });
      turns.push({
        role: 'feedback',
        text: t['feedback'],
        changes: [...diff.changes],
        semantic,
        description: describeRows(semantic),
      });
    }
    const statBlock = doc.creature && (doc.kind === 'monster' || !doc.build) ? doc.creature : null;
    const build = statBlock ? null : (doc.build ?? null);
    const prov = doc.provenance;
    const offline = !prov || prov.provider === 'offline';
    const c = deps.content();
    const validation = build ? validate(build, c) : { valid: true, issues: [] };
    const v: DraftView = {
      draftId,
      revision: turns.length,
      concept: turns[0]?.text ?? '',
      kind: doc.kind,
      name: statBlock?.name ?? build?.name ?? draftId,
      campaign: row?.campaign ?? null,
      mode: offline ? 'offline' : 'model',
      note: offline ? 'offline generator' : `${prov.provider} ${prov.model}`,
      build,
      monster: statBlock ? { statBlock, challenge: statBlockDerived(statBlock).challenge } : null,
      refinable: !statBlock,
      backstory: doc.narrative.backstory,
      elements: doc.elements.map((e) => ({ ...e }) as DraftElement),
      validation: { valid: validation.valid, issues: [...validation.issues] },
      repairs,
      derived: build ? derive(build, c) : null,
      turns,
      finalized: current.branch === DRAFT_BRANCH ? null : draftId,
    };
    drafts.set(draftId, v);
    return v;
  }

  async function known(draftId: string): Promise<DraftView> {
    return drafts.get(draftId) ?? rebuild(draftId);
  }

  function need(draftId: string): DraftView {
    const d = drafts.get(draftId);
    if (!d) throw new CoreError('not-found', `draftId: no draft ${draftId} in this session`);
    return d;
  }

  return {
    async generate(input) {
      if (input.campaign) await deps.core.campaigns.get(input.campaign);
      const { pipeline, notes } = await deps.pipelines.forTask('character.create');
      const p = progress(() => 'new');
      p.setMode(
        notes.some((n) => /using the offline generator|offline generator \(asked/.test(n))
          ? 'offline'
          : 'model',
      );
      const r = await pipeline.createDraft(
        {
          concept: input.concept,
          kind: input.kind,
          ...(input.level && input.kind !== 'monster' ? { level: input.level } : {}),
          ...(input.cr !== undefined && input.kind === 'monster' ? { cr: input.cr } : {}),
          ...(input.campaign ? { campaignId: input.campaign } : {}),
        },
        { onProgress: p.onProgress },
      );
      const v = view(
        r,
        {
          concept: input.concept,
          campaign: input.campaign ?? null,
          turns: [{ role: 'concept', text: input.concept, changes: [], semantic: [], description: '' }],
          revision: 1,
        },
        notes,
      );
      drafts.set(v.draftId, v);
      records.set(v.draftId, { concept: input.concept, createdAt: now() });
      p.done(v.draftId);
      deps.bus.emit('characters.changed', { id: v.draftId, source: 'local' });
      return v;
    },

    async refine({ draftId, feedback }) {
      const prev = await known(draftId);
      if (prev.finalized) throw new CoreError('conflict', `draft ${draftId} is already finalized`);
      if (!prev.refinable)
        throw new CoreError(
          'invalid-input',
          `draftId: ${draftId} is a ${prev.kind} stat block; refining stat blocks is not supported yet (finalize it as it is, or generate again)`,
        );
      const { pipeline, notes } = await deps.pipelines.forTask('character.refine');
      const p = progress(() => draftId);
      p.setMode(prev.mode);
      const before = await docOf(draftId);
      const r = await pipeline.refine(draftId, feedback, { onProgress: p.onProgress });
      const semantic = semanticDiff(before, await docOf(draftId), { names: names() });
      const v = view(
        r,
        {
          concept: prev.concept,
          campaign: prev.campaign,
          turns: [
            ...prev.turns,
            {
              role: 'feedback',
              text: feedback,
              changes: [...r.diff.changes],
              semantic,
              description: describeRows(semantic),
            },
          ],
          revision: prev.revision + 1,
        },
        notes,
      );
      drafts.set(draftId, v);
      p.done(draftId);
      deps.bus.emit('characters.changed', { id: draftId, source: 'local' });
      return v;
    },

    get: need,

    async list(opts = {}) {
      const rows = (await deps.core.characters.list()).filter(
        (r) => r.branch === DRAFT_BRANCH && !records.get(r.id)?.discardedAt,
      );
      const staleMs = (opts.staleAfterDays ?? 14) * DAY;
      const out: DraftSummary[] = [];
      for (const r of rows) {
        const log = await deps.core.history.log(r.id, { branch: DRAFT_BRANCH });
        const updatedAt = Math.max(0, ...log.map((e) => e.timestamp));
        const revisions = log.filter((e) => trailerOf(e.message) !== null).length;
        out.push({
          draftId: r.id,
          name: r.name,
          kind: r.kind,
          campaign: r.campaign,
          concept: records.get(r.id)?.concept ?? '',
          revisions: Math.max(1, revisions),
          updatedAt,
          stale: now() - updatedAt > staleMs,
        });
      }
      return out.sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
    },

    resume: rebuild,

    async discard(draftId) {
      const row = (await deps.core.characters.list()).find((r) => r.id === draftId);
      if (!row) throw new CoreError('not-found', `draftId: no character ${draftId}`);
      if (row.branch !== DRAFT_BRANCH)
        throw new CoreError(
          'invalid-input',
          `draftId: ${row.name} is finalized, not a draft; only drafts can be discarded`,
        );
      const rec = records.get(draftId);
      records.set(draftId, {
        concept: rec?.concept ?? '',
        createdAt: rec?.createdAt ?? now(),
        discardedAt: now(),
      });
      drafts.delete(draftId);
      deps.bus.emit('characters.changed', { id: draftId, source: 'local' });
      return { draftId, discarded: true as const };
    },

    isDiscarded: (id) => Boolean(records.get(id)?.discardedAt),

    async finalize(draftId) {
      const d = await known(draftId);
      if (d.finalized) throw new CoreError('conflict', `draft ${draftId} is already finalized`);
      const { pipeline } = await deps.pipelines.forTask('character.create');
      const res = await pipeline.finalize(draftId);
      drafts.set(draftId, { ...d, finalized: res.id });
      return { id: res.id, commit: res.commit };
    },
  };
}
