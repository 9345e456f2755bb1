/**
 * Shapes of live-play state (issue 11). DM-only parts (prepared encounters, the full combat state with hidden
 * combatants, true HP and the roll log) live in the campaign's `dmnotes` document under `play`; what players may
 * see is projected into the public `session` document (`docs/session-doc.ts`); requests travel in `intents`.
 */
import { z } from 'zod';

export const RULESETS = ['2024', '2014'] as const;
export const DIFFICULTIES_2024 = ['low', 'moderate', 'high'] as const;
export const DIFFICULTIES_2014 = ['easy', 'medium', 'hard', 'deadly'] as const;

export const PreparedCreatureSchema = z.object({
  /** SRD creature id, or the campaign character id of a campaign creature. */
  srd: z.string().min(1),
  name: z.string().min(1),
  cr: z.number().min(0).max(30),
  xp: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  role: z.enum(['leader', 'minion', 'solo', 'member']).default('member'),
  /** True when `srd` is a campaign character (npc/monster) rather than an SRD creature. */
  campaign: z.boolean().default(false),
});
export type PreparedCreature = z.infer<typeof PreparedCreatureSchema>;

export const PreparedEncounterSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  ruleset: z.enum(RULESETS),
  party: z.array(
    z.object({ id: z.string().min(1), name: z.string(), level: z.number().int().min(1).max(20) }),
  ),
  difficulty: z.string().min(1),
  creatures: z.array(PreparedCreatureSchema),
  xp: z.number().int().nonnegative(),
  /** 2014 only: XP after the group multiplier. */
  adjustedXp: z.number().int().nonnegative().optional(),
  budget: z.record(z.string(), z.number().int().nonnegative()),
  /** The difficulty both ways: 2024 label and 2014 label of the same creatures. */
  rated: z.object({ '2024': z.string(), '2014': z.string() }),
  theme: z.string().optional(),
  createdAt: z.number().int().nonnegative(),
});
export type PreparedEncounter = z.infer<typeof PreparedEncounterSchema>;

export const COMBATANT_STATUSES = ['conscious', 'unconscious', 'stable', 'dead'] as const;
export type CombatantStatus = (typeof COMBATANT_STATUSES)[number];

export const TimedConditionSchema = z.object({
  name: z.string().min(1),
  /** Expires at the start of `turnOf`'s turn in round `round` (the turn it was applied in, N rounds later). */
  round: z.number().int().nonnegative(),
  turnOf: z.string().min(1),
});

export const CombatantRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  side: z.enum(['party', 'foe']),
  /** The character id (party, campaign creatures) or SRD creature id. */
  ref: z.string().default(''),
  kind: z.enum(['character', 'monster', 'lair']),
  initiative: z.number().int(),
  initiativeBonus: z.number().int(),
  hidden: z.boolean().default(false),
  hp: z.number().int().nonnegative(),
  maxHp: z.number().int().nonnegative(),
  tempHp: z.number().int().nonnegative().default(0),
  conModifier: z.number().int().default(0),
  conditions: z.array(z.string()).default([]),
  timed: z.array(TimedConditionSchema).default([]),
  deathSaves: z
    .object({ successes: z.number().int().min(0).max(3), failures: z.number().int().min(0).max(3) })
    .default({ successes: 0, failures: 0 }),
  stable: z.boolean().default(false),
  dead: z.boolean().default(false),
  exhaustion: z.number().int().min(0).max(6).default(0),
  concentration: z.string().optional(),
  resistances: z.array(z.string()).default([]),
  immunities: z.array(z.string()).default([]),
  vulnerabilities: z.array(z.string()).default([]),
  legendary: z.object({ max: z.number().int().positive(), used: z.number().int().nonnegative() }).optional(),
  /** Recharge actions: ready or spent, rolled at the creature's turn. */
  recharge: z
    .array(z.object({ action: z.string().min(1), min: z.number().int().min(2).max(6), ready: z.boolean() }))
    .default([]),
  /** DM-only notes on this combatant. */
  notes: z.string().default(''),
});
export type CombatantRecord = z.infer<typeof CombatantRecordSchema>;

export const PromptSchema = z.object({
  kind: z.enum(['concentration', 'death-save']),
  combatant: z.string().min(1),
  dc: z.number().int().optional(),
});
export type Prompt = z.infer<typeof PromptSchema>;

export const LogEntrySchema = z.object({
  at: z.number().int().nonnegative(),
  round: z.number().int().nonnegative(),
  text: z.string(),
  /** Whether players may see it (false for anything naming a hidden combatant or a foe's numbers). */
  public: z.boolean().default(false),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const CombatStateSchema = z.object({
  session: z.string().min(1),
  encounter: z.string().optional(),
  ruleset: z.enum(RULESETS).default('2024'),
  status: z.enum(['active', 'ended']).default('active'),
  round: z.number().int().nonnegative(),
  /** Id of the combatant whose turn it is. */
  turn: z.string().min(1),
  /** Combatants in the order played. */
  order: z.array(CombatantRecordSchema),
  /** Which user plays which party character (their requests about it count as their own). */
  seats: z.record(z.string(), z.string()).default({}),
  /** Intent kinds applied without the DM's confirmation when about one's own character. */
  autoApply: z.array(z.string()).default(['damage', 'heal', 'end-turn', 'initiative']),
  /** Hidden combatants appear to the players when their first turn starts. */
  revealOnTurn: z.boolean().default(false),
  prompts: z.array(PromptSchema).default([]),
  log: z.array(LogEntrySchema).default([]),
  /** Intents already handled, `<intentsDocId>/<intentId>` → outcome (so none is applied twice). */
  handled: z.record(z.string(), z.string()).default({}),
});
export type CombatState = z.infer<typeof CombatStateSchema>;

/** The `play` part of the campaign's dmnotes document. */
export const PlayNotesSchema = z.object({
  encounters: z.record(z.string(), PreparedEncounterSchema).default({}),
  combats: z.record(z.string(), CombatStateSchema).default({}),
});
export type PlayNotes = z.infer<typeof PlayNotesSchema>;

/** One combatant as players see it in the public `session` document. */
export const PublicCombatantSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  initiative: z.number().default(0),
  side: z.enum(['party', 'foe']).optional(),
  hp: z.number().int().optional(),
  maxHp: z.number().int().optional(),
  tempHp: z.number().int().optional(),
  health: z.enum(['healthy', 'bloodied', 'critical', 'down']).optional(),
  status: z.enum(COMBATANT_STATUSES).optional(),
  conditions: z.array(z.string()).optional(),
  concentration: z.string().optional(),
  deathSaves: z.object({ successes: z.number().int(), failures: z.number().int() }).optional(),
  legendary: z.string().optional(),
});
export type PublicCombatant = z.infer<typeof PublicCombatantSchema>;

/**
 * The play sheet: a character's state at the table (issue 11), kept in its own character document under `play`
 * (live, synced with the document, written as plain updates — never a history commit per click). Numbers the
 * build gives (HP maximum, Hit Dice, slots) are derived, never stored here.
 */
export const PlaySheetSchema = z.object({
  hp: z.number().int().nonnegative(),
  tempHp: z.number().int().nonnegative().default(0),
  hitDiceSpent: z
    .partialRecord(z.enum(['d6', 'd8', 'd10', 'd12']), z.number().int().nonnegative())
    .default({}),
  /** Spell slots expended, levels 1–9. */
  slotsExpended: z.array(z.number().int().nonnegative()).length(9).default([0, 0, 0, 0, 0, 0, 0, 0, 0]),
  pactExpended: z.number().int().nonnegative().default(0),
  conditions: z.array(z.string()).default([]),
  exhaustion: z.number().int().min(0).max(6).default(0),
  concentration: z.string().optional(),
  deathSaves: z
    .object({ successes: z.number().int().min(0).max(3), failures: z.number().int().min(0).max(3) })
    .default({ successes: 0, failures: 0 }),
  stable: z.boolean().default(false),
  dead: z.boolean().default(false),
  inspiration: z.boolean().default(false),
});
export type PlaySheet = z.infer<typeof PlaySheetSchema>;
