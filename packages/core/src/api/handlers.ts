/**
 * `createHandlers(core, deps)`: the handler map every host registers. Each handler takes the already-validated
 * input of its channel (see `inputSchemas` in contract.ts) and returns plain JSON. No host logic lives here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derive, validate, type Content } from '@loreforge/rules-5e';
import type { z } from 'zod';
import { statBlockDerived } from '../cli/character';
import { loadSrdContent } from '../content/load-srd';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { editCharacter, isCharacterTextPointer, readCharacter } from '../docs/character-doc';
import { mergeText } from '../docs/text-merge';
import { getJsonPointer, setJsonPointer, type JsonObject } from '../docs/y-json';
import type { Logger } from '../services/engine';
import type { inputSchemas } from './contract';
import { createPipeline, createPipelineRouter, type ProviderChoice } from '../pipeline/index';
import { createDraftsService, type PipelineSource } from './drafts';
import { contentNames, semanticDiff, semanticDiffAt } from '../history/semantic-diff';
import type { EventBus } from './events';
import { createSettingsStore } from './settings';
import { buildSrdIndex, type SrdIndex } from './srd-search';
import { createSyncHub } from './sync';
import { createPlayHandlers } from '../play/handlers';
import { createMemoryHandlers } from '../memory/api';
import { createCampaignGenHandlers } from '../campaign-gen/api';
import { createJournalHandlers } from './journals-api';
import { createLiveBridge } from './live-bridge';

type In<C extends keyof typeof inputSchemas> = z.output<(typeof inputSchemas)[C]>;

export interface HandlerDeps {
  /** The data folder core was created with (null: in memory). */
  dataDir: string | null;
  bus: EventBus;
  log: Logger;
  /** Version string shown in the UI. */
  appVersion: string;
  /** Host name for `app.info` (`electron` or `web`). */
  host: 'electron' | 'web' | 'test';
  now?: () => number;
  /** SRD content (default: `loadSrdContent()`). */
  content?: () => Content;
  /** Force one provider for every task (tests use `offline`); default: the settings' per-task routing. */
  llmProvider?: ProviderChoice;
}

export interface HandlerMapExtras {
  /** Stop sync sessions. Call before `core.close()`. */
  dispose(): void;
}

export function createHandlers(core: Core, deps: HandlerDeps) {
  const now = deps.now ?? (() => Date.now());
  const content = deps.content ?? (() => loadSrdContent());
  let srd: SrdIndex | null = null;
  const srdIndex = () => (srd ??= buildSrdIndex(content()));
  const settings = createSettingsStore(deps.dataDir);
  // One pipeline per provider choice, built on first use and dropped when the model settings change.
  const pipelines = new Map<string, ReturnType<PipelineSource['forTask']>>();
  const choiceFor = (task: string): ProviderChoice =>
    deps.llmProvider ?? settings.get().llm.routing[task] ?? 'auto';
  const pipelineSource: PipelineSource = {
    forTask(task) {
      const choice = choiceFor(task);
      let p = pipelines.get(choice);
      if (!p) {
        const s = settings.get().llm;
        const key = settings.secrets().openaiApiKey;
        p = createPipelineRouter(content(), {
          provider: choice,
          ollamaHost: s.ollamaHost,
          ...(choice === 'ollama' && s.ollamaModel ? { model: s.ollamaModel } : {}),
          ...(choice === 'openai' && s.openaiModel ? { model: s.openaiModel } : {}),
          ...(key ? { openaiApiKey: key } : {}),
          ...(s.openaiBaseURL ? { openaiBaseURL: s.openaiBaseURL } : {}),
        }).then(({ router, notes }) => ({
          pipeline: createPipeline(core, { llm: router, content: content() }),
          notes,
        }));
        p.catch(() => pipelines.delete(choice));
        pipelines.set(choice, p);
      }
      return p;
    },
  };
  const drafts = createDraftsService({
    core,
    content,
    pipelines: pipelineSource,
    bus: deps.bus,
    dataDir: deps.dataDir,
    now,
  });
  const sync = createSyncHub({ core, dataDir: deps.dataDir, settings, bus: deps.bus, log: deps.log, now });

  // The live documents' change feed is the one source of change events: every stored change to an open live
  // document (local, model, import or remote) reaches the renderers, so handlers do not emit them by hand.
  const stopFeed = core.live.onChange((e) => {
    deps.bus.emit('entity.changed', e);
    if (e.kind === 'character')
      deps.bus.emit('characters.changed', {
        id: e.id,
        source: e.origin.startsWith('remote') ? 'sync' : 'local',
      });
    if (e.kind === 'campaign') deps.bus.emit('campaigns.changed', { id: e.campaign });
  });
  // Live play (issue 11); on the DM's peer it also referees requests as they arrive.
  const play = createPlayHandlers(core, { author: () => settings.get().sync.user, log: deps.log });
  const live = createLiveBridge(core, { bus: deps.bus, author: () => settings.get().sync.user });
  const changed = async (id: string) => {
    await sync.localChanged(id);
  };

  /** The live document of a character, for a text field edit (`path` must name one of its text fields). */
  async function characterLive(id: string, path: string) {
    if (!isCharacterTextPointer(path))
      throw new CoreError(
        'invalid-input',
        `path "${path}": not a character text field (/narrative/backstory, /narrative/appearance, /narrative/lore/<key>, /narrative/relationships/<n>/note)`,
      );
    const row = (await core.characters.list()).find((r) => r.id === id);
    if (!row) throw new CoreError('not-found', `id: no character ${id} in this data folder`);
    const campaign = row.campaign ?? (await core.campaigns.libraryId());
    return core.live.open({ campaign, kind: 'character', docId: id });
  }
  const textAt = (doc: unknown, path: string): string => {
    const v = getJsonPointer(doc as JsonObject, path);
    return typeof v === 'string' ? v : '';
  };

  const handlers = {
    'app.info': async (_: In<'app.info'>) => ({
      version: deps.appVersion,
      host: deps.host,
      dataDir: deps.dataDir,
    }),

    'campaigns.list': async (_: In<'campaigns.list'>) => {
      const rows = await core.campaigns.list();
      const all = await core.characters.list();
      return rows.map((c) => {
        const mine = all.filter(
          (ch) => (c.isLibrary ? ch.campaign === null : ch.campaign === c.id) && !drafts.isDiscarded(ch.id),
        );
        const draftCount = mine.filter((ch) => ch.branch === 'draft').length;
        /** `characters`: finished ones (what the campaign lists by default); `drafts`: not finalized yet. */
        return { ...c, characters: mine.length - draftCount, drafts: draftCount };
      });
    },
    'campaigns.create': async (input: In<'campaigns.create'>) => {
      const info = await core.campaigns.create({
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
      });
      deps.bus.emit('campaigns.changed', { id: info.id });
      return info;
    },
    'campaigns.get': async ({ id }: In<'campaigns.get'>) => {
      const info = await core.campaigns.get(id);
      const doc = await core.campaigns.doc(id);
      const characters = (await core.characters.list(info.isLibrary ? {} : { campaign: id })).filter(
        (c) => !drafts.isDiscarded(c.id),
      );
      return {
        info,
        description: doc.description,
        characters: info.isLibrary ? characters.filter((c) => c.campaign === null) : characters,
      };
    },
    'campaigns.export': async ({ id }: In<'campaigns.export'>) => {
      const dir = mkdtempSync(join(tmpdir(), 'loreforge-export-'));
      try {
        const info = await core.campaigns.get(id);
        const file = join(dir, 'campaign.lfcampaign');
        const res = await core.archive.export(id, file);
        const safe = info.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'campaign';
        return {
          fileName: `${safe}.lfcampaign`,
          bytes: res.bytes,
          sha256: res.sha256,
          dataBase64: readFileSync(file).toString('base64'),
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    'campaigns.import': async ({ dataBase64 }: In<'campaigns.import'>) => {
      const dir = mkdtempSync(join(tmpdir(), 'loreforge-import-'));
      try {
        const file = join(dir, 'campaign.lfcampaign');
        writeFileSync(file, Buffer.from(dataBase64, 'base64'));
        const res = await core.archive.import(file);
        deps.bus.emit('campaigns.changed', { id: res.id });
        return res;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },

    'characters.list': async (input: In<'characters.list'>) =>
      core.characters.list(input.campaign ? { campaign: input.campaign } : {}),
    'characters.sheet': async ({ id, ref }: In<'characters.sheet'>) => {
      const view = await core.characters.show(id, ref ? { ref } : {});
      const c = content();
      return {
        ...view,
        derived: derive(view.doc.build, c),
        validation: validate(view.doc.build, c),
      };
    },
    /**
     * Any character document. Monsters (and stat-block-only npcs) come with `statBlock` (the creature and the
     * rules engine's CR estimate); documents with a build have `statBlock: null` (use `characters.sheet`).
     */
    'characters.showAny': async ({ id, ref }: In<'characters.showAny'>) => {
      const view = await core.characters.showAny(id, ref ? { ref } : {});
      const doc = view.doc;
      const creature = doc.creature && (doc.kind === 'monster' || !doc.build) ? doc.creature : null;
      return {
        id: view.id,
        branch: view.branch,
        commit: view.commit,
        kind: doc.kind,
        name: creature?.name ?? doc.build?.name ?? id,
        narrative: doc.narrative,
        statBlock: creature ? statBlockDerived(creature) : null,
      };
    },
    'characters.edit': async (input: In<'characters.edit'>) => {
      const res = await core.characters.edit(input.id, {
        set: input.set.map((s) => ({ path: s.path, value: s.value })),
        ...(input.branch ? { branch: input.branch } : {}),
        ...(input.message ? { message: input.message } : {}),
      });
      await changed(input.id);
      return res;
    },
    'characters.readText': async ({ id, path }: In<'characters.readText'>) => {
      const h = await characterLive(id, path);
      try {
        return { path, text: textAt(readCharacter(h.doc), path) };
      } finally {
        h.release();
      }
    },
    'characters.editText': async (input: In<'characters.editText'>) => {
      const h = await characterLive(input.id, input.path);
      let text: string;
      try {
        // Read, merge and write in one turn: nothing else writes this live document in between.
        const current = textAt(readCharacter(h.doc), input.path);
        text = mergeText(input.base, input.text, current);
        if (text !== current) {
          const origin = { kind: 'local-user' as const, author: settings.get().sync.user || 'local' };
          editCharacter(
            h.doc,
            (json) => {
              try {
                return setJsonPointer(json, input.path, text);
              } catch (err) {
                throw new CoreError('invalid-input', (err as Error).message);
              }
            },
            origin,
          );
        }
      } finally {
        h.release();
      }
      const commit = input.message
        ? (await core.history.commit(input.id, { message: input.message })).commit
        : null;
      await changed(input.id);
      return { path: input.path, text, commit };
    },

    'drafts.generate': async (input: In<'drafts.generate'>) =>
      drafts.generate({
        concept: input.concept,
        kind: input.kind,
        ...(input.level ? { level: input.level } : {}),
        ...(input.cr !== undefined ? { cr: input.cr } : {}),
        ...(input.campaign ? { campaign: input.campaign } : {}),
      }),
    'drafts.refine': async (input: In<'drafts.refine'>) => drafts.refine(input),
    'drafts.get': async ({ draftId }: In<'drafts.get'>) => drafts.get(draftId),
    'drafts.list': async ({ staleAfterDays }: In<'drafts.list'>) =>
      drafts.list({ staleAfterDays: staleAfterDays ?? settings.get().drafts.cleanupAfterDays }),
    'drafts.resume': async ({ draftId }: In<'drafts.resume'>) => drafts.resume(draftId),
    'drafts.discard': async ({ draftId }: In<'drafts.discard'>) => {
      const res = await drafts.discard(draftId);
      deps.bus.emit('campaigns.changed', { id: null });
      return res;
    },
    'drafts.finalize': async ({ draftId }: In<'drafts.finalize'>) => {
      const res = await drafts.finalize(draftId);
      await changed(res.id);
      deps.bus.emit('campaigns.changed', { id: null });
      return res;
    },

    'history.graph': async ({ id }: In<'history.graph'>) => {
      const branches = await core.history.branches(id);
      const seen = new Map<string, Awaited<ReturnType<typeof core.history.log>>[number]>();
      for (const b of branches)
        for (const e of await core.history.log(id, { branch: b.name })) seen.set(e.commit, e);
      const commits = [...seen.values()].sort(
        (a, b) => a.timestamp - b.timestamp || a.commit.localeCompare(b.commit),
      );
      return { branches, commits };
    },
    /** Path-level `changes` plus `semantic`: the same by meaning (list entries by identity, words, names). */
    'history.diff': async ({ id, from, to }: In<'history.diff'>) => {
      const d = await core.history.diff(id, from, to);
      const names = contentNames(content());
      const docs = await Promise.all(
        [from, to].map((ref) =>
          core.characters.showAny(id, { ref }).then(
            (v) => v.doc as unknown,
            () => null,
          ),
        ),
      );
      const semantic =
        docs[0] && docs[1]
          ? semanticDiff(docs[0], docs[1], { names })
          : d.changes.flatMap((c) => semanticDiffAt(c.path, c.from, c.to, { names }));
      return { ...d, semantic };
    },
    'history.branch': async ({ id, name, from }: In<'history.branch'>) => {
      const res = await core.history.branch(id, name, from ? { from } : {});
      deps.bus.emit('characters.changed', { id, source: 'local' });
      return res;
    },
    'history.merge': async ({ id, from, into }: In<'history.merge'>) => {
      const res = await core.history.merge(id, from, into ? { into } : {});
      await changed(id);
      const names = contentNames(content());
      return {
        ...res,
        conflicts: res.conflicts.map((c) => ({
          ...c,
          semantic: semanticDiffAt(c.path, c.ours, c.theirs, { names }),
        })),
      };
    },
    'history.tag': async ({ id, name, ref }: In<'history.tag'>) => {
      const res = await core.history.tag(id, name, ref ? { ref } : {});
      deps.bus.emit('characters.changed', { id, source: 'local' });
      return res;
    },
    'history.setDefault': async ({ id, branch }: In<'history.setDefault'>) => {
      await core.history.setDefaultBranch(id, branch);
      await changed(id);
      return { id, branch };
    },

    'srd.search': async (q: In<'srd.search'>) => {
      const index = srdIndex();
      return {
        total: index.size,
        /** The levels (spell level, CR) this type and class have: the level filter's whole range. */
        levels: index.levels({ ...(q.type ? { type: q.type } : {}), ...(q.class ? { class: q.class } : {}) }),
        hits: index.search({
          query: q.query,
          limit: q.limit,
          ...(q.type ? { type: q.type } : {}),
          ...(q.level !== undefined ? { level: q.level } : {}),
          ...(q.class ? { class: q.class } : {}),
        }),
      };
    },
    'srd.get': async ({ type, id }: In<'srd.get'>) => {
      const c = content();
      const table = {
        spell: c.spells,
        class: c.classes,
        subclass: c.subclasses,
        species: c.species,
        background: c.backgrounds,
        feat: c.feats,
        item: c.items,
        creature: c.creatures,
      }[type] as ReadonlyMap<string, unknown>;
      const row = table.get(id);
      if (!row) throw new CoreError('not-found', `id: no ${type} "${id}" in the SRD content`);
      return {
        type,
        id,
        data: row,
        /** Creatures: the stat block with the rules engine's CR estimate (what the stat block view shows). */
        monster: type === 'creature' ? statBlockDerived(row as Parameters<typeof statBlockDerived>[0]) : null,
      };
    },

    'settings.get': async (_: In<'settings.get'>) => settings.get(),
    'settings.update': async (patch: In<'settings.update'>) => {
      if (patch.llm) pipelines.clear();
      return settings.update(patch);
    },

    'llm.status': async (_: In<'llm.status'>) => {
      const { notes } = await pipelineSource.forTask('character.create');
      const offline = notes.some((n) => /using the offline generator|offline generator \(asked/.test(n));
      return {
        /** What character generation uses right now. */
        generator: offline ? ('offline' as const) : ('model' as const),
        message: offline
          ? 'No language model answers: characters come from the offline generator. It understands feedback such as "rename to NAME", "add ITEM", "remove ITEM" and "replace A with B".'
          : 'Characters are generated by a language model (the offline generator is the fallback).',
        notes: [...notes],
      };
    },

    'sync.status': async (_: In<'sync.status'>) => sync.status(),
    'sync.share': async (input: In<'sync.share'>) => sync.share(input),
    'sync.join': async (input: In<'sync.join'>) => sync.join(input),
    'sync.presence': async (input: In<'sync.presence'>) => sync.presence(input.campaign),
    ...play.handlers,
    ...createMemoryHandlers(core, {
      pipeline: async () => (await pipelineSource.forTask('character.create')).pipeline,
      characterCreated: (id) => deps.bus.emit('characters.changed', { id, source: 'local' }),
    }),
    ...createCampaignGenHandlers(core, {
      content,
      author: () => settings.get().sync.user,
      model: async (provider) => {
        const s = settings.get().llm;
        const key = settings.secrets().openaiApiKey;
        const model = provider === 'ollama' ? s.ollamaModel : s.openaiModel;
        return (
          await createPipelineRouter(content(), {
            provider,
            ollamaHost: s.ollamaHost,
            ...(model ? { model } : {}),
            ...(key ? { openaiApiKey: key } : {}),
            ...(s.openaiBaseURL ? { openaiBaseURL: s.openaiBaseURL } : {}),
          })
        ).router;
      },
    }),
    ...createJournalHandlers(core, { author: () => settings.get().sync.user }),
    ...live.handlers,
  };
  Object.defineProperty(handlers, 'dispose', {
    value: () => {
      stopFeed();
      live.dispose();
      play.dispose();
      sync.close();
    },
    enumerable: false,
  });
  return handlers;
}

/** Stop what the handler map started (sync sessions). */
export function disposeHandlers(handlers: object): void {
  const d = (handlers as Partial<HandlerMapExtras>).dispose;
  if (typeof d === 'function') d();
}
