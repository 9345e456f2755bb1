import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyRelayToken } from '@loreforge/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRelayCli, type RelayCliIo } from '../src/index';
import { CAMPAIGN, RawClient, SECRET, tempDir, token } from './helpers';

function io(
  env: Record<string, string> = {},
  signal?: AbortSignal,
): RelayCliIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    env,
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    ...(signal ? { signal } : {}),
  };
  return o;
}

describe('relay CLI', () => {
  let tmp: ReturnType<typeof tempDir>;
  let secretFile: string;
  beforeEach(() => {
    tmp = tempDir();
    secretFile = join(tmp.dir, 'secret');
    writeFileSync(secretFile, `${SECRET}\n`);
  });
  afterEach(() => tmp.cleanup());

  it('token prints a token the relay secret verifies, with the given claims', async () => {
    const t = io();
    const now = 1_800_000_000_000;
    const code = await runRelayCli(
      [
        'token',
        '--secret-file',
        secretFile,
        '--campaign',
        'c1',
        '--user',
        'ana',
        '--role',
        'player',
        '--owns',
        'pc1,pc2',
        '--ttl',
        '60',
      ],
      t,
      now,
    );
    expect(code).toBe(0);
    const check = verifyRelayToken(t.out.trim(), SECRET, now);
    expect(check).toEqual({
      ok: true,
      claims: { campaign: 'c1', user: 'ana', role: 'player', owns: ['pc1', 'pc2'], exp: 1_800_000_060 },
    });
  });

  it.each([
    [['token', '--secret-file', 'SECRET', '--campaign', 'c1', '--user', 'u'], '--role: required'],
    [
      ['token', '--secret-file', 'SECRET', '--campaign', 'c1', '--user', 'u', '--role', 'god'],
      '--role: must be one of dm, player, spectator',
    ],
    [
      ['token', '--secret-file', 'SECRET', '--campaign', 'c1', '--user', 'u', '--role', 'dm', '--ttl', '1.5'],
      '--ttl: must be a whole number',
    ],
    [
      ['token', '--secret-file', 'SECRET', '--campaign', 'bad/id', '--user', 'u', '--role', 'dm'],
      '--campaign: ',
    ],
    [
      [
        'token',
        '--secret-file',
        'SECRET',
        '--campaign',
        'c1',
        '--user',
        'u',
        '--role',
        'dm',
        '--owns',
        'ok,b@d',
      ],
      '--owns: ',
    ],
    [
      ['token', '--secret-file', '/nonexistent/secret', '--campaign', 'c1', '--user', 'u', '--role', 'dm'],
      '--secret-file: cannot read',
    ],
    [['start', '--secret-file', 'SECRET'], '--data-dir: required'],
    [
      ['start', '--data-dir', 'x', '--secret-file', 'SECRET', '--port', '70000'],
      '--port: must be a whole number 0–65535',
    ],
    [
      ['start', '--data-dir', 'x', '--secret-file', 'SECRET', '--max-connections-per-user', '0'],
      '--max-connections-per-user: must be a whole number 1–1000000',
    ],
    [['token', '--frobnicate'], 'Unknown option'],
    [['launch'], 'unknown command "launch"'],
  ])('%j fails with exit 2 and names the field', async (argv, message) => {
    const t = io();
    const code = await runRelayCli(
      argv.map((a) => (a === 'SECRET' ? secretFile : a)),
      t,
    );
    expect(code).toBe(2);
    expect(t.err).toContain(message);
    expect(t.out).toBe('');
  });

  it('start runs in the foreground, prints one line with the URL, and stops on abort', async () => {
    const ac = new AbortController();
    const t = io({ PORT: '0', DATA_DIR: join(tmp.dir, 'data') }, ac.signal);
    const running = runRelayCli(['start', '--secret-file', secretFile], t);
    const started = Date.now();
    while (!t.out.includes('\n') && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 10));
    const m = /^relay listening on (ws:\/\/127\.0\.0\.1:(\d+))\n$/.exec(t.out);
    expect(m).not.toBeNull();
    const health = await fetch(`http://127.0.0.1:${m![2]}/healthz`);
    expect(health.status).toBe(200);
    ac.abort();
    expect(await running).toBe(0);
    expect(t.err).toContain('"event":"relay.listening"'); // JSON logs go to stderr
  });

  it('start takes the connection caps from flags and env', async () => {
    const ac = new AbortController();
    const t = io({ PORT: '0', DATA_DIR: join(tmp.dir, 'data'), MAX_CONNECTIONS_PER_USER: '1' }, ac.signal);
    const running = runRelayCli(['start', '--secret-file', secretFile], t);
    const started = Date.now();
    while (!t.out.includes('\n') && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 10));
    const url = /relay listening on (\S+)\n/.exec(t.out)![1]!;
    const doc = `${url}/${CAMPAIGN}/character/hero?token=${token('spectator', { user: 'one' })}`;
    const first = await RawClient.connect(doc);
    try {
      await expect(RawClient.connect(doc)).rejects.toMatchObject({ status: 429 });
    } finally {
      first.close();
    }
    ac.abort();
    expect(await running).toBe(0);
  });

  it('secret writes a fresh secret and refuses to overwrite without --force', async () => {
    const file = join(tmp.dir, 'new-secret');
    expect(await runRelayCli(['secret', '--secret-file', file], io())).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const t = io();
    expect(await runRelayCli(['secret', '--secret-file', file], t)).toBe(2);
    expect(t.err).toContain('--secret-file:');
  });
});
