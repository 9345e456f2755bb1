/** Wire shapes of the web-mode WebSocket bridge (the Electron bridge uses IPC with the same payloads). */

/** Renderer → host: call a handler. */
export interface BridgeRequest {
  id: number;
  channel: string;
  input: unknown;
}

/** Host → renderer: a handler's `{ ok, value | error }`, or a pushed event. */
export type BridgeMessage =
  | {
      type: 'result';
      id: number;
      result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
    }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'hello'; version: string };

/** IPC channel on which Electron main pushes `{ event, payload }` to the renderer. */
export const IPC_EVENT_CHANNEL = 'loreforge:event';
/** WebSocket path of the web-mode bridge. */
export const BRIDGE_PATH = '/bridge';
