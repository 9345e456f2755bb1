/**
 * `loreforge sync` input checking, run in-process without a relay (the end-to-end runs against a real relay
 * live in apps/sync-server/test/sync-cli.test.ts, since core must not depend on the relay app).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/core';
import { createRelayToken } from '../src/sync/token';
import { runCliCaptured } from './helpers';

const SECRET = 'core-test-secret-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'sync-cli-'));

async function run(args: string[]) {
  return runCliCaptured(args, { cwd: dataDir, env: {} });
}

const token = (role: 'dm' | 'player', ttlSeconds = 3600, nowMs = Date.now()) =>
  createRelayToken({ campaign: 'remote-camp', user: 'u1', role, owns: [], ttlSeconds, nowMs }, SECRET);

async function localCampaigns(): Promise<string[]> {
  const core = await createCore({ dataDir, author: 'test' });
  try {
    return (await core.campaigns.list()).map((c) => c.id);
  } finally {
    await core.close();
  }
}

/** A TCP port that accepts connections and never answers the WebSocket upgrade. */
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();
beforeAll(async () => {
  silent = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `ws://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('loreforge sync: input errors name the flag', () => {
  it('is listed in the help', async () => {
    const r = await run(['--help']);
    expect(r.out).toContain('loreforge sync --relay URL --token T [--campaign ID] [--once]');
  });

  it('requires --relay and --token', async () => {
    expect(await run(['sync', '--token', token('dm')])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--relay: required') as unknown,
    });
    expect(await run(['sync', '--relay', 'ws://127.0.0.1:9'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--token: required') as unknown,
    });
  });

  it('rejects a malformed or expired token before connecting', async () => {
    const bad = await run(['sync', '--once', '--relay', silentUrl, '--token', 'abc', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--token: not <base64url>.<base64url signature>');
    const old = token('player', 60, Date.now() - 3_600_000);
    const expired = await run([
      'sync',
      '--once',
      '--relay',
      silentUrl,
      '--token',
      old,
      '--data-dir',
      dataDir,
    ]);
    expect(expired.code).toBe(2);
    expect(expired.err).toMatch(/--token: expired at \d{4}-/);
  });

  it('rejects a relay URL that is not ws:// or wss://', async () => {
    const r = await run(['sync', '--relay', 'http://x', '--token', token('dm'), '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--relay: http://x is not a ws:// or wss:// URL');
  });

  it('rejects a bad --timeout, a --campaign other than the token campaign and one not here', async () => {
    const t = await run(['sync', '--once', '--timeout', '0', '--relay', silentUrl, '--token', token('dm')]);
    expect(t.code).toBe(2);
    expect(t.err).toContain('--timeout: must be a positive number of seconds');
    const c = await run([
      'sync',
      '--once',
      '--relay',
      silentUrl,
      '--token',
      token('player'),
      '--campaign',
      'missing',
      '--data-dir',
      dataDir,
    ]);
    expect(c.code).toBe(2);
    expect(c.err).toContain("--campaign: missing is not the token's campaign remote-camp");
    const absent = await run([
      'sync',
      '--once',
      '--relay',
      silentUrl,
      '--token',
      token('dm'),
      '--campaign',
      'remote-camp',
      '--data-dir',
      dataDir,
    ]);
    expect(absent.code).toBe(2);
    expect(absent.err).toContain('--campaign: no local campaign remote-camp');
  });

  it('gives up after the bounded wait with --once when the relay never answers, creating nothing', async () => {
    const before = await localCampaigns();
    const r = await run([
      'sync',
      '--once',
      '--timeout',
      '0.5',
      '--relay',
      silentUrl,
      '--token',
      token('player'),
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--relay: ${silentUrl} did not sync within 0.5 s`);
    expect(await localCampaigns()).toEqual(before);
  });
});
