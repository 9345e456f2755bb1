/**
 * UI state only: where we are (the route, kept in the URL hash so reload and Back keep the place), theme and
 * notices. Domain data lives in core.
 */
import { create } from 'zustand';
import { BridgeCallError } from '../bridge';
import { plainError } from '../words';

export type Screen =
  | 'campaigns'
  | 'campaign'
  | 'table'
  | 'story'
  | 'pitch'
  | 'journals'
  | 'graph'
  | 'create'
  | 'drafts'
  | 'character'
  | 'srd'
  | 'settings';
export type Theme = 'system' | 'light' | 'dark';
export type CharacterTab = 'sheet' | 'story' | 'history';

/** Where the app is. Every screen and every open character, draft or SRD entry has one. */
export interface Route {
  screen: Screen;
  campaignId: string | null;
  characterId: string | null;
  /** The draft open on the New character screen (resumed). */
  draftId: string | null;
  tab: CharacterTab | null;
  /** SRD browser: search and the open entry. */
  srd: { q: string; type: string; level: string; class: string; open: { type: string; id: string } | null };
}

const EMPTY_SRD: Route['srd'] = { q: '', type: '', level: '', class: '', open: null };
const TABS: CharacterTab[] = ['sheet', 'story', 'history'];

export function emptyRoute(screen: Screen = 'campaigns'): Route {
  return { screen, campaignId: null, characterId: null, draftId: null, tab: null, srd: { ...EMPTY_SRD } };
}

const dec = (s: string | undefined) => {
  try {
    return decodeURIComponent(s ?? '');
  } catch {
    return '';
  }
};
const enc = encodeURIComponent;

/**
 * `#/campaigns`, `#/campaigns/<id>`, `#/campaigns/<id>/table` (live play), `#/characters/<id>[/story|/history]`, `#/create[?campaign=<id>]`,
 * `#/graph`, `#/campaigns/<id>/graph` (the relationship graph), `#/drafts`, `#/drafts/<id>` (a draft resumed), `#/srd[?q=&type=&level=&class=]`, `#/srd/<type>/<id>[?…]`,
 * `#/settings`. Anything else is the campaign list.
 */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(dec);
  const q = new URLSearchParams(queryPart);
  const r = emptyRoute();
  switch (parts[0]) {
    case 'campaigns':
      if (parts[1] && parts[2] === 'table') return { ...r, screen: 'table', campaignId: parts[1] };
      if (parts[1] && parts[2] === 'story') return { ...r, screen: 'story', campaignId: parts[1] };
      if (parts[1] && parts[2] === 'journals') return { ...r, screen: 'journals', campaignId: parts[1] };
      if (parts[1] && parts[2] === 'graph') return { ...r, screen: 'graph', campaignId: parts[1] };
      if (parts[1]) return { ...r, screen: 'campaign', campaignId: parts[1] };
      return r;
    case 'characters':
      if (!parts[1]) return r;
      return {
        ...r,
        screen: 'character',
        characterId: parts[1],
        tab: TABS.includes(parts[2] as CharacterTab) ? (parts[2] as CharacterTab) : 'sheet',
      };
    case 'pitch':
      return { ...r, screen: 'pitch' };
    case 'graph':
      return { ...r, screen: 'graph' };
    case 'create':
      return { ...r, screen: 'create', campaignId: q.get('campaign') || null };
    case 'drafts':
      if (parts[1]) return { ...r, screen: 'create', draftId: parts[1] };
      return { ...r, screen: 'drafts' };
    case 'srd':
      return {
        ...r,
        screen: 'srd',
        srd: {
          q: q.get('q') ?? '',
          type: q.get('type') ?? '',
          level: q.get('level') ?? '',
          class: q.get('class') ?? '',
          open: parts[1] && parts[2] ? { type: parts[1], id: parts[2] } : null,
        },
      };
    case 'settings':
      return { ...r, screen: 'settings' };
    default:
      return r;
  }
}

export function formatRoute(r: Route): string {
  switch (r.screen) {
    case 'campaigns':
      return '#/campaigns';
    case 'campaign':
      return r.campaignId ? `#/campaigns/${enc(r.campaignId)}` : '#/campaigns';
    case 'table':
      return r.campaignId ? `#/campaigns/${enc(r.campaignId)}/table` : '#/campaigns';
    case 'story':
      return r.campaignId ? `#/campaigns/${enc(r.campaignId)}/story` : '#/campaigns';
    case 'pitch':
      return '#/pitch';
    case 'journals':
      return r.campaignId ? `#/campaigns/${enc(r.campaignId)}/journals` : '#/campaigns';
    case 'graph':
      return r.campaignId ? `#/campaigns/${enc(r.campaignId)}/graph` : '#/graph';
    case 'character':
      if (!r.characterId) return '#/campaigns';
      return `#/characters/${enc(r.characterId)}${r.tab && r.tab !== 'sheet' ? `/${r.tab}` : ''}`;
    case 'create':
      if (r.draftId) return `#/drafts/${enc(r.draftId)}`;
      return r.campaignId ? `#/create?campaign=${enc(r.campaignId)}` : '#/create';
    case 'drafts':
      return '#/drafts';
    case 'srd': {
      const q = new URLSearchParams();
      for (const k of ['q', 'type', 'level', 'class'] as const) if (r.srd[k]) q.set(k, r.srd[k]);
      const qs = q.toString();
      const open = r.srd.open ? `/${enc(r.srd.open.type)}/${enc(r.srd.open.id)}` : '';
      return `#/srd${open}${qs ? `?${qs}` : ''}`;
    }
    case 'settings':
      return '#/settings';
  }
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** How long a notice stays (ms); hovering or focusing it holds it. */
export const NOTICE_MS = { info: 5000, error: 9000 } as const;

interface UiState extends Route {
  theme: Theme;
  notices: Notice[];
  /**
   * Go somewhere: a new history entry (Back returns here). `sel` sets the selection; a character's tab and a
   * draft are reset unless given.
   */
  go(
    screen: Screen,
    sel?: {
      campaignId?: string | null;
      characterId?: string | null;
      draftId?: string | null;
      tab?: CharacterTab | null;
    },
  ): void;
  /** Change the current place without a new history entry (SRD search text, filters), or with one (`push`). */
  replace(patch: Partial<Route>, opts?: { push?: boolean }): void;
  /** Follow the URL (hashchange, popstate, first load). */
  syncFromLocation(): void;
  setTheme(t: Theme): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
  /** Keep a notice while it is hovered or focused; `release` restarts its timer. */
  hold(id: number): void;
  release(id: number): void;
}

let noticeId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function routeOf(s: Route): Route {
  return {
    screen: s.screen,
    campaignId: s.campaignId,
    characterId: s.characterId,
    draftId: s.draftId,
    tab: s.tab,
    srd: s.srd,
  };
}

function writeHash(r: Route, mode: 'push' | 'replace'): void {
  if (typeof window === 'undefined') return;
  const hash = formatRoute(r);
  if (window.location.hash === hash) return;
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

export const useUi = create<UiState>((set, get) => {
  const schedule = (id: number, kind: Notice['kind']) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), NOTICE_MS[kind]),
    );
  };
  return {
    ...(typeof window !== 'undefined' ? parseHash(window.location.hash) : emptyRoute()),
    theme: 'system',
    notices: [],
    go: (screen, sel = {}) => {
      const cur = get();
      const next: Route = {
        ...routeOf(cur),
        screen,
        campaignId: sel.campaignId !== undefined ? sel.campaignId : cur.campaignId,
        characterId: sel.characterId !== undefined ? sel.characterId : cur.characterId,
        draftId: sel.draftId !== undefined ? sel.draftId : screen === 'create' ? null : cur.draftId,
        tab: sel.tab !== undefined ? sel.tab : screen === 'character' ? 'sheet' : cur.tab,
      };
      writeHash(next, 'push');
      set(next);
    },
    replace: (patch, opts = {}) => {
      const next = { ...routeOf(get()), ...patch };
      writeHash(next, opts.push ? 'push' : 'replace');
      set(next);
    },
    syncFromLocation: () => {
      const r = parseHash(window.location.hash);
      // Keep the selection the URL does not mention (e.g. the campaign a character was opened from).
      set({ ...r, campaignId: r.campaignId ?? (r.screen === 'create' ? null : get().campaignId) });
    },
    setTheme: (theme) => set({ theme }),
    notify: (kind, text) => {
      const same = get().notices.find((n) => n.kind === kind && n.text === text);
      if (same) {
        // Never twice on screen: the one showing stays longer instead.
        schedule(same.id, kind);
        return;
      }
      const id = noticeId++;
      set((s) => ({ notices: [...s.notices.slice(-2), { id, kind, text }] }));
      schedule(id, kind);
    },
    dismiss: (id) => {
      clearTimeout(timers.get(id));
      timers.delete(id);
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
    hold: (id) => {
      clearTimeout(timers.get(id));
    },
    release: (id) => {
      const n = get().notices.find((x) => x.id === id);
      if (n) schedule(id, n.kind);
    },
  };
});

/** Run an async action; report failures as a notice in plain words instead of throwing into React. */
export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const text =
      err instanceof BridgeCallError
        ? plainError(err.code, err.message)
        : plainError(undefined, err instanceof Error ? err.message : String(err));
    useUi.getState().notify('error', text);
    return undefined;
  }
}
