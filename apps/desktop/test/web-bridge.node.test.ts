// @vitest-environment node
/** The web-mode server in-process: token and Origin checks, handler calls over the socket, pushed events. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../src/web/server';

const dir = mkdtempSync(join(tmpdir(), 'lf-bridge-'));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let server: WebServer;

beforeAll(async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startWebServer({ dataDir: join(dir, 'data'), staticRoot: dir, log: quiet });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function messages(ws: WebSocket) {
  const got: Record<string, unknown>[] = [];
  ws.on('message', (d) => got.push(JSON.parse(String(d)) as Record<string, unknown>));
  return got;
}

describe('web bridge', () => {
  it('listens on 127.0.0.1 with a URL carrying the token, and serves the page with a CSP', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`http://127.0.0.1:${server.port}/assets/missing.js`)).status).toBe(404);
  });

  it('refuses connections without the token, with a wrong one, or from another origin', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 401');
    await expect(connect('?token=nope')).rejects.toThrow('HTTP 401');
    await expect(connect(`?token=${server.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(
      'HTTP 401',
    );
    const ok = await connect(`?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` });
    ok.close();
  });

  it('answers calls with { ok, value | error }, ignores junk and pushes events to every client', async () => {
    const a = await connect(`?token=${server.token}`);
    const b = await connect(`?token=${server.token}`);
    const gotA = messages(a);
    const gotB = messages(b);
    a.send('not json');
    a.send(JSON.stringify({ id: 1, channel: 'campaigns.create', input: { name: '' } }));
    a.send(JSON.stringify({ id: 2, channel: 'campaigns.create', input: { name: 'Over the wire' } }));
    a.send(JSON.stringify({ id: 3, channel: 'no.such', input: {} }));
    const result = (id: number) => gotA.find((m) => m['type'] === 'result' && m['id'] === id);
    await expect.poll(() => [1, 2, 3].every((id) => result(id)), { timeout: 10_000 }).toBe(true);
    expect(result(1)).toMatchObject({ result: { ok: false, error: { code: 'invalid-input' } } });
    expect(result(2)).toMatchObject({ result: { ok: true, value: { name: 'Over the wire' } } });
    expect(result(3)).toMatchObject({ result: { ok: false, error: { code: 'unknown-channel' } } });
    await expect
      .poll(() => gotB.some((m) => m['type'] === 'event' && m['event'] === 'campaigns.changed'), {
        timeout: 5000,
      })
      .toBe(true);
    a.close();
    b.close();
  });

  it('releases the live documents a page opened when its socket closes', async () => {
    const a = await connect(`?token=${server.token}`);
    const gotA = messages(a);
    let next = 100;
    const call = async (ws: WebSocket, got: Record<string, unknown>[], channel: string, input: unknown) => {
      const id = next++;
      ws.send(JSON.stringify({ id, channel, input }));
      await expect
        .poll(() => got.some((m) => m['type'] === 'result' && m['id'] === id), { timeout: 10_000 })
        .toBe(true);
      return (
        got.find((m) => m['type'] === 'result' && m['id'] === id) as { result: Record<string, unknown> }
      ).result;
    };
    const campaign = (await call(a, gotA, 'campaigns.create', { name: 'Live' })) as { value: { id: string } };
    const journal = (await call(a, gotA, 'journals.create', {
      campaign: campaign.value.id,
      title: 'Recap',
      text: 'hello',
    })) as { value: { id: string } };
    const opened = (await call(a, gotA, 'live.open', { id: journal.value.id })) as {
      ok: boolean;
      value: { session: string };
    };
    expect(opened.ok).toBe(true);
    a.close();
    const b = await connect(`?token=${server.token}`);
    const gotB = messages(b);
    // Once the page is gone its session is closed: another page cannot write through it.
    await expect
      .poll(
        async () =>
          (await call(b, gotB, 'live.update', { session: opened.value.session, update: 'AA==' })) as {
            error?: { code: string };
          },
        { timeout: 10_000 },
      )
      .toMatchObject({ error: { code: 'not-found' } });
    b.close();
  });
});
