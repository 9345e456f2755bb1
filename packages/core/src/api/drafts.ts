/**
 * Character creation as a conversation, on top of the concept-to-character pipeline (`../pipeline`): generate a
 * draft from a concept (saved at once on the character's `draft` branch), refine it with feedback (each a commit
 * with its diff), finalize it (merged into `main`, tagged `baseline`). Adds what the UI needs beside the
 * pipeline's result: the sheet with explained numbers, the conversation turns and progress events.
 */
import {
  derive,
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
import type { DraftElement } from '../generation/index';
import type { CharacterPipeline, PipelineResult } from '../pipeline/index';
import type { EventBus } from './events';

export interface DraftTurn {
  /** `concept` for the first turn, then each feedback text. */
  role: 'concept' | 'feedback';
  text: string;
  /** What changed in the character because of this turn (empty for the first). */
  changes: Change[];
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
}): DraftsService {
  const drafts = new Map<string, DraftView>();

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
          turns: [{ role: 'concept', text: input.concept, changes: [] }],
          revision: 1,
        },
        notes,
      );
      drafts.set(v.draftId, v);
      p.done(v.draftId);
      deps.bus.emit('characters.changed', { id: v.draftId, source: 'local' });
      return v;
    },

    async refine({ draftId, feedback }) {
      const prev = need(draftId);
      if (prev.finalized) throw new CoreError('conflict', `draft ${draftId} is already finalized`);
      if (!prev.refinable)
        throw new CoreError(
          'invalid-input',
          `draftId: ${draftId} is a ${prev.kind} stat block; refining stat blocks is not supported yet (finalize it as it is, or generate again)`,
        );
      const { pipeline, notes } = await deps.pipelines.forTask('character.refine');
      const p = progress(() => draftId);
      p.setMode(prev.mode);
      const r = await pipeline.refine(draftId, feedback, { onProgress: p.onProgress });
      const v = view(
        r,
        {
          concept: prev.concept,
          campaign: prev.campaign,
          turns: [...prev.turns, { role: 'feedback', text: feedback, changes: [...r.diff.changes] }],
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

    async finalize(draftId) {
      const d = need(draftId);
      if (d.finalized) throw new CoreError('conflict', `draft ${draftId} is already finalized`);
      const { pipeline } = await deps.pipelines.forTask('character.create');
      const res = await pipeline.finalize(draftId);
      drafts.set(draftId, { ...d, finalized: res.id });
      return { id: res.id, commit: res.commit };
    },
  };
}
