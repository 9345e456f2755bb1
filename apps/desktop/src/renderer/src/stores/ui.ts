/** UI state only: which screen, what is selected, theme, notices. Domain data lives in core. */
import { create } from 'zustand';

export type Screen = 'campaigns' | 'campaign' | 'create' | 'character' | 'srd' | 'settings';
export type Theme = 'system' | 'light' | 'dark';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

interface UiState {
  screen: Screen;
  campaignId: string | null;
  characterId: string | null;
  theme: Theme;
  notices: Notice[];
  go(screen: Screen, sel?: { campaignId?: string | null; characterId?: string | null }): void;
  setTheme(t: Theme): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let noticeId = 1;

export const useUi = create<UiState>((set) => ({
  screen: 'campaigns',
  campaignId: null,
  characterId: null,
  theme: 'system',
  notices: [],
  go: (screen, sel = {}) =>
    set((s) => ({
      screen,
      campaignId: sel.campaignId !== undefined ? sel.campaignId : s.campaignId,
      characterId: sel.characterId !== undefined ? sel.characterId : s.characterId,
    })),
  setTheme: (theme) => set({ theme }),
  notify: (kind, text) => set((s) => ({ notices: [...s.notices.slice(-3), { id: noticeId++, kind, text }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

/** Run an async action; report failures as a notice instead of throwing into React. */
export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    useUi.getState().notify('error', err instanceof Error ? err.message : String(err));
    return undefined;
  }
}
