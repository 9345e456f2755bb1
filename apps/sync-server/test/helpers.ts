/** Test helpers: a relay on port 0 in a temp dir, tokens, and a raw protocol client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MESSAGE_AUTH,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  SyncProvider,
  createRelayToken,
  relayDocUrl,
  type Role,
} from '@loreforge/core';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { memoryLogger, startRelay, type Relay, type RelayOptions } from '../src/index';

export const SECRET = 'test-secret-0123456789abcdef';
export const CAMPAIGN = 'camp1';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeRelay(
  dataDir: string,
  extra: Partial<RelayOptions> = {},
): Promise<{ relay: Relay; logs: ReturnType<typeof memoryLogger> }> {
  const logs = memoryLogger();
  const relay = await startRelay({ port: 0, dataDir, secret: SECRET, logger: logs, ...extra });
  return { relay, logs };
}

export function token(
  role: Role,
  opts: { owns?: string[]; campaign?: string; user?: string; ttl?: number; nowMs?: number } = {},
): string {
  return createRelayToken(
    {
      campaign: opts.campaign ?? CAMPAIGN,
      user: opts.user ?? `${role}-user`,
      role,
      owns: opts.owns ?? [],
      ttlSeconds: opts.ttl ?? 3600,
      nowMs: opts.nowMs ?? Date.now(),
    },
    SECRET,
  );
}

export function provider(
  relay: Relay,
  docName: string,
  doc: Y.Doc,
  tok: string,
  readOnly = false,
): SyncProvider {
  return new SyncProvider({
    relayUrl: relay.url,
    docName,
    doc,
    token: tok,
    readOnly,
    backoff: { initialMs: 20, maxMs: 200 },
  });
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** An update that sets `map.set(key, value)` on a fresh client. */
export function updateSetting(key: string, value: string): Uint8Array {
  const d = new Y.Doc();
  d.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(d);
}

export interface Decoded {
  type: number;
  step?: number;
  payload?: Uint8Array;
  reason?: string;
}

export function decodeFrame(buf: Uint8Array): Decoded {
  const dec = decoding.createDecoder(buf);
  const type = decoding.readVarUint(dec);
  if (type === MESSAGE_SYNC) {
    return { type, step: decoding.readVarUint(dec), payload: decoding.readVarUint8Array(dec) };
  }
  if (type === MESSAGE_AUTH) {
    decoding.readVarUint(dec);
    return { type, reason: decoding.readVarString(dec) };
  }
  return { type, payload: decoding.readVarUint8Array(dec) };
}

/** A protocol-level client: sends raw frames, records what it receives. */
export class RawClient {
  readonly received: Decoded[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.received.push(decodeFrame(new Uint8Array(data))));
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
    ws.on('error', () => undefined);
  }

  /** Resolves with the client, or rejects with the HTTP status of a refused upgrade. */
  static connect(
    url: string,
    protocols?: string[],
    wsOptions: WebSocket.ClientOptions = {},
  ): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, wsOptions);
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', (err) => reject(err));
    });
  }

  static forDoc(relay: Relay, docName: string, tok: string): Promise<RawClient> {
    return RawClient.connect(relayDocUrl(relay.url, docName, tok));
  }

  send(bytes: Uint8Array | Buffer | string): void {
    this.ws.send(bytes);
  }

  /** Ask for the relay's full state; resolves with it once the step-2 reply arrives (a processing barrier). */
  async roundTrip(): Promise<Uint8Array> {
    const before = this.received.length;
    this.send(syncFrame(SYNC_STEP1, Y.encodeStateVector(new Y.Doc())));
    let found: Decoded | undefined;
    await waitFor(() => {
      found = this.received.slice(before).find((m) => m.type === MESSAGE_SYNC && m.step === SYNC_STEP2);
      return found !== undefined || this.closeCode !== undefined;
    }, 'step 2 reply');
    if (!found?.payload) throw new Error(`connection closed (${this.closeCode})`);
    return found.payload;
  }

  updatesReceived(): Uint8Array[] {
    return this.received
      .filter((m) => m.type === MESSAGE_SYNC && m.step === SYNC_UPDATE)
      .map((m) => m.payload!);
  }

  async closed(): Promise<number> {
    await waitFor(() => this.closeCode !== undefined, 'close');
    return this.closeCode!;
  }

  close(): void {
    this.ws.close();
  }
}

/** Map contents of a document built from one update. */
export function mapOf(update: Uint8Array | undefined): Record<string, unknown> {
  const d = new Y.Doc();
  if (update) Y.applyUpdate(d, update);
  return d.getMap('m').toJSON();
}
