/**
 * Items. Import commits the base version and tags it `base`. A re-theme is a variant branch forked from that
 * base commit every time (never from another variant); the variant's document links to the base item's UUID.
 */
import { z } from 'zod';
import { createItemDoc, editItem, ItemBodySchema, type ItemDoc } from '../docs/item-doc';
import type { JsonObject } from '../docs/y-json';
import { CoreError } from '../errors';
import { assertJsonWithinLimits } from '../input/limits';
import type { CampaignsService } from './campaigns';
import type { Engine } from './engine';
import { importError, importTarget, listEntityRows, nameSlug } from './entity-common';
import { refJson, type HistoryService } from './history';

export const ItemImportSchema = z.union([
  z.object({ item: ItemBodySchema, theme: z.string().optional(), tags: z.array(z.string()).optional() }),
  ItemBodySchema.extend({ theme: z.string().optional(), tags: z.array(z.string()).optional() }),
]);

export interface ItemsService {
  import(
    input: unknown,
    opts?: { campaign?: string; author?: string },
  ): Promise<{ id: string; branch: string; commit: string }>;
  show(
    id: string,
    opts?: { ref?: string },
  ): Promise<{ id: string; branch: string | null; commit: string; doc: ItemDoc }>;
  list(opts?: { campaign?: string }): Promise<
    {
      id: string;
      name: string;
      category: string | null;
      campaign: string | null;
      branch: string;
      commit: string | null;
    }[]
  >;
  retheme(
    id: string,
    opts: { theme: string; author?: string },
  ): Promise<{ id: string; branch: string; commit: string; baseId: string; baseCommit: string }>;
  variants(id: string): Promise<{ branch: string; theme: string; head: string }[]>;
}

export function createItemsService(
  engine: Engine,
  campaigns: CampaignsService,
  history: HistoryService,
): ItemsService {
  async function baseCommit(id: string): Promise<string> {
    const loc = await engine.locate(id, 'item');
    const tag = (await loc.store.tags(id)).find((t) => t.kind === 'base');
    if (!tag) throw new CoreError('not-found', `item ${id}: no base commit tagged`);
    return tag.commit_id;
  }

  const service: ItemsService = {
    async import(input, opts = {}) {
      assertJsonWithinLimits(input, 'item');
      const parsed = ItemImportSchema.safeParse(input);
      if (!parsed.success) {
        // Report against the plain item body (the union's second form).
        throw importError('item', parsed.error, 1);
      }
      const data = parsed.data;
      const body = 'item' in data ? data.item : (({ theme: _t, tags: _g, ...b }) => b)(data);
      const { campaignId, author } = await importTarget(engine, campaigns, opts);
      const res = await engine.createEntity(
        campaignId,
        'item',
        (doc, id, createdAt) =>
          createItemDoc(
            doc,
            {
              id,
              createdAt,
              item: body,
              ...(data.theme ? { theme: data.theme } : {}),
              ...(data.tags ? { tags: data.tags } : {}),
            },
            engine.origin('import', author),
          ),
        { message: `import ${body.name}`, author, tags: [{ name: 'base', kind: 'base' }] },
      );
      if (opts.campaign) await campaigns.addToRoster(campaignId, res.id, { entity: 'item' });
      return res;
    },

    async show(id, opts = {}) {
      const loc = await engine.locate(id, 'item');
      const r = await refJson(engine, loc, opts.ref ?? loc.defaultBranch);
      return { id, branch: r.branch, commit: r.commit, doc: r.json as unknown as ItemDoc };
    },

    async list(opts = {}) {
      return (await listEntityRows(engine, campaigns, 'item', opts.campaign)).map(({ row: e, campaign }) => ({
        id: e.id,
        name: e.name,
        category: e.kind,
        campaign,
        branch: e.default_branch,
        commit: e.head,
      }));
    },

    async retheme(id, opts) {
      const theme = opts.theme.trim();
      if (!theme) throw new CoreError('invalid-input', '--theme: must not be empty');
      const base = await baseCommit(id);
      const loc = await engine.locate(id, 'item');
      const branch = await engine.freeBranchName(loc, `variant/${nameSlug(theme)}`);
      await history.branch(id, branch, { from: base });
      const session = await engine.openBranch(loc, branch);
      try {
        editItem(
          session.doc,
          (json) => {
            const item = json['item'] as JsonObject;
            const tags = (json['tags'] ?? []) as string[];
            return {
              ...json,
              item: { ...item, name: `${String(item['name'])} (${theme})` },
              theme,
              tags: tags.includes(nameSlug(theme)) ? tags : [...tags, nameSlug(theme)],
              variant: { baseId: id, baseCommit: base, theme },
            };
          },
          engine.origin('local-user', opts.author),
        );
        const commit = await engine.commit(loc, session, {
          message: `re-theme: ${theme}`,
          ...(opts.author !== undefined ? { author: opts.author } : {}),
        });
        return { id, branch, commit, baseId: id, baseCommit: base };
      } finally {
        session.close();
      }
    },

    async variants(id) {
      const loc = await engine.locate(id, 'item');
      const out = [];
      for (const b of await loc.store.branches(id)) {
        if (!b.name.startsWith('variant/')) continue;
        const json = await engine.commitJson(loc, b.head);
        const v = json['variant'] as { theme?: string } | undefined;
        out.push({ branch: b.name, theme: v?.theme ?? '', head: b.head });
      }
      return out;
    },
  };
  return service;
}
