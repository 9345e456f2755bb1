// @vitest-environment node
/**
 * Hostile requests over the web-mode bridge (issue 15 items 1–2): a channel that is an object, input nested
 * ~1,500 deep, a message nested 100,000 deep, prototype-polluting keys and pointers. Each is answered with a
 * clear error, nothing is stored, Object.prototype stays clean and the server keeps answering.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_BUILD } from '@loreforge/rules-5e';
import { createCore } from '@loreforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../src/web/server';

const dir = mkdtempSync(join(tmpdir(), 'lf-bridge-hostile-'));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const dataDir = join(dir, 'data');
let server: WebServer;
let charId = '';

beforeAll(async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const core = await createCore({ dataDir });
  charId = (await core.characters.import(EXAMPLE_BUILD)).id;
  await core.close();
  server = await startWebServer({ dataDir, staticRoot: dir, log: quiet });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

async function client() {
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`);
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  const results = new Map<number, Result>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { type: string; id?: number; result?: Result };
    if (m.type === 'result' && typeof m.id === 'number' && m.result) results.set(m.id, m.result);
  });
  const answer = async (id: number): Promise<Result> => {
    await expect.poll(() => results.has(id), { timeout: 10_000 }).toBe(true);
    return results.get(id) as Result;
  };
  return { ws, answer };
}

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('web bridge under hostile requests', () => {
  it('an object channel, ~1,500-deep input and a 100,000-deep message are refused; the server keeps answering', async () => {
    const { ws, answer } = await client();
    ws.send(JSON.stringify({ id: 1, channel: { toString: 1 }, input: {} }));
    ws.send(JSON.stringify({ id: 2, channel: ['campaigns.list'], input: {} }));
    ws.send(
      JSON.stringify({
        id: 3,
        channel: 'characters.edit',
        input: { id: charId, set: [{ path: '/narrative/lore', value: nested(1_500) }] },
      }),
    );
    ws.send(`{"id":4,"channel":"campaigns.create","input":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    ws.send(JSON.stringify({ id: 5, channel: 'campaigns.create', input: { name: 'Still here' } }));
    expect(await answer(1)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel', message: 'channel (a object, not a string): no such handler' },
    });
    expect(await answer(2)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    const deep = await answer(3);
    expect(deep).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(deep.error?.message).toMatch(/nested deeper than 64 levels/);
    expect(await answer(4)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'request: nested deeper than 64 levels' },
    });
    expect(await answer(5)).toMatchObject({ ok: true, value: { name: 'Still here' } });
    ws.close();
  });

  it('prototype pollution through the bridge is refused, nothing is committed, campaigns keep working', async () => {
    const { ws, answer } = await client();
    ws.send(
      JSON.stringify({
        id: 1,
        channel: 'characters.edit',
        input: { id: charId, set: [{ path: '/__proto__/polluted', value: 1 }] },
      }),
    );
    ws.send(
      JSON.stringify({
        id: 2,
        channel: 'characters.edit',
        input: { id: charId, set: [{ path: '/constructor/prototype/polluted', value: 1 }] },
      }),
    );
    // Raw text: JSON.stringify would drop a literal __proto__ key.
    ws.send(`{"id":3,"channel":"campaigns.create","input":{"name":"P","__proto__":{"polluted":1}}}`);
    ws.send(
      `{"id":4,"channel":"characters.edit","input":{"id":"${charId}","set":[{"path":"/narrative/lore","value":{"__proto__":{"polluted":1}}}]}}`,
    );
    for (const id of [1, 2, 3, 4]) {
      const r = await answer(id);
      expect(r, `request ${id}`).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(r.error?.message).toMatch(/not allowed/);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    ws.send(JSON.stringify({ id: 5, channel: 'history.graph', input: { id: charId } }));
    const graph = (await answer(5)) as { ok: true; value: { commits: unknown[] } };
    expect(graph.value.commits).toHaveLength(1);
    ws.send(JSON.stringify({ id: 6, channel: 'campaigns.create', input: { name: 'After' } }));
    ws.send(JSON.stringify({ id: 7, channel: 'campaigns.list', input: {} }));
    expect(await answer(6)).toMatchObject({ ok: true });
    const list = (await answer(7)) as { ok: true; value: { name: string }[] };
    expect(list.value.map((c) => c.name)).toContain('After');
    ws.close();
  });
});
