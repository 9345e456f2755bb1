/**
 * The generated campaign (issue 13), stored in the campaign's DM notes under `campaignGen` (DM only, synced to
 * the DM's devices, committed in the notes' history at every change): pitch, theme, party, setting, the entities
 * made in campaign memory, the chapter graph with scenes, encounters and choices, the conclusions with their
 * clues, the nemesis with its tiers, and the adaptation proposals per session.
 */
import { z } from 'zod';

const text = z.string().max(4000);

export const SceneSchema = z.object({
  id: z.string().min(1),
  title: text,
  text: text,
  /** Entity ids (locations, NPCs) the scene takes place at or features. */
  entities: z.array(z.string()).default([]),
});

export const GenEncounterSchema = z.object({
  id: z.string().min(1),
  name: text,
  /** The difficulty asked for (2024 budget: low, moderate, high). */
  difficulty: z.string(),
  /** How the builder rated the picked creatures for the party (2024). */
  rated: z.string(),
  xp: z.number(),
  /** The prepared encounter of live play made from it (`combat start --encounter <play>`). */
  play: z.string().optional(),
  creatures: z.array(
    z.object({
      srd: z.string(),
      name: z.string(),
      cr: z.number(),
      count: z.number().int(),
      role: z.string(),
    }),
  ),
});

export const ChoiceSchema = z.object({ text: text, next: z.string().min(1) });

export const ChapterSchema = z.object({
  id: z.string().min(1),
  title: text,
  goal: text,
  scenes: z.array(SceneSchema),
  encounters: z.array(GenEncounterSchema),
  /** 2–5 choices for a chapter that is not an ending; none for an ending. */
  choices: z.array(ChoiceSchema),
  ending: z.boolean().default(false),
  status: z.enum(['planned', 'played']).default('planned'),
  /** Session it was played in and the choice the party took (index into `choices`). */
  playedIn: z.number().int().nonnegative().optional(),
  taken: z.number().int().nonnegative().optional(),
});

export const ClueSchema = z.object({
  id: z.string().min(1),
  text: text,
  /** Where the clue is placed: a scene id (`scene`) or an entity id (`npc`, `location`). */
  where: z.object({ kind: z.enum(['scene', 'npc', 'location']), id: z.string().min(1) }),
});

export const ConclusionSchema = z.object({
  id: z.string().min(1),
  chapter: z.string().min(1),
  text: text,
  clues: z.array(ClueSchema),
});

export const MinionSchema = z.object({
  id: z.string(),
  name: z.string(),
  cr: z.number(),
  tier: z.enum(['nemesis', 'lieutenant', 'minion']),
  /** What this foe answers or threatens in the party. */
  role: text,
  status: z.enum(['active', 'defeated', 'replaced']).default('active'),
});

export const NemesisSchema = z.object({
  id: z.string(),
  name: z.string(),
  cr: z.number(),
  /** The party strengths it answers, each with the answer. */
  answers: z.array(z.object({ strength: text, answer: text })),
  /** The party's bonds it threatens. */
  threatens: z.array(z.object({ character: z.string(), bond: text, threat: text })),
  tactics: z.array(text),
  tiers: z.array(MinionSchema),
  /** Sessions already evolved from. */
  evolved: z.array(z.number().int()).default([]),
});

export const ProposalSchema = z.object({
  id: z.string(),
  kind: z.enum(['mark-played', 'branch-taken', 'move-clue', 'nemesis']),
  change: z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }),
  reason: text,
  sources: z.array(z.string()),
  status: z.enum(['proposed', 'applied', 'rejected']).default('proposed'),
});

export const CampaignGenSchema = z.object({
  version: z.literal(1),
  pitch: text,
  theme: z.string(),
  seed: z.number().int(),
  party: z.array(z.object({ id: z.string(), name: z.string(), level: z.number().int() })),
  setting: z.object({ name: z.string(), text: text }),
  /** Entities created in campaign memory: id, kind, name, role in the campaign. */
  entities: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string(), role: z.string() })),
  start: z.string(),
  chapters: z.array(ChapterSchema),
  conclusions: z.array(ConclusionSchema),
  nemesis: NemesisSchema,
  themes: z.array(z.string()).default([]),
  /** The model that wrote the outline's words (absent: offline). */
  provenance: z
    .object({
      provider: z.string(),
      model: z.string(),
      attempts: z.number().int(),
      usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number().optional() }),
    })
    .optional(),
  proposals: z.array(ProposalSchema).default([]),
});

export type Scene = z.infer<typeof SceneSchema>;
export type GenEncounter = z.infer<typeof GenEncounterSchema>;
export type Chapter = z.infer<typeof ChapterSchema>;
export type Clue = z.infer<typeof ClueSchema>;
export type Conclusion = z.infer<typeof ConclusionSchema>;
export type Nemesis = z.infer<typeof NemesisSchema>;
export type Minion = z.infer<typeof MinionSchema>;
export type Proposal = z.infer<typeof ProposalSchema>;
export type CampaignGen = z.infer<typeof CampaignGenSchema>;
