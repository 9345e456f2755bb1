/**
 * Campaign-generation channels of the UI bridge (issue 13): `campaignGen.*`, `nemesis.*`, `prep.build`,
 * `adapt.*`. Input schemas are spread into `inputSchemas` (contract.ts), handlers into `createHandlers`. They call
 * the same service the CLI uses; a model is asked for only when the input names a provider.
 */
import { z } from 'zod';
import { LlmError } from '@loreforge/llm';
import type { Content } from '@loreforge/rules-5e';
import type { Core } from '../core';
import { CoreError } from '../errors';
import type { ObjectModel } from './llm';
import { prepMarkdown } from './prep';
import { createCampaignGen, type CampaignGenService } from './service';

const id = z.string().trim().min(1, 'must not be empty').max(200);
const session = z.number().int().min(0).max(1_000_000_000);
const provider = z.enum(['offline', 'ollama', 'openai']);

export const campaignGenInputSchemas = {
  'campaignGen.generate': z.object({
    pitch: z.string().trim().min(1, 'must not be empty').max(4000, 'at most 4000 characters'),
    party: z.array(id).min(1, 'pick at least one character').max(12, 'at most 12 characters'),
    theme: z.string().trim().max(60).optional(),
    chapters: z.number().int().min(3, 'at least 3').max(12, 'at most 12').optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
    name: z.string().trim().min(1).max(200).optional(),
    provider: provider.default('offline'),
  }),
  /** Get ready for a first generation (nothing written): the pitch screen calls it when it opens. */
  'campaignGen.prepare': z.object({}),
  /** The stored outline (chapters, conclusions and clues, nemesis, proposals). */
  'campaignGen.outline': z.object({ campaign: id }),
  'campaignGen.check': z.object({ campaign: id }),
  /**
   * By hand (`set`: JSON pointers into the outline) or, with `feedback`, by a model: one chapter's words with
   * `chapter`, else the whole story graph (chapters, choices, clues may change; checked before it is stored).
   */
  'campaignGen.refine': z
    .object({
      campaign: id,
      set: z
        .array(
          z.object({
            path: z.string().startsWith('/', 'must be a JSON pointer starting with "/"'),
            value: z.json(),
          }),
        )
        .max(100)
        .optional(),
      message: z.string().max(500).optional(),
      chapter: id.optional(),
      feedback: z.string().trim().min(1, 'must not be empty').max(4000).optional(),
      provider: z.enum(['ollama', 'openai']).optional(),
    })
    .refine((v) => (v.set?.length ?? 0) > 0 || v.feedback !== undefined, {
      message: 'give either changes (set) or feedback',
      path: ['set'],
    })
    .refine((v) => v.feedback === undefined || v.provider !== undefined, {
      message: 'refining with feedback needs a model provider (ollama or openai)',
      path: ['provider'],
    }),
  'campaignGen.retheme': z.object({
    campaign: id,
    theme: z.string().trim().min(1, 'must not be empty').max(60),
  }),
  /** A session's journal (what the party did), so evolve, adapt and prep can read it. */
  'campaignGen.journal': z.object({
    campaign: id,
    session,
    title: z.string().trim().min(1, 'must not be empty').max(200),
    text: z.string().trim().min(1, 'must not be empty').max(200_000),
  }),
  /** By campaign id or by one of its foes' character ids. */
  'nemesis.show': z.object({ id }),
  'nemesis.evolve': z.object({ campaign: id, session }),
  'prep.build': z.object({ campaign: id, session }),
  'adapt.propose': z.object({ campaign: id, session }),
  'adapt.apply': z.object({ campaign: id, proposals: z.array(id).min(1, 'name at least one proposal') }),
  'adapt.reject': z.object({ campaign: id, proposals: z.array(id).min(1, 'name at least one proposal') }),
} as const;

type In<C extends keyof typeof campaignGenInputSchemas> = z.output<(typeof campaignGenInputSchemas)[C]>;

export interface CampaignGenHandlerDeps {
  content: () => Content;
  /** The model router for a named provider (from the app's settings). */
  model: (provider: 'ollama' | 'openai') => Promise<ObjectModel>;
  author?: () => string;
}

export function createCampaignGenHandlers(core: Core, deps: CampaignGenHandlerDeps) {
  let service: CampaignGenService | null = null;
  const gen = () =>
    (service ??= createCampaignGen(core, {
      content: deps.content(),
      ...(deps.author ? { author: deps.author() } : {}),
    }));
  const modelFor = async (p: 'ollama' | 'openai') => {
    try {
      return await deps.model(p);
    } catch (e) {
      throw new CoreError(
        'invalid-input',
        `provider: ${p} is not available (${e instanceof Error ? e.message : String(e)}); nothing was saved`,
      );
    }
  };
  /** A model call that failed (after the router's repairs and retries): the provider named, nothing saved. */
  const viaModel = <T>(run: Promise<T>): Promise<T> =>
    run.catch((e: unknown) => {
      if (e instanceof LlmError)
        throw Object.assign(
          new Error(`provider: ${e.provider} failed (${e.code}): ${e.message}; nothing was saved`),
          { code: e.code },
        );
      throw e;
    });
  return {
    'campaignGen.generate': async ({ provider: p, ...input }: In<'campaignGen.generate'>) => {
      const llm = p === 'offline' ? undefined : await modelFor(p);
      const { theme, chapters, seed, name, pitch, party } = input;
      return viaModel(
        gen().generate(
          {
            pitch,
            party,
            ...(theme ? { theme } : {}),
            ...(chapters !== undefined ? { chapters } : {}),
            ...(seed !== undefined ? { seed } : {}),
            ...(name ? { name } : {}),
          },
          llm ? { llm } : {},
        ),
      );
    },
    'campaignGen.prepare': () => gen().prepare(),
    'campaignGen.outline': async ({ campaign }: In<'campaignGen.outline'>) => {
      const outline = await gen().load(campaign);
      return { campaign, ...outline, current: gen().currentChapter(outline).id };
    },
    'campaignGen.check': ({ campaign }: In<'campaignGen.check'>) => gen().check(campaign),
    'campaignGen.refine': async (input: In<'campaignGen.refine'>) => {
      if (input.feedback !== undefined && input.provider) {
        const llm = await modelFor(input.provider);
        return viaModel(
          input.chapter
            ? gen().refineChapter(input.campaign, input.chapter, input.feedback, llm)
            : gen().refineStructure(input.campaign, input.feedback, llm),
        );
      }
      return gen().refine(input.campaign, input.set ?? [], input.message);
    },
    'campaignGen.retheme': ({ campaign, theme }: In<'campaignGen.retheme'>) => gen().retheme(campaign, theme),
    'campaignGen.journal': async ({ campaign, session: s, title, text }: In<'campaignGen.journal'>) =>
      core.journals.create(campaign, {
        title,
        text,
        session: s,
        ...(deps.author ? { author: deps.author() } : {}),
      }),
    'nemesis.show': ({ id: nid }: In<'nemesis.show'>) => gen().nemesisShow(nid),
    'nemesis.evolve': ({ campaign, session: s }: In<'nemesis.evolve'>) => gen().evolve(campaign, s),
    'prep.build': async ({ campaign, session: s }: In<'prep.build'>) => {
      const sheet = await gen().prep(campaign, s);
      return { sheet, markdown: prepMarkdown(sheet) };
    },
    'adapt.propose': ({ campaign, session: s }: In<'adapt.propose'>) => gen().adapt(campaign, s),
    'adapt.apply': ({ campaign, proposals }: In<'adapt.apply'>) => gen().applyProposals(campaign, proposals),
    'adapt.reject': ({ campaign, proposals }: In<'adapt.reject'>) =>
      gen().applyProposals(campaign, proposals, { reject: true }),
  };
}
