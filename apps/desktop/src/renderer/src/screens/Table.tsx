/**
 * The table (issue 11): the DM's combat tracker and encounter builder, or a player's table view, for one campaign.
 * The DM's view shows everything (hidden foes, true HP) and is keyboard-first: ↑/↓ pick a combatant, N next turn,
 * D damage and H heal by the amount field. A player sees the public session (no hidden foes; foes' HP as labels)
 * and sends requests the DM's app applies.
 */
import type { HandlerInput, HandlerOutput } from '@loreforge/core';
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { bridge, call } from '../bridge';
import { useData } from '../stores/data';
import { attempt, useUi } from '../stores/ui';

type View = HandlerOutput<'play.view'>;
type Intents = HandlerOutput<'play.intents'>;
type Online = HandlerOutput<'sync.presence'>['sessions'][number]['online'];

/**
 * Who is at this table right now (presence through the relay) and whose turn it is: the user playing the
 * combatant whose turn it is, or the DM for foes and lair actions.
 */
export function PresenceList({ online, view }: { online: Online; view: View | null }) {
  const turn = view?.order.find((c) => c.id === view.turn);
  const turnOf = (e: Online[number]) =>
    turn !== undefined && (turn.side === 'party' ? e.characters.includes(turn.id) : e.role === 'dm');
  return (
    <section aria-label="Online">
      <h2>Online</h2>
      {turn && (
        <p data-testid="whose-turn">
          Turn: {turn.name}
          {online.find(turnOf) ? ` (${online.find(turnOf)!.user})` : ''}
        </p>
      )}
      <ul>
        {online.map((e) => (
          <li key={e.user} data-testid="online-user" data-user={e.user}>
            {e.user} ({e.role}){e.self ? ' — you' : ''}
            {turnOf(e) ? ' ▶ their turn' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface TrackerProps {
  view: View;
  role: 'dm' | 'player' | 'spectator';
  onNext(): void;
  onDamage(id: string, amount: number): void;
  onHeal(id: string, amount: number): void;
  /** Start (a name) or end (null) the selected combatant's concentration. */
  onConcentrate?(id: string, effect: string | null): void;
}

/** The initiative list; for the DM, keyboard-driven actions on the selected combatant. */
export function Tracker({ view, role, onNext, onDamage, onHeal, onConcentrate }: TrackerProps) {
  const [sel, setSel] = useState(0);
  const [amount, setAmount] = useState('');
  const [effect, setEffect] = useState('');
  const dm = role === 'dm';
  const selected = view.order[Math.min(sel, view.order.length - 1)];
  const n = Number(amount);
  const valid = /^\d{1,6}$/.test(amount) && n >= 0;
  const onKey = (e: KeyboardEvent) => {
    if (!dm) return;
    const inField = (e.target as HTMLElement).tagName === 'INPUT';
    if (e.key === 'ArrowDown') setSel((i) => Math.min(view.order.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setSel((i) => Math.max(0, i - 1));
    else if (!inField && e.key.toLowerCase() === 'n') onNext();
    else if (e.key.toLowerCase() === 'd' && (!inField || e.altKey) && selected && valid)
      onDamage(selected.id, n);
    else if (e.key.toLowerCase() === 'h' && (!inField || e.altKey) && selected && valid)
      onHeal(selected.id, n);
    else return;
    e.preventDefault();
  };
  return (
    <section aria-label="Initiative" onKeyDown={onKey}>
      <h2>
        Round {view.round} {view.status === 'ended' ? '(ended)' : ''}
      </h2>
      <table>
        <thead>
          <tr>
            <th>Init</th>
            <th>Name</th>
            <th>HP</th>
            <th>Status</th>
            <th>Conditions</th>
          </tr>
        </thead>
        <tbody>
          {view.order.map((c, i) => (
            <tr
              key={c.id}
              aria-current={c.id === view.turn ? 'true' : undefined}
              aria-selected={dm ? i === sel : undefined}
              tabIndex={dm ? 0 : undefined}
              onClick={() => setSel(i)}
              data-combatant={c.id}
            >
              <td>{c.initiative}</td>
              <td>
                {c.id === view.turn ? '▶ ' : ''}
                {c.name}
                {c.hidden ? ' (hidden)' : ''}
                {c.side === 'foe' ? ' · foe' : ''}
              </td>
              <td aria-label={`${c.name} health`}>
                {c.health !== undefined ? c.health : `${c.hp ?? 0}${c.tempHp ? ` +${c.tempHp}` : ''}`}
              </td>
              <td>{c.status}</td>
              <td>
                {c.conditions.join(', ')}
                {c.concentration ? ` concentrating: ${c.concentration}` : ''}
                {c.legendary ? ` legendary ${c.legendary}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.prompts.length > 0 && (
        <ul aria-label="Prompts">
          {view.prompts.map((p) => (
            <li key={`${p.kind}-${p.combatant}`}>
              {view.order.find((c) => c.id === p.combatant)?.name ?? p.combatant}:{' '}
              {p.kind === 'concentration' ? `concentration save, DC ${p.dc ?? 10}` : 'death save'}
            </li>
          ))}
        </ul>
      )}
      {dm && (
        <div className="row">
          <label>
            Amount{' '}
            <input
              aria-label="Amount"
              inputMode="numeric"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          </label>
          <button
            type="button"
            disabled={!selected || !valid}
            onClick={() => selected && onDamage(selected.id, n)}
          >
            Damage (D)
          </button>
          <button
            type="button"
            disabled={!selected || !valid}
            onClick={() => selected && onHeal(selected.id, n)}
          >
            Heal (H)
          </button>
          <button type="button" onClick={onNext}>
            Next turn (N)
          </button>
          {onConcentrate && (
            <>
              <label>
                Concentrate on{' '}
                <input
                  aria-label="Concentrate on"
                  value={effect}
                  onChange={(e) => setEffect(e.target.value)}
                />
              </label>
              <button
                type="button"
                disabled={!selected || effect.trim() === ''}
                onClick={() => selected && onConcentrate(selected.id, effect.trim())}
              >
                Concentrate
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function EncounterBuilder({ campaign, onStarted }: { campaign: string; onStarted(session: string): void }) {
  const detail = useData((s) => s.campaignDetail[campaign]);
  const pcs = (detail?.characters ?? []).filter((c) => c.kind === 'pc' && c.branch !== 'draft');
  const [party, setParty] = useState<string[]>([]);
  const [difficulty, setDifficulty] = useState('moderate');
  const [theme, setTheme] = useState('');
  const [built, setBuilt] = useState<HandlerOutput<'play.encounterBuild'> | null>(null);
  const [hidden, setHidden] = useState<string[]>([]);
  const build = async () => {
    const e = await attempt(() =>
      call('play.encounterBuild', { campaign, party, difficulty, ...(theme.trim() ? { theme } : {}) }),
    );
    if (e) setBuilt(e);
  };
  const start = async () => {
    if (!built) return;
    const s = await attempt(() => call('play.start', { campaign, encounter: built.id, hidden }));
    if (s) onStarted(s.session);
  };
  return (
    <section aria-label="Encounter builder">
      <h2>Encounter</h2>
      <fieldset>
        <legend>Party</legend>
        {pcs.map((c) => (
          <label key={c.id}>
            <input
              type="checkbox"
              checked={party.includes(c.id)}
              onChange={(e) =>
                setParty((p) => (e.target.checked ? [...p, c.id] : p.filter((x) => x !== c.id)))
              }
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
      <label>
        Difficulty{' '}
        <select value={difficulty} onChange={(e) => setDifficulty(e.target.value)}>
          <option value="low">Low</option>
          <option value="moderate">Moderate</option>
          <option value="high">High</option>
        </select>
      </label>
      <label>
        Theme <input value={theme} onChange={(e) => setTheme(e.target.value)} placeholder="undead, goblin…" />
      </label>
      <button type="button" disabled={party.length === 0} onClick={() => void build()}>
        Build encounter
      </button>
      {built && (
        <div>
          <ul aria-label="Creatures">
            {built.creatures.map((c) => (
              <li key={c.srd}>
                {c.count} × {c.name} (CR {c.cr}, {c.role}){' '}
                <label>
                  <input
                    type="checkbox"
                    checked={hidden.includes(c.srd)}
                    onChange={(e) =>
                      setHidden((h) => (e.target.checked ? [...h, c.srd] : h.filter((x) => x !== c.srd)))
                    }
                  />{' '}
                  hidden
                </label>
              </li>
            ))}
          </ul>
          <p>
            {built.xp} XP — 2024 {built.rated['2024']}, 2014 {built.rated['2014']}
          </p>
          <button type="button" onClick={() => void start()}>
            Start combat
          </button>
        </div>
      )}
    </section>
  );
}

function Requests({
  session,
  role,
  view,
  others = [],
}: {
  session: string;
  role: string;
  view: View;
  /** The campaign's characters not in the fight yet (they may roll initiative to join). */
  others?: { id: string; name: string }[];
}) {
  const [rows, setRows] = useState<Intents>([]);
  const [character, setCharacter] = useState('');
  const [target, setTarget] = useState('');
  const [amount, setAmount] = useState('');
  const load = useCallback(async () => {
    const r = await attempt(() => call('play.intents', { session }));
    if (r) setRows(r);
  }, [session]);
  useEffect(() => {
    void load();
  }, [load, view]);
  const party = view.order.filter((c) => c.side === 'party');
  const foes = view.order.filter((c) => c.side === 'foe');
  const send = async (action: 'initiative' | 'attack' | 'damage' | 'heal' | 'end-turn') => {
    const who = character || party[0]?.id;
    if (!who) return;
    const n = Number(amount);
    await attempt(() =>
      call('play.intent', {
        session,
        character: who,
        action,
        ...(action === 'attack' && target ? { target } : {}),
        ...(/^\d+$/.test(amount) && action !== 'end-turn' && action !== 'initiative' ? { amount: n } : {}),
      }),
    );
    await load();
  };
  return (
    <section aria-label="Requests">
      <h2>Requests</h2>
      {role !== 'dm' && (
        <div className="row">
          <select aria-label="My character" value={character} onChange={(e) => setCharacter(e.target.value)}>
            {[...party, ...others].map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <select aria-label="Target" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">(target)</option>
            {foes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <input aria-label="Request amount" value={amount} onChange={(e) => setAmount(e.target.value)} />
          <button type="button" onClick={() => void send('attack')}>
            I attack
          </button>
          <button type="button" onClick={() => void send('damage')}>
            I take damage
          </button>
          <button type="button" onClick={() => void send('end-turn')}>
            End my turn
          </button>
          <button type="button" onClick={() => void send('initiative')}>
            Roll initiative
          </button>
        </div>
      )}
      <ul>
        {rows.map((r) => (
          <li key={r.id} data-intent={r.id}>
            {r.owner}: {r.action} {view.order.find((c) => c.id === r.character)?.name ?? r.character}
            {r.target ? ` → ${view.order.find((c) => c.id === r.target)?.name ?? r.target}` : ''}
            {r.amount !== undefined ? ` ${r.amount}` : ''} — {r.status}
            {r.reason ? ` (${r.reason})` : ''}
            {role === 'dm' && r.status === 'pending' && (
              <>
                {' '}
                <button
                  type="button"
                  onClick={() =>
                    void attempt(() =>
                      call('play.resolve', { session, intent: r.id, decision: 'apply' }),
                    ).then(load)
                  }
                >
                  Apply
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void attempt(() =>
                      call('play.resolve', { session, intent: r.id, decision: 'refuse' }),
                    ).then(load)
                  }
                >
                  Refuse
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

type Sheet = HandlerOutput<'play.sheet'>;

/** The play sheet of one party character: live table state (synced, no commit per click). */
export function PlaySheetPanel({
  party,
  refreshKey = '',
}: {
  party: { id: string; name: string }[];
  /** Changes whenever the shared state changed (the tracker's view). */
  refreshKey?: string;
}) {
  const [character, setCharacter] = useState(party[0]?.id ?? '');
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [amount, setAmount] = useState('');
  const who = character || party[0]?.id || '';
  const load = useCallback(async () => {
    if (!who) return;
    const s = await attempt(() => call('play.sheet', { character: who }));
    if (s) setSheet(s);
  }, [who]);
  // Reload when the character changes or the shared state moved on, not on every render.
  useEffect(() => {
    void load();
  }, [load, refreshKey]);
  const act = async (input: Omit<HandlerInput<'play.sheetAct'>, 'character'>) => {
    const s = await attempt(() => call('play.sheetAct', { character: who, ...input }));
    if (s) setSheet(s);
  };
  const n = /^\d{1,6}$/.test(amount) ? Number(amount) : null;
  if (!who) return null;
  return (
    <section aria-label="Play sheet">
      <h2>Play sheet</h2>
      <select aria-label="Sheet of" value={who} onChange={(e) => setCharacter(e.target.value)}>
        {party.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {sheet && (
        <div>
          <p aria-label="Hit points">
            HP {sheet.hp}/{sheet.maxHp}
            {sheet.tempHp ? ` +${sheet.tempHp} temp` : ''} · {sheet.status}
            {sheet.inspiration ? ' · inspired' : ''}
          </p>
          <p aria-label="Spell slots">
            {sheet.slots.max
              .map((m, i) => (m ? `L${i + 1} ${m - (sheet.slots.expended[i] ?? 0)}/${m}` : ''))
              .filter(Boolean)
              .join(' · ') || 'no spell slots'}
          </p>
          {sheet.conditions.length > 0 && <p>Conditions: {sheet.conditions.join(', ')}</p>}
          {sheet.concentration && <p>Concentrating on {sheet.concentration}</p>}
          <div className="row">
            <input
              aria-label="Sheet amount"
              inputMode="numeric"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
            <button
              type="button"
              disabled={n === null}
              onClick={() => n !== null && void act({ action: 'damage', amount: n })}
            >
              Take damage
            </button>
            <button
              type="button"
              disabled={n === null}
              onClick={() => n !== null && void act({ action: 'heal', amount: n })}
            >
              Heal
            </button>
            <button
              type="button"
              disabled={n === null}
              onClick={() => n !== null && void act({ action: 'temp-hp', amount: n })}
            >
              Temp HP
            </button>
            <button
              type="button"
              disabled={n === null || n < 1 || n > 9}
              onClick={() => n !== null && void act({ action: 'spend-slot', level: n })}
            >
              Spend slot (level)
            </button>
            <button type="button" onClick={() => void act({ action: 'short-rest' })}>
              Short rest
            </button>
            <button type="button" onClick={() => void act({ action: 'long-rest' })}>
              Long rest
            </button>
            <button
              type="button"
              onClick={() => void act({ action: 'inspiration', value: !sheet.inspiration })}
            >
              {sheet.inspiration ? 'Spend inspiration' : 'Gain inspiration'}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

export function Table() {
  const campaign = useUi((s) => s.campaignId);
  const loadCampaign = useData((s) => s.loadCampaign);
  const detail = useData((s) => (campaign ? s.campaignDetail[campaign] : undefined));
  const [role, setRole] = useState<'dm' | 'player' | 'spectator'>('dm');
  const [session, setSession] = useState<string | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [online, setOnline] = useState<Online | null>(null);

  const refresh = useCallback(async () => {
    if (!campaign) return;
    const s = await attempt(() => call('play.sessions', { campaign }));
    if (!s) return;
    setRole(s.role as 'dm' | 'player' | 'spectator');
    const current = session ?? s.sessions.find((x) => x.status === 'live')?.id ?? null;
    setSession(current);
    if (current) {
      const v = await attempt(() => call('play.view', { session: current }));
      if (v) setView(v);
    }
  }, [campaign, session]);

  useEffect(() => {
    if (campaign) void loadCampaign(campaign);
    void refresh();
  }, [campaign, loadCampaign, refresh]);

  // Live: every stored change to a document of this campaign (a synced session, a request) refreshes.
  useEffect(() => {
    if (!campaign) return;
    return bridge().on('entity.changed', (e) => {
      if (e.campaign === campaign && ['session', 'intents', 'dmnotes', 'character'].includes(e.kind))
        void refresh();
    });
  }, [campaign, refresh]);

  // Presence: refreshed when anyone at one of this campaign's sessions comes online or leaves.
  useEffect(() => {
    if (!campaign) return;
    const load = async () => {
      const p = await attempt(() => call('sync.presence', { campaign }));
      if (!p) return;
      const here = p.sessions.find((x) => x.session === session) ?? p.sessions[0];
      setOnline(here ? here.online : null);
    };
    void load();
    return bridge().on('sync.presence', (e) => {
      if (e.campaign === campaign) void load();
    });
  }, [campaign, session]);

  if (!campaign) return <p>No campaign selected.</p>;
  const act = async (input: Omit<HandlerInput<'play.act'>, 'session'>) => {
    if (!session) return;
    await attempt(() => call('play.act', { session, ...input }));
    await refresh();
  };
  return (
    <div className="screen">
      <h1>Table</h1>
      {online && <PresenceList online={online} view={view} />}
      {role === 'dm' && !view && <EncounterBuilder campaign={campaign} onStarted={(s) => setSession(s)} />}
      {view ? (
        <>
          <Tracker
            view={view}
            role={role}
            onNext={() => void act({ action: 'next' })}
            onDamage={(id, amount) => void act({ action: 'damage', combatant: id, amount })}
            onHeal={(id, amount) => void act({ action: 'heal', combatant: id, amount })}
            onConcentrate={(id, name) =>
              void act({ action: 'concentrate', combatant: id, ...(name ? { name } : {}) })
            }
          />
          {session && (
            <Requests
              session={session}
              role={role}
              view={view}
              others={(detail?.characters ?? [])
                .filter(
                  (c) => c.kind === 'pc' && c.branch !== 'draft' && !view.order.some((o) => o.id === c.id),
                )
                .map((c) => ({ id: c.id, name: c.name }))}
            />
          )}
          <PlaySheetPanel
            party={view.order.filter((c) => c.side === 'party').map((c) => ({ id: c.id, name: c.name }))}
            refreshKey={JSON.stringify(view.order.filter((c) => c.side === 'party'))}
          />
        </>
      ) : (
        role !== 'dm' && <p role="status">No combat at this table yet.</p>
      )}
    </div>
  );
}
