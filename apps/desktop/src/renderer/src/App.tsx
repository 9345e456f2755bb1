/** The shell: navigation, theme, notices, and the current screen. */
import { useEffect } from 'react';
import { bridge, call, isWebMode } from './bridge';
import { Campaign } from './screens/Campaign';
import { Campaigns } from './screens/Campaigns';
import { Character } from './screens/Character';
import { Create } from './screens/Create';
import { SettingsScreen } from './screens/Settings';
import { Srd } from './screens/Srd';
import { wireDataEvents } from './stores/data';
import { wireDraftEvents } from './stores/draft';
import { attempt, useUi, type Screen } from './stores/ui';

const NAV: { screen: Screen; label: string }[] = [
  { screen: 'campaigns', label: 'Campaigns' },
  { screen: 'create', label: 'New character' },
  { screen: 'srd', label: 'SRD' },
  { screen: 'settings', label: 'Settings' },
];

export function App() {
  const { screen, go, theme, setTheme, notices, dismiss } = useUi();

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

  useEffect(() => {
    const dark =
      theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  }, [theme]);

  return (
    <div className="app">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Loreforge</div>
        <ul>
          {NAV.map((n) => (
            <li key={n.screen}>
              <button
                type="button"
                aria-current={
                  screen === n.screen || (n.screen === 'campaigns' && screen === 'campaign')
                    ? 'page'
                    : undefined
                }
                onClick={() => go(n.screen, n.screen === 'create' ? { campaignId: null } : {})}
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
        {screen === 'create' && <Create />}
        {screen === 'character' && <Character />}
        {screen === 'srd' && <Srd />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
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
