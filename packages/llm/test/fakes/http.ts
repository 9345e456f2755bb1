/**
 * Tiny node:http harness shared by the fake model servers. Self-contained (node built-ins only)
 * so core's tests can import the fakes by relative path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body (undefined for an empty body; the raw text when it is not JSON). */
  readonly body: unknown;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: unknown) => void | Promise<void>;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Stop listening and drop every open connection (including deliberately hung ones). */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startServer(handler: Handler): Promise<RunningServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      try {
        await handler(req, res, body);
      } catch (error) {
        if (!res.headersSent) sendJson(res, 500, { error: `fake server failure: ${String(error)}` });
        else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A URL on 127.0.0.1 where nothing listens (connection refused): bind port 0, then close. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Deterministic fake embedding: `dimensions` numbers derived from the text's char codes. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (let i = 0; i < text.length; i++) {
    const index = i % dimensions;
    vector[index] = (vector[index] ?? 0) + text.charCodeAt(i) / 1000;
  }
  return vector.map((v) => Math.round(v * 1e6) / 1e6);
}

/** Split text into chunks of at most `size` characters (at least one chunk, maybe empty). */
export function chunk(text: string, size: number): string[] {
  if (text === '') return [''];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** Rough token estimate used when a scripted reply does not fix the counts (4 chars per token). */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}
