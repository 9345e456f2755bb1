/**
 * `createCore`: the one factory that runs alike in vitest, the CLI, Electron main and a web host. Everything it
 * needs comes in as options (data folder, clock, id source, logger); it holds no module-level state.
 */
import { randomUUID } from 'node:crypto';
import { fileBackend, memoryBackend } from './store/backend';
import { LibraryStore } from './store/library-store';
import { createArchiveService, type ArchiveService } from './services/archive';
import { createCampaignsService, type CampaignsService } from './services/campaigns';
import { createCharactersService, type CharactersService } from './services/characters';
import { Engine, type Logger } from './services/engine';
import { createHistoryService, type HistoryService } from './services/history';
import { createItemsService, type ItemsService } from './services/items';
import { createJournalsService, type JournalsService } from './services/journals';
import { createReferencesService, type ReferencesService } from './services/references';
import type { LiveDocs } from './live/types';
import { createMemoryService, type MemoryService } from './memory/index';

export interface CoreOptions {
  /** Folder holding `library.sqlite` and `campaigns/*.sqlite`; `null` keeps everything in memory. */
  dataDir: string | null;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** UUID source. Default `crypto.randomUUID`. */
  ids?: () => string;
  log?: Logger;
  /** Author recorded on commits and updates when a call names none. Default `local`. */
  author?: string;
  /** Compact a branch's stored updates into one row when it holds more than this many. Default 100. */
  compactEvery?: number;
}

export interface Core {
  campaigns: CampaignsService;
  characters: CharactersService;
  items: ItemsService;
  journals: JournalsService;
  history: HistoryService;
  references: ReferencesService;
  archive: ArchiveService;
  /** The live documents: one shared, ref-counted Y.Doc per entity live branch (see `live/types.ts`). */
  live: LiveDocs;
  /** Campaign memory: lore entities, mentions, relationship graph, search, consolidation (issue 10). */
  memory: MemoryService;
  /** Drop and rebuild every projection from the documents; returns what was rebuilt. */
  rebuildProjections(): Promise<{ campaigns: number; entities: number; xrefs: number }>;
  close(): Promise<void>;
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Open the storage and the engine behind the services (the bench uses this to write history in bulk). */
export async function openEngine(options: CoreOptions): Promise<Engine> {
  const clock = options.clock ?? (() => Date.now());
  const backend = options.dataDir === null ? memoryBackend() : fileBackend(options.dataDir);
  const library = await LibraryStore.open(backend.libraryFile(), Math.floor(clock()));
  return new Engine(
    backend,
    library,
    clock,
    options.ids ?? (() => randomUUID()),
    options.log ?? silentLogger,
    options.author ?? 'local',
    options.compactEvery ?? 100,
  );
}

export function coreFor(engine: Engine): Core {
  const campaigns = createCampaignsService(engine);
  const history = createHistoryService(engine);
  const memory = createMemoryService(engine, campaigns);
  let closed = false;
  return {
    campaigns,
    history,
    characters: createCharactersService(engine, campaigns, history),
    items: createItemsService(engine, campaigns, history),
    journals: createJournalsService(engine, campaigns),
    references: createReferencesService(engine),
    archive: createArchiveService(engine, campaigns),
    live: engine.live,
    memory,
    rebuildProjections: () => engine.rebuildProjections(),
    async close() {
      if (closed) return;
      closed = true;
      memory.close();
      await engine.close();
    },
  };
}

export async function createCore(options: CoreOptions): Promise<Core> {
  return coreFor(await openEngine(options));
}
