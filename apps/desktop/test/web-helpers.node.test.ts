// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgsError, parseWebArgs } from '../src/web/args';
import { resolveStatic } from '../src/web/static';
import { newToken, originAllowed, tokenMatches } from '../src/web/token';

describe('parseWebArgs', () => {
  it('reads --port and --data-dir in both forms', () => {
    expect(parseWebArgs(['--port', '8080', '--data-dir', '/tmp/x'])).toEqual({
      port: 8080,
      dataDir: '/tmp/x',
      rebuild: false,
    });
    expect(parseWebArgs(['--port=0', '--data-dir=/d', '--rebuild'])).toEqual({
      port: 0,
      dataDir: '/d',
      rebuild: true,
    });
    expect(parseWebArgs([], { LOREFORGE_DATA_DIR: '/env' }).dataDir).toBe('/env');
    expect(parseWebArgs(['--', '--port', '1']).port).toBe(1);
  });
  it('names the flag and the reason on bad input', () => {
    expect(() => parseWebArgs(['--port', 'abc'])).toThrow(/--port: expected a whole number/);
    expect(() => parseWebArgs(['--port', '70000'])).toThrow(ArgsError);
    expect(() => parseWebArgs(['--data-dir'])).toThrow(/--data-dir: needs a value/);
    expect(() => parseWebArgs(['--verbose'])).toThrow(/--verbose: unknown option/);
  });
});

describe('token', () => {
  it('is random per launch and compared exactly', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(a);
    expect(tokenMatches(a, a)).toBe(true);
    expect(tokenMatches(a, `${a}x`)).toBe(false);
    expect(tokenMatches(a, null)).toBe(false);
    expect(tokenMatches(a, '')).toBe(false);
  });
  it('accepts only this server as a browser origin', () => {
    expect(originAllowed('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(originAllowed('http://localhost:4000', 4000)).toBe(true);
    expect(originAllowed('http://evil.example', 4000)).toBe(false);
    expect(originAllowed('http://127.0.0.1:4001', 4000)).toBe(false);
  });
});

describe('resolveStatic', () => {
  const root = mkdtempSync(join(tmpdir(), 'lf-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<html></html>');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('maps paths inside the root and refuses traversal', () => {
    expect(resolveStatic(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStatic(root, '/assets/a.js?v=1')).toBe(join(root, 'assets/a.js'));
    expect(resolveStatic(root, '/../../etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveStatic(root, '/%2e%2e/%2e%2e/etc/passwd')?.startsWith(root)).toBe(true);
    expect(resolveStatic(root, '/a%00b')).toBeNull();
    expect(resolveStatic(root, '/%E0%A4%A')).toBeNull();
  });
});
