/**
 * The concept-to-character pipeline on top of the store: ask the routed model for choices, run them through
 * `processCharacter` (resolve → balance → repair → validate → derive → CR), and save the result as commits with
 * the repair log and the provider's provenance. Nothing is written before the model has answered and the
 * result is valid, so a provider failure leaves the store untouched.
 */
import {
  type ConceptHints,
  characterCreatePrompt,
  characterRefinePrompt,
  type ChatMessage,
  type LlmFailure,
  type LlmRouter,
  type ProgressEvent,
  type RoutedResult,
  type Usage,
} from '@loreforge/llm';
import type { Build, Content, DeriveOutput, RepairChange, ValidationResult } from '@loreforge/rules-5e';
import { z } from 'zod';
import type { Core } from '../core';
import type {
  BuildCharacterDoc,
  CharacterElement,
  GenerationProvenance,
  NarrativeInput,
} from '../docs/character-doc';
import type { Json } from '../docs/y-json';
import { CoreError } from '../errors';
import type { Change } from '../history/diff';
import type { SetOp } from '../services/characters';
import { levelUpOptions, type LevelUpOption } from './level-up';
import {
  customLore,
  loreMissing,
  loreRecord,
  processBuild,
  processCharacter,
  processMonster,
  toDocNarrative,
  type BalanceAdjustment,
  type Challenge,
  type MappingStats,
  type ProcessedBuild,
} from './process';
import { characterRethemePrompt, monsterCreatePrompt } from './prompts';
import {
  BUILD_PATCH_FIELDS,
  CharacterDraftSchema,
  MonsterDraftSchema,
  NARRATIVE_PATCH_FIELDS,
  RefinePatchSchema,
  RethemeSchema,
  type CharacterDraft,
  type RefinePatch,
} from './schemas';
import type { Creature } from '@loreforge/rules-5e';
import type { DraftElement } from '../generation/index';
import { leaders, readConcept } from '../generation/reader';
import { resolveToSrd } from '../generation/resolve';
import { contentNames, describeChanges } from '../history/semantic-diff';

export const DRAFT_BRANCH = 'draft';
export const BASELINE_TAG = 'baseline';
/** Output budget for a draft answer (the schema's goal is ≤ 1,500 tokens; room for wordy models). */
export const DRAFT_MAX_TOKENS = 4096;

export interface Provenance {
  readonly provider: string;
  readonly model: string;
  readonly attempts: number;
  readonly usage: Usage;
  readonly cached: boolean;
  readonly task: string;
  /** `id@version` of the prompt. */
  readonly prompt: string;
  readonly fallbacks: readonly LlmFailure[];
}

export interface PipelineResult {
  /** Null only for a squad previewed with `bulkCreate({ save: false })`. */
  readonly id: string | null;
  readonly branch: string | null;
  readonly commit: string | null;
  readonly kind: 'pc' | 'npc' | 'monster';
  readonly build: Build | null;
  readonly creature: Creature | null;
  readonly narrative: NarrativeInput;
  readonly derived: DeriveOutput | null;
  readonly validation: ValidationResult;
  readonly repairs: readonly RepairChange[];
  readonly balance: readonly BalanceAdjustment[];
  readonly elements: readonly DraftElement[];
  readonly mapping: MappingStats;
  readonly challenge: Challenge | null;
  /** Elements without lore (`<kind>:<id>`); empty when every element has some. */
  readonly loreMissing: readonly string[];
  readonly provenance: Provenance;
}

export interface RefineResult extends PipelineResult {
  readonly diff: { readonly changes: readonly Change[]; readonly summary: string };
  /** The model's explanation of each change it made (only fields that were applied). */
  readonly explanations: readonly { readonly field: string; readonly explanation: string }[];
  /** Fields the model named but gave no value for, or whose value equals the current one. */
  readonly ignored: readonly string[];
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly author?: string;
}

export const CreateDraftInputSchema = z.strictObject({
  concept: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  kind: z.enum(['pc', 'npc', 'monster']).default('pc'),
  /** Character level (pc, npc). */
  level: z.number().int().min(1).max(20).optional(),
  /** Target challenge rating (monsters; default: `level`, else 1). */
  cr: z.number().min(0).max(30).optional(),
  campaignId: z.string().min(1).optional(),
  theme: z.string().trim().min(1).max(200).optional(),
  seed: z.number().int().optional(),
});
export type CreateDraftInput = z.input<typeof CreateDraftInputSchema>;

export const BulkCreateInputSchema = z.strictObject({
  role: z.string().trim().min(1, 'must not be empty').max(200),
  count: z.number().int().min(1).max(50),
  partyLevels: z.array(z.number().int().min(1).max(20)).min(1, 'give at least one party level'),
  targetCr: z.number().min(0).max(30).optional(),
  theme: z.string().trim().min(1).max(200).optional(),
  campaignId: z.string().min(1).optional(),
  seed: z.number().int().default(1),
  /** How hard the squad should be for the party (DMG encounter difficulty); scales the default target CR. */
  difficulty: z.enum(['easy', 'medium', 'hard', 'deadly']).default('medium'),
  /** Save every member as its own character (default). `false`: a preview, nothing is written. */
  save: z.boolean().default(true),
});
export type BulkCreateInput = z.input<typeof BulkCreateInputSchema>;

function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CoreError(
    'invalid-input',
    `${what}: ${issue?.path.join('.') || '(input)'}: ${issue?.message ?? 'invalid'}`,
  );
}

function provenanceOf(result: RoutedResult<unknown>, prompt: { id: string; version: number }): Provenance {
  return {
    provider: result.provider,
    model: result.model,
    attempts: result.attempts,
    usage: result.usage,
    cached: result.cached === true,
    task: result.task,
    prompt: `${prompt.id}@${prompt.version}`,
    fallbacks: result.fallbacks,
  };
}

/** The request fields every pipeline model call shares: the prompt, the draft token limit, the caller's signal and progress. */
function promptRequest(
  prompt: { readonly system: string; readonly messages: readonly ChatMessage[] },
  options: CallOptions,
) {
  return {
    system: prompt.system,
    messages: prompt.messages,
    maxTokens: DRAFT_MAX_TOKENS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

/** Commit message: one human line, then a `pipeline:` JSON trailer with everything the pipeline decided. */
export function commitMessage(
  verb: string,
  name: string,
  provenance: Provenance | null,
  record: { repairs: readonly RepairChange[]; balance?: readonly BalanceAdjustment[]; [k: string]: unknown },
): string {
  const p = provenance;
  const head = p
    ? `${verb}: ${name} via ${p.provider}/${p.model} (${p.attempts} attempt${p.attempts === 1 ? '' : 's'}${p.cached ? ', cached' : ''}, ${p.usage.inputTokens}+${p.usage.outputTokens} tokens, ${record.repairs.length} repairs)`
    : `${verb}: ${name} (${record.repairs.length} repairs)`;
  return `${head}\n\npipeline: ${JSON.stringify({ v: 1, provenance: p, ...record })}`;
}

export interface CharacterPipeline {
  createDraft(input: CreateDraftInput, options?: CallOptions): Promise<PipelineResult>;
  refine(id: string, feedback: string, options?: CallOptions): Promise<RefineResult>;
  finalize(
    id: string,
    options?: { author?: string },
  ): Promise<{ id: string; commit: string; tag: string; merged: string | null }>;
  levelUp(
    id: string,
    options?: { choice?: number; class?: string; author?: string },
  ): Promise<{
    options: LevelUpOption[];
    applied: (PipelineResult & { option: LevelUpOption; tags: string[] }) | null;
  }>;
  retheme(
    id: string,
    theme: string,
    options?: CallOptions,
  ): Promise<PipelineResult & { diff: { changes: readonly Change[]; summary: string } }>;
  bulkCreate(
    input: BulkCreateInput,
    options?: CallOptions,
  ): Promise<{ targetCr: number; leaderCr: number; members: (PipelineResult & { squadRole: SquadRole })[] }>;
}

export interface PipelineDeps {
  readonly llm: LlmRouter;
  readonly content: Content;
}

function docToDraftNarrative(doc: BuildCharacterDoc) {
  const n = doc.narrative;
  return {
    backstory: n.backstory,
    personality: n.personalityTraits,
    ideals: n.ideals,
    bonds: n.bonds,
    flaws: n.flaws,
    fears: n.fears,
    secrets: n.secrets,
    motivations: n.motivations,
    relationships: n.relationships.map((r) => ({ name: r.with, relation: r.relation, note: r.note })),
    appearance: n.appearance,
  };
}

/** What the model is shown of a stored character: choices and narrative, no metadata. */
function modelView(doc: BuildCharacterDoc): unknown {
  return { kind: doc.kind, build: doc.build, narrative: docToDraftNarrative(doc), lore: doc.narrative.lore };
}

const NARRATIVE_DOC_KEY: Readonly<Record<(typeof NARRATIVE_PATCH_FIELDS)[number], string>> = {
  backstory: 'backstory',
  personality: 'personalityTraits',
  ideals: 'ideals',
  bonds: 'bonds',
  flaws: 'flaws',
  fears: 'fears',
  secrets: 'secrets',
  motivations: 'motivations',
  relationships: 'relationships',
  appearance: 'appearance',
};

/**
 * Apply only the fields the patch names in `changes`; everything else the model sent is ignored. Returns the
 * patched build and narrative, the applied field names and the ignored ones.
 */
export function applyPatch(
  doc: BuildCharacterDoc,
  patch: RefinePatch,
): { build: Build; narrative: BuildCharacterDoc['narrative']; applied: Set<string>; ignored: string[] } {
  const named = new Set<string>(patch.changes.map((c) => c.field));
  const build: Record<string, unknown> = { ...doc.build };
  const narrative: Record<string, unknown> = { ...doc.narrative };
  const applied = new Set<string>();
  const ignored: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const f of BUILD_PATCH_FIELDS) {
    const field = `build.${f}`;
    if (!named.has(field)) continue;
    const value = patch.build?.[f];
    if (value === undefined || same(value, build[f])) ignored.push(field);
    else {
      build[f] = value;
      applied.add(field);
    }
  }
  const draftNarrative = patch.narrative ?? {};
  for (const f of NARRATIVE_PATCH_FIELDS) {
    const field = `narrative.${f}`;
    if (!named.has(field)) continue;
    const value = draftNarrative[f];
    const key = NARRATIVE_DOC_KEY[f];
    const docValue =
      f === 'relationships' && Array.isArray(value)
        ? (value as { name: string; relation: string; note: string }[]).map((r) => ({
            with: r.name,
            relation: r.relation,
            note: r.note,
          }))
        : value;
    if (docValue === undefined || same(docValue, narrative[key])) ignored.push(field);
    else {
      narrative[key] = docValue;
      applied.add(field);
    }
  }
  if (named.has('lore')) {
    if (!patch.lore || patch.lore.length === 0) ignored.push('lore');
    else {
      narrative['lore'] = { ...doc.narrative.lore, ...loreRecord(patch.lore, []) };
      applied.add('lore');
    }
  }
  return {
    build: build as Build,
    narrative: narrative as BuildCharacterDoc['narrative'],
    applied,
    ignored,
  };
}

/** `set` operations for the top-level build and narrative keys that differ. */
function setOps(
  before: BuildCharacterDoc,
  build: Build,
  narrative: NarrativeInput | BuildCharacterDoc['narrative'],
): SetOp[] {
  const ops: SetOp[] = [];
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const b0 = before.build as Record<string, unknown>;
  const b1 = build as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b0), ...Object.keys(b1)])) {
    if (differs(b0[key], b1[key])) ops.push({ path: `/build/${key}`, value: b1[key] as Json | undefined });
  }
  const n0 = before.narrative as Record<string, unknown>;
  const n1 = narrative as Record<string, unknown>;
  for (const key of Object.keys(n1)) {
    if (n1[key] !== undefined && differs(n0[key], n1[key]))
      ops.push({ path: `/narrative/${key}`, value: n1[key] as Json });
  }
  return ops;
}

/** The document's copy of the provenance: provider, model, attempts and usage (the rest stays in the commit). */
export function docProvenance(p: Provenance): GenerationProvenance {
  const { inputTokens, outputTokens, costUsd } = p.usage;
  return {
    provider: p.provider,
    model: p.model,
    attempts: p.attempts,
    usage: { inputTokens, outputTokens, ...(costUsd === undefined ? {} : { costUsd }) },
  };
}

/**
 * Element tags after a change that re-resolved the build from ids (refine, level-up, retheme): an element the
 * document already tagged (same kind and id) keeps its earlier name, tag and `basedOn` (a re-skin stays a
 * re-skin); new ones take the fresh tag; earlier custom elements outside the build (lore-only custom content,
 * which those changes never remove) are kept.
 */
export function mergeElements(
  before: readonly CharacterElement[],
  after: readonly DraftElement[],
): CharacterElement[] {
  const key = (e: { kind: string; id?: string | undefined; name: string }) => `${e.kind}:${e.id ?? e.name}`;
  const old = new Map(before.map((e) => [key(e), e]));
  const out: CharacterElement[] = after.map((e) => old.get(key(e)) ?? docElement(e));
  const taken = new Set(out.map(key));
  for (const e of before) if (e.tag === 'custom' && !taken.has(key(e))) out.push(e);
  return out;
}

function docElement(e: DraftElement): CharacterElement {
  return {
    kind: e.kind,
    name: e.name,
    ...(e.id === undefined ? {} : { id: e.id }),
    tag: e.tag,
    ...(e.basedOn === undefined ? {} : { basedOn: e.basedOn }),
  };
}

function summaryOf(mech: ProcessedBuild) {
  return {
    elements: mech.elements,
    balance: mech.balance,
    repairs: mech.repairs,
    challenge: mech.challenge ?? null,
  };
}

export function createPipeline(core: Core, deps: PipelineDeps): CharacterPipeline {
  const { llm, content } = deps;

  function requireValid(validation: ValidationResult, what: string): void {
    if (validation.valid) return;
    const errors = validation.issues.filter((i) => i.severity === 'error');
    throw new CoreError(
      'doc-invalid',
      `${what}: the rules engine still finds errors after repair (${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}); nothing was saved`,
    );
  }

  /**
   * Save a new character: the first state on `main` ("start …"), then branch `draft` (the default) with the
   * provenance commit. Builds and stat blocks alike; element tags and provenance go in the document.
   */
  async function saveNew(
    entity: { kind: 'pc' | 'npc'; build: Build } | { kind: 'monster'; creature: Creature },
    record: {
      narrative: NarrativeInput;
      elements: readonly DraftElement[];
      provenance: Provenance;
      summary: Record<string, unknown> & { repairs: readonly RepairChange[] };
    },
    opts: { campaignId?: string | undefined; author?: string | undefined; verb: string },
  ): Promise<{ id: string; branch: string; commit: string }> {
    const author = opts.author === undefined ? {} : { author: opts.author };
    const name = 'build' in entity ? entity.build.name : entity.creature.name;
    const created = await core.characters.import(
      {
        ...entity,
        narrative: record.narrative,
        elements: record.elements.map(docElement),
        provenance: docProvenance(record.provenance),
      },
      {
        ...(opts.campaignId ? { campaign: opts.campaignId } : {}),
        ...author,
        message: `start ${name}`,
      },
    );
    await core.history.branch(created.id, DRAFT_BRANCH, { from: created.commit });
    await core.history.setDefaultBranch(created.id, DRAFT_BRANCH);
    const { commit } = await core.history.commit(created.id, {
      branch: DRAFT_BRANCH,
      message: commitMessage(opts.verb, name, record.provenance, record.summary),
      ...author,
    });
    return { id: created.id, branch: DRAFT_BRANCH, commit };
  }

  /**
   * The same fidelity check the eval runs, applied to any provider's answer: props the concept names (a trident,
   * a longbow, a lute) are carried, and its weapons wielded; each addition is reported as a repair.
   */
  function conceptProps(
    draft: CharacterDraft,
    concept: string,
    c: Content,
  ): { draft: CharacterDraft; repairs: RepairChange[] } {
    const repairs: RepairChange[] = [];
    const equipment = [...draft.build.equipment];
    const held = new Set(equipment.map((e) => resolveToSrd('item', e.item, c).id));
    for (const id of readConcept(concept).items) {
      const item = c.items.get(id);
      if (!item || held.has(id)) continue;
      const wield = item.kind === 'weapon';
      equipment.push(wield ? { item: id, equipped: true } : { item: id });
      held.add(id);
      repairs.push({
        path: `/equipment/${equipment.length - 1}`,
        from: null,
        to: id,
        reason: `the concept names ${item.name}; added${wield ? ' and wielded' : ''}`,
      });
    }
    return repairs.length === 0
      ? { draft, repairs }
      : { draft: { ...draft, build: { ...draft.build, equipment } }, repairs };
  }

  /** The concept reader's findings, as hints for a model (the offline generator reads the concept itself). */
  function conceptHints(concept: string, c: Content): ConceptHints {
    const r = readConcept(concept);
    const top = (sums: Readonly<Record<string, number>>, ok: (id: string) => boolean) =>
      leaders(sums, ok).map(([id]) => id);
    const classes = top(r.classes, (id) => c.classes.has(id)).map((id) => c.classes.get(id)?.name ?? id);
    const species = top(r.species, (id) => c.species.has(id)).map((id) => c.species.get(id)?.name ?? id);
    const gear = r.items.flatMap((id) => c.items.get(id)?.name ?? []);
    return {
      ...(r.figure ? { figure: r.figure.name } : {}),
      ...(classes.length ? { classes } : {}),
      ...(species.length ? { species } : {}),
      ...(r.pronounStated ? { pronoun: r.pronoun } : {}),
      ...(gear.length ? { gear: gear.slice(0, 12) } : {}),
      ...(r.elements.props.length ? { props: r.elements.props.slice(0, 12) } : {}),
      ...(r.elements.places.length ? { places: r.elements.places.slice(0, 12) } : {}),
      ...(r.elements.events.length ? { events: r.elements.events.slice(0, 12) } : {}),
    };
  }

  async function askDraft(input: z.output<typeof CreateDraftInputSchema>, options: CallOptions) {
    const prompt =
      input.kind === 'monster'
        ? monsterCreatePrompt.build({
            concept: input.concept,
            cr: input.cr ?? input.level ?? 1,
            theme: input.theme,
          })
        : characterCreatePrompt.build({
            concept: input.concept,
            kind: input.kind,
            ...(input.level === undefined ? {} : { level: input.level }),
            ...(input.theme === undefined ? {} : { theme: input.theme }),
            hints: conceptHints(input.concept, content),
          });
    const common = {
      ...promptRequest(prompt, options),
      ...(input.seed === undefined ? {} : { seed: input.seed }),
    };
    if (input.kind === 'monster') {
      const r = await llm.generateObject('character.create', {
        ...common,
        schema: MonsterDraftSchema,
        schemaName: 'monster_draft',
      });
      return { kind: 'monster' as const, result: r, prompt };
    }
    const r = await llm.generateObject('character.create', {
      ...common,
      schema: CharacterDraftSchema,
      schemaName: 'character_draft',
    });
    return { kind: input.kind, result: r, prompt };
  }

  async function createOne(
    input: z.output<typeof CreateDraftInputSchema>,
    options: CallOptions,
  ): Promise<PipelineResult> {
    const asked = await askDraft(input, options);
    const provenance = provenanceOf(asked.result, asked.prompt);
    if (asked.kind === 'monster') {
      const m = processMonster(asked.result.object as z.output<typeof MonsterDraftSchema>, content, {
        theme: input.theme,
      });
      requireValid(m.validation, `monster "${m.creature.name}"`);
      const saved = await saveNew(
        { kind: 'monster', creature: m.creature },
        {
          narrative: m.narrative,
          elements: m.elements,
          provenance,
          summary: { elements: m.elements, balance: m.balance, repairs: m.repairs, challenge: m.challenge },
        },
        { campaignId: input.campaignId, author: options.author, verb: 'create' },
      );
      return {
        ...saved,
        kind: 'monster',
        build: null,
        creature: m.creature,
        narrative: m.narrative,
        derived: null,
        validation: m.validation,
        repairs: m.repairs,
        balance: m.balance,
        elements: m.elements,
        mapping: m.mapping,
        challenge: m.challenge,
        loreMissing: [],
        provenance,
      };
    }
    const withProps = conceptProps(asked.result.object as CharacterDraft, input.concept, content);
    const processed = processCharacter(withProps.draft, asked.kind, content, { theme: input.theme });
    const p = { ...processed, repairs: [...withProps.repairs, ...processed.repairs] };
    requireValid(p.validation, `character "${p.build.name}"`);
    const saved = await saveNew(
      { kind: asked.kind, build: p.build },
      { narrative: p.narrative, elements: p.elements, provenance, summary: summaryOf(p) },
      { campaignId: input.campaignId, author: options.author, verb: 'create' },
    );
    return {
      ...saved,
      kind: asked.kind,
      build: p.build,
      creature: null,
      narrative: p.narrative,
      derived: p.derived,
      validation: p.validation,
      repairs: p.repairs,
      balance: p.balance,
      elements: p.elements,
      mapping: p.mapping,
      challenge: p.challenge ?? null,
      loreMissing: p.loreMissing ?? [],
      provenance,
    };
  }

  async function showCharacter(id: string) {
    const view = await core.characters.showAny(id);
    if (view.doc.kind === 'monster' || view.doc.build === undefined)
      throw new CoreError(
        'invalid-input',
        `character ${id} is a ${view.doc.kind === 'monster' ? 'monster' : 'stat-block npc'}; the pipeline edits pc and npc builds`,
      );
    return { ...view, doc: view.doc as BuildCharacterDoc };
  }

  /** `set` ops for the document's element tags (merged) and, after a model call, its provenance. */
  function recordOps(
    before: BuildCharacterDoc,
    elements: readonly DraftElement[],
    provenance: Provenance | null,
  ): SetOp[] {
    const ops: SetOp[] = [];
    const merged = mergeElements(before.elements, elements);
    if (JSON.stringify(merged) !== JSON.stringify(before.elements))
      ops.push({ path: '/elements', value: merged as unknown as Json });
    if (provenance) ops.push({ path: '/provenance', value: docProvenance(provenance) as unknown as Json });
    return ops;
  }

  function resultFrom(
    id: string,
    branch: string,
    commit: string,
    kind: 'pc' | 'npc',
    mech: ProcessedBuild,
    narrative: NarrativeInput,
    provenance: Provenance,
  ): PipelineResult {
    return {
      id,
      branch,
      commit,
      kind,
      build: mech.build,
      creature: null,
      narrative,
      derived: mech.derived,
      validation: mech.validation,
      repairs: mech.repairs,
      balance: mech.balance,
      elements: mech.elements,
      mapping: mech.mapping,
      challenge: mech.challenge ?? null,
      loreMissing: loreMissing(mech.elements, narrative.lore ?? {}),
      provenance,
    };
  }

  return {
    async createDraft(raw, options = {}) {
      return createOne(parseInput(CreateDraftInputSchema, raw, 'createDraft'), options);
    },

    async refine(id, feedback, options = {}) {
      const text = parseInput(
        z.string().trim().min(1, 'must not be empty').max(4000),
        feedback,
        'refine feedback',
      );
      const view = await showCharacter(id);
      const prompt = characterRefinePrompt.build({ character: modelView(view.doc), feedback: text });
      const result = await llm.generateObject('character.refine', {
        ...promptRequest(prompt, options),
        schema: RefinePatchSchema,
        schemaName: 'character_changes',
      });
      const provenance = provenanceOf(result, prompt);
      const patch = applyPatch(view.doc, result.object);
      if (patch.applied.size === 0) {
        throw new CoreError(
          'invalid-input',
          `refine: the model's answer changes nothing (${result.object.changes.map((c) => c.field).join(', ')} named without a new value); nothing was saved`,
        );
      }
      const kind = view.doc.kind as 'pc' | 'npc';
      const mech = processBuild(patch.build, [], [], kind, content);
      requireValid(mech.validation, `character "${mech.build.name}"`);
      const narrative = { ...patch.narrative, lore: { ...patch.narrative.lore, ...customLore(mech.custom) } };
      const ops = setOps(view.doc, mech.build, narrative);
      if (ops.length === 0)
        throw new CoreError(
          'invalid-input',
          'refine: after the rules repair nothing differs; nothing was saved',
        );
      const explanations = result.object.changes.filter((c) => patch.applied.has(c.field));
      const edited = await core.characters.edit(id, {
        branch: view.branch,
        set: [...ops, ...recordOps(view.doc, mech.elements, provenance)],
        kind: 'llm',
        ...(options.author === undefined ? {} : { author: options.author }),
        message: commitMessage(
          'refine',
          describeChanges(
            view.doc,
            { ...view.doc, build: mech.build, narrative },
            { names: contentNames(content) },
          ),
          provenance,
          {
            ...summaryOf(mech),
            feedback: text,
            explanations,
            ignored: patch.ignored,
          },
        ),
      });
      const diff = await core.history.diff(id, view.commit, edited.commit);
      return {
        ...resultFrom(id, view.branch, edited.commit, kind, mech, narrative, provenance),
        diff,
        explanations,
        ignored: patch.ignored,
      };
    },

    async finalize(id, options = {}) {
      const branches = await core.history.branches(id);
      const main = branches.find((b) => b.name === 'main');
      if (!main) throw new CoreError('not-found', `character ${id}: no main branch`);
      const draft = branches.find((b) => b.name === DRAFT_BRANCH);
      const author = options.author === undefined ? {} : { author: options.author };
      let merged: string | null = null;
      let commit = main.head;
      const onMain = new Set((await core.history.log(id, { branch: 'main' })).map((e) => e.commit));
      if (draft && !onMain.has(draft.head)) {
        const m = await core.history.merge(id, DRAFT_BRANCH, {
          into: 'main',
          message: `finalize: merge ${DRAFT_BRANCH} into main`,
          ...author,
        });
        commit = m.commit;
        merged = DRAFT_BRANCH;
      }
      if (draft?.isDefault) await core.history.setDefaultBranch(id, 'main');
      const mainLog = await core.history.log(id, { branch: 'main' });
      // Finalizing again with nothing new: the commit already carries its baseline tag; add no second one.
      const isBaseline = (t: string) => t === BASELINE_TAG || new RegExp(`^${BASELINE_TAG}-\\d+$`).test(t);
      const existing = mainLog.find((e) => e.commit === commit)?.tags.find(isBaseline);
      if (existing !== undefined) return { id, commit, tag: existing, merged };
      const taken = new Set(mainLog.flatMap((e) => e.tags));
      let tag = BASELINE_TAG;
      for (let i = 2; taken.has(tag); i++) tag = `${BASELINE_TAG}-${i}`;
      await core.history.tag(id, tag, { ref: commit, kind: 'base', ...author });
      return { id, commit, tag, merged };
    },

    async levelUp(id, options = {}) {
      const view = await showCharacter(id);
      const opts = levelUpOptions(view.doc.build, content, options.class);
      if (options.choice === undefined) return { options: opts, applied: null };
      const option = opts[options.choice];
      if (!option)
        throw new CoreError(
          'invalid-input',
          `levelup --choice ${options.choice}: choose 0–${opts.length - 1}`,
        );
      const kind = view.doc.kind as 'pc' | 'npc';
      const mech = processBuild(option.build, [], [], kind, content);
      requireValid(mech.validation, `level up of "${mech.build.name}"`);
      const provenance: Provenance = {
        provider: 'rules',
        model: 'level-up-table',
        attempts: 0,
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        cached: false,
        task: 'character.level-up',
        prompt: 'none',
        fallbacks: [],
      };
      const edited = await core.characters.edit(id, {
        branch: view.branch,
        set: [
          ...setOps(view.doc, mech.build, view.doc.narrative),
          ...recordOps(view.doc, mech.elements, null),
        ],
        ...(options.author === undefined ? {} : { author: options.author }),
        message: commitMessage(`level up (${option.label})`, mech.build.name, null, {
          ...summaryOf(mech),
          option: {
            label: option.label,
            hitPoints: option.hitPoints,
            features: option.features,
            spells: option.spells,
          },
        }),
      });
      return {
        options: opts,
        applied: {
          ...resultFrom(id, view.branch, edited.commit, kind, mech, view.doc.narrative, provenance),
          option,
          tags: edited.tags,
        },
      };
    },

    async retheme(id, theme, options = {}) {
      const themeText = parseInput(
        z.string().trim().min(1, 'must not be empty').max(200),
        theme,
        'retheme theme',
      );
      const view = await showCharacter(id);
      const prompt = characterRethemePrompt.build({ character: modelView(view.doc), theme: themeText });
      const result = await llm.generateObject('character.retheme', {
        ...promptRequest(prompt, options),
        schema: RethemeSchema,
        schemaName: 'character_retheme',
      });
      const provenance = provenanceOf(result, prompt);
      const r = result.object;
      // Mechanics are kept: the build changes only its name.
      const build: Build = { ...view.doc.build, ...(r.name ? { name: r.name } : {}) };
      const kind = view.doc.kind as 'pc' | 'npc';
      const mech = processBuild(build, [], [], kind, content);
      requireValid(mech.validation, `retheme of "${build.name}"`);
      const partial = toDocNarrative(r.narrative, {}, undefined);
      const { lore: _ignored, ...rest } = partial;
      const narrative = {
        ...view.doc.narrative,
        ...rest,
        lore: { ...view.doc.narrative.lore, ...loreRecord(r.lore, mech.elements) },
      };
      const themed = await core.characters.changeTheme(id, themeText, {
        ...(options.author === undefined ? {} : { author: options.author }),
      });
      const after = await core.characters.show(id, { ref: themed.branch });
      const ops = setOps(after.doc, mech.build, { ...narrative, theme: after.doc.narrative.theme });
      let commit = themed.commit;
      if (ops.length > 0) {
        const edited = await core.characters.edit(id, {
          branch: themed.branch,
          set: [...ops, ...recordOps(after.doc, mech.elements, provenance)],
          kind: 'llm',
          ...(options.author === undefined ? {} : { author: options.author }),
          message: commitMessage(`retheme (${themeText})`, mech.build.name, provenance, summaryOf(mech)),
        });
        commit = edited.commit;
      }
      const diff = await core.history.diff(id, view.commit, commit);
      const finalNarrative = (await core.characters.show(id, { ref: commit })).doc.narrative;
      return { ...resultFrom(id, themed.branch, commit, kind, mech, finalNarrative, provenance), diff };
    },

    async bulkCreate(raw, options = {}) {
      const input = parseInput(BulkCreateInputSchema, raw, 'bulkCreate');
      // DMG-style composition: one leader and minions in roles (brute, skirmisher, caster); minions of one role
      // share a stat line, each member has its own name, face and story; the leader is a few CR steps up.
      const roles = squadRoles(input.count);
      const targetCr = input.targetCr ?? defaultSquadCr(input.partyLevels, input.count, input.difficulty);
      const leaderCr = roles.includes('leader') ? leaderCrFor(targetCr) : targetCr;
      const members: (PipelineResult & { squadRole: SquadRole })[] = [];
      const drafts: { draft: CharacterDraft; provenance: Provenance; role: SquadRole }[] = [];
      for (const [i, role] of roles.entries()) {
        const asked = await askDraft(
          {
            concept: squadConcept(input.role, role, input.count),
            kind: 'npc',
            level: levelForCr(role === 'leader' ? leaderCr : targetCr),
            ...(input.theme === undefined ? {} : { theme: input.theme }),
            seed: input.seed + i,
          },
          options,
        );
        drafts.push({
          draft: asked.result.object as CharacterDraft,
          provenance: provenanceOf(asked.result, asked.prompt),
          role,
        });
      }
      // Everything asked for: now judge and save (a provider failure above saved nothing). Each member is tuned
      // to its own CR (the leader's or the minions'), so its build, name and story stay one character.
      const processed: { p: ReturnType<typeof processCharacter>; provenance: Provenance; role: SquadRole }[] =
        [];
      for (const { draft, provenance, role } of drafts) {
        const member = tuneToCr(draft, role === 'leader' ? leaderCr : targetCr, content);
        const p = processCharacter(member, 'npc', content, { theme: input.theme });
        requireValid(p.validation, `squad member "${p.build.name}"`);
        processed.push({ p, provenance, role });
      }
      // Every member judged valid before the first write: a bad member saves none of the squad.
      for (const { p, provenance, role } of processed) {
        if (!input.save) {
          members.push({
            ...resultFrom('', '', '', 'npc', p, p.narrative, provenance),
            id: null,
            branch: null,
            commit: null,
            squadRole: role,
          });
          continue;
        }
        const saved = await saveNew(
          { kind: 'npc', build: p.build },
          { narrative: p.narrative, elements: p.elements, provenance, summary: summaryOf(p) },
          { campaignId: input.campaignId, author: options.author, verb: `bulk (${input.role}, ${role})` },
        );
        members.push({
          ...resultFrom(saved.id, saved.branch, saved.commit, 'npc', p, p.narrative, provenance),
          squadRole: role,
        });
      }
      return { targetCr, leaderCr, members };
    },
  };
}

/** A rough starting level for a CR (then tuned with the estimator): CR 1/8 → 1, CR 1 → 2, CR 5 → 8… */
export function levelForCr(cr: number): number {
  return Math.max(1, Math.min(20, Math.round(cr <= 1 ? 1 + cr : cr * 1.5 + 0.5)));
}

export type SquadRole = 'leader' | 'brute' | 'skirmisher' | 'caster';

/** Roles for a squad of `count`: a leader from two members up, then minions cycling brute, skirmisher, caster. */
export function squadRoles(count: number): SquadRole[] {
  if (count <= 1) return ['brute'];
  const cycle: SquadRole[] = ['brute', 'skirmisher', 'caster'];
  return ['leader', ...Array.from({ length: count - 1 }, (_, i) => cycle[i % cycle.length] as SquadRole)];
}

/** The concept a squad member is generated from: the DM's role plus what the member does in the squad. */
export function squadConcept(role: string, squadRole: SquadRole, count: number): string {
  const what: Record<SquadRole, string> = {
    leader: `the leader and captain of a band of ${count}, who gives the orders`,
    brute: 'a hulking brute and bruiser who wades into melee',
    skirmisher: 'a quick skirmisher and scout who strikes from the flanks',
    caster: 'the band’s spellcaster, a hedge mage who hurls spells from the back',
  };
  return `${role}, ${what[squadRole]}`;
}

const CR_STEPS = [0, 0.125, 0.25, 0.5, ...Array.from({ length: 30 }, (_, i) => i + 1)];

function snapCr(x: number): number {
  return CR_STEPS.reduce((best, s) => (Math.abs(s - x) < Math.abs(best - x) ? s : best), 0.125);
}

/** The leader stands about two CR steps above the minions (at least one). */
export function leaderCrFor(minionCr: number): number {
  const i = CR_STEPS.indexOf(snapCr(minionCr));
  return CR_STEPS[Math.min(CR_STEPS.length - 1, Math.max(i + 1, i + 2))] ?? minionCr;
}

const DIFFICULTY_SHARE = { easy: 0.5, medium: 1, hard: 1.5, deadly: 2 } as const;

/**
 * Default minion CR: a "medium" share of the party's strength (sum of levels / 4), scaled by the difficulty asked
 * for, split across the squad with the leader counting as two members. Documented heuristic.
 */
export function defaultSquadCr(
  partyLevels: readonly number[],
  count: number,
  difficulty: keyof typeof DIFFICULTY_SHARE = 'medium',
): number {
  const total = (partyLevels.reduce((a, b) => a + b, 0) / 4) * DIFFICULTY_SHARE[difficulty];
  const shares = count <= 1 ? 1 : count + 1;
  return snapCr(total / shares);
}

/** Re-level a squad member's (single-class focus) build so its estimated CR lands nearest the target. */
export function tuneToCr(draft: CharacterDraft, targetCr: number, content: Content): CharacterDraft {
  const first = draft.build.classes[0];
  if (!first) return draft;
  const others = draft.build.classes.slice(1).reduce((n, c) => n + c.level, 0);
  const withLevel = (level: number): CharacterDraft => ({
    ...draft,
    build: { ...draft.build, classes: [{ ...first, level }, ...draft.build.classes.slice(1)] },
  });
  const crAt = (level: number) =>
    processBuild(withLevel(level).build, draft.elements, [], 'npc', content).challenge?.cr ?? 0;
  let level = Math.max(1, Math.min(20 - others, first.level));
  let cr = crAt(level);
  let best = { level, miss: Math.abs(cr - targetCr) };
  // Walk toward the target; a few steps on a plateau (same estimate) are allowed before giving up.
  for (let step = 0, flat = 0; step < 20 && flat < 3; step++) {
    const next = cr < targetCr ? level + 1 : cr > targetCr ? level - 1 : level;
    if (next === level || next < 1 || next + others > 20) break;
    const nextCr = crAt(next);
    const miss = Math.abs(nextCr - targetCr);
    if (miss > Math.abs(cr - targetCr)) break;
    flat = miss === Math.abs(cr - targetCr) ? flat + 1 : 0;
    level = next;
    cr = nextCr;
    if (miss < best.miss) best = { level, miss };
  }
  level = best.level;
  return withLevel(level);
}
