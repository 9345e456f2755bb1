/**
 * The typed contract between core and every UI host (Electron main, the web-mode server, tests): one zod input
 * schema per channel `'<domain>.<verb>'`, the handler map's type derived from `createHandlers`, and the events
 * core pushes to renderers. Renderers import only types from here.
 */
import { z } from 'zod';
import type { createHandlers } from './handlers';
import { playInputSchemas } from '../play/handlers';
import { memoryInputSchemas } from '../memory/api';
import { campaignGenInputSchemas } from '../campaign-gen/api';
import { journalInputSchemas } from './journals-api';
import { liveInputSchemas } from './live-bridge';

const id = z.string().trim().min(1, 'must not be empty').max(200);
const ref = z.string().trim().min(1, 'must not be empty').max(200);
const name = z.string().trim().min(1, 'must not be empty').max(200);
const empty = z.object({}).strict();
const textPath = z
  .string()
  .startsWith('/narrative/', 'must be a character text field such as /narrative/backstory');

const setOp = z.object({
  path: z.string().startsWith('/', 'must be a JSON pointer starting with "/"'),
  value: z.json().optional(),
});

export const SRD_TYPES = [
  'spell',
  'class',
  'subclass',
  'species',
  'background',
  'feat',
  'item',
  'creature',
] as const;
export const SrdTypeSchema = z.enum(SRD_TYPES);
export type SrdType = z.infer<typeof SrdTypeSchema>;

export const LLM_PROVIDER_KINDS = ['auto', 'offline', 'ollama', 'openai'] as const;

export const SettingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  llm: z
    .object({
      ollamaHost: z.string().url().default('http://127.0.0.1:11434'),
      ollamaModel: z.string().default(''),
      openaiBaseURL: z.string().default(''),
      openaiModel: z.string().default('gpt-4o-mini'),
      /** Whether an OpenAI key is set (the key itself never crosses the bridge back). */
      openaiKeySet: z.boolean().default(false),
      /** Task → provider (`character.create`, `character.refine`, `summary`, `embed`); missing = `auto`. */
      routing: z.record(z.string(), z.enum(LLM_PROVIDER_KINDS)).default({}),
    })
    .prefault({}),
  sync: z
    .object({
      relayUrl: z.string().default(''),
      /** Name shown to other players. */
      user: z.string().default('me'),
      relaySecretSet: z.boolean().default(false),
    })
    .prefault({}),
  /** Drafts untouched for this many days are offered for clean-up. */
  drafts: z.object({ cleanupAfterDays: z.number().int().min(1).max(3650).default(14) }).prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Input schema of every channel. Adding a channel = a schema here + a function in `createHandlers`. */
export const inputSchemas = {
  'app.info': empty,
  'campaigns.list': empty,
  'campaigns.create': z.object({ name, description: z.string().max(5000).optional() }),
  'campaigns.get': z.object({ id }),
  'campaigns.export': z.object({ id }),
  'campaigns.import': z.object({
    fileName: z.string().max(300).default('campaign.lfcampaign'),
    dataBase64: z.string().min(1, 'must not be empty'),
  }),
  'characters.list': z.object({ campaign: id.optional() }),
  'characters.sheet': z.object({ id, ref: ref.optional() }),
  'characters.showAny': z.object({ id, ref: ref.optional() }),
  'characters.edit': z.object({
    id,
    branch: ref.optional(),
    set: z.array(setOp).min(1, 'give at least one change'),
    message: z.string().max(500).optional(),
  }),
  /** A long text of a character (backstory, appearance, `/narrative/lore/<key>`) as the live document holds it. */
  'characters.readText': z.object({ id, path: textPath }),
  /**
   * Typing into a long text: `text` is what the form shows, `base` the text it started from (the last one core
   * returned). Core merges the form's changes since `base` into the live document's current text, so a remote
   * edit made meanwhile is kept, and returns the merged text. With `message`, a save point is committed too.
   */
  'characters.editText': z.object({
    id,
    path: textPath,
    base: z.string().max(200_000, 'at most 200,000 characters'),
    text: z.string().max(200_000, 'at most 200,000 characters'),
    message: z.string().max(500).optional(),
  }),
  'drafts.generate': z.object({
    concept: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters'),
    campaign: id.optional(),
    level: z.number().int().min(1).max(20).optional(),
    kind: z.enum(['pc', 'npc', 'monster']).default('pc'),
    /** Target challenge rating, monsters only. */
    cr: z.number().min(0).max(30).optional(),
  }),
  'drafts.refine': z.object({
    draftId: id,
    feedback: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters'),
  }),
  'drafts.get': z.object({ draftId: id }),
  'drafts.finalize': z.object({ draftId: id }),
  'drafts.list': z.object({
    /** Drafts untouched this many days are marked stale (default: the `drafts.cleanupAfterDays` setting). */
    staleAfterDays: z.number().int().min(1).max(3650).optional(),
  }),
  'drafts.resume': z.object({ draftId: id }),
  'drafts.discard': z.object({ draftId: id }),
  'history.graph': z.object({ id }),
  'history.diff': z.object({ id, from: ref, to: ref }),
  'history.branch': z.object({ id, name, from: ref.optional() }),
  'history.merge': z.object({ id, from: ref, into: ref.optional() }),
  'history.tag': z.object({ id, name, ref: ref.optional() }),
  'history.setDefault': z.object({ id, branch: ref }),
  'srd.search': z.object({
    query: z.string().max(200).default(''),
    type: SrdTypeSchema.optional(),
    level: z
      .number()
      .min(0)
      .max(30)
      .refine(
        (v) => Number.isInteger(v) || [0.125, 0.25, 0.5].includes(v),
        'must be a whole number, or 1/8, 1/4 or 1/2 (0.125, 0.25, 0.5) for a challenge rating',
      )
      .optional(),
    class: z.string().max(60).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  'srd.get': z.object({ type: SrdTypeSchema, id }),
  'settings.get': empty,
  'settings.update': z.object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    llm: z
      .object({
        ollamaHost: z.string().url().optional(),
        ollamaModel: z.string().max(200).optional(),
        openaiBaseURL: z.string().max(500).optional(),
        openaiModel: z.string().max(200).optional(),
        openaiApiKey: z.string().max(500).optional(),
        routing: z.record(z.string(), z.enum(LLM_PROVIDER_KINDS)).optional(),
      })
      .optional(),
    sync: z
      .object({
        relayUrl: z
          .string()
          .max(500)
          .refine((s) => s === '' || /^wss?:\/\//.test(s), 'must start with ws:// or wss://')
          .optional(),
        user: z.string().trim().min(1).max(60).optional(),
        relaySecret: z.string().max(500).optional(),
      })
      .optional(),
    drafts: z.object({ cleanupAfterDays: z.number().int().min(1).max(3650).optional() }).optional(),
  }),
  'llm.status': empty,
  'sync.status': empty,
  'sync.share': z.object({
    campaign: id,
    user: name,
    role: z.enum(['dm', 'player', 'spectator']).default('player'),
    owns: z.array(id).default([]),
  }),
  'sync.join': z.object({ invite: z.string().trim().min(1, 'must not be empty').max(5000) }),
  /** Who is online at each live-play session of a campaign (presence through the relay). */
  'sync.presence': z.object({ campaign: id }),
  /** Live play (issue 11): sessions, combat tracker, requests, encounter builder, play sheet. */
  ...playInputSchemas,
  /** Campaign memory (issue 10): entities, mentions, search, graph, consolidation. */
  ...memoryInputSchemas,
  /** Campaign generation (issue 13): outline, check, refine, retheme, nemesis, prep, adaptation. */
  ...campaignGenInputSchemas,
  /** Journals (issue 10): list, create, read and type into a journal. */
  ...journalInputSchemas,
  /** The rich-text editor's live document of a journal (open, the renderer's updates, close). */
  ...liveInputSchemas,
} as const;

export type Channel = keyof typeof inputSchemas;
export const CHANNELS = Object.keys(inputSchemas) as Channel[];

/** The handler map: channel → `(input) => Promise<output>`. */
export type CoreHandlers = ReturnType<typeof createHandlers>;
export type HandlerInput<C extends Channel> = z.input<(typeof inputSchemas)[C]>;
export type HandlerOutput<C extends Channel> = Awaited<ReturnType<CoreHandlers[C]>>;

/** Events core pushes to every renderer. */
export interface CoreEvents {
  'campaigns.changed': { id: string | null };
  'characters.changed': { id: string; source: 'local' | 'sync' };
  /** A live document changed (the live registry's change feed): any kind, with the update's origin. */
  'entity.changed': { campaign: string; id: string; kind: string; origin: string };
  'llm.progress': { draftId: string; stage: string; done: boolean; mode: 'offline' | 'model' };
  'sync.status': { campaign: string; status: string; detail: string };
  /** Presence at a live-play session changed (someone came online or left): ask `sync.presence`. */
  'sync.presence': { campaign: string; session: string };
  /** Sent by a host (the Electron menu) to switch screens. */
  'app.navigate': { screen: string };
  /** A change to a document open through `live.open` made elsewhere (base64 Yjs update) for that session. */
  'live.update': { session: string; update: string };
}
export type EventName = keyof CoreEvents;
export const EVENT_NAMES: readonly EventName[] = [
  'campaigns.changed',
  'characters.changed',
  'entity.changed',
  'llm.progress',
  'sync.status',
  'sync.presence',
  'app.navigate',
  'live.update',
];

export type BridgeError = { code: string; message: string };
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** What a renderer sees: Electron's preload and the web-mode WebSocket bridge both implement it. */
export interface DesktopBridge {
  invoke<C extends Channel>(channel: C, input: HandlerInput<C>): Promise<BridgeResult<HandlerOutput<C>>>;
  on<E extends EventName>(event: E, cb: (payload: CoreEvents[E]) => void): () => void;
  readonly versions: { app: string; electron: string | null; chrome: string | null; node: string | null };
}
