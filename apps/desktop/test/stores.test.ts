/** Stores cache query results and refresh when core announces a change (fake bridge, no server). */
import type { BridgeResult, DesktopBridge } from '@loreforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { setBridge } from '../src/renderer/src/bridge';
import { useData, wireDataEvents } from '../src/renderer/src/stores/data';
import { useUi } from '../src/renderer/src/stores/ui';

function fakeBridge(answers: Record<string, () => unknown>) {
  const calls: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const bridge = {
    invoke: async (channel: string): Promise<BridgeResult<unknown>> => {
      calls.push(channel);
      const fn = answers[channel];
      return fn
        ? { ok: true, value: fn() }
        : { ok: false, error: { code: 'not-found', message: `no ${channel}` } };
    },
    on: (event: string, cb: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => set.delete(cb);
    },
    versions: { app: 'test', electron: null, chrome: null, node: null },
  };
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((cb) => cb(payload));
  return { bridge: bridge as unknown as DesktopBridge, calls, emit, listeners };
}

afterEach(() => {
  setBridge(null);
  useData.setState({ campaigns: null, campaignDetail: {}, sheets: {}, statBlocks: {}, graphs: {} });
  useUi.setState({ notices: [] });
});

describe('data store', () => {
  it('refreshes the campaign list and cached sheets on core events, and unsubscribes', async () => {
    let n = 0;
    const f = fakeBridge({
      'campaigns.list': () => [{ id: 'c1', name: `Campaign v${++n}`, characters: 0 }],
      'characters.showAny': () => ({ id: 'x', kind: 'pc', statBlock: null }),
      'characters.sheet': () => ({ id: 'x', marker: n }),
      'history.graph': () => ({ branches: [], commits: [] }),
    });
    setBridge(f.bridge);
    await useData.getState().loadCampaigns();
    expect(useData.getState().campaigns?.[0]?.name).toBe('Campaign v1');
    await useData.getState().loadSheet('x');

    const off = wireDataEvents();
    f.emit('campaigns.changed', { id: 'c1' });
    await expect.poll(() => useData.getState().campaigns?.[0]?.name).toBe('Campaign v2');
    f.calls.length = 0;
    f.emit('characters.changed', { id: 'x', source: 'sync' });
    await expect.poll(() => f.calls.includes('characters.sheet')).toBe(true);
    // Only sheets that are cached are refetched.
    f.calls.length = 0;
    f.emit('characters.changed', { id: 'not-open', source: 'local' });
    await expect.poll(() => f.calls.includes('campaigns.list')).toBe(true);
    expect(f.calls).not.toContain('characters.sheet');

    off();
    expect([...f.listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('turns bridge errors into notices instead of throwing', async () => {
    setBridge(fakeBridge({}).bridge);
    await useData.getState().loadCampaign('missing');
    expect(useUi.getState().notices.at(-1)).toMatchObject({ kind: 'error', text: 'No campaigns.get' });
    expect(useData.getState().campaignDetail).toEqual({});
  });
});
