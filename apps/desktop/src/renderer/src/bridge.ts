/**
 * The renderer's one door to core: Electron's preload (`window.loreforge`) or, in web mode, a WebSocket bridge
 * to the local server authenticated by the token in the page URL. `call` unwraps `{ ok, value | error }`.
 */
import type {
  BridgeResult,
  Channel,
  CoreEvents,
  DesktopBridge,
  EventName,
  HandlerInput,
  HandlerOutput,
} from '@loreforge/core';
import type { BridgeMessage } from '../../shared/protocol';

declare global {
  interface Window {
    loreforge?: DesktopBridge;
  }
}

export class BridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (r: BridgeResult<unknown>) => void };

/** Web mode's link to the local server: `refused` when it never opened (a wrong or old token, server gone). */
export type LinkState = 'connecting' | 'open' | 'down' | 'refused';
let linkState: LinkState = 'connecting';
const linkListeners = new Set<(s: LinkState) => void>();
function setLink(s: LinkState) {
  if (s === linkState) return;
  linkState = s;
  for (const cb of linkListeners) cb(s);
}
export function linkStatus(): LinkState {
  return linkState;
}
export function onLinkStatus(cb: (s: LinkState) => void): () => void {
  linkListeners.add(cb);
  return () => linkListeners.delete(cb);
}

/** The per-launch token in the page URL (web mode), or '' when the URL has none. */
export function pageToken(): string {
  return new URLSearchParams(window.location.search).get('token') ?? '';
}

/** A `DesktopBridge` over a WebSocket (web mode). Reconnects after drops; calls made while down wait. */
export function createWebSocketBridge(url: string): DesktopBridge {
  let everOpen = false;
  let failures = 0;
  let ws: WebSocket | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let retry = 0;

  const connect = () => {
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      retry = 0;
      everOpen = true;
      failures = 0;
      setLink('open');
      for (const m of queue.splice(0)) sock.send(m);
    };
    sock.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as BridgeMessage;
      if (msg.type === 'result') {
        pending.get(msg.id)?.resolve(msg.result);
        pending.delete(msg.id);
      } else if (msg.type === 'event') {
        for (const cb of listeners.get(msg.event) ?? []) cb(msg.payload);
      }
    };
    sock.onclose = () => {
      ws = null;
      failures++;
      // Never opened twice in a row: the server refuses this page's token. After it was open, four failed
      // reconnects mean Loreforge stopped or restarted, and a restart makes a new token: this link has expired.
      setLink((!everOpen && failures >= 2) || failures >= 4 ? 'refused' : 'down');
      for (const [id, p] of pending) {
        p.resolve({
          ok: false,
          error: { code: 'disconnected', message: 'lost the connection to Loreforge' },
        });
        pending.delete(id);
      }
      retry++;
      setTimeout(connect, Math.min(5000, 200 * 2 ** retry));
    };
  };
  connect();

  return {
    invoke<C extends Channel>(channel: C, input: HandlerInput<C>) {
      const id = nextId++;
      const text = JSON.stringify({ id, channel, input });
      return new Promise<BridgeResult<HandlerOutput<C>>>((resolve) => {
        pending.set(id, { resolve: resolve as Pending['resolve'] });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
        else queue.push(text);
      });
    },
    on<E extends EventName>(event: E, cb: (payload: CoreEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const fn = cb as (p: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
    versions: { app: '0.1.0', electron: null, chrome: null, node: null },
  };
}

let current: DesktopBridge | null = null;

export function setBridge(b: DesktopBridge | null): void {
  current = b;
}

/** Pick the bridge: Electron's preload if present, else the web-mode socket (token from `?token=`). */
export function bridge(): DesktopBridge {
  if (current) return current;
  if (window.loreforge) return (current = window.loreforge);
  const token = pageToken();
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  current = createWebSocketBridge(
    `${proto}//${window.location.host}/bridge?token=${encodeURIComponent(token)}`,
  );
  return current;
}

export function isWebMode(): boolean {
  return !window.loreforge;
}

/** Invoke and unwrap; failures throw `BridgeCallError` with the core's code and message. */
export async function call<C extends Channel>(channel: C, input: HandlerInput<C>): Promise<HandlerOutput<C>> {
  const r = await bridge().invoke(channel, input);
  if (!r.ok) throw new BridgeCallError(r.error.code, r.error.message);
  return r.value;
}
