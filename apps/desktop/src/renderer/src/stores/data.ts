/** Cached query results from core. Stores refresh themselves when core announces a change. */
import type { HandlerOutput } from '@loreforge/core';
import { create } from 'zustand';
import { bridge, call } from '../bridge';
import { attempt } from './ui';

type Campaigns = HandlerOutput<'campaigns.list'>;
type CampaignDetail = HandlerOutput<'campaigns.get'>;
type Sheet = HandlerOutput<'characters.sheet'>;
type Graph = HandlerOutput<'history.graph'>;
/** A character document shown as a stat block (monsters, stat-block-only npcs). */
export type StatBlockDoc = HandlerOutput<'characters.showAny'> & {
  statBlock: NonNullable<HandlerOutput<'characters.showAny'>['statBlock']>;
};

interface DataState {
  campaigns: Campaigns | null;
  campaignDetail: Record<string, CampaignDetail>;
  sheets: Record<string, Sheet>;
  /** Characters that are stat blocks (no build): shown with the stat-block view instead of the sheet. */
  statBlocks: Record<string, StatBlockDoc>;
  graphs: Record<string, Graph>;
  /** Characters asked for that could not be loaded (a stale address), with the reason in words. */
  missing: Record<string, string>;
  loadCampaigns(): Promise<void>;
  loadCampaign(id: string): Promise<void>;
  loadSheet(id: string): Promise<void>;
  loadGraph(id: string): Promise<void>;
}

export const useData = create<DataState>((set, get) => ({
  campaigns: null,
  campaignDetail: {},
  sheets: {},
  statBlocks: {},
  graphs: {},
  missing: {},
  async loadCampaigns() {
    const campaigns = await attempt(() => call('campaigns.list', {}));
    if (campaigns) set({ campaigns });
  },
  async loadCampaign(id) {
    const d = await attempt(() => call('campaigns.get', { id }));
    if (d) set((s) => ({ campaignDetail: { ...s.campaignDetail, [id]: d } }));
  },
  async loadSheet(id) {
    // Any document first: a stat block is shown as it is; a build gets the derived sheet.
    let reason = '';
    const any = await call('characters.showAny', { id }).catch((err: unknown) => {
      reason = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    if (!any) {
      set((s) => ({ missing: { ...s.missing, [id]: reason } }));
      return;
    }
    if (get().missing[id] !== undefined) {
      const { [id]: _gone, ...rest } = get().missing;
      set({ missing: rest });
    }
    const statBlock = any.statBlock;
    if (statBlock) {
      set((s) => ({ statBlocks: { ...s.statBlocks, [id]: { ...any, statBlock } } }));
      return;
    }
    const d = await attempt(() => call('characters.sheet', { id }));
    if (d) set((s) => ({ sheets: { ...s.sheets, [id]: d } }));
  },
  async loadGraph(id) {
    const d = await attempt(() => call('history.graph', { id }));
    if (d) set((s) => ({ graphs: { ...s.graphs, [id]: d } }));
  },
}));

/** Subscribe the caches to core's events. Returns the unsubscribe function. */
export function wireDataEvents(): () => void {
  const b = bridge();
  const offs = [
    b.on('campaigns.changed', () => {
      const s = useData.getState();
      void s.loadCampaigns();
      for (const id of Object.keys(s.campaignDetail)) void s.loadCampaign(id);
    }),
    b.on('characters.changed', ({ id }) => {
      const s = useData.getState();
      if (s.sheets[id] || s.statBlocks[id]) void s.loadSheet(id);
      if (s.graphs[id]) void s.loadGraph(id);
      for (const cid of Object.keys(s.campaignDetail)) void s.loadCampaign(cid);
      void s.loadCampaigns();
    }),
  ];
  return () => offs.forEach((off) => off());
}
