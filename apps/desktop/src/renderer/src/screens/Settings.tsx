/** Settings: theme, LLM providers and per-task routing, relay URL and secret, invite join, data folder. */
import type { HandlerOutput } from '@loreforge/core';
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { attempt, useUi, type Theme } from '../stores/ui';

const TASKS = ['character.create', 'character.refine', 'summary', 'embed'] as const;
type Settings = HandlerOutput<'settings.get'>;

export function SettingsScreen() {
  const notify = useUi((s) => s.notify);
  const setTheme = useUi((s) => s.setTheme);
  const [s, setS] = useState<Settings | null>(null);
  const [info, setInfo] = useState<HandlerOutput<'app.info'> | null>(null);
  const [llm, setLlm] = useState<HandlerOutput<'llm.status'> | null>(null);
  const [sync, setSync] = useState<HandlerOutput<'sync.status'> | null>(null);
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [invite, setInvite] = useState('');

  const reload = () => {
    void attempt(() => call('settings.get', {})).then((v) => v && setS(v));
    void attempt(() => call('sync.status', {})).then((v) => v && setSync(v));
  };
  useEffect(() => {
    reload();
    void attempt(() => call('app.info', {})).then((v) => v && setInfo(v));
    void attempt(() => call('llm.status', {})).then((v) => v && setLlm(v));
  }, []);

  if (!s) return <p role="status">Loading settings…</p>;
  const save = async (patch: Parameters<typeof call<'settings.update'>>[1]) => {
    const next = await attempt(() => call('settings.update', patch));
    if (next) {
      setS(next);
      notify('info', 'Settings saved.');
    }
  };

  return (
    <div className="screen settings">
      <h1>Settings</h1>
      <section className="card" aria-label="Appearance">
        <h2>Appearance</h2>
        <label>
          Theme
          <select
            value={s.theme}
            onChange={(e) => {
              const theme = e.target.value as Theme;
              setTheme(theme);
              void save({ theme });
            }}
          >
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </section>

      <section className="card" aria-label="Language models">
        <h2>Language models</h2>
        {llm && (
          <div className="banner" role="note">
            <p>{llm.message}</p>
            <ul>
              {llm.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        )}
        <form
          className="grid"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const routing = Object.fromEntries(
              TASKS.map((t) => [t, String(f.get(`route-${t}`) ?? 'auto')]),
            ) as Record<string, 'auto' | 'offline' | 'ollama' | 'openai'>;
            void save({
              llm: {
                ollamaHost: String(f.get('ollamaHost')),
                ollamaModel: String(f.get('ollamaModel')),
                openaiBaseURL: String(f.get('openaiBaseURL')),
                openaiModel: String(f.get('openaiModel')),
                routing,
                ...(apiKey ? { openaiApiKey: apiKey } : {}),
              },
            }).then(() => setApiKey(''));
          }}
        >
          <label>
            Ollama host
            <input name="ollamaHost" defaultValue={s.llm.ollamaHost} />
          </label>
          <label>
            Ollama model
            <input name="ollamaModel" defaultValue={s.llm.ollamaModel} placeholder="(first chat model)" />
          </label>
          <label>
            OpenAI base URL
            <input
              name="openaiBaseURL"
              defaultValue={s.llm.openaiBaseURL}
              placeholder="https://api.openai.com/v1"
            />
          </label>
          <label>
            OpenAI model
            <input name="openaiModel" defaultValue={s.llm.openaiModel} />
          </label>
          <label>
            OpenAI API key {s.llm.openaiKeySet ? '(set)' : '(not set)'}
            <input
              type="password"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              autoComplete="off"
            />
          </label>
          <fieldset>
            <legend>Routing per task</legend>
            {TASKS.map((t) => (
              <label key={t}>
                {t}
                <select name={`route-${t}`} defaultValue={s.llm.routing[t] ?? 'auto'}>
                  <option value="auto">auto (a model if one answers)</option>
                  <option value="offline">offline</option>
                  <option value="ollama">ollama</option>
                  <option value="openai">openai</option>
                </select>
              </label>
            ))}
          </fieldset>
          <button type="submit">Save model settings</button>
        </form>
      </section>

      <section className="card" aria-label="Sync">
        <h2>Sync relay</h2>
        <form
          className="grid"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            void save({
              sync: {
                relayUrl: String(f.get('relayUrl')).trim(),
                user: String(f.get('user')).trim() || 'me',
                ...(secret ? { relaySecret: secret } : {}),
              },
            }).then(() => {
              setSecret('');
              reload();
            });
          }}
        >
          <label>
            Relay URL
            <input name="relayUrl" defaultValue={s.sync.relayUrl} placeholder="ws://127.0.0.1:8787" />
          </label>
          <label>
            Your name
            <input name="user" defaultValue={s.sync.user} />
          </label>
          <label>
            Relay secret {s.sync.relaySecretSet ? '(set)' : '(not set; needed only to invite others)'}
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoComplete="off"
            />
          </label>
          <button type="submit">Save relay settings</button>
        </form>
        <form
          className="row wrap"
          aria-label="Join with invite"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invite.trim()) return;
            void attempt(() => call('sync.join', { invite: invite.trim() })).then((r) => {
              if (r) {
                setInvite('');
                notify('info', 'Joined the shared campaign.');
                reload();
              }
            });
          }}
        >
          <label className="grow">
            Invite
            <input
              value={invite}
              onChange={(e) => setInvite(e.target.value)}
              placeholder="loreforge://join?…"
            />
          </label>
          <button type="submit" disabled={!invite.trim()}>
            Join
          </button>
        </form>
        {sync && sync.campaigns.length > 0 && (
          <ul aria-label="Shared campaigns">
            {sync.campaigns.map((c) => (
              <li key={c.campaign}>
                {c.name} · {c.host ? 'hosting' : 'joined'} as {c.role} ·{' '}
                <span data-status={c.status}>{c.status}</span> · {c.docs} document(s), {c.characters}{' '}
                character(s) · <code data-testid="shared-campaign-id">{c.campaign}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-label="Drafts">
        <h2>Drafts</h2>
        <label>
          Offer to clean up drafts untouched for (days)
          <input
            type="number"
            min={1}
            max={3650}
            defaultValue={s.drafts.cleanupAfterDays}
            onBlur={(e) => {
              const days = Number(e.target.value);
              if (Number.isInteger(days) && days >= 1 && days !== s.drafts.cleanupAfterDays)
                void save({ drafts: { cleanupAfterDays: days } });
            }}
          />
        </label>
      </section>

      <section className="card" aria-label="Data">
        <h2>Data folder</h2>
        <p>
          <code>{info?.dataDir ?? '(in memory)'}</code>
        </p>
        <p className="muted">
          Start the app with <code>--data-dir DIR</code> or set <code>LOREFORGE_DATA_DIR</code> to use another
          folder.
        </p>
        <p className="muted">
          Loreforge {info?.version} · {info?.host === 'web' ? 'web mode' : 'desktop'}
        </p>
      </section>
    </div>
  );
}
