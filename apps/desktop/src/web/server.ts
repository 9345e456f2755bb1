/**
 * Web mode: `pnpm start:web [--port P] [--data-dir DIR]`. Serves the built renderer and the same handler map as
 * Electron over a WebSocket bridge on 127.0.0.1, guarded by a per-launch token. Prints exactly one line on stdout
 * when ready: `Loreforge web: http://127.0.0.1:P/?token=…`. Logs go to stderr.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_MAX_MESSAGE_BYTES,
  INPUT_LIMITS,
  createCore,
  createEventBus,
  createHandlers,
  disposeHandlers,
  invokeHandler,
  jsonTextDepthExceeds,
  type BridgeResult,
  type Core,
  type Logger,
} from '@loreforge/core';
import { BRIDGE_PATH, type BridgeMessage, type BridgeRequest } from '../shared/protocol';
import { ArgsError, parseWebArgs } from './args';
import { ensureRenderer } from './build-renderer';
import { serveStatic } from './static';
import { newToken, originAllowed, tokenMatches } from './token';

export interface WebServer {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  close(): Promise<void>;
}

const stderrLog: Logger = {
  debug: () => {},
  info: (m, d) => process.stderr.write(`${m} ${d ? JSON.stringify(d) : ''}\n`),
  warn: (m, d) => process.stderr.write(`warn: ${m} ${d ? JSON.stringify(d) : ''}\n`),
  error: (m, d) => process.stderr.write(`error: ${m} ${d ? JSON.stringify(d) : ''}\n`),
};

export async function startWebServer(opts: {
  port?: number;
  dataDir: string;
  rebuild?: boolean;
  log?: Logger;
  /** Serve this folder instead of the renderer build (tests). */
  staticRoot?: string;
}): Promise<WebServer> {
  const log = opts.log ?? stderrLog;
  const root = opts.staticRoot ?? (await ensureRenderer(opts.rebuild ?? false));
  mkdirSync(opts.dataDir, { recursive: true });
  const core: Core = await createCore({ dataDir: opts.dataDir, log });
  const bus = createEventBus();
  const handlers = createHandlers(core, {
    dataDir: opts.dataDir,
    bus,
    log,
    appVersion: '0.1.0',
    host: 'web',
  });
  const token = newToken();

  const http: Server = createServer((req, res) => serveStatic(root, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES });
  const clients = new Set<WebSocket>();
  let port = 0;

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (
      url.pathname !== BRIDGE_PATH ||
      !tokenMatches(token, url.searchParams.get('token')) ||
      !originAllowed(req.headers.origin, port)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      // Live documents this page opened (`live.open`) are released when the page goes away without closing them.
      const live = new Set<string>();
      ws.on('close', () => {
        clients.delete(ws);
        for (const session of live) void invokeHandler(handlers, 'live.close', { session });
        live.clear();
      });
      const send = (m: BridgeMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
      };
      send({ type: 'hello', version: '0.1.0' });
      ws.on('error', (err) => log.warn('bridge socket error', { message: err.message }));
      ws.on('message', (data, isBinary) => {
        try {
          onMessage(data, isBinary, send, live);
        } catch (err) {
          log.error('bridge message failed', { message: err instanceof Error ? err.message : 'unknown' });
        }
      });
    });
  });

  /**
   * One request. Binary frames and unparseable text are ignored; text nested deeper than the input limit is
   * refused before parsing (answered when its id can be read); every handler call is caught by `invokeHandler`
   * and, in case, here too, so no request can take the server down.
   */
  function onMessage(
    data: unknown,
    isBinary: boolean,
    send: (m: BridgeMessage) => void,
    live: Set<string>,
  ): void {
    if (isBinary) return;
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data as Buffer[]).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
    const answer = (id: number, result: BridgeResult<unknown>) => send({ type: 'result', id, result });
    if (jsonTextDepthExceeds(text, INPUT_LIMITS.maxDepth + 2)) {
      const id = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*,/.exec(text)?.[1];
      const message = `request: nested deeper than ${INPUT_LIMITS.maxDepth} levels`;
      if (id !== undefined) answer(Number(id), { ok: false, error: { code: 'invalid-input', message } });
      else log.warn('bridge: dropped a request nested too deep', {});
      return;
    }
    let req: BridgeRequest;
    try {
      req = JSON.parse(text) as BridgeRequest;
    } catch {
      return;
    }
    if (typeof req !== 'object' || req === null || typeof req.id !== 'number') return;
    const id = req.id;
    invokeHandler(handlers, req.channel, req.input).then(
      (result) => {
        if (result.ok && req.channel === 'live.open') live.add((result.value as { session: string }).session);
        if (req.channel === 'live.close') live.delete(String((req.input as { session?: unknown })?.session));
        answer(id, result);
      },
      (err: unknown) =>
        answer(id, {
          ok: false,
          error: { code: 'internal', message: err instanceof Error ? err.message : 'handler failed' },
        }),
    );
  }

  const unsubscribe = bus.subscribe((event, payload) => {
    const msg = JSON.stringify({ type: 'event', event, payload } satisfies BridgeMessage);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = http.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    dataDir: opts.dataDir,
    async close() {
      unsubscribe();
      for (const c of clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
      disposeHandlers(handlers);
      await core.close();
    },
  };
}

/** The `start:web` command: parse args, start, print the ready line, stop on SIGINT/SIGTERM. */
export async function main(): Promise<void> {
  let args;
  try {
    args = parseWebArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`start:web: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const dataDir = args.dataDir ?? join(homedir(), '.local', 'share', 'loreforge');
  const server = await startWebServer({ port: args.port, dataDir, rebuild: args.rebuild });
  process.stderr.write(`data folder: ${dataDir}\n`);
  process.stdout.write(`Loreforge web: ${server.url}\n`);
  const stop = () => {
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`start:web: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
