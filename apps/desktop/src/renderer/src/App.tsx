/** The shell: navigation (hash routes), theme, notices, and the current screen. */
import { useEffect, useRef, useState } from 'react';
import { bridge, call, isWebMode, linkStatus, onLinkStatus, pageToken, type LinkState } from './bridge';
import { Campaign } from './screens/Campaign';
import { Campaigns } from './screens/Campaigns';
import { Character } from './screens/Character';
import { Create } from './screens/Create';
import { Drafts } from './screens/Drafts';
import { SettingsScreen } from './screens/Settings';
import { Pitch } from './screens/Pitch';
import { Srd } from './screens/Srd';
import { Story } from './screens/Story';
import { Table } from './screens/Table';
import { Journals } from './screens/Journals';
import { Graph } from './screens/Graph';
import { wireDataEvents } from './stores/data';
import { wireDraftEvents } from './stores/draft';
import { attempt, useUi, type Screen } from './stores/ui';

const NAV: { screen: Screen; label: string; also?: Screen[] }[] = [
  {
    screen: 'campaigns',
    label: 'Campaigns',
    also: ['campaign', 'character', 'table', 'journals', 'story', 'pitch'],
  },
  { screen: 'graph', label: 'Graph' },
  { screen: 'create', label: 'New character' },
  { screen: 'drafts', label: 'Drafts' },
  { screen: 'srd', label: 'SRD' },
  { screen: 'settings', label: 'Settings' },
];

/** Web mode opened without its token (or with an old one): say where the right URL is. */
export function NoToken({ refused }: { refused: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <main id="main" className="no-token">
      <h1 ref={ref} tabIndex={-1}>
        {refused ? 'This link has expired' : 'Open Loreforge from its link'}
      </h1>
      <p>
        {refused
          ? 'Loreforge did not accept the key in this address. Each start of Loreforge makes a new one, so links from an earlier start stop working.'
          : 'This address has no key, so the page cannot talk to Loreforge.'}
      </p>
      <p>
        Use the address Loreforge printed in the terminal where it started. It looks like{' '}
        <code>Loreforge web: http://127.0.0.1:PORT/?token=…</code>: the <code>token</code> part is a key made
        fresh at every start, so only someone who can see that terminal can open the app.
      </p>
      <p className="muted">If the terminal is closed, start Loreforge again with pnpm start:web.</p>
    </main>
  );
}

export function App() {
  const [link, setLink] = useState<LinkState>(linkStatus());
  const tokenless = isWebMode() && !pageToken();
  useEffect(() => onLinkStatus(setLink), []);
  if (tokenless) return <NoToken refused={false} />;
  if (link === 'refused') return <NoToken refused />;
  return <Shell />;
}

function Shell() {
  const { screen, campaignId, characterId, draftId, go, theme, setTheme, notices, dismiss, hold, release } =
    useUi();
  const syncFromLocation = useUi((s) => s.syncFromLocation);

  useEffect(() => {
    const offs = [
      wireDataEvents(),
      wireDraftEvents(),
      bridge().on('app.navigate', ({ screen: s }) => {
        if (NAV.some((n) => n.screen === s)) go(s as Screen);
      }),
    ];
    void attempt(() => call('settings.get', {})).then((s) => s && setTheme(s.theme));
    return () => offs.forEach((off) => off());
  }, [go, setTheme]);

  // The URL is the place: Back, Forward and edits of the address move the app.
  useEffect(() => {
    const follow = () => syncFromLocation();
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    if (!window.location.hash) window.history.replaceState(null, '', `${window.location.search}#/campaigns`);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, [syncFromLocation]);

  // A new screen (or another character or draft) moves focus to its heading, once it has rendered.
  const place = `${screen}|${campaignId ?? ''}|${characterId ?? ''}|${draftId ?? ''}`;
  const shown = useRef(place);
  useEffect(() => {
    // Not on the first screen (the page itself just loaded), and once per place (StrictMode runs effects twice).
    if (shown.current === place) return;
    shown.current = place;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout>;
    const focus = () => {
      const h = document.querySelector<HTMLElement>('main h1');
      if (h) {
        if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
        h.focus();
      } else if (tries++ < 40) timer = setTimeout(focus, 50);
    };
    focus();
    return () => clearTimeout(timer);
  }, [place]);

  useEffect(() => {
    const dark =
      theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  }, [theme]);

  return (
    <div className="app">
      <a
        href="#main"
        className="skip"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Loreforge</div>
        <ul>
          {NAV.map((n) => (
            <li key={n.screen}>
              <button
                type="button"
                aria-current={screen === n.screen || n.also?.includes(screen) ? 'page' : undefined}
                onClick={() => go(n.screen, n.screen === 'create' ? { campaignId: null, draftId: null } : {})}
              >
                {n.label}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="theme-toggle secondary"
          aria-label="Toggle light or dark theme"
          onClick={() => {
            const next = document.documentElement.dataset['theme'] === 'dark' ? 'light' : 'dark';
            setTheme(next);
            void attempt(() => call('settings.update', { theme: next }));
          }}
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        {isWebMode() && <p className="muted small-print">Web mode</p>}
        <p className="muted small-print credits">
          Rules content from the{' '}
          <a href="https://creativecommons.org/licenses/by/4.0/legalcode" target="_blank" rel="noreferrer">
            SRD 5.2.1 by Wizards of the Coast LLC, CC-BY-4.0
          </a>
          . Descriptions are our own.
        </p>
      </nav>
      <main id="main" tabIndex={-1}>
        {screen === 'campaigns' && <Campaigns />}
        {screen === 'campaign' && <Campaign />}
        {screen === 'table' && <Table />}
        {screen === 'story' && <Story />}
        {screen === 'pitch' && <Pitch />}
        {screen === 'journals' && <Journals />}
        {screen === 'graph' && <Graph />}
        {screen === 'create' && <Create />}
        {screen === 'drafts' && <Drafts />}
        {screen === 'character' && <Character />}
        {screen === 'srd' && <Srd />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <div
            key={n.id}
            className={`notice ${n.kind}`}
            role={n.kind === 'error' ? 'alert' : 'status'}
            onMouseEnter={() => hold(n.id)}
            onMouseLeave={() => release(n.id)}
            onFocus={() => hold(n.id)}
            onBlur={() => release(n.id)}
          >
            <span>{n.text}</span>
            <button
              type="button"
              className="small secondary"
              onClick={() => dismiss(n.id)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
