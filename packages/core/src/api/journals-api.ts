/**
 * Journal channels of the UI bridge (`journals.*`): the app's Journals screen lists, creates, reads and types into
 * journals. Mentions in new text (`@Name`, `@[Label](ID)`) are resolved by `memory.entities.prepareText`, so the
 * stored text keeps `@[Label](ID)` and backlinks follow. Typing merges the form's changes since `base` into the
 * live document's current text (per character), so a remote edit made meanwhile is kept.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { mergeText } from '../docs/text-merge';

const id = z.string().trim().min(1, 'must not be empty').max(200);
const text = z.string().max(200_000, 'at most 200,000 characters');

export const journalInputSchemas = {
  'journals.list': z.object({ campaign: id }),
  'journals.show': z.object({ id }),
  'journals.create': z.object({
    campaign: id,
    title: z.string().trim().min(1, 'must not be empty').max(200),
    text: text.default(''),
    session: z.number().int().min(0).max(1_000_000_000).optional(),
    private: z.boolean().default(false),
  }),
  'journals.editText': z.object({ id, base: text, text, message: z.string().max(500).optional() }),
};

type In<C extends keyof typeof journalInputSchemas> = z.output<(typeof journalInputSchemas)[C]>;

export function createJournalHandlers(core: Core, deps: { author: () => string }) {
  return {
    'journals.list': ({ campaign }: In<'journals.list'>) => core.journals.list(campaign),
    'journals.show': ({ id }: In<'journals.show'>) => core.journals.show(id),
    'journals.create': async (input: In<'journals.create'>) => {
      // Mentions resolve before anything is written: an unknown or ambiguous name fails with nothing stored.
      const prepared = await core.memory.entities.prepareText(input.campaign, input.text, 'text', {
        private: input.private,
      });
      const res = await core.journals.create(input.campaign, {
        title: input.title,
        text: prepared.text,
        private: input.private,
        author: deps.author() || 'local',
        ...(input.session !== undefined ? { session: input.session } : {}),
      });
      return { id: res.id, text: prepared.text, mentions: prepared.mentions };
    },
    'journals.editText': async (input: In<'journals.editText'>) => {
      const current = await core.journals.show(input.id);
      const prepared = await core.memory.entities.prepareText(current.campaign, input.text, 'text', {
        private: current.private,
      });
      const merged = mergeText(input.base, prepared.text, current.text);
      if (merged !== current.text)
        await core.journals.edit(input.id, {
          text: merged,
          ...(input.message ? { message: input.message } : {}),
        });
      return { id: input.id, text: merged };
    },
  };
}
