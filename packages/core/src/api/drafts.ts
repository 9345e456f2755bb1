/**
 * Character creation as a conversation: generate a draft from a concept, refine it with feedback, finalize it
 * into a stored character. Drafts live in memory until finalized. The generator here is the offline one; the
 * model-backed pipeline plugs in through `DraftGenerator`.
 */
import {
  derive,
  repair,
  validate,
  type Build,
  type Content,
  type DerivedCharacter,
  type RepairChange,
  type ValidationIssue,
} from '@loreforge/rules-5e';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { generateOffline, hashString, type DraftChoices } from '../generation/index';
import { diffJson, type Change } from '../history/diff';
import type { Json } from '../docs/y-json';
import type { EventBus } from './events';

export interface DraftRequest {
  concept: string;
  kind: 'pc' | 'npc';
  level?: number;
  seed: number;
}

/** Produces draft choices; `stage` reports progress for the UI. */
export type DraftGenerator = (
  request: DraftRequest,
  stage: (name: string) => void,
) => Promise<{ choices: DraftChoices; mode: 'offline' | 'model'; note: string }>;

export function offlineGenerator(content: Content): DraftGenerator {
  return async (req, stage) => {
    stage('reading the concept');
    const choices = generateOffline(
      { concept: req.concept, kind: req.kind, seed: req.seed, ...(req.level ? { level: req.level } : {}) },
      content,
    );
    stage('choosing species, class and background');
    return { choices, mode: 'offline', note: 'offline generator (no language model)' };
  };
}

export interface DraftTurn {
  /** `concept` for the first turn, then each feedback text. */
  role: 'concept' | 'feedback';
  text: string;
  /** What changed in the draft because of this turn (empty for the first). */
  changes: Change[];
}

export interface DraftView {
  draftId: string;
  revision: number;
  concept: string;
  kind: 'pc' | 'npc';
  campaign: string | null;
  mode: 'offline' | 'model';
  note: string;
  build: Build;
  narrative: DraftChoices['narrative'];
  lore: DraftChoices['lore'];
  elements: DraftChoices['elements'];
  validation: { valid: boolean; issues: ValidationIssue[] };
  repairs: RepairChange[];
  derived: DerivedCharacter;
  turns: DraftTurn[];
  finalized: string | null;
}

export interface DraftsService {
  generate(input: {
    concept: string;
    kind: 'pc' | 'npc';
    level?: number;
    campaign?: string;
  }): Promise<DraftView>;
  refine(input: { draftId: string; feedback: string }): Promise<DraftView>;
  get(draftId: string): DraftView;
  finalize(draftId: string): Promise<{ id: string; commit: string }>;
}

/** Map the generator's narrative and lore onto the stored character's narrative. */
function toStoredNarrative(v: DraftView) {
  const n = v.narrative;
  const lore: Record<string, string> = {};
  for (const l of v.lore) lore[`${l.kind}:${l.element}`] = l.text;
  return {
    backstory: n.backstory,
    personalityTraits: n.personality,
    ideals: n.ideals,
    bonds: n.bonds,
    flaws: n.flaws,
    fears: n.fears,
    secrets: n.secrets,
    motivations: n.motivations,
    relationships: n.relationships.map((r) => ({ with: r.name, relation: r.relation, note: r.note })),
    appearance: n.appearance,
    lore,
  };
}

export function createDraftsService(deps: {
  core: Core;
  content: () => Content;
  generator: () => DraftGenerator;
  bus: EventBus;
  ids: () => string;
}): DraftsService {
  const drafts = new Map<string, DraftView>();

  async function produce(
    draftId: string,
    req: DraftRequest,
  ): Promise<Omit<DraftView, 'draftId' | 'revision' | 'turns' | 'campaign' | 'finalized' | 'concept'>> {
    const content = deps.content();
    let mode: 'offline' | 'model' = 'offline';
    const stage = (name: string) =>
      deps.bus.emit('llm.progress', { draftId, stage: name, done: false, mode });
    const out = await deps.generator()(req, stage);
    mode = out.mode;
    const build = out.choices.build;
    if (!build) throw new CoreError('invalid-input', `kind: ${req.kind} drafts need a build`);
    stage('checking the rules');
    const first = validate(build, content);
    let finalBuild: Build = build;
    let repairs: RepairChange[] = [];
    if (!first.valid) {
      stage('repairing rule problems');
      const r = repair(build, content);
      finalBuild = r.build;
      repairs = [...r.changes];
    }
    const checked = finalBuild === build ? first : validate(finalBuild, content);
    stage('computing the sheet');
    const derived = derive(finalBuild, content);
    deps.bus.emit('llm.progress', { draftId, stage: 'done', done: true, mode });
    return {
      kind: req.kind,
      mode,
      note: out.note,
      build: finalBuild,
      narrative: out.choices.narrative,
      lore: out.choices.lore,
      elements: out.choices.elements,
      validation: { valid: checked.valid, issues: [...checked.issues] },
      repairs,
      derived,
    };
  }

  function need(draftId: string): DraftView {
    const d = drafts.get(draftId);
    if (!d)
      throw new CoreError('not-found', `draftId: no draft ${draftId} (drafts are kept until the app closes)`);
    return d;
  }

  return {
    async generate(input) {
      if (input.campaign) await deps.core.campaigns.get(input.campaign);
      const draftId = deps.ids();
      const body = await produce(draftId, {
        concept: input.concept,
        kind: input.kind,
        seed: hashString(input.concept),
        ...(input.level ? { level: input.level } : {}),
      });
      const view: DraftView = {
        draftId,
        revision: 1,
        concept: input.concept,
        campaign: input.campaign ?? null,
        ...body,
        turns: [{ role: 'concept', text: input.concept, changes: [] }],
        finalized: null,
      };
      drafts.set(draftId, view);
      return view;
    },

    async refine({ draftId, feedback }) {
      const prev = need(draftId);
      if (prev.finalized) throw new CoreError('conflict', `draft ${draftId} is already finalized`);
      // Offline: the feedback joins the concept, so its keywords steer the affinity tables; same level and kind.
      const concept = [
        prev.concept,
        ...prev.turns.filter((t) => t.role === 'feedback').map((t) => t.text),
        feedback,
      ].join('. ');
      const body = await produce(draftId, {
        concept,
        kind: prev.kind,
        seed: hashString(concept),
        level: prev.build.classes.reduce((n, c) => n + c.level, 0),
      });
      const before = { build: prev.build, narrative: prev.narrative } as unknown as Json;
      const after = { build: body.build, narrative: body.narrative } as unknown as Json;
      const changes = diffJson(before, after);
      const view: DraftView = {
        ...prev,
        ...body,
        revision: prev.revision + 1,
        turns: [...prev.turns, { role: 'feedback', text: feedback, changes }],
      };
      drafts.set(draftId, view);
      return view;
    },

    get: need,

    async finalize(draftId) {
      const d = need(draftId);
      if (d.finalized)
        throw new CoreError('conflict', `draft ${draftId} is already finalized as ${d.finalized}`);
      const res = await deps.core.characters.import(
        { build: d.build, narrative: toStoredNarrative(d), kind: d.kind },
        {
          ...(d.campaign ? { campaign: d.campaign } : {}),
          message: `create ${d.build.name} from concept: ${d.concept.slice(0, 80)}`,
        },
      );
      drafts.set(draftId, { ...d, finalized: res.id });
      return { id: res.id, commit: res.commit };
    },
  };
}
